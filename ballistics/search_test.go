package ballistics

import (
	"errors"
	"math"
	"testing"
)

// TestMaxRangeForden compares the maximum range on Forden's inputs with
// Forden's reference simulation (his Table 3, rotating Earth, azimuth 40°),
// within 5 %.
func TestMaxRangeForden(t *testing.T) {
	tests := []struct {
		name             string
		v                Vehicle
		fordenKm, noteKm float64 // noteKm: missile-model.md's own planar check
	}{
		{"Scud-B", scudB(), 288, 300},
		{"Al Hussein", alHussein(), 693, 713},
		{"No-dong", noDong(), 973, 992},
		{"Taepodong-1", taepodong1(), 2349, 2328},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := MaxRange(tt.v, Options{})
			if err != nil {
				t.Fatalf("MaxRange: %v", err)
			}
			got := res.RangeM / 1e3
			checkRel(t, "range km vs Forden", got, tt.fordenKm, 0.05)
			checkRel(t, "range km vs the planar check", got, tt.noteKm, 0.05)
			checkRel(t, "KeplerRangeM", res.KeplerRangeM, res.RangeM, 0.05)
			t.Logf("%.1f km (Forden %.0f, %+.1f %%) in %d flights; hold %.2f°, rate %.3f°/s; burnout %.0f m/s at %.1f°, %.1f km",
				got, tt.fordenKm, 100*(got/tt.fordenKm-1), res.Evaluations, res.Program.HoldRad/deg,
				res.Program.PitchRateRadS/deg, res.Burnout.SpeedMS, res.Burnout.FlightPathRad/deg, res.Burnout.AltitudeM/1e3)
		})
	}
}

// TestScudPayloads is the MTCR question on Scud-B: Category I at 500 kg
// even when its 1,150 kg nominal payload falls short of 300 km.
func TestScudPayloads(t *testing.T) {
	tests := []struct {
		name         string
		payloadKg    float64
		minKm, maxKm float64
	}{
		{"500 kg flies about 446 km", 500, 446 * 0.95, 446 * 1.05},
		{"1,000 kg flies about 300 km", 1000, 288 * 0.95, 300 * 1.05},
		{"1,150 kg falls short of 300 km", 1150, 200, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := MaxRange(withPayload(scudB(), tt.payloadKg), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if km := res.RangeM / 1e3; km < tt.minKm || km > tt.maxKm {
				t.Errorf("MaxRange(%g kg) = %.1f km, want %.0f-%.0f km", tt.payloadKg, km, tt.minKm, tt.maxKm)
			}
		})
	}
}

// TestMaxRangeFrom checks that a warm start finds the same maximum.
func TestMaxRangeFrom(t *testing.T) {
	tests := []struct {
		name  string
		v     Vehicle
		start Program
	}{
		{"near the optimum", noDong(), Program{VerticalS: DefaultVerticalS, PitchRateRadS: 5 * deg, HoldRad: 45 * deg}},
		{"far off", noDong(), Program{VerticalS: DefaultVerticalS, PitchRateRadS: 0.5 * deg, HoldRad: 70 * deg}},
		{"discarded start", scudB(), Program{VerticalS: DefaultVerticalS, PitchRateRadS: 10 * deg, HoldRad: 2 * deg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cold, err := MaxRange(tt.v, Options{})
			if err != nil {
				t.Fatal(err)
			}
			warm, err := MaxRangeFrom(tt.v, tt.start, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "warm range", warm.RangeM, cold.RangeM, 1e-4)
			t.Logf("cold %d flights, warm %d", cold.Evaluations, warm.Evaluations)
		})
	}
}

// TestMaxRangeBeatsGrid checks the search on 1 to 6 stages, from a sounding
// rocket to an ICBM, against a fine grid of programs.
func TestMaxRangeBeatsGrid(t *testing.T) {
	if testing.Short() {
		t.Skip("fine grid is slow")
	}
	stage := func(propKg, dryKg, ispS, burnS, diaM float64) Stage {
		return Stage{PropellantKg: propKg, DryKg: dryKg, IspS: ispS, BurnS: burnS, DiameterM: diaM}
	}
	tests := []struct {
		name string
		v    Vehicle
	}{
		{"short-range rocket", Vehicle{Stages: []Stage{stage(900, 400, 210, 30, 0.5)}, PayloadKg: 300}},
		{"Scud-B", scudB()},
		{"Taepodong-1", taepodong1()},
		{"Minuteman III", minutemanIII()},
		{"6 stages", Vehicle{Stages: []Stage{
			stage(8000, 1600, 230, 40, 1.2), stage(3000, 700, 240, 35, 1.0), stage(1200, 300, 240, 30, 0.8),
			stage(600, 150, 240, 25, 0.7), stage(300, 80, 240, 20, 0.6), stage(150, 40, 240, 15, 0.5),
		}, PayloadKg: 300}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := MaxRange(tt.v, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSearch(tt.v, Options{Tolerance: DefaultTolerance, CdScale: 1, CdTable: fordenCd[:]}, DefaultVerticalS)
			best := 0.0
			for hold := 2.0; hold <= 88; hold += 2 {
				for frac := 0.02; frac <= 2; frac *= 1.25 {
					best = math.Max(best, s.eval([2]float64{hold, frac}))
				}
			}
			if res.RangeM < best*(1-1e-4) {
				t.Errorf("MaxRange = %.2f km, grid found %.2f km", res.RangeM/1e3, best/1e3)
			}
			t.Logf("MaxRange %.2f km in %d flights; fine grid %.2f km in %d", res.RangeM/1e3, res.Evaluations, best/1e3, s.evals)
		})
	}
}

// TestMaxRangeOrbital checks that a vehicle able to orbit stops the search.
func TestMaxRangeOrbital(t *testing.T) {
	v := Vehicle{Stages: []Stage{{PropellantKg: 9500, DryKg: 500, IspS: 450, BurnS: 200, DiameterM: 1}}}
	res, err := MaxRange(v, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Orbital {
		t.Errorf("Orbital = false, range %.0f km", res.RangeM/1e3)
	}
}

func TestMaxRangeErrors(t *testing.T) {
	tests := []struct {
		name string
		v    Vehicle
		want error
	}{
		{"no liftoff", withPayload(scudB(), 1e5), ErrNoLiftoff},
		{"invalid", Vehicle{}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := MaxRange(tt.v, Options{}); !errors.Is(err, tt.want) {
				t.Errorf("MaxRange error = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestPayloadForRange checks the heaviest payload for a range.
func TestPayloadForRange(t *testing.T) {
	tests := []struct {
		name        string
		rangeKm     float64
		lo, hi      float64
		wantOK      bool
		wantPayload float64 // NaN: check by flying
	}{
		{"Scud-B to 300 km", 300, 0, 2000, true, math.NaN()},
		{"Scud-B to 446 km", 446, 0, 2000, true, math.NaN()},
		{"reached even at hi", 100, 0, 1500, true, 1500},
		{"out of reach", 5000, 0, 2000, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok, err := PayloadForRange(scudB(), tt.rangeKm*1e3, tt.lo, tt.hi, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if !math.IsNaN(tt.wantPayload) {
				checkAbs(t, "payload", p, tt.wantPayload, 0)
				return
			}
			at, err := MaxRange(withPayload(scudB(), p), Options{})
			if err != nil {
				t.Fatal(err)
			}
			above, err := MaxRange(withPayload(scudB(), p+1), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if at.RangeM < tt.rangeKm*1e3*(1-1e-5) || above.RangeM >= tt.rangeKm*1e3 {
				t.Errorf("payload %.2f kg flies %.3f km, +1 kg flies %.3f km; want ≥ and < %.0f km",
					p, at.RangeM/1e3, above.RangeM/1e3, tt.rangeKm)
			}
			t.Logf("%.2f kg", p)
		})
	}
}

// TestCurve checks the trade-off curve: falling range, and each point equal
// to a cold MaxRange.
func TestCurve(t *testing.T) {
	payloads := []float64{0, 250, 500, 750, 1000, 1250, 1500}
	curve, err := Curve(scudB(), payloads, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(curve) != len(payloads) {
		t.Fatalf("len(Curve) = %d, want %d", len(curve), len(payloads))
	}
	for i, res := range curve {
		t.Run(label(payloads[i], "kg"), func(t *testing.T) {
			if i > 0 && res.RangeM >= curve[i-1].RangeM {
				t.Errorf("range %.1f km does not fall from %.1f km", res.RangeM/1e3, curve[i-1].RangeM/1e3)
			}
			cold, err := MaxRange(withPayload(scudB(), payloads[i]), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "curve range", res.RangeM, cold.RangeM, 1e-4)
		})
	}
}

// TestMaxRangePoints checks that a search draws its best flight only.
func TestMaxRangePoints(t *testing.T) {
	plain, err := MaxRange(scudB(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	drawn, err := MaxRange(scudB(), Options{Points: 40})
	if err != nil {
		t.Fatal(err)
	}
	if len(drawn.Points) != 40 || drawn.RangeM != plain.RangeM || drawn.Evaluations != plain.Evaluations {
		t.Errorf("drawn: %d points, %.3f km in %d flights; plain %.3f km in %d flights",
			len(drawn.Points), drawn.RangeM/1e3, drawn.Evaluations, plain.RangeM/1e3, plain.Evaluations)
	}
}
