package screen

import (
	"strings"
	"testing"
	"unicode/utf8"

	"annex"
)

var fuzzSeeds = []string{
	"", " ", "Vladimir PUTIN", "PUTIN, Vladimir Vladimirovich", "محمد رضا احمدی", "پزشک\u200cفر",
	"Шевченко", "习近平", "贝拉克·奥巴马", "김정은", "Κυριάκος", "Բարակ", "ბარაკ", "בנימין", "मोदी",
	"U.S.A. Co., Ltd.", "Ig0r Sech1n", "Brigade Forty-Four", "Mu\u0308ller", "\xff\xfe", "a.b.c.d.e.f",
	"ـــ", "\u0670\u064b", "ＡＢＣ", "'''", "...", "- - -", "1st 2nd 3rd",
}

// FuzzLatin checks that Latin never panics, returns valid UTF-8 and is
// idempotent.
func FuzzLatin(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := Latin(s)
		if !utf8.ValidString(l) {
			t.Fatalf("Latin(%q) = %q, not valid UTF-8", s, l)
		}
		if l2 := Latin(l); l2 != l {
			t.Fatalf("Latin not idempotent: Latin(%q) = %q, Latin(that) = %q", s, l, l2)
		}
	})
}

// FuzzNormalize checks that Normalize never panics and is idempotent, and
// that searching any string is safe.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	ix := NewIndex([]*annex.ListEntity{
		entity("1", annex.EntityPerson, "Vladimir Putin"),
		entity("2", annex.EntityOrganization, "Shahid Hemmat Industrial Group", "شهید همت"),
	}, Options{})
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if n2 := Normalize(n); n2 != n {
			t.Fatalf("Normalize not idempotent: Normalize(%q) = %q, Normalize(that) = %q", s, n, n2)
		}
		if strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Fatalf("Normalize(%q) = %q: stray spaces", s, n)
		}
		r := ix.Search(annex.ScreenQuery{Name: s, ID: s, DOB: s, Country: s}, 3)
		for _, m := range r.Matches {
			if m.Score < 0 || m.Score > 1 {
				t.Fatalf("Search(%q) score %v outside [0,1]", s, m.Score)
			}
		}
	})
}
