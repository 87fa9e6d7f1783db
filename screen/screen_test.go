package screen

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// entity builds a listed entity; the first name is primary.
func entity(id string, typ annex.EntityType, names ...string) *annex.ListEntity {
	e := &annex.ListEntity{Source: annex.SourceUN, SourceID: id, Type: typ}
	for i, n := range names {
		k := annex.NameAlias
		if i == 0 {
			k = annex.NamePrimary
		}
		e.Names = append(e.Names, annex.EntityName{Name: n, Kind: k})
	}
	return e
}

// testEntities is a small hand-made list.
func testEntities() []*annex.ListEntity {
	ents := []*annex.ListEntity{
		entity("P1", annex.EntityPerson, "Vladimir Vladimirovich PUTIN"),
		entity("P2", annex.EntityPerson, "MOHAMMAD REZA AHMADI"),
		entity("P3", annex.EntityPerson, "KIM JONG UN"),
		entity("P4", annex.EntityPerson, "XI Jinping"),
		entity("P5", annex.EntityPerson, "Taras SHEVCHENKO"),
		entity("P6", annex.EntityPerson, "Hassan Nasrallah"),
		entity("O1", annex.EntityOrganization, "Tactical Missiles Corporation JSC", "KTRV"),
		entity("O2", annex.EntityOrganization, "Shahid Hemmat Industrial Group"),
		entity("O3", annex.EntityOrganization, "Huawei Technologies Co., Ltd."),
	}
	// An entity known by an Arabic original-script name and a Latin one.
	ar := entity("P7", annex.EntityPerson, "ABDUL HAI SALEK")
	ar.Names = append(ar.Names, annex.EntityName{Name: "عبد الحي سالك", Kind: annex.NameOriginal})
	ar.DatesOfBirth = []string{"1965"}
	ar.Countries = []string{"AF"}
	ar.Identifiers = []annex.Identifier{{Type: annex.IDPassport, Value: "OA 123456"}}
	// Weak and strong aliases of one name on two entities.
	weak := entity("W1", annex.EntityPerson, "Ahmad Zia Agha")
	weak.Names = append(weak.Names, annex.EntityName{Name: "Rahmatullah Karimi", Kind: annex.NameWeakAlias})
	strong := entity("W2", annex.EntityPerson, "Nur Ahmad Baryal", "Rahmatullah Karimi")
	vessel := entity("V1", annex.EntityVessel, "OCEAN STAR")
	vessel.Identifiers = []annex.Identifier{{Type: annex.IDIMO, Value: "IMO 9123456"}}
	// Many Mohammads, so that the name is common in this index.
	ents = append(ents, ar, weak, strong, vessel)
	for i, s := range []string{"Ali", "Hassan", "Karimi", "Yusuf", "Hussein", "Khan", "Omar", "Said"} {
		ents = append(ents, entity(fmt.Sprintf("M%d", i), annex.EntityPerson, "Mohammad "+s))
	}
	return ents
}

var (
	testIndexOnce sync.Once
	testIndexVal  *Index
)

func testIndex() *Index {
	testIndexOnce.Do(func() { testIndexVal = NewIndex(testEntities(), Options{}) })
	return testIndexVal
}

// top returns the best match of a query, or a zero match.
func top(ix *Index, q annex.ScreenQuery) annex.ScreenMatch {
	r := ix.Search(q, 5)
	if len(r.Matches) == 0 {
		return annex.ScreenMatch{}
	}
	return r.Matches[0]
}

func TestSearchFinds(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		wantID string
		exact  bool
	}{
		{"exact name", "Vladimir Vladimirovich PUTIN", "P1", true},
		{"exact after normalisation", "vladimir vladimirovich putin", "P1", true},
		{"surname first with comma", "PUTIN, Vladimir Vladimirovich", "P1", true},
		{"reordered", "Putin Vladimir Vladimirovich", "P1", true},
		{"without patronymic", "Vladimir Putin", "P1", false},
		{"typo", "Vladimir Vladimirovich Puttin", "P1", false},
		{"spelling variant", "Muhammad Riza Ahmadi", "P2", false},
		{"cyrillic query", "Владимир Владимирович Путин", "P1", false},
		{"ukrainian query", "Тарас Шевченко", "P5", true},
		{"korean query", "김정은", "P3", false},
		{"chinese query", "习近平", "P4", true},
		{"split given name", "Xi Jin Ping", "P4", false},
		{"arabic query finds latin name", "حسن نصر الله", "P6", false},
		{"latin query finds arabic name", "Abdul Hai Salek", "P7", true},
		{"arabic query finds original name", "عبد الحي سالك", "P7", true},
		{"legal form variant", "Tactical Missiles Corp. OJSC", "O1", false},
		{"company without legal form", "Huawei Technologies", "O3", false},
		{"honorific", "Sheikh Hassan Nasrallah", "P6", false},
	}
	ix := testIndex()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := top(ix, annex.ScreenQuery{Name: tt.query})
			if m.SourceID != tt.wantID || !m.Match {
				t.Fatalf("Search(%q) top = %s %q %.3f match=%v, want %s matching; %v", tt.query, m.SourceID, m.MatchedName, m.Score, m.Match, tt.wantID, m.Explanation)
			}
			if tt.exact && m.Score != 1 {
				t.Errorf("Search(%q) score = %.3f, want 1 (exact after normalisation)", tt.query, m.Score)
			}
		})
	}
}

func TestSearchDoesNotMatch(t *testing.T) {
	tests := []struct{ name, query string }{
		{"common given name alone", "Mohammad"},
		{"legal form alone", "LLC"},
		{"legal forms only", "Co., Ltd."},
		{"generic words only", "Industrial Group"},
		{"generic words and legal form", "International Trading Company Limited"},
		{"one part of a longer name", "Jinping"},
		{"surname alone", "Putin"},
		{"different person, same given name", "Mohammad Salehi"},
		{"unrelated", "John Smith"},
		{"empty", ""},
		{"punctuation", "--- ..."},
	}
	ix := testIndex()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ix.Search(annex.ScreenQuery{Name: tt.query}, 5)
			for _, m := range r.Matches {
				if m.Match {
					t.Errorf("Search(%q) matched %s %q with %.3f; want no match; %v", tt.query, m.SourceID, m.MatchedName, m.Score, m.Explanation)
				}
			}
		})
	}
}

func TestWeakAliasScoresLower(t *testing.T) {
	r := testIndex().Search(annex.ScreenQuery{Name: "Rahmatullah Karimi"}, 5)
	scores := map[string]float64{}
	for _, m := range r.Matches {
		scores[m.SourceID] = m.Score
	}
	if scores["W2"] != 1 {
		t.Errorf("strong alias score = %.3f, want 1", scores["W2"])
	}
	if !(scores["W1"] < scores["W2"]) || scores["W1"] == 0 {
		t.Errorf("weak alias score = %.3f, want found and below strong alias %.3f", scores["W1"], scores["W2"])
	}
}

func TestIdentifierIsDecisive(t *testing.T) {
	ix := testIndex()
	tests := []struct {
		name string
		q    annex.ScreenQuery
		want string
	}{
		{"passport with a different name", annex.ScreenQuery{Name: "Someone Else", ID: "oa-123456"}, "P7"},
		{"imo number without prefix", annex.ScreenQuery{Name: "Blue Bird", ID: "9123456"}, "V1"},
		{"imo number with prefix", annex.ScreenQuery{Name: "Ocean Star", ID: "IMO9123456"}, "V1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := top(ix, tt.q)
			if m.SourceID != tt.want || m.Score != 1 || !m.Match {
				t.Fatalf("Search(%+v) top = %s %.3f, want %s 1.0", tt.q, m.SourceID, m.Score, tt.want)
			}
			if last := m.Explanation[len(m.Explanation)-2]; last.Factor != "identifier" {
				t.Errorf("explanation before final = %q, want identifier", last.Factor)
			}
		})
	}
}

func TestEvidenceAdjusts(t *testing.T) {
	ix := testIndex()
	base := top(ix, annex.ScreenQuery{Name: "Abdul Hai Salak"}).Score
	tests := []struct {
		name string
		q    annex.ScreenQuery
		cmp  func(got float64) bool
		want string
	}{
		{"dob year agrees", annex.ScreenQuery{Name: "Abdul Hai Salak", DOB: "1965-03-01"}, func(g float64) bool { return g > base }, "above"},
		{"dob one year off", annex.ScreenQuery{Name: "Abdul Hai Salak", DOB: "1966"}, func(g float64) bool { return g < base }, "below"},
		{"dob far off", annex.ScreenQuery{Name: "Abdul Hai Salak", DOB: "1990"}, func(g float64) bool { return g < base-0.1 }, "well below"},
		{"country agrees", annex.ScreenQuery{Name: "Abdul Hai Salak", Country: "af"}, func(g float64) bool { return g > base }, "above"},
		{"country differs", annex.ScreenQuery{Name: "Abdul Hai Salak", Country: "FR"}, func(g float64) bool { return g < base }, "below"},
		{"type differs", annex.ScreenQuery{Name: "Abdul Hai Salak", Type: annex.EntityOrganization}, func(g float64) bool { return g < base }, "below"},
		{"type agrees is neutral", annex.ScreenQuery{Name: "Abdul Hai Salak", Type: annex.EntityPerson}, func(g float64) bool { return g == base }, "equal to"},
		{"absent evidence is neutral", annex.ScreenQuery{Name: "Abdul Hai Salak", DOB: "", Country: ""}, func(g float64) bool { return g == base }, "equal to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := top(ix, tt.q)
			if m.SourceID != "P7" || !tt.cmp(m.Score) {
				t.Errorf("Search(%+v) = %s %.3f, want P7 %s %.3f", tt.q, m.SourceID, m.Score, tt.want, base)
			}
		})
	}
}

// TestExplanationConsistent checks that every match explains itself: a
// name piece first, a final piece last, every piece rounded to 4
// decimals, and the final equals the sum of the pieces before it, clamped
// to [0,1] (the pieces are rounded before they are summed, so the sum
// holds up to the float error of adding 4-decimal numbers).
func TestExplanationConsistent(t *testing.T) {
	ix := testIndex()
	for _, q := range []annex.ScreenQuery{
		{Name: "Vladimir Putin", DOB: "1952", Country: "RU"},
		{Name: "Rahmatullah Karimi"},
		{Name: "Abdul Hai Salek", DOB: "1990", Country: "FR"},
		{Name: "Someone Else", ID: "OA123456"},
		{Name: "Mohammad Ali"},
	} {
		t.Run(q.Name, func(t *testing.T) {
			r := ix.Search(q, 10)
			if len(r.Matches) == 0 {
				t.Fatalf("Search(%+v) found nothing", q)
			}
			for i, m := range r.Matches {
				if i > 0 && m.Score > r.Matches[i-1].Score {
					t.Errorf("matches not best first: %.3f after %.3f", m.Score, r.Matches[i-1].Score)
				}
				ex := m.Explanation
				if len(ex) < 2 || ex[0].Factor != "name" || ex[len(ex)-1].Factor != "final" {
					t.Fatalf("explanation of %s = %v, want name … final", m.SourceID, ex)
				}
				sum := 0.0
				for _, p := range ex[:len(ex)-1] {
					sum += p.Score
					if p.Detail == "" {
						t.Errorf("piece %q has no detail", p.Factor)
					}
				}
				for _, p := range ex {
					if x := p.Score * 1e4; math.Abs(x-math.Round(x)) > 1e-6 {
						t.Errorf("%s: piece %q = %v, want 4 decimals", m.SourceID, p.Factor, p.Score)
					}
				}
				want := math.Min(1, math.Max(0, sum))
				if math.Abs(want-m.Score) > 1e-9 || ex[len(ex)-1].Score != m.Score {
					t.Errorf("%s: pieces sum to %.6f, final %.6f, score %.6f", m.SourceID, want, ex[len(ex)-1].Score, m.Score)
				}
				if m.Match != (m.Score >= DefaultThreshold) {
					t.Errorf("%s: match=%v at score %.3f, threshold %.2f", m.SourceID, m.Match, m.Score, DefaultThreshold)
				}
			}
		})
	}
}

func TestResultShape(t *testing.T) {
	ix := NewIndex([]*annex.ListEntity{{
		Source: annex.SourceUN, SourceID: "IQi.001", Type: annex.EntityPerson,
		Names:    []annex.EntityName{{Name: "SULTAN HASHIM AHMAD AL-TA'I", Kind: annex.NamePrimary}},
		Programs: []string{"IQ"}, Countries: []string{"IQ"},
	}}, Options{})
	r := ix.Search(annex.ScreenQuery{Name: "Sultan Hashim Ahmad al-Tai"}, 0)
	if len(r.Matches) != 1 {
		t.Fatalf("matches = %d, want 1", len(r.Matches))
	}
	got := r.Matches[0]
	got.Explanation = nil
	want := annex.ScreenMatch{Source: annex.SourceUN, SourceID: "IQi.001", Name: "SULTAN HASHIM AHMAD AL-TA'I",
		MatchedName: "SULTAN HASHIM AHMAD AL-TA'I", Score: 1, Match: true, Type: annex.EntityPerson,
		Programs: []string{"IQ"}, Countries: []string{"IQ"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("match (-want +got):\n%s", diff)
	}
	if r.Query != "Sultan Hashim Ahmad al-Tai" {
		t.Errorf("Query = %q", r.Query)
	}
	if ix.Len() != 1 {
		t.Errorf("Len() = %d, want 1", ix.Len())
	}
}

// TestMatchAtReportedScore checks that a match whose reported (rounded)
// score equals the threshold is a match, and one 0.0001 below it is not.
func TestMatchAtReportedScore(t *testing.T) {
	// This pair scores 0.7999999999999999 before rounding.
	one := NewIndex([]*annex.ListEntity{entity("1", "", "SAIF-AL-DIN FULAYYIH HASSAN TAHA AL-RAWI")}, Options{})
	if m := top(one, annex.ScreenQuery{Name: "SAIF AL-DIN AL-RAWI"}); m.Score != 0.8 || !m.Match {
		t.Errorf("Search(%q) = %v match=%v, want 0.8 and a match at %v", "SAIF AL-DIN AL-RAWI", m.Score, m.Match, DefaultThreshold)
	}
	ix := testIndex()
	q := annex.ScreenQuery{Name: "Abdul Hai Salak", DOB: "1966"}
	s := top(ix, q).Score
	if s <= 0 || s >= 1 {
		t.Fatalf("Search(%+v) score = %v, want in (0,1)", q, s)
	}
	if m := ix.Screen(q, s, 1).Matches[0]; m.Score != s || !m.Match {
		t.Errorf("Screen at threshold %v = %v match=%v, want a match", s, m.Score, m.Match)
	}
	if m := ix.Screen(q, s+0.0001, 1).Matches[0]; m.Match {
		t.Errorf("Screen at threshold %v = %v match=%v, want no match", s+0.0001, m.Score, m.Match)
	}
}

func TestLimitAndThreshold(t *testing.T) {
	ix := testIndex()
	if r := ix.Search(annex.ScreenQuery{Name: "Mohammad Hassan"}, 2); len(r.Matches) > 2 {
		t.Errorf("limit 2 gave %d matches", len(r.Matches))
	}
	r := ix.Screen(annex.ScreenQuery{Name: "Vladimir Putin"}, 0.999, 1)
	if len(r.Matches) != 1 || r.Matches[0].Match {
		t.Errorf("Screen at 0.999 = %+v, want one non-matching result", r.Matches)
	}
}

// TestConcurrentSearches runs searches in parallel on one index; run
// with -race.
func TestConcurrentSearches(t *testing.T) {
	ix := testIndex()
	want := top(ix, annex.ScreenQuery{Name: "Vladimir Putin"})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if got := top(ix, annex.ScreenQuery{Name: "Vladimir Putin"}); got.Score != want.Score {
					t.Errorf("concurrent score %.3f, want %.3f", got.Score, want.Score)
					return
				}
				top(ix, annex.ScreenQuery{Name: "محمد رضا احمدی"})
			}
		}()
	}
	wg.Wait()
}

// TestDeterministic checks that two indexes of the same entities give the
// same results: a screening decision must be reproducible.
func TestDeterministic(t *testing.T) {
	a, b := NewIndex(testEntities(), Options{}), NewIndex(testEntities(), Options{})
	for _, q := range []string{"Vladimir Putin", "Mohammad", "Mohammad Hassan", "محمد رضا احمدی", "Rahmatullah Karimi", "Xi Jin Ping"} {
		ra, rb := a.Search(annex.ScreenQuery{Name: q}, 10), b.Search(annex.ScreenQuery{Name: q}, 10)
		if diff := cmp.Diff(ra, rb); diff != "" {
			t.Errorf("Search(%q) differs between two indexes (-a +b):\n%s", q, diff)
		}
	}
}
