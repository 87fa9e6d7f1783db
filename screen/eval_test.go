package screen

import (
	"encoding/csv"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"annex"
)

// The benchmark data sets live outside the repository (MIT-licensed data of
// OpenSanctions' nomenklatura and yente; see shared/data/names/NOTICE).
// Tests that need them skip when they are absent.
var (
	dataDir      = flag.String("screen.data", "../../shared/data", "directory holding names/ and lists/")
	showFailures = flag.Int("screen.failures", 0, "print this many failures of each accuracy test")
)

func readCSV(tb testing.TB, rel string) []map[string]string {
	tb.Helper()
	f, err := os.Open(filepath.Join(*dataDir, rel))
	if err != nil {
		tb.Skipf("benchmark data absent: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("read %s: %v", rel, err)
	}
	out := make([]map[string]string, 0, len(rows))
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// schemaType maps a FollowTheMoney schema to an entity type.
func schemaType(schema string) annex.EntityType {
	switch schema {
	case "Person":
		return annex.EntityPerson
	case "Company", "Organization":
		return annex.EntityOrganization
	case "Vessel":
		return annex.EntityVessel
	}
	return ""
}

// benchCase is one labelled name pair with the engine's score.
type benchCase struct {
	group, schema, name1, name2 string
	match                       bool
	score                       float64
	heldOut                     bool
}

// scoreNameBench scores each name_bench pair: name1 is the query, name2
// the only name of the only entity of an index.
func scoreNameBench(tb testing.TB, o Options) []benchCase {
	rows := readCSV(tb, "names/nomenklatura-name-bench-cases.csv")
	cases := make([]benchCase, 0, len(rows))
	for _, r := range rows {
		c := benchCase{group: r["case_group"], schema: r["schema"], name1: r["name1"], name2: r["name2"], match: r["is_match"] == "true"}
		typ := schemaType(c.schema)
		ix := NewIndex([]*annex.ListEntity{{Source: "bench", SourceID: "1", Type: typ,
			Names: []annex.EntityName{{Name: c.name2, Kind: annex.NamePrimary}}}}, o)
		res := ix.Search(annex.ScreenQuery{Name: c.name1, Type: typ}, 1)
		if len(res.Matches) > 0 {
			c.score = res.Matches[0].Score
		}
		h := fnv.New32a()
		h.Write([]byte(c.name1 + "\x00" + c.name2))
		c.heldOut = h.Sum32()%3 == 0
		cases = append(cases, c)
	}
	return cases
}

// prf is a confusion count.
type prf struct{ tp, fp, fn, tn int }

func (p *prf) add(match bool, score, threshold float64) {
	switch got := score >= threshold; {
	case got && match:
		p.tp++
	case got && !match:
		p.fp++
	case !got && match:
		p.fn++
	default:
		p.tn++
	}
}

func (p prf) precision() float64 { return ratio(p.tp, p.tp+p.fp) }
func (p prf) recall() float64    { return ratio(p.tp, p.tp+p.fn) }
func (p prf) f1() float64 {
	pr, rc := p.precision(), p.recall()
	if pr+rc == 0 {
		return 0
	}
	return 2 * pr * rc / (pr + rc)
}
func (p prf) String() string {
	return fmt.Sprintf("n=%d TP=%d FP=%d FN=%d TN=%d P=%.3f R=%.3f F1=%.3f", p.tp+p.fp+p.fn+p.tn, p.tp, p.fp, p.fn, p.tn, p.precision(), p.recall(), p.f1())
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func confusion(cases []benchCase, threshold float64, keep func(benchCase) bool) prf {
	var p prf
	for _, c := range cases {
		if keep == nil || keep(c) {
			p.add(c.match, c.score, threshold)
		}
	}
	return p
}

// bestThreshold returns the threshold in [0.6, 0.99] with the best F1 on
// the kept cases.
func bestThreshold(cases []benchCase, keep func(benchCase) bool) (float64, float64) {
	bestT, bestF := 0.0, -1.0
	for t := 0.60; t < 0.995; t += 0.01 {
		if f := confusion(cases, t, keep).f1(); f > bestF {
			bestT, bestF = t, f
		}
	}
	return bestT, bestF
}

// TestAccuracyNameBench measures precision, recall and F1 on nomenklatura's
// name_bench pairs at DefaultThreshold. Target: F1 ≥ 0.85 (logic-v2: 0.79).
func TestAccuracyNameBench(t *testing.T) {
	cases := scoreNameBench(t, Options{})
	all := confusion(cases, DefaultThreshold, nil)
	t.Logf("name_bench @%.2f: %v", DefaultThreshold, all)
	groups := map[string]bool{}
	for _, c := range cases {
		groups[c.group] = true
	}
	var names []string
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		t.Logf("  %-16s %v", g, confusion(cases, DefaultThreshold, func(c benchCase) bool { return c.group == g }))
	}
	for _, s := range []string{"Person", "Company", "Organization", "LegalEntity", "Vessel"} {
		t.Logf("  schema %-12s %v", s, confusion(cases, DefaultThreshold, func(c benchCase) bool { return c.schema == s }))
	}
	bt, bf := bestThreshold(cases, nil)
	t.Logf("best threshold on all pairs: %.2f (F1 %.3f)", bt, bf)
	tt, tf := bestThreshold(cases, func(c benchCase) bool { return !c.heldOut })
	ho := confusion(cases, tt, func(c benchCase) bool { return c.heldOut })
	t.Logf("held-out: tuned on 2/3 (threshold %.2f, F1 %.3f); on the other 1/3: %v", tt, tf, ho)
	t.Logf("held-out at DefaultThreshold: %v", confusion(cases, DefaultThreshold, func(c benchCase) bool { return c.heldOut }))
	if *showFailures > 0 {
		n := 0
		for _, c := range cases {
			if (c.score >= DefaultThreshold) != c.match && n < *showFailures {
				n++
				t.Logf("FAIL %-5v %.3f %s %q vs %q", c.match, c.score, c.group, c.name1, c.name2)
			}
		}
	}
	if f := all.f1(); f < 0.85 {
		t.Errorf("name_bench F1 = %.3f, want ≥ 0.85", f)
	}
}

// unTruth returns, per row of the treated UN positives, the UN entities
// the row stands for: those with a name equal, after normalisation, to
// the row's untreated name (the two files are parallel). Rows whose
// untreated name is no UN name are left without truth.
func unTruth(tb testing.TB, un []*annex.ListEntity) (treated []map[string]string, truth [][]string) {
	untreated := readCSV(tb, "names/yente-positives-un-untreated.csv")
	treated = readCSV(tb, "names/yente-positives-un-treated.csv")
	if len(untreated) != len(treated) {
		tb.Fatalf("positives: %d untreated rows, %d treated", len(untreated), len(treated))
	}
	byKey := map[string][]string{}
	for _, e := range un {
		for _, n := range e.Names {
			k := parseName(n.Name).key
			if !slices.Contains(byKey[k], e.SourceID) {
				byKey[k] = append(byKey[k], e.SourceID)
			}
		}
	}
	truth = make([][]string, len(untreated))
	for i, r := range untreated {
		truth[i] = byKey[parseName(r["full_name"]).key]
	}
	return treated, truth
}

// TestAccuracyUNPositives checks that yente's treated UN positives (typos,
// "SURNAME, Given", doubled and dropped letters) find their UN entry
// first, against the whole UN list. Target: ≥ 97 %.
func TestAccuracyUNPositives(t *testing.T) {
	un := loadList(t, "un")
	ix := NewIndex(un, Options{})
	rows, truth := unTruth(t, un)
	for _, mode := range []string{"name only", "name+dob+country"} {
		var n, first, matched, noTruth int
		var shown int
		for i, r := range rows {
			if len(truth[i]) == 0 {
				noTruth++
				continue
			}
			n++
			q := annex.ScreenQuery{Name: r["full_name"]}
			if mode != "name only" {
				q.DOB, q.Country = r["date_of_birth"], strings.ToUpper(r["nationality"])
			}
			res := ix.Search(q, 3)
			if len(res.Matches) > 0 && slices.Contains(truth[i], res.Matches[0].SourceID) {
				first++
				if res.Matches[0].Match {
					matched++
				}
			} else if shown < *showFailures {
				shown++
				got := "nothing"
				if len(res.Matches) > 0 {
					got = fmt.Sprintf("%s %q %.3f", res.Matches[0].SourceID, res.Matches[0].MatchedName, res.Matches[0].Score)
				}
				t.Logf("MISS %q want %v got %s", r["full_name"], truth[i], got)
			}
		}
		t.Logf("UN positives (%s): %d rows with a known entry (%d without); first: %d (%.1f %%); first and ≥ threshold: %d (%.1f %%)",
			mode, n, noTruth, first, 100*ratio(first, n), matched, 100*ratio(matched, n))
		if r := ratio(first, n); r < 0.97 {
			t.Errorf("UN positives first (%s) = %.3f, want ≥ 0.97", mode, r)
		}
	}
}

// TestAccuracyNegatives counts yente's 50,000 synthetic non-listed persons
// that match anything in the UN and OFAC lists at DefaultThreshold.
// Target: ≤ 0.5 %.
func TestAccuracyNegatives(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 searches")
	}
	ents := append(slices.Clone(loadList(t, "un")), loadList(t, "ofac")...)
	ix := NewIndex(ents, Options{})
	rows := readCSV(t, "names/yente-negatives-global.csv")
	if raceEnabled {
		// The race detector slows searches tenfold: check every tenth row.
		rows = slices.Collect(func(yield func(map[string]string) bool) {
			for i := 0; i < len(rows); i += 10 {
				if !yield(rows[i]) {
					return
				}
			}
		})
		t.Logf("race detector on: %d of the negatives", len(rows))
	}
	for _, mode := range []string{"name only", "name+dob+country"} {
		fp, shown := 0, 0
		for _, r := range rows {
			q := annex.ScreenQuery{Name: r["full_name"], Type: annex.EntityPerson}
			if mode != "name only" {
				q.DOB, q.Country = r["date_of_birth"], countryISO[r["nationality"]]
			}
			res := ix.Search(q, 1)
			if len(res.Matches) > 0 && res.Matches[0].Match {
				fp++
				if shown < *showFailures {
					shown++
					m := res.Matches[0]
					t.Logf("FP %q → %s %q %.3f", r["full_name"], m.SourceID, m.MatchedName, m.Score)
				}
			}
		}
		t.Logf("negatives (%s): %d of %d match (%.2f %%)", mode, fp, len(rows), 100*ratio(fp, len(rows)))
		if r := ratio(fp, len(rows)); r > 0.005 {
			t.Errorf("negatives false-match rate (%s) = %.4f, want ≤ 0.005", mode, r)
		}
	}
}

// countryISO maps the nationalities of yente's negatives to ISO codes.
var countryISO = map[string]string{
	"Afghanistan": "AF", "Algeria": "DZ", "Argentina": "AR", "Australia": "AU", "Austria": "AT", "Azerbaijan": "AZ",
	"Bangladesh": "BD", "Belarus": "BY", "Belgium": "BE", "Bhutan": "BT", "Bolivia": "BO", "Bosnia and Herzegovina": "BA",
	"Botswana": "BW", "Brazil": "BR", "Brunei": "BN", "Bulgaria": "BG", "Burkina Faso": "BF", "Cambodia": "KH",
	"Cameroon": "CM", "Canada": "CA", "Chile": "CL", "China": "CN", "Colombia": "CO", "Costa Rica": "CR", "Croatia": "HR",
	"Cuba": "CU", "Czech Republic": "CZ", "Democratic Republic of the Congo": "CD", "Denmark": "DK", "Dominican Republic": "DO",
	"East Timor": "TL", "Ecuador": "EC", "Egypt": "EG", "El Salvador": "SV", "Ethiopia": "ET", "Finland": "FI", "France": "FR",
	"Germany": "DE", "Ghana": "GH", "Guatemala": "GT", "Honduras": "HN", "Hong Kong": "HK", "India": "IN", "Indonesia": "ID",
	"Iran": "IR", "Iraq": "IQ", "Ireland": "IE", "Israel": "IL", "Italy": "IT", "Ivory Coast": "CI", "Japan": "JP",
	"Jordan": "JO", "Kazakhstan": "KZ", "Kenya": "KE", "Kuwait": "KW", "Kyrgyzstan": "KG", "Laos": "LA", "Lebanon": "LB",
	"Malaysia": "MY", "Mali": "ML", "Mexico": "MX", "Mongolia": "MN", "Montenegro": "ME", "Morocco": "MA", "Myanmar": "MM",
	"Nepal": "NP", "Netherlands": "NL", "New Zealand": "NZ", "Nicaragua": "NI", "Nigeria": "NG", "North Macedonia": "MK",
	"Norway": "NO", "Pakistan": "PK", "Panama": "PA", "Paraguay": "PY", "Peru": "PE", "Philippines": "PH", "Poland": "PL",
	"Portugal": "PT", "Puerto Rico": "PR", "Qatar": "QA", "Russia": "RU", "Rwanda": "RW", "Saudi Arabia": "SA",
	"Senegal": "SN", "Serbia": "RS", "Singapore": "SG", "Slovakia": "SK", "Slovenia": "SI", "South Africa": "ZA",
	"South Korea": "KR", "Spain": "ES", "Sri Lanka": "LK", "Sweden": "SE", "Switzerland": "CH", "Syria": "SY",
	"Taiwan": "TW", "Tajikistan": "TJ", "Tanzania": "TZ", "Thailand": "TH", "Tunisia": "TN", "Turkey": "TR",
	"Turkmenistan": "TM", "Uganda": "UG", "Ukraine": "UA", "United Arab Emirates": "AE", "United Kingdom": "GB",
	"United States": "US", "Uruguay": "UY", "Uzbekistan": "UZ", "Venezuela": "VE", "Vietnam": "VN", "Zimbabwe": "ZW",
}

// TestAccuracyOriginalScript queries each UN entry by its original-script
// name (NAME_ORIGINAL_SCRIPT) and checks it comes first: against the whole
// index, and against an index without original-script names, where the
// query must meet the entry's Latin names across scripts.
func TestAccuracyOriginalScript(t *testing.T) {
	un := loadList(t, "un")
	latinOnly := make([]*annex.ListEntity, 0, len(un))
	for _, e := range un {
		c := *e
		c.Names = slices.DeleteFunc(slices.Clone(e.Names), func(n annex.EntityName) bool { return n.Kind == annex.NameOriginal })
		latinOnly = append(latinOnly, &c)
	}
	for _, tc := range []struct {
		name string
		ents []*annex.ListEntity
		want float64
	}{{"with original names indexed", un, 0.99}, {"Latin names only (cross-script)", latinOnly, 0}} {
		ix := NewIndex(tc.ents, Options{})
		var n, first, shown int
		for _, e := range un {
			for _, nm := range e.Names {
				if nm.Kind != annex.NameOriginal {
					continue
				}
				n++
				res := ix.Search(annex.ScreenQuery{Name: nm.Name}, 3)
				if len(res.Matches) > 0 && res.Matches[0].SourceID == e.SourceID {
					first++
				} else if shown < *showFailures && tc.want == 0 {
					shown++
					got := "nothing"
					if len(res.Matches) > 0 {
						got = fmt.Sprintf("%s %q %.3f", res.Matches[0].SourceID, res.Matches[0].MatchedName, res.Matches[0].Score)
					}
					t.Logf("MISS %q (%s, %q) got %s", nm.Name, e.SourceID, e.PrimaryName(), got)
				}
			}
		}
		t.Logf("original-script names, %s: %d of %d first (%.1f %%)", tc.name, first, n, 100*ratio(first, n))
		if r := ratio(first, n); r < tc.want {
			t.Errorf("original-script first rate (%s) = %.3f, want ≥ %.2f", tc.name, r, tc.want)
		}
	}
}

// TestThresholdSweep prints, per threshold, name_bench's precision,
// recall and F1, the share of UN positives found first at or above it and
// the negatives' false-match rate: the table DefaultThreshold was chosen
// from. It runs only when asked for: go test -run TestThresholdSweep -v
func TestThresholdSweep(t *testing.T) {
	if !slices.Contains(testingRunFlags(), "TestThresholdSweep") {
		t.Skip("run explicitly with -run TestThresholdSweep")
	}
	cases := scoreNameBench(t, Options{})
	un := loadList(t, "un")
	unIx := NewIndex(un, Options{})
	rows, truth := unTruth(t, un)
	var posTop []float64 // score of the right entry when first, else -1
	for i, r := range rows {
		if len(truth[i]) == 0 {
			continue
		}
		res := unIx.Search(annex.ScreenQuery{Name: r["full_name"]}, 1)
		s := -1.0
		if len(res.Matches) > 0 && slices.Contains(truth[i], res.Matches[0].SourceID) {
			s = res.Matches[0].Score
		}
		posTop = append(posTop, s)
	}
	ix := NewIndex(append(slices.Clone(un), loadList(t, "ofac")...), Options{})
	var negTop []float64
	for _, r := range readCSV(t, "names/yente-negatives-global.csv") {
		res := ix.Search(annex.ScreenQuery{Name: r["full_name"], Type: annex.EntityPerson}, 1)
		s := 0.0
		if len(res.Matches) > 0 {
			s = res.Matches[0].Score
		}
		negTop = append(negTop, s)
	}
	share := func(xs []float64, th float64) float64 {
		n := 0
		for _, x := range xs {
			if x >= th {
				n++
			}
		}
		return float64(n) / float64(len(xs))
	}
	t.Logf("threshold | bench P | bench R | bench F1 | held-out F1 | UN positives first and matched | negatives matched")
	for th := 0.70; th < 0.925; th += 0.02 {
		p := confusion(cases, th, nil)
		h := confusion(cases, th, func(c benchCase) bool { return c.heldOut })
		t.Logf("%.2f | %.3f | %.3f | %.3f | %.3f | %.1f %% | %.2f %%", th, p.precision(), p.recall(), p.f1(), h.f1(),
			100*share(posTop, th), 100*share(negTop, th))
	}
}
