package lists

// Fuzz tests, one per parser, each seeded with its fixtures. Every target
// is independent; run one with, for example,
//
//	go test ./lists -run '^$' -fuzz '^FuzzParseUN$' -fuzztime 10s -fuzzminimizetime 2s
//
// In a short run, -fuzzminimizetime keeps the fuzzer from spending the
// whole -fuzztime shrinking its first interesting inputs (60 s by default).
// testdata/fuzz holds the inputs the fuzzers found that once failed.
//
// The invariants: no panic; an error is EINVALID, names the file (and
// line), and comes with no entities; a success gives entities with an ID, a
// primary name first, clean names, dates in the model's form and ISO
// country codes, counted right in the snapshot.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"annex"
)

// seed adds the named testdata files to a fuzz corpus.
func seed(f *testing.F, names ...string) {
	f.Helper()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkParse checks the invariants of a parse of a file named name.
func checkParse(t *testing.T, name string, snap *annex.ListSnapshot, ents []*annex.ListEntity, err error) {
	t.Helper()
	if err != nil {
		if code := annex.ErrorCode(err); code != annex.EINVALID {
			t.Fatalf("error code %q, want %q: %v", code, annex.EINVALID, err)
		}
		fields := annex.ErrorFields(err)
		if len(fields) != 1 || !strings.HasPrefix(fields[0].Field, name) {
			t.Fatalf("error fields %v do not name %s", fields, name)
		}
		if snap != nil || ents != nil {
			t.Fatal("results with an error")
		}
		return
	}
	if snap.Entities != len(ents) {
		t.Fatalf("snapshot counts %d entities, got %d", snap.Entities, len(ents))
	}
	names := 0
	ids := make(map[string]bool, len(ents))
	for _, e := range ents {
		names += len(e.Names)
		if e.SourceID == "" || ids[e.SourceID] {
			t.Fatalf("empty or repeated source ID %q", e.SourceID)
		}
		ids[e.SourceID] = true
		if len(e.Names) == 0 || e.Names[0].Kind != annex.NamePrimary {
			t.Fatalf("%s: no primary name first: %v", e.SourceID, e.Names)
		}
		for _, n := range e.Names {
			if n.Name == "" || clean(n.Name) != n.Name {
				t.Fatalf("%s: unclean name %q", e.SourceID, n.Name)
			}
		}
		for _, d := range e.DatesOfBirth {
			if iso, ok := isoDate(d); !ok || iso != d {
				t.Fatalf("%s: date %q is not YYYY[-MM[-DD]]", e.SourceID, d)
			}
		}
		if e.ListedOn != "" {
			if iso, ok := isoDate(e.ListedOn); !ok || iso != e.ListedOn {
				t.Fatalf("%s: listed on %q", e.SourceID, e.ListedOn)
			}
		}
		for _, c := range e.Countries {
			if code, ok := isoCode(c); !ok || code != c {
				t.Fatalf("%s: country %q is not an ISO code", e.SourceID, c)
			}
		}
	}
	if snap.Names != names {
		t.Fatalf("snapshot counts %d names, got %d", snap.Names, names)
	}
}

// fuzzFormat fuzzes one single-file format.
func fuzzFormat(f *testing.F, format Format, name string, seeds ...string) {
	seed(f, seeds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		snap, ents, err := ParseFormat(format, File{Name: name, Data: data})
		checkParse(t, name, snap, ents, err)
	})
}

func FuzzParseUN(f *testing.F)      { fuzzFormat(f, FormatUNXML, "un.xml", "un.xml") }
func FuzzParseOFACSDN(f *testing.F) { fuzzFormat(f, FormatOFACSDNCSV, "sdn.csv", "ofac/sdn.csv") }
func FuzzParseOFACXML(f *testing.F) { fuzzFormat(f, FormatOFACSDNXML, "sdn.xml", "sdn.xml") }
func FuzzParseCSLCSV(f *testing.F)  { fuzzFormat(f, FormatCSLCSV, "csl.csv", "csl.csv", "csl_old.csv") }
func FuzzParseCSLJSON(f *testing.F) { fuzzFormat(f, FormatCSLJSON, "csl.json", "csl.json") }
func FuzzParseDPL(f *testing.F)     { fuzzFormat(f, FormatBISDPLTSV, "dpl.txt", "dpl.txt") }
func FuzzParseEUXML(f *testing.F)   { fuzzFormat(f, FormatEUXML, "eu.xml", "eu.xml") }
func FuzzParseEUCSV(f *testing.F)   { fuzzFormat(f, FormatEUCSV, "eu.csv", "eu.csv") }
func FuzzParseUKCSV(f *testing.F)   { fuzzFormat(f, FormatUKCSV, "uk.csv", "uk.csv", "uk_conlist.csv") }
func FuzzParseUKXML(f *testing.F)   { fuzzFormat(f, FormatUKXML, "uk.xml", "uk.xml") }
func FuzzParseFTM(f *testing.F) {
	fuzzFormat(f, FormatFTMJSON, "entities.ftm.json", "entities.ftm.json")
}
func FuzzParseOFACAlt(f *testing.F)  { fuzzOFACSide(f, FormatOFACAltCSV, "alt.csv") }
func FuzzParseOFACAdd(f *testing.F)  { fuzzOFACSide(f, FormatOFACAddCSV, "add.csv") }
func FuzzParseOFACNote(f *testing.F) { fuzzOFACSide(f, FormatOFACCommentsCSV, "sdn_comments.csv") }

// fuzzOFACSide fuzzes one of OFAC's side files, parsed with the fixture
// sdn.csv they refer to.
func fuzzOFACSide(f *testing.F, format Format, name string) {
	seed(f, "ofac/"+name)
	sdn, err := os.ReadFile("testdata/ofac/sdn.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		files := []File{{Name: "sdn.csv", Data: sdn}, {Name: name, Data: data}}
		snap, ents, err := parseDetected(files, []Format{FormatOFACSDNCSV, format})
		checkParse(t, name, snap, ents, err) // an error names the side file, never sdn.csv
	})
}

// FuzzDetect: whatever Detect names, Parse reads or rejects cleanly.
func FuzzDetect(f *testing.F) {
	seed(f, "un.xml", "ofac/sdn.csv", "ofac/alt.csv", "sdn.xml", "csl.json", "dpl.txt", "eu.csv", "uk.csv", "entities.ftm.json")
	f.Add([]byte("Report Date: 1-Jan-2030\nUnique ID,Name 6\n"))
	f.Add([]byte(`{"schema":"Person","properties":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := File{Name: "list", Data: data}
		format, err := Detect(file)
		if err != nil {
			checkParse(t, "list", nil, nil, err)
			return
		}
		if format.Source() == "" {
			t.Fatalf("Detect gave %q, which has no source", format)
		}
		snap, ents, err := Parse(file)
		checkParse(t, "list", snap, ents, err)
	})
}

// FuzzRemarks: OFAC's remarks grammar never panics and adds only dates,
// countries and non-empty identifiers of the model's forms.
func FuzzRemarks(f *testing.F) {
	f.Add("DOB 01 Jan 1960; alt. DOB circa 1961; nationality Korea, North; Passport A1 (Iran) expires 2030; a.k.a. 'X'.")
	f.Add("Vessel Registration Identification IMO 1234567; a.k.a. 'ABU-'UMAR'; DOB 1962 to 1963; Registration Number 1 (Stuttgart) (Germany)")
	f.Fuzz(func(t *testing.T, remarks string) {
		e := &annex.ListEntity{SourceID: "1"}
		addName(e, "PRIMARY", annex.NamePrimary)
		applyRemarks(e, clean(remarks))
		for _, d := range e.DatesOfBirth {
			if iso, ok := isoDate(d); !ok || iso != d {
				t.Fatalf("date %q", d)
			}
		}
		for _, id := range e.Identifiers {
			if id.Value == "" || (id.Country != "" && len(id.Country) != 2) {
				t.Fatalf("identifier %+v", id)
			}
		}
		for _, c := range e.Countries {
			if _, ok := isoCode(c); !ok {
				t.Fatalf("country %q", c)
			}
		}
	})
}
