package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
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

// scudForm is the capability form filled with Scud-B in its first row.
func scudForm() url.Values {
	return url.Values{
		"name": {"Scud-B"}, "payload_kg": {"1000"}, "min_payload_kg": {""},
		"stages[0].propellant_mass_kg": {"3699"}, "stages[0].dry_mass_kg": {"1198"}, "stages[0].gross_mass_kg": {""},
		"stages[0].isp_s": {"230"}, "stages[0].isp_vacuum_s": {""}, "stages[0].burn_time_s": {"75"},
		"stages[0].diameter_m": {"0.84"}, "stages[0].nozzle_exit_area_m2": {""},
		"stages[1].propellant_mass_kg": {""}, "stages[1].isp_s": {""}, "stages[2].isp_s": {""},
		"launch.latitude_deg": {""}, "launch.azimuth_deg": {""}, "uncertainty.isp_percent": {""},
	}
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

func TestCapabilityPage(t *testing.T) {
	s := MustOpenServer(t)

	t.Run("Form", func(t *testing.T) {
		s.CapabilityService.CapabilityFn = noCapability(t)
		resp := s.Do(t, "GET", "/capability", "")
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body,
			`<a href="/capability" aria-current="page">Capability</a>`,
			`<form method="post" action="/capability" id="capability-form" novalidate>`,
			`<th scope="col" id="col-isp_s">Isp <span class="unit">(s)</span></th>`,
			`<input type="text" inputmode="decimal" autocomplete="off" id="stages-2-isp_s" name="stages[2].isp_s" value="" aria-labelledby="stage-2-head col-isp_s">`,
			`<button type="submit" name="add_stage" value="1" id="add-stage" class="secondary" data-add-stage data-max="6">Add a stage</button>`,
			`<input type="checkbox" id="launch-rotating_earth" name="launch.rotating_earth" value="true">`,
			`name="uncertainty.drag_percent"`,
			`<textarea id="missile-json" name="json"`)
		if strings.Contains(resp.Body, `name="stages[3].`) {
			t.Fatalf("the form has a fourth row, want three")
		}
	})

	t.Run("ScudB", func(t *testing.T) {
		s.CapabilityService.CapabilityFn = func(_ context.Context, m *annex.Missile) (*annex.Capability, error) {
			if diff := cmp.Diff(scudMissile(), m); diff != "" {
				t.Errorf("missile mismatch (-want +got):\n%s", diff)
			}
			return scudCapability(), nil
		}
		resp := s.Do(t, "POST", "/capability", scudForm().Encode(), form...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body,
			`<p class="verdict capability-verdict" id="capability-verdict">Category I under <a href="/control-list/1.A.1">1.A.1</a></p>`,
			`<p class="reason" id="capability-reason">Category I (1.A.1): with 500 kg it flies 441.6 km`,
			`<dd data-key="range_at_500kg_km">441.6 km</dd>`,
			`<dd data-key="payload_at_300km_kg">984.2 kg</dd>`,
			`<svg id="tradeoff-chart" class="chart" viewBox="0 0 640 400" role="img" aria-labelledby="tradeoff-chart-title tradeoff-chart-desc">`,
			`<title id="tradeoff-chart-title">Range against payload of Scud-B</title>`,
			`<rect id="category-i-box" class="cat1-box"`,
			`>Category I</text>`,
			`<line id="line-300km" class="line-300"`,
			`<path id="tradeoff-curve" class="curve" d="M`,
			`<g id="nominal-point" class="marker nominal">`,
			`<svg id="trajectory-chart"`,
			`<path id="trajectory-powered" class="powered" d="M`,
			`<g id="burnout-point"`, `<g id="apogee-point"`,
			`<th scope="row">Kepler range from the burnout state</th><td>299.7 km; the simulated flight falls 1.1 % shorter</td>`,
			`<th scope="row">Pitch rate</th><td>2.238°/s</td>`,
			`value="3699"`, `&#34;propellant_mass_kg&#34;: 3699`)
		// The charts are drawn without script or inline style, which the
		// Content-Security-Policy forbids.
		if n := strings.Count(resp.Body, "<script"); n != 1 {
			t.Errorf("%d script elements, want only the layout's", n)
		}
		if strings.Contains(resp.Body, "style=") {
			t.Errorf("the page has an inline style attribute")
		}
	})

	t.Run("LaunchAndUncertainty", func(t *testing.T) {
		var got *annex.Missile
		s.CapabilityService.CapabilityFn = func(_ context.Context, m *annex.Missile) (*annex.Capability, error) {
			got = m
			c := scudCapability()
			c.Band = &annex.CapabilityBand{RangeKm: [2]float64{271.5, 331.2}, RangeAt500kgKm: [2]float64{402.1, 493.3},
				PayloadAt300kmKg: [2]*float64{nil, ptr(1101.8)}, MaxRangeKm: [2]float64{530, 640.2}, Category: [2]string{"I", "I"}}
			return c, nil
		}
		f := scudForm()
		f.Set("min_payload_kg", "500")
		f.Set("launch.rotating_earth", "true")
		f.Set("launch.latitude_deg", "32.5")
		f.Set("launch.azimuth_deg", "90")
		f.Set("uncertainty.isp_percent", "2")
		f.Set("uncertainty.drag_percent", "10")
		resp := s.Do(t, "POST", "/capability", f.Encode(), form...)
		mustStatus(t, resp, http.StatusOK)
		want := scudMissile()
		want.MinPayloadKg = 500
		want.Launch = &annex.Launch{RotatingEarth: true, LatitudeDeg: 32.5, AzimuthDeg: 90}
		want.Uncertainty = &annex.Uncertainty{IspPercent: 2, DragPercent: 10}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("missile mismatch (-want +got):\n%s", diff)
		}
		mustContain(t, resp.Body, `<table class="facts" id="capability-band">`,
			`<th scope="row">Heaviest payload to 300 km</th><td>none</td><td>1101.8 kg</td>`,
			`<line id="range-band" class="band"`, `name="launch.rotating_earth" value="true" checked>`)
	})

	tests := []struct {
		name      string
		form      url.Values
		fragments []string
	}{
		{"NotANumber", url.Values{"stages[0].isp_s": {"lots"}}, []string{
			`id="stages-0-isp_s" name="stages[0].isp_s" value="lots" aria-labelledby="stage-0-head col-isp_s" aria-invalid="true" aria-describedby="stages-0-isp_s-error">`,
			`<p class="field-error" id="stages-0-isp_s-error">must be a number, as 3699 or 3.699e3</p>`}},
		{"IspOutOfRange", url.Values{"stages[0].isp_s": {"40"}}, []string{
			`<p class="field-error" id="stages-0-isp_s-error">must be between 50 and 500 s, got 40</p>`}},
		{"PropellantOverGross", url.Values{"stages[0].dry_mass_kg": {""}, "stages[0].gross_mass_kg": {"3000"}}, []string{
			`<p class="field-error" id="stages-0-propellant_mass_kg-error">3699 kg is not less than the stage&#39;s gross mass of 3000 kg</p>`}},
		{"ZeroBurn", url.Values{"stages[0].burn_time_s": {"0"}}, []string{
			`<p class="field-error" id="stages-0-burn_time_s-error">must be greater than 0, got 0</p>`}},
		{"Required", url.Values{"stages[0].diameter_m": {""}}, []string{
			`<p class="field-error" id="stages-0-diameter_m-error">required</p>`}},
		{"NoMass", url.Values{"stages[0].dry_mass_kg": {""}}, []string{
			`<p class="field-error" id="stage-0-head-error">give dry_mass_kg or gross_mass_kg</p>`}},
		{"NoStages", url.Values{"stages[0].propellant_mass_kg": {""}, "stages[0].dry_mass_kg": {""}, "stages[0].isp_s": {""},
			"stages[0].burn_time_s": {""}, "stages[0].diameter_m": {""}}, []string{
			`<p class="field-error" id="stages-error">at least one stage is required</p>`}},
		// The second row is empty: the third row is the missile's second
		// stage, and its error goes back to the third row.
		{"RowMapping", url.Values{"stages[2].propellant_mass_kg": {"500"}, "stages[2].dry_mass_kg": {"100"}, "stages[2].isp_s": {"600"},
			"stages[2].burn_time_s": {"30"}, "stages[2].diameter_m": {"0.6"}}, []string{
			`<p class="field-error" id="stages-2-isp_s-error">must be between 50 and 500 s, got 600</p>`}},
		{"PayloadRequired", url.Values{"payload_kg": {""}}, []string{
			`<p class="field-error" id="payload_kg-error">required</p>`}},
		{"MinPayloadOverNominal", url.Values{"min_payload_kg": {"1200"}}, []string{
			`<p class="field-error" id="min_payload_kg-error">must not exceed payload_kg (1000 kg)</p>`}},
		{"Latitude", url.Values{"launch.latitude_deg": {"100"}}, []string{
			`<p class="field-error" id="launch-latitude_deg-error">must be between -90 and 90, got 100</p>`}},
		{"Uncertainty", url.Values{"uncertainty.burn_time_percent": {"80"}}, []string{
			`<p class="field-error" id="uncertainty-burn_time_percent-error">must be between 0 and 50, got 80</p>`}},
		{"TooManyStages", url.Values{"stages[6].isp_s": {"230"}}, []string{
			`<p class="field-error" id="stages-error">at most 6 stages</p>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.CapabilityService.CapabilityFn = noCapability(t)
			f := scudForm()
			for k, v := range tt.form {
				f[k] = v
			}
			resp := s.Do(t, "POST", "/capability", f.Encode(), form...)
			mustStatus(t, resp, http.StatusUnprocessableEntity)
			mustContain(t, resp.Body, `<p>The missile could not be analysed: correct the fields marked below.</p>`)
			mustContain(t, resp.Body, tt.fragments...)
			if strings.Contains(resp.Body, `id="capability-verdict"`) {
				t.Fatalf("an invalid missile shows a verdict")
			}
		})
	}

	t.Run("ServiceInvalid", func(t *testing.T) {
		// EINVALID from the service finds its input like a form error.
		s.CapabilityService.CapabilityFn = func(context.Context, *annex.Missile) (*annex.Capability, error) {
			return nil, annex.Invalid(annex.FieldError{Field: "stages[0].diameter_m", Message: "too slender to fly"}, annex.FieldError{Message: "no trajectory"})
		}
		resp := s.Do(t, "POST", "/capability", scudForm().Encode(), form...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="stages-0-diameter_m-error">too slender to fly</p>`, `<li class="form-error">no trajectory</li>`)
	})

	t.Run("ServiceInternal", func(t *testing.T) {
		s.CapabilityService.CapabilityFn = func(context.Context, *annex.Missile) (*annex.Capability, error) {
			return nil, annex.Errorf(annex.EINTERNAL, "secret detail")
		}
		resp := s.Do(t, "POST", "/capability", scudForm().Encode(), form...)
		mustStatus(t, resp, http.StatusInternalServerError)
		mustContain(t, resp.Body, `id="error-message">Internal error.</p>`)
		if strings.Contains(resp.Body, "secret detail") {
			t.Fatalf("the page shows the internal error")
		}
	})

	t.Run("AddStage", func(t *testing.T) {
		s.CapabilityService.CapabilityFn = noCapability(t)
		f := scudForm()
		f.Set("add_stage", "1")
		f.Set("stages[0].isp_s", "lots") // not checked when adding a row
		resp := s.Do(t, "POST", "/capability", f.Encode(), form...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `name="stages[3].isp_s" value=""`, `name="stages[0].propellant_mass_kg" value="3699"`, `value="lots"`, `id="add-stage"`)
		if strings.Contains(resp.Body, "field-error") {
			t.Fatalf("adding a row shows errors")
		}
		for i := 4; i < 6; i++ {
			f.Set("stages["+strconv.Itoa(i)+"].isp_s", "")
		}
		resp = s.Do(t, "POST", "/capability", f.Encode(), form...)
		mustContain(t, resp.Body, `name="stages[5].isp_s"`)
		if strings.Contains(resp.Body, `id="add-stage"`) || strings.Contains(resp.Body, `name="stages[6].`) {
			t.Fatalf("the form grows past %d stages", annex.MaxStages)
		}
	})

	t.Run("JSON", func(t *testing.T) {
		s.CapabilityService.CapabilityFn = func(_ context.Context, m *annex.Missile) (*annex.Capability, error) {
			if diff := cmp.Diff(scudMissile(), m); diff != "" {
				t.Errorf("missile mismatch (-want +got):\n%s", diff)
			}
			return scudCapability(), nil
		}
		resp := s.Do(t, "POST", "/capability", url.Values{"json": {scudJSON}}.Encode(), form...)
		mustStatus(t, resp, http.StatusOK)
		// The stage form is filled from the JSON, so the missile can be
		// changed there.
		mustContain(t, resp.Body, `id="capability-verdict">Category I under`,
			`id="stages-0-propellant_mass_kg" name="stages[0].propellant_mass_kg" value="3699"`,
			`id="stages-0-diameter_m" name="stages[0].diameter_m" value="0.84"`,
			`id="stages-0-gross_mass_kg" name="stages[0].gross_mass_kg" value=""`,
			`id="payload_kg" name="payload_kg" type="text" value="1000"`)
	})

	jsonTests := []struct {
		name, json string
		fragments  []string
	}{
		{"JSONIsp", `{"payload_kg": 1000, "stages": [{"propellant_mass_kg": 3699, "dry_mass_kg": 1198, "isp_s": 40, "burn_time_s": 75, "diameter_m": 0.84}]}`,
			[]string{`<li class="form-error"><code>stages[0].isp_s</code>: must be between 50 and 500 s, got 40</li>`, `aria-invalid="true">{&#34;payload_kg&#34;: 1000`}},
		{"JSONMalformed", `{"payload_kg": `, []string{`<li class="form-error">malformed JSON at line 1, column 16: unexpected EOF</li>`}},
	}
	for _, tt := range jsonTests {
		t.Run(tt.name, func(t *testing.T) {
			s.CapabilityService.CapabilityFn = noCapability(t)
			resp := s.Do(t, "POST", "/capability", url.Values{"json": {tt.json}}.Encode(), form...)
			mustStatus(t, resp, http.StatusUnprocessableEntity)
			mustContain(t, resp.Body, tt.fragments...)
		})
	}

	t.Run("UnknownQuery", func(t *testing.T) {
		mustStatus(t, s.Do(t, "GET", "/capability?missile=x", ""), http.StatusUnprocessableEntity)
	})
}

func TestPayloadAt300(t *testing.T) {
	s := MustOpenServer(t)
	tests := []struct {
		name string
		c    *annex.Capability
		want string
	}{
		{"Given", scudCapability(), `<dd data-key="payload_at_300km_kg">984.2 kg</dd>`},
		{"NoneReaches", &annex.Capability{Category: "none", MaxRangeKm: 120, Curve: []annex.CurvePoint{}}, `<dd data-key="payload_at_300km_kg">none: it does not reach 300 km</dd>`},
		// The classifier does not search the heaviest payload: null does
		// not mean that the missile falls short then.
		{"NotComputed", rocketClassification().Capability, `<dd data-key="payload_at_300km_kg">not computed</dd>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.CapabilityService.CapabilityFn = func(context.Context, *annex.Missile) (*annex.Capability, error) { return tt.c, nil }
			resp := s.Do(t, "POST", "/capability", url.Values{"json": {scudJSON}}.Encode(), form...)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, resp.Body, tt.want)
		})
	}
}

func ptr(f float64) *float64 { return &f }
