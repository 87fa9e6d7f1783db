package screen

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// Latin transliterates s to lower-case Latin. Letters of scripts with a
// table (Arabic, Persian, Cyrillic, Greek, Armenian, Georgian, Hebrew,
// Hangul, Han) become Latin letters; Latin letters lose their diacritics;
// digits become ASCII digits; punctuation is kept and runs of spaces
// become one; letters of other scripts are kept as they are.
// Latin(Latin(s)) == Latin(s).
func Latin(s string) string {
	s, _ = latinize(s)
	return strings.Join(strings.Fields(s), " ")
}

// script is a set of scripts seen in a name, for explanations and for
// choosing how to compare tokens.
type script uint16

const (
	scriptArabic script = 1 << iota
	scriptCyrillic
	scriptHan
	scriptHangul
	scriptGreek
	scriptArmenian
	scriptGeorgian
	scriptHebrew
	scriptOther
)

// abjad reports whether the name was written in a script that omits short
// vowels, so that its Latin form is a consonant skeleton.
func (sc script) abjad() bool { return sc&(scriptArabic|scriptHebrew) != 0 }

// String names the scripts, for explanations.
func (sc script) String() string {
	if sc == 0 {
		return "latin"
	}
	names := []string{"arabic", "cyrillic", "han", "hangul", "greek", "armenian", "georgian", "hebrew", "other"}
	var parts []string
	for i, n := range names {
		if sc&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, "+")
}

// pinyinArgs asks go-pinyin for plain syllables without tones, and
// nothing for characters it does not know.
var pinyinArgs = pinyin.Args{Style: pinyin.Normal, Fallback: func(rune, pinyin.Args) []string { return nil }}

// latinize is Latin that also reports which scripts it transliterated.
func latinize(s string) (string, script) {
	// Invalid bytes become U+FFFD first: left in, they stop NFKC from
	// folding the character after them (ϐ to β), so that a second pass
	// over the output would fold it and Latin would not be idempotent.
	s = norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	var sc script
	ukrainian := strings.ContainsAny(s, "іїєґІЇЄҐ")
	firstHangul := true
	// A name written as several runs of Han characters ("承翰 蘇": given
	// name, then surname) keeps each run whole; a foreign name in Han
	// characters has its parts separated by a middle dot (贝拉克·奥巴马).
	foreign := strings.ContainsAny(s, "·・‧") || hanRuns(s) > 1
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(unicode.ToLower(r)))
			i++
		case isArabicLetter(r) || isHebrewLetter(r):
			j := i + 1
			for j < len(rs) && (isArabicLetter(rs[j]) || isHebrewLetter(rs[j]) || isArabicMark(rs[j])) {
				j++
			}
			if isHebrewLetter(r) {
				sc |= scriptHebrew
			} else {
				sc |= scriptArabic
			}
			abjadWord(&b, rs[i:j], isArabicLetter(r))
			i = j
		case unicode.Is(unicode.Han, r):
			j := i + 1
			for j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
				j++
			}
			sc |= scriptHan
			hanRun(&b, rs[i:j], foreign)
			i = j
		case isHangulSyllable(r):
			j := i + 1
			for j < len(rs) && isHangulSyllable(rs[j]) {
				j++
			}
			sc |= scriptHangul
			hangulRun(&b, rs[i:j], firstHangul)
			firstHangul = false
			i = j
		default:
			sc |= latinRune(&b, r, ukrainian, afterASCIILetter(&b))
			i++
		}
	}
	return b.String(), sc
}

// latinRune writes one rune that is not in a run-based script.
func latinRune(b *strings.Builder, r rune, ukrainian, afterLatin bool) script {
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
		// A combining mark on a Latin, Greek or Cyrillic letter is a
		// diacritic; on other scripts (Devanagari, Thai) it is a vowel.
		if !afterLatin {
			b.WriteRune(r)
		}
		return 0
	}
	if unicode.IsDigit(r) {
		if d := digitValue(r); d >= 0 {
			b.WriteByte(byte('0' + d))
			return 0
		}
	}
	if p, ok := arabicPunct[r]; ok {
		b.WriteByte(p)
		return 0
	}
	if r == '\u200c' || r == '\u200d' || r == 'ـ' {
		return 0
	}
	r = unicode.ToLower(r)
	for try := 0; try < 2; try++ {
		if t, sc, ok := tableLetter(r, ukrainian); ok {
			b.WriteString(t)
			return sc
		}
		base := nfdBase(r)
		if base == r {
			break
		}
		if base < utf8.RuneSelf {
			b.WriteByte(byte(unicode.ToLower(base)))
			return 0
		}
		r = base
	}
	b.WriteRune(r)
	if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
		return scriptOther
	}
	return 0
}

// tableLetter looks a lower-case letter up in the transliteration tables.
func tableLetter(r rune, ukrainian bool) (string, script, bool) {
	if unicode.Is(unicode.Cyrillic, r) {
		if ukrainian {
			if t, ok := cyrillicUkrainian[r]; ok {
				return t, scriptCyrillic, true
			}
		}
		if t, ok := cyrillicRussian[r]; ok {
			return t, scriptCyrillic, true
		}
	}
	if t, ok := greek[r]; ok {
		return t, scriptGreek, true
	}
	if t, ok := armenian[r]; ok {
		return t, scriptArmenian, true
	}
	if t, ok := georgian[r]; ok {
		return t, scriptGeorgian, true
	}
	if t, ok := latinSpecial[r]; ok {
		return t, 0, true
	}
	return "", 0, false
}

// latinSpecial holds Latin letters that have no decomposition.
var latinSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'þ': "th",
	'ł': "l", 'ı': "i", 'ħ': "h", 'ŋ': "ng", 'ſ': "s", 'ə': "a", 'ɨ': "i",
	'ɔ': "o", 'ɛ': "e", 'ƒ': "f", 'ŧ': "t", 'ĸ': "k",
}

// arabicPunct maps Arabic punctuation to ASCII.
var arabicPunct = map[rune]byte{'،': ',', '؛': ';', '؟': '?', '٫': '.', '٬': ',', '۔': '.', '·': ' ', '・': ' ', '‧': ' '}

// nfdBase returns the first rune of r's canonical decomposition, or r.
func nfdBase(r rune) rune {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFD.Properties(buf[:n]).Decomposition()
	if len(d) == 0 {
		return r
	}
	base, _ := utf8.DecodeRune(d)
	return base
}

// afterASCIILetter reports whether the output so far ends with an ASCII
// letter or digit: a combining mark there is a diacritic of a letter that
// was transliterated, and is dropped.
func afterASCIILetter(b *strings.Builder) bool {
	s := b.String()
	if s == "" {
		return false
	}
	c := s[len(s)-1]
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// digitValue returns the value of a decimal digit of any script, or -1.
func digitValue(r rune) int {
	for _, z := range digitZeros {
		if r >= z && r <= z+9 {
			return int(r - z)
		}
	}
	return -1
}

// digitZeros are the zeros of the decimal digit blocks seen in names.
var digitZeros = []rune{'0', '٠', '۰', '०', '০', '๐', '០', '０'}

func isArabicLetter(r rune) bool {
	if r < 0x0600 {
		return false
	}
	if (r >= 0x0621 && r <= 0x064A) || (r >= 0x0671 && r <= 0x06D5) || (r >= 0x06EE && r <= 0x06EF) ||
		(r >= 0x06FA && r <= 0x06FF) || (r >= 0x0750 && r <= 0x077F) || (r >= 0x08A0 && r <= 0x08C9) {
		return true
	}
	return false
}

// isArabicMark reports the harakat, tatweel and joiners inside an Arabic
// word: they are dropped, not word breaks.
func isArabicMark(r rune) bool {
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670 || r == 0x0640 || r == '\u200c' || r == '\u200d' ||
		(r >= 0x06D6 && r <= 0x06ED) || (r >= 0x0610 && r <= 0x061A) || (r >= 0x05B0 && r <= 0x05C7)
}

func isHebrewLetter(r rune) bool { return r >= 0x05D0 && r <= 0x05EA }

func isHangulSyllable(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// abjadWord transliterates one Arabic, Persian or Hebrew word. Letters are
// unified first (ي/ى/ی, ك/ک, ة/ه, hamza carriers); harakat, tatweel and
// ZWNJ are dropped. The Arabic article is written as a separate "al". و and
// ي (ו and י) are consonants (w, y) at the start of a word or before a
// vowel letter and vowels (u, i) elsewhere. Short vowels are absent in the
// script, so the result is close to a consonant skeleton: "محمد" → "mhmd".
func abjadWord(b *strings.Builder, word []rune, arabic bool) {
	letters := make([]rune, 0, len(word))
	for _, r := range word {
		if isArabicMark(r) {
			continue
		}
		if u, ok := arabicUnify[r]; ok {
			if u != "" {
				letters = append(letters, []rune(u)[0])
			}
			continue
		}
		letters = append(letters, r)
	}
	if arabic && len(letters) > 3 && letters[0] == 'ا' && letters[1] == 'ل' {
		b.WriteString("al ")
		letters = letters[2:]
	}
	for k, r := range letters {
		var next rune
		if k+1 < len(letters) {
			next = letters[k+1]
		}
		switch r {
		case 'و', 'ו':
			if k == 0 || next == 'ا' || next == 'ي' || next == 'و' || next == 'ו' || next == 'א' || next == 'י' {
				if r == 'ו' {
					b.WriteByte('v')
				} else {
					b.WriteByte('w')
				}
			} else {
				b.WriteByte('u')
			}
		case 'ي', 'י':
			if k == 0 || next == 'ا' || next == 'و' || next == 'ו' || next == 'א' {
				b.WriteByte('y')
			} else {
				b.WriteByte('i')
			}
		default:
			if t, ok := arabicLetters[r]; ok {
				b.WriteString(t)
			} else if t, ok := hebrew[r]; ok {
				b.WriteString(t)
			} else if d := digitValue(r); d >= 0 {
				b.WriteByte(byte('0' + d))
			}
		}
	}
}

// hanRuns counts the runs of Han characters in s.
func hanRuns(s string) int {
	n, in := 0, false
	for _, r := range s {
		h := unicode.Is(unicode.Han, r)
		if h && !in {
			n++
		}
		in = h
	}
	return n
}

// hanRun writes a run of Han characters in pinyin. A run of two to four
// characters is taken as a personal name, surname first, and the given
// name's syllables are joined: 习近平 → "xi jinping". Longer runs keep one
// token per syllable. A foreign name written in Han characters, whose
// parts are separated by a middle dot (贝拉克·奥巴马), joins every part.
func hanRun(b *strings.Builder, run []rune, foreign bool) {
	syl := make([]string, 0, len(run))
	for _, r := range run {
		if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 {
			syl = append(syl, p[0])
		}
	}
	if len(syl) == 0 {
		return
	}
	if foreign {
		b.WriteString(strings.Join(syl, ""))
		b.WriteByte(' ')
		return
	}
	if len(syl) >= 2 && len(syl) <= 4 {
		b.WriteString(syl[0])
		b.WriteByte(' ')
		b.WriteString(strings.Join(syl[1:], ""))
		b.WriteByte(' ')
		return
	}
	b.WriteString(strings.Join(syl, " "))
	b.WriteByte(' ')
}

// hangulRun writes a run of Hangul syllables in Revised Romanization, one
// token per syllable: 김정은 → "kim jeong eun". The first syllable of the
// first run is a surname when the run looks like a name, spelled as
// Koreans usually spell it (Kim, Lee, Park, Choi).
func hangulRun(b *strings.Builder, run []rune, first bool) {
	for k, r := range run {
		if k > 0 {
			b.WriteByte(' ')
		}
		if k == 0 && first && len(run) <= 4 {
			if s, ok := koreanSurnames[r]; ok {
				b.WriteString(s)
				continue
			}
		}
		n := int(r - 0xAC00)
		b.WriteString(hangulInitial[n/(21*28)])
		b.WriteString(hangulVowel[(n/28)%21])
		b.WriteString(hangulFinal[n%28])
	}
	b.WriteByte(' ')
}
