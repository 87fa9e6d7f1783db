package screen

import (
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"annex"
	"annex/lists"
)

// The real lists, read once per test binary through package lists.
var (
	listsOnce sync.Once
	listsErr  map[string]error
	listsByID map[string][]*annex.ListEntity
)

// listFiles are the benchmark's list files under -screen.data/lists.
var listFiles = map[string][]string{
	"un":   {"un-consolidated-2026-02-27.xml"},
	"ofac": {"ofac-2021/sdn.csv", "ofac-2021/alt.csv", "ofac-2021/add.csv"},
	"dpl":  {"bis-dpl-2024-12-28.txt"},
	"csl":  {"us-csl-format-sample.csv"},
}

// loadList returns the entities of one benchmark list, or skips the test
// when the data is absent.
func loadList(tb testing.TB, name string) []*annex.ListEntity {
	tb.Helper()
	listsOnce.Do(func() {
		listsByID = map[string][]*annex.ListEntity{}
		listsErr = map[string]error{}
	next:
		for id, paths := range listFiles {
			var files []lists.File
			for _, p := range paths {
				data, err := os.ReadFile(filepath.Join(*dataDir, "lists", p))
				if err != nil {
					listsErr[id] = err
					continue next
				}
				files = append(files, lists.File{Name: filepath.Base(p), Data: data})
			}
			_, ents, err := lists.Parse(files...)
			if err != nil {
				listsErr[id] = err
				continue
			}
			listsByID[id] = ents
		}
	})
	if err := listsErr[name]; err != nil {
		tb.Skipf("list %s unavailable: %v", name, err)
	}
	return listsByID[name]
}

// allLists returns the entities of every benchmark list.
func allLists(tb testing.TB) []*annex.ListEntity {
	loadList(tb, "un")
	var all []*annex.ListEntity
	for _, id := range []string{"un", "ofac", "dpl", "csl"} {
		if err := listsErr[id]; err != nil {
			tb.Logf("list %s left out: %v", id, err)
			continue
		}
		all = append(all, listsByID[id]...)
	}
	return all
}

// testingRunFlags returns the -test.run patterns, so that a slow test can
// run only when named.
func testingRunFlags() []string {
	f := flag.Lookup("test.run")
	if f == nil || f.Value.String() == "" {
		return nil
	}
	return []string{f.Value.String()}
}
