package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"annex"
)

// DefaultGovernment is the government code an ApplicationService uses when
// its Government is empty: "XX", which ISO 3166 leaves to private use, so
// that partners can tell an unconfigured instance's notifications apart.
const DefaultGovernment = "XX"

// DenialService implements annex.DenialService: the denial notifications
// this government sends (made by ApplicationService when a refusal becomes
// final) and receives from its partners, the no-undercut consultations
// both ways, and the exchange's outbox and receipt (Outbox, Receive,
// LastSequence), which a server's feed and puller use.
//
// Every authority role but customs reads; licensing officers, senior
// officers and administrators amend and revoke this government's denials
// and answer partners' consultations; exporter users get EFORBIDDEN. With
// no user in the context the caller is the system, which may do
// everything; the exchange methods are for the system and administrators
// only. Every change is audited in its transaction, and every notification
// to partners is written to the outbox in the same transaction.
type DenialService struct {
	db *DB

	// Government is this instance's ISO 3166-1 alpha-2 code: the notifying
	// government of its denials and the sender of its notifications. The
	// methods that notify partners or receive from them need it.
	Government string
}

var _ annex.DenialService = (*DenialService)(nil)

// NewDenialService returns a DenialService for db, for the government with
// the ISO 3166-1 alpha-2 code. It must be the Government of the
// ApplicationService of the same database.
func NewDenialService(db *DB, government string) *DenialService {
	return &DenialService{db: db, Government: strings.ToUpper(strings.TrimSpace(government))}
}

// government returns the service's government, or an error when it is not
// configured as an ISO 3166-1 alpha-2 code.
func (s *DenialService) government() (string, error) {
	if g := strings.ToUpper(strings.TrimSpace(s.Government)); isCountryCode(g) {
		return g, nil
	}
	return "", fmt.Errorf("denial service: Government %q is not an ISO 3166-1 alpha-2 code", s.Government)
}

// government returns the code of the government whose refusals become
// denials: Government, or DefaultGovernment when it is empty.
func (s *ApplicationService) government() string {
	if g := strings.ToUpper(strings.TrimSpace(s.Government)); g != "" {
		return g
	}
	return DefaultGovernment
}

// isCountryCode reports whether s is two capital letters.
func isCountryCode(s string) bool {
	return len(s) == 2 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z'
}

// denialAccess is what a method of DenialService does.
type denialAccess int

const (
	denialRead     denialAccess = iota // read denials and consultations
	denialWrite                        // amend, revoke, answer
	denialExchange                     // the feed and its receipt
)

// checkDenialAccess checks that the user in the context, if any, may do
// what the method does.
func checkDenialAccess(ctx context.Context, a denialAccess) error {
	u := annex.UserFromContext(ctx)
	if u == nil {
		return nil
	}
	switch u.Role {
	case annex.RoleAdmin, annex.RoleLicensingOfficer, annex.RoleReviewer, annex.RoleSeniorOfficer, annex.RoleAnalyst:
	default:
		return annex.Errorf(annex.EFORBIDDEN, "denial notifications are open to the authority only")
	}
	switch {
	case a == denialExchange && u.Role != annex.RoleAdmin:
		return annex.Errorf(annex.EFORBIDDEN, "only administrators exchange notifications with partners")
	case a == denialWrite && u.Role != annex.RoleAdmin && u.Role != annex.RoleLicensingOfficer && u.Role != annex.RoleSeniorOfficer:
		return annex.Errorf(annex.EFORBIDDEN, "only licensing officers, senior officers and administrators change denials and answer consultations")
	}
	return nil
}

// run checks the access of the user in the context, then runs fn in one
// transaction, read-only for denialRead, and commits it if fn succeeds.
func (s *DenialService) run(ctx context.Context, a denialAccess, fn func(tx *Tx) error) error {
	if err := checkDenialAccess(ctx, a); err != nil {
		return err
	}
	opts := readOnly
	if a != denialRead {
		opts = nil
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// FindDenialByID returns the denial, sent or received, or ENOTFOUND.
func (s *DenialService) FindDenialByID(ctx context.Context, id string) (d *annex.Denial, err error) {
	err = s.run(ctx, denialRead, func(tx *Tx) error {
		d, err = findDenialByID(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// FindDenials returns the denials matching the filter, newest (by date)
// first, and how many match in all. Sent selects this government's own,
// Received the partners'; both or neither select all.
func (s *DenialService) FindDenials(ctx context.Context, filter annex.DenialFilter) (ds []*annex.Denial, n int, err error) {
	err = s.run(ctx, denialRead, func(tx *Tx) error {
		where, args := []string{"1 = 1"}, []any{}
		if filter.Sent != filter.Received {
			where, args = append(where, "own = ?"), append(args, filter.Sent)
		}
		if v := strings.ToUpper(strings.TrimSpace(filter.Destination)); v != "" {
			where, args = append(where, "destination = ?"), append(args, v)
		}
		if day := filter.InForceOn; day != "" {
			t, err := time.Parse(time.DateOnly, day)
			if err != nil {
				return annex.Invalid(annex.FieldError{Field: "in_force_on", Message: "must be a date written YYYY-MM-DD"})
			}
			// The database keeps the active denials of the last three
			// years up to the day; InForce then decides to the day (a
			// revocation to come, the anniversary itself).
			since := t.AddDate(-annex.DenialReviewYears, 0, -1).Format(time.DateOnly)
			where = append(where, "status = ?", "date >= ?", "date <= ?")
			args = append(args, string(annex.DenialActive), since, day)
			all, _, err := findDenials(ctx, tx, where, args, 0, 0)
			if err != nil {
				return err
			}
			for _, d := range all {
				if d.InForce(day) {
					ds = append(ds, d)
				}
			}
			n = len(ds)
			ds = ds[min(filter.Offset, n):]
			if filter.Limit > 0 && filter.Limit < len(ds) {
				ds = ds[:filter.Limit]
			}
			return nil
		}
		ds, n, err = findDenials(ctx, tx, where, args, filter.Limit, filter.Offset)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return ds, n, nil
}

// AmendDenial changes the fields upd sets of one of this government's
// active denials, one version on, and notifies the partners
// ("denial.amend"). A partner's denial is EFORBIDDEN, a revoked one
// ECONFLICT, an amendment that sets nothing EINVALID. It is audited as
// "denial.amend" with the fields changed.
func (s *DenialService) AmendDenial(ctx context.Context, id string, upd annex.DenialUpdate) (d *annex.Denial, err error) {
	err = s.run(ctx, denialWrite, func(tx *Tx) error {
		gov, err := s.government()
		if err != nil {
			return err
		}
		if d, err = ownDenialForChange(ctx, tx, gov, id, "amend"); err != nil {
			return err
		}
		changed := amendDenial(d, upd)
		if len(changed) == 0 {
			return annex.Errorf(annex.EINVALID, "the amendment changes nothing")
		} else if err := d.Validate(); err != nil {
			return err
		}
		d.Version++
		return saveDenialChange(ctx, tx, gov, d, annex.NotifyDenialAmend, map[string]any{"changed": changed})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// amendDenial applies the update and returns the JSON names of the fields
// it changed.
func amendDenial(d *annex.Denial, upd annex.DenialUpdate) []string {
	var changed []string
	for _, f := range []struct {
		name string
		new  *string
		old  *string
	}{
		{"entry", upd.Entry, &d.Entry}, {"item_description", upd.ItemDescription, &d.ItemDescription},
		{"end_user", upd.EndUser, &d.EndUser}, {"consignee", upd.Consignee, &d.Consignee}, {"reason", upd.Reason, &d.Reason},
	} {
		if f.new != nil && strings.TrimSpace(*f.new) != *f.old {
			*f.old = strings.TrimSpace(*f.new)
			changed = append(changed, f.name)
		}
	}
	return changed
}

// RevokeDenial revokes one of this government's active denials from the
// day (YYYY-MM-DD, not before the denial's date), one version on, and
// notifies the partners ("denial.revoke"). A partner's denial is
// EFORBIDDEN, one already revoked ECONFLICT. It is audited as
// "denial.revoke".
func (s *DenialService) RevokeDenial(ctx context.Context, id, day string) (d *annex.Denial, err error) {
	err = s.run(ctx, denialWrite, func(tx *Tx) error {
		gov, err := s.government()
		if err != nil {
			return err
		}
		if err := checkRegisterDay("revoked_on", day); err != nil {
			return err
		}
		if d, err = ownDenialForChange(ctx, tx, gov, id, "revoke"); err != nil {
			return err
		} else if day < d.Date {
			return annex.Invalid(annex.FieldError{Field: "revoked_on", Message: "must not be before the denial's date, " + d.Date})
		}
		return revokeDenial(ctx, tx, gov, d, day, "")
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ownDenialForChange locks and returns an active denial of this
// government.
func ownDenialForChange(ctx context.Context, tx *Tx, gov, id, what string) (*annex.Denial, error) {
	if err := lockDenial(ctx, tx, id); err != nil {
		return nil, err
	}
	d, err := findDenialByID(ctx, tx, id)
	if err != nil {
		return nil, err
	} else if d.Received != nil || d.NotifyingGovernment != gov {
		return nil, annex.Errorf(annex.EFORBIDDEN, "only %s can %s its denial %s", d.NotifyingGovernment, what, d.ID)
	} else if d.Status == annex.DenialRevoked {
		return nil, annex.Errorf(annex.ECONFLICT, "denial %s was revoked on %s", d.ID, d.RevokedOn)
	}
	return d, nil
}

// revokeDenial revokes an own denial from the day, one version on, and
// notifies the partners. why, if set, is audited.
func revokeDenial(ctx context.Context, tx *Tx, gov string, d *annex.Denial, day, why string) error {
	d.Status, d.RevokedOn = annex.DenialRevoked, day
	d.Version++
	detail := map[string]any{"revoked_on": day}
	if why != "" {
		detail["why"] = why
	}
	return saveDenialChange(ctx, tx, gov, d, annex.NotifyDenialRevoke, detail)
}

// saveDenialChange stores an own denial as changed, writes the
// notification of the change to the outbox and audits it as the kind
// ("denial.amend", "denial.revoke").
func saveDenialChange(ctx context.Context, tx *Tx, gov string, d *annex.Denial, kind annex.NotificationKind, detail map[string]any) error {
	if err := updateDenial(ctx, tx, d); err != nil {
		return err
	}
	seq, err := notifyDenial(ctx, tx, gov, kind, d)
	if err != nil {
		return err
	}
	detail["version"], detail["sequence"] = d.Version, seq
	return appendAudit(ctx, tx, auditRecord{action: string(kind), subject: denialSubject(d.ID), detail: detail})
}

// FindConsultations returns, for an application (applicationID > 0), the
// consultations of partners it started, or ENOTFOUND when there is no such
// application; for applicationID zero, the consultations partners asked
// of this government. Both are oldest first.
func (s *DenialService) FindConsultations(ctx context.Context, applicationID int64) (cs []*annex.Consultation, err error) {
	err = s.run(ctx, denialRead, func(tx *Tx) error {
		if applicationID < 0 {
			return annex.Errorf(annex.EINVALID, "application ID must not be negative")
		} else if applicationID == 0 {
			cs, err = findConsultations(ctx, tx, "direction = ?", directionIncoming)
			return err
		}
		if ok, err := registerHas(ctx, tx, "applications", applicationID); err != nil {
			return err
		} else if !ok {
			return annex.Errorf(annex.ENOTFOUND, "application %d not found", applicationID)
		}
		cs, err = findConsultations(ctx, tx, "direction = ? AND application_id = ?", directionOutgoing, applicationID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// AnswerConsultation answers a consultation a partner asked of this
// government, which may be answered once (ECONFLICT after), late or not,
// and sends the answer to the asking government ("consultation.answer").
// An outgoing or unknown consultation is ENOTFOUND. It is audited as
// "consultation.answer".
func (s *DenialService) AnswerConsultation(ctx context.Context, id int64, answer string, objects bool) (c *annex.Consultation, err error) {
	err = s.run(ctx, denialWrite, func(tx *Tx) error {
		gov, err := s.government()
		if err != nil {
			return err
		}
		if answer = strings.TrimSpace(answer); answer == "" || len(answer) > 5000 {
			return annex.Invalid(annex.FieldError{Field: "answer", Message: "required, at most 5000 characters"})
		}
		if err := lockRow(ctx, tx, "consultations", "id", id); err != nil {
			return err
		}
		var requestID string
		err = tx.QueryRowContext(ctx, `SELECT request_id FROM consultations WHERE id = ? AND direction = ?`,
			id, directionIncoming).Scan(&requestID)
		if isNoRows(err) {
			return annex.Errorf(annex.ENOTFOUND, "consultation %d not found", id)
		} else if err != nil {
			return fmt.Errorf("find consultation %d: %w", id, err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE consultations SET status = ?, answer = ?, objects = ?, answered_at = ?
			WHERE id = ? AND status = ?`,
			string(annex.ConsultationAnswered), answer, objects, tx.db.timeArg(tx.now), id, string(annex.ConsultationOpen))
		if err != nil {
			return fmt.Errorf("answer consultation %d: %w", id, err)
		} else if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("answer consultation %d: %w", id, err)
		} else if n != 1 {
			return annex.Errorf(annex.ECONFLICT, "consultation %d is already answered", id)
		}
		cs, err := findConsultations(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		c = cs[0]
		seq, err := insertOutbox(ctx, tx, &annex.Notification{Kind: annex.NotifyConsultationAnswer, From: gov, To: c.Partner,
			Consultation: &annex.ConsultationMessage{RequestID: requestID, DenialID: c.DenialID, Answer: answer, Objects: objects}})
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, auditRecord{action: "consultation.answer", subject: consultationSubject(id),
			detail: map[string]any{"request_id": requestID, "denial_id": c.DenialID, "partner": c.Partner,
				"objects": objects, "sequence": seq}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// The directions of consultations.
const (
	directionOutgoing = "outgoing"
	directionIncoming = "incoming"
)

// denialSubject and consultationSubject name audit subjects.
func denialSubject(id string) string { return "denial:" + id }

func consultationSubject(id int64) string { return "consultation:" + strconv.FormatInt(id, 10) }

const denialColumns = `id, notifying_government, entry, item_description, end_user, consignee, destination, date,
	reason, status, version, revoked_on, application_id, own, received_key_id, received_feed, received_sequence,
	received_at`

// scanDenial scans the denialColumns of a row, then extra.
func scanDenial(row interface{ Scan(...any) error }, d *annex.Denial, extra ...any) error {
	var appID, seq sql.NullInt64
	var keyID, feed sql.NullString
	var own bool
	var receivedAt time.Time
	dest := []any{&d.ID, &d.NotifyingGovernment, &d.Entry, &d.ItemDescription, &d.EndUser, &d.Consignee,
		&d.Destination, &d.Date, &d.Reason, &d.Status, &d.Version, &d.RevokedOn, &appID, &own, &keyID, &feed, &seq,
		scanTime(&receivedAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	d.ApplicationID = appID.Int64
	if !own {
		d.Received = &annex.Receipt{KeyID: keyID.String, Feed: feed.String, Sequence: seq.Int64, ReceivedAt: receivedAt}
	}
	return nil
}

func findDenialByID(ctx context.Context, tx *Tx, id string) (*annex.Denial, error) {
	ds, _, err := findDenials(ctx, tx, []string{"id = ?"}, []any{id}, 0, 0)
	if err != nil {
		return nil, err
	} else if len(ds) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "denial %s not found", id)
	}
	return ds[0], nil
}

// findDenials returns the denials matching the conditions, newest first,
// and how many match in all.
func findDenials(ctx context.Context, tx *Tx, where []string, args []any, limit, offset int) (_ []*annex.Denial, n int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+denialColumns+`, COUNT(*) OVER()
		FROM denials
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY date DESC, created_at DESC, id DESC `+tx.db.limitOffset(limit, offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find denials: %w", err)
	}
	defer rows.Close()

	ds := make([]*annex.Denial, 0)
	for rows.Next() {
		var d annex.Denial
		if err := scanDenial(rows, &d, &n); err != nil {
			return nil, 0, fmt.Errorf("scan denial: %w", err)
		}
		ds = append(ds, &d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find denials: %w", err)
	}
	return ds, n, nil
}

// lockDenial takes the row lock of a denial about to change, on
// PostgreSQL (see lockRow).
func lockDenial(ctx context.Context, tx *Tx, id string) error {
	if tx.db.dialect != DialectPostgres {
		return nil
	}
	var got string
	err := tx.QueryRowContext(ctx, `SELECT id FROM denials WHERE id = ? FOR UPDATE`, id).Scan(&got)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("lock denial: %w", err)
	}
	return nil
}

// insertDenial stores a new denial: this government's when d.Received is
// nil, else a partner's.
func insertDenial(ctx context.Context, tx *Tx, d *annex.Denial) error {
	var keyID, feed, receivedAt, seq any
	if r := d.Received; r != nil {
		keyID, feed, seq, receivedAt = r.KeyID, r.Feed, r.Sequence, tx.db.timeArg(r.ReceivedAt)
	}
	now := tx.db.timeArg(tx.now)
	if _, err := tx.ExecContext(ctx, `INSERT INTO denials (`+denialColumns+`, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.NotifyingGovernment, d.Entry, d.ItemDescription, d.EndUser, d.Consignee, d.Destination, d.Date,
		d.Reason, string(d.Status), d.Version, d.RevokedOn, nullID(d.ApplicationID), d.Received == nil,
		keyID, feed, seq, receivedAt, now, now); err != nil {
		return fmt.Errorf("insert denial %s: %w", d.ID, err)
	}
	return nil
}

// updateDenial stores what a notification may change of a denial.
func updateDenial(ctx context.Context, tx *Tx, d *annex.Denial) error {
	var keyID, feed, receivedAt, seq any
	if r := d.Received; r != nil {
		keyID, feed, seq, receivedAt = r.KeyID, r.Feed, r.Sequence, tx.db.timeArg(r.ReceivedAt)
	}
	_, err := tx.ExecContext(ctx, `UPDATE denials SET entry = ?, item_description = ?, end_user = ?, consignee = ?,
			destination = ?, date = ?, reason = ?, status = ?, version = ?, revoked_on = ?, received_key_id = ?,
			received_feed = ?, received_sequence = ?, received_at = ?, updated_at = ?
		WHERE id = ?`,
		d.Entry, d.ItemDescription, d.EndUser, d.Consignee, d.Destination, d.Date, d.Reason, string(d.Status),
		d.Version, d.RevokedOn, keyID, feed, seq, receivedAt, tx.db.timeArg(tx.now), d.ID)
	if err != nil {
		return fmt.Errorf("update denial %s: %w", d.ID, err)
	}
	return nil
}
