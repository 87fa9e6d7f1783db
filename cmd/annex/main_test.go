package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// runCLI runs annex with args and stdin, and returns the exit status and
// both outputs. The environment is empty unless vars are given.
func runCLI(t *testing.T, stdin string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
	code := run(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./cmd/annex -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

const srm7 = `{"name": "SRM-7 motor", "kind": "solid_rocket_motor", "params": {"total_impulse_ns": 1.2e6}}`

func TestClassifyCommand(t *testing.T) {
	t.Run("text", func(t *testing.T) {
		code, out, errOut := runCLI(t, srm7, nil, "classify", "-")
		if code != exitOK {
			t.Fatalf("exit=%d, want 0; stderr %s", code, errOut)
		}
		golden(t, "classify-srm7.golden", out)
	})
	t.Run("json, flag with two dashes", func(t *testing.T) {
		code, out, _ := runCLI(t, srm7, nil, "classify", "--json", "-")
		if code != exitOK {
			t.Fatalf("exit=%d, want 0", code)
		}
		var got struct {
			Controlled bool    `json:"controlled"`
			Category   *string `json:"category"`
			Entries    []struct {
				ID       string `json:"id"`
				Category string `json:"category"`
			} `json:"entries"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("output is not one JSON object: %v\n%s", err, out)
		}
		if !got.Controlled || got.Category == nil || *got.Category != "I" || len(got.Entries) != 1 || got.Entries[0].ID != "2.A.1.c" || got.Entries[0].Category != "I" {
			t.Errorf("got %+v, want controlled Category I under 2.A.1.c", got)
		}
		golden(t, "classify-srm7.json.golden", out)
	})
	t.Run("array from a file gives an array", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "items.json")
		os.WriteFile(path, []byte(`[`+srm7+`, {"name": "bicycle", "kind": "other"}]`), 0o644)
		code, out, _ := runCLI(t, "", nil, "classify", "-json", path)
		var got []struct {
			Controlled bool    `json:"controlled"`
			Category   *string `json:"category"`
		}
		if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || len(got) != 2 {
			t.Fatalf("exit=%d, output %s", code, out)
		}
		if got[1].Controlled || got[1].Category != nil {
			t.Errorf("bicycle: controlled=%v category=%v, want false and null", got[1].Controlled, got[1].Category)
		}
	})
	t.Run("incomplete item exits 3", func(t *testing.T) {
		code, out, _ := runCLI(t, `{"kind": "solid_rocket_motor"}`, nil, "classify", "-")
		if code != exitIncomplete || !strings.Contains(out, "params.total_impulse_ns") {
			t.Errorf("exit=%d, want %d, output naming params.total_impulse_ns:\n%s", code, exitIncomplete, out)
		}
	})
	bad := []struct {
		name, in, field string
	}{
		{"unknown kind", `{"kind": "solid_motor"}`, "kind: unknown kind"},
		{"unknown parameter", `{"kind": "solid_rocket_motor", "params": {"impulse": 1}}`, "params.impulse: unknown parameter"},
		{"wrong type", `{"kind": "solid_rocket_motor", "params": {"total_impulse_ns": "1e6"}}`, "params.total_impulse_ns: must be a number"},
		{"negative mass", `{"kind": "turbojet_engine", "params": {"dry_mass_kg": -3}}`, "params.dry_mass_kg: must not be negative"},
		{"malformed JSON", `{"kind": "other",}`, "malformed JSON at line 1, column 18"},
		{"array element", `[{"kind": "other"}, {"kind": "gyroscope", "params": {"drift_rate_deg_per_h": true}}]`, "[1].params.drift_rate_deg_per_h: must be a number"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.in, nil, "classify", "-json", "-")
			if code != exitBadInput {
				t.Errorf("exit=%d, want %d", code, exitBadInput)
			}
			if out != "" {
				t.Errorf("stdout=%q, want nothing", out)
			}
			if !strings.Contains(errOut, tt.field) {
				t.Errorf("stderr=%q, want it to name %q", errOut, tt.field)
			}
		})
	}
	t.Run("usage", func(t *testing.T) {
		if code, _, _ := runCLI(t, "", nil, "classify"); code != exitBadInput {
			t.Errorf("no file: exit=%d, want %d", code, exitBadInput)
		}
		if code, _, errOut := runCLI(t, "", nil, "classify", "-nope", "-"); code != exitBadInput || !strings.Contains(errOut, "-nope") {
			t.Errorf("bad flag: exit=%d, stderr %q", code, errOut)
		}
		if code, _, errOut := runCLI(t, "", nil, "classify", "/no/such/file"); code != exitBadInput || !strings.Contains(errOut, "no such file") {
			t.Errorf("missing file: exit=%d, stderr %q", code, errOut)
		}
	})
}

func TestControlListCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", nil, "controllist", "show", "2.A.1.c")
	if code != exitOK || !strings.Contains(out, "total_impulse_ns >= 1.1e6 N·s") || !strings.Contains(out, "2.A.1.c-satellite-engine") {
		t.Errorf("show 2.A.1.c: exit=%d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "", nil, "controllist", "show", "2.Z"); code != exitFailure || !strings.Contains(errOut, "not in list version") {
		t.Errorf("show unknown: exit=%d, stderr %q", code, errOut)
	}
	// An exported version reads back as a list to classify against.
	code, exported, _ := runCLI(t, "", nil, "controllist", "export")
	if code != exitOK {
		t.Fatalf("export: exit=%d", code)
	}
	path := filepath.Join(t.TempDir(), "list.json")
	os.WriteFile(path, []byte(exported), 0o644)
	if code, out, errOut := runCLI(t, srm7, nil, "classify", "-list", path, "-"); code != exitOK || !strings.Contains(out, "Category I") {
		t.Errorf("classify -list exported: exit=%d\n%s%s", code, out, errOut)
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := runCLI(t, "", nil, "frobnicate"); code != exitBadInput || !strings.Contains(errOut, "unknown command") {
		t.Errorf("exit=%d, stderr %q", code, errOut)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
