package controllist_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"annex"
	"annex/controllist"
)

// classCase is one row of a case file in testdata/cases: an item and what
// the classifier must decide for it.
type classCase struct {
	Name     string         `json:"name"`
	Item     annex.Item     `json:"item"`
	Status   string         `json:"status"`
	Category annex.Category `json:"category"`
	Entries  []string       `json:"entries"`
	// NearMiss lists entries that must appear among the near misses.
	NearMiss []string `json:"near_miss"`
	// Rules lists rule IDs that must have applied (to a match) or appear in
	// a note.
	Rules []string `json:"rules"`
}

func mustClassifier(tb testing.TB) *controllist.Classifier {
	tb.Helper()
	vs, err := controllist.BuiltIn()
	if err != nil {
		tb.Fatalf("BuiltIn: %v", err)
	}
	c, err := controllist.NewClassifier(vs[0])
	if err != nil {
		tb.Fatalf("NewClassifier: %v", err)
	}
	return c
}

// TestCases runs every case file: each case states the status, category and
// entries the classifier must find.
func TestCases(t *testing.T) {
	c := mustClassifier(t)
	files, err := filepath.Glob("testdata/cases/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	total := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []classCase
		if err := json.Unmarshal(b, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		total += len(cases)
		t.Run(filepath.Base(f), func(t *testing.T) {
			for _, tt := range cases {
				t.Run(tt.Name, func(t *testing.T) { checkCase(t, c, tt) })
			}
		})
	}
	if total < 80 {
		t.Errorf("cases=%d, want at least 80", total)
	}
}

func checkCase(t *testing.T, c *controllist.Classifier, tt classCase) {
	t.Helper()
	cl, err := c.ClassifyItem(tt.Item)
	if err != nil {
		t.Fatalf("ClassifyItem: %v", err)
	}
	if string(cl.Status) != tt.Status {
		t.Errorf("Status=%v, want %v (%s)", cl.Status, tt.Status, cl.Summary)
	}
	if cl.Controlled != (tt.Status == "controlled") {
		t.Errorf("Controlled=%v with status %v", cl.Controlled, cl.Status)
	}
	if cl.Category != tt.Category {
		t.Errorf("Category=%q, want %q", cl.Category, tt.Category)
	}
	var got []string
	for _, m := range cl.Entries {
		got = append(got, m.ID)
	}
	want := append([]string(nil), tt.Entries...)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("Entries=%v, want %v", got, want)
	}
	for _, id := range tt.NearMiss {
		if !slices.ContainsFunc(cl.NearMisses, func(n annex.NearMiss) bool { return n.Entry == id }) {
			t.Errorf("NearMisses=%v, want one for %s", cl.NearMisses, id)
		}
	}
	for _, id := range tt.Rules {
		if !appliedRule(cl, id) {
			t.Errorf("rule %s did not apply; entries %v, notes %v", id, cl.Entries, cl.Notes)
		}
	}
}

func appliedRule(cl *annex.Classification, id string) bool {
	for _, m := range cl.Entries {
		for _, r := range m.Rules {
			if r.ID == id {
				return true
			}
		}
	}
	for _, n := range cl.Notes {
		if n.Rule == id && n.Type != annex.NoteUntested {
			return true
		}
	}
	return false
}
