package lists

import (
	"strings"
	"testing"
)

func TestIsoDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"1961", "1961", true},
		{"1961-03", "1961-03", true},
		{"1961-03-09", "1961-03-09", true},
		{"2026-02-27T00:00:09.554Z", "2026-02-27", true},
		{"2005-11-01-05:00", "2005-11-01", true},
		{" 2000-02-29 ", "2000-02-29", true},
		{"1900-02-29", "", false},
		{"1961-13", "", false},
		{"1961-00-01", "", false},
		{"1961-3-9", "", false},
		{"61", "", false},
		{"", "", false},
		{"abcd", "", false},
	}
	for _, tt := range tests {
		if got, ok := isoDate(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("isoDate(%q)=%q,%v, want %q,%v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDMYAndMDYDates(t *testing.T) {
	tests := []struct {
		fn       func(string) (string, bool)
		in, want string
	}{
		{dmyDate, "28/04/1937", "1937-04-28"},
		{dmyDate, "00/00/1975", "1975"},
		{dmyDate, "dd/mm/1971", "1971"},
		{dmyDate, "00/06/1971", "1971-06"},
		{dmyDate, "31/02/1971", ""},
		{dmyDate, "1971", ""},
		{mdyDate, "06/19/2003", "2003-06-19"},
		{mdyDate, "6/9/2003", "2003-06-09"},
		{mdyDate, "19/06/2003", ""},
		{mdyDate, "06/19/03", ""},
		{dashMonDate, "13-Feb-2026", "2026-02-13"},
		{dashMonDate, "13-Fib-2026", ""},
	}
	for _, tt := range tests {
		got, ok := tt.fn(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("date(%q)=%q,%v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestTextDates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"01 Jan 1960", "1960-01-01"},
		{"Jan 1960", "1960-01"},
		{"1960", "1960"},
		{"1960.", "1960"},
		{"circa 1956", "1956"},
		{"circa 01 Jan 1956", "1956-01-01"},
		{"1962 to 1963", "1962 1963"},
		{"01 Jan 1974 to 31 Dec 1975", "1974 1975"},
		{"circa 1955-1957", "1955 1956 1957"},
		{"1900 to 1950", "1900 1950"},
		{"1978-12-05", "1978-12-05"},
		{"05 September 1970", "1970-09-05"},
		{"1963 to 1962", ""},
		{"30 Feb 1960", ""},
		{"sometime", ""},
	}
	for _, tt := range tests {
		got, ok := textDates(tt.in)
		if strings.Join(got, " ") != tt.want || ok != (tt.want != "") {
			t.Errorf("textDates(%q)=%q,%v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestCountryCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Iran (Islamic Republic of)", "IR"},
		{"Democratic People's Republic of Korea", "KP"},
		{"Korea, North", "KP"},
		{"Korea, South", "KR"},
		{"Congo, Democratic Republic of the", "CD"},
		{"Congo, Republic of the", "CG"},
		{"Bahamas, The", "BS"},
		{"The Gambia", "GM"},
		{"Türkiye", "TR"},
		{"Cote d Ivoire", "CI"},
		{"Côte d’Ivoire", "CI"},
		{"UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND", "GB"},
		{"China, Hong Kong Special Administrative Region", "HK"},
		{"Region: Gaza", "PS"},
		{"Burma", "MM"},
		{"Iranian", "IR"},
		{"Virgin Islands, British", "VG"},
		{"na", ""},
		{"former Soviet Union", ""},
		{"undetermined", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got, _ := countryCode(tt.in); got != tt.want {
			t.Errorf("countryCode(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
	if got, ok := isoCode("kp"); got != "KP" || !ok {
		t.Errorf("isoCode(kp)=%q,%v", got, ok)
	}
	for _, bad := range []string{"00", "ZZ", "KPX", "", "PRC"} {
		if got, ok := isoCode(bad); ok {
			t.Errorf("isoCode(%q)=%q, want none", bad, got)
		}
	}
	if got, _ := codeOrCountry("PRC"); got != "CN" {
		t.Errorf("codeOrCountry(PRC)=%q, want CN", got)
	}
}

func TestCountryTableNames(t *testing.T) {
	// Every canonical name must look itself up: no two codes share a key.
	for code, name := range countryNames {
		if got, _ := countryCode(name); got != code {
			t.Errorf("countryCode(%q)=%q, want %q", name, got, code)
		}
	}
	for name, code := range countryAliases {
		if _, ok := countryNames[code]; !ok {
			t.Errorf("alias %q maps to unknown code %q", name, code)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ERIC BADEGE", "ERIC BADEGE"},
		{"  ERIC   BADEGE\n", "ERIC BADEGE"},
		{"National Identification\n      Number", "National Identification Number"},
		{"a\u00a0b", "a b"},
		{"Торвал  Квестен", "Торвал Квестен"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
	if got := splitList(" a; ;b ;", ";"); strings.Join(got, "|") != "a|b" {
		t.Errorf("splitList=%q", got)
	}
	if got := lineAt([]byte("a\nb\nc"), 3); got != 2 {
		t.Errorf("lineAt=%d, want 2", got)
	}
	if got := string(windows1252([]byte("caf\xe9 \x80"))); got != "café €" {
		t.Errorf("windows1252=%q", got)
	}
}
