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

// MustCreateAlerts stores the alerts as the user in ctx.
func MustCreateAlerts(tb testing.TB, ctx context.Context, db *sqlstore.DB, alerts ...*annex.Alert) []*annex.Alert {
	tb.Helper()
	if err := sqlstore.NewPartyService(db).CreateAlerts(ctx, alerts); err != nil {
		tb.Fatalf("CreateAlerts: %v", err)
	}
	return alerts
}

// testAlert returns an alert of the party for the listed entity.
func testAlert(p *annex.Party, sourceID, hash string) *annex.Alert {
	return &annex.Alert{PartyID: p.ID, PartyName: p.Name, Source: annex.SourceUN, SourceID: sourceID,
		EntityName: "Entity " + sourceID, EntityHash: hash, Score: 0.91}
}

// alertIDs returns the IDs of the alerts, in order.
func alertIDs(alerts []*annex.Alert) []int64 {
	var ids []int64
	for _, a := range alerts {
		ids = append(ids, a.ID)
	}
	return ids
}

// testMatch returns a screening match of the listed entity.
func testMatch(entity *annex.ListEntity, score float64, match bool) annex.ScreenMatch {
	return annex.ScreenMatch{Source: entity.Source, SourceID: entity.SourceID, Name: entity.PrimaryName(),
		MatchedName: entity.PrimaryName(), Score: score, Match: match, EntityHash: annex.EntityHash(entity)}
}

func TestPartyService_CreateAlerts_NewAlerts(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		advance := SetClock(db, testTime)
		s := sqlstore.NewPartyService(db)
		officer := MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
		officerCtx := annex.NewContextWithUser(ctx, officer)
		p := MustCreateParty(t, ctx, db, annex.Party{Name: "Mohammad Reza Ahmadi", Type: annex.EntityPerson})
		// Screening reads the entities back from the store: their hashes
		// must survive the round trip.
		MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceUN, "u1"), testEntities(annex.SourceUN, 3))
		_, lists, err := sqlstore.NewListStore(db).ActiveLists(ctx)
		if err != nil {
			t.Fatalf("ActiveLists: %v", err)
		}
		entities := lists[0]
		for i, e := range testEntities(annex.SourceUN, 3) {
			if got, want := annex.EntityHash(entities[i]), annex.EntityHash(e); got != want {
				t.Fatalf("EntityHash of stored entity %s=%s, want %s", e.SourceID, got, want)
			}
		}
		matches := []annex.ScreenMatch{testMatch(entities[0], 0.97, true), testMatch(entities[1], 0.88, true), testMatch(entities[2], 0.40, false)}

		// The first screening raises an alert for each match.
		alerts := annex.NewAlerts(p, matches, nil, nil)
		if len(alerts) != 2 {
			t.Fatalf("NewAlerts gave %d alerts, want 2", len(alerts))
		}
		if err := s.CreateAlerts(ctx, alerts); err != nil {
			t.Fatalf("CreateAlerts: %v", err)
		}
		want := []*annex.Alert{
			{ID: alerts[1].ID, PartyID: p.ID, PartyName: p.Name, Source: annex.SourceUN, SourceID: "un-2", EntityName: "Entity 2",
				EntityHash: annex.EntityHash(entities[1]), Score: 0.88, Status: annex.AlertOpen, CreatedAt: testTimeStored},
			{ID: alerts[0].ID, PartyID: p.ID, PartyName: p.Name, Source: annex.SourceUN, SourceID: "un-1", EntityName: "Mohammad Reza Ahmadi",
				EntityHash: annex.EntityHash(entities[0]), Score: 0.97, Status: annex.AlertOpen, CreatedAt: testTimeStored},
		}
		got, total, err := s.FindAlerts(ctx, annex.AlertFilter{PartyID: &p.ID})
		if err != nil {
			t.Fatalf("FindAlerts: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" || total != 2 {
			t.Fatalf("FindAlerts total=%d (-want +got):\n%s", total, diff)
		}

		// The same matches again raise nothing: the alerts are open.
		open, _, err := s.FindAlerts(ctx, annex.AlertFilter{PartyID: &p.ID, Status: new(annex.AlertOpen)})
		if err != nil {
			t.Fatalf("FindAlerts: %v", err)
		}
		if again := annex.NewAlerts(p, matches, nil, open); len(again) != 0 {
			t.Fatalf("NewAlerts with the alerts open gave %d, want 0", len(again))
		}

		// Once dismissed, the pair raises nothing while the entity stays as
		// it was, and raises a new alert once the list changes it.
		advance(time.Hour)
		if err := s.Adjudicate(officerCtx, &annex.Adjudication{PartyID: p.ID, Source: annex.SourceUN, SourceID: "un-1",
			EntityHash: annex.EntityHash(entities[0]), Decision: annex.DecisionDismiss, Reason: "different date of birth"}); err != nil {
			t.Fatalf("Adjudicate: %v", err)
		}
		decided, _, err := s.FindAdjudications(ctx, annex.AdjudicationFilter{PartyID: &p.ID})
		if err != nil {
			t.Fatalf("FindAdjudications: %v", err)
		}
		if open, _, err = s.FindAlerts(ctx, annex.AlertFilter{PartyID: &p.ID, Status: new(annex.AlertOpen)}); err != nil {
			t.Fatalf("FindAlerts: %v", err)
		}
		if again := annex.NewAlerts(p, matches, decided, open); len(again) != 0 {
			t.Fatalf("NewAlerts after the dismissal gave %d, want 0", len(again))
		}
		entities[0].Programs = append(entities[0].Programs, "NEW-PROGRAM")
		changed := annex.NewAlerts(p, []annex.ScreenMatch{testMatch(entities[0], 0.97, true), matches[1]}, decided, open)
		if err := s.CreateAlerts(ctx, changed); err != nil {
			t.Fatalf("CreateAlerts: %v", err)
		}
		if len(changed) != 1 || changed[0].SourceID != "un-1" || changed[0].EntityHash != annex.EntityHash(entities[0]) {
			t.Fatalf("NewAlerts after the change gave %+v, want one alert for the changed un-1", changed)
		}
		if got, _, err := s.FindAlerts(ctx, annex.AlertFilter{Status: new(annex.AlertOpen)}); err != nil {
			t.Fatalf("FindAlerts: %v", err)
		} else if diff := cmp.Diff([]int64{changed[0].ID, alerts[1].ID}, alertIDs(got)); diff != "" {
			t.Fatalf("open alerts (-want +got):\n%s", diff)
		}

		events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(ctx, annex.AuditFilter{Action: new("alert.create")})
		if err != nil {
			t.Fatalf("FindAuditEvents: %v", err)
		}
		var wantEvents []auditSummary
		for _, a := range []*annex.Alert{alerts[0], alerts[1], changed[0]} {
			wantEvents = append(wantEvents, auditSummary{0, "system", "alert.create", fmt.Sprintf("alert:%d", a.ID)})
		}
		if diff := cmp.Diff(wantEvents, summarize(events)); diff != "" {
			t.Fatalf("audit events (-want +got):\n%s", diff)
		}
		wantDetail := map[string]any{"party_id": float64(p.ID), "source": "un", "source_id": "un-1",
			"entity_name": "Mohammad Reza Ahmadi", "entity_hash": annex.EntityHash(testEntities(annex.SourceUN, 1)[0]), "score": 0.97}
		if diff := cmp.Diff(wantDetail, decodeDetail(t, events[0])); diff != "" {
			t.Fatalf("alert.create detail (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

func TestPartyService_CreateAlerts_invalid(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewPartyService(db)
		p := MustCreateParty(t, ctx, db, annex.Party{Name: "Acme Trading Co"})
		ok := func() *annex.Alert { return testAlert(p, "un-1", "h1") }

		tests := []struct {
			name   string
			alerts []*annex.Alert
			code   string
			fields []string
		}{
			{"nil alert", []*annex.Alert{ok(), nil}, annex.EINVALID, []string{"[1]"}},
			{"empty alert", []*annex.Alert{{}}, annex.EINVALID, []string{"[0].party_id", "[0].source", "[0].source_id"}},
			{"bad score", []*annex.Alert{ok(), {PartyID: p.ID, Source: annex.SourceUN, SourceID: "x", Score: 1.5}}, annex.EINVALID, []string{"[1].score"}},
			{"unknown party", []*annex.Alert{ok(), {PartyID: p.ID + 100, Source: annex.SourceUN, SourceID: "x"}}, annex.ENOTFOUND, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.CreateAlerts(ctx, tt.alerts)
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
		t.Run("none", func(t *testing.T) {
			if err := s.CreateAlerts(ctx, nil); err != nil {
				t.Fatalf("CreateAlerts(nil): %v", err)
			}
		})
		// All or nothing: the valid alerts before a failing one are not stored.
		if _, n, err := s.FindAlerts(ctx, annex.AlertFilter{}); err != nil {
			t.Fatalf("FindAlerts: %v", err)
		} else if n != 0 {
			t.Fatalf("alerts stored=%d, want 0", n)
		}
		if n := MustVerifyAudit(t, ctx, db); n != 1 { // party.create
			t.Fatalf("audit events=%d, want 1", n)
		}
	})
}

func TestPartyService_FindAlerts(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewPartyService(db)
		officer := MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
		org := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
		own := MustCreateParty(t, ctx, db, annex.Party{Name: "Authority's party"})
		acme := MustCreateParty(t, ctx, db, annex.Party{Name: "Acme's party", OrgID: org})
		a := MustCreateAlerts(t, ctx, db, testAlert(own, "un-1", "h1"), testAlert(own, "un-2", "h2"), testAlert(acme, "un-1", "h1"))
		if err := s.Adjudicate(annex.NewContextWithUser(ctx, officer), &annex.Adjudication{PartyID: own.ID, Source: annex.SourceUN,
			SourceID: "un-1", EntityHash: "h1", Decision: annex.DecisionConfirm, Reason: "same passport"}); err != nil {
			t.Fatalf("Adjudicate: %v", err)
		}

		tests := []struct {
			name   string
			filter annex.AlertFilter
			want   []int64
			total  int
		}{
			{"all, newest first", annex.AlertFilter{}, []int64{a[2].ID, a[1].ID, a[0].ID}, 3},
			{"by party", annex.AlertFilter{PartyID: &own.ID}, []int64{a[1].ID, a[0].ID}, 2},
			{"by organisation", annex.AlertFilter{OrgID: &org}, []int64{a[2].ID}, 1},
			{"open", annex.AlertFilter{Status: new(annex.AlertOpen)}, []int64{a[2].ID, a[1].ID}, 2},
			{"confirmed", annex.AlertFilter{Status: new(annex.AlertConfirmed)}, []int64{a[0].ID}, 1},
			{"dismissed", annex.AlertFilter{Status: new(annex.AlertDismissed)}, nil, 0},
			{"open of a party", annex.AlertFilter{PartyID: &own.ID, Status: new(annex.AlertOpen)}, []int64{a[1].ID}, 1},
			{"limit and offset", annex.AlertFilter{Offset: 1, Limit: 1}, []int64{a[1].ID}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				alerts, total, err := s.FindAlerts(ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindAlerts: %v", err)
				}
				if diff := cmp.Diff(tt.want, alertIDs(alerts)); diff != "" {
					t.Errorf("IDs (-want +got):\n%s", diff)
				}
				if total != tt.total {
					t.Errorf("total=%d, want %d", total, tt.total)
				}
			})
		}
	})
}
