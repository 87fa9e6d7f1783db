package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"annex"
	"annex/sqlstore"
)

// TestListsImportReassessesOpenCases: a list that newly names a party of a
// submitted case changes the case's assessment when it is imported.
func TestListsImportReassessesOpenCases(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, out, errOut := runCLI(t, "", nil, "lists", "import", "-data", data, dplFixture); code != exitOK {
		t.Fatalf("import DPL: exit=%d\n%s%s", code, out, errOut)
	}
	ctx := context.Background()
	c := DefaultConfig()
	c.DataDir = data
	db, err := openLocalDB(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	org := &annex.Organisation{Name: "Acme Aerospace", Kind: annex.OrgExporter}
	if err := sqlstore.NewOrganisationService(db).CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	u := &annex.User{Username: "exporter", Name: "E", Role: annex.RoleExporterUser, OrgID: org.ID}
	if err := sqlstore.NewUserService(db).CreateUser(ctx, u, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	apps := sqlstore.NewApplicationService(db)
	if apps.Assess, err = assessService(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	as := annex.NewContextWithUser(ctx, u)
	app := &annex.Application{ApplicationSpec: annex.ApplicationSpec{Destination: "AE", EndUse: "test range instrumentation",
		Assurances: annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true},
		Parties:    []annex.ApplicationParty{{Role: annex.RoleEndUser, Name: "Torval Questen Mardovar", Country: "AE"}},
		Items: []annex.ApplicationLine{{Item: annex.Item{Kind: "gyroscope", Params: map[string]any{"drift_rate_deg_per_h": 0.2}},
			Quantity: 4, Value: 20000}}}}
	if err := apps.CreateApplication(as, app); err != nil {
		t.Fatal(err)
	}
	app, err = apps.Act(as, app.ID, &annex.CaseAction{Type: annex.ActSubmit, Version: app.Version})
	if err != nil {
		t.Fatal(err)
	}
	before := app.Assessment.Recommendation
	if hasMatch(app.Assessment) {
		t.Fatalf("the DPL alone matched the party: %+v", app.Assessment.Parties)
	}
	db.Close()

	code, out, errOut := runCLI(t, "", nil, "lists", "import", "-data", data, unFixture)
	if code != exitOK || !strings.Contains(out, "reassessed 1 open case(s): 1 changed") || !strings.Contains(out, app.Reference+" (submitted): now ") {
		t.Fatalf("import UN: exit=%d\n%s%s", code, out, errOut)
	}
	db, err = openLocalDB(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := sqlstore.NewApplicationService(db).FindApplicationByID(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != app.Version+1 || !hasMatch(got.Assessment) || got.Assessment.Recommendation == before {
		t.Fatalf("after the UN list: Version=%d recommendation %s (was %s), parties %+v", got.Version,
			got.Assessment.Recommendation, before, got.Assessment.Parties)
	}
	// The same list again changes nothing.
	if code, out, _ := runCLI(t, "", nil, "lists", "import", "-data", data, unFixture); code != exitOK || strings.Contains(out, "reassessed") {
		t.Errorf("unchanged import: exit=%d\n%s", code, out)
	}
}

func hasMatch(a *annex.Assessment) bool {
	for _, p := range a.Parties {
		if p.Result != nil {
			for _, m := range p.Result.Matches {
				if m.Match {
					return true
				}
			}
		}
	}
	return false
}
