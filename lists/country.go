package lists

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// countryIndex maps normalised country names (countryKey) to ISO 3166-1
// alpha-2 codes. It is built once from countryNames and countryAliases.
var countryIndex = sync.OnceValue(func() map[string]string {
	idx := make(map[string]string, len(countryNames)+len(countryAliases))
	for code, name := range countryNames {
		idx[countryKey(name)] = code
	}
	for name, code := range countryAliases {
		idx[countryKey(name)] = code
	}
	return idx
})

// countryCode returns the ISO 3166-1 alpha-2 code of a country named in
// free text, as the UN, OFAC and the UK write it ("Iran (Islamic Republic
// of)", "Korea, North", "IRAN", "Iranian"). It does not accept bare codes:
// the UN writes "na" for "not available", which is also Namibia's code.
func countryCode(name string) (string, bool) {
	key := countryKey(name)
	if key == "" {
		return "", false
	}
	idx := countryIndex()
	if code, ok := idx[key]; ok {
		return code, true
	}
	// OFAC writes regions as "Region: Gaza".
	if rest, ok := strings.CutPrefix(key, "region "); ok {
		code, ok := idx[rest]
		return code, ok
	}
	return "", false
}

// isoCode returns code in upper case if it is an ISO 3166-1 alpha-2 code (or
// XK), for fields that hold codes: the EU's countryIso2Code, the CSL's and
// the DPL's country columns and OpenSanctions' country properties.
func isoCode(code string) (string, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 2 {
		return "", false
	}
	up := strings.ToUpper(code)
	if _, ok := countryNames[up]; ok {
		return up, true
	}
	return "", false
}

// codeOrCountry accepts either an ISO code or a country name.
func codeOrCountry(s string) (string, bool) {
	if code, ok := isoCode(s); ok {
		return code, true
	}
	return countryCode(s)
}

// countryKey normalises a country name for lookup: lower case, a few Latin
// diacritics folded (Türkiye, Côte d'Ivoire), apostrophes and full stops
// dropped, any other punctuation turned into a space, spaces collapsed, and
// a leading or trailing "the" removed ("The Gambia", "Bahamas, The").
func countryKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			r = unicode.ToLower(r)
		} else {
			r = foldLatin(unicode.ToLower(r))
		}
		switch {
		case r == '\'' || r == '.' || r == '’' || r == '‘':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	key := b.String()
	key = strings.TrimPrefix(key, "the ")
	key = strings.TrimSuffix(key, " the")
	return key
}

// foldLatin maps the accented Latin letters that appear in country names to
// their base letter.
func foldLatin(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return 'a'
	case 'ç':
		return 'c'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ñ':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	}
	return r
}
