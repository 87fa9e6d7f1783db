package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

func TestPartyService_Adjudicate(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		advance := SetClock(db, testTime)
		s := sqlstore.NewPartyService(db)
		officer := MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
		officerCtx := annex.NewContextWithUser(ctx, officer)
		p := MustCreateParty(t, ctx, db, annex.Party{Name: "Acme Trading Co"})
		other := MustCreateParty(t, ctx, db, annex.Party{Name: "Other Trading Co"})
		alerts := MustCreateAlerts(t, ctx, db,
			testAlert(p, "un-1", "h1"),     // the pair and hash adjudicated below
			testAlert(p, "un-1", "h0"),     // the same pair, the entity as it was before
			testAlert(p, "un-2", "h1"),     // another entity
			testAlert(other, "un-1", "h1"), // another party
		)
		advance(time.Hour)

		a := &annex.Adjudication{PartyID: p.ID, Source: annex.SourceUN, SourceID: "un-1", EntityHash: "h1",
			Decision: annex.DecisionDismiss, Reason: "  different date of birth  "}
		if err := s.Adjudicate(officerCtx, a); err != nil {
			t.Fatalf("Adjudicate: %v", err)
		}
		want := &annex.Adjudication{ID: a.ID, PartyID: p.ID, Source: annex.SourceUN, SourceID: "un-1", EntityHash: "h1",
			Decision: annex.DecisionDismiss, Reason: "different date of birth", UserID: officer.ID, Username: "officer",
			CreatedAt: testTimeStored.Add(time.Hour)}
		if a.ID == 0 {
			t.Fatalf("ID=%d, want non-zero", a.ID)
		} else if diff := cmp.Diff(want, a); diff != "" {
			t.Fatalf("adjudication (-want +got):\n%s", diff)
		}
		if got, n, err := s.FindAdjudications(ctx, annex.AdjudicationFilter{}); err != nil {
			t.Fatalf("FindAdjudications: %v", err)
		} else if diff := cmp.Diff([]*annex.Adjudication{want}, got); diff != "" || n != 1 {
			t.Fatalf("FindAdjudications total=%d (-want +got):\n%s", n, diff)
		}

		// Only the open alert of the same party, entity and hash is closed.
		got, _, err := s.FindAlerts(ctx, annex.AlertFilter{})
		if err != nil {
			t.Fatalf("FindAlerts: %v", err)
		}
		status := make(map[int64]annex.AlertStatus)
		for _, al := range got {
			status[al.ID] = al.Status
		}
		wantStatus := map[int64]annex.AlertStatus{alerts[0].ID: annex.AlertDismissed, alerts[1].ID: annex.AlertOpen,
			alerts[2].ID: annex.AlertOpen, alerts[3].ID: annex.AlertOpen}
		if diff := cmp.Diff(wantStatus, status); diff != "" {
			t.Fatalf("alert statuses (-want +got):\n%s", diff)
		}
		resolved, err := db.QueryStringForTest(ctx, `SELECT COUNT(*) FROM alerts WHERE resolved_at IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		} else if resolved != "1" {
			t.Fatalf("resolved alerts=%s, want 1", resolved)
		}

		// Confirming the entity as it was closes the other alert of the pair
		// as confirmed; deciding again closes nothing.
		for _, hash := range []string{"h0", "h0"} {
			if err := s.Adjudicate(officerCtx, &annex.Adjudication{PartyID: p.ID, Source: annex.SourceUN, SourceID: "un-1",
				EntityHash: hash, Decision: annex.DecisionConfirm, Reason: "same passport number"}); err != nil {
				t.Fatalf("Adjudicate: %v", err)
			}
		}
		if got, _, err := s.FindAlerts(ctx, annex.AlertFilter{Status: new(annex.AlertConfirmed)}); err != nil {
			t.Fatalf("FindAlerts: %v", err)
		} else if diff := cmp.Diff([]int64{alerts[1].ID}, alertIDs(got)); diff != "" {
			t.Fatalf("confirmed alerts (-want +got):\n%s", diff)
		}

		events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(ctx, annex.AuditFilter{Action: new("adjudication.create")})
		if err != nil {
			t.Fatalf("FindAuditEvents: %v", err)
		} else if len(events) != 3 {
			t.Fatalf("adjudication.create events=%d, want 3", len(events))
		}
		wantDetails := []map[string]any{
			{"party_id": float64(p.ID), "source": "un", "source_id": "un-1", "entity_hash": "h1", "decision": "dismiss",
				"reason": "different date of birth", "alerts_closed": []any{float64(alerts[0].ID)}},
			{"party_id": float64(p.ID), "source": "un", "source_id": "un-1", "entity_hash": "h0", "decision": "confirm",
				"reason": "same passport number", "alerts_closed": []any{float64(alerts[1].ID)}},
			{"party_id": float64(p.ID), "source": "un", "source_id": "un-1", "entity_hash": "h0", "decision": "confirm",
				"reason": "same passport number", "alerts_closed": []any{}},
		}
		for i, e := range events {
			if e.Actor != "officer" || e.Subject != fmt.Sprintf("adjudication:%d", a.ID+int64(i)) {
				t.Errorf("event %d: Actor=%q Subject=%q, want officer and adjudication:%d", e.ID, e.Actor, e.Subject, a.ID+int64(i))
			}
			if diff := cmp.Diff(wantDetails[i], decodeDetail(t, e)); diff != "" {
				t.Errorf("event %d detail (-want +got):\n%s", e.ID, diff)
			}
		}
		MustVerifyAudit(t, ctx, db)
	})
}

func TestPartyService_Adjudicate_errors(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewPartyService(db)
		officer := MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
		officerCtx := annex.NewContextWithUser(ctx, officer)
		p := MustCreateParty(t, ctx, db, annex.Party{Name: "Acme Trading Co"})
		alert := MustCreateAlerts(t, ctx, db, testAlert(p, "un-1", "h1"))[0]
		valid := func() *annex.Adjudication {
			return &annex.Adjudication{PartyID: p.ID, Source: annex.SourceUN, SourceID: "un-1", EntityHash: "h1",
				Decision: annex.DecisionConfirm, Reason: "same passport number"}
		}
		failing := valid()
		failing.Reason = "forced-failure" // fails at its audit event, after closing the alert
		MustFailAudit(t, db, failing.Reason)

		tests := []struct {
			name   string
			ctx    context.Context
			adj    *annex.Adjudication
			code   string
			fields []string
		}{
			{"nil", officerCtx, nil, annex.EINVALID, nil},
			{"empty", officerCtx, &annex.Adjudication{}, annex.EINVALID, []string{"party_id", "source", "source_id", "decision", "reason"}},
			{"no reason", officerCtx, &annex.Adjudication{PartyID: p.ID, Source: annex.SourceUN, SourceID: "un-1",
				Decision: "maybe", Reason: " ok "}, annex.EINVALID, []string{"decision", "reason"}},
			{"no user", ctx, valid(), annex.EUNAUTHORIZED, nil},
			{"unknown party", officerCtx, &annex.Adjudication{PartyID: p.ID + 100, Source: annex.SourceUN, SourceID: "un-1",
				Decision: annex.DecisionConfirm, Reason: "same passport"}, annex.ENOTFOUND, nil},
			{"audit fails", officerCtx, failing, annex.EINTERNAL, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.Adjudicate(tt.ctx, tt.adj)
				if code := annex.ErrorCode(err); code != tt.code {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, tt.code)
				}
				var got []string
				for _, f := range annex.ErrorFields(err) {
					got = append(got, f.Field)
				}
				if diff := cmp.Diff(tt.fields, got); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
			})
		}
		if _, n, err := s.FindAdjudications(ctx, annex.AdjudicationFilter{}); err != nil {
			t.Fatalf("FindAdjudications: %v", err)
		} else if n != 0 {
			t.Fatalf("adjudications stored=%d, want 0", n)
		}
		// Nothing failed half-way: the alert is still open.
		if got, _, err := s.FindAlerts(ctx, annex.AlertFilter{Status: new(annex.AlertOpen)}); err != nil {
			t.Fatalf("FindAlerts: %v", err)
		} else if diff := cmp.Diff([]int64{alert.ID}, alertIDs(got)); diff != "" {
			t.Fatalf("open alerts (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

func TestPartyService_FindAdjudications(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewPartyService(db)
		officerCtx := annex.NewContextWithUser(ctx,
			MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword))
		p1 := MustCreateParty(t, ctx, db, annex.Party{Name: "First Party"})
		p2 := MustCreateParty(t, ctx, db, annex.Party{Name: "Second Party"})
		var ids []int64
		for _, p := range []*annex.Party{p1, p2, p1} {
			a := &annex.Adjudication{PartyID: p.ID, Source: annex.SourceOFACSDN, SourceID: "123", EntityHash: "h",
				Decision: annex.DecisionDismiss, Reason: "other country"}
			if err := s.Adjudicate(officerCtx, a); err != nil {
				t.Fatalf("Adjudicate: %v", err)
			}
			ids = append(ids, a.ID)
		}

		tests := []struct {
			name   string
			filter annex.AdjudicationFilter
			want   []int64
			total  int
		}{
			{"all, newest first", annex.AdjudicationFilter{}, []int64{ids[2], ids[1], ids[0]}, 3},
			{"by party", annex.AdjudicationFilter{PartyID: &p1.ID}, []int64{ids[2], ids[0]}, 2},
			{"limit", annex.AdjudicationFilter{Limit: 1}, []int64{ids[2]}, 3},
			{"offset", annex.AdjudicationFilter{Offset: 2}, []int64{ids[0]}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				adjs, total, err := s.FindAdjudications(ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindAdjudications: %v", err)
				}
				var got []int64
				for _, a := range adjs {
					got = append(got, a.ID)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("IDs (-want +got):\n%s", diff)
				}
				if total != tt.total {
					t.Errorf("total=%d, want %d", total, tt.total)
				}
			})
		}
	})
}
