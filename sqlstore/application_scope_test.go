package sqlstore_test

import (
	"testing"

	"annex"
	"annex/sqlstore"
)

// TestApplicationService_organisationIsolation: an exporter of another
// organisation finds nothing of acme's application, its documents or its
// licence, whatever it asks for.
func TestApplicationService_organisationIsolation(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustCreate(t)
		doc := &annex.Document{Kind: annex.DocEndUserCertificate, FileName: "euc.pdf"}
		if err := f.apps.AddDocument(f.as(ctx, f.ann), app.ID, doc, testPDF); err != nil {
			t.Fatalf("AddDocument: %v", err)
		}
		app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActSubmit})
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActAssign})
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActRequestInformation, Question: "Which launch site?"})
		if _, err := f.licences.RecordShipment(f.as(ctx, f.carl), "x", &annex.Shipment{}); err == nil {
			t.Fatalf("RecordShipment on nothing succeeded")
		}
		draft := &annex.Application{ApplicationSpec: testSpec()}
		if err := f.apps.CreateApplication(f.as(ctx, f.olga), draft); err != nil {
			t.Fatalf("CreateApplication as olga: %v", err)
		}
		_, l := f.mustApprove(t)

		olga := f.as(ctx, f.olga)
		acme := f.acme
		checks := []struct {
			name string
			err  func() error
		}{
			{"FindApplicationByID", func() error { _, err := f.apps.FindApplicationByID(olga, app.ID); return err }},
			{"UpdateApplication", func() error { _, err := f.apps.UpdateApplication(olga, app.ID, app.Version, testSpec()); return err }},
			{"Act", func() error {
				_, err := f.apps.Act(olga, app.ID, &annex.CaseAction{Type: annex.ActAnswerInformation, Answer: "Mine", Version: app.Version})
				return err
			}},
			{"Act withdraw", func() error {
				_, err := f.apps.Act(olga, app.ID, &annex.CaseAction{Type: annex.ActWithdraw, Version: app.Version})
				return err
			}},
			{"AddDocument", func() error {
				return f.apps.AddDocument(olga, app.ID, &annex.Document{Kind: annex.DocOther, FileName: "x.pdf"}, testPDF)
			}},
			{"FindDocument", func() error { _, _, err := f.apps.FindDocument(olga, doc.ID); return err }},
			{"FindLicenceByNumber", func() error { _, err := f.licences.FindLicenceByNumber(olga, l.Number); return err }},
			{"FindShipments", func() error { _, err := f.licences.FindShipments(olga, l.Number); return err }},
		}
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) { wantCode(t, c.name, c.err(), annex.ENOTFOUND) })
		}
		t.Run("lists", func(t *testing.T) {
			for _, filter := range []annex.ApplicationFilter{{}, {OrgID: &acme}, {ID: &app.ID}} {
				apps, n, err := f.apps.FindApplications(olga, filter)
				if err != nil {
					t.Fatalf("FindApplications: %v", err)
				}
				for _, a := range apps {
					if a.OrgID != f.other {
						t.Fatalf("FindApplications(%+v) gave application %d of organisation %d", filter, a.ID, a.OrgID)
					}
				}
				if want := map[bool]int{true: 1, false: 0}[filter.OrgID == nil && filter.ID == nil]; n != want {
					t.Fatalf("FindApplications(%+v): n=%d, want %d", filter, n, want)
				}
			}
			for _, filter := range []annex.LicenceFilter{{}, {OrgID: &acme}} {
				if ls, n, err := f.licences.FindLicences(olga, filter); err != nil || n != 0 || len(ls) != 0 {
					t.Fatalf("FindLicences(%+v)=%d licences, n=%d, err=%v, want none", filter, len(ls), n, err)
				}
			}
		})
		t.Run("own and authority", func(t *testing.T) {
			for _, tt := range []struct {
				u          *annex.User
				apps, lics int
			}{{f.ann, 2, 1}, {f.olga, 1, 0}, {f.officer, 3, 1}, {f.carl, 3, 1}} {
				if _, n, err := f.apps.FindApplications(f.as(ctx, tt.u), annex.ApplicationFilter{}); err != nil || n != tt.apps {
					t.Fatalf("FindApplications as %s: n=%d, err=%v, want %d", tt.u.Username, n, err, tt.apps)
				}
				if _, n, err := f.licences.FindLicences(f.as(ctx, tt.u), annex.LicenceFilter{}); err != nil || n != tt.lics {
					t.Fatalf("FindLicences as %s: n=%d, err=%v, want %d", tt.u.Username, n, err, tt.lics)
				}
			}
		})
		MustVerifyAudit(t, ctx, db)
	})
}
