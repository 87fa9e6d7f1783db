package screen

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestHopelessIsSafe checks on random and real tokens that the bounds of
// hopeless never dismiss an edit or phonetic similarity that reaches need.
func TestHopelessIsSafe(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const letters = "aaeeiioouyhhbcdfgjklmnpqrstvwxzmmnnss"
	word := func() string {
		b := make([]byte, 1+r.IntN(14))
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
			if i > 0 && r.IntN(6) == 0 {
				b[i] = b[i-1] // doubled letters
			}
		}
		return string(b)
	}
	real := []string{"mohammad", "muhammad", "mohamed", "ahmad", "ahmed", "hussein", "husain", "abdullah",
		"abdulla", "qasim", "kasim", "sergey", "sergei", "mousavi", "musavi", "sanchez", "sancho", "shevchenko",
		"schevchenko", "tikriti", "takriti", "rahmatullah", "rahmatulla", "kim", "khim", "jong", "jeong"}
	o := Options{}.withDefaults()
	check := func(a, b string) {
		ta, tb := newToken(a, className, 0, 1), newToken(b, className, 0, 1)
		edit, phonetic := editSim(a, b), phoneticSim(a, b)*o.VowelFoldFactor
		for _, need := range []float64{0.5, 0.6, 0.7, 0.8, 0.9} {
			e, p := hopeless(&ta, &tb, need, &o)
			if e && edit >= need {
				t.Fatalf("hopeless(%q,%q,%.1f) dismisses the edit similarity %.4f", a, b, need, edit)
			}
			if p && phonetic >= need {
				t.Fatalf("hopeless(%q,%q,%.1f) dismisses the phonetic similarity %.4f", a, b, need, phonetic)
			}
		}
	}
	for _, a := range real {
		for _, b := range real {
			check(a, b)
		}
	}
	for range 200000 {
		a := word()
		b := []byte(a)
		for range r.IntN(4) { // a few edits, so that many pairs are close
			i := r.IntN(len(b))
			switch r.IntN(3) {
			case 0:
				b[i] = letters[r.IntN(len(letters))]
			case 1:
				b = append(b[:i], b[i+1:]...)
			default:
				b = append(b[:i], append([]byte{letters[r.IntN(len(letters))]}, b[i:]...)...)
			}
			if len(b) == 0 {
				b = []byte{'a'}
			}
		}
		check(a, string(b))
		check(a, word())
	}
}

// TestTopCandidates checks the heap selection against a full sort.
func TestTopCandidates(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		n := r.IntN(300)
		s := &scratch{acc: make([]stamped[float32], n)}
		for i := range n {
			if r.IntN(3) > 0 {
				s.touched = append(s.touched, int32(i))
				s.acc[i].v = float32(r.IntN(20)) / 4 // many ties
			}
		}
		r.Shuffle(len(s.touched), func(i, j int) { s.touched[i], s.touched[j] = s.touched[j], s.touched[i] })
		floor, k := float32(r.IntN(8))/4, r.IntN(40)
		var want []int32
		for _, i := range s.touched {
			if s.acc[i].v >= floor {
				want = append(want, i)
			}
		}
		slices.SortFunc(want, func(a, b int32) int {
			if c := cmp.Compare(s.acc[b].v, s.acc[a].v); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		want = want[:min(k, len(want))]
		if got := s.topCandidates(floor, k); !slices.Equal(got, want) {
			t.Fatalf("topCandidates(%v, %d) = %v, want %v", floor, k, got, want)
		}
	}
}

// TestKeyTable checks the lookup table against a map, key 0 included.
func TestKeyTable(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var kt keyTable
	want := map[uint64]int32{}
	for i := range 20000 {
		h := r.Uint64() >> uint(r.IntN(60)) // small keys collide in the low bits
		if i == 0 {
			h = 0
		}
		kt.put(h, int32(i))
		want[tableKey(h)] = int32(i)
	}
	for h, v := range want {
		if got, ok := kt.get(h); !ok || got != v {
			t.Fatalf("get(%d) = %d, %v, want %d", h, got, ok, v)
		}
	}
	if _, ok := kt.get(0xdeadbeef12345); ok && want[0xdeadbeef12345] == 0 {
		t.Errorf("get of an absent key found it")
	}
	if kt.n != len(want) {
		t.Errorf("n = %d, want %d", kt.n, len(want))
	}
}
