package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"annex"
)

// SanctionService implements annex.SanctionService: the sanctions register
// of entities, transfer reports, determinations with their measures,
// waivers and policy holds.
//
// The register is the authority's: analysts, senior officers and
// administrators change it, every authority role reads it, and exporter
// users get EFORBIDDEN from every method. With no user in the context the
// caller is the system (the demo loader, the server's own reads), which may
// do everything. Every change is audited in its transaction, with the
// subject "<type>:<id>".
type SanctionService struct {
	db *DB

	// CheckWaiver, when set, is called by CreateWaiver with the waiver and
	// the measures it would cover, before anything is written; an error
	// is returned as it is and nothing is written. The wiring sets it to
	// the determination engine's check of the notice period.
	CheckWaiver func(w *annex.Waiver, measures []*annex.Measure) error
}

var _ annex.SanctionService = (*SanctionService)(nil)

// NewSanctionService returns a SanctionService for db.
func NewSanctionService(db *DB) *SanctionService { return &SanctionService{db: db} }

// sanctionAccess checks that the user in the context may read the register,
// or change it when write is set, and returns the ID to record as the
// author: zero for the system.
func sanctionAccess(ctx context.Context, write bool) (by int64, err error) {
	u := annex.UserFromContext(ctx)
	if u == nil {
		return 0, nil
	}
	switch u.Role {
	case annex.RoleAnalyst, annex.RoleSeniorOfficer, annex.RoleAdmin:
		return u.ID, nil
	case annex.RoleLicensingOfficer, annex.RoleReviewer, annex.RoleCustoms:
		if !write {
			return u.ID, nil
		}
		return 0, annex.Errorf(annex.EFORBIDDEN, "only analysts, senior officers and administrators change the sanctions register")
	}
	return 0, annex.Errorf(annex.EFORBIDDEN, "the sanctions register is open to the authority only")
}

// run checks the access of the user in the context, then runs fn in one
// transaction, read-only unless write, and commits it if fn succeeds.
func (s *SanctionService) run(ctx context.Context, write bool, fn func(tx *Tx, by int64) error) error {
	by, err := sanctionAccess(ctx, write)
	if err != nil {
		return err
	}
	opts := readOnly
	if write {
		opts = nil
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := fn(tx, by); err != nil {
		return err
	}
	return tx.Commit()
}

// CreateSanctionEntity validates e, stores it and sets e.ID, e.CreatedAt
// and e.UpdatedAt. It is audited as "sanction_entity.create".
func (s *SanctionService) CreateSanctionEntity(ctx context.Context, e *annex.SanctionEntity) error {
	return s.run(ctx, true, func(tx *Tx, by int64) error {
		if e == nil {
			return annex.Errorf(annex.EINVALID, "entity required")
		} else if err := e.Validate(); err != nil {
			return err
		}
		return createSanctionEntity(ctx, tx, e, by)
	})
}

// FindSanctionEntityByID returns the entity, or ENOTFOUND.
func (s *SanctionService) FindSanctionEntityByID(ctx context.Context, id int64) (e *annex.SanctionEntity, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		e, err = findSanctionEntityByID(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// FindSanctionEntities returns the entities matching the filter, by ID,
// and how many match in all. Query matches a part of the name or of an
// alias, ignoring case; Country matches the code.
func (s *SanctionService) FindSanctionEntities(ctx context.Context, filter annex.SanctionEntityFilter) (es []*annex.SanctionEntity, n int, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		where, args := []string{"1 = 1"}, []any{}
		if q := strings.TrimSpace(filter.Query); q != "" {
			where, args = append(where, `search_key LIKE ? ESCAPE '\'`), append(args, containsPattern(q))
		}
		if c := strings.ToUpper(strings.TrimSpace(filter.Country)); c != "" {
			where, args = append(where, "country = ?"), append(args, c)
		}
		es, n, err = findSanctionEntities(ctx, tx, where, args, filter.Limit, filter.Offset)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return es, n, nil
}

// CreateTransferReport validates r, checks that its supplier and recipient
// are in the register (EINVALID naming supplier_id or recipient_id), stores
// it and sets r.ID, r.CreatedBy, r.CreatedAt, r.UpdatedAt and the entities.
// A reference already used is ECONFLICT. It is audited as
// "transfer_report.create".
func (s *SanctionService) CreateTransferReport(ctx context.Context, r *annex.TransferReport) error {
	return s.run(ctx, true, func(tx *Tx, by int64) error {
		if r == nil {
			return annex.Errorf(annex.EINVALID, "transfer report required")
		} else if err := r.Validate(); err != nil {
			return err
		}
		return createTransferReport(ctx, tx, r, by)
	})
}

// FindTransferReportByID returns the report with its supplier and
// recipient, or ENOTFOUND.
func (s *SanctionService) FindTransferReportByID(ctx context.Context, id int64) (r *annex.TransferReport, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		r, err = findTransferReportByID(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// FindTransferReports returns the reports matching the filter, latest
// transfer first, with their supplier and recipient, and how many match in
// all. Query matches a part of the reference or the title, ignoring case;
// EntityID the supplier or the recipient; From and Until bound the
// transfer date, inclusive.
func (s *SanctionService) FindTransferReports(ctx context.Context, filter annex.TransferReportFilter) (rs []*annex.TransferReport, n int, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		rs, n, err = findTransferReports(ctx, tx, filter)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return rs, n, nil
}

// CreateDetermination validates d's input and every measure (EINVALID
// naming input.<field> or result.measures[i].<field>), checks that the
// report, if any, and every measure's entity are in the register, and
// stores the determination with its measures. It sets d.ID, d.CreatedBy,
// d.CreatedAt and each measure's ID and DeterminationID, and audits
// "determination.create" with the measures.
func (s *SanctionService) CreateDetermination(ctx context.Context, d *annex.Determination) error {
	return s.run(ctx, true, func(tx *Tx, by int64) error {
		if d == nil {
			return annex.Errorf(annex.EINVALID, "determination required")
		} else if err := validateDetermination(d); err != nil {
			return err
		}
		return createDetermination(ctx, tx, d, by)
	})
}

// FindDeterminationByID returns the determination with its measures, or
// ENOTFOUND.
func (s *SanctionService) FindDeterminationByID(ctx context.Context, id int64) (d *annex.Determination, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		ds, err := findDeterminations(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		} else if len(ds) == 0 {
			return annex.Errorf(annex.ENOTFOUND, "determination %d not found", id)
		}
		d = ds[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// FindDeterminations returns the determinations made from the report, or
// every determination when reportID is zero, oldest first, with their
// measures. An unknown report is ENOTFOUND.
func (s *SanctionService) FindDeterminations(ctx context.Context, reportID int64) (ds []*annex.Determination, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		if reportID == 0 {
			ds, err = findDeterminations(ctx, tx, "1 = 1")
			return err
		}
		if ok, err := registerHas(ctx, tx, "transfer_reports", reportID); err != nil {
			return err
		} else if !ok {
			return annex.Errorf(annex.ENOTFOUND, "transfer report %d not found", reportID)
		}
		ds, err = findDeterminations(ctx, tx, "report_id = ?", reportID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// FindMeasures returns the measures matching the filter, by ID, and how
// many match in all. Status selects the measures that stand so on Day, as
// annex.Measure.Status says; it needs Day.
func (s *SanctionService) FindMeasures(ctx context.Context, filter annex.MeasureFilter) (ms []*annex.Measure, n int, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		where, args, err := measureWhere(filter)
		if err != nil {
			return err
		}
		ms, n, err = findMeasures(ctx, tx, where, args, tx.db.limitOffset(filter.Limit, filter.Offset))
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return ms, n, nil
}

// CreateWaiver validates w and resolves the measures it covers: those of
// w.MeasureIDs (each must exist, be on w.EntityID if that is set too, and
// not be waived already: EINVALID naming measure_ids[i]), or else every
// measure on w.EntityID not waived yet (EINVALID entity_id when there is
// none). It then calls CheckWaiver, if set, stores the waiver with
// w.MeasureIDs set to the measures covered, marks them waived from
// w.Effective, sets w.ID, w.CreatedBy and w.CreatedAt, and audits
// "waiver.create".
func (s *SanctionService) CreateWaiver(ctx context.Context, w *annex.Waiver) error {
	return s.run(ctx, true, func(tx *Tx, by int64) error {
		if w == nil {
			return annex.Errorf(annex.EINVALID, "waiver required")
		} else if err := w.Validate(); err != nil {
			return err
		}
		measures, err := waiverMeasures(ctx, tx, w)
		if err != nil {
			return err
		}
		if s.CheckWaiver != nil {
			if err := s.CheckWaiver(w, measures); err != nil {
				return err
			}
		}
		return createWaiver(ctx, tx, w, measures, by)
	})
}

// FindWaivers returns every waiver, oldest first.
func (s *SanctionService) FindWaivers(ctx context.Context) (ws []*annex.Waiver, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		ws, err = findWaivers(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ws, nil
}

// CreateHold validates h, stores it and sets h.ID. It is audited as
// "hold.create".
func (s *SanctionService) CreateHold(ctx context.Context, h *annex.Hold) error {
	return s.run(ctx, true, func(tx *Tx, by int64) error {
		if h == nil {
			return annex.Errorf(annex.EINVALID, "hold required")
		} else if err := h.Validate(); err != nil {
			return err
		}
		return createHold(ctx, tx, h, by)
	})
}

// FindHolds returns every hold, by the day it starts.
func (s *SanctionService) FindHolds(ctx context.Context) (hs []*annex.Hold, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		hs, err = findHolds(ctx, tx, "1 = 1")
		return err
	})
	if err != nil {
		return nil, err
	}
	return hs, nil
}

// EndHold sets the last day of the hold, open or not, and returns it. The
// day must not be before the hold's first (EINVALID until); an unknown
// hold is ENOTFOUND. It is audited as "hold.end" with the previous end.
func (s *SanctionService) EndHold(ctx context.Context, id int64, until string) (h *annex.Hold, err error) {
	err = s.run(ctx, true, func(tx *Tx, _ int64) error {
		if err := checkRegisterDay("until", until); err != nil {
			return err
		}
		h, err = endHold(ctx, tx, id, until)
		return err
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Changed returns a fingerprint of the register that changes whenever the
// register does, for a server to poll: the ID of the last audit event of a
// change to the register. Every change appends one in its transaction, and
// the audit chain hands out IDs in commit order (see appendAudit), which
// the tables' own IDs do not promise on PostgreSQL. It needs read access.
func (s *SanctionService) Changed(ctx context.Context) (fp string, err error) {
	err = s.run(ctx, false, func(tx *Tx, _ int64) error {
		var last int64
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_events
			WHERE action IN (`+placeholders(len(registerActions))+`)`, registerActions...).Scan(&last)
		if err != nil {
			return fmt.Errorf("sanctions register fingerprint: %w", err)
		}
		fp = "register-" + strconv.FormatInt(last, 10)
		return nil
	})
	if err != nil {
		return "", err
	}
	return fp, nil
}

// The audit actions of the register.
const (
	actionEntityCreate        = "sanction_entity.create"
	actionReportCreate        = "transfer_report.create"
	actionDeterminationCreate = "determination.create"
	actionWaiverCreate        = "waiver.create"
	actionHoldCreate          = "hold.create"
	actionHoldEnd             = "hold.end"
)

// registerActions lists every audit action of the register, for Changed: a
// new kind of change must be added here.
var registerActions = []any{actionEntityCreate, actionReportCreate, actionDeterminationCreate, actionWaiverCreate,
	actionHoldCreate, actionHoldEnd}

// registerSubject names a record of the register as an audit subject.
func registerSubject(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// registerHas reports whether the table, one of the register's, has a row
// with the ID.
func registerHas(ctx context.Context, tx *Tx, table string, id int64) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("find %s %d: %w", table, id, err)
	}
	return n > 0, nil
}

// checkRegisterDay returns EINVALID naming the field unless s is a date
// written YYYY-MM-DD.
func checkRegisterDay(field, s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return annex.Invalid(annex.FieldError{Field: field, Message: "must be a date written YYYY-MM-DD"})
	}
	return nil
}

// registerSearchKey is how the register searches text: the parts in lower
// case as Go folds it, one a line.
func registerSearchKey(parts ...string) string {
	return strings.ToLower(strings.Join(parts, "\n"))
}

// containsPattern returns the LIKE pattern (with ESCAPE '\') that finds q, in
// lower case, anywhere in a search key.
func containsPattern(q string) string {
	q = strings.ToLower(strings.ReplaceAll(q, "\n", " "))
	q = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
	return "%" + q + "%"
}

// encodeJSONArray encodes s as a JSON array, [] when s is nil.
func encodeJSONArray[T any](s []T) (string, error) {
	if s == nil {
		s = []T{}
	}
	b, err := json.Marshal(s)
	return string(b), err
}

// underPath returns the field errors of err, an EINVALID error, with
// their paths under prefix.
func underPath(err error, prefix string) []annex.FieldError {
	fields := annex.ErrorFields(err)
	if len(fields) == 0 {
		return []annex.FieldError{{Field: strings.TrimSuffix(prefix, "."), Message: annex.ErrorMessage(err)}}
	}
	out := make([]annex.FieldError, len(fields))
	for i, f := range fields {
		out[i] = annex.FieldError{Field: prefix + f.Field, Message: f.Message}
	}
	return out
}

func createSanctionEntity(ctx context.Context, tx *Tx, e *annex.SanctionEntity, by int64) error {
	aliases, err := encodeJSONArray(e.Aliases)
	if err != nil {
		return fmt.Errorf("encode aliases: %w", err)
	}
	refs, err := encodeJSONArray(e.ListRefs)
	if err != nil {
		return fmt.Errorf("encode list refs: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO sanction_entities
		(name, aliases, search_key, type, country, sub_units, list_refs, notes, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		e.Name, aliases, registerSearchKey(append([]string{e.Name}, e.Aliases...)...), string(e.Type), e.Country, e.SubUnits,
		refs, e.Notes, nullID(by), tx.db.timeArg(tx.now), tx.db.timeArg(tx.now),
	).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("insert sanction entity: %w", err)
	}
	e.CreatedAt, e.UpdatedAt = tx.now, tx.now

	return appendAudit(ctx, tx, auditRecord{
		action:  actionEntityCreate,
		subject: registerSubject("sanction_entity", e.ID),
		detail: map[string]any{"name": e.Name, "aliases": e.Aliases, "type": e.Type, "country": e.Country,
			"sub_units": e.SubUnits, "list_refs": e.ListRefs},
	})
}

const sanctionEntityColumns = `id, name, aliases, type, country, sub_units, list_refs, notes, created_at, updated_at`

// scanSanctionEntity scans the sanctionEntityColumns of a row, then extra.
func scanSanctionEntity(row interface{ Scan(...any) error }, e *annex.SanctionEntity, extra ...any) error {
	var aliases, refs string
	dest := []any{&e.ID, &e.Name, &aliases, &e.Type, &e.Country, &e.SubUnits, &refs, &e.Notes,
		scanTime(&e.CreatedAt), scanTime(&e.UpdatedAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(aliases), &e.Aliases); err != nil {
		return fmt.Errorf("decode aliases of sanction entity %d: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(refs), &e.ListRefs); err != nil {
		return fmt.Errorf("decode list refs of sanction entity %d: %w", e.ID, err)
	}
	if len(e.Aliases) == 0 {
		e.Aliases = nil
	}
	if len(e.ListRefs) == 0 {
		e.ListRefs = nil
	}
	return nil
}

func findSanctionEntityByID(ctx context.Context, tx *Tx, id int64) (*annex.SanctionEntity, error) {
	es, _, err := findSanctionEntities(ctx, tx, []string{"id = ?"}, []any{id}, 0, 0)
	if err != nil {
		return nil, err
	} else if len(es) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "sanction entity %d not found", id)
	}
	return es[0], nil
}

// findSanctionEntities returns the entities matching the conditions, by ID,
// and how many match in all.
func findSanctionEntities(ctx context.Context, tx *Tx, where []string, args []any, limit, offset int) (_ []*annex.SanctionEntity, n int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+sanctionEntityColumns+`, COUNT(*) OVER()
		FROM sanction_entities
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id `+tx.db.limitOffset(limit, offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find sanction entities: %w", err)
	}
	defer rows.Close()

	es := make([]*annex.SanctionEntity, 0)
	for rows.Next() {
		var e annex.SanctionEntity
		if err := scanSanctionEntity(rows, &e, &n); err != nil {
			return nil, 0, fmt.Errorf("scan sanction entity: %w", err)
		}
		es = append(es, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find sanction entities: %w", err)
	}
	return es, n, nil
}

// sanctionEntitiesByID returns the entities with the IDs, by ID, loading
// maxInList at a time.
func sanctionEntitiesByID(ctx context.Context, tx *Tx, ids []int64) (map[int64]*annex.SanctionEntity, error) {
	byID := make(map[int64]*annex.SanctionEntity, len(ids))
	for start := 0; start < len(ids); start += maxInList {
		chunk := ids[start:min(start+maxInList, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		es, _, err := findSanctionEntities(ctx, tx, []string{"id IN (" + placeholders(len(args)) + ")"}, args, 0, 0)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			byID[e.ID] = e
		}
	}
	return byID, nil
}

func createTransferReport(ctx context.Context, tx *Tx, r *annex.TransferReport, by int64) error {
	var errs []annex.FieldError
	for _, p := range []struct {
		field string
		id    int64
	}{{"supplier_id", r.SupplierID}, {"recipient_id", r.RecipientID}} {
		if ok, err := registerHas(ctx, tx, "sanction_entities", p.id); err != nil {
			return err
		} else if !ok {
			errs = append(errs, annex.FieldError{Field: p.field, Message: "no such entity in the register"})
		}
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	if r.Items == nil {
		r.Items = []annex.ReportItem{}
	}
	items, err := encodeJSONArray(r.Items)
	if err != nil {
		return fmt.Errorf("encode report items: %w", err)
	}
	sources, err := encodeJSONArray(r.Sources)
	if err != nil {
		return fmt.Errorf("encode report sources: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO transfer_reports
		(reference, title, search_key, transfer_date, supplier_id, recipient_id, items, category, sources, assessment,
		 substantially_contributed, authorized_by_adherent, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		r.Reference, r.Title, registerSearchKey(r.Reference, r.Title), r.Date, r.SupplierID, r.RecipientID, items,
		string(r.Category), sources, r.Assessment, r.SubstantiallyContributed, r.AuthorizedByAdherent, nullID(by),
		tx.db.timeArg(tx.now), tx.db.timeArg(tx.now),
	).Scan(&r.ID)
	if annex.ErrorCode(err) == annex.ECONFLICT {
		return &annex.Error{Code: annex.ECONFLICT, Message: fmt.Sprintf("a transfer report %q is already in the register", r.Reference), Err: err}
	} else if err != nil {
		return fmt.Errorf("insert transfer report: %w", err)
	}
	r.CreatedBy, r.CreatedAt, r.UpdatedAt = by, tx.now, tx.now
	if err := fillReportEntities(ctx, tx, []*annex.TransferReport{r}); err != nil {
		return err
	}

	return appendAudit(ctx, tx, auditRecord{
		action:  actionReportCreate,
		subject: registerSubject("transfer_report", r.ID),
		detail: map[string]any{"reference": r.Reference, "title": r.Title, "date": r.Date,
			"supplier_id": r.SupplierID, "recipient_id": r.RecipientID, "category": r.Category,
			"items": len(r.Items), "sources": len(r.Sources),
			"substantially_contributed": r.SubstantiallyContributed, "authorized_by_adherent": r.AuthorizedByAdherent},
	})
}

const transferReportColumns = `id, reference, title, transfer_date, supplier_id, recipient_id, items, category, sources,
	assessment, substantially_contributed, authorized_by_adherent, created_by, created_at, updated_at`

// scanTransferReport scans the transferReportColumns of a row, then extra.
func scanTransferReport(row interface{ Scan(...any) error }, r *annex.TransferReport, extra ...any) error {
	var items, sources string
	var by sql.NullInt64
	dest := []any{&r.ID, &r.Reference, &r.Title, &r.Date, &r.SupplierID, &r.RecipientID, &items, &r.Category, &sources,
		&r.Assessment, &r.SubstantiallyContributed, &r.AuthorizedByAdherent, &by, scanTime(&r.CreatedAt), scanTime(&r.UpdatedAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	r.CreatedBy = by.Int64
	if err := json.Unmarshal([]byte(items), &r.Items); err != nil {
		return fmt.Errorf("decode items of transfer report %d: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(sources), &r.Sources); err != nil {
		return fmt.Errorf("decode sources of transfer report %d: %w", r.ID, err)
	}
	return nil
}

func findTransferReportByID(ctx context.Context, tx *Tx, id int64) (*annex.TransferReport, error) {
	rs, _, err := queryTransferReports(ctx, tx, []string{"id = ?"}, []any{id}, "")
	if err != nil {
		return nil, err
	} else if len(rs) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "transfer report %d not found", id)
	}
	return rs[0], nil
}

func findTransferReports(ctx context.Context, tx *Tx, filter annex.TransferReportFilter) ([]*annex.TransferReport, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if q := strings.TrimSpace(filter.Query); q != "" {
		where, args = append(where, `search_key LIKE ? ESCAPE '\'`), append(args, containsPattern(q))
	}
	if v := filter.EntityID; v != 0 {
		where, args = append(where, "(supplier_id = ? OR recipient_id = ?)"), append(args, v, v)
	}
	if v := filter.From; v != "" {
		if err := checkRegisterDay("from", v); err != nil {
			return nil, 0, err
		}
		where, args = append(where, "transfer_date >= ?"), append(args, v)
	}
	if v := filter.Until; v != "" {
		if err := checkRegisterDay("until", v); err != nil {
			return nil, 0, err
		}
		where, args = append(where, "transfer_date <= ?"), append(args, v)
	}
	return queryTransferReports(ctx, tx, where, args, tx.db.limitOffset(filter.Limit, filter.Offset))
}

// queryTransferReports returns the reports matching the conditions, latest
// transfer first, with their entities, and how many match in all.
func queryTransferReports(ctx context.Context, tx *Tx, where []string, args []any, limit string) (_ []*annex.TransferReport, n int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+transferReportColumns+`, COUNT(*) OVER()
		FROM transfer_reports
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY transfer_date DESC, id DESC `+limit, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find transfer reports: %w", err)
	}
	defer rows.Close()

	rs := make([]*annex.TransferReport, 0)
	for rows.Next() {
		var r annex.TransferReport
		if err := scanTransferReport(rows, &r, &n); err != nil {
			return nil, 0, fmt.Errorf("scan transfer report: %w", err)
		}
		rs = append(rs, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find transfer reports: %w", err)
	}
	rows.Close()
	if err := fillReportEntities(ctx, tx, rs); err != nil {
		return nil, 0, err
	}
	return rs, n, nil
}

// fillReportEntities sets the Supplier and Recipient of the reports.
func fillReportEntities(ctx context.Context, tx *Tx, rs []*annex.TransferReport) error {
	var ids []int64
	seen := make(map[int64]bool)
	for _, r := range rs {
		for _, id := range []int64{r.SupplierID, r.RecipientID} {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	byID, err := sanctionEntitiesByID(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, r := range rs {
		r.Supplier, r.Recipient = byID[r.SupplierID], byID[r.RecipientID]
	}
	return nil
}

// validateDetermination checks d's input and measures, naming each field
// by its path in the determination.
func validateDetermination(d *annex.Determination) error {
	var errs []annex.FieldError
	if err := d.Input.Validate(); err != nil {
		errs = append(errs, underPath(err, "input.")...)
	}
	for i := range d.Result.Measures {
		m := &d.Result.Measures[i]
		at := "result.measures[" + strconv.Itoa(i) + "]."
		if err := m.Validate(); err != nil {
			errs = append(errs, underPath(err, at)...)
		}
		if m.EntityID <= 0 {
			errs = append(errs, annex.FieldError{Field: at + "entity_id", Message: "required: the measure's entity in the register"})
		}
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

// checkDeterminationRefs checks that the report and the entities that d
// refers to are in the register.
func checkDeterminationRefs(ctx context.Context, tx *Tx, d *annex.Determination) error {
	var errs []annex.FieldError
	if d.ReportID != 0 {
		if ok, err := registerHas(ctx, tx, "transfer_reports", d.ReportID); err != nil {
			return err
		} else if !ok {
			errs = append(errs, annex.FieldError{Field: "report_id", Message: "no such transfer report"})
		}
	}
	known := make(map[int64]bool)
	for i, m := range d.Result.Measures {
		ok, seen := known[m.EntityID]
		if !seen {
			var err error
			if ok, err = registerHas(ctx, tx, "sanction_entities", m.EntityID); err != nil {
				return err
			}
			known[m.EntityID] = ok
		}
		if !ok {
			errs = append(errs, annex.FieldError{Field: "result.measures[" + strconv.Itoa(i) + "].entity_id",
				Message: "no such entity in the register"})
		}
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

func createDetermination(ctx context.Context, tx *Tx, d *annex.Determination, by int64) error {
	if err := checkDeterminationRefs(ctx, tx, d); err != nil {
		return err
	}
	input, err := json.Marshal(d.Input)
	if err != nil {
		return fmt.Errorf("encode determination input: %w", err)
	}
	result := d.Result
	result.Measures = nil // rows of their own
	resultJSON, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("encode determination result: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO determinations (report_id, input, result, note, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		RETURNING id`,
		nullID(d.ReportID), string(input), string(resultJSON), d.Note, nullID(by), tx.db.timeArg(tx.now),
	).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("insert determination: %w", err)
	}
	d.CreatedBy, d.CreatedAt = by, tx.now
	if d.Result.Measures == nil {
		d.Result.Measures = []annex.Measure{}
	}

	measures := make([]map[string]any, len(d.Result.Measures))
	for i := range d.Result.Measures {
		m := &d.Result.Measures[i]
		m.DeterminationID, m.WaiverID, m.WaivedFrom = d.ID, 0, ""
		err := tx.QueryRowContext(ctx, `INSERT INTO sanction_measures
			(determination_id, entity_id, entity, country, role, measure, legal_basis, description, pack,
			 start_day, end_day, minimum)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			m.DeterminationID, m.EntityID, m.Entity, m.Country, m.Role, string(m.Measure), m.LegalBasis, m.Description,
			m.Pack, m.Start, m.End, m.Minimum,
		).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("insert measure: %w", err)
		}
		measures[i] = map[string]any{"id": m.ID, "entity_id": m.EntityID, "entity": m.Entity, "measure": m.Measure,
			"start": m.Start, "end": m.End}
	}

	return appendAudit(ctx, tx, auditRecord{
		action:  actionDeterminationCreate,
		subject: registerSubject("determination", d.ID),
		detail: map[string]any{"report_id": d.ReportID, "date": d.Input.Date, "supplier": d.Input.Supplier.Name,
			"recipient": d.Input.Recipient.Name, "category": d.Result.Category, "measures": measures},
	})
}

// findDeterminations returns the determinations matching the condition,
// oldest first, with their measures.
func findDeterminations(ctx context.Context, tx *Tx, where string, args ...any) ([]*annex.Determination, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, report_id, input, result, note, created_by, created_at
		FROM determinations WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find determinations: %w", err)
	}
	defer rows.Close()

	ds := make([]*annex.Determination, 0)
	byID := make(map[int64]*annex.Determination)
	for rows.Next() {
		var d annex.Determination
		var reportID, by sql.NullInt64
		var input, result string
		if err := rows.Scan(&d.ID, &reportID, &input, &result, &d.Note, &by, scanTime(&d.CreatedAt)); err != nil {
			return nil, fmt.Errorf("scan determination: %w", err)
		}
		d.ReportID, d.CreatedBy = reportID.Int64, by.Int64
		if err := json.Unmarshal([]byte(input), &d.Input); err != nil {
			return nil, fmt.Errorf("decode input of determination %d: %w", d.ID, err)
		}
		if err := json.Unmarshal([]byte(result), &d.Result); err != nil {
			return nil, fmt.Errorf("decode result of determination %d: %w", d.ID, err)
		}
		d.Result.Measures = []annex.Measure{}
		ds, byID[d.ID] = append(ds, &d), &d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find determinations: %w", err)
	}
	rows.Close()
	if len(ds) == 0 {
		return ds, nil
	}

	ms, _, err := findMeasures(ctx, tx, []string{"determination_id IN (SELECT id FROM determinations WHERE " + where + ")"}, args, "")
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		d := byID[m.DeterminationID]
		d.Result.Measures = append(d.Result.Measures, *m)
	}
	return ds, nil
}

// measureWhere returns the conditions of the measure filter.
func measureWhere(filter annex.MeasureFilter) (where []string, args []any, err error) {
	where, args = []string{"1 = 1"}, []any{}
	if v := filter.EntityID; v != 0 {
		where, args = append(where, "entity_id = ?"), append(args, v)
	}
	if v := filter.DeterminationID; v != 0 {
		where, args = append(where, "determination_id = ?"), append(args, v)
	}
	if filter.Day != "" {
		if err := checkRegisterDay("day", filter.Day); err != nil {
			return nil, nil, err
		}
	}
	if filter.Status == "" {
		return where, args, nil
	} else if filter.Day == "" {
		return nil, nil, annex.Invalid(annex.FieldError{Field: "day", Message: "required with a status"})
	}
	// As annex.Measure.Status: waived first, then by the day.
	const notWaived = "(waived_from IS NULL OR waived_from > ?) AND "
	day := filter.Day
	switch filter.Status {
	case annex.MeasureWaived:
		where, args = append(where, "waived_from <= ?"), append(args, day)
	case annex.MeasurePending:
		where, args = append(where, notWaived+"start_day > ?"), append(args, day, day)
	case annex.MeasureExpired:
		where, args = append(where, notWaived+"start_day <= ? AND end_day <> '' AND end_day <= ?"), append(args, day, day, day)
	case annex.MeasureActive:
		where, args = append(where, notWaived+"start_day <= ? AND (end_day = '' OR end_day > ?)"), append(args, day, day, day)
	default:
		return nil, nil, annex.Invalid(annex.FieldError{Field: "status", Message: "must be pending, active, expired or waived"})
	}
	return where, args, nil
}

const measureColumns = `id, determination_id, entity_id, entity, country, role, measure, legal_basis, description, pack,
	start_day, end_day, minimum, waiver_id, waived_from`

// findMeasures returns the measures matching the conditions, by ID, and
// how many match in all.
func findMeasures(ctx context.Context, tx *Tx, where []string, args []any, limit string) (_ []*annex.Measure, n int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+measureColumns+`, COUNT(*) OVER()
		FROM sanction_measures
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id `+limit, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find measures: %w", err)
	}
	defer rows.Close()

	ms := make([]*annex.Measure, 0)
	for rows.Next() {
		var m annex.Measure
		var waiverID sql.NullInt64
		var waivedFrom sql.NullString
		if err := rows.Scan(&m.ID, &m.DeterminationID, &m.EntityID, &m.Entity, &m.Country, &m.Role, &m.Measure,
			&m.LegalBasis, &m.Description, &m.Pack, &m.Start, &m.End, &m.Minimum, &waiverID, &waivedFrom, &n); err != nil {
			return nil, 0, fmt.Errorf("scan measure: %w", err)
		}
		m.WaiverID, m.WaivedFrom = waiverID.Int64, waivedFrom.String
		ms = append(ms, &m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find measures: %w", err)
	}
	return ms, n, nil
}

// waiverMeasures resolves the measures the waiver covers, as CreateWaiver
// says.
func waiverMeasures(ctx context.Context, tx *Tx, w *annex.Waiver) ([]*annex.Measure, error) {
	if w.EntityID != 0 {
		if ok, err := registerHas(ctx, tx, "sanction_entities", w.EntityID); err != nil {
			return nil, err
		} else if !ok {
			return nil, annex.Invalid(annex.FieldError{Field: "entity_id", Message: "no such entity in the register"})
		}
	}
	if len(w.MeasureIDs) == 0 {
		ms, _, err := findMeasures(ctx, tx, []string{"entity_id = ?", "waiver_id IS NULL"}, []any{w.EntityID}, "")
		if err != nil {
			return nil, err
		} else if len(ms) == 0 {
			return nil, annex.Invalid(annex.FieldError{Field: "entity_id", Message: "no measure on the entity is left to waive"})
		}
		return ms, nil
	}
	if len(w.MeasureIDs) > maxInList {
		return nil, annex.Invalid(annex.FieldError{Field: "measure_ids", Message: fmt.Sprintf("at most %d measures", maxInList)})
	}
	args := make([]any, len(w.MeasureIDs))
	for i, id := range w.MeasureIDs {
		args[i] = id
	}
	found, _, err := findMeasures(ctx, tx, []string{"id IN (" + placeholders(len(args)) + ")"}, args, "")
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*annex.Measure, len(found))
	for _, m := range found {
		byID[m.ID] = m
	}

	var errs []annex.FieldError
	ms := make([]*annex.Measure, 0, len(w.MeasureIDs))
	given := make(map[int64]bool, len(w.MeasureIDs))
	for i, id := range w.MeasureIDs {
		at := "measure_ids[" + strconv.Itoa(i) + "]"
		m := byID[id]
		switch {
		case given[id]:
			errs = append(errs, annex.FieldError{Field: at, Message: fmt.Sprintf("measure %d is given twice", id)})
		case m == nil:
			errs = append(errs, annex.FieldError{Field: at, Message: "no such measure"})
		case m.WaiverID != 0:
			errs = append(errs, annex.FieldError{Field: at, Message: fmt.Sprintf("measure %d is waived already, by waiver %d", id, m.WaiverID)})
		case w.EntityID != 0 && m.EntityID != w.EntityID:
			errs = append(errs, annex.FieldError{Field: at, Message: fmt.Sprintf("measure %d falls on another entity", id)})
		default:
			ms = append(ms, m)
		}
		given[id] = true
	}
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	return ms, nil
}

func createWaiver(ctx context.Context, tx *Tx, w *annex.Waiver, ms []*annex.Measure, by int64) error {
	w.MeasureIDs = make([]int64, len(ms))
	for i, m := range ms {
		w.MeasureIDs[i] = m.ID
	}
	ids, err := encodeJSONArray(w.MeasureIDs)
	if err != nil {
		return fmt.Errorf("encode measure IDs: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO sanction_waivers
		(entity_id, measure_ids, effective, basis, legal_basis, notified_on, reason, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		nullID(w.EntityID), ids, w.Effective, w.Basis, w.LegalBasis, w.NotifiedOn, w.Reason, nullID(by),
		tx.db.timeArg(tx.now),
	).Scan(&w.ID)
	if err != nil {
		return fmt.Errorf("insert waiver: %w", err)
	}
	w.CreatedBy, w.CreatedAt = by, tx.now

	for _, m := range ms {
		// The condition refuses a measure that a concurrent waiver took
		// since waiverMeasures read it.
		res, err := tx.ExecContext(ctx, `UPDATE sanction_measures SET waiver_id = ?, waived_from = ?
			WHERE id = ? AND waiver_id IS NULL`, w.ID, w.Effective, m.ID)
		if err != nil {
			return fmt.Errorf("waive measure %d: %w", m.ID, err)
		} else if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("waive measure %d: %w", m.ID, err)
		} else if n != 1 {
			return annex.Errorf(annex.ECONFLICT, "measure %d was waived meanwhile", m.ID)
		}
		m.WaiverID, m.WaivedFrom = w.ID, w.Effective
	}

	return appendAudit(ctx, tx, auditRecord{
		action:  actionWaiverCreate,
		subject: registerSubject("waiver", w.ID),
		detail: map[string]any{"entity_id": w.EntityID, "measure_ids": w.MeasureIDs, "effective": w.Effective,
			"basis": w.Basis, "legal_basis": w.LegalBasis, "notified_on": w.NotifiedOn, "reason": w.Reason},
	})
}

func findWaivers(ctx context.Context, tx *Tx) ([]*annex.Waiver, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, entity_id, measure_ids, effective, basis, legal_basis, notified_on,
		reason, created_by, created_at
		FROM sanction_waivers ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find waivers: %w", err)
	}
	defer rows.Close()

	ws := make([]*annex.Waiver, 0)
	for rows.Next() {
		var w annex.Waiver
		var entityID, by sql.NullInt64
		var ids string
		if err := rows.Scan(&w.ID, &entityID, &ids, &w.Effective, &w.Basis, &w.LegalBasis, &w.NotifiedOn, &w.Reason,
			&by, scanTime(&w.CreatedAt)); err != nil {
			return nil, fmt.Errorf("scan waiver: %w", err)
		}
		w.EntityID, w.CreatedBy = entityID.Int64, by.Int64
		if err := json.Unmarshal([]byte(ids), &w.MeasureIDs); err != nil {
			return nil, fmt.Errorf("decode measure IDs of waiver %d: %w", w.ID, err)
		}
		ws = append(ws, &w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find waivers: %w", err)
	}
	return ws, nil
}

func createHold(ctx context.Context, tx *Tx, h *annex.Hold, by int64) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO policy_holds
		(country, class, reason, from_day, until_day, effect, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		h.Country, h.Class, h.Reason, h.From, sql.NullString{String: h.Until, Valid: h.Until != ""}, string(h.Effect),
		nullID(by), tx.db.timeArg(tx.now), tx.db.timeArg(tx.now),
	).Scan(&h.ID)
	if err != nil {
		return fmt.Errorf("insert hold: %w", err)
	}
	return appendAudit(ctx, tx, auditRecord{
		action:  actionHoldCreate,
		subject: registerSubject("hold", h.ID),
		detail: map[string]any{"country": h.Country, "class": h.Class, "reason": h.Reason, "from": h.From,
			"until": h.Until, "effect": h.Effect},
	})
}

func endHold(ctx context.Context, tx *Tx, id int64, until string) (*annex.Hold, error) {
	hs, err := findHolds(ctx, tx, "id = ?", id)
	if err != nil {
		return nil, err
	} else if len(hs) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "hold %d not found", id)
	}
	h := hs[0]
	if until < h.From {
		return nil, annex.Invalid(annex.FieldError{Field: "until", Message: "must not be before the hold's first day, " + h.From})
	}
	if _, err := tx.ExecContext(ctx, `UPDATE policy_holds SET until_day = ?, updated_at = ? WHERE id = ?`,
		until, tx.db.timeArg(tx.now), id); err != nil {
		return nil, fmt.Errorf("end hold %d: %w", id, err)
	}
	previous := h.Until
	h.Until = until
	return h, appendAudit(ctx, tx, auditRecord{
		action:  actionHoldEnd,
		subject: registerSubject("hold", h.ID),
		detail:  map[string]any{"country": h.Country, "class": h.Class, "until": until, "previous_until": previous},
	})
}

// findHolds returns the holds matching the condition, by their first day.
func findHolds(ctx context.Context, tx *Tx, where string, args ...any) ([]*annex.Hold, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, country, class, reason, from_day, until_day, effect
		FROM policy_holds WHERE `+where+` ORDER BY from_day, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find holds: %w", err)
	}
	defer rows.Close()

	hs := make([]*annex.Hold, 0)
	for rows.Next() {
		var h annex.Hold
		var until sql.NullString
		if err := rows.Scan(&h.ID, &h.Country, &h.Class, &h.Reason, &h.From, &until, &h.Effect); err != nil {
			return nil, fmt.Errorf("scan hold: %w", err)
		}
		h.Until = until.String
		hs = append(hs, &h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find holds: %w", err)
	}
	return hs, nil
}
