package ballistics

import "testing"

// Targets (one core): MaxRange on Scud-B at most 50 ms, Curve20 at most 1 s.
// Run with: go test -run XXX -bench . -cpu 1 ./ballistics/

func benchMaxRange(b *testing.B, v Vehicle) {
	b.Helper()
	var evals int
	for b.Loop() {
		res, err := MaxRange(v, Options{})
		if err != nil {
			b.Fatal(err)
		}
		evals = res.Evaluations
	}
	b.ReportMetric(float64(evals), "flights/op")
}

func BenchmarkMaxRange(b *testing.B)             { benchMaxRange(b, scudB()) }
func BenchmarkMaxRangeNoDong(b *testing.B)       { benchMaxRange(b, noDong()) }
func BenchmarkMaxRangeMinutemanIII(b *testing.B) { benchMaxRange(b, minutemanIII()) }

// BenchmarkCurve20 is Scud-B's trade-off curve at 20 payloads, 0 to 1,500 kg.
func BenchmarkCurve20(b *testing.B) {
	payloads := make([]float64, 20)
	for i := range payloads {
		payloads[i] = 1500 * float64(i) / 19
	}
	for b.Loop() {
		if _, err := Curve(scudB(), payloads, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFly is one Scud-B flight.
func BenchmarkFly(b *testing.B) {
	p := Program{VerticalS: DefaultVerticalS, PitchRateRadS: 2.2 * deg, HoldRad: 50 * deg}
	for b.Loop() {
		if _, err := Fly(scudB(), p, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
