package main

import (
	"encoding/json"
	"strings"
	"testing"

	"annex"
	"annex/policy/policytest"
)

// TestAssessCommand runs the shared table through annex assess: the CLI
// gives the answers the policy tests expect. Cases with policy holds are
// left to the policy and API tests, since holds live in the database.
func TestAssessCommand(t *testing.T) {
	lists := unFixture + "," + dplFixture
	for _, tt := range policytest.LoadCases(t) {
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
			policytest.CheckAssessment(t, tt, &a)
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
