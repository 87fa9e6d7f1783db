package ballistics

import (
	"errors"
	"fmt"
	"math"
)

// Physical constants of the model.
const (
	// MuM3S2 is the Earth's gravitational parameter GM.
	MuM3S2 = 3.986004418e14
	// EarthRadiusM is the radius of the spherical Earth.
	EarthRadiusM = 6.371e6
	// G0MS2 is standard gravity, used to turn Isp into exhaust speed.
	G0MS2 = 9.80665
	// EarthRotationRadS is the Earth's sidereal rotation rate.
	EarthRotationRadS = 7.2921159e-5
	// SeaLevelPressurePa is the US Standard Atmosphere sea-level pressure.
	SeaLevelPressurePa = 101325.0
	// AtmosphereTopM is the altitude above which the model has no air.
	AtmosphereTopM = 120e3
)

// Defaults used when the corresponding Options field is zero.
const (
	// DefaultTolerance is the integrator's local error tolerance per step,
	// relative to the Earth radius for positions and to the circular-orbit
	// speed for velocities. Ranges change by less than 1e-5 when it is
	// tightened tenfold.
	DefaultTolerance = 1e-9
	// DefaultVerticalS is the vertical rise MaxRange keeps fixed. A few
	// seconds lets the missile clear its launcher and gain speed before it
	// pitches over, as real missiles do; the search then picks the rate.
	// Range depends little on it (see docs/ballistics-validation.md).
	DefaultVerticalS = 4.0
	// DefaultRangeTol is the relative range spread at which the program
	// search stops.
	DefaultRangeTol = 1e-6
	// DefaultPayloadTolKg is how closely PayloadForRange brackets the payload.
	DefaultPayloadTolKg = 0.1
)

// Sentinel errors callers may branch on with errors.Is.
var (
	// ErrGroundBeforeBurnout reports a program that brings the missile back
	// to the ground before its last stage burns out.
	ErrGroundBeforeBurnout = errors.New("ballistics: ground reached before burnout")
	// ErrNoLiftoff reports a missile whose thrust at launch does not exceed
	// its weight.
	ErrNoLiftoff = errors.New("ballistics: thrust does not exceed weight at launch")
	// ErrNoImpact reports a free flight that never reaches the given radius.
	ErrNoImpact = errors.New("ballistics: trajectory does not reach the impact radius")
	// ErrInvalid reports invalid input; the wrapping error names the field.
	ErrInvalid = errors.New("ballistics: invalid input")
	// ErrNotConverged reports an integration that needed too many steps.
	ErrNotConverged = errors.New("ballistics: integration did not finish")
)

// Stage is one stage, SI units.
type Stage struct {
	PropellantKg, DryKg float64
	IspS                float64 // specific impulse as published (taken as sea-level when NozzleExitAreaM2 > 0 or IspVacuumS > 0)
	IspVacuumS          float64 // 0 if unknown
	BurnS               float64
	DiameterM           float64
	NozzleExitAreaM2    float64 // 0 if unknown
}

// Vehicle is a missile: stages bottom first, and a payload.
type Vehicle struct {
	Stages    []Stage
	PayloadKg float64
}

// Options tune the model. The zero value is valid: non-rotating Earth,
// Forden's Cd table, default tolerances.
type Options struct {
	Rotating    bool
	LatitudeRad float64
	AzimuthRad  float64   // clockwise from north
	CdScale     float64   // multiplies Cd (0 means 1): for uncertainty bands
	CdTable     []CdPoint // nil means Forden 2007's table
	Points      int       // if > 0, Result.Points holds about this many samples of the flight, for drawing

	// Tolerance is the integrator's local error tolerance (0 means
	// DefaultTolerance).
	Tolerance float64
	// VerticalS is the vertical rise MaxRange, PayloadForRange and Curve use
	// (0 means DefaultVerticalS). Fly uses the Program's own.
	VerticalS float64
	// RangeTol is the relative range spread at which the program search
	// stops (0 means DefaultRangeTol).
	RangeTol float64
	// PayloadTolKg is the payload resolution of PayloadForRange (0 means
	// DefaultPayloadTolKg).
	PayloadTolKg float64
}

// CdPoint is one point of a drag-coefficient table.
type CdPoint struct{ Mach, Cd float64 }

// fordenCd is Forden 2007's Fig. 1 drag table, used for every vehicle.
var fordenCd = [...]CdPoint{
	{0, 0.20}, {0.85, 0.20}, {1.0, 0.27}, {1.2, 0.27}, {2.0, 0.20}, {4.5, 0.20},
}

// FordenCdTable returns a copy of Forden 2007's drag table, the default.
func FordenCdTable() []CdPoint { return append([]CdPoint(nil), fordenCd[:]...) }

// Program is the pitch program: vertical for VerticalS, then pitch over at
// PitchRateRadS until the thrust elevation above the local horizontal
// reaches HoldRad, then hold it (Forden 2007, Eq. 8).
type Program struct{ VerticalS, PitchRateRadS, HoldRad float64 }

// State is the flight state at one instant. Speed and flight-path angle are
// relative to the Earth's surface (inertial when Options.Rotating is false);
// downrange is the great-circle distance from the launch site.
type State struct{ TimeS, SpeedMS, FlightPathRad, AltitudeM, DownrangeM float64 }

// Point is one sample of a flight, for drawing.
type Point struct{ TimeS, DownrangeM, AltitudeM, SpeedMS float64 }

// Result is the outcome of one flight.
type Result struct {
	RangeM, FlightTimeS, ApogeeM float64
	Burnout                      State
	// IdealDeltaVMS is Σ g0·Isp·ln(m0/mf) over the stages, with the vacuum
	// Isp where one is known or derived from a nozzle area.
	IdealDeltaVMS float64
	// GravityLossMS is ∫ g·sin γ dt and DragLossMS ∫ D/m dt over the burns.
	GravityLossMS, DragLossMS float64
	Program                   Program
	KeplerRangeM              float64 // cross-check: powered-flight downrange + Keplerian free flight from the burnout state to the surface (closed form, no drag)
	Points                    []Point
	// Orbital is true when the missile does not come back down: it reaches
	// orbit or escapes. RangeM is then half the Earth's circumference (it
	// can reach any point), and FlightTimeS and ApogeeM cover the powered
	// flight only.
	Orbital bool
	// Evaluations counts the flights a search simulated (0 for Fly).
	Evaluations int
}

// Validate reports whether the vehicle can be flown. Errors wrap ErrInvalid.
func (v Vehicle) Validate() error {
	if len(v.Stages) == 0 {
		return fmt.Errorf("vehicle has no stages: %w", ErrInvalid)
	}
	if !(v.PayloadKg >= 0) || math.IsInf(v.PayloadKg, 0) {
		return fmt.Errorf("payload %g kg must be zero or more: %w", v.PayloadKg, ErrInvalid)
	}
	widest := 0.0
	for i, s := range v.Stages {
		if err := s.validate(); err != nil {
			return fmt.Errorf("stage %d: %w", i+1, err)
		}
		widest = math.Max(widest, s.DiameterM)
	}
	if widest <= 0 {
		return fmt.Errorf("no stage has a diameter: %w", ErrInvalid)
	}
	if v.Stages[len(v.Stages)-1].DryKg+v.PayloadKg <= 0 {
		return fmt.Errorf("nothing is left at burnout (last stage dry mass and payload are zero): %w", ErrInvalid)
	}
	return nil
}

func (s Stage) validate() error {
	pos := func(name string, x float64) error {
		if !(x > 0) || math.IsInf(x, 0) {
			return fmt.Errorf("%s %g must be positive: %w", name, x, ErrInvalid)
		}
		return nil
	}
	nonneg := func(name string, x float64) error {
		if !(x >= 0) || math.IsInf(x, 0) {
			return fmt.Errorf("%s %g must be zero or more: %w", name, x, ErrInvalid)
		}
		return nil
	}
	return errors.Join(
		pos("propellant mass", s.PropellantKg), nonneg("dry mass", s.DryKg),
		pos("Isp", s.IspS), nonneg("vacuum Isp", s.IspVacuumS), pos("burn time", s.BurnS),
		nonneg("diameter", s.DiameterM), nonneg("nozzle exit area", s.NozzleExitAreaM2),
		func() error {
			if s.IspVacuumS > 0 && s.IspVacuumS < s.IspS {
				return fmt.Errorf("vacuum Isp %g is below Isp %g: %w", s.IspVacuumS, s.IspS, ErrInvalid)
			}
			return nil
		}(),
	)
}

// Validate reports whether the program can be flown. Errors wrap ErrInvalid.
func (p Program) Validate() error {
	if !(p.VerticalS >= 0) || math.IsInf(p.VerticalS, 0) {
		return fmt.Errorf("vertical rise %g s must be zero or more: %w", p.VerticalS, ErrInvalid)
	}
	if !(p.PitchRateRadS >= 0) || math.IsInf(p.PitchRateRadS, 0) {
		return fmt.Errorf("pitch rate %g rad/s must be zero or more: %w", p.PitchRateRadS, ErrInvalid)
	}
	if !(p.HoldRad > 0 && p.HoldRad <= math.Pi/2) {
		return fmt.Errorf("hold angle %g rad must be in (0, π/2]: %w", p.HoldRad, ErrInvalid)
	}
	return nil
}

// resolve checks the options and returns them with defaults filled in.
func (o Options) resolve() (Options, error) {
	if o.CdScale == 0 {
		o.CdScale = 1
	}
	if o.Tolerance == 0 {
		o.Tolerance = DefaultTolerance
	}
	if o.VerticalS == 0 {
		o.VerticalS = DefaultVerticalS
	}
	if o.RangeTol == 0 {
		o.RangeTol = DefaultRangeTol
	}
	if o.PayloadTolKg == 0 {
		o.PayloadTolKg = DefaultPayloadTolKg
	}
	if o.CdTable == nil {
		o.CdTable = fordenCd[:]
	}
	switch {
	case !(o.CdScale > 0):
		return o, fmt.Errorf("drag scale %g must be positive: %w", o.CdScale, ErrInvalid)
	case !(o.Tolerance > 0 && o.Tolerance < 1e-3):
		return o, fmt.Errorf("tolerance %g must be in (0, 1e-3): %w", o.Tolerance, ErrInvalid)
	case !(o.VerticalS > 0) || !(o.RangeTol > 0) || !(o.PayloadTolKg > 0):
		return o, fmt.Errorf("vertical rise, range and payload tolerances must be positive: %w", ErrInvalid)
	case math.Abs(o.LatitudeRad) > math.Pi/2:
		return o, fmt.Errorf("latitude %g rad is beyond the poles: %w", o.LatitudeRad, ErrInvalid)
	case len(o.CdTable) == 0:
		return o, fmt.Errorf("empty Cd table: %w", ErrInvalid)
	}
	for i, p := range o.CdTable {
		if !(p.Cd >= 0) || (i > 0 && !(p.Mach > o.CdTable[i-1].Mach)) {
			return o, fmt.Errorf("drag table point %d (%g, %g): Mach must increase and Cd be zero or more: %w",
				i, p.Mach, p.Cd, ErrInvalid)
		}
	}
	return o, nil
}
