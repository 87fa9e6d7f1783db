package web_test

import (
	"context"
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenPages renders pages from the fixed mock data and compares them
// with testdata/<name>.golden; go test ./web -update rewrites the files.
func TestGoldenPages(t *testing.T) {
	s := MustOpenServer(t)
	v := testVersion()
	s.ControlListService.FindVersionFn = func(context.Context, string) (*annex.ListVersion, error) { return v, nil }
	s.ControlListService.FindEntryByIDFn = func(_ context.Context, _, id string) (*annex.Entry, error) {
		for _, e := range v.Entries {
			if e.ID == id {
				return e, nil
			}
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "entry %q is not in list version mtcr-2024", id)
	}
	s.ControlListService.FindEntriesFn = func(context.Context, annex.EntryFilter) ([]*annex.Entry, int, error) {
		return v.Entries[2:3], 1, nil
	}
	s.ControlListService.ClassifyFn = func(_ context.Context, _ string, items []annex.Item) ([]*annex.Classification, error) {
		if items[0].Missile != nil {
			return []*annex.Classification{rocketClassification()}, nil
		}
		return []*annex.Classification{srmClassification(items[0].Name)}, nil
	}
	s.CapabilityService.CapabilityFn = func(_ context.Context, m *annex.Missile) (*annex.Capability, error) {
		c := scudCapability()
		if m.Uncertainty != nil {
			c.Band = &annex.CapabilityBand{RangeKm: [2]float64{271.5, 331.2}, RangeAt500kgKm: [2]float64{402.1, 493.3},
				PayloadAt300kmKg: [2]*float64{nil, ptr(1101.8)}, MaxRangeKm: [2]float64{530, 640.2}, Category: [2]string{"I", "I"}}
		}
		return c, nil
	}
	s.withSessions()
	s.withScreen()
	s.withParties(t)
	s.PartyService.FindPartiesFn = func(context.Context, annex.PartyFilter) ([]*annex.Party, int, error) {
		return []*annex.Party{orionParty()}, 1, nil
	}
	s.PartyService.FindAlertsFn = func(context.Context, annex.AlertFilter) ([]*annex.Alert, int, error) {
		return testAlerts(), 2, nil
	}
	s.ListStore.FindSnapshotsFn = func(context.Context, annex.ListSnapshotFilter) ([]*annex.ListSnapshot, int, error) {
		return testSnapshots(), 2, nil
	}
	withUncertainty := scudForm()
	withUncertainty.Set("uncertainty.isp_percent", "5")
	invalid := scudForm()
	invalid.Set("stages[0].isp_s", "40")
	invalid.Set("stages[1].propellant_mass_kg", "500")
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		header []string
	}{
		{"home", "GET", "/", "", nil},
		{"control_list", "GET", "/control-list?q=2.A.1.c", "", nil},
		{"entry", "GET", "/control-list/2.A.1.c", "", nil},
		{"classify_form", "GET", "/classify?kind=solid_rocket_motor", "", nil},
		{"classify_result", "POST", "/classify", url.Values{"kind": {"solid_rocket_motor"}, "name": {"SRM-7 motor"}, "params.total_impulse_ns": {"1.2e6"}}.Encode(), nil},
		{"classify_missile", "POST", "/classify", url.Values{"json": {`{"kind": "rocket_system", "missile": ` + scudJSON + `}`}}.Encode(), nil},
		{"capability_form", "GET", "/capability", "", nil},
		{"capability_result", "POST", "/capability", withUncertainty.Encode(), nil},
		{"capability_errors", "POST", "/capability", invalid.Encode(), nil},
		{"not_found", "GET", "/control-list/9.Z", "", nil},
		{"screen_results", "GET", "/screen?name=Orion+Rocket+Works&type=organization&country=KP", "", nil},
		{"screen_signed_in", "GET", "/screen?name=Orion+Rocket+Works&type=organization&country=KP", "", officerCookie},
		{"party", "GET", "/parties/12", "", officerCookie},
		{"alerts", "GET", "/alerts", "", officerCookie},
		{"lists", "GET", "/lists", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, tt.method, tt.path, tt.body, append(append([]string{}, form...), tt.header...)...)
			switch resp.StatusCode {
			case http.StatusOK, http.StatusNotFound, http.StatusUnprocessableEntity:
			default:
				t.Fatalf("Status=%v; body:\n%s", resp.StatusCode, resp.Body)
			}
			mustGolden(t, tt.name, resp.Body)
		})
	}
}

// mustGolden compares a body with testdata/<name>.golden, or rewrites the
// file under -update.
func mustGolden(t *testing.T, name, body string) {
	t.Helper()
	golden := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(golden, []byte(body), 0o644); err != nil {
			t.Fatalf("write golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden file (run go test ./web -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), body); diff != "" {
		t.Fatalf("%s mismatch (-want +got):\n%s", golden, diff)
	}
}
