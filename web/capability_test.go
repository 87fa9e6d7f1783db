package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// scudJSON is Scud-B on Forden's (2007) inputs.
const scudJSON = `{"name": "Scud-B", "payload_kg": 1000,
 "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84}]}`

// scudMissile is scudJSON decoded.
func scudMissile() *annex.Missile {
	return &annex.Missile{Name: "Scud-B", PayloadKg: 1000, Stages: []annex.Stage{
		{PropellantMassKg: 3699, DryMassKg: 1198, IspS: 230, BurnTimeS: 75, DiameterM: 0.84}}}
}

// scudCapability is the flight model's analysis of Scud-B (November 2026),
// with the curve and the trajectory thinned out, for the mock capability
// service.
func scudCapability() *annex.Capability {
	entry, p300 := "1.A.1", 984.2
	return &annex.Capability{
		Name: "Scud-B", PayloadKg: 1000, RangeKm: 296.5, RangeAt500kgKm: 441.6, PayloadAt300kmKg: &p300,
		MaxRangeKm: 718.6, MinPayloadKg: 0, Category: "I", Entry: &entry,
		Reason: "Category I (1.A.1): with 500 kg it flies 441.6 km, at least 300 km, trading payload for range. With its nominal 1000 kg it flies 296.5 km.",
		Curve: []annex.CurvePoint{{PayloadKg: 0, RangeKm: 718.6}, {PayloadKg: 236.8, RangeKm: 562.4}, {PayloadKg: 473.7, RangeKm: 451.9},
			{PayloadKg: 710.5, RangeKm: 370.4}, {PayloadKg: 947.4, RangeKm: 308.3}, {PayloadKg: 1026.3, RangeKm: 290.9},
			{PayloadKg: 1263.2, RangeKm: 246.1}, {PayloadKg: 1500, RangeKm: 210.2}},
		Trajectory: &annex.Trajectory{
			PayloadKg: 1000, RangeKm: 296.5, FlightTimeS: 307.2, ApogeeKm: 77.3,
			BurnoutSpeedMS: 1520.6, BurnoutAngleDeg: 39.32, BurnoutAltitudeKm: 28.7, BurnoutDownrangeKm: 31.6, BurnoutTimeS: 75,
			IdealDeltaVMS: 2226, GravityLossMS: 554, DragLossMS: 125,
			VerticalRiseS: 4, PitchRateDegS: 2.238, HoldAngleDeg: 49.86, KeplerRangeKm: 299.7,
			Points: []annex.TrajectoryPoint{
				{TimeS: 0}, {TimeS: 30.9, DownrangeKm: 2.5, AltitudeKm: 4.5, SpeedMS: 380.1},
				{TimeS: 61.7, DownrangeKm: 18.6, AltitudeKm: 18.1, SpeedMS: 1052}, {TimeS: 92.6, DownrangeKm: 52.1, AltitudeKm: 44.1, SpeedMS: 1410.2},
				{TimeS: 123.5, DownrangeKm: 87.8, AltitudeKm: 64, SpeedMS: 1265.3}, {TimeS: 154.3, DownrangeKm: 123.2, AltitudeKm: 75, SpeedMS: 1179.2},
				{TimeS: 174.4, DownrangeKm: 146.2, AltitudeKm: 77.3, SpeedMS: 1160.2}, {TimeS: 185.2, DownrangeKm: 158.6, AltitudeKm: 76.9, SpeedMS: 1163},
				{TimeS: 216.1, DownrangeKm: 194, AltitudeKm: 70, SpeedMS: 1218.9}, {TimeS: 247, DownrangeKm: 229.6, AltitudeKm: 54.1, SpeedMS: 1338.4},
				{TimeS: 277.8, DownrangeKm: 265.3, AltitudeKm: 29.2, SpeedMS: 1499.8}, {TimeS: 307.2, DownrangeKm: 296.5, SpeedMS: 1192.9},
			},
		},
		Model: annex.ModelInfo{Description: "Point-mass flight over a spherical Earth with inverse-square gravity."},
	}
}

// noCapability fails the test if the capability service is called.
func noCapability(t *testing.T) func(context.Context, *annex.Missile) (*annex.Capability, error) {
	return func(_ context.Context, m *annex.Missile) (*annex.Capability, error) {
		t.Errorf("Capability called with %+v; want invalid input refused before", m)
		return nil, annex.Errorf(annex.EINTERNAL, "unexpected call")
	}
}

func TestCapabilityAPI(t *testing.T) {
	t.Run("ScudB", func(t *testing.T) {
		s := MustOpenServer(t)
		s.CapabilityService.CapabilityFn = func(_ context.Context, m *annex.Missile) (*annex.Capability, error) {
			if diff := cmp.Diff(scudMissile(), m); diff != "" {
				t.Errorf("missile mismatch (-want +got):\n%s", diff)
			}
			return scudCapability(), nil
		}
		resp := s.Do(t, "POST", "/api/v1/capability", scudJSON)
		mustStatus(t, resp, http.StatusOK)
		if got, want := resp.Header.Get("Content-Type"), "application/json"; got != want {
			t.Fatalf("Content-Type=%q, want %q", got, want)
		}
		var got annex.Capability
		mustDecode(t, resp, &got)
		if diff := cmp.Diff(scudCapability(), &got); diff != "" {
			t.Fatalf("capability mismatch (-want +got):\n%s", diff)
		}
		mustContain(t, resp.Body, `"payload_at_300km_kg":984.2`, `"entry":"1.A.1"`, `"category":"I"`)
	})

	t.Run("NullsWhenNone", func(t *testing.T) {
		s := MustOpenServer(t)
		s.CapabilityService.CapabilityFn = func(context.Context, *annex.Missile) (*annex.Capability, error) {
			return &annex.Capability{PayloadKg: 1000, RangeKm: 120, Category: "none", Curve: []annex.CurvePoint{}}, nil
		}
		resp := s.Do(t, "POST", "/api/v1/capability", scudJSON)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"payload_at_300km_kg":null`, `"entry":null`, `"category":"none"`)
	})

	t.Run("InternalError", func(t *testing.T) {
		s := MustOpenServer(t)
		s.CapabilityService.CapabilityFn = func(context.Context, *annex.Missile) (*annex.Capability, error) {
			return nil, &annex.Error{Code: annex.EINTERNAL, Message: "integrator diverged", Err: context.DeadlineExceeded}
		}
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/capability", scudJSON), http.StatusInternalServerError)
		if p.Detail != "Internal error." || p.Code != annex.EINTERNAL {
			t.Fatalf("problem=%+v", p)
		}
		mustContain(t, s.Log.String(), "http error", "integrator diverged", "path=/api/v1/capability")
	})

	t.Run("ServiceInvalid", func(t *testing.T) {
		s := MustOpenServer(t)
		s.CapabilityService.CapabilityFn = func(context.Context, *annex.Missile) (*annex.Capability, error) {
			return nil, annex.Invalid(annex.FieldError{Field: "stages[0]", Message: "the stage cannot lift itself"})
		}
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/capability", scudJSON), http.StatusUnprocessableEntity)
		if p.Field != "stages[0]" {
			t.Fatalf("Field=%q, want stages[0]", p.Field)
		}
	})
}

// TestCapabilityAPIErrors checks the 422 answers for invalid missiles: the
// input is refused before the service is called, with the path of every
// offending field.
func TestCapabilityAPIErrors(t *testing.T) {
	s := MustOpenServer(t)
	s.CapabilityService.CapabilityFn = noCapability(t)
	stage := func(fields string) string {
		return `{"payload_kg": 1000, "stages": [{` + fields + `}]}`
	}
	tests := []struct {
		name   string
		query  string
		body   string
		field  string
		errors []annex.FieldError
	}{
		{name: "NoStages", body: `{"payload_kg": 1000, "stages": []}`, field: "stages",
			errors: []annex.FieldError{{Field: "stages", Message: "at least one stage is required"}}},
		{name: "StagesMissing", body: `{"payload_kg": 1000}`, field: "stages"},
		{name: "IspTooLow", body: stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 40, "burn_time_s": 75, "diameter_m": 0.84`), field: "stages[0].isp_s",
			errors: []annex.FieldError{{Field: "stages[0].isp_s", Message: "must be between 50 and 500 s, got 40"}}},
		{name: "IspTooHigh", body: stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 501, "burn_time_s": 75, "diameter_m": 0.84`), field: "stages[0].isp_s"},
		{name: "PropellantOverGross", body: stage(`"propellant_mass_kg": 3699, "gross_mass_kg": 3000, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84`), field: "stages[0].propellant_mass_kg",
			errors: []annex.FieldError{{Field: "stages[0].propellant_mass_kg", Message: "3699 kg is not less than the stage's gross mass of 3000 kg"}}},
		{name: "ZeroBurn", body: stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 0, "diameter_m": 0.84`), field: "stages[0].burn_time_s",
			errors: []annex.FieldError{{Field: "stages[0].burn_time_s", Message: "must be greater than 0, got 0"}}},
		{name: "SecondStage", body: `{"payload_kg": 500, "stages": [
			{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84},
			{"propellant_mass_kg": 500, "dry_mass_kg": 100, "isp_s": 600, "burn_time_s": 30, "diameter_m": 0.6}]}`, field: "stages[1].isp_s"},
		{name: "NoMass", body: stage(`"propellant_mass_kg": 3699, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84`), field: "stages[0]",
			errors: []annex.FieldError{{Field: "stages[0]", Message: "give dry_mass_kg or gross_mass_kg"}}},
		{name: "WrongType", body: stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": "230", "burn_time_s": 75, "diameter_m": 0.84`), field: "stages[0].isp_s",
			errors: []annex.FieldError{{Field: "stages[0].isp_s", Message: "must be a number, got string"}}},
		{name: "UnknownField", body: stage(`"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 230, "burn_time_s": 75, "diameter_m": 0.84, "colour": "green"`), field: "stages[0].colour"},
		{name: "MalformedJSON", body: "{\"payload_kg\": 1000,\n \"stages\": [,]}",
			errors: []annex.FieldError{{Message: "malformed JSON at line 2, column 13: invalid character ',' looking for beginning of value"}}},
		{name: "Empty", body: ""},
		{name: "NotAnObject", body: `[1]`},
		{name: "UnknownQuery", query: "?fast=1", body: scudJSON, field: "fast"},
		{name: "TooLarge", body: `{"name":"` + strings.Repeat("x", 1<<20) + `"}`,
			errors: []annex.FieldError{{Message: "the request body is larger than 1 MB"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "POST", "/api/v1/capability"+tt.query, tt.body), http.StatusUnprocessableEntity)
			if p.Status != 422 || p.Type != "about:blank" || p.Detail == "" || p.Code != annex.EINVALID || len(p.Errors) == 0 {
				t.Fatalf("problem=%+v", p)
			}
			if got, want := p.Field, tt.field; got != want {
				t.Fatalf("Field=%q, want %q (%+v)", got, want, p)
			}
			if tt.errors != nil {
				if diff := cmp.Diff(tt.errors, p.Errors); diff != "" {
					t.Fatalf("errors mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestCapabilityAPIPublic checks that the analysis needs no sign-in, but
// still refuses a bad token and a cross-site browser.
func TestCapabilityAPIPublic(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.CapabilityService.CapabilityFn = func(context.Context, *annex.Missile) (*annex.Capability, error) { return scudCapability(), nil }
	mustStatus(t, s.Do(t, "POST", "/api/v1/capability", scudJSON), http.StatusOK)
	mustStatus(t, s.Do(t, "POST", "/api/v1/capability", scudJSON, "Authorization", "Bearer officer-token"), http.StatusOK)
	mustProblem(t, s.Do(t, "POST", "/api/v1/capability", scudJSON, "Authorization", "Bearer stale"), http.StatusUnauthorized)
	mustProblem(t, s.Do(t, "POST", "/api/v1/capability", scudJSON, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden)
	p := mustProblem(t, s.Do(t, "GET", "/api/v1/capability", ""), http.StatusMethodNotAllowed)
	if p.Code != "method_not_allowed" {
		t.Fatalf("Code=%q, want method_not_allowed", p.Code)
	}
}
