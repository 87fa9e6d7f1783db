package lists_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/lists"
)

func ofacFixtures(t *testing.T) (sdn, alt, add, comments lists.File) {
	return fixture(t, "ofac/sdn.csv"), fixture(t, "ofac/alt.csv"), fixture(t, "ofac/add.csv"), fixture(t, "ofac/sdn_comments.csv")
}

func TestParseOFACFixture(t *testing.T) {
	sdn, alt, add, comments := ofacFixtures(t)
	snap, ents := mustParse(t, comments, add, alt, sdn)
	if got, want := snap.Files, []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}; !cmp.Equal(got, want) {
		t.Errorf("Files=%v, want %v", got, want)
	}
	data := append(append(append(append([]byte{}, sdn.Data...), alt.Data...), add.Data...), comments.Data...)
	if snap.SHA256 != sha256Hex(data) || snap.Format != "ofac-sdn-csv" || snap.Published != "" {
		t.Errorf("snapshot=%+v", snap)
	}
	want := []*annex.ListEntity{{
		Source: annex.SourceOFACSDN, SourceID: "9001", Type: annex.EntityPerson,
		Names: []annex.EntityName{
			{Name: "QUESTEN, Torval", Kind: annex.NamePrimary},
			{Name: "MARDOVAR, Torval Q.", Kind: annex.NameAlias},
			{Name: "THE ENGINEER", Kind: annex.NameWeakAlias},
			{Name: "ABU-'TORVAL", Kind: annex.NameWeakAlias},
		},
		Countries:    []string{"KP"},
		Addresses:    []string{"12 Example Street, Pyongyang, Korea, North"},
		DatesOfBirth: []string{"1961-03-09", "1962"},
		Identifiers: []annex.Identifier{
			{Type: annex.IDPassport, Value: "PX1234567", Country: "KP"},
			{Type: annex.IDNationalID, Value: "5509127710", Country: "IR"},
		},
		Programs: []string{"NPWMD", "IFSR"},
		Remarks: "DOB 09 Mar 1961; alt. DOB 1962; POB Nampo, Korea, North; nationality Korea, North; " +
			"Passport PX1234567 (Korea, North) expires 01 Jan 2035; National ID No. 5509127710 (Iran); " +
			"Gender Male; a.k.a. 'THE ENGINEER'; f.k.a. 'ABU-'TORVAL'.",
	}, {
		Source: annex.SourceOFACSDN, SourceID: "9002", Type: annex.EntityOrganization,
		Names: []annex.EntityName{
			{Name: "NORTHWIND SOLID MOTOR WORKS", Kind: annex.NamePrimary},
			{Name: "NORTHWIND CASTING BUREAU", Kind: annex.NameFormer},
			{Name: "NSMW", Kind: annex.NameAlias},
		},
		Countries:    []string{"IR"},
		Addresses:    []string{"Tehran, Iran"},
		DatesOfBirth: []string{"1998-02-14"},
		Identifiers: []annex.Identifier{
			{Type: annex.IDRegistration, Value: "1234567", Country: "IR"},
			{Type: annex.IDTax, Value: "7701002003", Country: "RU"},
		},
		Programs: []string{"NPWMD"},
		Remarks: "Organization Established Date 14 Feb 1998; Registration Number 1234567 (Iran); " +
			"Tax ID No. 7701002003 (Russia); Linked To: QUESTEN, Torval.",
	}, {
		Source: annex.SourceOFACSDN, SourceID: "9003", Type: annex.EntityVessel,
		Names: []annex.EntityName{
			{Name: "SEA FICTION", Kind: annex.NamePrimary},
			{Name: "SEA FABLE", Kind: annex.NameWeakAlias},
		},
		Countries: []string{"PA"},
		Identifiers: []annex.Identifier{
			{Type: annex.IDIMO, Value: "9123456"},
			{Type: annex.IDOther, Value: "351000001"},
		},
		Programs: []string{"IRAN-EO13902"},
		Remarks:  "Vessel Registration Identification IMO 9123456; MMSI 351000001; a.k.a. 'SEA FABLE'.",
	}, {
		Source: annex.SourceOFACSDN, SourceID: "9004", Type: annex.EntityOrganization,
		Names: []annex.EntityName{
			{Name: "LONG REMARKS TRADING", Kind: annex.NamePrimary},
			{Name: "LRT", Kind: annex.NameWeakAlias},
			{Name: "LONG REMARKABLE TRADERS", Kind: annex.NameWeakAlias},
		},
		Identifiers: []annex.Identifier{{Type: annex.IDTax, Value: "1002003004", Country: "TR"}},
		Programs:    []string{"SDGT"},
		Remarks: "Website www.example.invalid; Email Address info@example.invalid; a.k.a. 'LRT'; " +
			"a.k.a. 'LONG REMARKABLE TRADERS'; Tax ID No. 1002003004 (Turkey).",
	}}
	if diff := cmp.Diff(want, ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

// TestParseOFACTruncatedRemarks: without sdn_comments.csv, the a.k.a. cut by
// the 1,000-character limit is dropped rather than read half.
func TestParseOFACTruncatedRemarks(t *testing.T) {
	sdn, _, _, _ := ofacFixtures(t)
	_, ents := mustParse(t, sdn)
	got := entity(t, ents, "9004").Names
	want := []annex.EntityName{{Name: "LONG REMARKS TRADING", Kind: annex.NamePrimary}, {Name: "LRT", Kind: annex.NameWeakAlias}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

func TestParseOFACMalformed(t *testing.T) {
	sdn, alt, add, _ := ofacFixtures(t)
	tests := []struct {
		name  string
		files []lists.File
		field string
	}{
		{"short row", []lists.File{replace(t, sdn, `-0- ,"NPWMD",-0- ,`, `-0- ,"NPWMD",`)}, "sdn.csv:2"},
		{"bad quote", []lists.File{replace(t, sdn, `"SEA FICTION"`, `"SEA "FICTION"`)}, "sdn.csv:3"},
		{"bad ent_num", []lists.File{replace(t, sdn, "9003,", "90O3,")}, "sdn.csv:3"},
		{"repeated ent_num", []lists.File{replace(t, sdn, "9003,", "9002,")}, "sdn.csv:3"},
		{"no name", []lists.File{replace(t, sdn, `"SEA FICTION"`, `-0- `)}, "sdn.csv:3"},
		{"unknown ent_num", []lists.File{sdn, replace(t, alt, "9002,502", "9999,502")}, "alt.csv:2"},
		{"long address row", []lists.File{sdn, replace(t, add, `"Tehran",`, `"Tehran","Tehran",`)}, "add.csv:2"},
		{"no sdn.csv", []lists.File{alt, add}, "alt.csv"},
		{"two alt.csv", []lists.File{sdn, alt, alt}, "alt.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, ents, err := lists.Parse(tt.files...)
			if snap != nil || ents != nil {
				t.Errorf("got a snapshot or entities with an error")
			}
			wantInvalid(t, err, tt.field)
		})
	}
}

// TestParseOFAC2024Real checks the full sdn.csv of 2024-05-03 (no alt.csv
// or add.csv were kept with it). The anchors report 14,965 entries (6,854
// individuals, 6,884 entities, 851 vessels, 376 aircraft) and 3,578 weak
// a.k.a.s in the remarks; there are also 87 f.k.a. and 1 n.k.a. items, and
// three of the 3,666 repeat another name of their entity.
func TestParseOFAC2024Real(t *testing.T) {
	snap, ents := mustParse(t, realFile(t, "ofac-sdn-2024-05-03.csv"))
	if snap.Entities != 14965 || snap.Names != 18628 {
		t.Errorf("snapshot=%+v, want 14965 entities, 18628 names", snap)
	}
	wantTypes := map[annex.EntityType]int{annex.EntityPerson: 6854, annex.EntityOrganization: 6884,
		annex.EntityVessel: 851, annex.EntityAircraft: 376}
	if diff := cmp.Diff(wantTypes, types(ents)); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	wantKinds := map[annex.NameKind]int{annex.NamePrimary: 14965, annex.NameWeakAlias: 3663}
	if diff := cmp.Diff(wantKinds, kinds(ents)); diff != "" {
		t.Errorf("name kinds (-want +got):\n%s", diff)
	}
	ebano := entity(t, ents, "4243")
	wantEbano := &annex.ListEntity{
		Source: annex.SourceOFACSDN, SourceID: "4243", Type: annex.EntityVessel,
		Names: []annex.EntityName{
			{Name: "EBANO", Kind: annex.NamePrimary},
			{Name: "ANA I", Kind: annex.NameWeakAlias},
			{Name: "SAND SWAN", Kind: annex.NameWeakAlias},
		},
		Countries:   []string{"PA"},
		Identifiers: []annex.Identifier{{Type: annex.IDIMO, Value: "7406784"}},
		Programs:    []string{"CUBA"},
		Remarks:     "Vessel Registration Identification IMO 7406784; f.k.a. 'ANA I'; f.k.a. 'SAND SWAN'.",
	}
	if diff := cmp.Diff(wantEbano, ebano); diff != "" {
		t.Errorf("4243 (-want +got):\n%s", diff)
	}
	imo := 0
	for _, e := range ents {
		for _, id := range e.Identifiers {
			if id.Type == annex.IDIMO {
				imo++
			}
		}
	}
	if imo < 850 {
		t.Errorf("%d IMO numbers, want at least one per vessel", imo)
	}
}

// TestParseOFAC2021Real parses a consistent 2021 set: sdn.csv with its
// alt.csv (11,523 aka, 369 fka, 18 nka) and add.csv.
func TestParseOFAC2021Real(t *testing.T) {
	snap, ents := mustParse(t, realFile(t, "ofac-2021/sdn.csv"), realFile(t, "ofac-2021/alt.csv"), realFile(t, "ofac-2021/add.csv"))
	if snap.Entities != 8976 || snap.Names != 23318 || len(snap.Files) != 3 {
		t.Errorf("snapshot=%+v, want 8976 entities, 23318 names, 3 files", snap)
	}
	wantKinds := map[annex.NameKind]int{annex.NamePrimary: 8976, annex.NameAlias: 11535,
		annex.NameFormer: 369, annex.NameWeakAlias: 2438}
	if diff := cmp.Diff(wantKinds, kinds(ents)); diff != "" {
		t.Errorf("name kinds (-want +got):\n%s", diff)
	}
	bnc := entity(t, ents, "306")
	want := []annex.EntityName{
		{Name: "BANCO NACIONAL DE CUBA", Kind: annex.NamePrimary},
		{Name: "NATIONAL BANK OF CUBA", Kind: annex.NameAlias},
		{Name: "BNC", Kind: annex.NameWeakAlias},
	}
	if diff := cmp.Diff(want, bnc.Names); diff != "" || bnc.Addresses[0] != "Zweierstrasse 35, Zurich CH-8022, Switzerland" {
		t.Errorf("306 names (-want +got):\n%s addresses=%v", diff, bnc.Addresses)
	}
}

// TestParseOFACXMLFixture: sdn.xml holds the first three entries of the CSV
// fixture; both formats give the same entities but for Remarks, which the
// XML keeps for what its elements do not hold.
func TestParseOFACXMLFixture(t *testing.T) {
	f := fixture(t, "sdn.xml")
	snap, ents := mustParse(t, f)
	if snap.Format != "ofac-sdn-xml" || snap.Published != "2031-05-14" || snap.SHA256 != sha256Hex(f.Data) {
		t.Errorf("snapshot=%+v", snap)
	}
	sdn, alt, add, _ := ofacFixtures(t)
	_, fromCSV := mustParse(t, sdn, alt, add)
	for _, e := range fromCSV {
		e.Remarks = ""
	}
	fromCSV[1].Remarks = "Linked To: QUESTEN, Torval."
	if diff := cmp.Diff(fromCSV[:3], ents); diff != "" {
		t.Errorf("XML entities differ from CSV ones (-csv +xml):\n%s", diff)
	}
}

func TestParseOFACXMLMalformed(t *testing.T) {
	f := fixture(t, "sdn.xml")
	tests := []struct {
		name  string
		file  lists.File
		field string
	}{
		{"truncated", lists.File{Name: "sdn.xml", Data: f.Data[:3000]}, "sdn.xml:109"},
		{"bad date of birth", replace(t, f, "<dateOfBirth>1962</dateOfBirth>", "<dateOfBirth>1962-1961</dateOfBirth>"), "sdn.xml:7"},
		{"bad type", replace(t, f, "<sdnType>Vessel</sdnType>", "<sdnType>Ship</sdnType>"), "sdn.xml:141"},
		{"repeated uid", replace(t, f, "<uid>9003</uid>", "<uid>9002</uid>"), "sdn.xml:141"},
		{"bad publish date", replace(t, f, "05/14/2031", "14/05/2031"), "sdn.xml:3"},
		{"mismatched tag", replace(t, f, "</lastName>", "</firstName>"), "sdn.xml:10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := lists.Parse(tt.file)
			wantInvalid(t, err, tt.field)
		})
	}
}

// TestParseOFACWindows1252: a CSV file that is not UTF-8 is read as
// Windows-1252, as older OFAC files were written, rather than rejected.
func TestParseOFACWindows1252(t *testing.T) {
	sdn := fixture(t, "ofac/sdn.csv")
	f := replace(t, sdn, `"QUESTEN, Torval"`, "\"QUESTEN, Jos\xe9 \x80\"")
	_, ents := mustParse(t, f)
	if got := ents[0].Names[0].Name; got != "QUESTEN, José €" {
		t.Errorf("name=%q, want QUESTEN, José €", got)
	}
}
