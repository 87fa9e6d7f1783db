package sanction_test

import (
	"slices"
	"strings"
	"testing"

	"annex"
	"annex/sanction"
)

func TestRegisterEntities(t *testing.T) {
	entities := []*annex.SanctionEntity{
		{ID: 3, Name: "Defence Industries Organisation", Aliases: []string{"DIO", "Sazemane Sanaye Defa"}, Type: annex.EntityOrganization, Country: "IR", SubUnits: true},
		{ID: 1, Name: "Ministry of Defence", Type: annex.EntityOrganization, Country: "PK", SubUnits: true},
		{ID: 2, Name: "Chinese entities", Country: "CN"},
		{ID: 4, Name: "Khan Research Laboratories", Aliases: []string{"KRL"}, Country: "PK"},
		{ID: 5, Name: "No Measures Ltd", Country: "AE"},
	}
	measures := []*annex.Measure{
		// The Pakistani ministry: Category I from 2000-11-21, and an older
		// Category II measure that expired in 1995.
		{ID: 10, EntityID: 1, Measure: annex.MeasureDenyAllUSMLLicences, LegalBasis: "AECA §73(a)(2)(B)(ii); EAA §11B(b)(1)(B)(ii)", Start: "2000-11-21", End: "2002-11-21", Minimum: true},
		{ID: 11, EntityID: 1, Measure: annex.MeasureDenyAllContracts, LegalBasis: "AECA §73(a)(2)(B)(i)", Start: "2000-11-21", End: "2002-11-21", Minimum: true},
		{ID: 12, EntityID: 1, Measure: annex.MeasureDenyMissileContracts, LegalBasis: "AECA §73(a)(2)(A)(i)", Start: "1993-08-24", End: "1995-08-24"},
		// The Chinese suppliers: waived the day they were imposed.
		{ID: 20, EntityID: 2, Measure: annex.MeasureDenyAllContracts, LegalBasis: "AECA §73(a)(2)(B)(i)", Start: "2000-11-21", End: "2002-11-21", WaivedFrom: "2000-11-21"},
		// Iran's DIO: Category II from 2000-11-21, INKSNA from 2001-06-01.
		{ID: 30, EntityID: 3, Measure: "deny_procurement", LegalBasis: "INKSNA §3", Start: "2001-06-01", End: "2003-06-01"},
		{ID: 31, EntityID: 3, Measure: annex.MeasureDenyMissileLicences, LegalBasis: "AECA §73(a)(2)(A)(ii); EAA §11B(b)(1)(B)(i)", Start: "2000-11-21", End: "2002-11-21"},
		{ID: 32, EntityID: 3, Measure: annex.MeasureDenyMissileContracts, LegalBasis: "AECA §73(a)(2)(A)(i)", Start: "2000-11-21", End: "2002-11-21"},
		// KRL: expired.
		{ID: 40, EntityID: 4, Measure: annex.MeasureImportBan, LegalBasis: "AECA §73(a)(2)(C)", Start: "1998-04-17", End: "2000-04-17", Minimum: true},
		// Outside the register.
		{ID: 50, Entity: "Someone", Measure: annex.MeasureImportBan, Start: "2000-01-01", End: "2009-01-01"},
	}

	got := sanction.RegisterEntities(entities, measures, "2001-07-01")
	var ids []string
	for _, le := range got {
		ids = append(ids, le.SourceID)
	}
	if want := []string{"entity-1", "entity-3"}; !slices.Equal(ids, want) {
		t.Fatalf("entries %q, want %q (the waived, expired and measureless drop out)", ids, want)
	}
	mod, dio := got[0], got[1]
	for _, le := range got {
		if le.Source != annex.SourceRegister || le.SourceList != "Annex sanctions register" {
			t.Errorf("%s: source %q, list %q", le.SourceID, le.Source, le.SourceList)
		}
	}
	if mod.PrimaryName() != "Ministry of Defence" || mod.Type != annex.EntityOrganization || !slices.Equal(mod.Countries, []string{"PK"}) {
		t.Errorf("ministry: %+v", mod)
	}
	if want := []string{"deny_all_contracts", "deny_all_usml_licences"}; !slices.Equal(mod.Programs, want) {
		t.Errorf("ministry programs %q, want %q (not the expired deny_missile_contracts)", mod.Programs, want)
	}
	if mod.ListedOn != "2000-11-21" {
		t.Errorf("ministry listed on %s", mod.ListedOn)
	}
	for _, s := range []string{"deny_all_usml_licences (AECA §73(a)(2)(B)(ii); EAA §11B(b)(1)(B)(ii)) from 2000-11-21", "2002-11-21", "sub-units and successors"} {
		if !strings.Contains(mod.Remarks, s) {
			t.Errorf("ministry remarks %q lack %q", mod.Remarks, s)
		}
	}
	if strings.Contains(mod.Remarks, "1993") {
		t.Errorf("ministry remarks %q name the expired measure", mod.Remarks)
	}

	wantNames := []annex.EntityName{
		{Name: "Defence Industries Organisation", Kind: annex.NamePrimary},
		{Name: "DIO", Kind: annex.NameAlias},
		{Name: "Sazemane Sanaye Defa", Kind: annex.NameAlias},
	}
	if !slices.Equal(dio.Names, wantNames) {
		t.Errorf("DIO names %v, want %v", dio.Names, wantNames)
	}
	if len(dio.Programs) != 3 || dio.ListedOn != "2000-11-21" {
		t.Errorf("DIO programs %q listed on %s, want 3 programs from 2000-11-21", dio.Programs, dio.ListedOn)
	}
	if i, j := strings.Index(dio.Remarks, "deny_missile_contracts"), strings.Index(dio.Remarks, "deny_procurement"); i < 0 || j < 0 || i > j {
		t.Errorf("DIO remarks %q: want the measures in order of start", dio.Remarks)
	}

	// On 1 January 1999 only KRL's import ban is active: the 1993 measure
	// expired in 1995 and the 2000 measures are still to come.
	got = sanction.RegisterEntities(entities, measures, "1999-01-01")
	ids = nil
	for _, le := range got {
		ids = append(ids, le.SourceID)
	}
	if want := []string{"entity-4"}; !slices.Equal(ids, want) {
		t.Errorf("1999: entries %q, want %q", ids, want)
	}
	if got := sanction.RegisterEntities(entities, measures, "2010-01-01"); len(got) != 0 {
		t.Errorf("2010: %d entries, want none", len(got))
	}

	// The order does not depend on the order of the input.
	rev := slices.Clone(entities)
	slices.Reverse(rev)
	a := sanction.RegisterEntities(entities, measures, "2001-07-01")
	b := sanction.RegisterEntities(rev, measures, "2001-07-01")
	if len(a) != len(b) || a[0].SourceID != b[0].SourceID || a[0].Remarks != b[0].Remarks {
		t.Error("order depends on the input's")
	}
}
