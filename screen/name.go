package screen

import (
	"slices"
	"strings"
	"unicode"
)

// token is one normalised name part, or a join of adjacent parts.
type token struct {
	// The fields read for every pair come first, within one cache line.
	text string
	// key identifies the token for the similarity memo of a search: for a
	// listed token, the vocab id of its text; for a query token, its
	// position among the query's tokens and joins.
	key int32
	// minIndel is the cheapest deletion of a letter in phoneticSim (see
	// chars).
	minIndel float32
	class    tokenClass
	// ascii is set when text is ASCII (and so are vfold and skel).
	ascii bool
	// role is roleFather for the name after "bin", "bint" or "ould" (a
	// father's name in an Arabic name chain), else 0.
	role uint8
	// from and to are the span of single tokens it covers (to exclusive).
	from, to uint8
	consOK   bool // see chars
	hasAlt   bool // alt differs from text
	// For ASCII tokens, the facts that bound similarities cheaply
	// (hopeless): chars is the multiset of characters (charSet); cons and
	// cons1 count the consonants of each sound class (cons1 only those not
	// doubled); consOK is set when the token has no digit and at most 32
	// bytes.
	chars       uint64
	cons, cons1 uint64

	vfold string // vowelFold(text)
	alt   string // for Hangul names, the McCune-Reischauer-style vowels (eo→o, eu→u); else text
	skel  string // skeleton(text)
	// alts are the other skeletons of a token of an abjad name (see
	// abjadSkeletons); else nil.
	alts []string
}

// maxTokens bounds the tokens of a name that take part in alignment.
const maxTokens = 24

// parsedName is a name after the normalisation pipeline.
type parsedName struct {
	script script
	toks   []token // the name's tokens, in order
	joins  []token // adjacent name tokens joined by two and by three
	// keys are the keys of toks then joins, for a listed name; else nil.
	keys []int32
	key  string // sorted token texts: equal keys are the same name
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
			p.toks[i].hasAlt = p.toks[i].alt != t
		}
		if sc.abjad() {
			p.toks[i].alts = abjadSkeletons(t)
		}
		if i > 0 && (texts[i-1] == "bin" || texts[i-1] == "bint" || texts[i-1] == "ould") {
			p.toks[i].role = roleFather
			p.chain = true
		}
	}
	// "Jalal al-Din" is also written "Jalaluddin": join the parts around
	// an article as well.
	for i := 0; i+2 < len(texts); i++ {
		if texts[i+1] == "al" && p.toks[i].class == className && p.toks[i+2].class == className {
			p.joins = append(p.joins, newToken(texts[i]+texts[i+2], className, i, i+3))
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
	tok := token{text: t, vfold: vowelFold(t), alt: t, skel: skeleton(t), class: c, ascii: isASCII(t), from: uint8(from), to: uint8(to)}
	if tok.ascii {
		tok.chars = charSet(t)
		tok.cons, tok.cons1, tok.consOK = consonantCounts(t)
		tok.minIndel = minIndel(t)
	}
	return tok
}

// hangulAlt rewrites Revised Romanization vowels the way North Korean and
// older (McCune-Reischauer) spellings write them, as lists do: 정은 is
// "jeong eun" in RR and "Jong Un" on the lists.
var hangulAlt = strings.NewReplacer("eo", "o", "eu", "u")

// abjadSkeletons returns the other skeletons of a token transliterated
// from Arabic or Hebrew script. Persian, Urdu and Pashto read ذ ض ظ
// (written dh) as z and ث (th) as s, where Arabic reads d, dh and th; and
// و (w), a consonant in Arabic spelling rules, is often a vowel in Latin
// spellings (جوادي, Djouadi).
func abjadSkeletons(t string) []string {
	variants := []string{t}
	for _, r := range [][2]string{{"dh", "z"}, {"th", "s"}, {"w", "u"}} {
		for _, v := range variants {
			if strings.Contains(v, r[0]) {
				variants = append(variants, strings.ReplaceAll(v, r[0], r[1]))
			}
		}
	}
	base := skeleton(t)
	var out []string
	for _, v := range variants[1:] {
		if sk := skeleton(v); sk != base && !slices.Contains(out, sk) {
			out = append(out, sk)
		}
	}
	return out
}
