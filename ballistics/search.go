package ballistics

import (
	"errors"
	"fmt"
	"math"
)

// Search space and effort. A program is searched as (hold angle in degrees,
// pitch-over time as a fraction of the burn after the vertical rise): the
// fraction makes one grid fit a 30 s sounding rocket and a 190 s ICBM.
const (
	minHoldDeg, maxHoldDeg = 1.0, 89.0
	minFrac, maxFrac       = 0.01, 3.0
	gridTolFactor          = 30   // the grid flies with a looser tolerance
	maxSearchEvals         = 400  // Nelder–Mead budget per search
	discarded              = -1.0 // the "range" of a discarded program
	degree                 = math.Pi / 180
)

var (
	gridHoldDeg = [...]float64{10, 20, 30, 40, 50, 60, 70}
	gridFrac    = [...]float64{0.1, 0.25, 0.45, 0.7, 1.0}
)

// search is one maximum-range search over pitch programs.
type search struct {
	v         Vehicle
	o         Options
	points    int // Options.Points, applied to the best flight only
	verticalS float64
	pitchS    float64 // burn time after the vertical rise
	evals     int
	best      Result
	found     bool
	err       error // a failure no program can avoid
}

func newSearch(v Vehicle, o Options, verticalS float64) *search {
	total := 0.0
	for _, s := range v.Stages {
		total += s.BurnS
	}
	points := o.Points
	o.Points = 0
	return &search{v: v, o: o, points: points, verticalS: verticalS, pitchS: math.Max(total-verticalS, 1)}
}

// MaxRange searches the pitch program for the maximum range: a coarse grid
// over (hold angle, pitch-over time), then Nelder–Mead from the best point,
// with the vertical rise fixed at Options.VerticalS. Result.Evaluations
// counts the flights. A missile that can reach orbit returns at once with
// Result.Orbital set.
func MaxRange(v Vehicle, o Options) (Result, error) {
	o, err := checkSearch(v, o)
	if err != nil {
		return Result{}, fmt.Errorf("max range: %w", err)
	}
	return newSearch(v, o, o.VerticalS).run(nil)
}

// MaxRangeFrom is MaxRange warm-started from a known good program (used
// along a trade-off curve). It keeps start.VerticalS and falls back to the
// full search when start is discarded.
func MaxRangeFrom(v Vehicle, start Program, o Options) (Result, error) {
	o, err := checkSearch(v, o)
	if err == nil {
		err = start.Validate()
	}
	if err != nil {
		return Result{}, fmt.Errorf("max range: %w", err)
	}
	return newSearch(v, o, start.VerticalS).run(&start)
}

// checkSearch validates the inputs of a search and resolves the options.
func checkSearch(v Vehicle, o Options) (Options, error) {
	if err := v.Validate(); err != nil {
		return o, err
	}
	return o.resolve()
}

// run searches from start, or from the grid's best point when start is nil
// or discarded.
func (s *search) run(start *Program) (Result, error) {
	var x0 [2]float64
	step := [2]float64{2, 0.05}
	warm := false
	if start != nil {
		x0 = s.coords(*start)
		warm = s.eval(x0) != discarded
	}
	if !warm && s.err == nil {
		x0 = s.grid()
		step = [2]float64{5, 0.1}
	}
	if s.err == nil && s.found && !s.best.Orbital {
		nelderMead(s.eval, x0, step, s.o.RangeTol, maxSearchEvals)
	}
	s.best.Evaluations = s.evals
	switch {
	case s.err != nil:
		return s.best, s.err
	case !s.found || math.IsInf(s.best.RangeM, -1):
		return s.best, fmt.Errorf("every program tried: %w", ErrGroundBeforeBurnout)
	}
	if s.points > 0 { // draw the winner only; the search flies without samples
		o := s.o
		o.Points = s.points
		drawn, err := fly(s.v, s.best.Program, o)
		if err != nil {
			return s.best, err
		}
		drawn.Evaluations = s.evals
		s.best = drawn
	}
	return s.best, nil
}

// grid flies the coarse grid with a looser tolerance and returns its best
// point. The best Result found stays set only when it is orbital (final);
// otherwise the refinement flies again at full tolerance.
func (s *search) grid() [2]float64 {
	o := s.o
	s.o.Tolerance = math.Min(o.Tolerance*gridTolFactor, 1e-6)
	defer func() { s.o = o }()
	var best [2]float64
	bestRange := math.Inf(-1)
	for _, hold := range gridHoldDeg {
		for _, frac := range gridFrac {
			x := [2]float64{hold, frac}
			if r := s.eval(x); r > bestRange {
				best, bestRange = x, r
			}
			if s.err != nil || s.best.Orbital {
				return best
			}
		}
	}
	if s.found {
		s.best.RangeM = math.Inf(-1) // keep found, but let full-tolerance flights replace it
	}
	return best
}

// coords maps a program to search coordinates.
func (s *search) coords(p Program) [2]float64 {
	frac := maxFrac
	if p.PitchRateRadS > 0 {
		frac = (math.Pi/2 - p.HoldRad) / p.PitchRateRadS / s.pitchS
	}
	return [2]float64{p.HoldRad / degree, math.Max(minFrac, math.Min(maxFrac, frac))}
}

// program maps search coordinates to a program; ok is false outside the box.
func (s *search) program(x [2]float64) (p Program, ok bool) {
	if !(x[0] >= minHoldDeg && x[0] <= maxHoldDeg && x[1] >= minFrac && x[1] <= maxFrac) {
		return Program{}, false
	}
	hold := x[0] * degree
	rate := (math.Pi/2 - hold) / (x[1] * s.pitchS)
	return Program{VerticalS: s.verticalS, PitchRateRadS: rate, HoldRad: hold}, true
}

// eval flies the program at x and returns its range, or discarded.
func (s *search) eval(x [2]float64) float64 {
	p, ok := s.program(x)
	if !ok || s.err != nil || s.best.Orbital {
		return discarded
	}
	s.evals++
	res, err := fly(s.v, p, s.o)
	switch {
	case errors.Is(err, ErrGroundBeforeBurnout):
		return discarded
	case err != nil:
		s.err = err
		return discarded
	}
	if !s.found || res.RangeM > s.best.RangeM {
		s.best, s.found = res, true
	}
	return res.RangeM
}

// nelderMead maximises f over two variables from x0 with initial steps
// step, until the simplex's values agree to relative tolerance tol or
// maxEvals evaluations (of this routine) are spent.
func nelderMead(f func([2]float64) float64, x0, step [2]float64, tol float64, maxEvals int) {
	pts := [3][2]float64{x0, {x0[0] + step[0], x0[1]}, {x0[0], x0[1] + step[1]}}
	var val [3]float64
	for i := range pts {
		val[i] = f(pts[i])
	}
	for evals := 3; evals < maxEvals; {
		// Order best (0) to worst (2).
		for i := 0; i < 2; i++ {
			for j := 2; j > i; j-- {
				if val[j] > val[j-1] {
					val[j], val[j-1], pts[j], pts[j-1] = val[j-1], val[j], pts[j-1], pts[j]
				}
			}
		}
		if (val[0]-val[2] <= tol*math.Abs(val[0]) && val[2] != discarded) || val[0] >= math.Pi*EarthRadiusM {
			return // converged, or the missile reaches any point on Earth
		}
		c := [2]float64{(pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2}
		at := func(k float64) [2]float64 {
			return [2]float64{c[0] + k*(pts[2][0]-c[0]), c[1] + k*(pts[2][1]-c[1])}
		}
		xr := at(-1)
		fr := f(xr)
		evals++
		switch {
		case fr > val[0]:
			xe := at(-2)
			if fe := f(xe); fe > fr {
				xr, fr = xe, fe
			}
			evals++
			pts[2], val[2] = xr, fr
		case fr > val[1]:
			pts[2], val[2] = xr, fr
		default:
			k := 0.5 // inside contraction, or outside when the reflection helped
			if fr > val[2] {
				k = -0.5
			}
			xc := at(k)
			fc := f(xc)
			evals++
			if fc > math.Max(val[2], fr) {
				pts[2], val[2] = xc, fc
				continue
			}
			for i := 1; i < 3; i++ { // shrink towards the best
				pts[i] = [2]float64{(pts[i][0] + pts[0][0]) / 2, (pts[i][1] + pts[0][1]) / 2}
				val[i] = f(pts[i])
				evals++
			}
		}
	}
}
