package exchange_test

import (
	"testing"

	"annex/exchange"
)

// BenchmarkAcceptPage checks a full feed page of 100 signed denial
// notifications against a trust list of three partners: what a pull costs
// per page, signatures included.
func BenchmarkAcceptPage(b *testing.B) {
	gb := mustKey(b, 1)
	trust := exchange.TrustList{partner(b, "GB", gb), partner(b, "FR", mustKey(b, 2)), partner(b, "DE", mustKey(b, 4))}
	feed := &exchange.Feed{Government: "GB"}
	for i := range exchange.FeedPageSize {
		n := denialNote(int64(i+1), "GB")
		n.Denial.ID = "GB-2026-" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		if err := exchange.Sign(gb, &n); err != nil {
			b.Fatal(err)
		}
		feed.Notifications = append(feed.Notifications, n)
	}
	none := func(string) int64 { return 0 }
	for b.Loop() {
		ok, rejected := exchange.Accept("https://gb.example/feed", feed, trust, none, "FR")
		if len(ok) != exchange.FeedPageSize {
			b.Fatalf("accepted %d, rejected %v", len(ok), rejected)
		}
	}
}

// BenchmarkSign signs one denial notification, as the feed does for each
// it serves.
func BenchmarkSign(b *testing.B) {
	k := mustKey(b, 1)
	n := denialNote(1, "GB")
	for b.Loop() {
		m := n
		if err := exchange.Sign(k, &m); err != nil {
			b.Fatal(err)
		}
	}
}
