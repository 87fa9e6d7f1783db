package ballistics

import (
	"fmt"
	"math"
)

// run flies the burns, then the coast, and fills the Result.
func (f *flight) run() (Result, error) {
	res := Result{Program: f.prog}
	r0 := f.launch.scale(EarthRadiusM)
	var y state
	copy(y[:3], r0[:])
	y[3], y[4] = -f.omega*r0[1], f.omega*r0[0] // ω×r: the launch site's own speed
	t, mass := 0.0, f.v.launchMassKg()
	f.apogeeR = EarthRadiusM
	f.record(t, &y)
	for i, s := range f.v.Stages {
		isp := f.ignite(i, t, mass)
		if i == 0 {
			weight := mass * MuM3S2 / (EarthRadiusM * EarthRadiusM)
			if thrust := f.thrustVacN - SeaLevelPressurePa*f.exitAreaM2; thrust <= weight {
				return res, fmt.Errorf("thrust %.0f N, weight %.0f N: %w", thrust, weight, ErrNoLiftoff)
			}
		}
		res.IdealDeltaVMS += G0MS2 * isp * math.Log(mass/(mass-s.PropellantKg))
		if err := f.burn(&t, &y, t+s.BurnS); err != nil {
			return res, fmt.Errorf("stage %d: %w", i+1, err)
		}
		mass -= s.PropellantKg
		if i < len(f.v.Stages)-1 {
			mass -= s.DryKg
		}
	}
	f.burning, f.t0, f.m0, f.mdot = false, t, mass, 0
	f.in.haveK1 = false
	res.Burnout = f.state(t, &y)
	res.GravityLossMS, res.DragLossMS = y[6], y[7]
	res.KeplerRangeM = f.keplerRange(t, &y)
	orbital, err := f.coast(&t, &y)
	if err != nil {
		return res, err
	}
	res.Orbital = orbital
	res.FlightTimeS = t
	res.ApogeeM = f.apogeeR - EarthRadiusM
	res.RangeM = math.Pi * EarthRadiusM
	if !orbital {
		res.RangeM = f.downrange(t, y.pos())
	}
	res.Points = f.resample(t)
	return res, nil
}

// burn integrates one stage's burn up to tEnd, splitting it where the pitch
// program changes phase.
func (f *flight) burn(t *float64, y *state, tEnd float64) error {
	for _, b := range [...]float64{f.pitchStartS, f.holdStartS, tEnd} {
		if b <= *t || b > tEnd {
			continue
		}
		for b-*t > breakTolS {
			if err := f.in.advance(t, y, b-*t); err != nil {
				return err
			}
			if alt := y.pos().norm() - EarthRadiusM; alt < 0 {
				return fmt.Errorf("at t=%.1f s: %w", *t, ErrGroundBeforeBurnout)
			}
			f.observe(*t, y)
		}
		*t = b
	}
	return nil
}

// coast integrates the unpowered flight down to the ground. It reports
// orbital when the missile will not come down: it escapes, its perigee is
// above the atmosphere, or it passes perigee above the ground.
func (f *flight) coast(t *float64, y *state) (orbital bool, err error) {
	r, v := y.pos(), y.vel()
	rn, vn := r.norm(), v.norm()
	c, err := newConic(rn, vn, math.Asin(math.Max(-1, math.Min(1, r.dot(v)/(rn*vn)))))
	if err != nil {
		return false, fmt.Errorf("burnout state: %w", err)
	}
	if c.nu >= 2 || c.p/(1+c.e) > EarthRadiusM+AtmosphereTopM {
		return true, nil
	}
	descending := false
	for {
		if err := f.in.advance(t, y, math.Inf(1)); err != nil {
			return false, fmt.Errorf("coast: %w", err)
		}
		r := y.pos()
		if r.norm() < EarthRadiusM {
			f.locateImpact(t, y)
			f.observe(*t, y)
			return false, nil
		}
		if r.dot(y.vel()) < 0 {
			descending = true
		} else if descending {
			return true, nil
		}
		f.observe(*t, y)
	}
}

// locateImpact shrinks the last step until it ends on the ground, by
// regula falsi with the Illinois modification on the step size.
func (f *flight) locateImpact(t *float64, y *state) {
	in := &f.in
	alt := func(s *state) float64 { return s.pos().norm() - EarthRadiusM }
	a, b := 0.0, *t-in.prevT
	ga, gb := alt(&in.prevY), alt(y)
	side := 0
	for iter := 0; iter < 100 && ga-gb > impactTolM; iter++ {
		h := b - gb*(b-a)/(gb-ga)
		s := in.retry(h)
		g := alt(&s)
		*t, *y = in.prevT+h, s
		if math.Abs(g) <= impactTolM {
			return
		}
		if g < 0 {
			b, gb = h, g
			if side < 0 {
				ga /= 2
			}
			side = -1
		} else {
			a, ga = h, g
			if side > 0 {
				gb /= 2
			}
			side = 1
		}
	}
}

// observe follows the apogee over the step that just ended at (t, y), and
// records the step when drawing.
func (f *flight) observe(t float64, y *state) {
	r1 := y.pos().norm()
	f.apogeeR = math.Max(f.apogeeR, r1)
	p := &f.in.prevY
	r0 := p.pos().norm()
	vr0, vr1 := p.pos().dot(p.vel())/r0, y.pos().dot(y.vel())/r1
	if vr0 > 0 && vr1 <= 0 {
		dt := t - f.in.prevT
		f.apogeeR = math.Max(f.apogeeR, hermiteMax(r0, r1, vr0*dt, vr1*dt))
	}
	f.record(t, y)
}

// hermiteMax is the largest value on [0, 1] of the cubic Hermite
// interpolant with end values x0, x1 and end slopes d0, d1 (per unit s).
func hermiteMax(x0, x1, d0, d1 float64) float64 {
	a := 6*(x0-x1) + 3*(d0+d1) // derivative: a s² + b s + c
	b := 6*(x1-x0) - 4*d0 - 2*d1
	c := d0
	best := math.Max(x0, x1)
	try := func(s float64) {
		if s > 0 && s < 1 {
			best = math.Max(best, hermite(x0, x1, d0, d1, s))
		}
	}
	if math.Abs(a) < 1e-12*(math.Abs(b)+math.Abs(c)) {
		try(-c / b)
		return best
	}
	if disc := b*b - 4*a*c; disc >= 0 {
		q := math.Sqrt(disc)
		try((-b + q) / (2 * a))
		try((-b - q) / (2 * a))
	}
	return best
}

// hermite evaluates the cubic Hermite interpolant at s in [0, 1].
func hermite(x0, x1, d0, d1, s float64) float64 {
	s2, s3 := s*s, s*s*s
	return (2*s3-3*s2+1)*x0 + (s3-2*s2+s)*d0 + (-2*s3+3*s2)*x1 + (s3-s2)*d1
}

// record keeps an accepted step when the caller asked for Points.
func (f *flight) record(t float64, y *state) {
	if f.rec != nil {
		f.rec = append(f.rec, sample{t, *y})
	}
}

// resample turns the recorded steps into about Options.Points evenly spaced
// samples up to time end: positions by cubic Hermite, velocities linearly.
func (f *flight) resample(end float64) []Point {
	n := f.o.Points
	if n <= 0 || len(f.rec) == 0 {
		return nil
	}
	pts := make([]Point, 0, n)
	j := 0
	for k := 0; k < n; k++ {
		tk := end
		if n > 1 {
			tk = end * float64(k) / float64(n-1)
		}
		for j < len(f.rec)-2 && f.rec[j+1].t < tk {
			j++
		}
		y := f.rec[j].y
		if j+1 < len(f.rec) {
			a, b := &f.rec[j], &f.rec[j+1]
			dt := b.t - a.t
			s := math.Max(0, math.Min(1, (tk-a.t)/dt))
			for i := 0; i < 3; i++ {
				y[i] = hermite(a.y[i], b.y[i], a.y[i+3]*dt, b.y[i+3]*dt, s)
				y[i+3] = a.y[i+3] + s*(b.y[i+3]-a.y[i+3])
			}
		}
		st := f.state(tk, &y)
		pts = append(pts, Point{TimeS: tk, DownrangeM: st.DownrangeM, AltitudeM: st.AltitudeM, SpeedMS: st.SpeedMS})
	}
	return pts
}

// state describes (t, y) relative to the Earth's surface.
func (f *flight) state(t float64, y *state) State {
	r, v := y.pos(), y.vel()
	if f.omega != 0 {
		v = v.sub(vec3{-f.omega * r[1], f.omega * r[0], 0})
	}
	rn, vn := r.norm(), v.norm()
	gamma := math.Pi / 2
	if vn > 0 {
		gamma = math.Asin(math.Max(-1, math.Min(1, r.dot(v)/(rn*vn))))
	}
	return State{TimeS: t, SpeedMS: vn, FlightPathRad: gamma, AltitudeM: rn - EarthRadiusM, DownrangeM: f.downrange(t, r)}
}

// downrange is the great-circle distance on the surface from the launch
// site to the point below inertial position r at time t.
func (f *flight) downrange(t float64, r vec3) float64 {
	return EarthRadiusM * f.launch.angle(r.rotZ(-f.omega*t))
}

// keplerRange is the Result.KeplerRangeM cross-check: the conic from the
// burnout state to the surface, with the Earth turned by the time of flight.
// It is 0 when the conic does not come down.
func (f *flight) keplerRange(t float64, y *state) float64 {
	impact, tof, err := keplerImpact(y.pos(), y.vel())
	if err != nil {
		return 0
	}
	return f.downrange(t+tof, impact.scale(EarthRadiusM))
}
