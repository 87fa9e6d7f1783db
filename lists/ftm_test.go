package lists_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/lists"
)

// TestParseFTMFixture: targets of the listed schemata become entities, with
// the programs of the Sanction entities that name them; the Address, the
// Sanctions themselves and the non-target Person are skipped.
func TestParseFTMFixture(t *testing.T) {
	f := fixture(t, "entities.ftm.json")
	snap, ents := mustParse(t, f)
	if snap.Format != "ftm-json" || snap.Source != annex.SourceOpenSanctions || snap.Entities != 3 || snap.SHA256 != sha256Hex(f.Data) {
		t.Errorf("snapshot=%+v", snap)
	}
	want := []*annex.ListEntity{{
		Source: annex.SourceOpenSanctions, SourceID: "NK-testtorval01", Type: annex.EntityPerson,
		Names: []annex.EntityName{
			{Name: "Torval Questen Mardovar", Kind: annex.NamePrimary},
			{Name: "Торвал Квестен Мардовар", Kind: annex.NameAlias},
			{Name: "Torval Mardovar", Kind: annex.NameAlias},
			{Name: "The Engineer", Kind: annex.NameWeakAlias},
		},
		Countries:    []string{"KP"},
		DatesOfBirth: []string{"1961-03-09", "1962"},
		Identifiers:  []annex.Identifier{{Type: annex.IDPassport, Value: "PX1234567"}},
		Programs:     []string{"NPWMD", "Testland"},
		SourceList:   "un_sc_sanctions, us_ofac_sdn",
		Remarks:      "Procurement agent for a fictional propellant programme.",
	}, {
		Source: annex.SourceOpenSanctions, SourceID: "NK-testnorthwind", Type: annex.EntityOrganization,
		Names: []annex.EntityName{
			{Name: "Northwind Solid Motor Works", Kind: annex.NamePrimary},
			{Name: "NSMW", Kind: annex.NameAlias},
			{Name: "Northwind Casting Bureau", Kind: annex.NameFormer},
		},
		Countries:    []string{"IR"},
		Addresses:    []string{"PO Box 1000, Tehran, Iran"},
		DatesOfBirth: []string{"1998-02-14"},
		Identifiers:  []annex.Identifier{{Type: annex.IDRegistration, Value: "1234567"}, {Type: annex.IDTax, Value: "7701002003"}},
		SourceList:   "us_ofac_sdn",
	}, {
		Source: annex.SourceOpenSanctions, SourceID: "NK-testvessel", Type: annex.EntityVessel,
		Names:       []annex.EntityName{{Name: "MIDNIGHT FABLE", Kind: annex.NamePrimary}},
		Countries:   []string{"KM"},
		Identifiers: []annex.Identifier{{Type: annex.IDIMO, Value: "9234567"}},
		Programs:    []string{"IRAN-EO13902"},
		SourceList:  "us_ofac_sdn",
	}}
	if diff := cmp.Diff(want, ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

func TestParseFTMMalformed(t *testing.T) {
	f := fixture(t, "entities.ftm.json")
	tests := []struct {
		name  string
		file  lists.File
		field string
	}{
		{"truncated line", lists.File{Name: "entities.ftm.json", Data: f.Data[:len(f.Data)-40]}, "entities.ftm.json:8"},
		{"bad date", replace(t, f, `"1998-02-14"`, `"14 Feb 1998"`), "entities.ftm.json:5"},
		{"not a list", replace(t, f, `"name": ["MIDNIGHT FABLE"]`, `"name": {"x": 1}`), "entities.ftm.json:8"},
		{"no schema", replace(t, f, `"schema": "Company", `, ""), "entities.ftm.json:5"},
		{"repeated id", replace(t, f, `"NK-testvessel"`, `"NK-testnorthwind"`), "entities.ftm.json:8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := lists.Parse(tt.file)
			wantInvalid(t, err, tt.field)
		})
	}
}
