package screen

import "unicode/utf8"

// osaDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// characters each cost 1. ASCII strings of up to 64 bytes use Hyyrö's
// bit-parallel algorithm; others a dynamic programme over runes.
func osaDistance(a, b string) int {
	if a == b {
		return 0
	}
	if len(a) == 0 {
		return utf8.RuneCountInString(b)
	}
	if len(b) == 0 {
		return utf8.RuneCountInString(a)
	}
	if len(a) <= 64 && isASCII(a) && isASCII(b) {
		return osaBits(a, b)
	}
	return osaDP([]rune(a), []rune(b))
}

// osaBits computes the OSA distance of ASCII strings, len(a) <= 64
// (H. Hyyrö, "A bit-vector algorithm for computing Levenshtein and Damerau
// edit distances", 2003).
func osaBits(a, b string) int {
	var p osaPattern
	p.init(a)
	return p.distance(b)
}

// osaPattern holds the match masks of an ASCII string of up to 64 bytes
// for osaBits, so that a token compared with many others builds them once.
type osaPattern struct {
	a string
	// peq is the match mask of each character of a, in a small table
	// indexed by the character's low six bits; owner says which character
	// filled a slot. A collision (two characters of a sharing six bits)
	// falls back to scanning a.
	peq     [64]uint64
	owner   [64]byte
	collide bool
}

// init builds the masks of a (ASCII, 1 to 64 bytes).
func (p *osaPattern) init(a string) {
	*p = osaPattern{a: a}
	for i := 0; i < len(a); i++ {
		c := a[i]
		k := c & 63
		if p.peq[k] != 0 && p.owner[k] != c {
			p.collide = true
		}
		p.owner[k] = c
		p.peq[k] |= 1 << uint(i)
	}
}

// distance is the OSA distance of the pattern's string and b (ASCII).
func (p *osaPattern) distance(b string) int {
	a := p.a
	vp, vn, d0, pmOld := ^uint64(0), uint64(0), uint64(0), uint64(0)
	dist := len(a)
	last := uint64(1) << uint(len(a)-1)
	for j := 0; j < len(b); j++ {
		var pm uint64
		if c := b[j]; p.collide {
			for i := 0; i < len(a); i++ {
				if a[i] == c {
					pm |= 1 << uint(i)
				}
			}
		} else if p.owner[c&63] == c {
			pm = p.peq[c&63]
		}
		tr := (((^d0) & pm) << 1) & pmOld
		d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
		hp := vn | ^(d0 | vp)
		hn := d0 & vp
		if hp&last != 0 {
			dist++
		}
		if hn&last != 0 {
			dist--
		}
		hp = (hp << 1) | 1
		hn <<= 1
		vp = hn | ^(d0 | hp)
		vn = hp & d0
		pmOld = pm
	}
	return dist
}

// osaDP is the textbook OSA dynamic programme, for runes.
func osaDP(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// editSimASCII is editSim of the pattern's string and b, both ASCII and of
// up to 64 bytes.
func editSimASCII(p *osaPattern, b string) float64 {
	a := p.a
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	n := max(la, lb)
	if la == 0 || lb == 0 || float64(n-min(la, lb))/float64(n) > 0.6 {
		return 0
	}
	return 1 - float64(p.distance(b))/float64(n)
}

// editSim is 1 - osaDistance / the longer length, in [0,1].
func editSim(a, b string) float64 {
	if a == b {
		return 1
	}
	if len(a) <= 64 && len(b) <= 64 && isASCII(a) && isASCII(b) {
		la, lb := len(a), len(b)
		n := max(la, lb)
		if la == 0 || lb == 0 || float64(n-min(la, lb))/float64(n) > 0.6 {
			return 0
		}
		return 1 - float64(osaBits(a, b))/float64(n)
	}
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	n := max(la, lb)
	if n == 0 {
		return 1
	}
	// The distance is at least the length difference: skip hopeless pairs.
	if float64(n-min(la, lb))/float64(n) > 0.6 {
		return 0
	}
	return 1 - float64(osaDistance(a, b))/float64(n)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// vowelFold replaces each run of vowels by one "a" and each doubled
// consonant by one: spellings that differ only in vowels (Mohammad,
// Muhammad, Mohamad; Sergey, Sergei) fold to one form. Non-ASCII tokens
// are returned unchanged.
func vowelFold(s string) string {
	if !isASCII(s) {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isVowel(c) {
			c = 'a'
		}
		if len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// skeleton is the engine's phonetic key: the consonants of a Latin token
// mapped to classes (b/p; f/v/w/ph; k/q/c/kh/x; g/j/gh/dj; s/z/sh/ch/ts/c
// before e, i, y; t/d/th/dh; h; l; m; n; r), vowels dropped except a first
// one (written "a"), a final h dropped and repeated classes collapsed.
// Abjad scripts omit short vowels, so their Latin forms and the Latin
// spellings of the same name meet here: محمد "mhmd" and "mohammed" are
// both "mhmt". Non-ASCII tokens have no skeleton.
func skeleton(s string) string {
	if !isASCII(s) || s == "" {
		return ""
	}
	out := make([]byte, 0, len(s))
	var last byte
	emit := func(k byte) {
		if k != 0 && k != last {
			out = append(out, k)
		}
		if k != 0 {
			last = k
		}
	}
	for i := 0; i < len(s); i++ {
		if isVowel(s[i]) {
			if i == 0 {
				emit('a')
			}
			last = 0
			continue
		}
		k1, k2, skip := consonantClass(s, i)
		emit(k1)
		emit(k2)
		i += skip
	}
	return string(out)
}

// consonantClass returns the skeleton classes of the consonant at s[i]
// (x gives two) and how many following letters its digraph takes (kh, sh,
// ch, th, dh, dj, dzh, ts, tz, sch, ph, gh, ck).
func consonantClass(s string, i int) (k1, k2 byte, skip int) {
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	c, next := s[i], at(i+1)
	switch c {
	case 'b', 'p':
		if c == 'p' && next == 'h' {
			return 'f', 0, 1
		}
		return 'b', 0, 0
	case 'f', 'v', 'w':
		return 'f', 0, 0
	case 'k', 'q':
		if next == 'h' {
			return 'k', 0, 1
		}
		return 'k', 0, 0
	case 'c':
		switch next {
		case 'h':
			return 's', 0, 1
		case 'k':
			return 'k', 0, 1
		case 'e', 'i', 'y':
			return 's', 0, 0
		}
		return 'k', 0, 0
	case 'g', 'j':
		if next == 'h' {
			return 'g', 0, 1
		}
		return 'g', 0, 0
	case 'd':
		switch {
		case next == 'h':
			return 't', 0, 1
		case next == 'j':
			return 'g', 0, 1
		case next == 'z' && at(i+2) == 'h':
			return 'g', 0, 2
		}
		return 't', 0, 0
	case 't':
		switch next {
		case 'h':
			return 't', 0, 1
		case 's', 'z':
			return 's', 0, 1
		}
		return 't', 0, 0
	case 's', 'z':
		if next == 'h' {
			return 's', 0, 1
		}
		if c == 's' && next == 'c' && at(i+2) == 'h' {
			return 's', 0, 2
		}
		return 's', 0, 0
	case 'x':
		return 'k', 's', 0
	case 'h':
		if i == len(s)-1 && i > 0 {
			return 0, 0, 0 // a final h is silent: Abdullah, Abdulla
		}
		return 'h', 0, 0
	case 'l', 'm', 'n', 'r':
		return c, 0, 0
	}
	if c >= '0' && c <= '9' {
		return c, 0, 0
	}
	return 0, 0, 0
}

// letterClass is the skeleton class of one ASCII letter, for substitution
// costs: letters of one class sound alike (c/k/q, s/z, v/w/f, d/t, b/p,
// g/j).
func letterClass(c byte) byte {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return 'a'
	case 'b', 'p':
		return 'b'
	case 'f', 'v', 'w':
		return 'f'
	case 'k', 'q', 'c':
		return 'k'
	case 'g', 'j':
		return 'g'
	case 's', 'z', 'x':
		return 's'
	case 'd', 't':
		return 't'
	}
	return c
}

// Costs of the phonetic edit distance.
const (
	costVowelSub   = 0.4 // one vowel for another: Mohammad, Muhammad
	costVowelIndel = 0.5 // a vowel more or less: Mousavi, Musavi
	costDouble     = 0.3 // a doubled letter: Mohamad, Mohammad
	costClassSub   = 0.6 // a letter of the same class: Qasim, Kasim
	costH          = 0.5 // an h more or less: Ahmad, Amad; Sheikh, Sheik
)

// phoneticSim is 1 - a weighted edit distance / the longer length, over
// ASCII tokens: changes of vowels, doubled letters, h and letters of one
// sound class cost less than other edits. It is the similarity of
// spellings of one name in different transliterations.
func phoneticSim(a, b string) float64 {
	if a == b {
		return 1
	}
	if !isASCII(a) || !isASCII(b) || len(a) > 32 || len(b) > 32 {
		return 0
	}
	return phoneticSimASCII(a, b)
}

// phoneticSimASCII is phoneticSim of different ASCII strings of at most 32
// bytes.
func phoneticSimASCII(a, b string) float64 {
	var ia, ib [32]float32
	var cb [32]byte // the classes of b's letters
	indelCosts(a, ia[:len(a)])
	indelCosts(b, ib[:len(b)])
	for j := 0; j < len(b); j++ {
		cb[j] = classOf[b[j]]
	}
	var rows [2][33]float32
	prev, cur := &rows[0], &rows[1]
	for j := 1; j <= len(b); j++ {
		prev[j] = prev[j-1] + ib[j-1]
	}
	for i := 1; i <= len(a); i++ {
		ca, la, da := a[i-1], classOf[a[i-1]], ia[i-1]
		cur[0] = prev[0] + da
		for j := 1; j <= len(b); j++ {
			var sub float32
			if ca != b[j-1] {
				switch {
				case la != cb[j-1]:
					sub = 1
				case la == 'a':
					sub = costVowelSub
				default:
					sub = costClassSub
				}
			}
			cur[j] = min(prev[j-1]+sub, prev[j]+da, cur[j-1]+ib[j-1])
		}
		prev, cur = cur, prev
	}
	return max(0, 1-float64(prev[len(b)])/float64(max(len(a), len(b))))
}

// classOf is letterClass of every ASCII byte (and of the others, which
// phoneticSimASCII does not meet).
var classOf = func() (t [256]byte) {
	for c := range t {
		t[c] = letterClass(byte(c))
	}
	return t
}()

// indelCosts fills the cost of inserting or deleting each byte of s.
func indelCosts(s string, out []float32) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isVowel(c):
			out[i] = costVowelIndel
		case c == 'h':
			out[i] = costH
		case i > 0 && s[i-1] == c, i+1 < len(s) && s[i+1] == c:
			out[i] = costDouble
		default:
			out[i] = 1
		}
	}
}
