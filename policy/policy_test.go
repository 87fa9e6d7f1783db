package policy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"annex"
	"annex/controllist"
	"annex/lists"
	"annex/policy"
	"annex/screen"
)

// Case is one row of testdata/applications.json, shared with the CLI and
// API tests so that every interface gives the same answers.
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

// indexScreener screens against an index, as the server's screener does.
type indexScreener struct{ ix *screen.Index }

func (s indexScreener) Screen(ctx context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
	r := s.ix.Screen(q, threshold, limit)
	r.Threshold = screen.DefaultThreshold
	return &r, nil
}

// newService returns the assessment service over the real control list and
// the lists package's UN and DPL fixtures.
func newService(t *testing.T, holds []annex.Hold) *policy.Service {
	t.Helper()
	vs, err := controllist.BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	cl, err := controllist.NewService(vs...)
	if err != nil {
		t.Fatal(err)
	}
	var files []lists.File
	for _, name := range []string{"un.xml", "dpl.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "lists", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, lists.File{Name: name, Data: b})
	}
	results, err := lists.ParseAll(files...)
	if err != nil {
		t.Fatal(err)
	}
	var ents []*annex.ListEntity
	for _, r := range results {
		ents = append(ents, r.Entities...)
	}
	dest, err := policy.BuiltInDestinations()
	if err != nil {
		t.Fatal(err)
	}
	return &policy.Service{ControlList: cl, Screener: indexScreener{screen.NewIndex(ents, screen.Options{})}, Destinations: dest,
		Holds: func(context.Context) ([]annex.Hold, error) { return holds, nil },
		Now:   func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }}
}

// LoadCases reads the shared table of applications.
func LoadCases(t *testing.T) []Case {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "applications.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []Case
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// CheckAssessment compares an assessment with what a case expects.
func CheckAssessment(t *testing.T, tt Case, a *annex.Assessment) {
	t.Helper()
	if string(a.Recommendation) != tt.Recommendation {
		t.Errorf("Recommendation=%s, want %s; reasons %+v", a.Recommendation, tt.Recommendation, a.Reasons)
	}
	if string(a.Presumption) != tt.Presumption {
		t.Errorf("Presumption=%s, want %s", a.Presumption, tt.Presumption)
	}
	if a.LicenceRequired != tt.LicenceRequired {
		t.Errorf("LicenceRequired=%v, want %v", a.LicenceRequired, tt.LicenceRequired)
	}
	var rules []string
	for _, r := range a.Reasons {
		rules = append(rules, r.Rule)
	}
	for _, r := range tt.Rules {
		if !slices.Contains(rules, r) {
			t.Errorf("rules=%v, want %s among them", rules, r)
		}
	}
	for _, r := range tt.AbsentRules {
		if slices.Contains(rules, r) {
			t.Errorf("rules=%v, want no %s", rules, r)
		}
	}
	if len(a.Factors) != 6 {
		t.Errorf("%d factors, want the six of the Guidelines", len(a.Factors))
	}
}

func TestAssessTable(t *testing.T) {
	cases := LoadCases(t)
	if len(cases) < 30 {
		t.Fatalf("%d cases, want at least 30", len(cases))
	}
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			spec, err := annex.DecodeApplication(bytes.NewReader(tt.Application))
			if err != nil {
				t.Fatal(err)
			}
			a, err := newService(t, tt.Holds).Assess(context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			CheckAssessment(t, tt, a)
		})
	}
}

func TestAssessInvalid(t *testing.T) {
	s := newService(t, nil)
	tests := []struct {
		name, in string
		field    string
	}{
		{"unknown kind on the second line", `{"destination": "DE", "end_use": "x", "parties": [{"role": "end_user", "name": "A", "country": "DE"}],
			"items": [{"kind": "other", "quantity": 1, "value": 1}, {"kind": "gyroscop", "quantity": 1, "value": 1}]}`, "items[1].kind"},
		{"unknown parameter on the only line", `{"destination": "DE", "end_use": "x", "parties": [{"role": "end_user", "name": "A", "country": "DE"}],
			"items": [{"kind": "gyroscope", "params": {"drift": 1}, "quantity": 1, "value": 1}]}`, "items[0].params.drift"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := annex.DecodeApplication(bytes.NewReader([]byte(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Assess(context.Background(), spec)
			if f := annex.ErrorFields(err); len(f) != 1 || f[0].Field != tt.field {
				t.Errorf("fields=%v, want %s", f, tt.field)
			}
		})
	}
}

// TestAssessWithoutLists checks that no list loaded refers a licensable
// application and leaves unlisted goods alone.
func TestAssessWithoutLists(t *testing.T) {
	s := newService(t, nil)
	s.Screener = nil
	for _, tt := range []struct {
		dest, kind string
		params     map[string]any
		want       annex.Recommendation
	}{
		{"DE", "gyroscope", map[string]any{"drift_rate_deg_per_h": 0.2}, annex.RecommendRefer},
		{"DE", "other", nil, annex.RecommendNoLicenceRequired},
	} {
		spec := &annex.ApplicationSpec{Destination: tt.dest, EndUse: "research", Assurances: annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true},
			Parties: []annex.ApplicationParty{{Role: annex.RoleEndUser, Name: "A", Country: tt.dest}},
			Items:   []annex.ApplicationLine{{Item: annex.Item{Kind: tt.kind, Params: tt.params}, Quantity: 1}}}
		a, err := s.Assess(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		if a.Recommendation != tt.want || a.Reasons[0].Rule != "screening-unavailable" {
			t.Errorf("%s: Recommendation=%s reasons=%+v, want %s with screening-unavailable", tt.kind, a.Recommendation, a.Reasons, tt.want)
		}
	}
}

// BenchmarkAssess assesses a 10-line, 5-party application: the target is
// 20 ms or less in-process.
func BenchmarkAssess(b *testing.B) {
	t := &testing.T{}
	s := newService(t, nil)
	spec := benchSpec()
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Assess(ctx, spec); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSpec is a 10-line, 5-party application.
func benchSpec() *annex.ApplicationSpec {
	spec := &annex.ApplicationSpec{Destination: "PK", EndUse: "ground test programme",
		Assurances: annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true}}
	kinds := []annex.Item{
		{Kind: "gyroscope", Params: map[string]any{"drift_rate_deg_per_h": 0.2}},
		{Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": 9e5}},
		{Kind: "accelerometer", Params: map[string]any{"scale_factor_repeatability_ppm": 800.0, "bias_repeatability_ug": 900.0}},
		{Kind: "isostatic_press", Params: map[string]any{"max_pressure_mpa": 70.0, "max_temperature_c": 650.0, "cavity_inner_diameter_mm": 300.0}},
		{Kind: "other", Name: "cable harness"},
	}
	for i := range 10 {
		spec.Items = append(spec.Items, annex.ApplicationLine{Item: kinds[i%len(kinds)], Quantity: 1, Value: 1000})
	}
	names := []string{"Pakistan Space and Upper Atmosphere Research Commission", "Northwind Casting Bureau", "Al Noor Trading LLC", "Ilsa Vanterpol", "Global Freight Forwarders FZE"}
	roles := []annex.PartyRole{annex.RoleEndUser, annex.RoleConsignee, annex.RoleIntermediateConsignee, annex.RoleUltimateEndUser, annex.RoleThirdParty}
	for i, n := range names {
		spec.Parties = append(spec.Parties, annex.ApplicationParty{Role: roles[i], Name: n, Country: "PK"})
	}
	return spec
}

// BenchmarkAssessRealLists is BenchmarkAssess with the parties screened
// against the UN list, the OFAC 2021 files, BIS Denied Persons and the CSL
// sample of ../shared/data, when present.
func BenchmarkAssessRealLists(b *testing.B) {
	dir := filepath.Join("..", "..", "shared", "data", "lists")
	var files []lists.File
	for _, name := range []string{"un-consolidated-2026-02-27.xml", "ofac-2021/sdn.csv", "ofac-2021/alt.csv", "ofac-2021/add.csv",
		"bis-dpl-2024-12-28.txt", "us-csl-format-sample.csv"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Skipf("shared list data not present: %v", err)
		}
		files = append(files, lists.File{Name: name, Data: data})
	}
	results, err := lists.ParseAll(files...)
	if err != nil {
		b.Fatal(err)
	}
	var ents []*annex.ListEntity
	for _, r := range results {
		ents = append(ents, r.Entities...)
	}
	t := &testing.T{}
	s := newService(t, nil)
	s.Screener = indexScreener{screen.NewIndex(ents, screen.Options{})}
	spec := benchSpec()
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Assess(ctx, spec); err != nil {
			b.Fatal(err)
		}
	}
}
