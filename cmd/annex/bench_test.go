package main

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchNames are the queries of the HTTP benchmark: listed names, variants,
// other scripts and clean names.
var benchNames = []string{"Kim Jong Un", "Defence Industries Organisation", "Saddam Hussein al-Tikriti",
	"Mohammad Reza Ahmadi", "Acme Bicycle Repairs Ltd", "Korea Mining Development Trading Corporation",
	"Сергей Иванов", "محمد علی", "Shahid Hemmat Industrial Group", "John Smith", "Banco Nacional de Cuba",
	"Aerospace Industries Organization", "Tanchon Commercial Bank", "金正恩", "Islamic Revolutionary Guard Corps",
	"Maria Garcia Lopez"}

// realLists returns the list files of ../shared/data, or skips.
func realLists(tb testing.TB) []string {
	dir := filepath.Join("..", "..", "..", "shared", "data", "lists")
	files := []string{
		filepath.Join(dir, "un-consolidated-2026-02-27.xml"),
		filepath.Join(dir, "ofac-2021", "sdn.csv"), filepath.Join(dir, "ofac-2021", "alt.csv"), filepath.Join(dir, "ofac-2021", "add.csv"),
		filepath.Join(dir, "bis-dpl-2024-12-28.txt"), filepath.Join(dir, "us-csl-format-sample.csv"),
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			tb.Skipf("shared list data not present: %v", err)
		}
	}
	return files
}

// BenchmarkHTTPScreen measures GET /api/v1/screen over loopback with 8
// concurrent clients, against the OFAC 2021 files, the UN list, BIS Denied
// Persons and the CSL sample, as `annex serve` loads them. It reports
// requests per second and the latency percentiles.
func BenchmarkHTTPScreen(b *testing.B) {
	files := realLists(b)
	dir := b.TempDir()
	if code, out, errOut := runCLI(&testing.T{}, "", nil, append([]string{"lists", "import", "-data", dir}, files...)...); code != exitOK {
		b.Fatalf("import: %s%s", out, errOut)
	}
	m, _ := MustRunMain(b, dir)
	base := m.Server.URL() + "/api/v1/screen?name="
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var mine []time.Duration
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					break
				}
				t0 := time.Now()
				resp, err := client.Get(base + url.QueryEscape(benchNames[int(i)%len(benchNames)]))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}
