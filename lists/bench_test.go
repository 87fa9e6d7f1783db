package lists_test

import (
	"testing"

	"annex/lists"
)

// benchParse parses real files repeatedly; it skips when they are absent.
func benchParse(b *testing.B, names ...string) {
	var files []lists.File
	var size int64
	for _, n := range names {
		f := realFile(b, n)
		files = append(files, f)
		size += int64(len(f.Data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := lists.Parse(files...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseUN(b *testing.B) { benchParse(b, "un-consolidated-2026-02-27.xml") }

func BenchmarkParseOFAC2021(b *testing.B) {
	benchParse(b, "ofac-2021/sdn.csv", "ofac-2021/alt.csv", "ofac-2021/add.csv")
}

func BenchmarkParseOFAC2024(b *testing.B)  { benchParse(b, "ofac-sdn-2024-05-03.csv") }
func BenchmarkParseDPL(b *testing.B)       { benchParse(b, "bis-dpl-2024-12-28.txt") }
func BenchmarkParseCSLSample(b *testing.B) { benchParse(b, "us-csl-format-sample.csv") }

// BenchmarkParseAll reads every real list at once, as a refresh would: the
// UN list, OFAC's 2024 sdn.csv, the DPL and the CSL sample.
func BenchmarkParseAll(b *testing.B) {
	var files []lists.File
	var size int64
	for _, n := range []string{"un-consolidated-2026-02-27.xml", "ofac-sdn-2024-05-03.csv", "bis-dpl-2024-12-28.txt", "us-csl-format-sample.csv"} {
		f := realFile(b, n)
		files = append(files, f)
		size += int64(len(f.Data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lists.ParseAll(files...); err != nil {
			b.Fatal(err)
		}
	}
}
