package ballistics

import (
	"errors"
	"math"
	"testing"
)

// TestKeplerRangeEqualRadii checks the conic against the equal-radii closed
// form tan(Ψ/2) = ν sinγ cosγ / (1 − ν cos²γ) (missile-model.md §3.3).
func TestKeplerRangeEqualRadii(t *testing.T) {
	tests := []struct {
		name            string
		altM, vMS, gDeg float64
	}{
		{"Scud class", 0, 1500, 45},
		{"steep", 30e3, 2400, 70},
		{"shallow", 100e3, 4000, 15},
		{"IRBM", 150e3, 5500, 30},
		{"ICBM past a quarter turn", 200e3, 7000, 22},
		{"vertical", 50e3, 2000, 90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := EarthRadiusM + tt.altM
			g := tt.gDeg * deg
			nu := tt.vMS * tt.vMS * r / MuM3S2
			want := 2 * math.Atan2(nu*math.Sin(g)*math.Cos(g), 1-nu*math.Cos(g)*math.Cos(g))
			got, err := KeplerRange(r, tt.vMS, g, r)
			if err != nil {
				t.Fatalf("KeplerRange: %v", err)
			}
			checkAbs(t, "Ψ", got, want, 1e-12)
		})
	}
}

// TestOptimumKepler checks Wheelon's optimum-angle relations: γ* = ¼(π − Ψ),
// sin(Ψmax/2) = ν/(2−ν), the minimum speed for Ψ, and that γ* is a maximum.
func TestOptimumKepler(t *testing.T) {
	for _, vMS := range []float64{500, 1500, 3000, 5000, 7000} {
		t.Run(label(vMS, "m/s"), func(t *testing.T) {
			r := EarthRadiusM
			gOpt, psiMax, err := OptimumKepler(r, vMS)
			if err != nil {
				t.Fatalf("OptimumKepler: %v", err)
			}
			checkAbs(t, "γ*", gOpt, (math.Pi-psiMax)/4, 1e-12)
			psi, err := KeplerRange(r, vMS, gOpt, r)
			if err != nil {
				t.Fatalf("KeplerRange: %v", err)
			}
			checkAbs(t, "Ψ(γ*)", psi, psiMax, 1e-12)
			for _, dg := range []float64{-1e-3, 1e-3} {
				if p, _ := KeplerRange(r, vMS, gOpt+dg, r); p >= psiMax {
					t.Errorf("Ψ(γ*%+g) = %.12f ≥ Ψmax %.12f", dg, p, psiMax)
				}
			}
			s := math.Sin(psiMax / 2)
			checkRel(t, "v_min", math.Sqrt(MuM3S2/r*2*s/(1+s)), vMS, 1e-12)
		})
	}
	t.Run("orbital speed", func(t *testing.T) {
		if _, _, err := OptimumKepler(EarthRadiusM, 8000); !errors.Is(err, ErrNoImpact) {
			t.Errorf("OptimumKepler(8 km/s) error = %v, want ErrNoImpact", err)
		}
	})
}

// TestKeplerRangeFlatEarth checks the flat-Earth limit R = v² sin 2γ / g.
func TestKeplerRangeFlatEarth(t *testing.T) {
	g := MuM3S2 / (EarthRadiusM * EarthRadiusM)
	for _, gDeg := range []float64{20, 45, 60} {
		t.Run(label(gDeg, "deg"), func(t *testing.T) {
			psi, err := KeplerRange(EarthRadiusM, 100, gDeg*deg, EarthRadiusM)
			if err != nil {
				t.Fatal(err)
			}
			// The curvature correction is of order v²/(g·R_E) ≈ 2e-4.
			checkRel(t, "range", psi*EarthRadiusM, 100*100*math.Sin(2*gDeg*deg)/g, 1e-3)
		})
	}
}

// TestKeplerRangeUnequalRadii checks that the impact point lies on the conic
// at the impact radius, on the descending branch.
func TestKeplerRangeUnequalRadii(t *testing.T) {
	tests := []struct {
		name                string
		altM, vMS, gDeg, ri float64
	}{
		{"high burnout", 150e3, 4000, 30, EarthRadiusM},
		{"descending burnout", 80e3, 3000, -10, EarthRadiusM},
		{"burnout below impact radius", 0, 3000, 45, EarthRadiusM + 100e3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := EarthRadiusM + tt.altM
			c, err := newConic(r, tt.vMS, tt.gDeg*deg)
			if err != nil {
				t.Fatal(err)
			}
			psi, tof, err := c.impact(tt.ri)
			if err != nil {
				t.Fatal(err)
			}
			f := c.fb + psi
			checkRel(t, "r(f_i)", c.p/(1+c.e*math.Cos(f)), tt.ri, 1e-12)
			if math.Sin(f) > 0 || tof <= 0 {
				t.Errorf("impact at f=%.4f rad after %.1f s: want the descending branch", f, tof)
			}
		})
	}
}

func TestKeplerRangeErrors(t *testing.T) {
	tests := []struct {
		name                  string
		r, v, gamma, rImpactM float64
		want                  error
	}{
		{"escape", EarthRadiusM, 12000, 0.5, EarthRadiusM, ErrNoImpact},
		{"orbit above the surface", EarthRadiusM + 400e3, 7670, 0, EarthRadiusM, ErrNoImpact},
		{"cannot climb to the radius", EarthRadiusM, 500, 0.5, EarthRadiusM + 100e3, ErrNoImpact},
		{"negative radius", -1, 1000, 0.5, EarthRadiusM, ErrInvalid},
		{"angle beyond vertical", EarthRadiusM, 1000, 2, EarthRadiusM, ErrInvalid},
		{"NaN speed", EarthRadiusM, math.NaN(), 0.5, EarthRadiusM, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := KeplerRange(tt.r, tt.v, tt.gamma, tt.rImpactM); !errors.Is(err, tt.want) {
				t.Errorf("KeplerRange error = %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzKeplerRange checks that any input gives an error or a range angle in
// [0, 2π).
func FuzzKeplerRange(f *testing.F) {
	f.Add(EarthRadiusM, 1500.0, 0.7, EarthRadiusM)
	f.Add(EarthRadiusM+100e3, 7000.0, 0.3, EarthRadiusM)
	f.Add(EarthRadiusM, 0.0, 1.5707963267948966, EarthRadiusM)
	f.Fuzz(func(t *testing.T, r, v, gamma, ri float64) {
		psi, err := KeplerRange(r, v, gamma, ri)
		if err == nil && !(psi >= 0 && psi < 2*math.Pi) {
			t.Errorf("KeplerRange(%g, %g, %g, %g) = %g, want [0, 2π)", r, v, gamma, ri, psi)
		}
	})
}
