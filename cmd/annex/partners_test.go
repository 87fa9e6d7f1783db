package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestPartnersListJSON checks the contract of annex partners list -json:
// 35 partners with name, iso2 and joined, India from 2016 and the United
// States from 1987, then the adherents, marked and without joined.
func TestPartnersListJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "", nil, "partners", "list", "-json")
	if code != exitOK {
		t.Fatalf("exit=%d stderr %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	joined := map[string]float64{}
	var partners, adherents int
	for i, r := range rows {
		name, _ := r["name"].(string)
		iso2, _ := r["iso2"].(string)
		if name == "" || len(iso2) != 2 || r["source"] == nil || r["confidence"] == nil {
			t.Errorf("[%d] = %v, want name, iso2, source and confidence", i, r)
		}
		if r["adherent"] == true {
			adherents++
			if _, ok := r["joined"]; ok {
				t.Errorf("adherent %s has joined %v", iso2, r["joined"])
			}
			continue
		}
		if adherents > 0 {
			t.Errorf("partner %s listed after an adherent", iso2)
		}
		partners++
		year, ok := r["joined"].(float64)
		if !ok {
			t.Errorf("partner %s: joined=%v, want a number", iso2, r["joined"])
		}
		joined[iso2] = year
	}
	if partners != 35 {
		t.Errorf("%d partners, want 35", partners)
	}
	if adherents == 0 {
		t.Error("no adherents")
	}
	for iso2, want := range map[string]float64{"IN": 2016, "US": 1987} {
		if joined[iso2] != want {
			t.Errorf("%s joined %v, want %v", iso2, joined[iso2], want)
		}
	}
}

// TestPartnersListText checks the listing for people.
func TestPartnersListText(t *testing.T) {
	code, out, errOut := runCLI(t, "", nil, "partners", "list")
	if code != exitOK {
		t.Fatalf("exit=%d stderr %s", code, errOut)
	}
	for _, want := range []string{"MTCR partners (35):", "Unilateral adherents (", "Sources:", "S24"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not say %q:\n%s", want, out)
		}
	}
	for _, re := range []string{`(?m)^  India +IN +2016 +S24 +V\b`, `(?m)^  United States +US +1987 `, `(?m)^  Estonia +EE +S19 +P$`} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("no line matching %s in:\n%s", re, out)
		}
	}
}

func TestPartnersUsage(t *testing.T) {
	for _, args := range [][]string{{"partners"}, {"partners", "show"}, {"partners", "list", "extra"}} {
		if code, out, _ := runCLI(t, "", nil, args...); code != exitBadInput || out != "" {
			t.Errorf("%v: exit=%d stdout=%q, want 2 and nothing", args, code, out)
		}
	}
}
