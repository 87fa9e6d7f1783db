package screen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"annex"
)

// hit is one entity found for a query, with its best name.
type hit struct {
	entity int32
	name   int32 // index into Index.names, or -1 when found by identifier only
	ns     nameScore
	final  float64
}

// score compares the query with each candidate name, keeps each entity's
// best name, adds the entities found by identifier and applies the
// evidence of the query. The hits live in s.
func (ix *Index) score(q *query, cands []int32, s *scratch) []hit {
	hits := s.hits[:0]
	// best returns the entity's hit, or -1; found records a new one.
	best := func(e int32) int {
		if s.entHit[e].stamp != s.gen {
			return -1
		}
		return int(s.entHit[e].v)
	}
	found := func(e int32) {
		s.entHit[e] = stamped[int32]{s.gen, int32(len(hits))}
	}
	for _, n := range cands {
		in := &ix.names[n]
		ns := compareNames(&q.name, q.w, &in.name, in.w, &ix.opts, s)
		eff := ns.score * ix.kindFactor(in.kind)
		if k := best(in.entity); k >= 0 {
			h := &hits[k]
			if eff <= h.ns.score*ix.kindFactor(ix.names[h.name].kind) {
				continue
			}
			h.name, h.ns = n, ns
			continue
		}
		found(in.entity)
		hits = append(hits, hit{entity: in.entity, name: n, ns: ns})
	}
	if q.id != "" {
		for _, e := range ix.ids[q.id] {
			if best(e) < 0 {
				found(e)
				hits = append(hits, hit{entity: e, name: -1})
			}
		}
	}
	out := hits[:0]
	for _, h := range hits {
		h.final = ix.evidence(q, &h, nil)
		if h.final >= ix.opts.Floor {
			out = append(out, h)
		}
	}
	s.hits = hits
	return out
}

func (ix *Index) kindFactor(k annex.NameKind) float64 {
	switch k {
	case annex.NameWeakAlias:
		return ix.opts.WeakAliasFactor
	case annex.NameFormer:
		return ix.opts.FormerNameFactor
	}
	return 1
}

// evidence applies the name kind, date of birth, country, type and
// identifier evidence to a hit's name score and returns the final score.
// With pieces not nil, it appends a piece with its explanation for each
// step. The name score and the pieces are rounded (round4), and the final
// score is the sum of the rounded ones, clamped to [0,1], so that the
// explanation adds up to it.
func (ix *Index) evidence(q *query, h *hit, pieces *[]annex.ScorePiece) float64 {
	o := &ix.opts
	e := ix.entities[h.entity]
	sum := round4(h.ns.score)
	add := func(factor string, delta float64, detail func() string) {
		delta = round4(delta)
		if pieces != nil {
			*pieces = append(*pieces, annex.ScorePiece{Factor: factor, Score: delta, Detail: detail()})
		}
		sum += delta
	}
	if h.name >= 0 {
		if k := ix.names[h.name].kind; ix.kindFactor(k) != 1 {
			f := ix.kindFactor(k)
			add("name_kind", h.ns.score*(f-1), func() string { return fmt.Sprintf("%s name: score ×%.2f", k, f) })
		}
	}
	if q.dob != "" && len(e.DatesOfBirth) > 0 {
		delta, ev := dobEvidence(q, e.DatesOfBirth, o)
		add("date_of_birth", delta, func() string { return ev.detail(q, e.DatesOfBirth) })
	}
	if q.country != "" && len(e.Countries) > 0 {
		if containsFold(e.Countries, q.country) {
			add("country", o.CountryMatch, func() string {
				return fmt.Sprintf("country %s is among the entity's %s", q.country, strings.Join(e.Countries, ", "))
			})
		} else {
			add("country", -o.CountryMismatch, func() string {
				return fmt.Sprintf("country %s is not among the entity's %s", q.country, strings.Join(e.Countries, ", "))
			})
		}
	}
	if q.typ != "" && e.Type != "" && q.typ != e.Type {
		add("type", -o.TypeMismatch, func() string { return fmt.Sprintf("query is a %s, the entity a %s", q.typ, e.Type) })
	}
	if q.id != "" && slicesContainsID(e.Identifiers, q.id) {
		add("identifier", 1-sum, func() string { return fmt.Sprintf("identifier %s equals one of the entity's: decisive", q.id) })
	}
	return round4(math.Min(1, math.Max(0, sum)))
}

// round4 rounds a score to 4 decimals: the float arithmetic below them is
// noise (0.9499999880790709 is 0.95), and a score is reported, compared
// with the threshold and explained at this precision.
func round4(x float64) float64 {
	return math.Round(x*1e4) / 1e4
}

// dobFinding is how a query's date of birth compares with an entity's.
type dobFinding struct {
	kind int // dobAgrees, dobNotComparable, dobYearAgrees, dobYearNear, dobYearFar
	gap  int // years between the closest dates, for dobYearFar
}

// Kinds of dobFinding.
const (
	dobAgrees = iota
	dobNotComparable
	dobYearAgrees
	dobYearNear
	dobYearFar
)

// detail explains the finding in words.
func (f dobFinding) detail(q *query, dobs []string) string {
	list := strings.Join(dobs, ", ")
	switch f.kind {
	case dobAgrees:
		return fmt.Sprintf("date of birth %s agrees with %s", q.dob, list)
	case dobNotComparable:
		return fmt.Sprintf("date of birth %s not comparable with %s", q.dob, list)
	case dobYearAgrees:
		return fmt.Sprintf("year of birth %d agrees with %s", q.dobYear, list)
	case dobYearNear:
		return fmt.Sprintf("year of birth %d is one year from %s", q.dobYear, list)
	}
	return fmt.Sprintf("year of birth %d is %d years from %s", q.dobYear, f.gap, list)
}

// dobEvidence compares the query's date of birth with the entity's.
func dobEvidence(q *query, dobs []string, o *Options) (float64, dobFinding) {
	for _, d := range dobs {
		if d == q.dob || (len(d) >= 4 && len(q.dob) >= 4 && (strings.HasPrefix(d, q.dob) || strings.HasPrefix(q.dob, d))) {
			return o.DOBMatch, dobFinding{kind: dobAgrees}
		}
	}
	if q.dobYear == 0 {
		return 0, dobFinding{kind: dobNotComparable}
	}
	gap := math.MaxInt
	for _, d := range dobs {
		if y := year(d); y != 0 {
			gap = min(gap, abs(y-q.dobYear))
		}
	}
	switch {
	case gap == math.MaxInt:
		return 0, dobFinding{kind: dobNotComparable}
	case gap == 0:
		return o.DOBMatch, dobFinding{kind: dobYearAgrees}
	case gap == 1:
		return -o.DOBNearMismatch, dobFinding{kind: dobYearNear}
	}
	return -o.DOBMismatch, dobFinding{kind: dobYearFar, gap: gap}
}

// year returns the first four-digit year of a date, or 0.
func year(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if isDigits(s[i:i+4]) && (i+4 == len(s) || s[i+4] < '0' || s[i+4] > '9') && (i == 0 || s[i-1] < '0' || s[i-1] > '9') {
			y, _ := strconv.Atoi(s[i : i+4])
			if y >= 1800 && y <= 2200 {
				return y
			}
		}
	}
	return 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

func slicesContainsID(ids []annex.Identifier, k string) bool {
	for _, id := range ids {
		if normalizeID(id.Value) == k {
			return true
		}
	}
	return false
}

// match turns a hit into the public result, with its explanation. The
// hit's final score is rounded already (evidence), so Match holds for a
// reported score equal to the threshold.
func (ix *Index) match(q *query, h *hit, threshold float64) annex.ScreenMatch {
	e := ix.entities[h.entity]
	m := annex.ScreenMatch{
		Source: e.Source, SourceID: e.SourceID, Name: e.PrimaryName(),
		Score: h.final, Match: h.final >= threshold,
		Type: e.Type, Programs: e.Programs, Countries: e.Countries, SourceList: e.SourceList,
	}
	if h.name >= 0 {
		in := &ix.names[h.name]
		m.MatchedName = in.raw
		// As fmt.Sprintf("query %q (%s) vs %s name %q (%s): %s", …).
		b := make([]byte, 0, 256)
		b = append(b, "query "...)
		b = strconv.AppendQuote(b, q.raw)
		b = append(b, " ("...)
		b = append(b, q.name.script.String()...)
		b = append(b, ") vs "...)
		b = append(b, in.kind...)
		b = append(b, " name "...)
		b = strconv.AppendQuote(b, in.raw)
		b = append(b, " ("...)
		b = append(b, in.name.script.String()...)
		b = append(b, "): "...)
		b = h.ns.explain(b, &q.name, q.w, &in.name, in.w, &ix.opts)
		m.Explanation = append(m.Explanation, annex.ScorePiece{Factor: "name", Score: round4(h.ns.score), Detail: string(b)})
	} else {
		m.MatchedName = e.PrimaryName()
		m.Explanation = append(m.Explanation, annex.ScorePiece{Factor: "name", Score: 0, Detail: "no name of the entity is close to the query"})
	}
	ix.evidence(q, h, &m.Explanation)
	m.Explanation = append(m.Explanation, annex.ScorePiece{Factor: "final", Score: h.final,
		Detail: "sum of the pieces, clamped to [0,1]; match at ≥ " + strconv.FormatFloat(threshold, 'f', 2, 64)})
	return m
}
