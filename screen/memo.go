package screen

import (
	"cmp"
	"slices"
)

// The similarity memo of a search. A query token (or join) and a listed
// token are compared once per search, whatever the number of listed
// names holding the token: entries are keyed by the query token's
// position, the listed token's key (its vocab id) and whether the abjad
// reading applies. Rows are filled for a listed name's tokens before its
// pairs are formed, and a row's keep mask says which query tokens may
// align with it, so that most pairs are dismissed by one bit test.
//
// Two quirks of the first memo, a map of float32, are kept so that
// results stay as they were: a pair's similarity is returned in full
// precision the first time the search uses it and rounded to float32
// afterwards, and a listed text met as a join and as a single token (or in
// abjad and other names) keeps the similarity of the form met first.

// simMemo is a memoised token similarity.
type simMemo struct {
	sim  float64
	how  byte // 0: not computed
	used bool // returned once: later uses read sim as a float32
}

// memoRow says which entries of a row are computed and may align.
type memoRow struct {
	keep   uint64 // the query tokens whose similarity may reach simNeed
	filled uint8  // rowToks: the entries of query tokens; rowJoins: of joins
}

// Parts of a row, for memoRow.filled.
const (
	rowToks  = 1
	rowJoins = 2
)

// row returns the index of the row of listed token key lk, making it.
func (s *scratch) row(lk int32, abjad bool) int {
	ro := &s.rowOf[lk]
	if ro.stamp != s.gen {
		n := len(s.memo)
		*ro = stamped[int32]{s.gen, int32(len(s.rows))}
		s.memo = slices.Grow(s.memo, 2*s.nq)[:n+2*s.nq]
		clear(s.memo[n:])
		s.rows = append(s.rows, memoRow{}, memoRow{})
	}
	r := int(ro.v)
	if abjad {
		r++
	}
	return r
}

// entry returns the memo entry of query token qk in row r.
func (s *scratch) entry(r int, qk int32) *simMemo {
	return &s.memo[r*s.nq+int(qk)]
}

// use returns the memoised similarity as the first memo gave it.
func (m *simMemo) use() float64 {
	if m.used {
		return float64(float32(m.sim))
	}
	m.used = true
	return m.sim
}

// fill computes the entries of listed token b's row (b.key is key) for
// the query's tokens and, with joins, the query's joins, and returns the
// row's keep mask. Pairs that plausible rejects are marked computed and
// never kept.
func (c *comparison) fill(key int32, b *token, joins bool) uint64 {
	s, q := c.s, c.q
	r := c.s.row(key, c.abjad)
	row := &s.rows[r]
	if row.filled&rowToks == 0 {
		row.filled |= rowToks
		for i := range q.toks {
			row.keep |= c.fillEntry(r, &q.toks[i], b)
		}
	}
	if joins && row.filled&rowJoins == 0 {
		row.filled |= rowJoins
		for i := range q.joins {
			row.keep |= c.fillEntry(r, &q.joins[i], b)
		}
	}
	return row.keep
}

// fillEntry computes one entry, unless done, and returns its keep bit.
func (c *comparison) fillEntry(r int, a, b *token) uint64 {
	m := c.s.entry(r, a.key)
	if m.how == 0 {
		if !plausible(a, b, c.abjad) {
			m.how = howImplausible
			return 0
		}
		m.sim, m.how = tokenSimWith(a, c.s.patterns(a), b, c.abjad, c.o.simNeed, c.o)
	}
	// Kept when the similarity may align in full precision or as a
	// float32 (see use).
	if m.how != howImplausible && (m.sim >= c.o.simNeed || float64(float32(m.sim)) >= c.o.simNeed) {
		return 1 << uint(a.key)
	}
	return 0
}

// keptPairs is candidatePairs through the rows' keep masks; the query has
// at most 64 tokens and joins, and the listed name its keys.
func (c *comparison) keptPairs() []pair {
	s, q, l := c.s, c.q, c.l
	var keepTok [maxTokens]uint64
	for j := range l.toks {
		keepTok[j] = c.fill(l.keys[j], &l.toks[j], true)
	}
	keepJoin := s.keepJoin[:0]
	for j := range l.joins {
		keepJoin = append(keepJoin, c.fill(l.keys[len(l.toks)+j], &l.joins[j], false))
	}
	s.keepJoin = keepJoin
	cand := s.cand[:0]
	add := func(a, b *token, join bool) {
		v, how := c.factors(c.s.entry(c.s.row(b.key, c.abjad), a.key), a, b, join)
		if v >= c.o.MinTokenSim {
			cand = append(cand, pair{q: a, l: b, sim: v, how: how})
		}
	}
	for i := range q.toks {
		bit := uint64(1) << uint(q.toks[i].key)
		for j := range l.toks {
			if keepTok[j]&bit != 0 {
				add(&q.toks[i], &l.toks[j], false)
			}
		}
		for j := range l.joins {
			if keepJoin[j]&bit != 0 {
				add(&q.toks[i], &l.joins[j], true)
			}
		}
	}
	for i := range q.joins {
		bit := uint64(1) << uint(q.joins[i].key)
		for j := range l.toks {
			if keepTok[j]&bit != 0 {
				add(&q.joins[i], &l.toks[j], true)
			}
		}
	}
	sortPairs(cand)
	s.cand = cand
	return cand
}

// sortPairs orders candidate pairs best first: by similarity, then the
// pair covering more tokens, then by position.
func sortPairs(cand []pair) {
	slices.SortFunc(cand, func(a, b pair) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		// Among equals, a pair covering more tokens first.
		if c := cmp.Compare(int(b.q.to-b.q.from)+int(b.l.to-b.l.from), int(a.q.to-a.q.from)+int(a.l.to-a.l.from)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.q.from, b.q.from); c != 0 {
			return c
		}
		return cmp.Compare(a.l.from, b.l.from)
	})
}

// patterns returns the edit-distance patterns of query token t, or nil
// when it has none (not ASCII, or longer than 64 bytes).
func (s *scratch) patterns(t *token) *formPatterns {
	if !t.ascii || len(t.text) > 64 {
		return nil
	}
	p := &s.pats[t.key]
	if !s.patReady[t.key] {
		s.patReady[t.key] = true
		p.text.init(t.text)
		p.vfold.init(t.vfold)
	}
	return p
}
