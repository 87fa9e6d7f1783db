package ballistics

import (
	"fmt"
	"math"
)

// state is the integrated vector: position (m) and velocity (m/s) in the
// inertial frame, then the gravity and drag losses (m/s) accumulated so far.
type state [8]float64

// Dormand–Prince 5(4) tableau (Hairer, Nørsett & Wanner, Table II.5.2).
const (
	dpC2, dpC3, dpC4, dpC5 = 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9

	dpA21                      = 1.0 / 5
	dpA31, dpA32               = 3.0 / 40, 9.0 / 40
	dpA41, dpA42, dpA43        = 44.0 / 45, -56.0 / 15, 32.0 / 9
	dpA51, dpA52, dpA53, dpA54 = 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729
	dpA61, dpA62, dpA63        = 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247
	dpA64, dpA65               = 49.0 / 176, -5103.0 / 18656
	dpB1, dpB3, dpB4           = 35.0 / 384, 500.0 / 1113, 125.0 / 192
	dpB5, dpB6                 = -2187.0 / 6784, 11.0 / 84

	// dpE* are the differences between the 5th- and 4th-order weights.
	dpE1, dpE3, dpE4 = 71.0 / 57600, -71.0 / 16695, 71.0 / 1920
	dpE5, dpE6, dpE7 = -17253.0 / 339200, 22.0 / 525, -1.0 / 40
)

// Step control.
const (
	maxSteps   = 200000 // per flight; a sane flight needs a few hundred
	minStepS   = 1e-9
	safety     = 0.9
	pidBeta    = 0.04
	pidAlpha   = 0.2 - 0.75*pidBeta
	maxGrowth  = 10.0
	maxShrink  = 0.2
	circularMS = 7905.4 // √(μ/R_E): the velocity scale of the error norm
)

// integrator is an adaptive Dormand–Prince 5(4) stepper with FSAL: k[0]
// holds f(t, y) at the start of the next step when haveK1 is set.
type integrator struct {
	f   func(t float64, y, dy *state)
	tol float64
	h   float64 // suggested next step
	k   [7]state
	// tmp and out are scratch states kept here: passed to f, locals would
	// escape to the heap on every step.
	tmp, out state
	haveK1   bool
	steps    int
	// rejects counts rejected steps; errOld is the last accepted error norm.
	rejects int
	errOld  float64

	// The last accepted step, for locating events inside it.
	prevT  float64
	prevY  state
	prevK1 state
}

// try takes one step of size h from (t, y) into out, leaving f at the end in
// k[6], and returns the error norm relative to the tolerance (≤ 1 passes).
func (in *integrator) try(t float64, y *state, h float64, out *state) float64 {
	k, tmp := &in.k, &in.tmp
	for i := range tmp {
		tmp[i] = y[i] + h*dpA21*k[0][i]
	}
	in.f(t+dpC2*h, tmp, &k[1])
	for i := range tmp {
		tmp[i] = y[i] + h*(dpA31*k[0][i]+dpA32*k[1][i])
	}
	in.f(t+dpC3*h, tmp, &k[2])
	for i := range tmp {
		tmp[i] = y[i] + h*(dpA41*k[0][i]+dpA42*k[1][i]+dpA43*k[2][i])
	}
	in.f(t+dpC4*h, tmp, &k[3])
	for i := range tmp {
		tmp[i] = y[i] + h*(dpA51*k[0][i]+dpA52*k[1][i]+dpA53*k[2][i]+dpA54*k[3][i])
	}
	in.f(t+dpC5*h, tmp, &k[4])
	for i := range tmp {
		tmp[i] = y[i] + h*(dpA61*k[0][i]+dpA62*k[1][i]+dpA63*k[2][i]+dpA64*k[3][i]+dpA65*k[4][i])
	}
	in.f(t+h, tmp, &k[5])
	for i := range out {
		out[i] = y[i] + h*(dpB1*k[0][i]+dpB3*k[2][i]+dpB4*k[3][i]+dpB5*k[4][i]+dpB6*k[5][i])
	}
	in.f(t+h, out, &k[6])
	norm := 0.0
	for i := 0; i < 6; i++ {
		e := h * (dpE1*k[0][i] + dpE3*k[2][i] + dpE4*k[3][i] + dpE5*k[4][i] + dpE6*k[5][i] + dpE7*k[6][i])
		scale := EarthRadiusM
		if i >= 3 {
			scale = circularMS
		}
		norm = math.Max(norm, math.Abs(e)/scale)
	}
	return norm / in.tol
}

// advance takes one accepted step from (t, y), no longer than maxH, and
// updates t and y. It keeps the step's start for retry. The step size
// follows Hairer's PI controller for DOPRI5 (β = 0.04), which rejects fewer
// steps than the plain controller where the drag table has corners.
func (in *integrator) advance(t *float64, y *state, maxH float64) error {
	if !in.haveK1 {
		in.f(*t, y, &in.k[0])
		in.haveK1 = true
	}
	in.prevT, in.prevY, in.prevK1 = *t, *y, in.k[0]
	out := &in.out
	rejected := false
	for {
		in.steps++
		if in.steps > maxSteps || !(in.h >= minStepS) {
			return fmt.Errorf("at t=%.3f s after %d steps: %w", *t, in.steps, ErrNotConverged)
		}
		h := math.Min(in.h, maxH)
		errNorm := in.try(*t, y, h, out)
		if errNorm <= 1 {
			errNorm = math.Max(errNorm, 1e-10)
			grow := safety * math.Pow(errNorm, -pidAlpha) * math.Pow(in.errOld, pidBeta)
			grow = math.Max(1/maxGrowth, math.Min(maxGrowth, grow))
			if rejected {
				grow = math.Min(grow, 1)
			}
			in.errOld = math.Max(errNorm, 1e-4)
			if h < in.h && grow >= 1 {
				in.h = math.Max(in.h, h*grow) // a step cut short by maxH keeps its size
			} else {
				in.h = h * grow
			}
			*t += h
			*y = *out
			in.k[0] = in.k[6]
			return nil
		}
		in.rejects++
		rejected = true
		shrink := maxShrink // also for a NaN error norm
		if errNorm < math.Inf(1) {
			shrink = math.Max(maxShrink, safety*math.Pow(errNorm, -pidAlpha))
		}
		in.h = h * shrink
	}
}

// retry recomputes the last accepted step with size h (no longer than the
// accepted one, so within tolerance) and returns the state it reaches.
func (in *integrator) retry(h float64) state {
	in.k[0] = in.prevK1
	in.try(in.prevT, &in.prevY, h, &in.out)
	return in.out
}
