package annex

import (
	"context"
	"fmt"
	"math"
	"strconv"
)

// Missile is a rocket system described by its stages, listed bottom first:
// the input of the capability analysis. Scripts depend on these JSON names.
type Missile struct {
	Name string `json:"name,omitempty"`
	// PayloadKg is the nominal payload, as the Annex defines payload.
	PayloadKg float64 `json:"payload_kg"`
	Stages    []Stage `json:"stages"`
	// MinPayloadKg is the lightest payload considered for "300 km whatever
	// the payload" (Item 19); zero when not given.
	MinPayloadKg float64 `json:"min_payload_kg,omitempty"`
	// Launch sets Earth rotation and the launch site and direction; without
	// it the Earth does not rotate.
	Launch *Launch `json:"launch,omitempty"`
	// Uncertainty gives relative uncertainties of the inputs, for a band.
	Uncertainty *Uncertainty `json:"uncertainty,omitempty"`
}

// Stage is one stage of a missile. It gives its dry mass, or its gross mass
// (dry plus propellant, without upper stages and payload).
type Stage struct {
	PropellantMassKg float64 `json:"propellant_mass_kg"`
	DryMassKg        float64 `json:"dry_mass_kg,omitempty"`
	GrossMassKg      float64 `json:"gross_mass_kg,omitempty"`
	// IspS is the specific impulse as published; with a nozzle exit area it
	// is taken as the sea-level value.
	IspS       float64 `json:"isp_s"`
	IspVacuumS float64 `json:"isp_vacuum_s,omitempty"`
	BurnTimeS  float64 `json:"burn_time_s"`
	DiameterM  float64 `json:"diameter_m"`
	// NozzleExitAreaM2 enables the ambient-pressure correction of thrust.
	NozzleExitAreaM2 float64 `json:"nozzle_exit_area_m2,omitempty"`
}

// Launch places the launch on a rotating Earth.
type Launch struct {
	RotatingEarth bool    `json:"rotating_earth"`
	LatitudeDeg   float64 `json:"latitude_deg"`
	// AzimuthDeg is the launch direction, clockwise from north.
	AzimuthDeg float64 `json:"azimuth_deg"`
}

// Uncertainty holds relative uncertainties, in percent, of a missile's
// inputs. The band takes every input at the end of its range that shortens
// the flight, and at the end that lengthens it.
type Uncertainty struct {
	IspPercent            float64 `json:"isp_percent,omitempty"`
	PropellantMassPercent float64 `json:"propellant_mass_percent,omitempty"`
	DryMassPercent        float64 `json:"dry_mass_percent,omitempty"`
	BurnTimePercent       float64 `json:"burn_time_percent,omitempty"`
	DragPercent           float64 `json:"drag_percent,omitempty"`
}

// Limits on missile inputs.
const (
	MinIspS    = 50.0
	MaxIspS    = 500.0
	MaxStages  = 6
	MaxPercent = 50.0
)

// Dry returns the stage's dry mass, from DryMassKg or GrossMassKg.
func (s *Stage) Dry() float64 {
	if s.DryMassKg > 0 {
		return s.DryMassKg
	}
	return s.GrossMassKg - s.PropellantMassKg
}

// Validate checks a missile. Errors are EINVALID and name each field by its
// path, as "stages[0].isp_s".
func (m *Missile) Validate() error {
	if errs := m.validate(""); len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// validate returns the missile's invalid fields, with paths under path.
func (m *Missile) validate(path string) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{join(path, field), fmt.Sprintf(format, args...)})
	}
	nonNeg := func(field string, v float64) {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			add(field, "must be a finite number, not negative, got %s", FormatNumber(v))
		}
	}
	nonNeg("payload_kg", m.PayloadKg)
	nonNeg("min_payload_kg", m.MinPayloadKg)
	if m.MinPayloadKg > m.PayloadKg && m.PayloadKg >= 0 {
		add("min_payload_kg", "must not exceed payload_kg (%s kg)", FormatNumber(m.PayloadKg))
	}
	switch {
	case len(m.Stages) == 0:
		add("stages", "at least one stage is required")
	case len(m.Stages) > MaxStages:
		add("stages", "at most %d stages, got %d", MaxStages, len(m.Stages))
	}
	for i := range m.Stages {
		errs = append(errs, m.Stages[i].validate(join(path, "stages["+strconv.Itoa(i)+"]"))...)
	}
	if l := m.Launch; l != nil {
		if l.LatitudeDeg < -90 || l.LatitudeDeg > 90 {
			add("launch.latitude_deg", "must be between -90 and 90, got %s", FormatNumber(l.LatitudeDeg))
		}
		if l.AzimuthDeg < 0 || l.AzimuthDeg >= 360 {
			add("launch.azimuth_deg", "must be at least 0 and less than 360, got %s", FormatNumber(l.AzimuthDeg))
		}
	}
	if u := m.Uncertainty; u != nil {
		for _, f := range []struct {
			name string
			v    float64
		}{{"isp_percent", u.IspPercent}, {"propellant_mass_percent", u.PropellantMassPercent},
			{"dry_mass_percent", u.DryMassPercent}, {"burn_time_percent", u.BurnTimePercent}, {"drag_percent", u.DragPercent}} {
			if f.v < 0 || f.v > MaxPercent {
				add("uncertainty."+f.name, "must be between 0 and %g, got %s", MaxPercent, FormatNumber(f.v))
			}
		}
	}
	return errs
}

func (s *Stage) validate(at string) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{at + "." + field, fmt.Sprintf(format, args...)})
	}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	if s.PropellantMassKg <= 0 || bad(s.PropellantMassKg) {
		add("propellant_mass_kg", "must be greater than 0, got %s", FormatNumber(s.PropellantMassKg))
	}
	switch {
	case s.DryMassKg == 0 && s.GrossMassKg == 0:
		errs = append(errs, FieldError{at, "give dry_mass_kg or gross_mass_kg"})
	case s.DryMassKg < 0 || bad(s.DryMassKg):
		add("dry_mass_kg", "must be greater than 0, got %s", FormatNumber(s.DryMassKg))
	case s.GrossMassKg < 0 || bad(s.GrossMassKg):
		add("gross_mass_kg", "must be greater than 0, got %s", FormatNumber(s.GrossMassKg))
	case s.DryMassKg == 0 && s.PropellantMassKg >= s.GrossMassKg:
		add("propellant_mass_kg", "%s kg is not less than the stage's gross mass of %s kg", FormatNumber(s.PropellantMassKg), FormatNumber(s.GrossMassKg))
	case s.DryMassKg > 0 && s.GrossMassKg > 0 && math.Abs(s.DryMassKg+s.PropellantMassKg-s.GrossMassKg) > 0.01*s.GrossMassKg:
		add("gross_mass_kg", "%s kg differs from dry plus propellant mass (%s kg)", FormatNumber(s.GrossMassKg), FormatNumber(s.DryMassKg+s.PropellantMassKg))
	}
	if s.IspS < MinIspS || s.IspS > MaxIspS || bad(s.IspS) {
		add("isp_s", "must be between %g and %g s, got %s", MinIspS, MaxIspS, FormatNumber(s.IspS))
	}
	if s.IspVacuumS != 0 && (s.IspVacuumS < s.IspS || s.IspVacuumS > MaxIspS || bad(s.IspVacuumS)) {
		add("isp_vacuum_s", "must be at least isp_s and at most %g s, got %s", MaxIspS, FormatNumber(s.IspVacuumS))
	}
	if s.BurnTimeS <= 0 || bad(s.BurnTimeS) {
		add("burn_time_s", "must be greater than 0, got %s", FormatNumber(s.BurnTimeS))
	}
	if s.DiameterM <= 0 || s.DiameterM > 20 || bad(s.DiameterM) {
		add("diameter_m", "must be greater than 0 and at most 20 m, got %s", FormatNumber(s.DiameterM))
	}
	if s.NozzleExitAreaM2 < 0 || bad(s.NozzleExitAreaM2) {
		add("nozzle_exit_area_m2", "must not be negative, got %s", FormatNumber(s.NozzleExitAreaM2))
	} else if s.DiameterM > 0 && s.NozzleExitAreaM2 > math.Pi*s.DiameterM*s.DiameterM/4*1.5 {
		add("nozzle_exit_area_m2", "%s m² is larger than the stage's cross-section allows", FormatNumber(s.NozzleExitAreaM2))
	}
	return errs
}

// CurvePoint is one point of a range/payload trade-off curve.
type CurvePoint struct {
	PayloadKg float64 `json:"payload_kg"`
	RangeKm   float64 `json:"range_km"`
}

// Capability is the result of the capability analysis of a missile, and the
// MTCR category it implies. Scripts depend on these JSON names.
type Capability struct {
	Name      string  `json:"name,omitempty"`
	PayloadKg float64 `json:"payload_kg"`
	// RangeKm is the maximum range at the nominal payload.
	RangeKm float64 `json:"range_km"`
	// RangeAt500kgKm is the maximum range with a 500 kg payload.
	RangeAt500kgKm float64 `json:"range_at_500kg_km"`
	// PayloadAt300kmKg is the heaviest payload that reaches 300 km; null
	// when not even the lightest payload does.
	PayloadAt300kmKg *float64 `json:"payload_at_300km_kg"`
	// MaxRangeKm is the maximum range at the lightest payload, MinPayloadKg.
	MaxRangeKm   float64 `json:"max_range_km"`
	MinPayloadKg float64 `json:"min_payload_kg"`
	// Category is "I", "II" or "none"; Entry is "1.A.1", "19.A.1" or null.
	Category string  `json:"category"`
	Entry    *string `json:"entry"`
	// Reason says why, in one sentence.
	Reason string `json:"reason"`
	// Curve is the trade-off: maximum range against payload.
	Curve []CurvePoint `json:"curve"`
	// Trajectory is the maximum-range flight at the nominal payload.
	Trajectory *Trajectory `json:"trajectory"`
	// Band is the range of results over the input uncertainties, when given.
	Band *CapabilityBand `json:"band,omitempty"`
	// Model states the model's assumptions.
	Model ModelInfo `json:"model"`
}

// Trajectory is one simulated flight with its pitch program.
type Trajectory struct {
	PayloadKg   float64 `json:"payload_kg"`
	RangeKm     float64 `json:"range_km"`
	FlightTimeS float64 `json:"flight_time_s"`
	ApogeeKm    float64 `json:"apogee_km"`
	// Burnout is the state at the last stage's burnout.
	BurnoutSpeedMS     float64           `json:"burnout_speed_m_s"`
	BurnoutAngleDeg    float64           `json:"burnout_angle_deg"`
	BurnoutAltitudeKm  float64           `json:"burnout_altitude_km"`
	BurnoutDownrangeKm float64           `json:"burnout_downrange_km"`
	BurnoutTimeS       float64           `json:"burnout_time_s"`
	IdealDeltaVMS      float64           `json:"ideal_delta_v_m_s"`
	GravityLossMS      float64           `json:"gravity_loss_m_s"`
	DragLossMS         float64           `json:"drag_loss_m_s"`
	VerticalRiseS      float64           `json:"vertical_rise_s"`
	PitchRateDegS      float64           `json:"pitch_rate_deg_s"`
	HoldAngleDeg       float64           `json:"hold_angle_deg"`
	KeplerRangeKm      float64           `json:"kepler_range_km"`
	Points             []TrajectoryPoint `json:"points,omitempty"`
}

// TrajectoryPoint is a sample of a flight, for drawing it.
type TrajectoryPoint struct {
	TimeS       float64 `json:"time_s"`
	DownrangeKm float64 `json:"downrange_km"`
	AltitudeKm  float64 `json:"altitude_km"`
	SpeedMS     float64 `json:"speed_m_s"`
}

// CapabilityBand gives the low and high ends of the results over the input
// uncertainties, and the categories at each end.
type CapabilityBand struct {
	RangeKm          [2]float64  `json:"range_km"`
	RangeAt500kgKm   [2]float64  `json:"range_at_500kg_km"`
	PayloadAt300kmKg [2]*float64 `json:"payload_at_300km_kg"`
	MaxRangeKm       [2]float64  `json:"max_range_km"`
	Category         [2]string   `json:"category"`
}

// ModelInfo records how the capability was computed.
type ModelInfo struct {
	Description   string `json:"description"`
	RotatingEarth bool   `json:"rotating_earth"`
	// LatitudeDeg and AzimuthDeg are the launch's, on a rotating Earth.
	LatitudeDeg float64 `json:"latitude_deg"`
	AzimuthDeg  float64 `json:"azimuth_deg"`
}

// CapabilityService analyses missiles.
type CapabilityService interface {
	// Capability validates the missile and computes its range/payload
	// capability and MTCR category. Invalid input gives EINVALID with the
	// path of every offending field.
	Capability(ctx context.Context, m *Missile) (*Capability, error)
}
