package screen

import "strings"

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
	if sim, how, ok := classSim(a, b, o); ok {
		return sim, how
	}
	ac, bc := a.class, b.class
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

// classSim scores the pairs that need no spelling comparison: equal
// texts, numbers, legal forms, initials and Korean romanization variants.
// ok is false for the others.
func classSim(a, b *token, o *Options) (sim float64, how byte, ok bool) {
	if a.text == b.text {
		return 1, howExact, true
	}
	ac, bc := a.class, b.class
	if ac == classNumber || bc == classNumber {
		return 0, howExact, true
	}
	if ac == classLegal || bc == classLegal {
		if ac != bc {
			return 0, howLegal, true
		}
		if f := legalFamily[a.text]; f != 0 && f == legalFamily[b.text] {
			return 0.8, howLegal, true
		}
		return 0.5, howLegal, true
	}
	if ac == classInitial || bc == classInitial {
		if ac != bc && a.text[0] == b.text[0] {
			return o.InitialSim, howInitial, true
		}
		return 0, howInitial, true
	}
	// Texts differ here, so alts can be equal only if one differs from
	// its text.
	if (a.hasAlt || b.hasAlt) && a.alt == b.alt {
		return 0.97, howAlt, true
	}
	return 0, 0, false
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
