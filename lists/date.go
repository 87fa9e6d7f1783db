package lists

import (
	"strconv"
	"strings"
)

// Dates in the common model are YYYY, YYYY-MM or YYYY-MM-DD: as precise as
// the list is, and no more. A range of years ("1962 to 1963", the UN's
// BETWEEN) becomes every year of the range, up to maxYearSpan years; a wider
// range keeps only its two ends. An approximate date ("circa 1956", the UN's
// APPROXIMATELY) keeps its year only when the list gives no more.
const maxYearSpan = 20

// validYMD reports whether y-m-d is a calendar date; m or d 0 means unknown.
func validYMD(y, m, d int) bool {
	if y < 1000 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31 {
		return false
	}
	if d > 0 && (m == 0 || d > daysIn(y, m)) {
		return false
	}
	return true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// formatYMD formats a date at the precision known (m, d 0 = unknown); y is
// a four-digit year.
func formatYMD(y, m, d int) string {
	b := make([]byte, 0, 10)
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	if m > 0 {
		b = append(b, '-', byte('0'+m/10), byte('0'+m%10))
		if d > 0 {
			b = append(b, '-', byte('0'+d/10), byte('0'+d%10))
		}
	}
	return string(b)
}

// atoiN parses a string of exactly n ASCII digits (n 0: one or more).
func atoiN(s string, n int) (int, bool) {
	if s == "" || (n > 0 && len(s) != n) || len(s) > 9 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// isoDate accepts YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by a time
// or a zone as the UN and the EU write them ("2026-02-27T00:00:09.554Z",
// "2005-11-01-05:00"), and returns the date part.
func isoDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[4] == '-' && s[7] == '-' {
		switch s[10] {
		case 'T', ' ', '-', '+', 'Z':
			s = s[:10]
		}
	}
	y, ok := atoiN(s[:min(4, len(s))], 4)
	if !ok {
		return "", false
	}
	m, d := 0, 0
	rest := s[4:]
	if rest != "" {
		if m, ok = atoiN(strings.TrimPrefix(rest[:min(3, len(rest))], "-"), 2); !ok || rest[0] != '-' || m == 0 {
			return "", false
		}
		rest = rest[3:]
	}
	if rest != "" {
		if d, ok = atoiN(strings.TrimPrefix(rest, "-"), 2); !ok || rest[0] != '-' || d == 0 {
			return "", false
		}
	}
	if !validYMD(y, m, d) {
		return "", false
	}
	return formatYMD(y, m, d), true
}

// dmyDate reads the UK's and the EU's DD/MM/YYYY, where an unknown day or
// month is written 00 or as the letters dd and mm ("00/00/1975",
// "dd/mm/1971").
func dmyDate(s string) (string, bool) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) != 3 {
		return "", false
	}
	y, ok := atoiN(parts[2], 4)
	if !ok {
		return "", false
	}
	d, m := 0, 0
	if p := strings.ToLower(parts[1]); p != "mm" {
		if m, ok = atoiN(p, 0); !ok || len(p) > 2 {
			return "", false
		}
	}
	if p := strings.ToLower(parts[0]); p != "dd" {
		if d, ok = atoiN(p, 0); !ok || len(p) > 2 {
			return "", false
		}
	}
	if m == 0 {
		d = 0
	}
	if !validYMD(y, m, d) {
		return "", false
	}
	return formatYMD(y, m, d), true
}

// mdyDate reads the American MM/DD/YYYY of the DPL and of OFAC's XML.
func mdyDate(s string) (string, bool) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) != 3 {
		return "", false
	}
	m, ok1 := atoiN(parts[0], 0)
	d, ok2 := atoiN(parts[1], 0)
	y, ok3 := atoiN(parts[2], 4)
	if !ok1 || !ok2 || !ok3 || m == 0 || d == 0 || len(parts[0]) > 2 || len(parts[1]) > 2 || !validYMD(y, m, d) {
		return "", false
	}
	return formatYMD(y, m, d), true
}

// monthNumber reads an English month name or its three-letter abbreviation.
func monthNumber(s string) int {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(s) < 3 {
		return 0
	}
	for i, name := range []string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"} {
		if s == name || (len(s) == 3 && strings.HasPrefix(name, s)) || (s == "sept") && i == 8 {
			return i + 1
		}
	}
	return 0
}

// textDate reads one date as OFAC and the CSL write them in text: "01 Jan
// 1960", "Jan 1960", "1960", or an ISO date. It returns the date and its
// year.
func textDate(s string) (string, int, bool) {
	s = strings.TrimSpace(s)
	if iso, ok := isoDate(s); ok {
		y, _ := strconv.Atoi(iso[:4])
		return iso, y, true
	}
	f := strings.Fields(s)
	var y, m, d int
	var ok bool
	switch len(f) {
	case 2:
		m = monthNumber(f[0])
		y, ok = atoiN(f[1], 4)
	case 3:
		d, _ = atoiN(f[0], 0)
		m = monthNumber(f[1])
		y, ok = atoiN(f[2], 4)
		ok = ok && d > 0 && len(f[0]) <= 2
	}
	if !ok || m == 0 || !validYMD(y, m, d) {
		return "", 0, false
	}
	return formatYMD(y, m, d), y, true
}

// textDates reads a date of birth as OFAC and the CSL write it: a date
// (textDate), "circa" and a date, or a range "A to B" (also "YYYY-YYYY").
// A range gives its years (see maxYearSpan); circa gives the date as written.
func textDates(s string) ([]string, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if rest, ok := cutFold(s, "circa "); ok {
		s = strings.TrimSpace(rest)
	}
	if from, to, ok := strings.Cut(s, " to "); ok {
		_, y1, ok1 := textDate(from)
		_, y2, ok2 := textDate(to)
		if !ok1 || !ok2 || y2 < y1 {
			return nil, false
		}
		return yearsBetween(y1, y2), true
	}
	if len(s) == 9 && s[4] == '-' {
		y1, ok1 := atoiN(s[:4], 4)
		y2, ok2 := atoiN(s[5:], 4)
		if ok1 && ok2 && y2 >= y1 && validYMD(y1, 0, 0) && validYMD(y2, 0, 0) {
			return yearsBetween(y1, y2), true
		}
	}
	date, _, ok := textDate(s)
	if !ok {
		return nil, false
	}
	return []string{date}, true
}

// yearsBetween lists the years from y1 to y2 inclusive, or only the two
// ends of a range wider than maxYearSpan.
func yearsBetween(y1, y2 int) []string {
	if y2-y1 > maxYearSpan {
		return []string{formatYMD(y1, 0, 0), formatYMD(y2, 0, 0)}
	}
	out := make([]string, 0, y2-y1+1)
	for y := y1; y <= y2; y++ {
		out = append(out, formatYMD(y, 0, 0))
	}
	return out
}

// dashMonDate reads the UK's "13-Feb-2026".
func dashMonDate(s string) (string, bool) {
	parts := strings.Split(strings.TrimSpace(s), "-")
	if len(parts) != 3 {
		return "", false
	}
	d, ok1 := atoiN(parts[0], 0)
	m := monthNumber(parts[1])
	y, ok2 := atoiN(parts[2], 4)
	if !ok1 || !ok2 || m == 0 || d == 0 || !validYMD(y, m, d) {
		return "", false
	}
	return formatYMD(y, m, d), true
}

// cutFold is strings.CutPrefix ignoring case.
func cutFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
