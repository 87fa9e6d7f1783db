package lists_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/lists"
)

const (
	cslEL  = "Entity List (EL) - Bureau of Industry and Security"
	cslSDN = "Specially Designated Nationals (SDN) - Treasury Department"
	cslISN = "Nonproliferation Sanctions (ISN) - State Department"
)

// cslWant is what the CSV and JSON fixtures hold alike.
func cslWant() []*annex.ListEntity {
	return []*annex.ListEntity{{
		Source: annex.SourceUSCSL, SourceID: "f00dfeed0001", SourceList: cslEL,
		Names: []annex.EntityName{
			{Name: "Harbin Fictional Guidance Institute", Kind: annex.NamePrimary},
			{Name: "HFGI", Kind: annex.NameAlias},
			{Name: "Harbin Guidance Works", Kind: annex.NameAlias},
		},
		Countries: []string{"CN"},
		Addresses: []string{"1 Example Avenue, Harbin, Heilongjiang, CN", "2 Sample Street, Harbin, CN"},
		ListedOn:  "2029-05-01",
	}, {
		Source: annex.SourceUSCSL, SourceID: "70001", SourceList: cslSDN, Type: annex.EntityPerson,
		Names: []annex.EntityName{
			{Name: "VOSKRES, Anatoly Ilyich", Kind: annex.NamePrimary},
			{Name: "VOSKRESSENSKY, Anatoly", Kind: annex.NameAlias},
		},
		Countries:    []string{"RU", "BY"},
		Addresses:    []string{"Moscow, RU"},
		DatesOfBirth: []string{"1966-07-21", "1967"},
		Identifiers:  []annex.Identifier{{Type: annex.IDPassport, Value: "7712345678", Country: "RU"}},
		Programs:     []string{"NPWMD", "IFSR"},
	}, {
		Source: annex.SourceUSCSL, SourceID: "70002", SourceList: cslSDN, Type: annex.EntityVessel,
		Names:       []annex.EntityName{{Name: "MIDNIGHT FABLE", Kind: annex.NamePrimary}},
		Countries:   []string{"KM"},
		Identifiers: []annex.Identifier{{Type: annex.IDIMO, Value: "9234567"}, {Type: annex.IDOther, Value: "616000001"}},
		Programs:    []string{"IRAN-EO13902"},
	}, {
		Source: annex.SourceUSCSL, SourceID: "a9b8c7d6e5f4", SourceList: cslISN,
		Names:    []annex.EntityName{{Name: "Orbital Fiction Propulsion Bureau; and any successor, sub-unit, or subsidiary thereof", Kind: annex.NamePrimary}},
		Programs: []string{"INKSNA"},
		ListedOn: "2029-01-10",
	}}
}

func TestParseCSLCSVFixture(t *testing.T) {
	snap, ents := mustParse(t, fixture(t, "csl.csv"))
	if snap.Format != "csl-csv" || snap.Source != annex.SourceUSCSL || snap.Entities != 4 {
		t.Errorf("snapshot=%+v", snap)
	}
	if diff := cmp.Diff(cslWant(), ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

func TestParseCSLJSONFixture(t *testing.T) {
	snap, ents := mustParse(t, fixture(t, "csl.json"))
	if snap.Format != "csl-json" || snap.Source != annex.SourceUSCSL {
		t.Errorf("snapshot=%+v", snap)
	}
	want := cslWant()[:3]
	want[0].Addresses = want[0].Addresses[:1] // the JSON fixture gives one address
	if diff := cmp.Diff(want, ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	// A bare array of entries reads the same.
	doc := string(fixture(t, "csl.json").Data)
	start, end := indexOf(doc, `"results": [`)+len(`"results": `), lastIndexOf(doc, "]")
	_, arr, err := lists.Parse(lists.File{Name: "results.json", Data: []byte(doc[start : end+1])})
	if err != nil || len(arr) != 3 {
		t.Fatalf("array: %d entities, %v", len(arr), err)
	}
}

// TestParseCSLOldFixture reads the older CSV, without _id, whose ids are
// "country, number, type" and whose Entity List rows have no number: they
// get "EL:" and the name, and the second of two alike "#2".
func TestParseCSLOldFixture(t *testing.T) {
	_, ents := mustParse(t, fixture(t, "csl_old.csv"))
	var ids []string
	for _, e := range ents {
		ids = append(ids, e.SourceID)
	}
	if diff := cmp.Diff([]string{"EL:Fictional Avionics Ltd.", "EL:Fictional Avionics Ltd.#2", "60001"}, ids); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	wantIDs := []annex.Identifier{{Type: annex.IDTax, Value: "900123456-7", Country: "CO"}, {Type: annex.IDRegistration, Value: "12345"}}
	if diff := cmp.Diff(wantIDs, ents[2].Identifiers); diff != "" {
		t.Errorf("identifiers (-want +got):\n%s", diff)
	}
}

func TestParseCSLMalformed(t *testing.T) {
	csv, js := fixture(t, "csl.csv"), fixture(t, "csl.json")
	tests := []struct {
		name  string
		file  lists.File
		field string
	}{
		{"bad date of birth", replace(t, csv, "1966-07-21", "21/07/1966"), "csl.csv:3"},
		{"bad start date", replace(t, csv, "2029-01-10", "2029-13-10"), "csl.csv:5"},
		{"short row", replace(t, csv, `"MIDNIGHT FABLE","",`, `"MIDNIGHT FABLE",`), "csl.csv:4"},
		{"no name", replace(t, csv, `"MIDNIGHT FABLE"`, `""`), "csl.csv:4"},
		{"json truncated", lists.File{Name: "csl.json", Data: js.Data[:400]}, "csl.json:17"},
		{"json bad type", replace(t, js, `"alt_names": [`, `"alt_names": {"x": 1}, "z": [`), "csl.json:9"},
		{"json bad date", replace(t, js, `"start_date": "2029-05-01"`, `"start_date": "May 2029"`), "csl.json:9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := lists.Parse(tt.file)
			wantInvalid(t, err, tt.field)
		})
	}
}

// TestParseCSLSampleReal checks the current-format sample of 13 rows, one or
// two per source, each keeping its source as SourceList.
func TestParseCSLSampleReal(t *testing.T) {
	snap, ents := mustParse(t, realFile(t, "us-csl-format-sample.csv"))
	if snap.Entities != 13 || snap.Names != 28 {
		t.Errorf("snapshot=%+v, want 13 entities, 28 names", snap)
	}
	sources := make(map[string]int)
	for _, e := range ents {
		sources[e.SourceList]++
	}
	if len(sources) != 10 || sources["Sectoral Sanctions Identifications List (SSI) - Treasury Department"] != 3 {
		t.Errorf("sources=%v, want 10 with 3 SSI", sources)
	}
	el := entity(t, ents, "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be")
	if el.SourceList != cslEL || len(el.Names) != 7 || el.ListedOn != "2018-08-01" || el.Countries[0] != "CN" {
		t.Errorf("EL entry=%+v", el)
	}
	rim := entity(t, ents, "52291")
	want := &annex.ListEntity{
		Source: annex.SourceUSCSL, SourceID: "52291", Type: annex.EntityPerson, SourceList: cslSDN,
		Names:        []annex.EntityName{{Name: "RIM, Ryong Nam", Kind: annex.NamePrimary}},
		Countries:    []string{"KP", "CN"},
		Addresses:    []string{"Shenyang, CN", "Pyongyang, KP"},
		DatesOfBirth: []string{"1978-12-05"},
		Identifiers:  []annex.Identifier{{Type: annex.IDPassport, Value: "836238033", Country: "KP"}},
		Programs:     []string{"NPWMD"},
	}
	if diff := cmp.Diff(want, rim); diff != "" {
		t.Errorf("52291 (-want +got):\n%s", diff)
	}
}
