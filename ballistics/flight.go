package ballistics

import (
	"fmt"
	"math"
)

const (
	initialStepS = 0.5   // first trial step at launch; the controller adapts it
	impactTolM   = 0.01  // how closely the impact altitude is located
	breakTolS    = 1e-9  // segment ends closer than this are reached
	minAltM      = -50e3 // the atmosphere is clamped below this (trial steps only)
	sampleCap    = 256   // initial capacity of the recorded steps
)

// flight is one simulation: the vehicle, the program, the frame, the
// current segment and the integrator.
type flight struct {
	v      Vehicle
	prog   Program
	o      Options
	omega  float64 // rad/s, 0 unless rotating
	launch vec3    // launch site, unit vector, Earth-fixed (inertial at t=0)
	normal vec3    // normal of the launch great-circle plane, Earth-fixed

	// The current segment: mass m0 at t0, falling at mdot while burning.
	burning                 bool
	t0, m0, mdot            float64
	thrustVacN, exitAreaM2  float64
	areaM2                  float64
	holdStartS, pitchStartS float64
	apogeeR                 float64
	rec                     []sample
	in                      integrator
}

// sample is one accepted integration step, kept only when drawing.
type sample struct {
	t float64
	y state
}

// Fly simulates one flight. It returns ErrGroundBeforeBurnout (a sentinel
// error) when the program brings the vehicle to the ground before the last
// stage burns out: such programs are discarded. A missile that reaches orbit
// returns a Result with Orbital set.
func Fly(v Vehicle, p Program, o Options) (Result, error) {
	if err := v.Validate(); err != nil {
		return Result{}, fmt.Errorf("fly: %w", err)
	}
	if err := p.Validate(); err != nil {
		return Result{}, fmt.Errorf("fly: %w", err)
	}
	o, err := o.resolve()
	if err != nil {
		return Result{}, fmt.Errorf("fly: %w", err)
	}
	return fly(v, p, o)
}

// fly runs a flight with validated inputs and resolved options.
func fly(v Vehicle, p Program, o Options) (Result, error) {
	f := newFlight(v, p, o)
	return f.run()
}

func newFlight(v Vehicle, p Program, o Options) *flight {
	sl, cl := math.Sincos(o.LatitudeRad)
	sa, ca := math.Sincos(o.AzimuthRad)
	launch := vec3{cl, 0, sl}
	heading := vec3{-sl, 0, cl}.scale(ca).add(vec3{0, 1, 0}.scale(sa)) // north·cos α + east·sin α
	f := &flight{v: v, prog: p, o: o, launch: launch, normal: launch.cross(heading)}
	if o.Rotating {
		f.omega = EarthRotationRadS
	}
	f.pitchStartS = p.VerticalS
	f.holdStartS = math.Inf(1)
	if p.PitchRateRadS > 0 {
		f.holdStartS = p.VerticalS + (math.Pi/2-p.HoldRad)/p.PitchRateRadS
	}
	f.in = integrator{f: f.deriv, tol: o.Tolerance, h: initialStepS, errOld: 1e-4}
	if o.Points > 0 {
		f.rec = make([]sample, 0, sampleCap)
	}
	return f
}

// elevation is the program's thrust elevation above the local horizontal.
func (f *flight) elevation(t float64) float64 {
	if t <= f.pitchStartS {
		return math.Pi / 2
	}
	return math.Max(f.prog.HoldRad, math.Pi/2-f.prog.PitchRateRadS*(t-f.pitchStartS))
}

// deriv is the equation of motion in the inertial frame.
func (f *flight) deriv(t float64, y, dy *state) {
	r, v := y.pos(), y.vel()
	rn2 := r.dot(r)
	rn := math.Sqrt(rn2)
	gravity := MuM3S2 / rn2
	acc := r.scale(-gravity / rn)
	mass := f.m0 - f.mdot*(t-f.t0)
	vrel := v
	if f.omega != 0 {
		vrel = v.sub(vec3{-f.omega * r[1], f.omega * r[0], 0})
	}
	speed := vrel.norm()
	pressPa, dragAcc := 0.0, 0.0
	if alt := rn - EarthRadiusM; alt < AtmosphereTopM {
		p, rho, sound := atmosphere(math.Max(alt, minAltM))
		pressPa = p
		if rho > 0 && speed > 0 {
			cd := dragCoefficient(f.o.CdTable, speed/sound) * f.o.CdScale
			dragAcc = 0.5 * rho * speed * speed * cd * f.areaM2 / mass
			acc = acc.sub(vrel.scale(dragAcc / speed))
		}
	}
	dy[6], dy[7] = 0, 0
	if f.burning {
		thrust := math.Max(0, f.thrustVacN-pressPa*f.exitAreaM2)
		acc = acc.add(f.thrustDir(t, r.scale(1/rn)).scale(thrust / mass))
		sinGamma := 1.0
		if speed > 0 {
			sinGamma = vrel.dot(r) / (rn * speed)
		}
		dy[6], dy[7] = gravity*sinGamma, dragAcc
	}
	dy[0], dy[1], dy[2] = v[0], v[1], v[2]
	dy[3], dy[4], dy[5] = acc[0], acc[1], acc[2]
}

// thrustDir is the unit thrust vector at time t and position direction rh:
// in the launch great-circle plane, at the program's elevation.
func (f *flight) thrustDir(t float64, rh vec3) vec3 {
	n := f.normal
	if f.omega != 0 {
		n = n.rotZ(f.omega * t)
	}
	h := n.cross(rh)
	s, c := math.Sincos(f.elevation(t))
	return h.scale(c / h.norm()).add(rh.scale(s))
}

// stageThrust returns a stage's vacuum thrust, its nozzle exit area and the
// vacuum Isp those imply, following the Stage field rules.
func stageThrust(s Stage, mdot float64) (vacN, exitM2, ispVacS float64) {
	switch {
	case s.NozzleExitAreaM2 > 0 && s.IspVacuumS > 0:
		return G0MS2 * s.IspVacuumS * mdot, s.NozzleExitAreaM2, s.IspVacuumS
	case s.NozzleExitAreaM2 > 0:
		vac := G0MS2*s.IspS*mdot + SeaLevelPressurePa*s.NozzleExitAreaM2
		return vac, s.NozzleExitAreaM2, vac / (G0MS2 * mdot)
	case s.IspVacuumS > 0:
		exit := (s.IspVacuumS - s.IspS) * mdot * G0MS2 / SeaLevelPressurePa
		return G0MS2 * s.IspVacuumS * mdot, exit, s.IspVacuumS
	default:
		return G0MS2 * s.IspS * mdot, 0, s.IspS
	}
}

// ignite starts stage i at time t with total mass massKg and returns the
// stage's vacuum Isp.
func (f *flight) ignite(i int, t, massKg float64) float64 {
	s := f.v.Stages[i]
	f.burning, f.t0, f.m0, f.mdot = true, t, massKg, s.PropellantKg/s.BurnS
	vac, exit, isp := stageThrust(s, f.mdot)
	f.thrustVacN, f.exitAreaM2 = vac, exit
	widest := 0.0
	for _, up := range f.v.Stages[i:] {
		widest = math.Max(widest, up.DiameterM)
	}
	f.areaM2 = math.Pi / 4 * widest * widest
	f.in.haveK1 = false // mass and thrust jump at staging
	return isp
}

// launchMassKg is the mass at lift-off.
func (v Vehicle) launchMassKg() float64 {
	m := v.PayloadKg
	for _, s := range v.Stages {
		m += s.PropellantKg + s.DryKg
	}
	return m
}
