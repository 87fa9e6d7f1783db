package sqlstore

import (
	"context"
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
