package screen

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
)

// token is one normalised name part, or a join of adjacent parts.
type token struct {
	text  string
	vfold string // vowelFold(text)
	alt   string // for Hangul names, the McCune-Reischauer-style vowels (eo→o, eu→u); else text
	skel  string // skeleton(text)
	// skel2 is the skeleton with "dh" read as z, for tokens of abjad names
	// that hold "dh" (see arabicLetters); else "".
	skel2 string
	class tokenClass
	// role is roleFather for the name after "bin", "bint" or "ould" (a
	// father's name in an Arabic name chain), else 0.
	role uint8
	// from and to are the span of single tokens it covers (to exclusive).
	from, to uint8
	// key identifies the token for the similarity cache of a search: the
	// vocab id of a listed token, the position of a query token.
	key int32
}

// maxTokens bounds the tokens of a name that take part in alignment.
const maxTokens = 24

// parsedName is a name after the normalisation pipeline.
type parsedName struct {
	script script
	toks   []token // the name's tokens, in order
	joins  []token // adjacent name tokens joined by two and by three
	key    string  // sorted token texts: equal keys are the same name
	// cjk holds the Han and Hangul characters of a name written only in
	// those scripts: two such names also compare character by character,
	// since one syllable's transliteration hides differences (정/종).
	cjk string
	// chain is set when the name has a "bin X" part.
	chain bool
}

// roleFather marks the token after "bin": the father's name.
const roleFather = 1

// parseName runs the pipeline on one name.
func parseName(s string) parsedName {
	lat, sc := latinize(s)
	texts := canonical(split(lat))
	if len(texts) > maxTokens {
		texts = texts[:maxTokens]
	}
	p := parsedName{script: sc, toks: make([]token, len(texts))}
	for i, t := range texts {
		p.toks[i] = newToken(t, classify(t), i, i+1)
		if sc == scriptHangul {
			p.toks[i].alt = hangulAlt.Replace(t)
		}
		if sc.abjad() && strings.Contains(t, "dh") {
			p.toks[i].skel2 = skeleton(strings.ReplaceAll(t, "dh", "z"))
		}
		if i > 0 && (texts[i-1] == "bin" || texts[i-1] == "bint" || texts[i-1] == "ould") {
			p.toks[i].role = roleFather
			p.chain = true
		}
	}
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(texts); i++ {
			ok := true
			for _, t := range p.toks[i : i+n] {
				if t.class == classNumber {
					ok = false
				}
			}
			if ok {
				p.joins = append(p.joins, newToken(strings.Join(texts[i:i+n], ""), className, i, i+n))
			}
		}
	}
	if sc == scriptHan || sc == scriptHangul {
		var b strings.Builder
		for _, r := range s {
			if unicode.Is(unicode.Han, r) || isHangulSyllable(r) {
				b.WriteRune(r)
			}
		}
		p.cjk = b.String()
	}
	sorted := slices.Clone(texts)
	for i := range sorted {
		if p.toks[i].role == roleFather {
			sorted[i] += "/f"
		}
	}
	slices.Sort(sorted)
	p.key = strings.Join(sorted, " ")
	return p
}

func newToken(t string, c tokenClass, from, to int) token {
	return token{text: t, vfold: vowelFold(t), alt: t, skel: skeleton(t), class: c, from: uint8(from), to: uint8(to)}
}

// hangulAlt rewrites Revised Romanization vowels the way North Korean and
// older (McCune-Reischauer) spellings write them, as lists do: 정은 is
// "jeong eun" in RR and "Jong Un" on the lists.
var hangulAlt = strings.NewReplacer("eo", "o", "eu", "u")

// How two tokens were found similar, for explanations.
const (
	howExact    = 'e'
	howEdit     = 'd'
	howVowels   = 'v'
	howSkeleton = 's'
	howInitial  = 'i'
	howLegal    = 'l'
	howAlt      = 'k'
)

var howNames = map[byte]string{howExact: "exact", howEdit: "edit distance", howVowels: "phonetic edit distance",
	howSkeleton: "consonant skeleton", howInitial: "initial", howLegal: "different legal forms", howAlt: "Korean romanization variant"}

// tokenSim scores two tokens in [0,1]. abjad says that one of the names was
// written without short vowels.
func tokenSim(a, b *token, abjad bool, o *Options) (float64, byte) {
	if a.text == b.text {
		return 1, howExact
	}
	ac, bc := a.class, b.class
	if ac == classNumber || bc == classNumber {
		return 0, howExact
	}
	if ac == classLegal || bc == classLegal {
		if ac != bc {
			return 0, howLegal
		}
		if f := legalFamily[a.text]; f != 0 && f == legalFamily[b.text] {
			return 0.8, howLegal
		}
		return 0.5, howLegal
	}
	if ac == classInitial || bc == classInitial {
		if ac == bc {
			return 0, howInitial
		}
		if a.text[0] == b.text[0] {
			return o.InitialSim, howInitial
		}
		return 0, howInitial
	}
	if a.alt == b.alt {
		return 0.97, howAlt
	}
	sim, how := editSim(a.text, b.text), byte(howEdit)
	if sim < 1 && editSim(a.vfold, b.vfold) >= 0.5 {
		// Spellings of one sound: Mohammad, Muhammad; Qasim, Kasim. The
		// vowel folds filter out the pairs too far apart to bother.
		if v := phoneticSim(a.text, b.text) * o.VowelFoldFactor; v > sim {
			sim, how = v, howVowels
		}
	}
	switch {
	case abjad && ac == className && bc == className && a.to-a.from == 1 && b.to-b.from == 1 &&
		a.skel != "" && b.skel != "" && len(a.skel)+len(b.skel) >= 4:
		v := editSim(a.skel, b.skel)
		if a.skel2 != "" {
			v = max(v, editSim(a.skel2, b.skel))
		}
		if b.skel2 != "" {
			v = max(v, editSim(a.skel, b.skel2))
		}
		v *= o.AbjadFactor
		if consonants(a.skel) <= 2 || consonants(b.skel) <= 2 {
			// Two consonants say little: هدایت "hdait" and "Htet".
			v *= o.ShortSkeletonFactor
		}
		if v > sim {
			sim, how = v, howSkeleton
		}
	}
	// Short tokens differ by a larger share for one edit; do not let a
	// two- or three-letter token look like a near miss of another.
	if sim < 1 && min(len(a.text), len(b.text)) <= 3 && how == howEdit {
		sim *= 0.8
	}
	return sim, how
}

// consonants counts the consonant classes of a skeleton.
func consonants(skel string) int {
	if strings.HasPrefix(skel, "a") {
		return len(skel) - 1
	}
	return len(skel)
}

// simMemo is a cached token similarity.
type simMemo struct {
	sim float32
	how byte
}

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
	subset   bool   // every substantive listed token matched strongly
	conflict bool   // name parts are left over on both sides
	syllabic bool   // a Chinese or Korean name compared across scripts
	extraL   []int  // unmatched list tokens
	capNote  string
}

// weights of one side of a comparison: per single token.
type sideWeights []float64

// compareNames aligns the tokens of a query name and a list name one to
// one, in any order, and scores the alignment.
//
// cache, if not nil, holds token similarities already computed in this
// search, keyed by the query token's position and the listed token's
// vocab id.
func compareNames(q *parsedName, qw sideWeights, l *parsedName, lw sideWeights, o *Options, cache map[uint64]simMemo) nameScore {
	if q.key == l.key && q.key != "" && q.cjk == l.cjk {
		return nameScore{score: 1, exact: true}
	}
	abjad := (q.script.abjad() || l.script.abjad()) && q.script != l.script
	syllabic := (q.script|l.script)&(scriptHan|scriptHangul) != 0 && q.script != l.script
	var cand []pair
	add := func(a, b *token, join bool) {
		if !plausible(a, b, abjad) {
			return
		}
		var s float64
		var how byte
		if cache != nil {
			k := uint64(uint32(a.key))<<32 | uint64(uint32(b.key))
			if abjad {
				k |= 1 << 63
			}
			if m, ok := cache[k]; ok {
				s, how = float64(m.sim), m.how
			} else {
				s, how = tokenSim(a, b, abjad, o)
				cache[k] = simMemo{float32(s), how}
			}
		} else {
			s, how = tokenSim(a, b, abjad, o)
		}
		if join {
			s *= o.JoinFactor
		}
		if syllabic && s < 1 && how != howAlt {
			// One Chinese or Korean syllable is one character: a
			// near-miss is another character, not a typo.
			s *= o.SyllableFactor
		}
		if q.chain && l.chain && a.role != b.role {
			// "Salman bin Muhammad" is not "Muhammad bin Salman".
			s *= o.RoleMismatchFactor
		}
		if s >= o.MinTokenSim {
			cand = append(cand, pair{q: a, l: b, sim: s, how: how})
		}
	}
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
	slices.SortFunc(cand, func(a, b pair) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		if c := cmp.Compare(int(b.q.to-b.q.from)+int(b.l.to-b.l.from), int(a.q.to-a.q.from)+int(a.l.to-a.l.from)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.q.from, b.q.from); c != 0 {
			return c
		}
		return cmp.Compare(a.l.from, b.l.from)
	})
	var usedQ, usedL uint32
	var ns nameScore
	var num, den, nSub float64
	for _, p := range cand {
		mq, ml := spanMask(p.q), spanMask(p.l)
		if usedQ&mq != 0 || usedL&ml != 0 {
			continue
		}
		usedQ |= mq
		usedL |= ml
		for k := p.l.from; k < p.l.to; k++ {
			p.w += lw[k]
		}
		num += math.Pow(p.sim, o.SimPower) * p.w
		den += p.w
		ns.pairs = append(ns.pairs, p)
		if sq, sl := spanSubstantive(q, p.q), spanSubstantive(l, p.l); sq > 0 && sl > 0 {
			if p.how == howInitial {
				nSub += 0.5
			} else {
				nSub += float64(max(sq, sl))
			}
		}
	}
	ns.usedQ = usedQ
	// A listed name found whole inside a longer query ("Janan Mohammad
	// Ahmed Agha" for "Janan Agha") is a subset match: the query's extra
	// parts then cost as little as a listed name's extra parts.
	ns.syllabic = syllabic
	ns.subset = !syllabic && nSub >= 2 && coveredStrongly(l, ns.pairs, o.SubsetSim) && rarity(l, lw, o) >= o.SubsetMinRarity
	for i := range q.toks {
		if usedQ&(1<<uint(i)) == 0 {
			ns.extraQ = append(ns.extraQ, i)
			den += ns.extraQueryFactor(q, i, o) * qw[i]
		}
	}
	// Listed tokens left over while query name parts are left over too
	// are different names, not extra ones: they count fully.
	ns.conflict = false
	for _, i := range ns.extraQ {
		if c := q.toks[i].class; c == className || c == classPatronymic {
			ns.conflict = true
		}
	}
	for j := range l.toks {
		if usedL&(1<<uint(j)) == 0 {
			ns.extraL = append(ns.extraL, j)
			den += ns.extraListFactor(l, j, o) * lw[j]
		}
	}
	if den > 0 {
		ns.score = num / den
	}
	if q.cjk != "" && l.cjk != "" && q.cjk != l.cjk {
		if c := editSim(q.cjk, l.cjk); c < ns.score {
			ns.score = c
			ns.capNote = fmt.Sprintf("capped at %.2f: the names differ in %s characters", c, q.script)
		}
	}
	qSub, lSub := countSubstantive(q), countSubstantive(l)
	switch {
	case nSub == 0 && ns.score > o.GenericCap:
		ns.score = o.GenericCap
		ns.capNote = fmt.Sprintf("capped at %.2f: only legal forms, generic words or particles agree", o.GenericCap)
	case nSub <= 1 && (qSub >= 2 || lSub >= 2) && ns.score > o.SingleTokenCap:
		ns.score = o.SingleTokenCap
		ns.capNote = fmt.Sprintf("capped at %.2f: one name part agrees of %d query and %d listed parts", o.SingleTokenCap, qSub, lSub)
	}
	return ns
}

// plausible is a cheap filter before tokenSim: tokens of very different
// lengths, or whose first letters differ in Latin-to-Latin comparisons
// of long tokens, are not compared.
func plausible(a, b *token, abjad bool) bool {
	la, lb := len(a.text), len(b.text)
	if la == 0 || lb == 0 {
		return false
	}
	if a.class == classInitial || b.class == classInitial {
		return true
	}
	if abjad {
		return true
	}
	// A length ratio below 0.6 keeps the edit similarity below 0.6, under
	// MinTokenSim's default.
	return la*10 >= lb*6 && lb*10 >= la*6
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

// explain writes the alignment of a name comparison in words.
func (ns *nameScore) explain(q *parsedName, qw sideWeights, l *parsedName, lw sideWeights, o *Options) string {
	var b strings.Builder
	if ns.exact {
		fmt.Fprintf(&b, "identical after normalisation: %q", strings.Join(texts(l.toks), " "))
		return b.String()
	}
	sims := make([]string, 0, len(ns.pairs))
	for _, p := range ns.pairs {
		sims = append(sims, fmt.Sprintf("%q~%q %.2f (%s, weight %.2f)", p.q.text, p.l.text, p.sim, howNames[p.how], p.w))
	}
	b.WriteString("aligned: ")
	b.WriteString(strings.Join(sims, "; "))
	for _, i := range ns.extraQ {
		fmt.Fprintf(&b, "; query %q unmatched (%s, weight %.2f×%.2f)", q.toks[i].text, q.toks[i].class, qw[i], ns.extraQueryFactor(q, i, o))
	}
	for _, j := range ns.extraL {
		f := ns.extraListFactor(l, j, o)
		fmt.Fprintf(&b, "; listed %q unmatched (%s, weight %.2f×%.2f)", l.toks[j].text, l.toks[j].class, lw[j], f)
	}
	if ns.subset && len(ns.extraQ) > 0 {
		b.WriteString("; the listed name is found whole in the query")
	}
	if ns.capNote != "" {
		b.WriteString("; ")
		b.WriteString(ns.capNote)
	}
	return b.String()
}

func texts(ts []token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.text
	}
	return out
}
