package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// auditSummary is the part of an audit event that tests compare.
type auditSummary struct {
	ActorID int64
	Actor   string
	Action  string
	Subject string
}

func summarize(events []*annex.AuditEvent) []auditSummary {
	var out []auditSummary
	for _, e := range events {
		out = append(out, auditSummary{e.ActorID, e.Actor, e.Action, e.Subject})
	}
	return out
}

func TestAuditService_events(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		SetClock(db, testTime)
		users, sessions, audit := NewUserService(db), sqlstore.NewSessionService(db), sqlstore.NewAuditService(db)

		admin := MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword)
		adminCtx := annex.NewContextWithUser(ctx, admin)
		// jdoe has a department, which the stored user must keep, so that
		// becoming a reviewer validates.
		jdoe := MustCreateUser(t, adminCtx, db, annex.User{Username: "jdoe", Role: annex.RoleAnalyst,
			Department: annex.DeptDefence}, testPassword)
		if _, err := users.UpdateUser(adminCtx, jdoe.ID, annex.UserUpdate{Role: new(annex.RoleReviewer)}); err != nil {
			t.Fatalf("UpdateUser: %v", err)
		}
		if err := users.SetPassword(adminCtx, jdoe.ID, "another long password"); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		sess, err := sessions.CreateSession(ctx, jdoe.ID, time.Hour) // signing in: no user in ctx
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		if err := sessions.DeleteSession(ctx, sess.Token); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}

		events, total, err := audit.FindAuditEvents(ctx, annex.AuditFilter{})
		if err != nil {
			t.Fatalf("FindAuditEvents: %v", err)
		}
		jdoeSubject := fmt.Sprintf("user:%d", jdoe.ID)
		want := []auditSummary{
			{0, "system", "user.create", fmt.Sprintf("user:%d", admin.ID)},
			{admin.ID, "admin", "user.create", jdoeSubject},
			{admin.ID, "admin", "user.update", jdoeSubject},
			{admin.ID, "admin", "user.set_password", jdoeSubject},
			{jdoe.ID, "jdoe", "session.create", jdoeSubject},
			{jdoe.ID, "jdoe", "session.delete", jdoeSubject},
		}
		if diff := cmp.Diff(want, summarize(events)); diff != "" {
			t.Fatalf("events (-want +got):\n%s", diff)
		}
		if total != len(want) {
			t.Fatalf("total=%d, want %d", total, len(want))
		}

		checkEvents(t, events, testTimeStored, testPassword, "another long password", "argon2id", sess.Token)
		if diff := cmp.Diff(`{"role":{"new":"reviewer","old":"analyst"}}`, events[2].Detail); diff != "" {
			t.Errorf("user.update detail (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// checkEvents checks that events form a chain with IDs from 1, all at time
// at, with JSON object details that contain none of the secrets.
func checkEvents(t *testing.T, events []*annex.AuditEvent, at time.Time, secrets ...string) {
	t.Helper()
	prev := ""
	for i, e := range events {
		if e.ID != int64(i+1) {
			t.Errorf("event %d: ID=%d, want %d", i, e.ID, i+1)
		}
		if !e.Time.Equal(at) {
			t.Errorf("event %d: Time=%v, want %v", e.ID, e.Time, at)
		}
		if e.PrevHash != prev {
			t.Errorf("event %d: PrevHash=%q, want %q", e.ID, e.PrevHash, prev)
		}
		prev = e.Hash
		var detail map[string]any
		if err := json.Unmarshal([]byte(e.Detail), &detail); err != nil {
			t.Errorf("event %d: Detail=%q is not a JSON object: %v", e.ID, e.Detail, err)
		}
		for _, secret := range secrets {
			if strings.Contains(e.Detail, secret) {
				t.Errorf("event %d: Detail=%q contains %q", e.ID, e.Detail, secret)
			}
		}
	}
}

func TestAuditService_FindAuditEvents(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		audit := sqlstore.NewAuditService(db)
		users := NewUserService(db)
		a := MustCreateUser(t, ctx, db, annex.User{Username: "alice", Role: annex.RoleAnalyst}, testPassword)
		MustCreateUser(t, ctx, db, annex.User{Username: "bob", Role: annex.RoleAnalyst}, testPassword)
		if _, err := users.UpdateUser(ctx, a.ID, annex.UserUpdate{Name: new("Alice")}); err != nil {
			t.Fatalf("UpdateUser: %v", err)
		}

		tests := []struct {
			name    string
			filter  annex.AuditFilter
			actions []string
			total   int
		}{
			{"all", annex.AuditFilter{}, []string{"user.create", "user.create", "user.update"}, 3},
			{"by subject", annex.AuditFilter{Subject: new(fmt.Sprintf("user:%d", a.ID))}, []string{"user.create", "user.update"}, 2},
			{"by action", annex.AuditFilter{Action: new("user.update")}, []string{"user.update"}, 1},
			{"limit and offset", annex.AuditFilter{Offset: 1, Limit: 1}, []string{"user.create"}, 3},
			{"no match", annex.AuditFilter{Action: new("user.delete")}, nil, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				events, total, err := audit.FindAuditEvents(ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindAuditEvents: %v", err)
				}
				var got []string
				for _, e := range events {
					got = append(got, e.Action)
				}
				if diff := cmp.Diff(tt.actions, got); diff != "" {
					t.Errorf("actions (-want +got):\n%s", diff)
				}
				if total != tt.total {
					t.Errorf("total=%d, want %d", total, tt.total)
				}
			})
		}
	})
}

func TestAuditService_VerifyAudit_tampered(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		query    string
		args     []any
		brokenAt int64
	}{
		{"detail changed", `UPDATE audit_events SET detail = ? WHERE id = ?`, []any{`{"role":"admin"}`, 2}, 2},
		{"actor changed", `UPDATE audit_events SET actor = ? WHERE id = ?`, []any{"mallory", 3}, 3},
		{"time changed", `UPDATE audit_events SET time = ? WHERE id = ?`, []any{"2020-01-01T00:00:00Z", 1}, 1},
		{"hash recomputed badly", `UPDATE audit_events SET hash = ? WHERE id = ?`, []any{strings.Repeat("0", 64), 3}, 3},
		{"event deleted", `DELETE FROM audit_events WHERE id = ?`, []any{2}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
				ctx := t.Context()
				for _, name := range []string{"alice", "bob", "carol", "dave"} {
					MustCreateUser(t, ctx, db, annex.User{Username: name, Role: annex.RoleAnalyst}, testPassword)
				}
				MustVerifyAudit(t, ctx, db)

				if n, err := db.ExecForTest(ctx, tt.query, tt.args...); err != nil {
					t.Fatalf("tamper: %v", err)
				} else if n != 1 {
					t.Fatalf("tampered rows=%d, want 1", n)
				}
				v, err := sqlstore.NewAuditService(db).VerifyAudit(ctx)
				if err != nil {
					t.Fatalf("VerifyAudit: %v", err)
				}
				if v.OK || v.BrokenAt != tt.brokenAt {
					t.Fatalf("OK=%v BrokenAt=%d, want false and %d (%s)", v.OK, v.BrokenAt, tt.brokenAt, v.Problem)
				}
			})
		})
	}
}

func TestAuditService_concurrentWriters(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		const writers, perWriter = 8, 5
		users, sessions := NewUserService(db), sqlstore.NewSessionService(db)
		errs := make(chan error, writers*perWriter)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range perWriter {
					u := &annex.User{Username: fmt.Sprintf("user-%d-%d", w, i), Role: annex.RoleAnalyst}
					if err := users.CreateUser(ctx, u, testPassword); err != nil {
						errs <- fmt.Errorf("CreateUser(%s): %w", u.Username, err)
						continue
					}
					if _, err := sessions.CreateSession(ctx, u.ID, time.Hour); err != nil {
						errs <- fmt.Errorf("CreateSession(%d): %w", u.ID, err)
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n, want := MustVerifyAudit(t, ctx, db), 2*writers*perWriter; n != want {
			t.Fatalf("audit events=%d, want %d", n, want)
		}
	})
}
