package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"annex"
)

// DefaultGovernment is the government code an ApplicationService uses when
// its Government is empty: "XX", which ISO 3166 leaves to private use, so
// that partners can tell an unconfigured instance's notifications apart.
const DefaultGovernment = "XX"

// undercutRule is the assessment rule that finds an application essentially
// identical to a partner's denial in force.
const undercutRule = "no-undercut"

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

// lockExchange serialises the writers of the outbox on PostgreSQL, with the
// audit chain's lock, held until the transaction ends: so sequences are
// handed out in commit order and a partner that has read up to N never
// misses a lower one committed later. SQLite's immediate transactions
// already serialise writers.
func lockExchange(ctx context.Context, tx *Tx) error {
	if tx.db.dialect != DialectPostgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, auditLockID); err != nil {
		return fmt.Errorf("lock exchange: %w", err)
	}
	return nil
}

// insertOutbox adds a notification, issued now, to this government's feed
// and returns its sequence. The key and the signature are the server's to
// add when it serves the feed.
func insertOutbox(ctx context.Context, tx *Tx, n *annex.Notification) (int64, error) {
	if err := lockExchange(ctx, tx); err != nil {
		return 0, err
	}
	n.Sequence, n.IssuedAt, n.KeyID, n.Signature = 0, tx.now, "", ""
	payload, err := json.Marshal(n)
	if err != nil {
		return 0, fmt.Errorf("encode notification: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO exchange_outbox (kind, to_gov, payload, created_at)
		VALUES (?, ?, ?, ?)
		RETURNING sequence`, string(n.Kind), n.To, string(payload), tx.db.timeArg(tx.now)).Scan(&n.Sequence)
	if err != nil {
		return 0, fmt.Errorf("insert outbox notification: %w", err)
	}
	return n.Sequence, nil
}

// notifyDenial writes a notification of an own denial to the outbox, for
// every partner. The case it refused is this government's business only
// and is left out.
func notifyDenial(ctx context.Context, tx *Tx, gov string, kind annex.NotificationKind, d *annex.Denial) (int64, error) {
	sent := *d
	sent.ApplicationID, sent.Received = 0, nil
	return insertOutbox(ctx, tx, &annex.Notification{Kind: kind, From: gov, Denial: &sent})
}

// notifyDecision is the hook of ApplicationService.finalise. A final
// refusal becomes one denial notification per controlled goods line (see
// refusalDenials); a refusal that controls no line (a catch-all refusal)
// notifies none, since the regime's denials name a control-list entry. A
// final decision that does not refuse, which can only follow a refusal on
// appeal, revokes the case's denials from that day.
func (s *ApplicationService) notifyDecision(ctx context.Context, tx *Tx, step *caseStep, d *annex.CaseDecision) error {
	app, gov := step.app, s.government()
	if d.Type != annex.DecisionRefuse {
		held, _, err := findDenials(ctx, tx, []string{"own = ?", "application_id = ?", "status = ?"},
			[]any{true, app.ID, string(annex.DenialActive)}, 0, 0)
		if err != nil {
			return err
		}
		var revoked []string
		for _, den := range slices.Backward(held) {
			if err := revokeDenial(ctx, tx, gov, den, tx.now.Format(time.DateOnly), "the refusal was overturned"); err != nil {
				return err
			}
			revoked = append(revoked, den.ID)
		}
		if len(revoked) > 0 {
			step.detail["denials_revoked"] = revoked
		}
		return nil
	}
	var created []string
	for _, den := range refusalDenials(gov, app, d, tx.now) {
		if _, err := findDenialByID(ctx, tx, den.ID); err == nil {
			continue // refused again on appeal: the denial notified stands
		} else if annex.ErrorCode(err) != annex.ENOTFOUND {
			return err
		}
		if err := den.Validate(); err != nil {
			return fmt.Errorf("denial %s of application %d: %w", den.ID, app.ID, err)
		}
		if err := insertDenial(ctx, tx, den); err != nil {
			return err
		}
		seq, err := notifyDenial(ctx, tx, gov, annex.NotifyDenial, den)
		if err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, auditRecord{action: "denial.create", subject: denialSubject(den.ID),
			detail: map[string]any{"application_id": app.ID, "entry": den.Entry, "end_user": den.EndUser,
				"destination": den.Destination, "date": den.Date, "version": den.Version, "sequence": seq}}); err != nil {
			return err
		}
		created = append(created, den.ID)
	}
	if len(created) > 0 {
		step.detail["denials"] = created
	}
	return nil
}

// refusalDenials returns the denials a refusal of the application makes,
// one per goods line its assessment classified as controlled: numbered
// "<gov>-<reference>-<line from 1>", for the line's strictest entry, the
// end user, consignee and destination of the application, dated the day
// of now, with the refusal's criteria and reasons.
func refusalDenials(gov string, app *annex.Application, d *annex.CaseDecision, now time.Time) []*annex.Denial {
	if app.Assessment == nil {
		return nil
	}
	var endUser, consignee string
	for _, p := range app.Parties {
		switch {
		case p.Role == annex.RoleEndUser && endUser == "":
			endUser = p.Name
		case p.Role == annex.RoleConsignee && consignee == "":
			consignee = p.Name
		}
	}
	reason := d.Reasons
	if len(d.Criteria) > 0 {
		reason = strings.Join(d.Criteria, ", ") + ": " + d.Reasons
	}
	var out []*annex.Denial
	for _, la := range app.Assessment.Lines {
		cl := la.Classification
		if cl == nil || !cl.Controlled || len(cl.Entries) == 0 {
			continue
		}
		out = append(out, &annex.Denial{
			ID: fmt.Sprintf("%s-%s-%d", gov, app.Reference, la.Line+1), NotifyingGovernment: gov,
			Entry: cl.Entries[0].ID, ItemDescription: lineDescription(app, la.Line, cl), EndUser: endUser,
			Consignee: consignee, Destination: app.Destination, Date: now.Format(time.DateOnly), Reason: reason,
			Status: annex.DenialActive, Version: 1, ApplicationID: app.ID,
		})
	}
	return out
}

// lineDescription describes a goods line: its name and kind.
func lineDescription(app *annex.Application, line int, cl *annex.Classification) string {
	name, kind := cl.Name, cl.Kind
	if line >= 0 && line < len(app.Items) {
		name, kind = app.Items[line].Name, app.Items[line].Kind
	}
	if name == "" {
		return kind
	}
	return name + " (" + kind + ")"
}

// consultPartners is the hook of ApplicationService.submit. For each
// partner's denial in force that a no-undercut reason of the assessment
// names (by its ID, in the reason's detail), it opens a consultation of the
// notifying government, due in annex.ConsultationDays, and sends the
// request ("consultation.request"): the case cannot be approved until the
// partner answers or the consultation lapses.
func (s *ApplicationService) consultPartners(ctx context.Context, tx *Tx, step *caseStep) error {
	app := step.app
	if app.Assessment == nil {
		return nil
	}
	var reasons []annex.Reason
	for _, r := range app.Assessment.Reasons {
		if r.Rule == undercutRule {
			reasons = append(reasons, r)
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	day := tx.now.Format(time.DateOnly)
	// Only denials dated in the last three years can be in force;
	// InForce decides.
	since := tx.now.AddDate(-annex.DenialReviewYears, 0, -1).Format(time.DateOnly)
	denials, _, err := findDenials(ctx, tx, []string{"own = ?", "status = ?", "date >= ?"},
		[]any{false, string(annex.DenialActive), since}, 0, 0)
	if err != nil {
		return err
	}
	gov, seen := s.government(), map[string]bool{}
	// A denial already consulted on for this case is not asked again.
	for _, c := range app.Consultations {
		seen[c.DenialID] = true
	}
	var requested []string
	for _, r := range reasons {
		for _, d := range denials {
			if seen[d.ID] || !d.InForce(day) || !mentions(r.Detail, d.ID) {
				continue
			}
			seen[d.ID] = true
			id, err := requestConsultation(ctx, tx, gov, app, d, r)
			if err != nil {
				return err
			}
			requested = append(requested, id)
		}
	}
	if len(requested) > 0 {
		step.detail["consultations"] = requested
	}
	return nil
}

// mentions reports whether text names id as a whole word: not as a part of
// a longer ID ("DE-1" is not named by "DE-12").
func mentions(text, id string) bool {
	part := func(b byte) bool {
		return b == '-' || b == '_' || '0' <= b && b <= '9' || 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z'
	}
	for i := 0; id != ""; {
		j := strings.Index(text[i:], id)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(id)
		if (start == 0 || !part(text[start-1])) && (end == len(text) || !part(text[end])) {
			return true
		}
		i = start + 1
	}
	return false
}

// requestConsultation opens the consultation of a partner on its denial
// for the application and the reason that matched it, sends the request
// and audits "consultation.request". It returns the request ID.
func requestConsultation(ctx context.Context, tx *Tx, gov string, app *annex.Application, d *annex.Denial, r annex.Reason) (string, error) {
	msg := &annex.ConsultationMessage{DenialID: d.ID, Entry: d.Entry, Destination: app.Destination,
		DueAt: tx.now.AddDate(0, 0, annex.ConsultationDays)}
	if r.Line != nil && *r.Line >= 0 && *r.Line < len(app.Assessment.Lines) {
		if cl := app.Assessment.Lines[*r.Line].Classification; cl != nil {
			for _, m := range cl.Entries {
				if d.CoversEntry(m.ID) {
					msg.Entry = m.ID
					break
				}
			}
		}
	}
	for i, p := range app.Parties {
		if (r.Party != nil && *r.Party == i) || (r.Party == nil && p.Role == annex.RoleEndUser) {
			msg.EndUser = p.Name
			break
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO consultations (direction, application_id, denial_id, partner, entry,
			end_user, destination, status, requested_at, due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		directionOutgoing, app.ID, d.ID, d.NotifyingGovernment, msg.Entry, msg.EndUser, msg.Destination,
		string(annex.ConsultationOpen), tx.db.timeArg(tx.now), tx.db.timeArg(msg.DueAt)).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("insert consultation: %w", err)
	}
	msg.RequestID = gov + "-C-" + strconv.FormatInt(id, 10)
	if _, err := tx.ExecContext(ctx, `UPDATE consultations SET request_id = ? WHERE id = ?`, msg.RequestID, id); err != nil {
		return "", fmt.Errorf("name consultation %d: %w", id, err)
	}
	seq, err := insertOutbox(ctx, tx, &annex.Notification{Kind: annex.NotifyConsultationRequest, From: gov,
		To: d.NotifyingGovernment, Consultation: msg})
	if err != nil {
		return "", err
	}
	return msg.RequestID, appendAudit(ctx, tx, auditRecord{action: "consultation.request", subject: consultationSubject(id),
		detail: map[string]any{"application_id": app.ID, "request_id": msg.RequestID, "denial_id": d.ID,
			"partner": d.NotifyingGovernment, "entry": msg.Entry, "due_at": msg.DueAt, "sequence": seq}})
}

// consultationColumns are the columns of an annex.Consultation, the
// application first (see caseWorkQuery).
const consultationColumns = `application_id, id, denial_id, partner, COALESCE(request_id, ''), entry, end_user,
	destination, status, requested_at, due_at, answer, objects, answered_at`

// scanConsultation scans the consultationColumns of a row.
func scanConsultation(row interface{ Scan(...any) error }, c *annex.Consultation) error {
	var appID sql.NullInt64
	err := row.Scan(&appID, &c.ID, &c.DenialID, &c.Partner, &c.RequestID, &c.Entry, &c.EndUser, &c.Destination,
		&c.Status, scanTime(&c.RequestedAt), scanTime(&c.DueAt), &c.Answer, &c.Objects, scanTime(&c.AnsweredAt))
	c.ApplicationID = appID.Int64
	return err
}

// consultationsQuery loads an application's consultations of partners with
// its case work. Only outgoing consultations have an application.
var consultationsQuery = caseWorkQuery{"consultations", `SELECT ` + consultationColumns + ` FROM consultations`,
	func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var c annex.Consultation
		err := scanConsultation(rows, &c)
		return c.ApplicationID, func(app *annex.Application) { app.Consultations = append(app.Consultations, c) }, err
	}}

// findConsultations returns the consultations matching the condition, by
// ID.
func findConsultations(ctx context.Context, tx *Tx, where string, args ...any) ([]*annex.Consultation, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+consultationColumns+` FROM consultations WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find consultations: %w", err)
	}
	defer rows.Close()
	cs := make([]*annex.Consultation, 0)
	for rows.Next() {
		var c annex.Consultation
		if err := scanConsultation(rows, &c); err != nil {
			return nil, fmt.Errorf("scan consultation: %w", err)
		}
		cs = append(cs, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find consultations: %w", err)
	}
	return cs, nil
}

// Outbox returns this government's notifications with a sequence after
// after, in order, at most limit of them (no limit when limit <= 0): the
// feed its partners pull, without keys or signatures, which the server
// adds. It is for the system and administrators.
func (s *DenialService) Outbox(ctx context.Context, after int64, limit int) (ns []annex.Notification, err error) {
	err = s.run(ctx, denialExchange, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT sequence, payload FROM exchange_outbox WHERE sequence > ?
			ORDER BY sequence `+tx.db.limitOffset(limit, 0), after)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		defer rows.Close()
		ns = make([]annex.Notification, 0)
		for rows.Next() {
			var seq int64
			var payload string
			if err := rows.Scan(&seq, &payload); err != nil {
				return fmt.Errorf("scan outbox: %w", err)
			}
			var n annex.Notification
			if err := json.Unmarshal([]byte(payload), &n); err != nil {
				return fmt.Errorf("decode outbox notification %d: %w", seq, err)
			}
			n.Sequence = seq
			ns = append(ns, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return ns, nil
}

// LastSequence returns the sequence of the last notification received
// signed by the key, zero when none was. It is for the system and
// administrators.
func (s *DenialService) LastSequence(ctx context.Context, keyID string) (seq int64, err error) {
	err = s.run(ctx, denialExchange, func(tx *Tx) error {
		seq, err = lastSequence(ctx, tx, keyID)
		return err
	})
	if err != nil {
		return 0, err
	}
	return seq, nil
}

func lastSequence(ctx context.Context, tx *Tx, keyID string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT last_sequence FROM exchange_seen WHERE key_id = ?`, keyID).Scan(&seq)
	if err != nil && !isNoRows(err) {
		return 0, fmt.Errorf("last sequence of key %s: %w", keyID, err)
	}
	return seq, nil
}

// Receive stores, in one transaction, the notifications of a partner's
// feed that the exchange accepted: signed by the key keyID of the
// government, pulled from feed. Notifications are taken in sequence order,
// and those not after the last sequence held for the key are skipped as
// duplicates or replays. Each newer one is applied:
//
//   - "denial" stores the partner's denial, unless its ID is held already;
//   - "denial.amend" and "denial.revoke" replace the partner's denial with
//     the one carried, if that is a newer version of a denial of the same
//     government (a denial not held yet is stored as it now stands);
//   - "consultation.request" addressed to this government stores an
//     incoming consultation, unless its request ID is held already;
//   - "consultation.answer" addressed to this government answers the open
//     consultation of that government with the request ID.
//
// and audited as "exchange.receive"; one that cannot be applied (another
// government's, addressed to another partner, invalid, stale or a
// duplicate) is audited as "exchange.ignore" with why. Either way the
// key's last sequence advances. Receive returns how many were applied. It
// is for the system and administrators.
func (s *DenialService) Receive(ctx context.Context, feed, keyID, government string, ns []annex.Notification) (applied int, err error) {
	err = s.run(ctx, denialExchange, func(tx *Tx) error {
		gov, err := s.government()
		if err != nil {
			return err
		}
		in := &inbound{feed: strings.TrimSpace(feed), keyID: strings.TrimSpace(keyID),
			from: strings.ToUpper(strings.TrimSpace(government)), to: gov}
		if in.keyID == "" || !isCountryCode(in.from) {
			return annex.Errorf(annex.EINVALID, "a key ID and the government's ISO 3166-1 alpha-2 code are required")
		}
		if err := lockExchange(ctx, tx); err != nil {
			return err
		}
		last, err := lastSequence(ctx, tx, in.keyID)
		if err != nil {
			return err
		}
		start := last
		for _, n := range slices.SortedStableFunc(slices.Values(ns), func(a, b annex.Notification) int {
			return cmp.Compare(a.Sequence, b.Sequence)
		}) {
			if n.Sequence <= last {
				continue
			}
			last = n.Sequence
			ok, err := in.receive(ctx, tx, &n)
			if err != nil {
				return err
			} else if ok {
				applied++
			}
		}
		if last == start {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO exchange_seen (key_id, government, feed, last_sequence, updated_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (key_id) DO UPDATE SET government = excluded.government, feed = excluded.feed,
				last_sequence = excluded.last_sequence, updated_at = excluded.updated_at`,
			in.keyID, in.from, in.feed, last, tx.db.timeArg(tx.now))
		if err != nil {
			return fmt.Errorf("record last sequence of key %s: %w", in.keyID, err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return applied, nil
}

// inbound is a batch of notifications being received.
type inbound struct {
	feed, keyID string
	from        string // the government of the key
	to          string // this government
}

// receive applies one notification and audits it. It reports whether the
// notification was applied; one that was not is audited with why.
func (in *inbound) receive(ctx context.Context, tx *Tx, n *annex.Notification) (bool, error) {
	subject, why, err := in.apply(ctx, tx, n)
	if err != nil {
		return false, err
	}
	detail := map[string]any{"kind": n.Kind, "from": n.From, "sequence": n.Sequence, "key": in.keyID, "feed": in.feed}
	action := "exchange.receive"
	if why != "" {
		action, detail["why"] = "exchange.ignore", why
	}
	if subject == "" {
		subject = "exchange:" + in.keyID
	}
	return why == "", appendAudit(ctx, tx, auditRecord{action: action, subject: subject, detail: detail})
}

// apply applies a notification and returns the audit subject of what it
// changed, or why it was not applied.
func (in *inbound) apply(ctx context.Context, tx *Tx, n *annex.Notification) (subject, why string, err error) {
	if n.From != in.from {
		return "", fmt.Sprintf("sent as %s under a key of %s", n.From, in.from), nil
	}
	switch n.Kind {
	case annex.NotifyDenial, annex.NotifyDenialAmend, annex.NotifyDenialRevoke:
		if n.Denial == nil {
			return "", "no denial", nil
		}
		d := *n.Denial
		subject = denialSubject(d.ID)
		why, err = in.applyDenial(ctx, tx, n, &d)
		return subject, why, err
	case annex.NotifyConsultationRequest, annex.NotifyConsultationAnswer:
		c := n.Consultation
		if n.To != in.to {
			return "", "addressed to " + n.To, nil
		} else if c == nil || c.RequestID == "" || (n.Kind == annex.NotifyConsultationRequest && c.DenialID == "") {
			return "", "no request ID or denial", nil
		}
		if n.Kind == annex.NotifyConsultationRequest {
			return in.applyRequest(ctx, tx, n)
		}
		return in.applyAnswer(ctx, tx, c)
	}
	return "", "unknown kind " + string(n.Kind), nil
}

// applyDenial stores a partner's denial, new, amended or revoked.
func (in *inbound) applyDenial(ctx context.Context, tx *Tx, n *annex.Notification, d *annex.Denial) (string, error) {
	if d.NotifyingGovernment != in.from {
		return fmt.Sprintf("a denial notified by %s, not %s", d.NotifyingGovernment, in.from), nil
	}
	if n.Kind == annex.NotifyDenialRevoke {
		d.Status = annex.DenialRevoked
		if d.RevokedOn == "" {
			d.RevokedOn = n.IssuedAt.UTC().Format(time.DateOnly)
		}
	}
	if d.Status == "" {
		d.Status = annex.DenialActive
	}
	d.Version = max(d.Version, 1)
	if err := d.Validate(); err != nil {
		return "invalid denial: " + annex.ErrorMessage(err) + fieldList(err), nil
	}
	d.ApplicationID = 0
	d.Received = &annex.Receipt{KeyID: in.keyID, Feed: in.feed, Sequence: n.Sequence, ReceivedAt: tx.now}
	if err := lockDenial(ctx, tx, d.ID); err != nil {
		return "", err
	}
	held, err := findDenialByID(ctx, tx, d.ID)
	switch {
	case annex.ErrorCode(err) == annex.ENOTFOUND:
		return "", insertDenial(ctx, tx, d)
	case err != nil:
		return "", err
	case n.Kind == annex.NotifyDenial:
		return "denial " + d.ID + " is held already", nil
	case held.Received == nil || held.NotifyingGovernment != in.from:
		return "denial " + d.ID + " is " + held.NotifyingGovernment + "'s", nil
	case d.Version <= held.Version:
		return fmt.Sprintf("version %d of denial %s is not newer than version %d held", d.Version, d.ID, held.Version), nil
	}
	return "", updateDenial(ctx, tx, d)
}

// fieldList returns the fields an EINVALID error names, as " (a, b)".
func fieldList(err error) string {
	var names []string
	for _, f := range annex.ErrorFields(err) {
		names = append(names, f.Field)
	}
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, ", ") + ")"
}

// applyRequest stores a partner's consultation of this government.
func (in *inbound) applyRequest(ctx context.Context, tx *Tx, n *annex.Notification) (subject, why string, err error) {
	c := n.Consultation
	var held int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM consultations WHERE request_id = ?`, c.RequestID).Scan(&held); err != nil {
		return "", "", fmt.Errorf("find consultation %s: %w", c.RequestID, err)
	} else if held > 0 {
		return "", "consultation " + c.RequestID + " is held already", nil
	}
	requested := n.IssuedAt.UTC()
	if requested.IsZero() {
		requested = tx.now
	}
	due := c.DueAt.UTC()
	if due.IsZero() {
		due = requested.AddDate(0, 0, annex.ConsultationDays)
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO consultations (direction, request_id, denial_id, partner, entry,
			end_user, destination, status, requested_at, due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		directionIncoming, c.RequestID, c.DenialID, in.from, c.Entry, c.EndUser, strings.ToUpper(c.Destination),
		string(annex.ConsultationOpen), tx.db.timeArg(requested), tx.db.timeArg(due)).Scan(&id)
	if err != nil {
		return "", "", fmt.Errorf("insert consultation %s: %w", c.RequestID, err)
	}
	return consultationSubject(id), "", nil
}

// applyAnswer records a partner's answer to a consultation this
// government asked it.
func (in *inbound) applyAnswer(ctx context.Context, tx *Tx, c *annex.ConsultationMessage) (subject, why string, err error) {
	var id int64
	var status string
	err = tx.QueryRowContext(ctx, `SELECT id, status FROM consultations
		WHERE request_id = ? AND direction = ? AND partner = ?`, c.RequestID, directionOutgoing, in.from).Scan(&id, &status)
	if isNoRows(err) {
		return "", "no consultation " + c.RequestID + " of " + in.from, nil
	} else if err != nil {
		return "", "", fmt.Errorf("find consultation %s: %w", c.RequestID, err)
	} else if status != string(annex.ConsultationOpen) {
		return consultationSubject(id), "consultation " + c.RequestID + " is " + status, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE consultations SET status = ?, answer = ?, objects = ?, answered_at = ?
		WHERE id = ?`, string(annex.ConsultationAnswered), strings.TrimSpace(c.Answer), c.Objects,
		tx.db.timeArg(tx.now), id); err != nil {
		return "", "", fmt.Errorf("answer consultation %s: %w", c.RequestID, err)
	}
	return consultationSubject(id), "", nil
}
