package screen

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"annex"
)

var update = flag.Bool("screen.update", false, "rewrite testdata/search-mix.golden")

// httpNames are the queries of cmd/annex's BenchmarkHTTPScreen: listed
// names, variants, other scripts and clean names.
var httpNames = []string{"Kim Jong Un", "Defence Industries Organisation", "Saddam Hussein al-Tikriti",
	"Mohammad Reza Ahmadi", "Acme Bicycle Repairs Ltd", "Korea Mining Development Trading Corporation",
	"Сергей Иванов", "محمد علی", "Shahid Hemmat Industrial Group", "John Smith", "Banco Nacional de Cuba",
	"Aerospace Industries Organization", "Tanchon Commercial Bank", "金正恩", "Islamic Revolutionary Guard Corps",
	"Maria Garcia Lopez"}

// mixEvery keeps every mixEvery-th of yente's negatives in the mix.
const mixEvery = 25

// searchMix returns the query mix of the speed benchmarks, by group: the
// HTTP benchmark's names, yente's 683 treated UN positives and every 25th
// of its 50,000 negatives, all by name only.
func searchMix(tb testing.TB) map[string][]annex.ScreenQuery {
	tb.Helper()
	mix := map[string][]annex.ScreenQuery{}
	for _, n := range httpNames {
		mix["http"] = append(mix["http"], annex.ScreenQuery{Name: n})
	}
	for _, r := range readCSV(tb, "names/yente-positives-un-treated.csv") {
		mix["positives"] = append(mix["positives"], annex.ScreenQuery{Name: r["full_name"]})
	}
	for i, r := range readCSV(tb, "names/yente-negatives-global.csv") {
		if i%mixEvery == 0 {
			mix["negatives"] = append(mix["negatives"], annex.ScreenQuery{Name: r["full_name"]})
		}
	}
	return mix
}

// mixGroups are the groups of searchMix in a fixed order; "all" is their
// union.
var mixGroups = []string{"http", "positives", "negatives"}

// BenchmarkSearchMix times searches (limit 10) of each group of the
// query mix against every benchmark list (UN, OFAC 2021, BIS DPL, the CSL
// sample), and reports the median and 99th percentile latency.
func BenchmarkSearchMix(b *testing.B) {
	ix := NewIndex(allLists(b), Options{})
	mix := searchMix(b)
	for _, g := range mixGroups {
		mix["all"] = append(mix["all"], mix[g]...)
	}
	for _, g := range append(slices.Clone(mixGroups), "all") {
		qs := mix[g]
		b.Run(g, func(b *testing.B) {
			b.ReportAllocs()
			lat := make([]time.Duration, 0, 1<<16)
			i := 0
			for b.Loop() {
				t0 := time.Now()
				ix.Search(qs[i%len(qs)], 10)
				lat = append(lat, time.Since(t0))
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// TestSearchMixPinned pins the results of the query mix (limit 10: source,
// id and score to 3 decimals, in order) to testdata/search-mix.golden, so
// that speed work cannot change them unnoticed. Rewrite the file with
// go test -run TestSearchMixPinned ./screen -screen.update
func TestSearchMixPinned(t *testing.T) {
	ix := NewIndex(allLists(t), Options{})
	mix := searchMix(t)
	var b strings.Builder
	for _, g := range mixGroups {
		for _, q := range mix[g] {
			fmt.Fprintf(&b, "%s %q:", g, q.Name)
			for _, m := range ix.Search(q, 10).Matches {
				fmt.Fprintf(&b, " %s/%s=%.3f", m.Source, m.SourceID, m.Score)
			}
			b.WriteByte('\n')
		}
	}
	path := filepath.Join("testdata", "search-mix.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gotLines, wantLines := strings.Split(b.String(), "\n"), strings.Split(string(want), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("%d result lines, want %d", len(gotLines), len(wantLines))
	}
	bad := 0
	for i := range gotLines {
		if gotLines[i] != wantLines[i] {
			if bad++; bad <= 10 {
				t.Errorf("results differ:\n got %s\nwant %s", gotLines[i], wantLines[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d queries give other results", bad, len(wantLines)-1)
	}
}
