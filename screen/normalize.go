package screen

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns the normalised form of a name, as the engine compares
// it: transliterated to lower-case Latin, punctuation folded, dotted
// abbreviations joined, multi-word legal forms and abbreviations replaced by
// one canonical token, tokens separated by one space. It is for display and
// debugging; Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	return strings.Join(normalTokens(s), " ")
}

// normalTokens runs the pipeline and returns the canonical tokens.
func normalTokens(s string) []string {
	lat, _ := latinize(s)
	return canonical(split(lat))
}

// isApostrophe reports the marks that join the letters around them
// (O'Brien, Sa'id, Int’l).
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʼ', 'ʻ', 'ʿ', 'ʾ', '′':
		return true
	}
	return false
}

// split cuts Latin text into tokens: letters, digits and marks make tokens,
// apostrophes join, everything else separates. Single letters written with
// dots and no space ("s.a.", "u.s.a") are joined into one token.
func split(s string) []string {
	var out []string
	var cur strings.Builder
	joinNext := false // the previous token was a single letter followed by a dot
	flush := func(dotFollows bool) {
		if cur.Len() == 0 {
			return
		}
		t := cur.String()
		cur.Reset()
		if joinNext && utf8.RuneCountInString(t) == 1 && len(out) > 0 {
			out[len(out)-1] += t
		} else {
			out = append(out, t)
		}
		joinNext = dotFollows && utf8.RuneCountInString(t) == 1
	}
	rs := []rune(s)
	skipS := false
	for i, r := range rs {
		if skipS {
			skipS = false
			continue
		}
		switch {
		case unicode.IsMark(r):
			// A mark that Latin kept because punctuation stood between it
			// and its letter: keep it only on a letter of another script.
			if c := cur.String(); c != "" && c[len(c)-1] >= utf8.RuneSelf {
				cur.WriteRune(r)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		case isApostrophe(r):
			// A possessive 's ends the word: "Deutsche Bank's".
			if i+1 < len(rs) && rs[i+1] == 's' && (i+2 == len(rs) || !unicode.IsLetter(rs[i+2])) && cur.Len() > 2 {
				flush(false)
				joinNext = false
				skipS = true
			}
		case r == '.':
			dotted := i+1 < len(rs) && unicode.IsLetter(rs[i+1])
			wasJoin := joinNext
			flush(dotted)
			if !dotted && !wasJoin {
				joinNext = false
			}
		default:
			flush(false)
			joinNext = false
		}
	}
	flush(false)
	// A dotted run of single letters may have been joined to a previous
	// longer token: "s.a" after "santander" stays separate because flush
	// only joins onto a token that was itself a dotted single letter.
	return out
}

// canonical replaces particles, abbreviations and legal-form phrases by
// their canonical tokens.
func canonical(in []string) []string {
	toks := make([]string, len(in))
	for i, t := range in {
		toks[i] = unLeet(t)
	}
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if n, used := numberWords(toks[i:]); used > 0 {
			out = append(out, n)
			i += used - 1
			continue
		}
		if ps, ok := legalPhrases[t]; ok {
			matched := false
			for _, p := range ps {
				if i+len(p) <= len(toks) && slices.Equal(toks[i:i+len(p)], p) {
					out = append(out, legalForms[strings.Join(p, " ")])
					i += len(p) - 1
					matched = true
					break
				}
			}
			if matched {
				continue
			}
		}
		if c, ok := legalForms[t]; ok {
			out = append(out, c)
			continue
		}
		if c, ok := abbreviations[t]; ok {
			t = c
		}
		if c, ok := particleCanon[t]; ok {
			t = c
		}
		out = append(out, t)
	}
	return out
}

// leet maps digits written for look-alike letters.
var leet = map[byte]byte{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '9': 'g'}

// unLeet reads digits inside a word as the letters they look like
// ("Sech1n" → "sechin"), when the token has at least twice as many letters
// as digits. Codes such as "A320" keep their digits.
func unLeet(t string) string {
	letters, digits := 0, 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z':
			letters++
		}
	}
	if digits == 0 || letters < 2*digits || letters < 2 {
		return t
	}
	b := []byte(t)
	for i, c := range b {
		if l, ok := leet[c]; ok {
			b[i] = l
		}
	}
	return string(b)
}

// Number words, spelled out in names ("Brigade Forty-Four", "Three
// Percenters"), become digits.
var (
	unitWords = map[string]int{"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
		"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
	tensWords = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
		"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
)

// numberWords reads a spelled-out number at the start of toks and returns
// its digits and the number of tokens used, or 0 tokens.
func numberWords(toks []string) (string, int) {
	if u, ok := unitWords[toks[0]]; ok {
		return strconv.Itoa(u), 1
	}
	t, ok := tensWords[toks[0]]
	if !ok {
		return "", 0
	}
	if len(toks) > 1 {
		if u, ok := unitWords[toks[1]]; ok && u > 0 && u < 10 {
			return strconv.Itoa(t + u), 2
		}
		if len(toks[1]) == 1 && toks[1][0] > '0' && toks[1][0] <= '9' {
			return strconv.Itoa(t + int(toks[1][0]-'0')), 2
		}
	}
	return strconv.Itoa(t), 1
}
