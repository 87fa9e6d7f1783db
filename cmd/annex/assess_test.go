package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"annex"
)

// assessCase is a row of policy/testdata/applications.json, the table that
// the policy, CLI and API tests share.
type assessCase struct {
	Name            string          `json:"name"`
	Application     json.RawMessage `json:"application"`
	Holds           []annex.Hold    `json:"holds"`
	Recommendation  string          `json:"recommendation"`
	Presumption     string          `json:"presumption"`
	LicenceRequired bool            `json:"licence_required"`
	Rules           []string        `json:"rules"`
	AbsentRules     []string        `json:"absent_rules"`
}

func loadAssessCases(t *testing.T) []assessCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "policy", "testdata", "applications.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []assessCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

func checkAssessCase(t *testing.T, tt assessCase, a *annex.Assessment) {
	t.Helper()
	var rules []string
	for _, r := range a.Reasons {
		rules = append(rules, r.Rule)
	}
	if string(a.Recommendation) != tt.Recommendation || string(a.Presumption) != tt.Presumption || a.LicenceRequired != tt.LicenceRequired {
		t.Errorf("got %s/%s/%v, want %s/%s/%v; rules %v", a.Recommendation, a.Presumption, a.LicenceRequired, tt.Recommendation, tt.Presumption, tt.LicenceRequired, rules)
	}
	for _, r := range tt.Rules {
		if !slices.Contains(rules, r) {
			t.Errorf("rules=%v, want %s", rules, r)
		}
	}
	for _, r := range tt.AbsentRules {
		if slices.Contains(rules, r) {
			t.Errorf("rules=%v, want no %s", rules, r)
		}
	}
}

// TestAssessCommand runs the shared table through annex assess: the CLI
// gives the answers the policy tests expect. Cases with policy holds are
// left to the policy and API tests, since holds live in the database.
func TestAssessCommand(t *testing.T) {
	lists := unFixture + "," + dplFixture
	for _, tt := range loadAssessCases(t) {
		if len(tt.Holds) > 0 {
			continue
		}
		t.Run(tt.Name, func(t *testing.T) {
			code, out, errOut := runCLI(t, string(tt.Application), nil, "assess", "-json", "-lists", lists, "-")
			if code != exitOK {
				t.Fatalf("exit=%d stderr %s", code, errOut)
			}
			var a annex.Assessment
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			checkAssessCase(t, tt, &a)
		})
	}
}

func TestAssessCommandErrors(t *testing.T) {
	tests := []struct{ name, in, field string }{
		{"no destination", `{"end_use": "x", "parties": [{"role": "end_user", "name": "A", "country": "DE"}], "items": [{"kind": "other", "quantity": 1, "value": 1}]}`, "destination"},
		{"bad party role", `{"destination": "DE", "end_use": "x", "parties": [{"role": "buyer", "name": "A", "country": "DE"}], "items": [{"kind": "other", "quantity": 1, "value": 1}]}`, "parties[0].role"},
		{"zero quantity", `{"destination": "DE", "end_use": "x", "parties": [{"role": "end_user", "name": "A", "country": "DE"}], "items": [{"kind": "other", "quantity": 0, "value": 1}]}`, "items[0].quantity"},
		{"bad item parameter", `{"destination": "DE", "end_use": "x", "parties": [{"role": "end_user", "name": "A", "country": "DE"}], "items": [{"kind": "gyroscope", "params": {"drift_rate_deg_per_h": "low"}, "quantity": 1, "value": 1}]}`, "items[0].params.drift_rate_deg_per_h"},
		{"declaration not a boolean", `{"destination": "DE", "end_use": "x", "declarations": {"wmd_end_use_known": "no"}, "parties": [{"role": "end_user", "name": "A", "country": "DE"}], "items": [{"kind": "other", "quantity": 1, "value": 1}]}`, "declarations.wmd_end_use_known"},
		{"malformed", `{"destination": `, "malformed JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.in, nil, "assess", "-json", "-lists", unFixture, "-")
			if code != exitBadInput || out != "" || !strings.Contains(errOut, tt.field) {
				t.Errorf("exit=%d stdout=%q stderr=%q, want 2 naming %s", code, out, errOut, tt.field)
			}
		})
	}
}
