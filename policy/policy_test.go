package policy_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"annex"
	"annex/controllist"
	"annex/lists"
	"annex/policy"
	"annex/policy/policytest"
	"annex/screen"
)

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
	return policytest.NewService(t, cl, holds)
}

func TestAssessTable(t *testing.T) {
	cases := policytest.LoadCases(t)
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
			policytest.CheckAssessment(t, tt, a)
			if len(a.Factors) != 6 {
				t.Errorf("%d factors, want the six of the Guidelines", len(a.Factors))
			}
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
	s.Screener = policytest.IndexScreener{Index: screen.NewIndex(ents, screen.Options{})}
	spec := benchSpec()
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Assess(ctx, spec); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAssessSanctionsRegister: a party that matches an entity of the
// sanctions register (the list annex-register) is denied under its own
// rule, which names the entity and its measures; a list entry of the same
// name denies under screening-match instead.
func TestAssessSanctionsRegister(t *testing.T) {
	register := &annex.ListEntity{Source: annex.SourceRegister, SourceID: "entity-4", Type: annex.EntityOrganization,
		Names:     []annex.EntityName{{Name: "Defence Industries Organisation", Kind: annex.NamePrimary}},
		Countries: []string{"IR"}, Programs: []string{"deny_missile_contracts", "deny_missile_licences"}}
	listed := *register
	listed.Source, listed.SourceID, listed.Programs = annex.SourceUN, "IRe.001", []string{"IRAN"}
	spec := func() *annex.ApplicationSpec {
		return &annex.ApplicationSpec{Destination: "IR", EndUse: "navigation of research aircraft",
			Assurances: annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true},
			Parties:    []annex.ApplicationParty{{Role: annex.RoleEndUser, Name: "Defence Industry Organization", Country: "IR"}},
			Items: []annex.ApplicationLine{{Item: annex.Item{Kind: "gyroscope", Params: map[string]any{"drift_rate_deg_per_h": 0.2}},
				Quantity: 4, Value: 20000}}}
	}
	for _, tt := range []struct {
		name     string
		entity   *annex.ListEntity
		rule     string
		contains []string
		absent   string
	}{
		{"register", register, "sanctions-register", []string{"Defence Industries Organisation", "deny_missile_contracts, deny_missile_licences"}, "screening-match"},
		{"list", &listed, "screening-match", []string{"un IRe.001"}, "sanctions-register"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t, nil)
			s.Screener = policytest.IndexScreener{Index: screen.NewIndex([]*annex.ListEntity{tt.entity}, screen.Options{})}
			a, err := s.Assess(context.Background(), spec())
			if err != nil {
				t.Fatal(err)
			}
			if a.Recommendation != annex.RecommendDeny {
				t.Errorf("recommendation %s, want deny", a.Recommendation)
			}
			rules := policytest.Rules(a)
			if slices.Contains(rules, tt.absent) {
				t.Errorf("rules %v cite %s", rules, tt.absent)
			}
			i := slices.Index(rules, tt.rule)
			if i < 0 {
				t.Fatalf("rules %v, want %s", rules, tt.rule)
			}
			for _, want := range tt.contains {
				if !strings.Contains(a.Reasons[i].Detail, want) {
					t.Errorf("%s: %q does not say %q", tt.rule, a.Reasons[i].Detail, want)
				}
			}
		})
	}
}
