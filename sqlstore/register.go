package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"annex"
)

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
