package lists

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// clean trims a value and collapses runs of white space (the UN's names and
// comments carry newlines and double spaces) into single spaces. It does not
// allocate when the value is already clean.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isClean reports whether s has no leading, trailing, repeated or non-space
// white space. ASCII, the bulk of every list, is checked byte by byte.
func isClean(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case '\t', '\n', '\v', '\f', '\r':
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return true
}

// equalFold reports whether two names are the same but for case.
func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// imoDigits reduces an IMO number as the lists write it ("IMO 9116412",
// "IMO9116412", "9116412.") to its seven digits; anything else is returned
// cleaned but otherwise unchanged.
func imoDigits(s string) string {
	s = strings.TrimSpace(s)
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "IMO"), "imo"))
	t = strings.TrimSuffix(t, ".")
	if len(t) == 7 && strings.Trim(t, "0123456789") == "" {
		return t
	}
	return s
}

// splitList splits a value on a separator and cleans the parts, dropping
// empty ones.
func splitList(s, sep string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, sep)
	out := parts[:0]
	for _, p := range parts {
		if p = clean(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// joinNonEmpty joins the cleaned non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = clean(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// stripBOM removes a UTF-8 byte order mark.
func stripBOM(b []byte) []byte {
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
}

// textData prepares a text (CSV or TSV) file for parsing: the byte order
// mark is dropped, and a file that is not valid UTF-8 is read as Windows-1252
// (older OFAC and OFSI files are), so that no byte is lost or rejected.
func textData(b []byte) []byte {
	b = stripBOM(b)
	if utf8.Valid(b) {
		return b
	}
	return windows1252(b)
}

// cp1252 gives the characters Windows-1252 puts at 0x80-0x9F, where
// ISO-8859-1 has control characters; 0 marks the five unassigned bytes,
// which are read as ISO-8859-1.
var cp1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// windows1252 converts Windows-1252 bytes to UTF-8.
func windows1252(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0 && cp1252[c-0x80] != 0:
			out = utf8.AppendRune(out, cp1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}

// lineAt returns the 1-based line number of a byte offset in data.
func lineAt(data []byte, offset int64) int {
	if offset < 0 {
		offset = 0
	}
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte{'\n'}) + 1
}
