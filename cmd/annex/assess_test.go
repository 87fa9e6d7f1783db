package main

import (
	"encoding/json"
	"path/filepath"
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

// TestAssessDenials runs annex assess -denials: an application essentially
// identical to a partner's denial in the file is referred under the
// no-undercut rule, which names the denial; the other denial of the file,
// of another end user, is not cited; three years on, the denial has lapsed.
func TestAssessDenials(t *testing.T) {
	app := filepath.Join("testdata", "denials", "application.json")
	denials := filepath.Join("testdata", "denials", "denials.json")
	lists := unFixture + "," + dplFixture
	tests := []struct {
		name, clock string
		want        annex.Recommendation
		denial      string // the denial cited, or "" for none
	}{
		{"in force", "2026-11-27", annex.RecommendRefer, "GB-2026-0001"},
		{"lapsed on its third anniversary", "2029-03-01", annex.RecommendApprove, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", nil, "assess", "-json", "-lists", lists, "-clock", tt.clock, "-denials", denials, app)
			if code != exitOK {
				t.Fatalf("exit=%d stderr %s", code, errOut)
			}
			var a annex.Assessment
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if a.Recommendation != tt.want {
				t.Errorf("Recommendation=%s, want %s; reasons %+v", a.Recommendation, tt.want, a.Reasons)
			}
			var cited []annex.Reason
			for _, r := range a.Reasons {
				if r.Rule == "no-undercut" {
					cited = append(cited, r)
				}
			}
			if tt.denial == "" {
				if len(cited) > 0 {
					t.Errorf("no-undercut reasons %+v, want none", cited)
				}
				return
			}
			if len(cited) != 1 || !strings.Contains(cited[0].Detail, "denial "+tt.denial) || cited[0].Outcome != annex.RecommendRefer {
				t.Fatalf("no-undercut reasons %+v, want one refer naming %s", cited, tt.denial)
			}
			if strings.Contains(cited[0].Detail, "FR-2025-0007") {
				t.Errorf("detail %q cites the denial of another end user", cited[0].Detail)
			}
			if p := cited[0].Party; p == nil || *p != 0 {
				t.Errorf("Party=%v, want the end user, 0", p)
			}
		})
	}
}

// TestAssessDenialsErrors checks that a bad denials file exits 2 naming the
// notification and its field, before anything is assessed.
func TestAssessDenialsErrors(t *testing.T) {
	app := filepath.Join("testdata", "denials", "application.json")
	tests := []struct{ file, want string }{
		{"bad-date.json", "[1].date: must be a date"},
		{"unknown-field.json", "[0].enduser: unknown field"},
		{"wrong-type.json", "[0].entry: must be a string"},
		{"duplicate-id.json", `[1].id: "GB-2026-0001" is also the id of [0]`},
		{"not-array.json", "must be a JSON array of denial notifications"},
		{"missing.json", "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", nil, "assess", "-json", "-lists", unFixture, "-denials", filepath.Join("testdata", "denials", tt.file), app)
			if code != exitBadInput || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit=%d stdout=%q stderr=%q, want 2 saying %q", code, out, errOut, tt.want)
			}
		})
	}
}
