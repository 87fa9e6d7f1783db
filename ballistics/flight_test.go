package ballistics

import (
	"errors"
	"math"
	"testing"
)

// kick is a vehicle whose one-second burn gives a nearly impulsive Δv.
func kick(massRatio float64) Vehicle {
	return Vehicle{Stages: []Stage{{PropellantKg: 1000 * (1 - 1/massRatio), DryKg: 1000 / massRatio, IspS: 250, BurnS: 1, DiameterM: 1}}}
}

// snap pitches to holdDeg at once.
func snap(holdDeg float64) Program {
	return Program{PitchRateRadS: 1000, HoldRad: holdDeg * deg}
}

// TestFlyVacuumMatchesKepler flies without drag and compares the integrated
// free flight with the closed-form conic from the burnout state.
func TestFlyVacuumMatchesKepler(t *testing.T) {
	tests := []struct {
		name               string
		massRatio, holdDeg float64
		rotating           bool
	}{
		{"1.4 km/s at 45 deg", 1.8, 45, false},
		{"3.4 km/s at 40 deg", 4, 40, false},
		{"5.6 km/s at 25 deg", 10, 25, false},
		{"6.6 km/s at 20 deg", 15, 20, false},
		{"3.4 km/s rotating", 4, 40, true},
		{"6.6 km/s rotating", 15, 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := noDrag()
			o.Rotating, o.LatitudeRad, o.AzimuthRad = tt.rotating, 30*deg, 60*deg
			res, err := Fly(kick(tt.massRatio), snap(tt.holdDeg), o)
			if err != nil {
				t.Fatalf("Fly: %v", err)
			}
			checkRel(t, "RangeM vs KeplerRangeM", res.RangeM, res.KeplerRangeM, 1e-3)
			checkRel(t, "RangeM vs KeplerRangeM (tight)", res.RangeM, res.KeplerRangeM, 1e-6)
			if tt.rotating {
				return
			}
			b := res.Burnout
			psi, err := KeplerRange(EarthRadiusM+b.AltitudeM, b.SpeedMS, b.FlightPathRad, EarthRadiusM)
			if err != nil {
				t.Fatalf("KeplerRange: %v", err)
			}
			checkRel(t, "RangeM vs KeplerRange", res.RangeM, b.DownrangeM+EarthRadiusM*psi, 1e-3)
		})
	}
}

// TestCoastConserves checks energy and angular momentum along a drag-free
// coast, step by step.
func TestCoastConserves(t *testing.T) {
	o, err := noDrag().resolve()
	if err != nil {
		t.Fatal(err)
	}
	o.Points = 2
	f := newFlight(kick(10), snap(30), o)
	res, err := f.run()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	var e0, h0 float64
	n := 0
	for _, s := range f.rec {
		if s.t <= res.Burnout.TimeS {
			continue
		}
		r, v := s.y.pos(), s.y.vel()
		e, h := v.dot(v)/2-MuM3S2/r.norm(), r.cross(v).norm()
		if n == 0 {
			e0, h0 = e, h
		}
		n++
		checkRel(t, "specific energy", e, e0, 1e-9)
		checkRel(t, "angular momentum", h, h0, 1e-9)
	}
	if n < 5 {
		t.Fatalf("only %d coast steps recorded", n)
	}
	t.Logf("%d coast steps over %.0f s", n, res.FlightTimeS-res.Burnout.TimeS)
}

// TestToleranceConvergence checks that a much tighter tolerance hardly
// moves the range.
func TestToleranceConvergence(t *testing.T) {
	tests := []struct {
		name string
		v    Vehicle
		p    Program
	}{
		{"Scud-B, Forden's program", scudB(), Program{PitchRateRadS: 1.348 * deg, HoldRad: 47.66 * deg}},
		{"Taepodong-1", taepodong1(), Program{VerticalS: 4, PitchRateRadS: 3 * deg, HoldRad: 45 * deg}},
		{"Minuteman III", minutemanIII(), Program{VerticalS: 4, PitchRateRadS: 2.2 * deg, HoldRad: 27 * deg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := Fly(tt.v, tt.p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			fine, err := Fly(tt.v, tt.p, Options{Tolerance: DefaultTolerance / 100})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "range", base.RangeM, fine.RangeM, 1e-3)
			checkRel(t, "range (claimed in DefaultTolerance)", base.RangeM, fine.RangeM, 1e-5)
			t.Logf("range %.3f km, %.3f km at 1%% of the tolerance", base.RangeM/1e3, fine.RangeM/1e3)
		})
	}
}

// TestIdealDeltaV checks the rocket equation with staged masses.
func TestIdealDeltaV(t *testing.T) {
	tests := []struct {
		name string
		v    Vehicle
	}{
		{"Scud-B", scudB()},
		{"Taepodong-1", taepodong1()},
		{"Minuteman III", minutemanIII()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, above := 0.0, tt.v.PayloadKg
			for _, s := range tt.v.Stages {
				above += s.PropellantKg + s.DryKg
			}
			for _, s := range tt.v.Stages {
				want += G0MS2 * s.IspS * math.Log(above/(above-s.PropellantKg))
				above -= s.PropellantKg + s.DryKg
			}
			res, err := Fly(tt.v, Program{VerticalS: 4, PitchRateRadS: 2 * deg, HoldRad: 40 * deg}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "IdealDeltaVMS", res.IdealDeltaVMS, want, 1e-12)
			lost := res.IdealDeltaVMS - res.GravityLossMS - res.DragLossMS
			if res.Burnout.SpeedMS > lost+1 {
				t.Errorf("burnout speed %.0f m/s exceeds ideal Δv less losses %.0f m/s", res.Burnout.SpeedMS, lost)
			}
		})
	}
	t.Run("Scud-B 1,000 kg is 2,226 m/s", func(t *testing.T) { // missile-model.md §6
		res, err := Fly(scudB(), Program{VerticalS: 4, PitchRateRadS: 2 * deg, HoldRad: 40 * deg}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkAbs(t, "IdealDeltaVMS", res.IdealDeltaVMS, 2226, 1)
	})
}

// TestStageThrust checks the thrust rules for published, vacuum and
// nozzle-area data.
func TestStageThrust(t *testing.T) {
	const mdot = 100.0
	tests := []struct {
		name                  string
		s                     Stage
		vacN, exitM2, ispVacS float64
	}{
		{"Isp only", Stage{IspS: 250}, G0MS2 * 250 * mdot, 0, 250},
		{"area and vacuum Isp", Stage{IspS: 250, IspVacuumS: 280, NozzleExitAreaM2: 0.5}, G0MS2 * 280 * mdot, 0.5, 280},
		{"area only", Stage{IspS: 250, NozzleExitAreaM2: 0.5},
			G0MS2*250*mdot + SeaLevelPressurePa*0.5, 0.5, 250 + SeaLevelPressurePa*0.5/(G0MS2*mdot)},
		{"vacuum Isp only", Stage{IspS: 267, IspVacuumS: 287}, G0MS2 * 287 * mdot, 20 * mdot * G0MS2 / SeaLevelPressurePa, 287},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vac, exit, isp := stageThrust(tt.s, mdot)
			checkRel(t, "vacuum thrust", vac, tt.vacN, 1e-12)
			checkAbs(t, "exit area", exit, tt.exitM2, 1e-12)
			checkRel(t, "vacuum Isp", isp, tt.ispVacS, 1e-12)
			if tt.s.IspVacuumS == 0 || tt.s.NozzleExitAreaM2 == 0 { // else IspS is not used
				checkRel(t, "sea-level thrust", vac-SeaLevelPressurePa*exit, G0MS2*tt.s.IspS*mdot, 1e-12)
			}
		})
	}
}

func TestFlyErrors(t *testing.T) {
	tooHeavy := scudB()
	tooHeavy.PayloadKg = 1e5
	tests := []struct {
		name string
		v    Vehicle
		p    Program
		o    Options
		want error
	}{
		{"pitch to 2 deg at 10 deg/s", scudB(), Program{PitchRateRadS: 10 * deg, HoldRad: 2 * deg}, Options{}, ErrGroundBeforeBurnout},
		{"no liftoff", tooHeavy, Program{VerticalS: 4, PitchRateRadS: deg, HoldRad: 45 * deg}, Options{}, ErrNoLiftoff},
		{"no stages", Vehicle{PayloadKg: 1}, Program{HoldRad: 1}, Options{}, ErrInvalid},
		{"negative payload", withPayload(scudB(), -1), Program{HoldRad: 1}, Options{}, ErrInvalid},
		{"zero burn time", Vehicle{Stages: []Stage{{PropellantKg: 1, IspS: 200, DiameterM: 1}}}, Program{HoldRad: 1}, Options{}, ErrInvalid},
		{"vacuum Isp below Isp", Vehicle{Stages: []Stage{{PropellantKg: 1, IspS: 200, IspVacuumS: 100, BurnS: 1, DiameterM: 1}}}, Program{HoldRad: 1}, Options{}, ErrInvalid},
		{"no diameter", Vehicle{Stages: []Stage{{PropellantKg: 1, IspS: 200, BurnS: 1}}}, Program{HoldRad: 1}, Options{}, ErrInvalid},
		{"nothing left at burnout", Vehicle{Stages: []Stage{{PropellantKg: 1, IspS: 200, BurnS: 1, DiameterM: 1}}}, Program{HoldRad: 1}, Options{}, ErrInvalid},
		{"hold above vertical", scudB(), Program{HoldRad: 2}, Options{}, ErrInvalid},
		{"negative rate", scudB(), Program{PitchRateRadS: -1, HoldRad: 1}, Options{}, ErrInvalid},
		{"unsorted Cd table", scudB(), Program{HoldRad: 1}, Options{CdTable: []CdPoint{{1, 0.2}, {0.5, 0.2}}}, ErrInvalid},
		{"negative Cd scale", scudB(), Program{HoldRad: 1}, Options{CdScale: -1}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Fly(tt.v, tt.p, tt.o); !errors.Is(err, tt.want) {
				t.Errorf("Fly error = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestRotation checks that the rotating Earth helps an eastward launch, and
// that without rotation the azimuth and latitude do not matter.
func TestRotation(t *testing.T) {
	p := Program{VerticalS: 4, PitchRateRadS: 3 * deg, HoldRad: 45 * deg}
	fly := func(t *testing.T, v Vehicle, o Options) float64 {
		t.Helper()
		res, err := Fly(v, p, o)
		if err != nil {
			t.Fatal(err)
		}
		return res.RangeM
	}
	for _, tt := range []struct {
		name string
		v    Vehicle
	}{{"Scud-B", scudB()}, {"Taepodong-1", taepodong1()}} {
		t.Run(tt.name+" east beats west", func(t *testing.T) {
			east := fly(t, tt.v, Options{Rotating: true, AzimuthRad: 90 * deg})
			west := fly(t, tt.v, Options{Rotating: true, AzimuthRad: -90 * deg})
			still := fly(t, tt.v, Options{})
			if !(east > still && still > west) {
				t.Errorf("range east %.1f km, still %.1f km, west %.1f km: want east > still > west", east/1e3, still/1e3, west/1e3)
			}
			t.Logf("east %.1f km, non-rotating %.1f km, west %.1f km", east/1e3, still/1e3, west/1e3)
		})
		t.Run(tt.name+" non-rotating ignores direction", func(t *testing.T) {
			want := fly(t, tt.v, Options{})
			for _, o := range []Options{{AzimuthRad: 90 * deg}, {AzimuthRad: 217 * deg, LatitudeRad: 40 * deg}, {LatitudeRad: -89 * deg}} {
				checkRel(t, "range", fly(t, tt.v, o), want, 1e-6) // rounding only
			}
		})
	}
}

// TestOrbital checks that a vehicle that does not come back down is flagged.
func TestOrbital(t *testing.T) {
	v := Vehicle{Stages: []Stage{{PropellantKg: 9500, DryKg: 500, IspS: 450, BurnS: 200, DiameterM: 1}}}
	res, err := Fly(v, Program{VerticalS: 4, PitchRateRadS: 2 * deg, HoldRad: 20 * deg}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Orbital || res.RangeM != math.Pi*EarthRadiusM {
		t.Errorf("Orbital = %v, RangeM = %.0f, want true, %.0f", res.Orbital, res.RangeM, math.Pi*EarthRadiusM)
	}
}

// TestPoints checks the samples drawn along a flight.
func TestPoints(t *testing.T) {
	res, err := Fly(scudB(), Program{VerticalS: 4, PitchRateRadS: 2 * deg, HoldRad: 45 * deg}, Options{Points: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Points) != 50 {
		t.Fatalf("len(Points) = %d, want 50", len(res.Points))
	}
	first, last := res.Points[0], res.Points[len(res.Points)-1]
	checkAbs(t, "first altitude", first.AltitudeM, 0, 1e-6)
	checkAbs(t, "impact altitude", last.AltitudeM, 0, 1)
	checkAbs(t, "last downrange", last.DownrangeM, res.RangeM, 1)
	checkAbs(t, "last time", last.TimeS, res.FlightTimeS, 1e-9)
	top := 0.0
	for i, p := range res.Points {
		top = math.Max(top, p.AltitudeM)
		if i > 0 && p.TimeS <= res.Points[i-1].TimeS {
			t.Fatalf("Points[%d].TimeS = %g not after %g", i, p.TimeS, res.Points[i-1].TimeS)
		}
	}
	if top > res.ApogeeM+1 || top < res.ApogeeM*0.99 {
		t.Errorf("highest point %.0f m, ApogeeM %.0f m", top, res.ApogeeM)
	}
	if plain, _ := Fly(scudB(), res.Program, Options{}); plain.RangeM != res.RangeM || plain.Points != nil {
		t.Errorf("drawing changed the flight: range %.3f vs %.3f m, %d points", plain.RangeM, res.RangeM, len(plain.Points))
	}
}
