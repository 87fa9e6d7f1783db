package screen

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"annex"
)

// query is a screened party after parsing.
type query struct {
	raw     string
	name    parsedName
	w       sideWeights
	typ     annex.EntityType
	country string
	dob     string
	dobYear int
	id      string
}

// Search screens one party and returns its matches, best first: at most
// limit (0: DefaultLimit) entities scoring at least the floor. Match is set
// at the index's threshold.
func (ix *Index) Search(q annex.ScreenQuery, limit int) annex.ScreenResult {
	return ix.Screen(q, 0, limit)
}

// Screen is Search with a threshold for this query (0: the index's).
func (ix *Index) Screen(q annex.ScreenQuery, threshold float64, limit int) annex.ScreenResult {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if threshold <= 0 {
		threshold = ix.opts.Threshold
	}
	res := annex.ScreenResult{Query: q.Name, Matches: []annex.ScreenMatch{}}
	pq := ix.parseQuery(q)
	if len(pq.name.toks) == 0 && pq.id == "" {
		return res
	}
	s := ix.getScratch(len(pq.name.toks) + len(pq.name.joins))
	defer ix.scratch.Put(s)
	hits := ix.score(&pq, ix.candidates(&pq, s), s)
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.final, a.final); c != 0 {
			return c
		}
		if c := cmp.Compare(round4(b.ns.score), round4(a.ns.score)); c != 0 {
			return c
		}
		ea, eb := ix.entities[a.entity], ix.entities[b.entity]
		if c := cmp.Compare(ea.Source, eb.Source); c != 0 {
			return c
		}
		return cmp.Compare(ea.SourceID, eb.SourceID)
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	for i := range hits {
		res.Matches = append(res.Matches, ix.match(&pq, &hits[i], threshold))
	}
	return res
}

func (ix *Index) parseQuery(q annex.ScreenQuery) query {
	pq := query{raw: q.Name, name: parseName(q.Name), typ: q.Type, country: strings.ToUpper(strings.TrimSpace(q.Country)),
		dob: strings.TrimSpace(q.DOB), id: normalizeID(q.ID)}
	pq.w = ix.weights(&pq.name)
	for i := range pq.name.toks {
		pq.name.toks[i].key = int32(i)
	}
	for i := range pq.name.joins {
		pq.name.joins[i].key = int32(len(pq.name.toks) + i)
	}
	pq.dobYear = year(pq.dob)
	return pq
}

// candidates returns the names worth scoring: those sharing at least
// CandidateShare of the query's token mass through exact tokens, vowel
// folds, skeletons or one-character deletions, best first, at most
// MaxCandidates; plus names equal to the query after normalisation.
func (ix *Index) candidates(q *query, s *scratch) []int32 {
	var mass float64
	for i := range q.name.toks {
		mass += q.w[i]
	}
	// Each query token (or join) gets its own tag so that one list token
	// found through several keys counts once for it.
	qAbjad := q.name.script.abjad()
	for i := range q.name.toks {
		ix.gather(s, &q.name.toks[i], s.nextTag(), qAbjad)
	}
	for i := range q.name.joins {
		ix.gather(s, &q.name.joins[i], s.nextTag(), qAbjad)
	}
	out := s.topCandidates(float32(ix.opts.CandidateShare*mass), ix.opts.MaxCandidates)
	for _, n := range ix.exact[q.name.key] {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	s.cands = out
	return out
}

// gather adds to each name holding a listed token similar to t the rarity
// of that token, scaled by how the token was found: itself, its vowel
// fold, its consonant skeleton (across abjad and other scripts) or a
// one-letter deletion.
func (ix *Index) gather(s *scratch, t *token, tag uint32, qAbjad bool) {
	visitHash := func(h uint64, est float64) {
		ix.lookup(h, func(id int32) {
			if s.tokSeen[id] == tag {
				return
			}
			s.tokSeen[id] = tag
			w := float32(ix.idf[id] * est * ix.opts.classWeight(t.class))
			for _, n := range ix.tokNames[id] {
				a := &s.acc[n]
				if a.stamp != s.gen {
					*a = stamped[float32]{s.gen, 0}
					s.touched = append(s.touched, n)
				}
				a.v += w
			}
		})
	}
	visit := func(space byte, key string, est float64) { visitHash(ix.hash(space, key), est) }
	visit(keyExact, t.text, 1)
	if len(t.vfold) >= 3 {
		visit(keyVowels, t.vfold, 0.85)
		visit(keyExact, t.vfold, 0.85)
	}
	if len(t.skel) >= 2 {
		if qAbjad {
			visit(keySkeleton, t.skel, 0.8)
			for _, sk := range t.alts {
				visit(keySkeleton, sk, 0.8)
			}
		} else {
			visit(keyAbjad, t.skel, 0.8)
		}
	}
	// One-letter variants are looked for when the token is not a listed
	// token itself: a listed token is most likely what was meant.
	if t.to-t.from == 1 {
		if _, known := ix.vocab[t.text]; !known {
			forDeletions(t.text, func(d []byte) { visitHash(ix.hashBytes(keyDelete, d), 0.8) })
		}
	}
}

// topCandidates returns the touched names whose shared mass is at least
// floor, best first (by mass, then by index), at most k of them. A common
// token touches thousands of names: a heap of the best k, ordered by one
// integer per name (the mass's bits, then the complemented index), spares
// sorting them all.
func (s *scratch) topCandidates(floor float32, k int) []int32 {
	k = max(k, 0)
	h := s.top[:0]
	for _, n := range s.touched {
		a := s.acc[n].v
		if a < floor {
			continue
		}
		// acc ≥ 0, whose float bits order as the values do.
		key := uint64(math.Float32bits(a))<<32 | uint64(^uint32(n))
		switch {
		case len(h) < k:
			h = append(h, key)
			if len(h) == k {
				for i := k/2 - 1; i >= 0; i-- {
					siftDown(h, i)
				}
			}
		case k > 0 && key > h[0]:
			h[0] = key
			siftDown(h, 0)
		}
	}
	slices.SortFunc(h, func(a, b uint64) int { return cmp.Compare(b, a) })
	out := s.cands[:0]
	for _, key := range h {
		out = append(out, int32(^uint32(key)))
	}
	s.top = h
	return out
}

// siftDown restores the min-heap order of h below i.
func siftDown(h []uint64, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r] < h[l] {
			m = r
		}
		if h[i] <= h[m] {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
