package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// MustCreateParty creates the party as the user in ctx and returns it.
func MustCreateParty(tb testing.TB, ctx context.Context, db *sqlstore.DB, p annex.Party) *annex.Party {
	tb.Helper()
	if err := sqlstore.NewPartyService(db).CreateParty(ctx, &p); err != nil {
		tb.Fatalf("CreateParty(%q): %v", p.Name, err)
	}
	return &p
}

// partyNames returns the names of the parties, in order.
func partyNames(parties []*annex.Party) []string {
	var names []string
	for _, p := range parties {
		names = append(names, p.Name)
	}
	return names
}

func TestPartyService_CreateParty(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		SetClock(db, testTime)
		s := sqlstore.NewPartyService(db)
		acme := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
		other := MustCreateOrganisation(t, ctx, db, "Other Exports", "exporter")
		officer := MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
		exporter := MustCreateUser(t, ctx, db, annex.User{Username: "ann", Role: annex.RoleExporterUser, OrgID: acme}, testPassword)

		tests := []struct {
			name  string
			ctx   context.Context
			party annex.Party
			want  annex.Party
		}{
			{"authority's own", annex.NewContextWithUser(ctx, officer),
				annex.Party{Name: "  Rosoboronexport  ", Type: annex.EntityOrganization, Country: "RU", IDNumber: "1057746128474"},
				annex.Party{Name: "Rosoboronexport", Type: annex.EntityOrganization, Country: "RU", IDNumber: "1057746128474",
					CreatedBy: officer.ID, CreatedAt: testTimeStored}},
			{"authority for an exporter", annex.NewContextWithUser(ctx, officer),
				annex.Party{Name: "Jane Roe", Type: annex.EntityPerson, DOB: "1970-01-02", OrgID: other},
				annex.Party{Name: "Jane Roe", Type: annex.EntityPerson, DOB: "1970-01-02", OrgID: other,
					CreatedBy: officer.ID, CreatedAt: testTimeStored}},
			{"exporter's own organisation", annex.NewContextWithUser(ctx, exporter),
				annex.Party{Name: "Müller GmbH", Country: "DE", OrgID: other},
				annex.Party{Name: "Müller GmbH", Country: "DE", OrgID: acme, CreatedBy: exporter.ID, CreatedAt: testTimeStored}},
			{"system", ctx,
				annex.Party{Name: "Imported Party", CreatedBy: exporter.ID},
				annex.Party{Name: "Imported Party", CreatedAt: testTimeStored}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := tt.party
				if err := s.CreateParty(tt.ctx, &p); err != nil {
					t.Fatalf("CreateParty: %v", err)
				}
				if p.ID == 0 {
					t.Fatalf("ID=%d, want non-zero", p.ID)
				}
				want := tt.want
				want.ID = p.ID
				if diff := cmp.Diff(&want, &p); diff != "" {
					t.Fatalf("created party (-want +got):\n%s", diff)
				}
				if got, err := s.FindPartyByID(ctx, p.ID); err != nil {
					t.Fatalf("FindPartyByID: %v", err)
				} else if diff := cmp.Diff(&want, got); diff != "" {
					t.Fatalf("FindPartyByID (-want +got):\n%s", diff)
				}

				events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(ctx, annex.AuditFilter{Subject: new(fmt.Sprintf("party:%d", p.ID))})
				if err != nil {
					t.Fatalf("FindAuditEvents: %v", err)
				}
				actor := annex.UserFromContext(tt.ctx)
				wantEvent := auditSummary{0, "system", "party.create", fmt.Sprintf("party:%d", p.ID)}
				if actor != nil {
					wantEvent.ActorID, wantEvent.Actor = actor.ID, actor.Username
				}
				if diff := cmp.Diff([]auditSummary{wantEvent}, summarize(events)); diff != "" {
					t.Fatalf("audit events (-want +got):\n%s", diff)
				}
				wantDetail := map[string]any{"name": want.Name, "type": string(want.Type), "country": want.Country,
					"dob": want.DOB, "id_number": want.IDNumber, "org_id": float64(want.OrgID)}
				if diff := cmp.Diff(wantDetail, decodeDetail(t, events[0])); diff != "" {
					t.Fatalf("party.create detail (-want +got):\n%s", diff)
				}
			})
		}
		MustVerifyAudit(t, ctx, db)
	})
}

func TestPartyService_CreateParty_invalid(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewPartyService(db)
		authority := MustCreateOrganisation(t, ctx, db, "Export Control Office", "authority")

		tests := []struct {
			name   string
			party  *annex.Party
			fields []string
		}{
			{"nil", nil, nil},
			{"no name", &annex.Party{Name: "   "}, []string{"name"}},
			{"unknown type", &annex.Party{Name: "X", Type: "submarine"}, []string{"type"}},
			{"bad country and date", &annex.Party{Name: "X", Country: "pk", DOB: "02/01/1970"}, []string{"country", "dob"}},
			{"unknown organisation", &annex.Party{Name: "X", OrgID: authority + 100}, []string{"org_id"}},
			{"authority's organisation", &annex.Party{Name: "X", OrgID: authority}, []string{"org_id"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.CreateParty(ctx, tt.party)
				if code := annex.ErrorCode(err); code != annex.EINVALID {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
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
		if _, n, err := s.FindParties(ctx, annex.PartyFilter{}); err != nil {
			t.Fatalf("FindParties: %v", err)
		} else if n != 0 {
			t.Fatalf("parties stored=%d, want 0", n)
		}
		if n := MustVerifyAudit(t, ctx, db); n != 0 {
			t.Fatalf("audit events=%d, want 0", n)
		}
	})
}

func TestPartyService_FindParties(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewPartyService(db)
		org := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
		acme := MustCreateParty(t, ctx, db, annex.Party{Name: "Acme Trading Co"})
		muller := MustCreateParty(t, ctx, db, annex.Party{Name: "Müller GmbH", OrgID: org})
		MustCreateParty(t, ctx, db, annex.Party{Name: "Acme Trading Co.", OrgID: org})

		tests := []struct {
			name   string
			filter annex.PartyFilter
			want   []string
			total  int
		}{
			{"all", annex.PartyFilter{}, []string{"Acme Trading Co", "Müller GmbH", "Acme Trading Co."}, 3},
			{"by ID", annex.PartyFilter{ID: new(muller.ID)}, []string{"Müller GmbH"}, 1},
			{"by organisation", annex.PartyFilter{OrgID: new(org)}, []string{"Müller GmbH", "Acme Trading Co."}, 2},
			{"by name", annex.PartyFilter{Name: new("Acme Trading Co")}, []string{"Acme Trading Co"}, 1},
			{"by name in another case, with spaces", annex.PartyFilter{Name: new("  ACME trading co ")}, []string{"Acme Trading Co"}, 1},
			{"by name outside ASCII", annex.PartyFilter{Name: new("MÜLLER GMBH")}, []string{"Müller GmbH"}, 1},
			{"by part of a name", annex.PartyFilter{Name: new("Acme")}, nil, 0},
			{"by name and organisation", annex.PartyFilter{Name: new("acme trading co"), OrgID: new(org)}, nil, 0},
			{"limit", annex.PartyFilter{Limit: 1}, []string{"Acme Trading Co"}, 3},
			{"limit and offset", annex.PartyFilter{Offset: 1, Limit: 1}, []string{"Müller GmbH"}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				parties, total, err := s.FindParties(ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindParties: %v", err)
				}
				if diff := cmp.Diff(tt.want, partyNames(parties)); diff != "" {
					t.Errorf("names (-want +got):\n%s", diff)
				}
				if total != tt.total {
					t.Errorf("total=%d, want %d", total, tt.total)
				}
			})
		}

		t.Run("not found", func(t *testing.T) {
			_, err := s.FindPartyByID(ctx, acme.ID+100)
			if code := annex.ErrorCode(err); code != annex.ENOTFOUND {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.ENOTFOUND)
			}
		})
	})
}

func TestPartyService_organisationScope(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewPartyService(db)
		orgA := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
		orgB := MustCreateOrganisation(t, ctx, db, "Bolt Engines", "exporter")
		officer := MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
		alice := MustCreateUser(t, ctx, db, annex.User{Username: "alice", Role: annex.RoleExporterUser, OrgID: orgA}, testPassword)
		bob := MustCreateUser(t, ctx, db, annex.User{Username: "bob", Role: annex.RoleExporterAdmin, OrgID: orgB}, testPassword)
		officerCtx, aliceCtx, bobCtx := annex.NewContextWithUser(ctx, officer), annex.NewContextWithUser(ctx, alice), annex.NewContextWithUser(ctx, bob)

		own := MustCreateParty(t, officerCtx, db, annex.Party{Name: "Authority's party"})
		pa := MustCreateParty(t, aliceCtx, db, annex.Party{Name: "Alice's party"})
		pb := MustCreateParty(t, bobCtx, db, annex.Party{Name: "Bob's party"})
		MustCreateAlerts(t, ctx, db, testAlert(own, "un-1", "h"), testAlert(pa, "un-1", "h"), testAlert(pb, "un-1", "h"))
		adjudicate := func(ctx context.Context, p *annex.Party) error {
			return s.Adjudicate(ctx, &annex.Adjudication{PartyID: p.ID, Source: annex.SourceUN, SourceID: "un-1",
				EntityHash: "h", Decision: annex.DecisionDismiss, Reason: "not the same company"})
		}
		for _, tt := range []struct {
			ctx context.Context
			p   *annex.Party
		}{{officerCtx, own}, {aliceCtx, pa}, {bobCtx, pb}} {
			if err := adjudicate(tt.ctx, tt.p); err != nil {
				t.Fatalf("Adjudicate(%s): %v", tt.p.Name, err)
			}
		}

		tests := []struct {
			name string
			ctx  context.Context
			want []string // the parties seen, through each find method
		}{
			{"authority", officerCtx, []string{"Authority's party", "Alice's party", "Bob's party"}},
			{"system", ctx, []string{"Authority's party", "Alice's party", "Bob's party"}},
			{"exporter A", aliceCtx, []string{"Alice's party"}},
			{"exporter B", bobCtx, []string{"Bob's party"}},
			{"exporter without organisation", annex.NewContextWithUser(ctx, &annex.User{ID: alice.ID, Username: "alice", Role: annex.RoleExporterUser}), nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				parties, n, err := s.FindParties(tt.ctx, annex.PartyFilter{})
				if err != nil {
					t.Fatalf("FindParties: %v", err)
				}
				if diff := cmp.Diff(tt.want, partyNames(parties)); diff != "" || n != len(tt.want) {
					t.Errorf("FindParties total=%d (-want +got):\n%s", n, diff)
				}

				alerts, n, err := s.FindAlerts(tt.ctx, annex.AlertFilter{})
				if err != nil {
					t.Fatalf("FindAlerts: %v", err)
				}
				var got []string
				for i := len(alerts) - 1; i >= 0; i-- { // oldest first, as parties
					got = append(got, alerts[i].PartyName)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" || n != len(tt.want) {
					t.Errorf("FindAlerts total=%d (-want +got):\n%s", n, diff)
				}

				adjs, n, err := s.FindAdjudications(tt.ctx, annex.AdjudicationFilter{})
				if err != nil {
					t.Fatalf("FindAdjudications: %v", err)
				}
				got = nil
				for i := len(adjs) - 1; i >= 0; i-- {
					p, err := s.FindPartyByID(ctx, adjs[i].PartyID)
					if err != nil {
						t.Fatalf("FindPartyByID: %v", err)
					}
					got = append(got, p.Name)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" || n != len(tt.want) {
					t.Errorf("FindAdjudications total=%d (-want +got):\n%s", n, diff)
				}
			})
		}

		// An exporter asking for another organisation's records gets none,
		// and another organisation's party does not exist for it.
		t.Run("other organisation", func(t *testing.T) {
			if parties, _, err := s.FindParties(aliceCtx, annex.PartyFilter{OrgID: &orgB}); err != nil || len(parties) != 0 {
				t.Errorf("FindParties(OrgID: B) as alice = %v, %v; want none", partyNames(parties), err)
			}
			if parties, _, err := s.FindParties(aliceCtx, annex.PartyFilter{ID: &pb.ID}); err != nil || len(parties) != 0 {
				t.Errorf("FindParties(ID: Bob's) as alice = %v, %v; want none", partyNames(parties), err)
			}
			if alerts, _, err := s.FindAlerts(aliceCtx, annex.AlertFilter{OrgID: &orgB}); err != nil || len(alerts) != 0 {
				t.Errorf("FindAlerts(OrgID: B) as alice = %d alerts, %v; want none", len(alerts), err)
			}
			if alerts, _, err := s.FindAlerts(aliceCtx, annex.AlertFilter{PartyID: &pb.ID}); err != nil || len(alerts) != 0 {
				t.Errorf("FindAlerts(PartyID: Bob's) as alice = %d alerts, %v; want none", len(alerts), err)
			}
			if adjs, _, err := s.FindAdjudications(aliceCtx, annex.AdjudicationFilter{PartyID: &pb.ID}); err != nil || len(adjs) != 0 {
				t.Errorf("FindAdjudications(PartyID: Bob's) as alice = %d, %v; want none", len(adjs), err)
			}
			for _, tt := range []struct {
				name string
				err  error
			}{
				{"FindPartyByID", func() error { _, err := s.FindPartyByID(aliceCtx, pb.ID); return err }()},
				{"FindPartyByID of the authority's", func() error { _, err := s.FindPartyByID(aliceCtx, own.ID); return err }()},
				{"Adjudicate", adjudicate(aliceCtx, pb)},
				{"CreateAlerts", s.CreateAlerts(aliceCtx, []*annex.Alert{testAlert(pb, "un-2", "h")})},
			} {
				if code := annex.ErrorCode(tt.err); code != annex.ENOTFOUND {
					t.Errorf("%s of Bob's party as alice: ErrorCode=%q (%v), want %q", tt.name, code, tt.err, annex.ENOTFOUND)
				}
			}
			if p, err := s.FindPartyByID(officerCtx, pb.ID); err != nil || p.OrgID != orgB {
				t.Errorf("FindPartyByID(Bob's) as the officer = %+v, %v; want Bob's party of organisation B", p, err)
			}
		})

		// The refused actions stored nothing.
		if _, n, err := s.FindAdjudications(ctx, annex.AdjudicationFilter{}); err != nil || n != 3 {
			t.Fatalf("adjudications=%d (%v), want 3", n, err)
		}
		if _, n, err := s.FindAlerts(ctx, annex.AlertFilter{}); err != nil || n != 3 {
			t.Fatalf("alerts=%d (%v), want 3", n, err)
		}
		MustVerifyAudit(t, ctx, db)
	})
}
