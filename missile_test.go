package annex_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

const scudB = `{"name": "Scud-B", "payload_kg": 1000,
 "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84}]}`

func TestDecodeMissile(t *testing.T) {
	m, err := annex.DecodeMissile(strings.NewReader(scudB))
	if err != nil {
		t.Fatal(err)
	}
	want := &annex.Missile{Name: "Scud-B", PayloadKg: 1000, Stages: []annex.Stage{{PropellantMassKg: 3699, DryMassKg: 1198, IspS: 230, BurnTimeS: 75, DiameterM: 0.84}}}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("missile (-want +got):\n%s", diff)
	}
	g, err := annex.DecodeMissile(strings.NewReader(`{"payload_kg": 500, "stages": [{"propellant_mass_kg": 3699, "gross_mass_kg": 4897, "isp_s": 230, "isp_vacuum_s": 250, "burn_time_s": 75, "diameter_m": 0.84, "nozzle_exit_area_m2": 0.2}],
		"launch": {"rotating_earth": true, "latitude_deg": 33, "azimuth_deg": 40}, "uncertainty": {"isp_percent": 3}}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := g.Stages[0].Dry(); d != 1198 {
		t.Errorf("Dry()=%v from the gross mass, want 1198", d)
	}
	if !g.Launch.RotatingEarth || g.Uncertainty.IspPercent != 3 {
		t.Errorf("launch=%+v uncertainty=%+v", g.Launch, g.Uncertainty)
	}
}

func TestDecodeMissileInvalid(t *testing.T) {
	stage := func(fields string) string {
		return `{"payload_kg": 1000, "stages": [{` + fields + `}]}`
	}
	tests := []struct {
		name, in string
		want     []string // field paths, in order
	}{
		{"no stages", `{"payload_kg": 1000, "stages": []}`, []string{"stages"}},
		{"stages missing", `{"payload_kg": 1000}`, []string{"stages"}},
		{"propellant heavier than the stage", stage(`"propellant_mass_kg": 5000, "gross_mass_kg": 4897, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84`), []string{"stages[0].propellant_mass_kg"}},
		{"Isp below 50 s", stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 40, "burn_time_s": 75, "diameter_m": 0.84`), []string{"stages[0].isp_s"}},
		{"Isp above 500 s", stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 501, "burn_time_s": 75, "diameter_m": 0.84`), []string{"stages[0].isp_s"}},
		{"zero burn time", stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 0, "diameter_m": 0.84`), []string{"stages[0].burn_time_s"}},
		{"no dry or gross mass", stage(`"propellant_mass_kg": 3699, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84`), []string{"stages[0]"}},
		{"negative payload", `{"payload_kg": -1, "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84}]}`, []string{"payload_kg"}},
		{"wrong type", stage(`"propellant_mass_kg": "lots", "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84`), []string{"stages[0].propellant_mass_kg"}},
		{"unknown field", stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84, "thrust_n": 1`), []string{"stages[0].thrust_n"}},
		{"second stage", `{"payload_kg": 1, "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84}, {"propellant_mass_kg": 1, "dry_mass_kg": 1, "isp_s": 230, "burn_time_s": 75}]}`, []string{"stages[1].diameter_m"}},
		{"launch", `{"payload_kg": 1, "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84}], "launch": {"latitude_deg": 95, "azimuth_deg": 360}}`, []string{"launch.latitude_deg", "launch.azimuth_deg"}},
		{"malformed", `{"payload_kg": 1,`, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := annex.DecodeMissile(strings.NewReader(tt.in))
			if annex.ErrorCode(err) != annex.EINVALID {
				t.Fatalf("ErrorCode=%q, want %q (%v)", annex.ErrorCode(err), annex.EINVALID, err)
			}
			var got []string
			for _, f := range annex.ErrorFields(err) {
				got = append(got, f.Field)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

// TestItemMissile checks that a rocket_system item carries a missile spec,
// with the spec's errors under the item's path.
func TestItemMissile(t *testing.T) {
	items, _, err := annex.DecodeItems(strings.NewReader(`{"kind": "rocket_system", "missile": ` + scudB + `}`))
	if err != nil || items[0].Missile == nil || items[0].Missile.Stages[0].IspS != 230 {
		t.Fatalf("items=%+v err=%v", items, err)
	}
	_, _, err = annex.DecodeItems(strings.NewReader(`[{"kind": "other"}, {"kind": "rocket_system", "missile": {"payload_kg": 1, "stages": [{"propellant_mass_kg": 1, "dry_mass_kg": 1, "isp_s": 20, "burn_time_s": 1, "diameter_m": 1}]}}]`))
	if f := annex.ErrorFields(err); len(f) != 1 || f[0].Field != "[1].missile.stages[0].isp_s" {
		t.Errorf("fields=%v, want [1].missile.stages[0].isp_s", f)
	}
}
