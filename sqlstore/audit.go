package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"annex"
)

// auditLockID is the key of the PostgreSQL advisory lock that serializes
// writers of the audit chain. The number is arbitrary but fixed.
const auditLockID int64 = 0x616e6e65780002 // "annex" 0002

// AuditService implements annex.AuditService. Events are written by the
// other services of this package, in the transaction of the change.
type AuditService struct {
	db *DB
}

var _ annex.AuditService = (*AuditService)(nil)

// NewAuditService returns an AuditService for db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// FindAuditEvents returns events, oldest first, and how many match in all.
func (s *AuditService) FindAuditEvents(ctx context.Context, filter annex.AuditFilter) ([]*annex.AuditEvent, int, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	events, n, err := findAuditEvents(ctx, tx, filter)
	if err != nil {
		return nil, 0, err
	}
	return events, n, tx.Commit()
}

// VerifyAudit walks the whole chain in ID order and reports the first event
// whose link to the event before it or whose own hash is wrong. It cannot
// notice events removed from the end of the chain.
func (s *AuditService) VerifyAudit(ctx context.Context) (*annex.AuditVerification, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	v, err := verifyAudit(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	return v, tx.Commit()
}

const auditColumns = `id, time, actor_id, actor, action, subject, detail, prev_hash, hash`

// scanAuditEvent scans the auditColumns of a row.
func scanAuditEvent(row interface{ Scan(...any) error }, e *annex.AuditEvent, extra ...any) error {
	dest := []any{&e.ID, scanTime(&e.Time), &e.ActorID, &e.Actor, &e.Action, &e.Subject, &e.Detail, &e.PrevHash, &e.Hash}
	return row.Scan(append(dest, extra...)...)
}

func findAuditEvents(ctx context.Context, tx *Tx, filter annex.AuditFilter) (_ []*annex.AuditEvent, n int, err error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := filter.Subject; v != nil {
		where, args = append(where, "subject = ?"), append(args, *v)
	}
	if v := filter.Action; v != nil {
		where, args = append(where, "action = ?"), append(args, *v)
	}

	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+`, COUNT(*) OVER()
		FROM audit_events
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id `+tx.db.limitOffset(filter.Limit, filter.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit events: %w", err)
	}
	defer rows.Close()

	events := make([]*annex.AuditEvent, 0)
	for rows.Next() {
		var e annex.AuditEvent
		if err := scanAuditEvent(rows, &e, &n); err != nil {
			return nil, 0, fmt.Errorf("scan audit event: %w", err)
		}
		events = append(events, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find audit events: %w", err)
	}
	return events, n, nil
}

func verifyAudit(ctx context.Context, tx *Tx) (*annex.AuditVerification, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	v := &annex.AuditVerification{OK: true}
	prevHash := ""
	for rows.Next() {
		var e annex.AuditEvent
		if err := scanAuditEvent(rows, &e); err != nil {
			return nil, err
		}
		v.Events++
		if v.OK {
			if e.PrevHash != prevHash {
				v.OK, v.BrokenAt, v.Problem = false, e.ID, "prev_hash does not match the hash of the event before it"
			} else if auditHash(&e) != e.Hash {
				v.OK, v.BrokenAt, v.Problem = false, e.ID, "hash does not match the event's contents"
			}
		}
		prevHash = e.Hash
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

// auditHash returns the hex SHA-256 of the previous event's hash, a newline
// and the canonical encoding of the event: the JSON array of its ID, time
// (RFC 3339 in UTC, nanoseconds without trailing zeros), actor ID, actor,
// action, subject and detail.
func auditHash(e *annex.AuditEvent) string {
	canon, err := json.Marshal([]any{e.ID, e.Time.UTC().Format(time.RFC3339Nano),
		e.ActorID, e.Actor, e.Action, e.Subject, e.Detail})
	if err != nil {
		panic(err) // unreachable: only numbers and strings
	}
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write([]byte("\n"))
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil))
}

// auditRecord is a change to record in the audit trail.
type auditRecord struct {
	// actor did the change; nil means the user in the context, or the
	// system when there is none.
	actor   *annex.User
	action  string         // "noun.verb"
	subject string         // "type:id"
	detail  map[string]any // the facts; never secrets
}

// appendAudit adds the record to the end of the audit chain. It must run in
// the transaction of the change it records. On PostgreSQL a transaction-
// scoped advisory lock keeps concurrent writers from reading the same last
// event; on SQLite the immediate transaction already holds the write lock.
func appendAudit(ctx context.Context, tx *Tx, r auditRecord) error {
	detail, err := json.Marshal(r.detail)
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	} else if r.detail == nil {
		detail = []byte("{}")
	}
	e := &annex.AuditEvent{Time: tx.now, Actor: "system", Action: r.action, Subject: r.subject, Detail: string(detail)}
	actor := r.actor
	if actor == nil {
		actor = annex.UserFromContext(ctx)
	}
	if actor != nil {
		e.ActorID, e.Actor = actor.ID, actor.Username
	}

	if tx.db.dialect == DialectPostgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, auditLockID); err != nil {
			return fmt.Errorf("lock audit chain: %w", err)
		}
	}
	var lastID int64
	err = tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&lastID, &e.PrevHash)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("read audit chain: %w", err)
	}
	e.ID = lastID + 1
	e.Hash = auditHash(e)

	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_events (`+auditColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, tx.db.timeArg(e.Time), e.ActorID, e.Actor, e.Action, e.Subject, e.Detail, e.PrevHash, e.Hash,
	); err != nil {
		return fmt.Errorf("insert audit event: %w", err)
	}
	return nil
}
