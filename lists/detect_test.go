package lists_test

import (
	"strings"
	"testing"

	"annex"
	"annex/lists"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		file string
		want lists.Format
	}{
		{"un.xml", lists.FormatUNXML},
		{"ofac/sdn.csv", lists.FormatOFACSDNCSV},
		{"ofac/alt.csv", lists.FormatOFACAltCSV},
		{"ofac/add.csv", lists.FormatOFACAddCSV},
		{"ofac/sdn_comments.csv", lists.FormatOFACCommentsCSV},
		{"sdn.xml", lists.FormatOFACSDNXML},
		{"csl.csv", lists.FormatCSLCSV},
		{"csl_old.csv", lists.FormatCSLCSV},
		{"csl.json", lists.FormatCSLJSON},
		{"dpl.txt", lists.FormatBISDPLTSV},
		{"eu.xml", lists.FormatEUXML},
		{"eu.csv", lists.FormatEUCSV},
		{"uk.csv", lists.FormatUKCSV},
		{"uk_conlist.csv", lists.FormatUKCSV},
		{"uk.xml", lists.FormatUKXML},
		{"entities.ftm.json", lists.FormatFTMJSON},
	}
	seen := make(map[lists.Format]bool)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := fixture(t, tt.file)
			if got, err := lists.Detect(f); got != tt.want || err != nil {
				t.Errorf("Detect(%s)=%q, %v, want %q", tt.file, got, err, tt.want)
			}
			// The name is no more than a tie-breaker.
			f.Name = "download"
			if got, _ := lists.Detect(f); got != tt.want {
				t.Errorf("Detect(%s renamed)=%q, want %q", tt.file, got, tt.want)
			}
		})
		seen[tt.want] = true
	}
	for _, f := range lists.Formats {
		if !seen[f] {
			t.Errorf("no detection test for %s", f)
		}
		if f.Source() == "" {
			t.Errorf("%s has no source", f)
		}
	}
}

func TestDetectReal(t *testing.T) {
	tests := []struct {
		file string
		want lists.Format
	}{
		{"un-consolidated-2026-02-27.xml", lists.FormatUNXML},
		{"ofac-sdn-2024-05-03.csv", lists.FormatOFACSDNCSV},
		{"ofac-2021/sdn.csv", lists.FormatOFACSDNCSV},
		{"ofac-2021/alt.csv", lists.FormatOFACAltCSV},
		{"ofac-2021/add.csv", lists.FormatOFACAddCSV},
		{"bis-dpl-2024-12-28.txt", lists.FormatBISDPLTSV},
		{"us-csl-format-sample.csv", lists.FormatCSLCSV},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if got, err := lists.Detect(realFile(t, tt.file)); got != tt.want || err != nil {
				t.Errorf("Detect=%q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

func TestDetectUnknown(t *testing.T) {
	tests := []struct {
		name, data string
	}{
		{"empty.csv", ""},
		{"blank.csv", " \r\n\t\n"},
		{"notes.txt", "Just some notes,\nabout lists.\n"},
		{"feed.xml", `<?xml version="1.0"?><rss><channel/></rss>`},
		{"ConList.xml", `<?xml version="1.0"?><ArrayOfFinancialSanctionsTarget/>`},
		{"data.json", `{"hello": "world"}`},
		{"broken.xml", "<"},
		{"header.csv", "id,name,country\n1,Example,US\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lists.Detect(lists.File{Name: tt.name, Data: []byte(tt.data)})
			wantInvalid(t, err, tt.name)
		})
	}
}

// TestDetectByName: a headerless CSV whose first row OFAC's counts do not
// fit is named by its file name, the tie-breaker.
func TestDetectByName(t *testing.T) {
	data := []byte("\"unterminated\n")
	for name, want := range map[string]lists.Format{"SDN.CSV": lists.FormatOFACSDNCSV, "alt.csv": lists.FormatOFACAltCSV,
		"dir/add.csv": lists.FormatOFACAddCSV, "sdn_comments.csv": lists.FormatOFACCommentsCSV} {
		if got, err := lists.Detect(lists.File{Name: name, Data: data}); got != want || err != nil {
			t.Errorf("Detect(%s)=%q, %v, want %q", name, got, err, want)
		}
	}
}

func TestParseAll(t *testing.T) {
	var files []lists.File
	for _, name := range []string{"entities.ftm.json", "uk.xml", "eu.xml", "dpl.txt", "csl.csv",
		"ofac/add.csv", "ofac/sdn.csv", "ofac/alt.csv", "un.xml"} {
		files = append(files, fixture(t, name))
	}
	results, err := lists.ParseAll(files...)
	if err != nil {
		t.Fatal(err)
	}
	var got []annex.ListSource
	for _, r := range results {
		got = append(got, r.Snapshot.Source)
		if r.Snapshot.Entities != len(r.Entities) || r.Snapshot.Entities == 0 {
			t.Errorf("%s: %d entities, snapshot says %d", r.Snapshot.Source, len(r.Entities), r.Snapshot.Entities)
		}
	}
	want := []annex.ListSource{annex.SourceUN, annex.SourceOFACSDN, annex.SourceUSCSL, annex.SourceBISDPL,
		annex.SourceEU, annex.SourceUK, annex.SourceOpenSanctions}
	if len(got) != len(want) {
		t.Fatalf("sources=%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sources=%v, want %v", got, want)
		}
	}
	if n := len(results[1].Snapshot.Files); n != 3 {
		t.Errorf("OFAC files=%d, want 3", n)
	}
}

func TestParseAllConflicts(t *testing.T) {
	un := fixture(t, "un.xml")
	tests := []struct {
		name  string
		files []lists.File
		field string
	}{
		{"two UN lists", []lists.File{un, {Name: "un-copy.xml", Data: un.Data}}, "un-copy.xml"},
		{"OFAC CSV and XML", []lists.File{fixture(t, "ofac/sdn.csv"), fixture(t, "sdn.xml")}, "sdn.xml"},
		{"an unknown file", []lists.File{un, {Name: "notes.txt", Data: []byte("notes")}}, "notes.txt"},
		{"a bad list", []lists.File{un, replace(t, fixture(t, "dpl.txt"), "03/15/2029", "15/03/2029")}, "dpl.txt:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, err := lists.ParseAll(tt.files...)
			if results != nil {
				t.Errorf("results with an error")
			}
			wantInvalid(t, err, tt.field)
		})
	}
}

// TestDetectLongFTMLine: an entity line longer than the part of the file
// Detect reads is still FollowTheMoney.
func TestDetectLongFTMLine(t *testing.T) {
	line := `{"id": "NK-long", "schema": "Person", "properties": {"name": ["Long Notes"], "notes": ["` +
		strings.Repeat("x", 70<<10) + `"]}, "target": true}` + "\n"
	f := lists.File{Name: "entities.ftm.json", Data: []byte(line)}
	if got, err := lists.Detect(f); got != lists.FormatFTMJSON || err != nil {
		t.Fatalf("Detect=%q, %v", got, err)
	}
	if _, ents := mustParse(t, f); len(ents) != 1 || len(ents[0].Remarks) != 70<<10 {
		t.Fatalf("parsed %d entities", len(ents))
	}
}
