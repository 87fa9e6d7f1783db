package screen

import "slices"

// scratch is per-search working memory, reused through Index.scratch: a
// search allocates little beyond its result.
type scratch struct {
	// gen numbers the searches that used this scratch; stamps equal to it
	// mark entries written by the current search.
	gen uint32
	// Candidate gathering (Index.candidates).
	acc     []float32 // per name: token mass shared with the query
	stamp   []uint32  // per name: the search that last touched acc
	tokSeen []uint32  // per vocab token: the query token that last used it
	tag     uint32
	touched []int32
	cands   []int32

	// memo holds the token similarities of this search: a row per listed
	// token variant met, of 2·nq entries (nq query tokens and joins, each
	// without and with the abjad reading); memoRow and memoStamp place a
	// variant's row.
	memo      []simMemo
	memoRow   []int32
	memoStamp []uint32
	nq        int
	// pats are the edit-distance patterns of the query's tokens and joins,
	// built on first use (patReady).
	pats     []formPatterns
	patReady []bool

	// Scoring (Index.score): the hits, each entity's hit (entHit, valid
	// when entStamp is gen), and the buffers the name comparisons use.
	hits     []hit
	entHit   []int32
	entStamp []uint32
	cand     []pair
	pairs    []pair // the pairs of every nameScore of this search
	extras   []int  // the extraQ and extraL of every nameScore
}

// getScratch returns a scratch for a search with nq query tokens and joins.
func (ix *Index) getScratch(nq int) *scratch {
	s, ok := ix.scratch.Get().(*scratch)
	if !ok {
		s = &scratch{acc: make([]float32, len(ix.names)), stamp: make([]uint32, len(ix.names)),
			tokSeen: make([]uint32, len(ix.tokNames)), memoRow: make([]int32, ix.variants),
			memoStamp: make([]uint32, ix.variants), entHit: make([]int32, len(ix.entities)),
			entStamp: make([]uint32, len(ix.entities))}
	}
	s.gen++
	if s.gen == 0 { // wrapped: clear the stamps
		clear(s.stamp)
		clear(s.memoStamp)
		clear(s.entStamp)
		s.gen = 1
	}
	s.touched, s.cands, s.hits = s.touched[:0], s.cands[:0], s.hits[:0]
	s.memo, s.pairs, s.extras = s.memo[:0], s.pairs[:0], s.extras[:0]
	s.nq = nq
	if cap(s.pats) < nq {
		s.pats = make([]formPatterns, nq)
		s.patReady = make([]bool, nq)
	}
	s.pats, s.patReady = s.pats[:nq], s.patReady[:nq]
	clear(s.patReady)
	return s
}

// nextTag returns a tag for tokSeen not used since it was last cleared.
func (s *scratch) nextTag() uint32 {
	s.tag++
	if s.tag == 0 {
		clear(s.tokSeen)
		s.tag = 1
	}
	return s.tag
}

// memoOf returns the memo entry of query token qk and listed token
// variant lk, read in the abjad way or not; an entry not yet computed has
// how 0.
func (s *scratch) memoOf(qk, lk int32, abjad bool) *simMemo {
	if s.memoStamp[lk] != s.gen {
		s.memoStamp[lk] = s.gen
		n := len(s.memo)
		s.memoRow[lk] = int32(n / (2 * s.nq))
		s.memo = slices.Grow(s.memo, 2*s.nq)[:n+2*s.nq]
		clear(s.memo[n:])
	}
	i := int(s.memoRow[lk])*2*s.nq + int(qk)
	if abjad {
		i += s.nq
	}
	return &s.memo[i]
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
