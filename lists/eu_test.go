package lists_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/lists"
)

func euWant() []*annex.ListEntity {
	return []*annex.ListEntity{{
		Source: annex.SourceEU, SourceID: "900001", Type: annex.EntityPerson,
		Names: []annex.EntityName{
			{Name: "Torval Questen Mardovar", Kind: annex.NamePrimary},
			{Name: "Торвал Квестен Мардовар", Kind: annex.NameAlias},
			{Name: "The Engineer", Kind: annex.NameWeakAlias},
		},
		Countries:    []string{"KP"},
		Addresses:    []string{"12 Example Street, Pyongyang, NORTH KOREA"},
		DatesOfBirth: []string{"1961-03-09", "1962"},
		Identifiers:  []annex.Identifier{{Type: annex.IDPassport, Value: "PX1234567", Country: "KP"}},
		Programs:     []string{"TST"},
		ListedOn:     "2030-02-03",
		Remarks:      "EU.9001.11; UN TLi.001; Procurement agent for a fictional propellant programme.",
	}, {
		Source: annex.SourceEU, SourceID: "900002", Type: annex.EntityOrganization,
		Names: []annex.EntityName{
			{Name: "Northwind Solid Motor Works", Kind: annex.NamePrimary},
			{Name: "NSMW", Kind: annex.NameAlias},
		},
		Countries:   []string{"IR"},
		Addresses:   []string{"PO Box 1000, Tehran, IRAN"},
		Identifiers: []annex.Identifier{{Type: annex.IDRegistration, Value: "1234567", Country: "IR"}},
		Programs:    []string{"TST"},
		ListedOn:    "2030-06-30",
		Remarks:     "EU.9002.22",
	}}
}

func TestParseEUXMLFixture(t *testing.T) {
	f := fixture(t, "eu.xml")
	snap, ents := mustParse(t, f)
	if snap.Format != "eu-xml" || snap.Source != annex.SourceEU || snap.Published != "2031-05-14" || snap.SHA256 != sha256Hex(f.Data) {
		t.Errorf("snapshot=%+v", snap)
	}
	if diff := cmp.Diff(euWant(), ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

// TestParseEUCSVFixture: the CSV holds what the XML does, one row per
// name, address, birth date, identification or citizenship, but has no
// strong flag, so its weak alias is missing.
func TestParseEUCSVFixture(t *testing.T) {
	snap, ents := mustParse(t, fixture(t, "eu.csv"))
	if snap.Format != "eu-csv" || snap.Published != "2031-05-14" {
		t.Errorf("snapshot=%+v", snap)
	}
	want := euWant()
	want[0].Names = want[0].Names[:2]
	if diff := cmp.Diff(want, ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

func TestParseEUMalformed(t *testing.T) {
	x, c := fixture(t, "eu.xml"), fixture(t, "eu.csv")
	noNames := replace(t, replace(t, x, `wholeName="Northwind Solid Motor Works"`, `wholeName=""`), `wholeName="NSMW"`, `wholeName=""`)
	tests := []struct {
		name  string
		file  lists.File
		field string
	}{
		{"xml truncated", lists.File{Name: "eu.xml", Data: x.Data[:2500]}, "eu.xml:18"},
		{"xml bad birthdate", replace(t, x, `birthdate="1961-03-09"`, `birthdate="1961-03-32"`), "eu.xml:3"},
		{"xml bad year", replace(t, x, `year="1962"`, `year="62"`), "eu.xml:3"},
		{"xml no logicalId", replace(t, x, `logicalId="900002"`, `logicalId=""`), "eu.xml:23"},
		{"xml no name", noNames, "eu.xml:23"},
		{"csv long row", replace(t, c, "Pyongyang;12 Example Street", "Pyongyang;;12 Example Street"), "eu.csv:4"},
		{"csv bad birth date", replace(t, c, "1961-03-09", "1961-03-90"), "eu.csv:5"},
		{"csv no id", replace(t, c, ";900002;", ";;"), "eu.csv:9"},
		{"csv bad generation date", replace(t, c, "14/05/2031", "31/31/2031"), "eu.csv:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := lists.Parse(tt.file)
			wantInvalid(t, err, tt.field)
		})
	}
}
