package controllist_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/controllist"
)

// TestBuiltIn checks the shape of the built-in Annex: items 1 to 20, their
// categories, reserved items, a matcher on every leaf, known sources.
func TestBuiltIn(t *testing.T) {
	vs, err := controllist.BuiltIn()
	if err != nil {
		t.Fatalf("BuiltIn: %v", err)
	}
	if len(vs) == 0 {
		t.Fatal("no built-in version")
	}
	v := vs[0]
	sources := map[string]bool{}
	for _, s := range v.Sources {
		sources[s.Key] = true
	}
	byID := map[string]*annex.Entry{}
	for _, e := range v.Entries {
		byID[e.ID] = e
	}
	for item := 1; item <= 20; item++ {
		id := fmt.Sprint(item)
		e := byID[id]
		if e == nil {
			t.Errorf("item %s is missing", id)
			continue
		}
		reserved := item == 5 || item == 7 || item == 8
		if e.Reserved != reserved {
			t.Errorf("item %s: Reserved=%v, want %v", id, e.Reserved, reserved)
		}
		if !reserved && len(e.Children) == 0 {
			t.Errorf("item %s has no sub-entries", id)
		}
	}
	keyRE := regexp.MustCompile(`\bS\d+[a-z]?\b`)
	for _, e := range v.Entries {
		item := strings.SplitN(e.ID, ".", 2)[0]
		want := annex.CategoryII
		switch {
		case item == "1" || item == "2":
			want = annex.CategoryI
		case e.Reserved:
			want = ""
		}
		if e.Category != want {
			t.Errorf("%s: Category=%q, want %q", e.ID, e.Category, want)
		}
		keys := keyRE.FindAllString(e.Source, -1)
		if len(keys) == 0 {
			t.Errorf("%s: Source=%q cites no source key", e.ID, e.Source)
		}
		for _, k := range keys {
			if !sources[k] {
				t.Errorf("%s: source %s is not in the version's sources", e.ID, k)
			}
		}
		leaf := len(e.Children) == 0 && !e.Reserved && !strings.HasPrefix(e.Description, "None")
		if leaf && len(e.Match) == 0 && strings.Count(e.ID, ".") >= 2 && !isParagraph(v, e.ID) {
			t.Errorf("%s is a leaf entry without a matcher: no item can fall under it", e.ID)
		}
	}
}

// isParagraph reports whether some matcher stands for the entry as a
// numbered paragraph of its parent.
func isParagraph(v *annex.ListVersion, id string) bool {
	for _, e := range v.Entries {
		for _, m := range e.Match {
			if m.Paragraph == id {
				return true
			}
		}
	}
	return false
}

func TestClassifyInvalid(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		name  string
		items []annex.Item
		want  []annex.FieldError
	}{
		{"unknown kind", []annex.Item{{Kind: "solid_rocket_motr"}},
			[]annex.FieldError{{Field: "kind", Message: `unknown kind "solid_rocket_motr" (did you mean "solid_rocket_motor"?); GET /api/v1/kinds lists the kinds`}}},
		{"missing kind", []annex.Item{{}}, []annex.FieldError{{Field: "kind", Message: "required"}}},
		{"unknown parameter", []annex.Item{{Kind: "solid_rocket_motor", Params: map[string]any{"thrust": 1.0}}},
			[]annex.FieldError{{Field: "params.thrust", Message: "unknown parameter for kind solid_rocket_motor (known: total_impulse_ns, vacuum_thrust_n, satellite_use)"}}},
		{"wrong type", []annex.Item{{Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": "big"}}},
			[]annex.FieldError{{Field: "params.total_impulse_ns", Message: "must be a number (N·s), got string"}}},
		{"negative mass", []annex.Item{{Kind: "turbojet_engine", Params: map[string]any{"dry_mass_kg": -5}}},
			[]annex.FieldError{{Field: "params.dry_mass_kg", Message: "must not be negative, got -5"}}},
		{"boolean as string", []annex.Item{{Kind: "liquid_rocket_engine", Params: map[string]any{"satellite_use": "yes"}}},
			[]annex.FieldError{{Field: "params.satellite_use", Message: "must be true or false, got string"}}},
		{"percent above 100", []annex.Item{{Kind: "chemical", Params: map[string]any{"cas_number": "302-01-2", "concentration_percent": 120}}},
			[]annex.FieldError{{Field: "params.concentration_percent", Message: "must be at most 100 (%), got 120"}}},
		{"bad CAS check digit", []annex.Item{{Kind: "chemical", Params: map[string]any{"cas_number": "302-01-3"}}},
			[]annex.FieldError{{Field: "params.cas_number", Message: `"302-01-3" is not a valid CAS Registry Number: the check digit should be 2`}}},
		{"unknown entry", []annex.Item{{Kind: "software", Params: map[string]any{"for_entry": "2.A.9"}}},
			[]annex.FieldError{{Field: "params.for_entry", Message: `"2.A.9" is not an entry of the control list`}}},
		{"enum", []annex.Item{{Kind: "software", Params: map[string]any{"for_entry": "2.A.1", "purpose": "fun"}}},
			[]annex.FieldError{{Field: "params.purpose", Message: `must be one of development, production, use, got "fun"`}}},
		{"parameters of other", []annex.Item{{Kind: "other", Params: map[string]any{"mass_kg": 3}}},
			[]annex.FieldError{{Field: "params.mass_kg", Message: "unknown parameter for kind other (known: none)"}}},
		{"paths in an array and its components", []annex.Item{
			{Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": 1.0}},
			{Kind: "rocket_system", Components: []annex.Item{{Kind: "gyroscope", Params: map[string]any{"drift_rate_deg_per_h": false}}}},
		}, []annex.FieldError{{Field: "[1].components[0].params.drift_rate_deg_per_h", Message: "must be a number (°/h), got boolean"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Classify(tt.items)
			if code := annex.ErrorCode(err); code != annex.EINVALID {
				t.Fatalf("ErrorCode=%q, want %q (err %v)", code, annex.EINVALID, err)
			}
			if diff := cmp.Diff(tt.want, annex.ErrorFields(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

// TestClassifyExplains checks that a match carries the comparison that fired
// with the values compared, in the item's units and in SI.
func TestClassifyExplains(t *testing.T) {
	c := mustClassifier(t)
	cl, err := c.ClassifyItem(annex.Item{Name: "SRM-7 motor", Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": 1.2e6}})
	if err != nil {
		t.Fatal(err)
	}
	if cl.ListVersion != c.Version().ID {
		t.Errorf("ListVersion=%q, want %q", cl.ListVersion, c.Version().ID)
	}
	if len(cl.Entries) != 1 {
		t.Fatalf("Entries=%v, want one", cl.Entries)
	}
	m := cl.Entries[0]
	if m.ID != "2.A.1.c" || m.Paragraph != "2.A.1.c.1" || m.Category != annex.CategoryI {
		t.Errorf("match=%s %s %s, want 2.A.1.c 2.A.1.c.1 I", m.ID, m.Paragraph, m.Category)
	}
	if want := "total_impulse_ns 1.2e6 N·s ≥ 1.1e6 N·s"; m.Reason != want {
		t.Errorf("Reason=%q, want %q", m.Reason, want)
	}
	if len(m.Criteria) != 1 || *m.Criteria[0].ValueSI != 1.2e6 || *m.Criteria[0].ThresholdSI != 1.1e6 || !m.Criteria[0].Met {
		t.Errorf("Criteria=%+v", m.Criteria)
	}

	// Units: a 70 MPa, 600 °C press with a 300 mm cavity is compared in SI
	// (Pa, K, m) and reported in the item's units.
	cl, err = c.ClassifyItem(annex.Item{Kind: "isostatic_press", Params: map[string]any{"max_pressure_mpa": 70, "max_temperature_c": 600, "cavity_inner_diameter_mm": 300}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Entries) == 0 {
		t.Fatalf("isostatic press: %s", cl.Summary)
	}
	for _, cmp := range cl.Entries[0].Criteria {
		if cmp.Param == "max_temperature_c" && (cmp.Threshold.Num != 600 || *cmp.ThresholdSI != 873.15 || cmp.SIUnit != "K") {
			t.Errorf("temperature comparison=%+v, want threshold 600 °C = 873.15 K", cmp)
		}
	}
}

func TestService(t *testing.T) {
	vs, err := controllist.BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	old := *vs[0]
	old.ID, old.EffectiveDate, old.Title = "test-2020", "2020-01-01", "An older test version"
	future := *vs[0]
	future.ID, future.EffectiveDate = "test-2099", "2099-01-01"
	s, err := controllist.NewService(vs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []*annex.ListVersion{&old, &future} {
		if err := s.Add(v, false); err != nil {
			t.Fatalf("Add(%s): %v", v.ID, err)
		}
	}
	if err := s.Add(&old, false); annex.ErrorCode(err) != annex.ECONFLICT {
		t.Errorf("Add duplicate: err=%v, want ECONFLICT", err)
	}
	s.Now = func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) }
	ctx := context.Background()

	t.Run("version in force", func(t *testing.T) {
		infos, _ := s.FindVersions(ctx)
		var current []string
		for _, i := range infos {
			if i.Current {
				current = append(current, i.ID)
			}
		}
		if !slices.Equal(current, []string{vs[0].ID}) {
			t.Errorf("current=%v, want [%s]", current, vs[0].ID)
		}
		s.Now = func() time.Time { return time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC) }
		defer func() { s.Now = func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) } }()
		cls, err := s.Classify(ctx, "", []annex.Item{{Kind: "other"}})
		if err != nil || cls[0].ListVersion != "test-2020" {
			t.Errorf("in 2021 ListVersion=%v (err %v), want test-2020", cls, err)
		}
	})
	t.Run("explicit version", func(t *testing.T) {
		cls, err := s.Classify(ctx, "test-2099", []annex.Item{{Kind: "other"}})
		if err != nil || cls[0].ListVersion != "test-2099" {
			t.Errorf("ListVersion=%v (err %v), want test-2099", cls, err)
		}
		if _, err := s.Classify(ctx, "nope", nil); annex.ErrorCode(err) != annex.ENOTFOUND {
			t.Errorf("unknown version: err=%v, want ENOTFOUND", err)
		}
	})
	t.Run("entry by id", func(t *testing.T) {
		e, err := s.FindEntryByID(ctx, "", "2.A.1.c")
		if err != nil || e.Parent != "2.A.1" || e.Category != annex.CategoryI {
			t.Errorf("FindEntryByID=%+v, %v", e, err)
		}
		if _, err := s.FindEntryByID(ctx, "", "2.A.9"); annex.ErrorCode(err) != annex.ENOTFOUND {
			t.Errorf("unknown entry: err=%v, want ENOTFOUND", err)
		}
	})
	filters := []struct {
		name   string
		filter annex.EntryFilter
		want   []string // IDs that must be found
		not    []string // IDs that must not
	}{
		{"by id prefix", annex.EntryFilter{Query: "2.A.1"}, []string{"2.A.1", "2.A.1.a", "2.A.1.c", "2.A.1.c.1"}, []string{"2.A", "2.B.1", "20.A.1.a"}},
		{"by words", annex.EntryFilter{Query: "re-entry heat"}, []string{"2.A.1.b.1", "2.A.1.b.2"}, []string{"2.A.1.c"}},
		{"by parameter", annex.EntryFilter{Param: "total_impulse_ns"}, []string{"2.A.1.c"}, []string{"1.A.1"}},
		{"by kind", annex.EntryFilter{Kind: "guidance_set"}, []string{"2.A.1.d"}, []string{"2.A.1.c"}},
		{"by category", annex.EntryFilter{Category: annex.CategoryI, Query: "2.A"}, []string{"2.A.1.c"}, nil},
		{"by EU code", annex.EntryFilter{Query: "7a117"}, []string{"2.A.1.d"}, nil},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			es, n, err := s.FindEntries(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(es) {
				t.Errorf("total=%d, len=%d", n, len(es))
			}
			var ids []string
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			for _, id := range tt.want {
				if !slices.Contains(ids, id) {
					t.Errorf("found %v, want %s among them", ids, id)
				}
			}
			for _, id := range tt.not {
				if slices.Contains(ids, id) {
					t.Errorf("found %v, want no %s", ids, id)
				}
			}
		})
	}
	t.Run("paging", func(t *testing.T) {
		all, n, _ := s.FindEntries(ctx, annex.EntryFilter{})
		page, n2, _ := s.FindEntries(ctx, annex.EntryFilter{Offset: 5, Limit: 3})
		if n != n2 || len(page) != 3 || page[0] != all[5] {
			t.Errorf("page=%d entries of %d, want 3 from offset 5 of %d", len(page), n2, n)
		}
	})
	t.Run("bad filter", func(t *testing.T) {
		_, _, err := s.FindEntries(ctx, annex.EntryFilter{Kind: "rocket"})
		if f := annex.ErrorFields(err); len(f) != 1 || f[0].Field != "kind" {
			t.Errorf("fields=%v, want kind", f)
		}
	})
}
