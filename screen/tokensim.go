package screen

import (
	"math/bits"
	"strings"
)

// How two tokens were found similar, for explanations.
const (
	howExact    = 'e'
	howEdit     = 'd'
	howVowels   = 'v'
	howSkeleton = 's'
	howInitial  = 'i'
	howLegal    = 'l'
	howAlt      = 'k'
	// howImplausible marks a memo entry of a pair that plausible rejects.
	howImplausible = 'x'
)

var howNames = map[byte]string{howExact: "exact", howEdit: "edit distance", howVowels: "phonetic edit distance",
	howSkeleton: "consonant skeleton", howInitial: "initial", howLegal: "different legal forms", howAlt: "Korean romanization variant"}

// tokenSim scores two tokens in [0,1]. abjad says that one of the names was
// written without short vowels.
func tokenSim(a, b *token, abjad bool, o *Options) (float64, byte) {
	return tokenSimWith(a, nil, b, abjad, 0, o)
}

// tokenSimWith is tokenSim with the edit-distance patterns of a, built
// once per query token; pa is nil when a has none (it is not ASCII or is
// longer than 64 bytes). A similarity below need is of no use to the
// caller: when bounds show that the edit or the phonetic similarity
// cannot reach it, they are not computed, and the result is then some
// value below need.
func tokenSimWith(a *token, pa *formPatterns, b *token, abjad bool, need float64, o *Options) (float64, byte) {
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
	abjadPair := abjad && ac == className && bc == className && a.to-a.from == 1 && b.to-b.from == 1 &&
		a.skel != "" && b.skel != ""
	fast := pa != nil && b.ascii && len(b.text) <= 64
	skipEdit, skipPhonetic := false, false
	if fast && !abjadPair && need > 0 {
		skipEdit, skipPhonetic = hopeless(a, b, need, o)
	}
	var sim float64
	switch {
	case skipEdit:
	case fast:
		sim = editSimASCII(&pa.text, b.text)
	default:
		sim = editSim(a.text, b.text)
	}
	how := byte(howEdit)
	if sim < 1 && !skipPhonetic && vowelFoldClose(a, pa, b, fast) {
		// Spellings of one sound: Mohammad, Muhammad; Qasim, Kasim. The
		// vowel folds filter out the pairs too far apart to bother.
		if v := phoneticOf(a, b, fast) * o.VowelFoldFactor; v > sim {
			sim, how = v, howVowels
		}
	}
	if abjadPair {
		if v := abjadSim(a, b) * o.AbjadFactor; v > sim {
			if consonants(a.skel) <= 2 || consonants(b.skel) <= 2 {
				// Two consonants say little: هدایت "hdait" and "Htet".
				v *= o.ShortSkeletonFactor
			}
			sim, how = max(sim, v), howSkeleton
		}
	}
	// Short tokens differ by a larger share for one edit; do not let a
	// two- or three-letter token look like a near miss of another.
	if sim < 1 && min(len(a.text), len(b.text)) <= 3 && how == howEdit {
		sim *= 0.8
	}
	return sim, how
}

// Slacks keep the bounds of hopeless clear of rounding: a similarity
// within them of need is computed. The phonetic distance is a sum of
// float32 costs, hence its larger slack.
const (
	editSlack     = 1e-6
	phoneticSlack = 1e-4
)

// hopeless reports whether the edit similarity and the phonetic
// similarity of ASCII tokens a and b, which are not an abjad pair, are
// certainly below need.
//
// The edit distance is at least the length difference and the number of
// characters of one token that the other lacks (counted up to two of a
// letter). The phonetic distance is at least the number of single
// consonants (not doubled, not h) of one token that no consonant of the
// same sound class of the other can take, since each costs a full edit;
// and the longer token loses at least the length difference in letters,
// those not among these consonants at its cheapest deletion cost.
func hopeless(a, b *token, need float64, o *Options) (edit, phonetic bool) {
	la, lb := len(a.text), len(b.text)
	n := float64(max(la, lb))
	d := max(bits.OnesCount64(a.chars&^b.chars), bits.OnesCount64(b.chars&^a.chars), abs(la-lb))
	edit = 1-float64(d)/n < need-editSlack
	switch {
	case la > 32 || lb > 32:
		phonetic = true // phoneticSim gives 0
	case a.consOK && b.consOK:
		ka, kb := consExcess(a.cons1, b.cons), consExcess(b.cons1, a.cons)
		if la < lb {
			a, b, ka, kb = b, a, kb, ka
		}
		// a is now the longer token.
		cost := max(float64(kb), float64(ka)+float64(max(0, abs(la-lb)-ka))*float64(a.minIndel))
		phonetic = (1-cost/n)*o.VowelFoldFactor < need-phoneticSlack
	}
	return edit, phonetic
}

// phoneticOf is phoneticSim of two tokens of different texts; fast says
// both are ASCII.
func phoneticOf(a, b *token, fast bool) float64 {
	if fast && len(a.text) <= 32 && len(b.text) <= 32 {
		return phoneticSimASCII(a.text, b.text)
	}
	return phoneticSim(a.text, b.text)
}

// vowelFoldClose reports whether the vowel folds of a and b are close
// enough (edit similarity ≥ 0.5) to try the phonetic edit distance.
func vowelFoldClose(a *token, pa *formPatterns, b *token, fast bool) bool {
	if fast {
		return editSimASCII(&pa.vfold, b.vfold) >= 0.5
	}
	return editSim(a.vfold, b.vfold) >= 0.5
}

// formPatterns are the edit-distance patterns of a query token's text and
// vowel fold.
type formPatterns struct {
	text, vfold osaPattern
}

// consonants counts the consonant classes of a skeleton.
func consonants(skel string) int {
	if strings.HasPrefix(skel, "a") {
		return len(skel) - 1
	}
	return len(skel)
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

// abjadSim compares the skeletons of two tokens, one from an abjad name,
// trying every reading of the abjad token (token.alts).
func abjadSim(a, b *token) float64 {
	v := editSim(a.skel, b.skel)
	for _, sk := range a.alts {
		v = max(v, editSim(sk, b.skel))
	}
	for _, sk := range b.alts {
		v = max(v, editSim(a.skel, sk))
	}
	return v
}
