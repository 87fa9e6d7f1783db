package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/controllist"
	"annex/web"
)

func TestClassifyAPI(t *testing.T) {
	t.Run("OneItem", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ControlListService.ClassifyFn = func(_ context.Context, version string, items []annex.Item) ([]*annex.Classification, error) {
			if version != "" {
				t.Errorf("version=%q, want the version in force", version)
			}
			if len(items) != 1 || items[0].Kind != "solid_rocket_motor" || items[0].Name != "SRM-7 motor" {
				t.Errorf("items=%+v", items)
			}
			return []*annex.Classification{srmClassification(items[0].Name)}, nil
		}
		resp := s.Do(t, "POST", "/api/v1/classify", `{"name": "SRM-7 motor", "kind": "solid_rocket_motor", "params": {"total_impulse_ns": 1.2e6}}`)
		mustStatus(t, resp, http.StatusOK)
		var got annex.Classification
		mustDecode(t, resp, &got)
		if diff := cmp.Diff(srmClassification("SRM-7 motor"), &got); diff != "" {
			t.Fatalf("classification mismatch (-want +got):\n%s", diff)
		}
		mustContain(t, resp.Body, `"op":">="`, `≥`)
	})

	t.Run("Array", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ControlListService.ClassifyFn = func(_ context.Context, version string, items []annex.Item) ([]*annex.Classification, error) {
			if version != "mtcr-2024" {
				t.Errorf("version=%q, want mtcr-2024", version)
			}
			out := make([]*annex.Classification, len(items))
			for i, it := range items {
				out[i] = srmClassification(it.Name)
			}
			return out, nil
		}
		resp := s.Do(t, "POST", "/api/v1/classify?version=mtcr-2024", `[{"name":"a","kind":"solid_rocket_motor"},{"name":"b","kind":"solid_rocket_motor"}]`)
		mustStatus(t, resp, http.StatusOK)
		var got []*annex.Classification
		mustDecode(t, resp, &got)
		want := []*annex.Classification{srmClassification("a"), srmClassification("b")}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("classifications mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("InternalError", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ControlListService.ClassifyFn = func(context.Context, string, []annex.Item) ([]*annex.Classification, error) {
			return nil, &annex.Error{Code: annex.EINTERNAL, Message: "secret detail", Err: context.DeadlineExceeded}
		}
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/classify", `{"kind":"solid_rocket_motor"}`), http.StatusInternalServerError)
		want := web.Problem{Type: "about:blank", Title: "Internal Server Error", Status: 500, Detail: "Internal error.", Code: annex.EINTERNAL}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Fatalf("problem mismatch (-want +got):\n%s", diff)
		}
		mustContain(t, s.Log.String(), "http error", "secret detail", "path=/api/v1/classify")
	})
}

// TestClassifyAPIErrors checks the 422 answers, with the real classifier so
// that the field paths are the ones clients will see.
func TestClassifyAPIErrors(t *testing.T) {
	s := MustOpenServer(t, func(s *Server) { s.Server.ControlListService = mustControlList(t) })
	tests := []struct {
		name   string
		query  string
		body   string
		status int
		field  string
		errors []annex.FieldError
	}{
		{name: "UnknownKind", body: `{"kind":"solid_rocket_motr"}`, status: 422, field: "kind"},
		{name: "UnknownParameter", body: `{"kind":"solid_rocket_motor","params":{"total_impulse":1.2e6}}`, status: 422, field: "params.total_impulse"},
		{name: "WrongType", body: `{"kind":"solid_rocket_motor","params":{"total_impulse_ns":"big"}}`, status: 422, field: "params.total_impulse_ns",
			errors: []annex.FieldError{{Field: "params.total_impulse_ns", Message: "must be a number (N·s), got string"}}},
		{name: "NegativeMass", body: `{"kind":"rocket_system","params":{"range_km":300,"payload_kg":-5}}`, status: 422, field: "params.payload_kg",
			errors: []annex.FieldError{{Field: "params.payload_kg", Message: "must not be negative, got -5"}}},
		{name: "ArrayPath", body: `[{"kind":"solid_rocket_motor"},{"kind":"solid_rocket_motor"},{"kind":"solid_rocket_motor","params":{"x":1}}]`, status: 422, field: "[2].params.x"},
		{name: "UnknownField", body: `{"kind":"solid_rocket_motor","colour":"red"}`, status: 422, field: "colour"},
		{name: "MalformedJSON", body: "{\"kind\":\n  \"solid_rocket_motor\",,}", status: 422,
			errors: []annex.FieldError{{Message: "malformed JSON at line 2, column 24: invalid character ',' looking for beginning of object key string"}}},
		{name: "Empty", body: ``, status: 422},
		{name: "NotAnObject", body: `42`, status: 422},
		{name: "UnknownQuery", query: "?verison=mtcr-2024", body: `{"kind":"solid_rocket_motor"}`, status: 422, field: "verison"},
		{name: "UnknownVersion", query: "?version=mtcr-1987", body: `{"kind":"solid_rocket_motor"}`, status: 404},
		{name: "TooLarge", body: `{"name":"` + strings.Repeat("x", 11<<20) + `"}`, status: 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "POST", "/api/v1/classify"+tt.query, tt.body), tt.status)
			if p.Status != tt.status || p.Type != "about:blank" || p.Detail == "" || p.Title != http.StatusText(tt.status) {
				t.Fatalf("problem=%+v", p)
			}
			if got, want := p.Field, tt.field; got != want {
				t.Fatalf("Field=%q, want %q (%+v)", got, want, p)
			}
			if tt.errors != nil {
				if diff := cmp.Diff(tt.errors, p.Errors); diff != "" {
					t.Fatalf("errors mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// mustControlList returns the real control-list service with the built-in
// versions, which also analyses missiles.
func mustControlList(tb testing.TB) *controllist.Service {
	tb.Helper()
	vs, err := controllist.BuiltIn()
	if err != nil {
		tb.Fatalf("BuiltIn: %v", err)
	}
	svc, err := controllist.NewService(vs...)
	if err != nil {
		tb.Fatalf("NewService: %v", err)
	}
	return svc
}

func TestClassifyPageMock(t *testing.T) {
	s := MustOpenServer(t)
	s.ControlListService.FindVersionFn = func(context.Context, string) (*annex.ListVersion, error) { return testVersion(), nil }
	s.ControlListService.ClassifyFn = func(_ context.Context, version string, items []annex.Item) ([]*annex.Classification, error) {
		want := []annex.Item{{Name: "SRM-7", Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": 1.2e6, "satellite_use": false}}}
		if diff := cmp.Diff(want, items); diff != "" {
			t.Errorf("items mismatch (-want +got):\n%s", diff)
		}
		return []*annex.Classification{srmClassification("SRM-7")}, nil
	}
	tests := []struct {
		name      string
		form      url.Values
		status    int
		fragments []string
	}{
		{"Classified", url.Values{"kind": {"solid_rocket_motor"}, "name": {"SRM-7"}, "params.total_impulse_ns": {"1.2e6"}, "params.satellite_use": {"false"}},
			200, []string{`id="verdict">Controlled: Category I</p>`, `<p class="reason">total_impulse_ns 1.2e6 N·s ≥ 1.1e6 N·s</p>`, `href="/control-list/2.A.1.c"`, `value="1.2e6"`}},
		{"NotANumber", url.Values{"kind": {"solid_rocket_motor"}, "params.total_impulse_ns": {"lots"}},
			422, []string{`id="param-total_impulse_ns-error">must be a number, as 1.2e6 or 1200000</p>`, `value="lots"`, `aria-invalid="true"`}},
		{"NotABoolean", url.Values{"kind": {"solid_rocket_motor"}, "params.satellite_use": {"maybe"}},
			422, []string{`id="param-satellite_use-error">must be true or false</p>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, "POST", "/classify", tt.form.Encode(), form...)
			mustStatus(t, resp, tt.status)
			mustContain(t, resp.Body, tt.fragments...)
		})
	}
}

// rocketClassification is the classification of Scud-B given by its
// stages, as the classifier reports it: the capability without its curve,
// its trajectory samples and the heaviest payload to 300 km.
func rocketClassification() *annex.Classification {
	c := scudCapability()
	c.Curve, c.Trajectory.Points, c.PayloadAt300kmKg = nil, nil, nil
	return &annex.Classification{
		Name: "Scud-B", Kind: "rocket_system", Status: annex.StatusControlled, Controlled: true, Category: annex.CategoryI,
		ListVersion: "mtcr-2024", Summary: "Controlled, Category I, under 1.A.1 (Complete rocket systems).",
		Entries: []annex.Match{{ID: "1.A.1", Category: annex.CategoryI, Title: "Complete rocket systems",
			Reason: "range_km 441.6 km ≥ 300 km; payload_kg 500 kg ≥ 500 kg"}},
		NearMisses: []annex.NearMiss{},
		Notes: []annex.Note{
			{Type: annex.NoteCapability, Text: "From the flight model: " + c.Reason},
			{Type: annex.NoteAssumed, Entry: "1.A.1", Text: "designed_for_range_km was not given and is taken to be the range."},
		},
		Capability: c,
	}
}

func TestClassifyPageCapability(t *testing.T) {
	s := MustOpenServer(t)
	s.ControlListService.FindVersionFn = func(context.Context, string) (*annex.ListVersion, error) { return testVersion(), nil }
	s.ControlListService.ClassifyFn = func(_ context.Context, _ string, items []annex.Item) ([]*annex.Classification, error) {
		if len(items) != 1 || items[0].Missile == nil {
			t.Errorf("items=%+v, want one with a missile", items)
		}
		return []*annex.Classification{rocketClassification()}, nil
	}
	item := `{"name": "Scud-B", "kind": "rocket_system", "missile": ` + scudJSON + `}`
	resp := s.Do(t, "POST", "/classify", url.Values{"json": {item}}.Encode(), form...)
	mustStatus(t, resp, http.StatusOK)
	missile, err := json.Marshal(scudMissile())
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, resp.Body,
		`<h4>Flight model: Category I under 1.A.1</h4>`,
		`<dd data-key="range_km">296.5 km</dd>`,
		`<dd data-key="range_at_500kg_km">441.6 km</dd>`,
		`<input type="hidden" name="json" value="`+strings.ReplaceAll(string(missile), `"`, "&#34;")+`">`,
		`<button type="submit" class="link-button">See the full analysis</button>`,
		`<li class="note note-capability"><span class="note-type">Flight model</span> From the flight model: Category I (1.A.1)`,
		`<li class="note note-assumed"><span class="note-type">Assumed value</span> <a href="/control-list/1.A.1">1.A.1</a>: designed_for_range_km`)

	// The link posts the missile to the capability page, which analyses it.
	s.CapabilityService.CapabilityFn = func(_ context.Context, m *annex.Missile) (*annex.Capability, error) {
		if diff := cmp.Diff(scudMissile(), m); diff != "" {
			t.Errorf("missile mismatch (-want +got):\n%s", diff)
		}
		return scudCapability(), nil
	}
	resp = s.Do(t, "POST", "/capability", url.Values{"json": {string(missile)}}.Encode(), form...)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, resp.Body, `id="tradeoff-chart"`)
}
