package lists_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/lists"
)

const ukRegime = "The Testland (Sanctions) Regulations 2030"

func ukWant() []*annex.ListEntity {
	return []*annex.ListEntity{{
		Source: annex.SourceUK, SourceID: "TST0001", Type: annex.EntityPerson,
		Names: []annex.EntityName{
			{Name: "Torval Questen MARDOVAR", Kind: annex.NamePrimary},
			{Name: "THE ENGINEER", Kind: annex.NameWeakAlias},
			{Name: "Торвал Квестен Мардовар", Kind: annex.NameOriginal},
		},
		Countries:    []string{"KP"},
		Addresses:    []string{"12 Example Street, Pyongyang, North Korea"},
		DatesOfBirth: []string{"1961-03-09", "1962"},
		Identifiers:  []annex.Identifier{{Type: annex.IDPassport, Value: "PX1234567"}},
		Programs:     []string{ukRegime},
		ListedOn:     "2030-01-15",
		Remarks:      "UN TLi.001; Procurement agent for a fictional propellant programme.",
	}, {
		Source: annex.SourceUK, SourceID: "TST0002", Type: annex.EntityOrganization,
		Names: []annex.EntityName{
			{Name: "NORTHWIND SOLID MOTOR WORKS", Kind: annex.NamePrimary},
			{Name: "NSMW", Kind: annex.NameAlias},
		},
		Countries:   []string{"IR"},
		Addresses:   []string{"PO Box 1000, Tehran, Iran"},
		Identifiers: []annex.Identifier{{Type: annex.IDRegistration, Value: "1234567"}},
		Programs:    []string{ukRegime},
		ListedOn:    "2030-06-30",
	}, {
		Source: annex.SourceUK, SourceID: "TST0003", Type: annex.EntityVessel,
		Names:       []annex.EntityName{{Name: "MIDNIGHT FABLE", Kind: annex.NamePrimary}},
		Countries:   []string{"KM"},
		Identifiers: []annex.Identifier{{Type: annex.IDIMO, Value: "9234567"}},
		Programs:    []string{ukRegime},
		ListedOn:    "2031-03-01",
	}}
}

func TestParseUKCSVFixture(t *testing.T) {
	f := fixture(t, "uk.csv")
	snap, ents := mustParse(t, f)
	if snap.Format != "uk-csv" || snap.Source != annex.SourceUK || snap.Published != "2031-05-14" || snap.SHA256 != sha256Hex(f.Data) {
		t.Errorf("snapshot=%+v", snap)
	}
	if diff := cmp.Diff(ukWant(), ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

// TestParseUKXMLFixture: the XML holds what the CSV does, but the ship's
// flag, which the XML reader does not read.
func TestParseUKXMLFixture(t *testing.T) {
	snap, ents := mustParse(t, fixture(t, "uk.xml"))
	if snap.Format != "uk-xml" || snap.Published != "2031-05-14" {
		t.Errorf("snapshot=%+v", snap)
	}
	want := ukWant()
	want[2].Countries = nil
	if diff := cmp.Diff(want, ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

// TestParseUKConListFixture reads OFSI's older ConList.csv, grouped by Group ID.
func TestParseUKConListFixture(t *testing.T) {
	snap, ents := mustParse(t, fixture(t, "uk_conlist.csv"))
	if snap.Format != "uk-csv" || snap.Published != "2031-05-14" || snap.Entities != 2 {
		t.Errorf("snapshot=%+v", snap)
	}
	want := &annex.ListEntity{
		Source: annex.SourceUK, SourceID: "99001", Type: annex.EntityPerson,
		Names: []annex.EntityName{
			{Name: "Torval Questen MARDOVAR", Kind: annex.NamePrimary},
			{Name: "Torvald MARDOVAR", Kind: annex.NameAlias},
			{Name: "THE ENGINEER", Kind: annex.NameWeakAlias},
			{Name: "Торвал Квестен Мардовар", Kind: annex.NameOriginal},
		},
		Countries:    []string{"KP"},
		Addresses:    []string{"12 Example Street, Pyongyang, North Korea"},
		DatesOfBirth: []string{"1961-03-09", "1962"},
		Identifiers:  []annex.Identifier{{Type: annex.IDPassport, Value: "PX1234567"}},
		Programs:     []string{"Testland"},
		ListedOn:     "2030-01-15",
		Remarks:      "Procurement agent for a fictional propellant programme.",
	}
	if diff := cmp.Diff(want, ents[0]); diff != "" {
		t.Errorf("99001 (-want +got):\n%s", diff)
	}
}

func TestParseUKMalformed(t *testing.T) {
	c, o, x := fixture(t, "uk.csv"), fixture(t, "uk_conlist.csv"), fixture(t, "uk.xml")
	tests := []struct {
		name  string
		file  lists.File
		field string
	}{
		{"csv bad dob", replace(t, c, "09/03/1961", "31/02/1961"), "uk.csv:3"},
		{"csv bad report date", replace(t, c, "14-May-2031", "14-Mai-2031"), "uk.csv:1"},
		{"csv short row", replace(t, c, "NSMW,,,,,,Alias", "NSMW,,,,,Alias"), "uk.csv:6"},
		{"csv no id", replace(t, c, "TST0003", ""), "uk.csv:7"},
		{"conlist bad listed on", replace(t, o, "Testland,30/06/2030,", "Testland,2030-06-30,"), "uk_conlist.csv:6"},
		{"xml bad dob", replace(t, x, "<DOB>dd/mm/1962</DOB>", "<DOB>1962</DOB>"), "uk.xml:4"},
		{"xml no name", replace(t, x, "<Name6>MIDNIGHT FABLE</Name6>", ""), "uk.xml:99"},
		{"xml truncated", lists.File{Name: "uk.xml", Data: x.Data[:1000]}, "uk.xml:27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := lists.Parse(tt.file)
			wantInvalid(t, err, tt.field)
		})
	}
}
