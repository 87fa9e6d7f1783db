package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"annex"
)

// LicenceService implements annex.LicenceService: the licences that
// approvals issue (see ApplicationService.Act), their draw-down by
// shipments, suspension, reinstatement, revocation and expiry.
//
// A licence's lines, with their balances, are stored as JSON in the
// licence's row, and every shipment in a row of its own. An exporter user
// sees only its organisation's licences; authority users, customs included,
// see all. Licences are read with their status at the time of reading, so
// that one past its validity shows as expired before ExpireLicences marks
// it.
type LicenceService struct {
	db *DB
}

var _ annex.LicenceService = (*LicenceService)(nil)

// NewLicenceService returns a LicenceService for db.
func NewLicenceService(db *DB) *LicenceService { return &LicenceService{db: db} }

// FindLicenceByNumber returns the licence, or ENOTFOUND, also when it
// belongs to another organisation than an exporter user's.
func (s *LicenceService) FindLicenceByNumber(ctx context.Context, number string) (*annex.Licence, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	l, err := findLicenceByNumber(ctx, tx, number)
	if err != nil {
		return nil, err
	}
	return l, tx.Commit()
}

// FindLicences returns the licences matching the filter, newest first, and
// how many match in all. The status filter applies to the status at the
// time of reading: issued licences past their validity count as expired.
func (s *LicenceService) FindLicences(ctx context.Context, filter annex.LicenceFilter) ([]*annex.Licence, int, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	ls, n, err := findLicences(ctx, tx, licenceQuery{LicenceFilter: filter})
	if err != nil {
		return nil, 0, err
	}
	return ls, n, tx.Commit()
}

// RecordShipment draws a shipment down from the licence with
// annex.Licence.Draw and records it, in one transaction in which the
// licence is locked. Only customs officers record shipments (EFORBIDDEN
// otherwise). A draw-down beyond a line's balance, or under a licence not
// in force, is ECONFLICT and records nothing. It sets the shipment's ID,
// LicenceID, CustomsRef (trimmed), RecordedBy and RecordedAt, and audits
// it as "licence.shipment". It returns the licence with its new balance.
func (s *LicenceService) RecordShipment(ctx context.Context, number string, sh *annex.Shipment) (*annex.Licence, error) {
	u := annex.UserFromContext(ctx)
	if u == nil {
		return nil, annex.Errorf(annex.EUNAUTHORIZED, "sign in to record shipments")
	} else if u.Role != annex.RoleCustoms {
		return nil, annex.Errorf(annex.EFORBIDDEN, "only customs officers record shipments")
	}
	if sh == nil {
		return nil, annex.Errorf(annex.EINVALID, "shipment required")
	}
	if sh.CustomsRef = strings.TrimSpace(sh.CustomsRef); sh.CustomsRef == "" || len(sh.CustomsRef) > 100 {
		return nil, annex.Invalid(annex.FieldError{Field: "customs_ref", Message: "the customs declaration's reference, at most 100 characters, is required"})
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	l, err := recordShipment(ctx, tx, number, sh, u)
	if err != nil {
		return nil, err
	}
	return l, tx.Commit()
}

// FindShipments returns the shipments recorded under the licence, oldest
// first, or ENOTFOUND when the user in the context may not see the licence.
func (s *LicenceService) FindShipments(ctx context.Context, number string) ([]*annex.Shipment, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	l, err := findLicenceByNumber(ctx, tx, number)
	if err != nil {
		return nil, err
	}
	shipments, err := findShipments(ctx, tx, l.ID)
	if err != nil {
		return nil, err
	}
	return shipments, tx.Commit()
}

// ChangeLicence suspends, reinstates or revokes the licence, as
// annex.NextLicenceStatus allows, when act.Version is the licence's version
// (ECONFLICT otherwise). It audits the change as "licence.<type>" and
// returns the licence.
func (s *LicenceService) ChangeLicence(ctx context.Context, number string, act *annex.LicenceAction) (*annex.Licence, error) {
	if act == nil {
		return nil, annex.Errorf(annex.EINVALID, "action required")
	}
	u := annex.UserFromContext(ctx)
	if u == nil {
		return nil, annex.Errorf(annex.EUNAUTHORIZED, "sign in to change licences")
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	l, err := changeLicence(ctx, tx, number, act, u)
	if err != nil {
		return nil, err
	}
	return l, tx.Commit()
}

// ExpireLicences marks the issued licences past their validity as expired,
// audits each as "licence.expire", and returns how many it marked. It is
// housekeeping for a scheduler: licences read as expired anyway.
func (s *LicenceService) ExpireLicences(ctx context.Context) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	n, err := expireLicences(ctx, tx)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// licenceSubject names a licence as an audit subject.
func licenceSubject(id int64) string { return "licence:" + strconv.FormatInt(id, 10) }

// issueLicence issues the licence of an approved application: the next
// number of the year, valid from today for the decision's months (to the
// end of the day before the same date), one line per goods line with the
// entries the assessment found, and the decision's provisos. It is audited
// as "licence.issue".
func issueLicence(ctx context.Context, tx *Tx, app *annex.Application, d *annex.CaseDecision) (*annex.Licence, error) {
	n, err := nextNumber(ctx, tx, "licence", tx.now.Year())
	if err != nil {
		return nil, err
	}
	from := tx.now.Truncate(24 * time.Hour)
	l := &annex.Licence{
		Number:        fmt.Sprintf("ANX-L-%d-%06d", tx.now.Year(), n),
		ApplicationID: app.ID,
		OrgID:         app.OrgID,
		Status:        annex.LicenceIssued,
		Destination:   app.Destination,
		EndUser:       endUserName(app),
		ValidFrom:     from,
		ValidUntil:    from.AddDate(0, d.ValidMonths, 0).Add(-time.Microsecond),
		Lines:         licenceLines(app),
		Provisos:      d.Provisos,
		Version:       1,
		IssuedAt:      tx.now,
	}
	lines, provisos, err := encodeLicence(l)
	if err != nil {
		return nil, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO licences
		(number, application_id, org_id, status, destination, end_user, valid_from, valid_until, lines, provisos,
		 version, issued_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		l.Number, l.ApplicationID, l.OrgID, string(l.Status), l.Destination, l.EndUser, tx.db.timeArg(l.ValidFrom),
		tx.db.timeArg(l.ValidUntil), lines, provisos, l.Version, tx.db.timeArg(l.IssuedAt),
	).Scan(&l.ID)
	if err != nil {
		return nil, fmt.Errorf("insert licence: %w", err)
	}
	if app.AmendmentOf != "" {
		if err := supersedeLicence(ctx, tx, app, l); err != nil {
			return nil, err
		}
	}
	return l, appendAudit(ctx, tx, auditRecord{
		action:  "licence.issue",
		subject: licenceSubject(l.ID),
		detail: map[string]any{"number": l.Number, "application_id": app.ID, "org_id": l.OrgID,
			"valid_from": l.ValidFrom.Format(time.DateOnly), "valid_until": l.ValidUntil.Format(time.DateOnly),
			"lines": len(l.Lines), "provisos": len(l.Provisos)},
	})
}

// supersedeLicence retires the licence an approved amendment replaces, if
// it is still in force; nothing more may be shipped under it.
func supersedeLicence(ctx context.Context, tx *Tx, app *annex.Application, by *annex.Licence) error {
	reason := fmt.Sprintf("superseded by licence %s (amendment %s)", by.Number, app.Reference)
	var id int64
	err := tx.QueryRowContext(ctx, `UPDATE licences SET status = ?, reason = ?, version = version + 1
		WHERE number = ? AND org_id = ? AND status IN (?, ?)
		RETURNING id`,
		string(annex.LicenceSuperseded), reason, app.AmendmentOf, app.OrgID,
		string(annex.LicenceIssued), string(annex.LicenceSuspended)).Scan(&id)
	if isNoRows(err) {
		return nil // revoked, expired or exhausted meanwhile: nothing to retire
	} else if err != nil {
		return fmt.Errorf("supersede licence %s: %w", app.AmendmentOf, err)
	}
	return appendAudit(ctx, tx, auditRecord{
		action:  "licence.supersede",
		subject: licenceSubject(id),
		detail:  map[string]any{"number": app.AmendmentOf, "superseded_by": by.Number, "application_id": app.ID},
	})
}

// endUserName is the name of the application's end user.
func endUserName(app *annex.Application) string {
	for _, p := range app.Parties {
		if p.Role == annex.RoleEndUser {
			return p.Name
		}
	}
	return ""
}

// licenceLines makes a licence line of each goods line: described by the
// item's name or else its kind, with the control-list entries the
// assessment found for it.
func licenceLines(app *annex.Application) []annex.LicenceLine {
	lines := make([]annex.LicenceLine, len(app.Items))
	for i, it := range app.Items {
		desc := it.Name
		if desc == "" {
			desc = it.Kind
		}
		lines[i] = annex.LicenceLine{Line: i, Description: desc, Kind: it.Kind, Entries: lineEntries(app.Assessment, i),
			Quantity: it.Quantity, Unit: it.Unit, Value: it.Value}
	}
	return lines
}

// lineEntries lists the IDs of the entries a goods line falls under.
func lineEntries(a *annex.Assessment, line int) string {
	if a == nil {
		return ""
	}
	var ids []string
	for _, la := range a.Lines {
		if la.Line == line && la.Classification != nil {
			for _, m := range la.Classification.Entries {
				ids = append(ids, m.ID)
			}
		}
	}
	return strings.Join(ids, ", ")
}

// encodeLicence returns the JSON of a licence's lines and provisos.
func encodeLicence(l *annex.Licence) (lines, provisos string, err error) {
	lb, err := json.Marshal(l.Lines)
	if err != nil {
		return "", "", fmt.Errorf("encode licence lines: %w", err)
	}
	pb, err := json.Marshal(append([]string{}, l.Provisos...))
	if err != nil {
		return "", "", fmt.Errorf("encode licence provisos: %w", err)
	}
	return string(lb), string(pb), nil
}

const licenceColumns = `id, number, application_id, org_id, status, destination, end_user, valid_from, valid_until,
	lines, provisos, reason, version, issued_at`

// scanLicence scans the licenceColumns of a row, then extra.
func scanLicence(row interface{ Scan(...any) error }, l *annex.Licence, extra ...any) error {
	var lines, provisos string
	dest := []any{&l.ID, &l.Number, &l.ApplicationID, &l.OrgID, &l.Status, &l.Destination, &l.EndUser,
		scanTime(&l.ValidFrom), scanTime(&l.ValidUntil), &lines, &provisos, &l.Reason, &l.Version, scanTime(&l.IssuedAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(lines), &l.Lines); err != nil {
		return fmt.Errorf("decode lines of licence %s: %w", l.Number, err)
	}
	if err := json.Unmarshal([]byte(provisos), &l.Provisos); err != nil {
		return fmt.Errorf("decode provisos of licence %s: %w", l.Number, err)
	}
	if len(l.Provisos) == 0 {
		l.Provisos = nil
	}
	return nil
}

// licenceQuery selects licences by the public filter and, inside the
// store, by number.
type licenceQuery struct {
	annex.LicenceFilter
	Number *string
}

// findLicenceByNumber returns the licence if the user in the context may
// see it, or ENOTFOUND.
func findLicenceByNumber(ctx context.Context, tx *Tx, number string) (*annex.Licence, error) {
	number = strings.TrimSpace(number)
	ls, _, err := findLicences(ctx, tx, licenceQuery{Number: &number})
	if err != nil {
		return nil, err
	} else if len(ls) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "licence %s not found", number)
	}
	return ls[0], nil
}

// findLicences returns the licences that match the query and that the user
// in the context may see, with their status at the transaction's time.
func findLicences(ctx context.Context, tx *Tx, q licenceQuery) (_ []*annex.Licence, n int, err error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := q.Number; v != nil {
		where, args = append(where, "number = ?"), append(args, *v)
	}
	if v := q.OrgID; v != nil {
		where, args = append(where, "org_id = ?"), append(args, *v)
	}
	if v := orgScope(ctx); v != nil {
		where, args = append(where, "org_id = ?"), append(args, *v)
	}
	if v := q.Status; v != nil {
		now := tx.db.timeArg(tx.now)
		switch *v {
		case annex.LicenceIssued:
			where, args = append(where, "status = ? AND valid_until >= ?"), append(args, string(*v), now)
		case annex.LicenceExpired:
			where = append(where, "(status = ? OR (status = ? AND valid_until < ?))")
			args = append(args, string(*v), string(annex.LicenceIssued), now)
		default:
			where, args = append(where, "status = ?"), append(args, string(*v))
		}
	}

	rows, err := tx.QueryContext(ctx, `SELECT `+licenceColumns+`, COUNT(*) OVER()
		FROM licences
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id DESC `+tx.db.limitOffset(q.Limit, q.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find licences: %w", err)
	}
	defer rows.Close()

	ls := make([]*annex.Licence, 0)
	for rows.Next() {
		var l annex.Licence
		if err := scanLicence(rows, &l, &n); err != nil {
			return nil, 0, fmt.Errorf("scan licence: %w", err)
		}
		l.Status = l.StatusAt(tx.now)
		ls = append(ls, &l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find licences: %w", err)
	}
	return ls, n, nil
}

// findLicenceForChange locks the licence and returns it as the user in the
// context may see it.
func findLicenceForChange(ctx context.Context, tx *Tx, number string) (*annex.Licence, error) {
	if err := lockRow(ctx, tx, "licences", "number", strings.TrimSpace(number)); err != nil {
		return nil, err
	}
	return findLicenceByNumber(ctx, tx, number)
}

func recordShipment(ctx context.Context, tx *Tx, number string, sh *annex.Shipment, u *annex.User) (*annex.Licence, error) {
	l, err := findLicenceForChange(ctx, tx, number)
	if err != nil {
		return nil, err
	}
	if err := l.Draw(sh.Line, sh.Quantity, sh.Value, tx.now); err != nil {
		return nil, err
	}
	sh.LicenceID, sh.RecordedBy, sh.RecordedAt = l.ID, u.ID, tx.now
	err = tx.QueryRowContext(ctx, `INSERT INTO shipments
		(licence_id, line, quantity, value, customs_ref, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		l.ID, sh.Line, sh.Quantity, sh.Value, sh.CustomsRef, u.ID, tx.db.timeArg(tx.now)).Scan(&sh.ID)
	if err != nil {
		return nil, fmt.Errorf("insert shipment: %w", err)
	}
	lines, _, err := encodeLicence(l)
	if err != nil {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE licences SET lines = ?, status = ?, version = ? WHERE id = ? AND version = ?`,
		lines, string(l.Status), l.Version+1, l.ID, l.Version)
	if err := checkOneRow(res, err, "update licence", l.ID); err != nil {
		return nil, err
	}
	l.Version++
	ll := l.Lines[sh.Line]
	return l, appendAudit(ctx, tx, auditRecord{
		action:  "licence.shipment",
		subject: licenceSubject(l.ID),
		detail: map[string]any{"number": l.Number, "shipment_id": sh.ID, "line": sh.Line, "quantity": sh.Quantity,
			"value": sh.Value, "customs_ref": sh.CustomsRef, "used_quantity": ll.UsedQuantity,
			"used_value": ll.UsedValue, "status": l.Status, "version": l.Version},
	})
}

func findShipments(ctx context.Context, tx *Tx, licenceID int64) ([]*annex.Shipment, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, licence_id, line, quantity, value, customs_ref, recorded_by, recorded_at
		FROM shipments WHERE licence_id = ? ORDER BY id`, licenceID)
	if err != nil {
		return nil, fmt.Errorf("find shipments: %w", err)
	}
	defer rows.Close()

	shipments := make([]*annex.Shipment, 0)
	for rows.Next() {
		var sh annex.Shipment
		if err := rows.Scan(&sh.ID, &sh.LicenceID, &sh.Line, &sh.Quantity, &sh.Value, &sh.CustomsRef, &sh.RecordedBy,
			scanTime(&sh.RecordedAt)); err != nil {
			return nil, fmt.Errorf("scan shipment: %w", err)
		}
		shipments = append(shipments, &sh)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find shipments: %w", err)
	}
	return shipments, nil
}

func changeLicence(ctx context.Context, tx *Tx, number string, act *annex.LicenceAction, u *annex.User) (*annex.Licence, error) {
	l, err := findLicenceForChange(ctx, tx, number)
	if err != nil {
		return nil, err
	}
	if act.Version != l.Version {
		return nil, annex.Errorf(annex.ECONFLICT, "licence %s was changed since you opened it: it is at version %d", l.Number, l.Version)
	}
	next, err := annex.NextLicenceStatus(l, act, u, tx.now)
	if err != nil {
		return nil, err
	}
	from, reason := l.Status, strings.TrimSpace(act.Reason)
	res, err := tx.ExecContext(ctx, `UPDATE licences SET status = ?, reason = ?, version = ? WHERE id = ? AND version = ?`,
		string(next), reason, l.Version+1, l.ID, l.Version)
	if err := checkOneRow(res, err, "update licence", l.ID); err != nil {
		return nil, err
	}
	l.Status, l.Reason, l.Version = next, reason, l.Version+1
	return l, appendAudit(ctx, tx, auditRecord{
		action:  "licence." + string(act.Type),
		subject: licenceSubject(l.ID),
		detail:  map[string]any{"number": l.Number, "from": from, "to": next, "reason": reason, "version": l.Version},
	})
}

func expireLicences(ctx context.Context, tx *Tx) (int, error) {
	// One statement takes the row locks of every licence it expires before
	// the first audit event takes the audit chain's lock, which a shipment
	// holding a licence's row lock may be waiting for.
	rows, err := tx.QueryContext(ctx, `UPDATE licences SET status = ?, version = version + 1
		WHERE status = ? AND valid_until < ?
		RETURNING id, number, valid_until, version`,
		string(annex.LicenceExpired), string(annex.LicenceIssued), tx.db.timeArg(tx.now))
	if err != nil {
		return 0, fmt.Errorf("expire licences: %w", err)
	}
	defer rows.Close()

	type expired struct {
		id, version int64
		number      string
		until       time.Time
	}
	var ls []expired
	for rows.Next() {
		var e expired
		if err := rows.Scan(&e.id, &e.number, scanTime(&e.until), &e.version); err != nil {
			return 0, fmt.Errorf("expire licences: %w", err)
		}
		ls = append(ls, e)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("expire licences: %w", err)
	}
	rows.Close()

	slices.SortFunc(ls, func(a, b expired) int { return cmp.Compare(a.id, b.id) }) // RETURNING gives no order
	for _, e := range ls {
		if err := appendAudit(ctx, tx, auditRecord{
			action:  "licence.expire",
			subject: licenceSubject(e.id),
			detail:  map[string]any{"number": e.number, "valid_until": e.until.Format(time.DateOnly), "version": e.version},
		}); err != nil {
			return 0, err
		}
	}
	return len(ls), nil
}
