package screen

// Cheap upper bounds of token similarities. Most pairs of tokens a search
// meets are far apart; tokenSimWith checks these bounds first and spares
// itself the edit and phonetic distances that cannot reach MinTokenSim.

import "math/bits"

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

// charSet is the multiset of the bytes of an ASCII string, as bits, with
// counts above 2 counted as 2: two bits a letter (bit 2c for one, 2c+1 for
// a second), one a digit, and one shared by all other bytes.
func charSet(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			bit := uint64(1) << (2 * (c - 'a'))
			if m&bit != 0 {
				bit <<= 1
			}
			m |= bit
		case c >= '0' && c <= '9':
			m |= 1 << (52 + c - '0')
		default:
			m |= 1 << 63
		}
	}
	return m
}

// minIndel is the lowest cost of inserting or deleting a byte of an ASCII
// string in phoneticSim (see indelCosts), or 1 for an empty string.
func minIndel(s string) float32 {
	if len(s) > 32 {
		return 1
	}
	var costs [32]float32
	indelCosts(s, costs[:len(s)])
	m := float32(1)
	for _, c := range costs[:len(s)] {
		m = min(m, c)
	}
	return m
}

// consIndex numbers the sound classes of consonants other than h (see
// letterClass) for consonantCounts, or gives -1.
func consIndex(c byte) int {
	switch letterClass(c) {
	case 'b':
		return 0
	case 'f':
		return 1
	case 'k':
		return 2
	case 'g':
		return 3
	case 's':
		return 4
	case 't':
		return 5
	case 'l':
		return 6
	case 'm':
		return 7
	case 'n':
		return 8
	case 'r':
		return 9
	}
	return -1
}

// consonantCounts counts the consonants of an ASCII token of each sound
// class other than h, in unary, 6 bits a class (a count above 6 counts 6):
// all of them, and those that are not doubled (whose deletion costs a full
// edit in phoneticSim). ok is false for tokens with a digit or another byte
// that is not a letter, or longer than 32 bytes.
func consonantCounts(s string) (all, single uint64, ok bool) {
	if len(s) > 32 {
		return 0, 0, false
	}
	var nAll, nSingle [10]int
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 'a' || c > 'z' {
			return 0, 0, false
		}
		k := consIndex(c)
		if k < 0 {
			continue
		}
		nAll[k]++
		if (i == 0 || s[i-1] != c) && (i+1 == len(s) || s[i+1] != c) {
			nSingle[k]++
		}
	}
	for k := range nAll {
		all |= (1<<min(nAll[k], 6) - 1) << (6 * k)
		single |= (1<<min(nSingle[k], 6) - 1) << (6 * k)
	}
	return all, single, true
}

// consExcess is the number of consonants counted in x beyond those of the
// same class in y (unary counts of consonantCounts; at most 6 a class, so
// possibly fewer than the true number).
func consExcess(x, y uint64) int {
	return bits.OnesCount64(x &^ y)
}
