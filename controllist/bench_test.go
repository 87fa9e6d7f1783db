package controllist_test

import (
	"testing"

	"annex"
)

// benchItems is a mix of kinds and outcomes: Category I, Category II by an
// exception, near misses, not listed, software under an entry, a system with
// a component.
var benchItems = []annex.Item{
	{Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": 1.2e6}},
	{Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": 1.05e6}},
	{Kind: "liquid_rocket_engine", Params: map[string]any{"total_impulse_ns": 2e6, "satellite_use": true, "vacuum_thrust_n": 400.0}},
	{Kind: "rocket_system", Params: map[string]any{"range_km": 290.0, "payload_kg": 800.0}},
	{Kind: "guidance_set", Params: map[string]any{"cep_m": 500.0, "designed_for_range_km": 280.0}},
	{Kind: "software", Params: map[string]any{"for_entry": "2.A.1.c.1"}},
	{Kind: "other", Components: []annex.Item{{Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": 1.3e6}}}},
	{Kind: "thrust_vector_control", Params: map[string]any{"designed_for_range_km": 250.0, "designed_for_payload_kg": 700.0}},
}

// BenchmarkClassify measures classification, validation included, and
// reports items per second. The target is 100,000 items a second on one
// core: run with -cpu 1.
func BenchmarkClassify(b *testing.B) {
	c := mustClassifier(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		it := benchItems[n%len(benchItems)]
		if _, err := c.ClassifyItem(it); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkClassifyBatch classifies 1,000 items in one call, as an API batch.
func BenchmarkClassifyBatch(b *testing.B) {
	c := mustClassifier(b)
	items := make([]annex.Item, 1000)
	for i := range items {
		items[i] = benchItems[i%len(benchItems)]
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := c.Classify(items); err != nil {
			b.Fatal(err)
		}
		n += len(items)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "items/s")
}
