package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const scudB = `{"name": "Scud-B", "payload_kg": 1000,
 "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84}]}`

func TestCapabilityCommand(t *testing.T) {
	code, out, errOut := runCLI(t, scudB, nil, "capability", "--json", "-")
	if code != exitOK {
		t.Fatalf("exit=%d, stderr %s", code, errOut)
	}
	var got struct {
		RangeKm          *float64 `json:"range_km"`
		RangeAt500kgKm   *float64 `json:"range_at_500kg_km"`
		PayloadAt300kmKg *float64 `json:"payload_at_300km_kg"`
		MaxRangeKm       *float64 `json:"max_range_km"`
		Category         string   `json:"category"`
		Entry            *string  `json:"entry"`
		Curve            []struct {
			PayloadKg *float64 `json:"payload_kg"`
			RangeKm   *float64 `json:"range_km"`
		} `json:"curve"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.RangeKm == nil || got.RangeAt500kgKm == nil || got.PayloadAt300kmKg == nil || got.MaxRangeKm == nil || len(got.Curve) == 0 || got.Curve[0].PayloadKg == nil || got.Curve[0].RangeKm == nil {
		t.Fatalf("missing fields in %s", out)
	}
	if got.Category != "I" || got.Entry == nil || *got.Entry != "1.A.1" {
		t.Errorf("category=%s entry=%v, want I and 1.A.1", got.Category, got.Entry)
	}

	code, out, _ = runCLI(t, scudB, nil, "capability", "-")
	if code != exitOK || !strings.Contains(out, "Category I (entry 1.A.1)") || !strings.Contains(out, "trade-off curve") {
		t.Errorf("text: exit=%d\n%s", code, out)
	}

	bad := []struct{ name, in, field string }{
		{"no stages", `{"payload_kg": 1000, "stages": []}`, "stages: at least one stage"},
		{"propellant heavier than the stage", `{"payload_kg": 1000, "stages": [{"propellant_mass_kg": 5000, "gross_mass_kg": 4000, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84}]}`, "stages[0].propellant_mass_kg"},
		{"Isp outside 50-500 s", `{"payload_kg": 1000, "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 520, "burn_time_s": 75, "diameter_m": 0.84}]}`, "stages[0].isp_s: must be between 50 and 500 s"},
		{"zero burn time", `{"payload_kg": 1000, "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 0, "diameter_m": 0.84}]}`, "stages[0].burn_time_s"},
		{"malformed", `{"payload_kg": `, "malformed JSON"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.in, nil, "capability", "-json", "-")
			if code != exitBadInput || out != "" || !strings.Contains(errOut, tt.field) {
				t.Errorf("exit=%d stdout=%q stderr=%q, want exit 2 naming %q", code, out, errOut, tt.field)
			}
		})
	}
}

// TestClassifyMissileCommand checks the classifier's use of the flight
// model from the command line: Scud-B with 1,150 kg falls short of 300 km
// and is still Category I.
func TestClassifyMissileCommand(t *testing.T) {
	heavy := strings.Replace(scudB, `"payload_kg": 1000`, `"payload_kg": 1150`, 1)
	code, out, errOut := runCLI(t, `{"name": "Scud-B", "kind": "rocket_system", "missile": `+heavy+`}`, nil, "classify", "-json", "-")
	if code != exitOK {
		t.Fatalf("exit=%d stderr %s", code, errOut)
	}
	var got struct {
		Category string `json:"category"`
		Entries  []struct {
			ID string `json:"id"`
		} `json:"entries"`
	}
	if json.Unmarshal([]byte(out), &got) != nil || got.Category != "I" || len(got.Entries) != 1 || got.Entries[0].ID != "1.A.1" {
		t.Errorf("got %s", out)
	}
}
