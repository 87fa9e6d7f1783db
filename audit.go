package annex

import (
	"context"
	"time"
)

// AuditEvent records one change of state. Events are append-only and
// hash-chained: each event's Hash covers its own fields and the Hash of the
// event before it, so any edit or deletion breaks the chain from that point.
type AuditEvent struct {
	ID   int64     `json:"id"`
	Time time.Time `json:"time"`
	// ActorID is the user who caused the change; zero for the system itself.
	ActorID int64 `json:"actor_id"`
	// Actor is the actor's username at the time, or "system".
	Actor string `json:"actor"`
	// Action names what happened, as "noun.verb": "user.create".
	Action string `json:"action"`
	// Subject names what it happened to, as "type:id": "user:3".
	Subject string `json:"subject"`
	// Detail is a JSON object with the facts of the change.
	Detail   string `json:"detail"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// AuditFilter selects audit events. Nil fields are not filtered on.
type AuditFilter struct {
	Subject *string
	Action  *string
	Offset  int
	Limit   int
}

// AuditVerification is the result of checking the audit hash chain.
type AuditVerification struct {
	// Events is how many events were checked.
	Events int `json:"events"`
	// OK is true when every link holds.
	OK bool `json:"ok"`
	// BrokenAt is the ID of the first event whose hash or link is wrong.
	BrokenAt int64 `json:"broken_at,omitempty"`
	// Problem says what is wrong with that event.
	Problem string `json:"problem,omitempty"`
}

// AuditService reads and verifies the audit trail. Events are written by the
// other services, in the same transaction as the change they record.
type AuditService interface {
	// FindAuditEvents returns events, oldest first, and how many match in all.
	FindAuditEvents(ctx context.Context, filter AuditFilter) ([]*AuditEvent, int, error)
	// VerifyAudit walks the whole chain and reports the first broken link.
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
}
