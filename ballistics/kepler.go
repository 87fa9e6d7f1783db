package ballistics

import (
	"fmt"
	"math"
)

// conic is the Keplerian orbit through a burnout point (missile-model.md
// §3.3): ν = v²r/μ, eccentricity e, semi-latus rectum p and the true
// anomaly fb of the burnout point.
type conic struct {
	r, nu, e, p, fb float64
}

func newConic(rM, vMS, gammaRad float64) (conic, error) {
	if !(rM > 0) || !(vMS >= 0) || math.IsInf(rM, 0) || math.IsInf(vMS, 0) || !(math.Abs(gammaRad) <= math.Pi/2) {
		return conic{}, fmt.Errorf("burnout r=%g m, v=%g m/s, γ=%g rad: %w", rM, vMS, gammaRad, ErrInvalid)
	}
	nu := vMS * vMS * rM / MuM3S2
	sg, cg := math.Sincos(gammaRad)
	ec, es := nu*cg*cg-1, nu*sg*cg // e·cos fb, e·sin fb
	fb := math.Atan2(es, ec)
	if fb < 0 {
		fb += 2 * math.Pi
	}
	return conic{r: rM, nu: nu, e: math.Hypot(ec, es), p: rM * nu * cg * cg, fb: fb}, nil
}

// impact returns the range angle from burnout to the descending crossing of
// radius ri, and the time of flight.
func (c conic) impact(ri float64) (psiRad, tofS float64, err error) {
	if !(ri > 0) {
		return 0, 0, fmt.Errorf("impact radius %g m: %w", ri, ErrInvalid)
	}
	if c.nu >= 2 {
		return 0, 0, fmt.Errorf("escape trajectory (ν=%.4f ≥ 2): %w", c.nu, ErrNoImpact)
	}
	if c.e == 0 {
		return 0, 0, fmt.Errorf("circular orbit: %w", ErrNoImpact)
	}
	x := (c.p/ri - 1) / c.e
	if x > 1 || x < -1 {
		return 0, 0, fmt.Errorf("orbit between radii %.0f and %.0f m misses %.0f m: %w",
			c.p/(1+c.e), c.p/(1-c.e), ri, ErrNoImpact)
	}
	fi := 2*math.Pi - math.Acos(x)
	psiRad = fi - c.fb
	if psiRad < 0 {
		return 0, 0, fmt.Errorf("burnout below radius %.0f m and descending: %w", ri, ErrNoImpact)
	}
	a := c.r / (2 - c.nu) // semi-major axis from the energy
	n := math.Sqrt(MuM3S2 / (a * a * a))
	return psiRad, (c.meanAnomaly(fi) - c.meanAnomaly(c.fb)) / n, nil
}

// meanAnomaly converts a true anomaly in [0, 2π] to a mean anomaly in
// [0, 2π], monotonically.
func (c conic) meanAnomaly(f float64) float64 {
	s, co := math.Sincos(f / 2)
	ecc := 2 * math.Atan2(math.Sqrt(1-c.e)*s, math.Sqrt(1+c.e)*co)
	return ecc - c.e*math.Sin(ecc)
}

// KeplerRange is the closed-form free-flight range angle (radians) from a
// burnout at radius rM, speed vMS and flight-path angle gammaRad down to
// radius rImpactM (vacuum, inverse-square gravity). The impact is on the
// descending branch. It returns ErrNoImpact when the conic never comes down
// to rImpactM (orbit or escape).
func KeplerRange(rM, vMS, gammaRad, rImpactM float64) (float64, error) {
	c, err := newConic(rM, vMS, gammaRad)
	if err != nil {
		return 0, err
	}
	psi, _, err := c.impact(rImpactM)
	return psi, err
}

// OptimumKepler returns, for a burnout at radius rM with speed vMS, the
// flight-path angle that maximises the free-flight range back to the same
// radius, and that maximum range angle (Wheelon: cos 2γ* = ν/(2−ν),
// sin(Ψmax/2) = ν/(2−ν)). Speeds of orbital speed or more (ν ≥ 1) return
// ErrNoImpact: the range is unbounded.
func OptimumKepler(rM, vMS float64) (gammaRad, psiRad float64, err error) {
	c, err := newConic(rM, vMS, 0)
	if err != nil {
		return 0, 0, err
	}
	if c.nu >= 1 {
		return 0, 0, fmt.Errorf("orbital speed (ν=%.4f ≥ 1): %w", c.nu, ErrNoImpact)
	}
	q := c.nu / (2 - c.nu)
	return math.Acos(q) / 2, 2 * math.Asin(q), nil
}

// keplerImpact follows the conic from an inertial burnout state to the
// surface and returns the impact direction (inertial unit vector) and the
// time of flight.
func keplerImpact(r, v vec3) (impact vec3, tofS float64, err error) {
	rn, vn := r.norm(), v.norm()
	rh := r.scale(1 / rn)
	sinG := 0.0
	if vn > 0 {
		sinG = math.Max(-1, math.Min(1, rh.dot(v)/vn))
	}
	c, err := newConic(rn, vn, math.Asin(sinG))
	if err != nil {
		return vec3{}, 0, err
	}
	psi, tofS, err := c.impact(EarthRadiusM)
	if err != nil {
		return vec3{}, 0, err
	}
	horiz := v.sub(rh.scale(rh.dot(v)))
	hn := horiz.norm()
	if hn == 0 {
		return rh, tofS, nil
	}
	s, co := math.Sincos(psi)
	return rh.scale(co).add(horiz.scale(s / hn)), tofS, nil
}
