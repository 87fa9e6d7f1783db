package screen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// pair is one aligned pair of query and list tokens (or joins).
type pair struct {
	q, l *token
	sim  float64
	w    float64
	how  byte
}

// nameScore is the comparison of a query name with a list name.
type nameScore struct {
	score    float64
	exact    bool
	pairs    []pair
	extraQ   []int  // unmatched query tokens
	usedQ    uint32 // matched query tokens, as a bit set
	usedL    uint32 // matched list tokens, as a bit set
	subset   bool   // every substantive listed token matched strongly
	conflict bool   // name parts are left over on both sides
	syllabic bool   // a Chinese or Korean name compared across scripts
	extraL   []int  // unmatched list tokens
	capKind  int    // why the score was capped (capNone, capCJK…)
}

// weights of one side of a comparison: per single token.
type sideWeights []float64

// compareNames aligns the tokens of a query name and a list name one to
// one, in any order, and scores the alignment.
//
// s, if not nil, is the search's scratch: it holds the token
// similarities already computed in this search, keyed by the query token's
// position and the listed token's variant, and the buffers the result's
// slices are cut from.
func compareNames(q *parsedName, qw sideWeights, l *parsedName, lw sideWeights, o *Options, s *scratch) nameScore {
	if q.key == l.key && q.key != "" && q.cjk == l.cjk {
		return nameScore{score: 1, exact: true}
	}
	c := comparison{q: q, l: l, qw: qw, lw: lw, o: o, s: s,
		abjad:    (q.script.abjad() || l.script.abjad()) && q.script != l.script,
		syllabic: (q.script|l.script)&(scriptHan|scriptHangul) != 0 && q.script != l.script,
	}
	ns, num, den, nSub := c.align(c.candidatePairs())
	den += c.extras(&ns, nSub)
	if den > 0 {
		ns.score = num / den
	}
	c.caps(&ns, nSub)
	return ns
}

// comparison holds what the steps of compareNames share.
type comparison struct {
	q, l            *parsedName
	qw, lw          sideWeights
	o               *Options
	s               *scratch
	abjad, syllabic bool
}

// sim scores one pair of tokens, through the memo, with the factors of
// joins, syllables and roles.
func (c *comparison) sim(a, b *token, join bool) (float64, byte) {
	if c.s != nil {
		return c.factors(c.s.entry(c.s.row(b.key, c.abjad), a.key), a, b, join)
	}
	s, how := tokenSim(a, b, c.abjad, c.o)
	return c.scale(s, how, a, b, join), how
}

// factors uses a memo entry, computing it if needed, and applies the
// factors of joins, syllables and roles.
func (c *comparison) factors(m *simMemo, a, b *token, join bool) (float64, byte) {
	if m.how == 0 {
		m.sim, m.how = tokenSimWith(a, c.s.patterns(a), b, c.abjad, c.o.simNeed, c.o)
	}
	return c.scale(m.use(), m.how, a, b, join), m.how
}

// scale applies the factors of joins, syllables and roles to a token
// similarity.
func (c *comparison) scale(s float64, how byte, a, b *token, join bool) float64 {
	if join {
		s *= c.o.JoinFactor
	}
	if c.syllabic && s < 1 && how != howAlt {
		// One Chinese or Korean syllable is one character: a near-miss is
		// another character, not a typo.
		s *= c.o.SyllableFactor
	}
	if c.q.chain && c.l.chain && a.role != b.role {
		// "Salman bin Muhammad" is not "Muhammad bin Salman".
		s *= c.o.RoleMismatchFactor
	}
	return s
}

// candidatePairs scores every plausible pair of query and listed tokens,
// joins included, and returns those at or above MinTokenSim, best first.
func (c *comparison) candidatePairs() []pair {
	if c.s != nil && c.s.nq <= 64 && c.l.keys != nil {
		return c.keptPairs()
	}
	var cand []pair
	if c.s != nil {
		cand = c.s.cand[:0]
	}
	add := func(a, b *token, join bool) {
		if !plausible(a, b, c.abjad) {
			return
		}
		if s, how := c.sim(a, b, join); s >= c.o.MinTokenSim {
			cand = append(cand, pair{q: a, l: b, sim: s, how: how})
		}
	}
	q, l := c.q, c.l
	for i := range q.toks {
		for j := range l.toks {
			add(&q.toks[i], &l.toks[j], false)
		}
		for j := range l.joins {
			add(&q.toks[i], &l.joins[j], true)
		}
	}
	for i := range q.joins {
		for j := range l.toks {
			add(&q.joins[i], &l.toks[j], true)
		}
	}
	sortPairs(cand)
	if c.s != nil {
		c.s.cand = cand
	}
	return cand
}

// align assigns pairs greedily, best first, each token used once. It
// returns the weighted similarity (num), the weight of the pairs (den)
// and the number of substantive name parts matched (an initial counts
// half).
func (c *comparison) align(cand []pair) (ns nameScore, num, den, nSub float64) {
	var usedL uint32
	var pairs []pair
	if c.s != nil {
		pairs = c.s.pairs
	}
	start := len(pairs)
	for _, p := range cand {
		mq, ml := spanMask(p.q), spanMask(p.l)
		if ns.usedQ&mq != 0 || usedL&ml != 0 {
			continue
		}
		ns.usedQ |= mq
		usedL |= ml
		for k := p.l.from; k < p.l.to; k++ {
			p.w += c.lw[k]
		}
		num += math.Pow(p.sim, c.o.SimPower) * p.w
		den += p.w
		pairs = append(pairs, p)
		if sq, sl := spanSubstantive(c.q, p.q), spanSubstantive(c.l, p.l); sq > 0 && sl > 0 {
			if p.how == howInitial {
				nSub += 0.5
			} else {
				nSub += float64(max(sq, sl))
			}
		}
	}
	ns.pairs = pairs[start:len(pairs):len(pairs)]
	if c.s != nil {
		c.s.pairs = pairs
	}
	ns.usedL = usedL
	return ns, num, den, nSub
}

// extras records the unmatched tokens of both names and returns their
// weight.
func (c *comparison) extras(ns *nameScore, nSub float64) float64 {
	q, l, o := c.q, c.l, c.o
	// A listed name found whole inside a longer query ("Janan Mohammad
	// Ahmed Agha" for "Janan Agha") is a subset match: the query's extra
	// parts then cost as little as a listed name's extra parts.
	ns.syllabic = c.syllabic
	ns.subset = !c.syllabic && nSub >= 2 && coveredStrongly(l, ns.pairs, o.SubsetSim) && rarity(l, c.lw, o) >= o.SubsetMinRarity
	den := 0.0
	var buf []int
	if c.s != nil {
		buf = c.s.extras
	}
	start := len(buf)
	for i := range q.toks {
		if ns.usedQ&(1<<uint(i)) == 0 {
			buf = append(buf, i)
		}
	}
	ns.extraQ = buf[start:len(buf):len(buf)]
	for _, i := range ns.extraQ {
		den += ns.extraQueryFactor(q, i, o) * c.qw[i]
	}
	// Listed tokens left over while query name parts are left over too
	// are different names, not extra ones: they count fully.
	for _, i := range ns.extraQ {
		if cl := q.toks[i].class; cl == className || cl == classPatronymic {
			ns.conflict = true
		}
	}
	start = len(buf)
	for j := range l.toks {
		if ns.usedL&(1<<uint(j)) == 0 {
			buf = append(buf, j)
			den += ns.extraListFactor(l, j, o) * c.lw[j]
		}
	}
	ns.extraL = buf[start:len(buf):len(buf)]
	if c.s != nil {
		c.s.extras = buf
	}
	return den
}

// Why a name score was capped, for explanations.
const (
	capNone    = iota
	capCJK     // the names differ in Chinese or Korean characters
	capGeneric // only legal forms, generic words or particles agree
	capSingle  // one name part agrees of a longer name
)

// caps applies the guards: names written in Han or Hangul compare their
// characters too, a match needs a substantive name part, and a longer
// name needs more than one.
func (c *comparison) caps(ns *nameScore, nSub float64) {
	q, l, o := c.q, c.l, c.o
	if q.cjk != "" && l.cjk != "" && q.cjk != l.cjk {
		if s := editSim(q.cjk, l.cjk); s < ns.score {
			ns.score, ns.capKind = s, capCJK
		}
	}
	qSub, lSub := countSubstantive(q), countSubstantive(l)
	switch {
	case nSub == 0 && ns.score > o.GenericCap:
		ns.score, ns.capKind = o.GenericCap, capGeneric
	case nSub <= 1 && (qSub >= 2 || lSub >= 2) && ns.score > o.SingleTokenCap:
		ns.score, ns.capKind = o.SingleTokenCap, capSingle
	}
}

// capNote explains a cap in words.
func (ns *nameScore) capNote(q, l *parsedName, o *Options) string {
	switch ns.capKind {
	case capCJK:
		return fmt.Sprintf("capped at %.2f: the names differ in %s characters", ns.score, q.script)
	case capGeneric:
		return fmt.Sprintf("capped at %.2f: only legal forms, generic words or particles agree", o.GenericCap)
	case capSingle:
		return fmt.Sprintf("capped at %.2f: one name part agrees of %d query and %d listed parts",
			o.SingleTokenCap, countSubstantive(q), countSubstantive(l))
	}
	return ""
}

func spanMask(t *token) uint32 {
	return (uint32(1)<<uint(t.to) - 1) &^ (uint32(1)<<uint(t.from) - 1)
}

// spanSubstantive counts the substantive tokens a token or join covers.
func spanSubstantive(p *parsedName, t *token) int {
	n := 0
	for k := t.from; k < t.to; k++ {
		if p.toks[k].class.substantive() {
			n++
		}
	}
	return n
}

// extraQueryFactor is the weight factor of query token i left unmatched:
// full for a name part, ExtraListWeight for a legal form, generic word,
// honorific, particle, initial or a repeat of a matched token.
func (ns *nameScore) extraQueryFactor(q *parsedName, i int, o *Options) float64 {
	t := &q.toks[i]
	if ns.subset {
		return o.SubsetExtraWeight
	}
	if t.class != className && t.class != classNumber && t.class != classPatronymic {
		return o.ExtraListWeight
	}
	for k := range q.toks {
		if k != i && ns.usedQ&(1<<uint(k)) != 0 && q.toks[k].text == t.text {
			return o.ExtraListWeight
		}
	}
	return o.ExtraQueryWeight
}

// extraListFactor is the weight factor of listed token j left unmatched.
func (ns *nameScore) extraListFactor(l *parsedName, j int, o *Options) float64 {
	c := l.toks[j].class
	switch {
	case c == classNumber:
		return 1
	case (ns.conflict || ns.syllabic) && (c == className || c == classPatronymic):
		// Left-over parts are different names; and Chinese and Korean
		// syllables are so few that a listed two-syllable name is found in
		// many longer names.
		return o.ExtraQueryWeight
	}
	return o.ExtraListWeight
}

// rarity sums the rarity of a name's substantive tokens, each as a share
// of the rarity of a token seen once (o.idfUnknown): a name of two tokens
// seen only once has rarity 2; "Mohammad Ali", in a list where both are
// common, much less.
func rarity(p *parsedName, w sideWeights, o *Options) float64 {
	if o.idfUnknown == 0 {
		return 0
	}
	r := 0.0
	for i, t := range p.toks {
		if t.class == className {
			r += w[i] / o.idfUnknown
		}
	}
	return r
}

// coveredStrongly reports whether every substantive token of the name is
// in a pair of similarity at least min.
func coveredStrongly(p *parsedName, pairs []pair, min float64) bool {
	var strong uint32
	for _, pr := range pairs {
		if pr.sim >= min {
			strong |= spanMask(pr.l)
		}
	}
	for i, t := range p.toks {
		if t.class.substantive() && t.class != classInitial && strong&(1<<uint(i)) == 0 {
			return false
		}
	}
	return true
}

func countSubstantive(p *parsedName) int {
	n := 0
	for _, t := range p.toks {
		if t.class.substantive() && t.class != classInitial {
			n++
		}
	}
	return n
}

// explain appends the alignment of a name comparison in words to dst.
// It writes what fmt would with %q and %.2f, with strconv: explanations
// are built for every match returned.
func (ns *nameScore) explain(dst []byte, q *parsedName, qw sideWeights, l *parsedName, lw sideWeights, o *Options) []byte {
	if ns.exact {
		dst = append(dst, "identical after normalisation: "...)
		return strconv.AppendQuote(dst, strings.Join(texts(l.toks), " "))
	}
	dst = append(dst, "aligned: "...)
	for k, p := range ns.pairs {
		if k > 0 {
			dst = append(dst, "; "...)
		}
		dst = strconv.AppendQuote(dst, p.q.text)
		dst = append(dst, '~')
		dst = strconv.AppendQuote(dst, p.l.text)
		dst = append(dst, ' ')
		dst = strconv.AppendFloat(dst, p.sim, 'f', 2, 64)
		dst = append(dst, " ("...)
		dst = append(dst, howNames[p.how]...)
		dst = append(dst, ", weight "...)
		dst = strconv.AppendFloat(dst, p.w, 'f', 2, 64)
		dst = append(dst, ')')
	}
	for _, i := range ns.extraQ {
		dst = appendUnmatched(dst, "; query ", &q.toks[i], qw[i], ns.extraQueryFactor(q, i, o))
	}
	for _, j := range ns.extraL {
		dst = appendUnmatched(dst, "; listed ", &l.toks[j], lw[j], ns.extraListFactor(l, j, o))
	}
	if ns.subset && len(ns.extraQ) > 0 {
		dst = append(dst, "; the listed name is found whole in the query"...)
	}
	if note := ns.capNote(q, l, o); note != "" {
		dst = append(dst, "; "...)
		dst = append(dst, note...)
	}
	return dst
}

// appendUnmatched appends `side"text" unmatched (class, weight w×f)`.
func appendUnmatched(dst []byte, side string, t *token, w, f float64) []byte {
	dst = append(dst, side...)
	dst = strconv.AppendQuote(dst, t.text)
	dst = append(dst, " unmatched ("...)
	dst = append(dst, t.class.String()...)
	dst = append(dst, ", weight "...)
	dst = strconv.AppendFloat(dst, w, 'f', 2, 64)
	dst = append(dst, "×"...)
	dst = strconv.AppendFloat(dst, f, 'f', 2, 64)
	return append(dst, ')')
}

func texts(ts []token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.text
	}
	return out
}
