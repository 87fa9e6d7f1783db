package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/web"
)

// entriesServer opens a server whose FindEntries records its filter in
// *got and answers from testVersion.
func entriesServer(t *testing.T, got *annex.EntryFilter) *Server {
	s := MustOpenServer(t)
	v := testVersion()
	s.ControlListService.FindEntriesFn = func(_ context.Context, f annex.EntryFilter) ([]*annex.Entry, int, error) {
		*got = f
		switch {
		case f.Version == "mtcr-1987":
			return nil, 0, annex.Errorf(annex.ENOTFOUND, "list version %q not found", f.Version)
		case f.Kind == "warp_drive":
			return nil, 0, annex.Invalid(annex.FieldError{Field: "kind", Message: `unknown kind "warp_drive"`})
		case f.Query == "nothing":
			return nil, 0, nil
		}
		return v.Entries[2:3], 1, nil
	}
	s.ControlListService.FindVersionsFn = func(context.Context) ([]*annex.ListVersionInfo, error) {
		return []*annex.ListVersionInfo{testInfo()}, nil
	}
	return s
}

func TestEntriesAPI(t *testing.T) {
	var gotFilter annex.EntryFilter
	s := entriesServer(t, &gotFilter)
	v := testVersion()

	t.Run("Search", func(t *testing.T) {
		resp := s.Do(t, "GET", "/api/v1/control-list?q=2.A.1&param=total_impulse_ns&kind=solid_rocket_motor&category=I&offset=5&limit=10", "")
		mustStatus(t, resp, http.StatusOK)
		var got struct {
			Version *annex.ListVersionInfo `json:"version"`
			Total   int                    `json:"total"`
			Entries []*annex.Entry         `json:"entries"`
		}
		mustDecode(t, resp, &got)
		wantFilter := annex.EntryFilter{Query: "2.A.1", Param: "total_impulse_ns", Kind: "solid_rocket_motor", Category: annex.CategoryI, Offset: 5, Limit: 10}
		if diff := cmp.Diff(wantFilter, gotFilter); diff != "" {
			t.Fatalf("filter mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(testInfo(), got.Version); diff != "" {
			t.Fatalf("version mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(v.Entries[2:3], got.Entries); diff != "" {
			t.Fatalf("entries mismatch (-want +got):\n%s", diff)
		}
		if got.Total != 1 {
			t.Fatalf("Total=%v, want %v", got.Total, 1)
		}
	})

	t.Run("DefaultLimit", func(t *testing.T) {
		mustStatus(t, s.Do(t, "GET", "/api/v1/control-list", ""), http.StatusOK)
		if got, want := gotFilter.Limit, 100; got != want {
			t.Fatalf("Limit=%v, want %v", got, want)
		}
	})

	t.Run("NoMatch", func(t *testing.T) {
		resp := s.Do(t, "GET", "/api/v1/control-list?q=nothing", "")
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"total":0,"entries":[]`)
	})
}

func TestEntriesAPIErrors(t *testing.T) {
	var gotFilter annex.EntryFilter
	s := entriesServer(t, &gotFilter)
	errs := []struct {
		name   string
		query  string
		status int
		field  string
	}{
		{"UnknownParameter", "?q=2.A&colour=red", 422, "colour"},
		{"Repeated", "?q=2.A&q=3.A", 422, "q"},
		{"LimitTooLarge", "?limit=1001", 422, "limit"},
		{"LimitNotANumber", "?limit=ten", 422, "limit"},
		{"NegativeOffset", "?offset=-1", 422, "offset"},
		{"BadCategory", "?category=III", 422, "category"},
		{"UnknownKind", "?kind=warp_drive", 422, "kind"},
		{"UnknownVersion", "?version=mtcr-1987", 404, ""},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "GET", "/api/v1/control-list"+tt.query, ""), tt.status)
			if got, want := p.Field, tt.field; got != want {
				t.Fatalf("Field=%q, want %q (%+v)", got, want, p)
			}
		})
	}

	t.Run("UnknownParameterDetail", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "GET", "/api/v1/control-list?colour=red", ""), 422)
		want := web.Problem{
			Type: "about:blank", Title: "Unprocessable Entity", Status: 422, Code: annex.EINVALID, Field: "colour",
			Detail: "colour: unknown query parameter (allowed: q, param, kind, category, version, offset, limit)",
			Errors: []annex.FieldError{{Field: "colour", Message: "unknown query parameter (allowed: q, param, kind, category, version, offset, limit)"}},
		}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Fatalf("problem mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestEntryAPI(t *testing.T) {
	s := MustOpenServer(t)
	v := testVersion()
	s.ControlListService.FindEntryByIDFn = func(_ context.Context, version, id string) (*annex.Entry, error) {
		if version != "" && version != "mtcr-2024" {
			return nil, annex.Errorf(annex.ENOTFOUND, "list version %q not found", version)
		}
		for _, e := range v.Entries {
			if e.ID == id {
				return e, nil
			}
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "entry %q is not in list version mtcr-2024", id)
	}
	t.Run("Found", func(t *testing.T) {
		resp := s.Do(t, "GET", "/api/v1/control-list/2.A.1.c?version=mtcr-2024", "")
		mustStatus(t, resp, http.StatusOK)
		var got annex.Entry
		mustDecode(t, resp, &got)
		if diff := cmp.Diff(v.Entries[2], &got); diff != "" {
			t.Fatalf("entry mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "GET", "/api/v1/control-list/9.Z", ""), http.StatusNotFound)
		want := web.Problem{Type: "about:blank", Title: "Not Found", Status: 404, Code: annex.ENOTFOUND,
			Detail: `entry "9.Z" is not in list version mtcr-2024`}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Fatalf("problem mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("UnknownQuery", func(t *testing.T) {
		mustProblem(t, s.Do(t, "GET", "/api/v1/control-list/2.A.1.c?lang=fr", ""), 422)
	})
}

func TestVersionsAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.ControlListService.FindVersionsFn = func(context.Context) ([]*annex.ListVersionInfo, error) {
		return []*annex.ListVersionInfo{testInfo()}, nil
	}
	resp := s.Do(t, "GET", "/api/v1/control-list/versions", "")
	mustStatus(t, resp, http.StatusOK)
	var got []*annex.ListVersionInfo
	mustDecode(t, resp, &got)
	if diff := cmp.Diff([]*annex.ListVersionInfo{testInfo()}, got); diff != "" {
		t.Fatalf("versions mismatch (-want +got):\n%s", diff)
	}
	mustProblem(t, s.Do(t, "GET", "/api/v1/control-list/versions?all=1", ""), 422)
}

func TestKindsAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.ControlListService.FindVersionFn = func(_ context.Context, id string) (*annex.ListVersion, error) {
		if id != "" && id != "mtcr-2024" {
			return nil, annex.Errorf(annex.ENOTFOUND, "list version %q not found", id)
		}
		return testVersion(), nil
	}
	tests := []struct {
		name   string
		query  string
		status int
	}{
		{"InForce", "", 200},
		{"Version", "?version=mtcr-2024", 200},
		{"UnknownVersion", "?version=mtcr-1987", 404},
		{"UnknownQuery", "?kind=x", 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, "GET", "/api/v1/kinds"+tt.query, "")
			if tt.status != http.StatusOK {
				mustProblem(t, resp, tt.status)
				return
			}
			mustStatus(t, resp, http.StatusOK)
			var got struct {
				Version string        `json:"version"`
				Kinds   []*annex.Kind `json:"kinds"`
			}
			mustDecode(t, resp, &got)
			if diff := cmp.Diff(testVersion().Kinds, got.Kinds); diff != "" {
				t.Fatalf("kinds mismatch (-want +got):\n%s", diff)
			}
			if got.Version != "mtcr-2024" {
				t.Fatalf("Version=%q, want %q", got.Version, "mtcr-2024")
			}
		})
	}
}
