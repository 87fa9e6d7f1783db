package lists_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/lists"
)

func TestParseUNFixture(t *testing.T) {
	snap, ents := mustParse(t, fixture(t, "un.xml"))
	want := &annex.ListSnapshot{
		Source: annex.SourceUN, Format: "un-xml", Files: []string{"un.xml"}, Published: "2031-05-14",
		SHA256: sha256Hex(fixture(t, "un.xml").Data), Entities: 3, Names: 8,
	}
	if diff := cmp.Diff(want, snap); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
	wantEnts := []*annex.ListEntity{{
		Source: annex.SourceUN, SourceID: "TLi.001", Type: annex.EntityPerson,
		Names: []annex.EntityName{
			{Name: "TORVAL QUESTEN MARDOVAR", Kind: annex.NamePrimary},
			{Name: "Торвал Квестен Мардовар", Kind: annex.NameOriginal},
			{Name: "Torval Mardovar", Kind: annex.NameAlias},
			{Name: "The Engineer", Kind: annex.NameWeakAlias},
		},
		Countries:    []string{"KP", "IR"},
		Addresses:    []string{"12 Example Street, Pyongyang, Democratic People's Republic of Korea"},
		DatesOfBirth: []string{"1961-03-09", "1962"},
		Identifiers: []annex.Identifier{
			{Type: annex.IDPassport, Value: "PX1234567", Country: "KP"},
			{Type: annex.IDNationalID, Value: "55-0912-771"},
		},
		Programs: []string{"Testland"}, ListedOn: "2030-01-15",
		Remarks: "Procurement agent for the fictional propellant programme.",
	}, {
		Source: annex.SourceUN, SourceID: "TLi.002", Type: annex.EntityPerson,
		Names:        []annex.EntityName{{Name: "ILSA VANTERPOOL", Kind: annex.NamePrimary}},
		DatesOfBirth: []string{"1970", "1971", "1972"},
		Programs:     []string{"Testland"}, ListedOn: "2030-02-01",
	}, {
		Source: annex.SourceUN, SourceID: "TLe.001", Type: annex.EntityOrganization,
		Names: []annex.EntityName{
			{Name: "NORTHWIND SOLID MOTOR WORKS", Kind: annex.NamePrimary},
			{Name: "NSMW", Kind: annex.NameAlias},
			{Name: "Northwind Casting Bureau", Kind: annex.NameFormer},
		},
		Countries: []string{"IR"},
		Addresses: []string{"Tehran, Iran (Islamic Republic of)"},
		Programs:  []string{"Testland"}, ListedOn: "2030-01-15",
		Remarks: "Makes fictional rocket motor casings.",
	}}
	if diff := cmp.Diff(wantEnts, ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

func TestParseUNMalformed(t *testing.T) {
	un := fixture(t, "un.xml")
	tests := []struct {
		name  string
		file  lists.File
		field string
	}{
		{"truncated", lists.File{Name: "un.xml", Data: un.Data[:len(un.Data)/2]}, "un.xml:51"},
		{"bad date", replace(t, un, "<DATE>1961-03-09</DATE>", "<DATE>1961-02-30</DATE>"), "un.xml:4"},
		{"bad year range", replace(t, un, "<TO_YEAR>1972</TO_YEAR>", "<TO_YEAR>1962</TO_YEAR>"), "un.xml:63"},
		{"bad listed on", replace(t, un, "<LISTED_ON>2030-01-15</LISTED_ON>", "<LISTED_ON>15/01/2030</LISTED_ON>"), "un.xml:4"},
		{"no name", replace(t, un, "<FIRST_NAME>ILSA</FIRST_NAME>\n      <SECOND_NAME>VANTERPOOL</SECOND_NAME>", ""), "un.xml:63"},
		{"wrong root", lists.File{Name: "un.xml", Data: []byte(`<CONSOLIDATED_LIST><X/></CONSOLIDATED_LIST`)}, "un.xml:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ents, err := lists.Parse(tt.file)
			if ents != nil {
				t.Errorf("entities=%d, want none", len(ents))
			}
			wantInvalid(t, err, tt.field)
		})
	}
}

// TestParseUNReal checks the UN file of 2026-02-27. The anchors report 730
// individuals, 273 entities, 3,043 aliases and 378 original-script names.
// The 3,043 counts ALIAS_NAME elements, 291 of which are empty; of the 2,752
// others, 1,524 are Good and 594 a.k.a. (aliases), 615 Low (weak) and 19
// f.k.a. (former). Names equal to another name of the entity but for case
// are kept once, which folds 15 aliases, one former name and one original
// name (QDe.164's original script is its Latin name).
func TestParseUNReal(t *testing.T) {
	snap, ents := mustParse(t, realFile(t, "un-consolidated-2026-02-27.xml"))
	if snap.Published != "2026-02-27" || snap.Entities != 1003 || snap.Names != 4116 {
		t.Errorf("snapshot=%+v, want 2026-02-27, 1003 entities, 4116 names", snap)
	}
	wantTypes := map[annex.EntityType]int{annex.EntityPerson: 730, annex.EntityOrganization: 273}
	if diff := cmp.Diff(wantTypes, types(ents)); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	wantKinds := map[annex.NameKind]int{
		annex.NamePrimary: 1003, annex.NameAlias: 2103, annex.NameWeakAlias: 615,
		annex.NameFormer: 18, annex.NameOriginal: 377,
	}
	if diff := cmp.Diff(wantKinds, kinds(ents)); diff != "" {
		t.Errorf("name kinds (-want +got):\n%s", diff)
	}
	saddam := entity(t, ents, "IQi.001")
	if saddam.Names[1] != (annex.EntityName{Name: "صدام حسين التكريتي", Kind: annex.NameOriginal}) {
		t.Errorf("IQi.001 names=%v, want the Arabic original second", saddam.Names)
	}
	if saddam.Programs[0] != "Iraq" || saddam.ListedOn != "2003-06-27" {
		t.Errorf("IQi.001 programs=%v listed=%s", saddam.Programs, saddam.ListedOn)
	}
	adf := entity(t, ents, "CDe.001")
	if adf.Type != annex.EntityOrganization || len(adf.Names) != 5 || adf.Names[2].Kind != annex.NameFormer {
		t.Errorf("CDe.001=%+v, want an organisation with an alias and three former names", adf)
	}
}

// TestParseUNLatin1: an XML file that declares ISO-8859-1 is decoded.
func TestParseUNLatin1(t *testing.T) {
	un := fixture(t, "un.xml")
	f := replace(t, replace(t, un, `encoding="UTF-8"`, `encoding="ISO-8859-1"`), "<FIRST_NAME>ILSA</FIRST_NAME>", "<FIRST_NAME>IL\xc7A</FIRST_NAME>")
	f = replace(t, f, "<NAME_ORIGINAL_SCRIPT>Торвал Квестен Мардовар</NAME_ORIGINAL_SCRIPT>", "")
	_, ents := mustParse(t, f)
	if got := ents[1].Names[0].Name; got != "ILÇA VANTERPOOL" {
		t.Errorf("name=%q, want ILÇA VANTERPOOL", got)
	}
	_, _, err := lists.Parse(replace(t, un, `encoding="UTF-8"`, `encoding="EBCDIC"`))
	wantInvalid(t, err, "un.xml:1")
}
