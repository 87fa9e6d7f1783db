package screen

// scratch is per-search working memory, reused through Index.scratch: a
// search allocates little beyond its result.
type scratch struct {
	// gen numbers the searches that used this scratch; stamps equal to it
	// mark entries written by the current search.
	gen uint32
	// Candidate gathering (Index.candidates).
	acc     []stamped[float32] // per name: token mass shared with the query
	tokSeen []uint32           // per vocab token: the query token that last used it
	tag     uint32
	touched []int32
	top     []uint64 // heap of topCandidates
	cands   []int32

	// memo holds the token similarities of this search (see memo.go):
	// per listed token key met, two rows (without and with the abjad
	// reading) of nq entries, one per query token and join; rowOf places a
	// key's rows, rows says what they hold.
	memo     []simMemo
	rows     []memoRow
	rowOf    []stamped[int32]
	nq       int
	keepJoin []uint64 // per join of a listed name: memoRow.keep
	// pats are the edit-distance patterns of the query's tokens and joins,
	// built on first use (patReady).
	pats     []formPatterns
	patReady []bool

	// Scoring (Index.score): the hits, each entity's hit, and the buffers
	// the name comparisons use.
	hits   []hit
	entHit []stamped[int32]
	cand   []pair
	pairs  []pair // the pairs of every nameScore of this search
	extras []int  // the extraQ and extraL of every nameScore
}

// stamped is an entry of an array indexed by name, entity or token, valid
// for the search whose gen is its stamp: arrays are not cleared between
// searches, and stamp and value share a cache line.
type stamped[T any] struct {
	stamp uint32
	v     T
}

// getScratch returns a scratch for a search with nq query tokens and joins.
func (ix *Index) getScratch(nq int) *scratch {
	s, ok := ix.scratch.Get().(*scratch)
	if !ok {
		s = &scratch{acc: make([]stamped[float32], len(ix.names)), tokSeen: make([]uint32, len(ix.tokNames)),
			rowOf: make([]stamped[int32], ix.tokenKeys), entHit: make([]stamped[int32], len(ix.entities))}
	}
	s.gen++
	if s.gen == 0 { // wrapped: clear the stamps
		clear(s.acc)
		clear(s.rowOf)
		clear(s.entHit)
		s.gen = 1
	}
	s.touched, s.cands, s.hits = s.touched[:0], s.cands[:0], s.hits[:0]
	s.memo, s.rows, s.pairs, s.extras = s.memo[:0], s.rows[:0], s.pairs[:0], s.extras[:0]
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
