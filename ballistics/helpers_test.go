package ballistics

import (
	"math"
	"strconv"
	"testing"
)

// Forden 2007 Table 1 inputs (missile-model.md §2.1), payload nominal.
func scudB() Vehicle {
	return Vehicle{Stages: []Stage{{PropellantKg: 3699, DryKg: 1198, IspS: 230, BurnS: 75, DiameterM: 0.84}}, PayloadKg: 1000}
}

func alHussein() Vehicle {
	return Vehicle{Stages: []Stage{{PropellantKg: 4739, DryKg: 1334, IspS: 230, BurnS: 90, DiameterM: 0.84}}, PayloadKg: 191}
}

func noDong() Vehicle {
	return Vehicle{Stages: []Stage{{PropellantKg: 16000, DryKg: 3900, IspS: 240, BurnS: 70, DiameterM: 0.88}}, PayloadKg: 1000}
}

func taepodong1() Vehicle {
	return Vehicle{Stages: []Stage{
		{PropellantKg: 16100, DryKg: 3800, IspS: 240, BurnS: 70, DiameterM: 0.88},
		{PropellantKg: 3699, DryKg: 1198, IspS: 230, BurnS: 75, DiameterM: 0.84},
	}, PayloadKg: 454}
}

// minutemanIII is the pytrajlib row of missiles.csv.
func minutemanIII() Vehicle {
	return Vehicle{Stages: []Stage{
		{PropellantKg: 20780, DryKg: 2450, IspS: 267, BurnS: 61, DiameterM: 1.7},
		{PropellantKg: 6240, DryKg: 1030, IspS: 287, BurnS: 66, DiameterM: 1.7},
		{PropellantKg: 3306, DryKg: 404, IspS: 285, BurnS: 61, DiameterM: 1.7},
	}, PayloadKg: 900}
}

// withPayload returns v carrying payloadKg.
func withPayload(v Vehicle, payloadKg float64) Vehicle {
	v.PayloadKg = payloadKg
	return v
}

// relErr is |got−want|/|want|.
func relErr(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }

// checkRel fails the test when got is not within relative tolerance tol of want.
func checkRel(tb testing.TB, what string, got, want, tol float64) {
	tb.Helper()
	if !(relErr(got, want) <= tol) {
		tb.Errorf("%s = %.9g, want %.9g (±%.2g relative; off by %.3g)", what, got, want, tol, relErr(got, want))
	}
}

// checkAbs fails the test when got is not within tol of want.
func checkAbs(tb testing.TB, what string, got, want, tol float64) {
	tb.Helper()
	if !(math.Abs(got-want) <= tol) {
		tb.Errorf("%s = %.9g, want %.9g (±%.2g)", what, got, want, tol)
	}
}

// noDrag is an option set with drag switched off by a zero Cd table.
func noDrag() Options { return Options{CdTable: []CdPoint{{0, 0}}} }

const deg = math.Pi / 180

// label names a subtest after a quantity.
func label(x float64, unit string) string { return strconv.FormatFloat(x, 'g', -1, 64) + " " + unit }
