package policy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"annex"
	"annex/policy"
	"annex/policy/policytest"
)

// undercutTable is policy/testdata/denials.json: applications by name, and
// cases that assess one of them against partners' denials.
type undercutTable struct {
	Applications map[string]json.RawMessage `json:"applications"`
	Cases        []struct {
		Name        string         `json:"name"`
		Application string         `json:"application"`
		Denials     []annex.Denial `json:"denials"`
		// Day is the day of the assessment, YYYY-MM-DD; empty for
		// policytest.Clock's.
		Day             string   `json:"day"`
		Recommendation  string   `json:"recommendation"`
		Presumption     string   `json:"presumption"`
		LicenceRequired bool     `json:"licence_required"`
		Rules           []string `json:"rules"`
		AbsentRules     []string `json:"absent_rules"`
		// Detail lists what the no-undercut reasons must say.
		Detail []string `json:"detail"`
	} `json:"cases"`
}

// TestNoUndercut runs the table of denials.json through the real
// assessment: the built-in control list, the UN and DPL fixtures.
func TestNoUndercut(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "denials.json"))
	if err != nil {
		t.Fatal(err)
	}
	var table undercutTable
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&table); err != nil {
		t.Fatal(err)
	}
	if len(table.Cases) < 20 {
		t.Fatalf("%d cases, want at least 20", len(table.Cases))
	}
	for _, tt := range table.Cases {
		t.Run(tt.Name, func(t *testing.T) {
			raw, ok := table.Applications[tt.Application]
			if !ok {
				t.Fatalf("no application %q", tt.Application)
			}
			spec, err := annex.DecodeApplication(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.Denials {
				if err := tt.Denials[i].Validate(); err != nil {
					t.Fatalf("denial %d: %v", i, err)
				}
			}
			s := newService(t, nil)
			s.Denials = func(context.Context) ([]annex.Denial, error) { return tt.Denials, nil }
			if tt.Day != "" {
				day, err := time.Parse(time.DateOnly, tt.Day)
				if err != nil {
					t.Fatal(err)
				}
				s.Now = func() time.Time { return day.Add(12 * time.Hour) }
			}
			a, err := s.Assess(context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			policytest.CheckAssessment(t, policytest.Case{Recommendation: tt.Recommendation, Presumption: tt.Presumption,
				LicenceRequired: tt.LicenceRequired, Rules: tt.Rules, AbsentRules: tt.AbsentRules}, a)
			var details []string
			for _, r := range a.Reasons {
				if r.Rule == "no-undercut" {
					details = append(details, r.Detail)
					if r.Outcome != annex.RecommendRefer || r.Line == nil || r.Party == nil {
						t.Errorf("no-undercut reason %+v, want outcome refer with a line and a party", r)
					}
				}
			}
			all := strings.Join(details, "\n")
			for _, want := range tt.Detail {
				if !strings.Contains(all, want) {
					t.Errorf("no-undercut details %q do not say %q", all, want)
				}
			}
			if len(details) > 0 && !strings.Contains(strings.Join(a.Factors[3].Findings, "\n"), "consult") {
				t.Errorf("factor D findings %q do not ask to consult the partner", a.Factors[3].Findings)
			}
		})
	}
}

// TestUndercuts checks what Undercuts reports: the line and entry covered,
// and the end-user party whose name matched.
func TestUndercuts(t *testing.T) {
	spec := &annex.ApplicationSpec{Destination: "PK", Parties: []annex.ApplicationParty{
		{Role: annex.RoleConsignee, Name: "Nordrocket GmbH", Country: "PK"},
		{Role: annex.RoleEndUser, Name: "Baltic Propulsion GmbH", Country: "PK"},
		{Role: annex.RoleUltimateEndUser, Name: "Nord Rocket GmbH", Country: "PK"},
	}}
	lines := []*annex.Classification{
		{Entries: []annex.Match{{ID: "9.A.4"}}},
		nil,
		{Entries: []annex.Match{{ID: "2.A.1.c"}, {ID: "20.A.1.b"}}},
	}
	denials := []annex.Denial{
		{ID: "GB-1", NotifyingGovernment: "GB", Entry: "20.A.1", EndUser: "Nordrocket GmbH", Destination: "PK", Date: "2026-01-01"},
		{ID: "GB-2", NotifyingGovernment: "GB", Entry: "2.A.1.c.1", EndUser: "Nordrocket GmbH", Destination: "PK", Date: "2026-01-01"},
		{ID: "FR-1", NotifyingGovernment: "FR", Entry: "9.A.4", EndUser: "Baltic Propulsion", Destination: "PK", Date: "2026-01-01"},
	}
	got := policy.Undercuts(spec, lines, denials, "2026-11-27")
	want := []struct {
		id, entry   string
		line, party int
	}{{"GB-1", "20.A.1.b", 2, 2}, {"FR-1", "9.A.4", 0, 1}}
	if len(got) != len(want) {
		t.Fatalf("Undercuts=%+v, want %d", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Denial.ID != w.id || g.Entry != w.entry || g.Line != w.line || g.Party != w.party || g.Score < 0.8 {
			t.Errorf("[%d] = %s %s line %d party %d score %.2f, want %s %s line %d party %d", i, g.Denial.ID, g.Entry, g.Line, g.Party, g.Score, w.id, w.entry, w.line, w.party)
		}
	}
	if got := policy.Undercuts(spec, lines, nil, "2026-11-27"); got != nil {
		t.Errorf("Undercuts without denials = %+v, want nil", got)
	}
}

// TestAssessDenialsError checks that a failure to read the denials fails
// the assessment instead of approving without them.
func TestAssessDenialsError(t *testing.T) {
	s := newService(t, nil)
	boom := errors.New("boom")
	s.Denials = func(context.Context) ([]annex.Denial, error) { return nil, boom }
	spec := &annex.ApplicationSpec{Destination: "DE", EndUse: "research", Assurances: annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true},
		Parties: []annex.ApplicationParty{{Role: annex.RoleEndUser, Name: "A", Country: "DE"}},
		Items:   []annex.ApplicationLine{{Item: annex.Item{Kind: "other"}, Quantity: 1}}}
	if _, err := s.Assess(context.Background(), spec); !errors.Is(err, boom) {
		t.Errorf("err=%v, want %v", err, boom)
	}
}
