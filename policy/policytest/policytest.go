// Package policytest is what the tests of every interface share to run the
// table of applications in policy/testdata/applications.json, so that the
// policy engine, the CLI, the API and the web pages are held to the same
// answers: the table's rows, the check of an answer against a row, and the
// real assessment over the lists package's UN and Denied Persons fixtures.
package policytest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"annex"
	"annex/controllist"
	"annex/lists"
	"annex/policy"
	"annex/screen"
)

// Case is one row of the table.
type Case struct {
	Name            string          `json:"name"`
	Application     json.RawMessage `json:"application"`
	Holds           []annex.Hold    `json:"holds"`
	Recommendation  string          `json:"recommendation"`
	Presumption     string          `json:"presumption"`
	LicenceRequired bool            `json:"licence_required"`
	Rules           []string        `json:"rules"`
	AbsentRules     []string        `json:"absent_rules"`
}

// Clock is the day of the table's assessments.
var Clock = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// root is the module's directory, found from this file's, so that the
// tests of any package read the same files.
func root(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("policytest: cannot locate the module")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// LoadCases reads the table.
func LoadCases(tb testing.TB) []Case {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(root(tb), "policy", "testdata", "applications.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cases []Case
	if err := json.Unmarshal(b, &cases); err != nil {
		tb.Fatal(err)
	}
	return cases
}

// Rules returns the rules an assessment cites, in order.
func Rules(a *annex.Assessment) []string {
	var rules []string
	for _, r := range a.Reasons {
		rules = append(rules, r.Rule)
	}
	return rules
}

// CheckOutcome compares what an interface answered with what a case
// expects: the recommendation, presumption, whether a licence is required,
// and the rules cited and not cited.
func CheckOutcome(tb testing.TB, tt Case, rec, pre string, licence bool, rules []string) {
	tb.Helper()
	if rec != tt.Recommendation || pre != tt.Presumption || licence != tt.LicenceRequired {
		tb.Errorf("got %s/%s/%v, want %s/%s/%v; rules %v", rec, pre, licence, tt.Recommendation, tt.Presumption, tt.LicenceRequired, rules)
	}
	for _, r := range tt.Rules {
		if !slices.Contains(rules, r) {
			tb.Errorf("rules=%v, want %s", rules, r)
		}
	}
	for _, r := range tt.AbsentRules {
		if slices.Contains(rules, r) {
			tb.Errorf("rules=%v, want no %s", rules, r)
		}
	}
}

// CheckAssessment is CheckOutcome for an assessment.
func CheckAssessment(tb testing.TB, tt Case, a *annex.Assessment) {
	tb.Helper()
	CheckOutcome(tb, tt, string(a.Recommendation), string(a.Presumption), a.LicenceRequired, Rules(a))
}

// IndexScreener screens against an index as the server's screener does:
// with the index's default threshold reported, so that a weak hit refers.
type IndexScreener struct{ Index *screen.Index }

// Screen implements annex.ScreenService.
func (s IndexScreener) Screen(_ context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
	r := s.Index.Screen(q, threshold, limit)
	r.Threshold = screen.DefaultThreshold
	return &r, nil
}

// NewService returns the real assessment on Clock's day: the control list
// cl, the lists package's UN and Denied Persons fixtures, the built-in
// destinations and the holds given.
func NewService(tb testing.TB, cl *controllist.Service, holds []annex.Hold) *policy.Service {
	tb.Helper()
	var files []lists.File
	for _, name := range []string{"un.xml", "dpl.txt"} {
		b, err := os.ReadFile(filepath.Join(root(tb), "lists", "testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, lists.File{Name: name, Data: b})
	}
	results, err := lists.ParseAll(files...)
	if err != nil {
		tb.Fatal(err)
	}
	var ents []*annex.ListEntity
	for _, r := range results {
		ents = append(ents, r.Entities...)
	}
	dest, err := policy.BuiltInDestinations()
	if err != nil {
		tb.Fatal(err)
	}
	return &policy.Service{ControlList: cl, Screener: IndexScreener{screen.NewIndex(ents, screen.Options{})},
		Destinations: dest, Holds: func(context.Context) ([]annex.Hold, error) { return holds, nil },
		Now: func() time.Time { return Clock }}
}
