package ballistics

import (
	"errors"
	"fmt"
	"math"
)

// maxPayloadIters bounds the payload root search; Illinois needs about ten.
const maxPayloadIters = 60

// rangeFinder computes maximum ranges at several payloads of one vehicle,
// warm-starting each search from the last program found.
type rangeFinder struct {
	v    Vehicle
	o    Options
	last *Program
}

// at returns the maximum-range Result with payloadKg aboard.
func (rf *rangeFinder) at(payloadKg float64) (Result, error) {
	v := rf.v
	v.PayloadKg = payloadKg
	var res Result
	var err error
	if rf.last == nil {
		res, err = MaxRange(v, rf.o)
	} else {
		res, err = MaxRangeFrom(v, *rf.last, rf.o)
	}
	if err != nil {
		return res, fmt.Errorf("payload %g kg: %w", payloadKg, err)
	}
	p := res.Program
	rf.last = &p
	return res, nil
}

// rangeM is at's range, 0 for a payload too heavy to lift off.
func (rf *rangeFinder) rangeM(payloadKg float64) (float64, error) {
	res, err := rf.at(payloadKg)
	if errors.Is(err, ErrNoLiftoff) {
		return 0, nil
	}
	return res.RangeM, err
}

// PayloadForRange returns the heaviest payload (kg) whose maximum range is
// at least rangeM, searching payloads in [lo, hi]; ok is false if even lo
// does not reach rangeM. Range falls as payload grows. The payload is found
// to Options.PayloadTolKg by regula falsi (Illinois), each maximum-range
// search warm-started from the previous one; a payload too heavy to lift
// off counts as range 0.
func PayloadForRange(v Vehicle, rangeM, lo, hi float64, o Options) (payloadKg float64, ok bool, err error) {
	if !(rangeM > 0) || !(lo >= 0) || !(hi >= lo) || math.IsInf(hi, 0) {
		return 0, false, fmt.Errorf("payload for range %g m in [%g, %g] kg: %w", rangeM, lo, hi, ErrInvalid)
	}
	o, err = o.resolve()
	if err != nil {
		return 0, false, fmt.Errorf("payload for range: %w", err)
	}
	rf := &rangeFinder{v: v, o: o}
	rLo, err := rf.rangeM(lo)
	if err != nil || rLo < rangeM {
		return 0, false, err
	}
	rHi, err := rf.rangeM(hi)
	if err != nil {
		return 0, false, err
	}
	if rHi >= rangeM {
		return hi, true, nil
	}
	// g(p) = range(p) − rangeM falls from ga ≥ 0 at a to gb < 0 at b.
	a, b, ga, gb := lo, hi, rLo-rangeM, rHi-rangeM
	side := 0
	for i := 0; i < maxPayloadIters && b-a > o.PayloadTolKg; i++ {
		p := b - gb*(b-a)/(gb-ga)
		if i >= maxPayloadIters/2 || !(p > a && p < b) {
			p = (a + b) / 2 // guarantees progress if the falsi step stalls
		}
		r, err := rf.rangeM(p)
		if err != nil {
			return 0, false, err
		}
		if g := r - rangeM; g >= 0 {
			a, ga = p, g
			if side > 0 {
				gb /= 2
			}
			side = 1
		} else {
			b, gb = p, g
			if side < 0 {
				ga /= 2
			}
			side = -1
		}
	}
	return a, true, nil
}

// Curve computes the maximum range at each payload (warm-starting each
// search from the previous one). It stops at the first payload that fails,
// for example one too heavy to lift off, and returns the Results so far.
func Curve(v Vehicle, payloadsKg []float64, o Options) ([]Result, error) {
	rf := &rangeFinder{v: v, o: o}
	out := make([]Result, 0, len(payloadsKg))
	for _, p := range payloadsKg {
		res, err := rf.at(p)
		if err != nil {
			return out, fmt.Errorf("curve: %w", err)
		}
		out = append(out, res)
	}
	return out, nil
}
