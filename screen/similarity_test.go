package screen

import (
	"math"
	"math/rand/v2"
	"testing"

	"annex"
)

// eql compares scores with a tolerance.
func eql(a, b float64) bool { return math.Abs(a-b) < 1e-3 }

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "abc", 3}, {"putin", "putin", 0},
		{"scholz", "schloz", 1}, {"donald", "donlad", 1}, {"sanchez", "sancho", 2},
		{"kitten", "sitting", 3}, {"ca", "abc", 3}, {"müller", "muller", 1}, {"путин", "пулин", 1},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := osaDistance(tt.a, tt.b); got != tt.want {
				t.Errorf("osaDistance(%q,%q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestOSABitsMatchesDP checks the bit-parallel algorithm against the
// dynamic programme on random strings over a small alphabet.
func TestOSABitsMatchesDP(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		n := 1 + r.IntN(20)
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcdeABC@"[r.IntN(9)]
		}
		return string(b)
	}
	for i := 0; i < 5000; i++ {
		a, b := word(), word()
		if got, want := osaBits(a, b), osaDP([]rune(a), []rune(b)); got != want {
			t.Fatalf("osaBits(%q,%q) = %d, osaDP = %d", a, b, got, want)
		}
	}
}

func TestPhoneticSim(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"mohammad", "mohammad", 1},
		{"mohammad", "muhammad", 0.95},  // one vowel
		{"mohamad", "mohammad", 0.9625}, // one doubled letter
		{"sergey", "sergei", 0.9333},    // y and i are vowels here
		{"mousavi", "musavi", 0.9286},   // a vowel less
		{"qasim", "kasim", 0.88},        // same sound class
		{"sanchez", "sancho", 0.8},      // a different name, alas
		{"collier", "taylor", 0.5571},   // unrelated
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := phoneticSim(tt.a, tt.b); !eql(got, tt.want) {
				t.Errorf("phoneticSim(%q,%q) = %.4f, want %.4f", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestNameScores is a reference table of name pairs and their name score
// with an index holding only the listed name.
func TestNameScores(t *testing.T) {
	tests := []struct {
		query, listed string
		min, max      float64
	}{
		{"Vladimir Putin", "Vladimir Putin", 1, 1},
		{"Putin, Vladimir", "Vladimir Putin", 1, 1},
		{"Vladimir Putin", "Vladimir Vladimirovich Putin", 0.85, 0.99},
		{"Olaf Schloz", "Olaf Scholz", 0.85, 0.99},
		{"Mohammad Reza Ahmadi", "Muhammad Riza Ahmadi", 0.85, 0.99},
		{"محمد رضا احمدی", "Mohammad Reza Ahmadi", 0.85, 0.99},
		{"김정은", "Kim Jong Un", 0.9, 0.99},
		{"习近平", "Xi Jin Ping", 0.85, 0.99},
		{"SergeiLavrov", "Sergei Lavrov", 0.9, 0.99},
		{"Siemens AG", "Siemens Aktiengesellschaft", 1, 1},
		{"Pablo Sanchez", "Pedro Sánchez", 0, 0.8},
		{"Salman bin Muhammad", "Muhammad bin Salman", 0, 0.8},
		{"김종은", "김정은", 0, 0.8},
		{"Mohammad", "Mohammad Reza Ahmadi", 0, 0.76},
		{"LLC", "Sunrise LLC", 0, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.listed, func(t *testing.T) {
			ix := NewIndex([]*annex.ListEntity{entity("1", "", tt.listed)}, Options{Floor: 0.01})
			got := top(ix, annex.ScreenQuery{Name: tt.query}).Score
			if got < tt.min-1e-9 || got > tt.max+1e-9 {
				t.Errorf("Score(%q,%q) = %.3f, want in [%.2f, %.2f]", tt.query, tt.listed, got, tt.min, tt.max)
			}
		})
	}
}
