package sanction_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"annex"
	"annex/sanction"
)

// TestLoadPacks checks the built-in packs: every rule cites the pack's
// sources, and each pack round-trips through ParsePack.
func TestLoadPacks(t *testing.T) {
	packs := mustLoadPacks(t)
	ids := map[string]bool{}
	for _, p := range packs {
		ids[p.ID] = true
		if len(p.Sources) == 0 || p.Confidence == "" {
			t.Errorf("%s: sources %d, confidence %q", p.ID, len(p.Sources), p.Confidence)
		}
		for _, r := range p.Rules {
			if len(r.Sources) == 0 || r.Confidence == "" {
				t.Errorf("%s rule %s: no sources or confidence", p.ID, r.ID)
			}
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sanction.ParsePack(bytes.NewReader(b)); err != nil {
			t.Errorf("%s does not round-trip: %v", p.ID, err)
		}
	}
	if !ids["us-missile"] || !ids["us-inksna"] {
		t.Errorf("packs %v, want us-missile and us-inksna", ids)
	}
}

// TestParsePackOtherCountry checks that another state's law is a pack
// file and no code: a made-up pack sanctions Category I transfers only, and
// applies through the engine.
func TestParsePackOtherCountry(t *testing.T) {
	p, err := sanction.ParsePack(strings.NewReader(otherPack))
	if err != nil {
		t.Fatalf("ParsePack: %v", err)
	}
	e := newEngine(t)
	e.Packs = append(e.Packs, p)
	in := annex.DeterminationInput{
		Date: "2021-05-05", Category: annex.CategoryI, Packs: []string{"xx-example"},
		Supplier:  annex.TransferParty{Name: "Supplier A", Country: "KP"},
		Recipient: annex.TransferParty{Name: "Recipient B", Country: "IR"},
	}
	res, err := e.Determine(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Measures) != 2 || res.Measures[0].Measure != "deny_transit" || res.Measures[0].End != "2026-05-05" || res.Packs[0] != "xx-example@2021-1" {
		t.Errorf("got %v:\n%s", res.Packs, describe(res.Measures))
	}
	in.Category = annex.CategoryII
	if res, err = e.Determine(in); err != nil || len(res.Measures) != 0 {
		t.Errorf("Category II: err=%v, %d measures, want none", err, len(res.Measures))
	}
	in.Date = "2019-05-05"
	if res, err = e.Determine(in); err != nil || len(res.Measures) != 0 {
		t.Errorf("before the window: err=%v, %d measures, want none", err, len(res.Measures))
	}
}

const otherPack = `{
 "id": "xx-example", "title": "An example state's missile law", "version": "2021-1", "country": "XX",
 "effective_from": "2020-01-01", "effective_until": "2030-12-31",
 "sources": [{"key": "L1", "citation": "Example Act 2019, s. 4", "url": "https://example.org/act", "confidence": "V"}],
 "foreign_persons_only": false, "discretionary": true,
 "rules": [{"id": "transit", "condition": {"categories": ["I"]}, "measure": "deny_transit",
   "legal_basis": "Example Act s. 4(1)", "description": "no transit of the person's goods", "years": 5, "sources": ["L1"]}]
}`

func TestParsePackErrors(t *testing.T) {
	good, err := os.ReadFile("data/us-missile.json")
	if err != nil {
		t.Fatal(err)
	}
	// edit returns the us-missile pack with one change made to its JSON.
	edit := func(change func(p map[string]any)) string {
		var p map[string]any
		if err := json.Unmarshal(good, &p); err != nil {
			t.Fatal(err)
		}
		change(p)
		b, _ := json.Marshal(p)
		return string(b)
	}
	rule := func(p map[string]any, i int) map[string]any { return p["rules"].([]any)[i].(map[string]any) }
	tests := []struct {
		name, in, field string
	}{
		{"malformed", `{"id": `, ""},
		{"not an object", `[]`, ""},
		{"unknown field", edit(func(p map[string]any) { p["colour"] = "red" }), "colour"},
		{"unknown field in a rule", edit(func(p map[string]any) { rule(p, 1)["duration"] = 2 }), "rules[1].duration"},
		{"years as a string", edit(func(p map[string]any) { rule(p, 0)["years"] = "two" }), "rules[0].years"},
		{"years not whole", edit(func(p map[string]any) { rule(p, 0)["years"] = 1.5 }), "rules[0].years"},
		{"no measure", edit(func(p map[string]any) { rule(p, 2)["measure"] = "" }), "rules[2].measure"},
		{"measure with spaces", edit(func(p map[string]any) { rule(p, 2)["measure"] = "Deny All" }), "rules[2].measure"},
		{"category III", edit(func(p map[string]any) { rule(p, 0)["condition"] = map[string]any{"categories": []any{"III"}} }), "rules[0].condition.categories[0]"},
		{"no categories", edit(func(p map[string]any) { rule(p, 4)["condition"] = map[string]any{} }), "rules[4].condition.categories"},
		{"zero years", edit(func(p map[string]any) { rule(p, 3)["years"] = 0 }), "rules[3].years"},
		{"duplicate rule", edit(func(p map[string]any) { rule(p, 1)["id"] = rule(p, 0)["id"] }), "rules[1].id"},
		{"unknown source", edit(func(p map[string]any) { rule(p, 0)["sources"] = []any{"S99"} }), "rules[0].sources[0]"},
		{"no legal basis", edit(func(p map[string]any) { rule(p, 0)["legal_basis"] = " " }), "rules[0].legal_basis"},
		{"bad effective_from", edit(func(p map[string]any) { p["effective_from"] = "5 Nov 1990" }), "effective_from"},
		{"until before from", edit(func(p map[string]any) { p["effective_until"] = "1980-01-01" }), "effective_until"},
		{"bad country", edit(func(p map[string]any) { p["country"] = "usa" }), "country"},
		{"bad id", edit(func(p map[string]any) { p["id"] = "US Missile" }), "id"},
		{"no version", edit(func(p map[string]any) { delete(p, "version") }), "version"},
		{"no rules", edit(func(p map[string]any) { p["rules"] = []any{} }), "rules"},
		{"no sources", edit(func(p map[string]any) { p["sources"] = nil }), "sources"},
		{"bad confidence", edit(func(p map[string]any) { p["confidence"] = "X" }), "confidence"},
		{"bad exemption", edit(func(p map[string]any) {
			p["exemptions"].([]any)[1].(map[string]any)["kind"] = "end_user_anywhere"
		}), "exemptions[1].kind"},
		{"bad notice", edit(func(p map[string]any) {
			p["waiver_notices"].([]any)[0].(map[string]any)["working_days"] = -45
		}), "waiver_notices[0].working_days"},
		{"bad recipient country date", edit(func(p map[string]any) {
			p["recipient_countries"] = []any{map[string]any{"country": "IR", "from": "2000-02-30"}}
		}), "recipient_countries[0].from"},
		{"foreign_persons_only as a string", edit(func(p map[string]any) { p["foreign_persons_only"] = "yes" }), "foreign_persons_only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sanction.ParsePack(strings.NewReader(tt.in))
			if annex.ErrorCode(err) != annex.EINVALID {
				t.Fatalf("err=%v, want EINVALID", err)
			}
			if tt.name == "malformed" {
				if !strings.Contains(annex.ErrorMessage(err), "malformed JSON") {
					t.Errorf("message %q", annex.ErrorMessage(err))
				}
				return
			}
			checkFieldError(t, err, tt.field)
		})
	}
}

// FuzzParsePack: any input parses to a pack that validates or gives an
// EINVALID error, never a panic.
func FuzzParsePack(f *testing.F) {
	good, err := os.ReadFile("data/us-missile.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(good))
	f.Add(otherPack)
	f.Fuzz(func(t *testing.T, in string) {
		p, err := sanction.ParsePack(strings.NewReader(in))
		if err != nil {
			if annex.ErrorCode(err) != annex.EINVALID {
				t.Fatalf("ErrorCode=%q (%v)", annex.ErrorCode(err), err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("parsed pack does not validate: %v", err)
		}
	})
}
