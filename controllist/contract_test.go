package controllist_test

import (
	"fmt"
	"testing"

	"annex"
)

// contractKinds are the kinds and parameters that issue 2 names as the item
// format scripts rely on.
var contractKinds = map[string][]string{
	"rocket_system":         {"range_km", "payload_kg", "aerosol_capacity_l", "autonomous_navigation"},
	"uav_system":            {"range_km", "payload_kg", "aerosol_capacity_l", "autonomous_navigation"},
	"rocket_stage":          {"designed_for_range_km", "designed_for_payload_kg", "non_weapon_payload"},
	"reentry_vehicle":       {"designed_for_range_km", "designed_for_payload_kg", "non_weapon_payload"},
	"solid_rocket_motor":    {"total_impulse_ns", "vacuum_thrust_n", "satellite_use"},
	"hybrid_rocket_motor":   {"total_impulse_ns", "vacuum_thrust_n", "satellite_use"},
	"liquid_rocket_engine":  {"total_impulse_ns", "vacuum_thrust_n", "satellite_use"},
	"guidance_set":          {"cep_m", "designed_for_range_km", "accuracy_percent_of_range"},
	"thrust_vector_control": {"designed_for_range_km", "designed_for_payload_kg"},
	"gyroscope":             {"drift_rate_deg_per_h", "rated_acceleration_g"},
	"accelerometer":         {"scale_factor_repeatability_ppm", "bias_repeatability_ug", "rated_acceleration_g"},
	"navigation_system":     {"cep_m"},
	"turbojet_engine":       {"max_thrust_n", "sfc_kg_per_n_h", "dry_mass_kg", "civil_certified"},
	"isostatic_press":       {"max_pressure_mpa", "max_temperature_c", "cavity_inner_diameter_mm"},
	"chemical":              {"cas_number", "concentration_percent"},
	"test_stand":            {"max_thrust_kn"},
	"computer":              {"min_operating_temp_c", "max_operating_temp_c", "designed_for_rocket_system"},
	"military_electronics":  {"max_operating_temp_c"},
	"gravimeter":            {"accuracy_mgal", "time_to_steady_state_s"},
	"other":                 {},
}

// TestContractKinds checks that every kind of the item format exists with
// its parameters, and that an item giving all of them is always decided:
// a script that sends the documented parameters never gets "incomplete".
// Each parameter is tried at values on both sides of the thresholds.
func TestContractKinds(t *testing.T) {
	c := mustClassifier(t)
	kinds := map[string]*annex.Kind{}
	for _, k := range c.Version().Kinds {
		kinds[k.Name] = k
	}
	samples := map[annex.ValueType][]any{
		annex.TypeNumber: {0.01, 1.0, 50.0, 0.5e6, 2e6},
		annex.TypeBool:   {true, false},
	}
	for name, params := range contractKinds {
		t.Run(name, func(t *testing.T) {
			k := kinds[name]
			if k == nil {
				t.Fatalf("kind %s is missing", name)
			}
			declared := map[string]*annex.Param{}
			for _, p := range k.Params {
				declared[p.Name] = p
			}
			for _, p := range params {
				if declared[p] == nil {
					t.Fatalf("kind %s has no parameter %s", name, p)
				}
			}
			for round := 0; round < 5; round++ {
				it := annex.Item{Kind: name, Params: map[string]any{}}
				for i, p := range params {
					switch dp := declared[p]; {
					case p == "cas_number":
						it.Params[p] = []string{"302-01-2", "7732-18-5"}[round%2]
					case dp.Max != nil:
						it.Params[p] = *dp.Max * float64(round) / 5
					default:
						s := samples[dp.Type]
						it.Params[p] = s[(round+i)%len(s)]
					}
				}
				cl, err := c.ClassifyItem(it)
				if err != nil {
					t.Fatalf("%v: %v", it.Params, err)
				}
				if cl.Status == annex.StatusIncomplete {
					t.Errorf("%s: incomplete with every documented parameter given (%v): %s", fmt.Sprint(it.Params), cl.Summary, cl.Notes)
				}
			}
		})
	}
}
