package web_test

import (
	"context"
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenPages renders pages from the fixed mock data and compares them
// with testdata/<name>.golden; go test ./web -update rewrites the files.
func TestGoldenPages(t *testing.T) {
	s := MustOpenServer(t)
	v := testVersion()
	s.ControlListService.FindVersionFn = func(context.Context, string) (*annex.ListVersion, error) { return v, nil }
	s.ControlListService.FindEntryByIDFn = func(_ context.Context, _, id string) (*annex.Entry, error) {
		for _, e := range v.Entries {
			if e.ID == id {
				return e, nil
			}
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "entry %q is not in list version mtcr-2024", id)
	}
	s.ControlListService.FindEntriesFn = func(context.Context, annex.EntryFilter) ([]*annex.Entry, int, error) {
		return v.Entries[2:3], 1, nil
	}
	s.ControlListService.ClassifyFn = func(_ context.Context, _ string, items []annex.Item) ([]*annex.Classification, error) {
		return []*annex.Classification{srmClassification(items[0].Name)}, nil
	}
	tests := []struct {
		name   string
		method string
		path   string
		body   string
	}{
		{"home", "GET", "/", ""},
		{"control_list", "GET", "/control-list?q=2.A.1.c", ""},
		{"entry", "GET", "/control-list/2.A.1.c", ""},
		{"classify_form", "GET", "/classify?kind=solid_rocket_motor", ""},
		{"classify_result", "POST", "/classify", url.Values{"kind": {"solid_rocket_motor"}, "name": {"SRM-7 motor"}, "params.total_impulse_ns": {"1.2e6"}}.Encode()},
		{"not_found", "GET", "/control-list/9.Z", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, tt.method, tt.path, tt.body, form...)
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
				t.Fatalf("Status=%v; body:\n%s", resp.StatusCode, resp.Body)
			}
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(resp.Body), 0o644); err != nil {
					t.Fatalf("write golden file: %v", err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run go test ./web -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), resp.Body); diff != "" {
				t.Fatalf("%s mismatch (-want +got):\n%s", golden, diff)
			}
		})
	}
}
