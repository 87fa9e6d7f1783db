package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// Entity hashes of the fixture's hits.
var (
	orionHash  = strings.Repeat("a1", 32)
	tradeHash  = strings.Repeat("b2", 32)
	earlyHash  = strings.Repeat("c3", 32)
	fixedClock = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
)

// orionResult is the screening of "Orion Rocket Works": a match on an
// original-script name of a UN entry, and a weaker OFAC entry below the
// threshold. The entities are invented.
func orionResult(query string) *annex.ScreenResult {
	return &annex.ScreenResult{Query: query, Matches: []annex.ScreenMatch{
		{
			Source: annex.SourceUN, SourceID: "KPe.901", Name: "Orion Rocket Works", MatchedName: "오리온 로케트 공장",
			Score: 0.97, Match: true,
			Explanation: []annex.ScorePiece{
				{Factor: "name", Score: 0.95, Detail: "original-script name 오리온 로케트 공장 (orion roketeu gongjang) ~ orion rocket works"},
				{Factor: "country", Score: 0.02, Detail: "KP is a country of the entity"},
				{Factor: "final", Score: 0.97, Detail: "sum of the pieces, clamped to [0,1]; match at ≥ 0.86"},
			},
			Type: annex.EntityOrganization, Programs: []string{"DPRK"}, Countries: []string{"KP"},
			SourceList: "", EntityHash: orionHash,
		},
		{
			Source: annex.SourceOFACSDN, SourceID: "90210", Name: "ORION TRADING LIMITED", MatchedName: "ORION TRADING LIMITED",
			Score: 0.71, Match: false,
			Explanation: []annex.ScorePiece{
				{Factor: "name", Score: 0.71, Detail: "orion = orion; rocket ~ trading 0.00; works unmatched"},
				{Factor: "final", Score: 0.71, Detail: "sum of the pieces, clamped to [0,1]; match at ≥ 0.86"},
			},
			Type: annex.EntityOrganization, Programs: []string{"NPWMD"}, Countries: []string{"HK", "KP"},
			SourceList: "SDN List", EntityHash: tradeHash,
		},
	}}
}

// withScreen makes the screening mock answer every query with orionResult.
func (s *Server) withScreen() {
	s.ScreenService.ScreenFn = func(_ context.Context, q annex.ScreenQuery, _ float64, _ int) (*annex.ScreenResult, error) {
		return orionResult(q.Name), nil
	}
}

// noList is the screening service's answer when no list is loaded.
func noList(context.Context, annex.ScreenQuery, float64, int) (*annex.ScreenResult, error) {
	return nil, annex.Errorf(annex.ECONFLICT, "No screening list is loaded; load one with annex lists load.")
}

func TestScreenAPI(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ScreenService.ScreenFn = func(ctx context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
			want := annex.ScreenQuery{Name: "Orion Rocket Works", Type: annex.EntityOrganization, Country: "KP", DOB: "1998", ID: "R-77"}
			if diff := cmp.Diff(want, q); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
			if threshold != 0.9 || limit != 5 {
				t.Errorf("threshold=%v limit=%v, want 0.9 and 5", threshold, limit)
			}
			if u := annex.UserFromContext(ctx); u != nil {
				t.Errorf("user=%v, want none", u)
			}
			return orionResult(q.Name), nil
		}
		resp := s.Do(t, "GET", "/api/v1/screen?name=+Orion+Rocket+Works+&type=organization&country=kp&dob=1998&id=R-77&threshold=0.9&limit=5", "")
		mustStatus(t, resp, http.StatusOK)
		var got annex.ScreenResult
		mustDecode(t, resp, &got)
		if diff := cmp.Diff(orionResult("Orion Rocket Works"), &got); diff != "" {
			t.Fatalf("result mismatch (-want +got):\n%s", diff)
		}
		mustContain(t, resp.Body, `"query":"Orion Rocket Works"`, `"source":"un"`, `"source_id":"KPe.901"`,
			`"matched_name":"오리온 로케트 공장"`, `"match":true`, `"explanation":[{"factor":"name","score":0.95,`,
			`"source_list":"SDN List"`, `"entity_hash":"`+orionHash+`"`, `match at ≥ 0.86`)
		if got, want := resp.Header.Get("Cache-Control"), "no-store"; got != want {
			t.Fatalf("Cache-Control=%q, want %q", got, want)
		}
	})

	t.Run("Defaults", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ScreenService.ScreenFn = func(_ context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
			if threshold != 0 || limit != 10 {
				t.Errorf("threshold=%v limit=%v, want 0 (the default) and 10", threshold, limit)
			}
			return &annex.ScreenResult{Query: q.Name}, nil
		}
		resp := s.Do(t, "GET", "/api/v1/screen?name=Nobody+Known", "")
		mustStatus(t, resp, http.StatusOK)
		if got, want := resp.Body, `{"query":"Nobody Known","matches":[]}`+"\n"; got != want {
			t.Fatalf("body=%q, want %q", got, want)
		}
	})

	t.Run("NoList", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ScreenService.ScreenFn = noList
		p := mustProblem(t, s.Do(t, "GET", "/api/v1/screen?name=Orion", ""), http.StatusConflict)
		if p.Code != annex.ECONFLICT || p.Detail != "No screening list is loaded; load one with annex lists load." {
			t.Fatalf("problem=%+v", p)
		}
	})

	t.Run("BearerToken", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		s.withScreen()
		mustStatus(t, s.Do(t, "GET", "/api/v1/screen?name=Orion", "", "Authorization", "Bearer officer-token"), http.StatusOK)
	})
}

func TestScreenAPIErrors(t *testing.T) {
	s := MustOpenServer(t)
	tests := []struct {
		name   string
		query  string
		fields []string
	}{
		{"NoName", "", []string{"name"}},
		{"BlankName", "name=++", []string{"name"}},
		{"UnknownParameters", "name=Orion&contry=KP&nmae=x", []string{"contry", "nmae"}},
		{"Repeated", "name=Orion&name=Works", []string{"name"}},
		{"Type", "name=Orion&type=ship", []string{"type"}},
		{"Country", "name=Orion&country=Korea", []string{"country"}},
		{"DOB", "name=Orion&dob=1998/01", []string{"dob"}},
		{"ThresholdHigh", "name=Orion&threshold=1.5", []string{"threshold"}},
		{"ThresholdWord", "name=Orion&threshold=high", []string{"threshold"}},
		{"ThresholdNaN", "name=Orion&threshold=NaN", []string{"threshold"}},
		{"LimitZero", "name=Orion&limit=0", []string{"limit"}},
		{"LimitHigh", "name=Orion&limit=101", []string{"limit"}},
		{"Several", "limit=x", []string{"name", "limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "GET", "/api/v1/screen?"+tt.query, ""), http.StatusUnprocessableEntity)
			var fields []string
			for _, fe := range p.Errors {
				fields = append(fields, fe.Field)
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Fatalf("fields mismatch (-want +got):\n%s\n%+v", diff, p)
			}
			if p.Field != tt.fields[0] || p.Code != annex.EINVALID {
				t.Fatalf("problem=%+v", p)
			}
		})
	}
}

func TestScreenBatchAPI(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := MustOpenServer(t)
		var names []string
		s.ScreenService.ScreenFn = func(_ context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
			if threshold != 0.8 || limit != 3 {
				t.Errorf("threshold=%v limit=%v, want 0.8 and 3", threshold, limit)
			}
			names = append(names, q.Name)
			if q.Name == "Nobody" {
				return &annex.ScreenResult{Query: q.Name}, nil
			}
			return orionResult(q.Name), nil
		}
		body := `{"queries": [{"name": "Orion Rocket Works", "type": "organization", "country": "kp"}, {"name": "Nobody"}, {"name": "Orion", "dob": "1998", "id": "R-77"}], "threshold": 0.8, "limit": 3}`
		resp := s.Do(t, "POST", "/api/v1/screen", body)
		mustStatus(t, resp, http.StatusOK)
		var got struct {
			Results []*annex.ScreenResult `json:"results"`
		}
		mustDecode(t, resp, &got)
		want := []*annex.ScreenResult{orionResult("Orion Rocket Works"), {Query: "Nobody", Matches: []annex.ScreenMatch{}}, orionResult("Orion")}
		if diff := cmp.Diff(want, got.Results); diff != "" {
			t.Fatalf("results mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"Orion Rocket Works", "Nobody", "Orion"}, names); diff != "" {
			t.Fatalf("screened (-want +got):\n%s", diff)
		}
	})

	t.Run("Defaults", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ScreenService.ScreenFn = func(_ context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
			if threshold != 0 || limit != 10 {
				t.Errorf("threshold=%v limit=%v, want 0 and 10", threshold, limit)
			}
			return orionResult(q.Name), nil
		}
		mustStatus(t, s.Do(t, "POST", "/api/v1/screen", `{"queries": [{"name": "Orion"}]}`), http.StatusOK)
	})

	t.Run("NoList", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ScreenService.ScreenFn = noList
		mustProblem(t, s.Do(t, "POST", "/api/v1/screen", `{"queries": [{"name": "Orion"}]}`), http.StatusConflict)
	})

	many := func(n int) string {
		qs := make([]string, n)
		for i := range qs {
			qs[i] = fmt.Sprintf(`{"name": "Party %d"}`, i)
		}
		return `{"queries": [` + strings.Join(qs, ",") + `]}`
	}
	s := MustOpenServer(t)
	tests := []struct {
		name   string
		body   string
		fields []string
	}{
		{"NoName", `{"queries": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"country": "KP"}]}`, []string{"queries[3].name"}},
		{"BadCountry", `{"queries": [{"name": "a"}, {"name": "b", "country": "Korea"}]}`, []string{"queries[1].country"}},
		{"BadID", `{"queries": [{"name": "a", "id": "` + strings.Repeat("9", 101) + `"}]}`, []string{"queries[0].id"}},
		{"UnknownField", `{"queries": [{"name": "a", "nationality": "KP"}]}`, []string{"nationality"}},
		{"UnknownTopField", `{"queries": [{"name": "a"}], "treshold": 0.8}`, []string{"treshold"}},
		{"NoQueries", `{"queries": []}`, []string{"queries"}},
		{"Empty", `{}`, []string{"queries"}},
		{"TooMany", many(1001), []string{"queries"}},
		{"Threshold", `{"queries": [{"name": "a"}], "threshold": 1.2}`, []string{"threshold"}},
		{"Limit", `{"queries": [{"name": "a"}], "limit": 101}`, []string{"limit"}},
		{"WrongType", `{"queries": [{"name": 7}]}`, []string{"queries.name"}},
		{"Malformed", `{"queries": [`, []string{""}},
		{"UnknownQuery", `{"queries": [{"name": "a"}]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/api/v1/screen"
			if tt.fields == nil {
				path, tt.fields = path+"?limit=3", []string{"limit"}
			}
			p := mustProblem(t, s.Do(t, "POST", path, tt.body), http.StatusUnprocessableEntity)
			var fields []string
			for _, fe := range p.Errors {
				fields = append(fields, fe.Field)
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Fatalf("fields mismatch (-want +got):\n%s\n%+v", diff, p)
			}
		})
	}
	t.Run("Largest", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withScreen()
		resp := s.Do(t, "POST", "/api/v1/screen", many(1000))
		mustStatus(t, resp, http.StatusOK)
		var got struct {
			Results []*annex.ScreenResult `json:"results"`
		}
		mustDecode(t, resp, &got)
		if len(got.Results) != 1000 || got.Results[999].Query != "Party 999" {
			t.Fatalf("%d results, the last for %q", len(got.Results), got.Results[len(got.Results)-1].Query)
		}
	})
}

// testSnapshots are two loaded lists.
func testSnapshots() []*annex.ListSnapshot {
	return []*annex.ListSnapshot{
		{ID: 7, Source: annex.SourceUN, Format: "un-xml", Files: []string{"consolidated.xml"}, Published: "2026-11-20",
			LoadedAt: fixedClock, SHA256: strings.Repeat("d4", 32), Entities: 1004, Names: 2871},
		{ID: 6, Source: annex.SourceOFACSDN, Format: "ofac-sdn-csv", Files: []string{"sdn.csv", "alt.csv", "add.csv"},
			LoadedAt: fixedClock.Add(-time.Hour), SHA256: strings.Repeat("e5", 32), Entities: 17940, Names: 35112},
	}
}

func TestListsAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.ListStore.FindSnapshotsFn = func(_ context.Context, f annex.ListSnapshotFilter) ([]*annex.ListSnapshot, int, error) {
		if !f.ActiveOnly || f.Source != nil {
			t.Errorf("filter=%+v, want the active snapshots of every source", f)
		}
		return testSnapshots(), 2, nil
	}
	resp := s.Do(t, "GET", "/api/v1/lists", "")
	mustStatus(t, resp, http.StatusOK)
	var got []*annex.ListSnapshot
	mustDecode(t, resp, &got)
	if diff := cmp.Diff(testSnapshots(), got); diff != "" {
		t.Fatalf("lists mismatch (-want +got):\n%s", diff)
	}

	t.Run("None", func(t *testing.T) {
		s.ListStore.FindSnapshotsFn = func(context.Context, annex.ListSnapshotFilter) ([]*annex.ListSnapshot, int, error) {
			return nil, 0, nil
		}
		resp := s.Do(t, "GET", "/api/v1/lists", "")
		mustStatus(t, resp, http.StatusOK)
		if resp.Body != "[]\n" {
			t.Fatalf("body=%q, want []", resp.Body)
		}
	})
	t.Run("UnknownQuery", func(t *testing.T) {
		mustProblem(t, s.Do(t, "GET", "/api/v1/lists?source=un", ""), http.StatusUnprocessableEntity)
	})
}
