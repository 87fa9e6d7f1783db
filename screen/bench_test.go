package screen

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"annex"
)

// benchQueries mixes yente's treated UN positives with its negatives, the
// way a day of screening mixes rare hits with many non-listed parties.
func benchQueries(tb testing.TB, n int) []annex.ScreenQuery {
	tb.Helper()
	pos := readCSV(tb, "names/yente-positives-un-treated.csv")
	neg := readCSV(tb, "names/yente-negatives-global.csv")
	qs := make([]annex.ScreenQuery, 0, n)
	for i := 0; len(qs) < n; i++ {
		r := neg[i%len(neg)]
		if i%10 == 0 {
			r = pos[(i/10)%len(pos)]
		}
		qs = append(qs, annex.ScreenQuery{Name: r["full_name"]})
	}
	return qs
}

// BenchmarkIndexBuild builds the index of every benchmark list.
func BenchmarkIndexBuild(b *testing.B) {
	ents := allLists(b)
	b.ResetTimer()
	for b.Loop() {
		NewIndex(ents, Options{})
	}
	b.ReportMetric(float64(len(ents)), "entities")
}

// BenchmarkSearch times single searches against every benchmark list and
// reports the median and 99th percentile latency.
func BenchmarkSearch(b *testing.B) {
	ents := allLists(b)
	ix := NewIndex(ents, Options{})
	qs := benchQueries(b, 5000)
	lat := make([]time.Duration, 0, 1<<16)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		ix.Search(qs[i%len(qs)], 10)
		lat = append(lat, time.Since(t0))
		i++
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// TestBatch100k screens 100,000 names on one goroutine against every
// benchmark list and reports the time, the latency percentiles and the
// heap. It runs only when asked for: go test -run TestBatch100k -v ./screen
func TestBatch100k(t *testing.T) {
	if !slices.Contains(testingRunFlags(), "TestBatch100k") {
		t.Skip("run explicitly with -run TestBatch100k")
	}
	ents := allLists(t)
	t0 := time.Now()
	ix := NewIndex(ents, Options{})
	build := time.Since(t0)
	names := 0
	for _, e := range ents {
		names += len(e.Names)
	}
	qs := benchQueries(t, 100000)
	lat := make([]time.Duration, len(qs))
	cpu := make([]time.Duration, len(qs))
	hits := 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 = time.Now()
	c0 := threadCPU()
	for i, q := range qs {
		s, c := time.Now(), threadCPU()
		if r := ix.Search(q, 10); len(r.Matches) > 0 && r.Matches[0].Match {
			hits++
		}
		cpu[i] = threadCPU() - c
		lat[i] = time.Since(s)
	}
	total, totalCPU := time.Since(t0), threadCPU()-c0
	slices.Sort(lat)
	slices.Sort(cpu)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("index: %d entities, %d names, built in %v", len(ents), names, build.Round(time.Millisecond))
	t.Logf("batch: %d queries in %v (%d matches); p50 %v, p90 %v, p99 %v, max %v",
		len(qs), total.Round(time.Millisecond), hits, lat[len(lat)/2], lat[len(lat)*9/10], lat[len(lat)*99/100], lat[len(lat)-1])
	t.Logf("thread CPU: %v in all; per query p50 %v, p90 %v, p99 %v, max %v",
		totalCPU.Round(time.Millisecond), cpu[len(cpu)/2], cpu[len(cpu)*9/10], cpu[len(cpu)*99/100], cpu[len(cpu)-1])
	t.Logf("heap in use after GC: %d MB; from the OS: %d MB", ms.HeapInuse>>20, ms.Sys>>20)
	if total > 60*time.Second {
		t.Errorf("100,000 names took %v, want ≤ 60 s", total)
	}
	if build > 2*time.Second {
		t.Errorf("index build took %v, want < 2 s", build)
	}
}
