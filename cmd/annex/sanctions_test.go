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

// determination is the contract's JSON, as a script reads it.
type determination struct {
	Measures []struct {
		Entity     string `json:"entity"`
		Country    string `json:"country"`
		Role       string `json:"role"`
		Measure    string `json:"measure"`
		LegalBasis string `json:"legal_basis"`
		Start      string `json:"start"`
		End        string `json:"end"`
		Minimum    bool   `json:"minimum"`
	} `json:"measures"`
	Category string   `json:"category"`
	Reasons  []string `json:"reasons"`
	Packs    []string `json:"packs"`
}

func sanctionsFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sanctions", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decodeDetermination(t *testing.T, out string) determination {
	t.Helper()
	var d determination
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("output is not the contract's JSON: %v\n%s", err, out)
	}
	return d
}

// TestSanctionsDetermineJSON checks the contract for a Category I case,
// the November 2000 measures on Pakistan's Ministry of Defence, from a
// file and from standard input.
func TestSanctionsDetermineJSON(t *testing.T) {
	file := filepath.Join("testdata", "sanctions", "november-2000-pakistan.json")
	code, out, errOut := runCLI(t, "", nil, "sanctions", "determine", "-json", file)
	if code != exitOK {
		t.Fatalf("exit=%d stderr=%s", code, errOut)
	}
	d := decodeDetermination(t, out)
	type row struct{ entity, role, measure string }
	var got []row
	for _, m := range d.Measures {
		got = append(got, row{m.Entity, m.Role, m.Measure})
		if m.Start != "2000-11-21" || m.End != "2002-11-21" || !m.Minimum || !strings.Contains(m.LegalBasis, "AECA §73(a)(2)(B)") {
			t.Errorf("%s %s: %s..%s minimum=%v %q, want 2000-11-21..2002-11-21, not less than, under AECA §73(a)(2)(B)", m.Entity, m.Measure, m.Start, m.End, m.Minimum, m.LegalBasis)
		}
	}
	want := []row{
		{"Chinese entities (unnamed)", "supplier", "deny_all_contracts"},
		{"Chinese entities (unnamed)", "supplier", "deny_all_usml_licences"},
		{"Ministry of Defence", "recipient", "deny_all_contracts"},
		{"Ministry of Defence", "recipient", "deny_all_usml_licences"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("measures %v, want %v", got, want)
	}
	if d.Category != "I" || !slices.Equal(d.Packs, []string{"us-missile@1"}) || len(d.Reasons) == 0 {
		t.Errorf("category %q packs %q reasons %q", d.Category, d.Packs, d.Reasons)
	}

	code, stdinOut, errOut := runCLI(t, sanctionsFile(t, "november-2000-pakistan.json"), nil, "sanctions", "determine", "-json", "-")
	if code != exitOK || stdinOut != out {
		t.Errorf("stdin: exit=%d stderr=%s, output differs from the file's:\n%s", code, errOut, stdinOut)
	}
}

// TestSanctionsDetermineItems checks items classified by the built-in
// control list: a Ghauri-class rocket of 700 kg to 1,500 km is Category I,
// and its substantial contribution adds the import ban.
func TestSanctionsDetermineItems(t *testing.T) {
	code, out, errOut := runCLI(t, sanctionsFile(t, "ghauri-items.json"), nil, "sanctions", "determine", "-json", "-")
	if code != exitOK {
		t.Fatalf("exit=%d stderr=%s", code, errOut)
	}
	d := decodeDetermination(t, out)
	var kinds []string
	for _, m := range d.Measures {
		if m.Entity == "Khan Research Laboratories" {
			kinds = append(kinds, m.Measure)
		}
	}
	if d.Category != "I" || !slices.Equal(kinds, []string{"deny_all_contracts", "deny_all_usml_licences", "import_ban"}) {
		t.Errorf("category %q, KRL's measures %q", d.Category, kinds)
	}
}

// TestSanctionsDetermineExempt checks an end user in the United Kingdom, an
// MTCR partner: no measures, "measures": [], and the reason.
func TestSanctionsDetermineExempt(t *testing.T) {
	code, out, errOut := runCLI(t, sanctionsFile(t, "uk-end-user.json"), nil, "sanctions", "determine", "-json", "-")
	if code != exitOK {
		t.Fatalf("exit=%d stderr=%s", code, errOut)
	}
	if !strings.Contains(out, `"measures": []`) {
		t.Errorf("want \"measures\": [] in\n%s", out)
	}
	d := decodeDetermination(t, out)
	if !slices.ContainsFunc(d.Reasons, func(r string) bool {
		return strings.Contains(r, "End User C (GB)") && strings.Contains(r, "AECA §73(b)")
	}) {
		t.Errorf("reasons %q", d.Reasons)
	}
}

// TestSanctionsDetermineText checks the table for people.
func TestSanctionsDetermineText(t *testing.T) {
	code, out, errOut := runCLI(t, sanctionsFile(t, "november-2000-pakistan.json"), nil, "sanctions", "determine", "-packs", "us-missile,us-inksna", "-")
	if code != exitOK {
		t.Fatalf("exit=%d stderr=%s", code, errOut)
	}
	for _, s := range []string{"Category I", "ENTITY", "LEGAL BASIS", "Ministry of Defence", "deny_all_usml_licences", "2002-11-21 at least", "Reasons:", "us-inksna@1", "covers transfers to IR"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestSanctionsDetermineBadInput(t *testing.T) {
	pk := sanctionsFile(t, "november-2000-pakistan.json")
	tests := []struct {
		name, stdin string
		args        []string
		want        string // on stderr
	}{
		{"category III", sanctionsFile(t, "bad-category.json"), []string{"-"}, "category"},
		{"country a number", strings.Replace(pk, `"country": "PK"`, `"country": 92`, 1), []string{"-"}, "recipient.country: must be a string"},
		{"unknown field", strings.Replace(pk, `"category"`, `"colour": "red", "category"`, 1), []string{"-"}, "colour: unknown field"},
		{"bad date", strings.Replace(pk, "2000-11-21", "2000-11-31", 1), []string{"-"}, "date: must be a date"},
		{"malformed", `{"date": `, []string{"-"}, "malformed JSON"},
		{"unknown item kind", strings.Replace(pk, `"category": "I"`, `"items": [{"kind": "warp_drive"}]`, 1), []string{"-"}, "items[0].kind"},
		{"unknown pack", pk, []string{"-packs", "us-missile,eu-missile", "-"}, "packs[1]: unknown rule pack"},
		{"missing file", "", []string{"testdata/sanctions/nothing.json"}, "cannot read"},
		{"no file", "", nil, "want one FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"sanctions", "determine", "-json"}, tt.args...)
			code, out, errOut := runCLI(t, tt.stdin, nil, args...)
			if code != exitBadInput || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit=%d stdout=%q stderr=%q, want exit 2 naming %q", code, out, errOut, tt.want)
			}
		})
	}
}

func TestSanctionsPacks(t *testing.T) {
	code, out, errOut := runCLI(t, "", nil, "sanctions", "packs", "-json")
	if code != exitOK {
		t.Fatalf("exit=%d stderr=%s", code, errOut)
	}
	var packs []struct {
		ID            string `json:"id"`
		EffectiveFrom string `json:"effective_from"`
		Sources       []struct {
			Citation string `json:"citation"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &packs); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	from := map[string]string{}
	for _, p := range packs {
		from[p.ID] = p.EffectiveFrom
		if len(p.Sources) == 0 {
			t.Errorf("%s has no sources", p.ID)
		}
	}
	if from["us-missile"] != "1990-11-06" || from["us-inksna"] != "2000-03-14" {
		t.Errorf("windows %v", from)
	}

	code, out, _ = runCLI(t, "", nil, "sanctions", "packs")
	for _, s := range []string{"us-missile@1", "transfers from 1990-11-06", "waiver notice 45 working days (AECA §73(e))", "22 U.S.C. 2797", "transfers to SY from 2006-10-13"} {
		if code != exitOK || !strings.Contains(out, s) {
			t.Errorf("exit=%d, output lacks %q:\n%s", code, s, out)
		}
	}
}

func TestSanctionsUsage(t *testing.T) {
	for _, args := range [][]string{{"sanctions"}, {"sanctions", "lookup"}, {"sanctions", "packs", "extra"}} {
		code, out, errOut := runCLI(t, "", nil, args...)
		if code != exitBadInput || out != "" || !strings.Contains(errOut, "Usage: annex sanctions") {
			t.Errorf("%q: exit=%d stdout=%q stderr=%q, want exit 2 with the usage", args, code, out, errOut)
		}
	}
}

// TestSanctionsPackDir adds a made-up state's law as a pack file: listed by
// annex sanctions packs, applied by determine when named, with no code; a
// broken pack file is refused naming the file and the field.
func TestSanctionsPackDir(t *testing.T) {
	dir := filepath.Join("testdata", "sanctions", "packs")
	code, out, errOut := runCLI(t, "", nil, "sanctions", "packs", "-pack-dir", dir)
	if code != exitOK || !strings.Contains(out, "xx-example@2021-1") || !strings.Contains(out, "us-missile@") {
		t.Fatalf("packs: exit %d\n%s%s", code, out, errOut)
	}
	in := `{"date": "2021-05-05", "supplier": {"name": "Supplier A", "country": "KP"}, "recipient": {"name": "Recipient B", "country": "IR"}, "category": "II"}`
	code, out, errOut = runCLI(t, in, map[string]string{"APP_SANCTION_PACKS": dir}, "sanctions", "determine", "-json", "-packs", "xx-example", "-")
	if code != exitOK {
		t.Fatalf("determine: exit %d\n%s", code, errOut)
	}
	var res annex.DeterminationResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Measures) != 2 || res.Measures[0].Measure != "deny_transit" || res.Measures[0].End != "2026-05-05" || res.Measures[1].Entity != "Recipient B" {
		t.Errorf("measures %+v", res.Measures)
	}
	// Without the directory, the pack is unknown.
	if code, _, errOut := runCLI(t, in, nil, "sanctions", "determine", "-packs", "xx-example", "-"); code != exitBadInput || !strings.Contains(errOut, "packs[0]") {
		t.Errorf("unknown pack: exit %d, %s", code, errOut)
	}
	bad := t.TempDir()
	b, _ := os.ReadFile(filepath.Join(dir, "xx-example.json"))
	writeFile(t, filepath.Join(bad, "broken.json"), []byte(strings.Replace(string(b), `"years": 5`, `"years": "five"`, 1)))
	if code, _, errOut := runCLI(t, "", nil, "sanctions", "packs", "-pack-dir", bad); code != exitBadInput || !strings.Contains(errOut, "broken.json") || !strings.Contains(errOut, "rules[0].years") {
		t.Errorf("broken pack: exit %d, %s", code, errOut)
	}
}
