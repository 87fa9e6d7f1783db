package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"annex"
)

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
