package exchange_test

import (
	"reflect"
	"strings"
	"testing"

	"annex"
	"annex/exchange"
)

const gbFeed = "https://gb.example.gov/api/v1/exchange/feed"

// testTrust trusts GB (seed 1) and FR (seed 2); seed 3 is a stranger.
func testTrust(tb testing.TB) exchange.TrustList {
	return exchange.TrustList{partner(tb, "GB", mustKey(tb, 1)), partner(tb, "FR", mustKey(tb, 2))}
}

// gbFeedOf returns GB's feed of notifications, as GB advertises it.
func gbFeedOf(tb testing.TB, ns ...annex.Notification) *exchange.Feed {
	return &exchange.Feed{Government: "GB", KeyID: gbKeyID, PublicKey: exchange.EncodePublicKey(mustKey(tb, 1).Public()), Notifications: ns}
}

// lastSeenOf returns a lastSeen function over a map.
func lastSeenOf(m map[string]int64) func(string) int64 {
	return func(id string) int64 { return m[id] }
}

// outcome is what Accept did with one notification: "accepted",
// "ignored" or "rejected".
func outcome(acc []annex.Notification, rej []exchange.Rejection) (string, string) {
	switch {
	case len(acc)+len(rej) != 1:
		return "count", ""
	case len(acc) == 1:
		return "accepted", ""
	case rej[0].Ignored:
		return "ignored", rej[0].Reason
	}
	return "rejected", rej[0].Reason
}

func TestAccept(t *testing.T) {
	gb, fr, stranger := mustKey(t, 1), mustKey(t, 2), mustKey(t, 3)
	signed := func(k *exchange.Key, n annex.Notification, change func(*annex.Notification)) annex.Notification {
		if change != nil {
			change(&n)
		}
		return mustSign(t, k, n)
	}
	tampered := mustSign(t, gb, denialNote(4, "GB"))
	tampered.Denial.EndUser = "Harmless Trading Ltd"
	forgedID := mustSign(t, stranger, denialNote(4, "GB"))
	forgedID.KeyID = gbKeyID
	unsigned := denialNote(4, "GB")
	unsigned.KeyID = gbKeyID

	tests := []struct {
		name      string
		n         annex.Notification
		advertise *exchange.Key // the key the feed claims, if not GB's
		lastSeen  int64
		want      string // accepted, ignored or rejected
		reason    string
	}{
		{"denial", signed(gb, denialNote(4, "GB"), nil), nil, 3, "accepted", ""},
		{"amendment", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) { n.Kind = annex.NotifyDenialAmend; n.Denial.Version = 2 }), nil, 0, "accepted", ""},
		{"revocation", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) {
			n.Kind = annex.NotifyDenialRevoke
			n.Denial.Status, n.Denial.RevokedOn = annex.DenialRevoked, "2026-03-14"
		}), nil, 0, "accepted", ""},
		{"consultation to us", signed(gb, consultNote(4, "GB", "FR"), nil), nil, 0, "accepted", ""},
		{"denial addressed to us", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) { n.To = "FR" }), nil, 0, "accepted", ""},
		{"unknown key", signed(stranger, denialNote(4, "GB"), nil), nil, 0, "rejected", "not on the trust list"},
		{"feed advertises its own key", signed(stranger, denialNote(4, "GB"), nil), stranger, 0, "rejected", "not on the trust list"},
		{"feed advertises its own key, trusted key ID forged", forgedID, stranger, 0, "rejected", "does not verify"},
		{"partner speaks for another", signed(gb, denialNote(4, "FR"), nil), nil, 0, "rejected", "belongs to GB and cannot speak for \"FR\""},
		{"other partner's key in GB's feed", signed(fr, denialNote(4, "GB"), nil), nil, 0, "rejected", "belongs to FR"},
		{"tampered", tampered, nil, 0, "rejected", "does not verify"},
		{"unsigned", unsigned, nil, 0, "rejected", "not signed"},
		{"replay", signed(gb, denialNote(4, "GB"), nil), nil, 9, "ignored", "replay"},
		{"duplicate of last seen", signed(gb, denialNote(4, "GB"), nil), nil, 4, "ignored", "replay"},
		{"addressed to another", signed(gb, consultNote(4, "GB", "DE"), nil), nil, 0, "ignored", "addressed to DE"},
		{"sequence zero", signed(gb, denialNote(0, "GB"), nil), nil, 0, "rejected", "not positive"},
		{"denial of another government", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) { n.Denial.NotifyingGovernment = "FR" }), nil, 0, "rejected", "notified by FR, not by the sender GB"},
		{"invalid denial", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) { n.Denial.EndUser, n.Denial.Date = "", "14/03/2026" }), nil, 0, "rejected", "invalid denial: end_user: required"},
		{"denial missing", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) { n.Denial = nil }), nil, 0, "rejected", "must carry a denial"},
		{"denial with consultation", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) { n.Consultation = consultNote(1, "GB", "FR").Consultation }), nil, 0, "rejected", "must not carry a consultation"},
		{"revocation still active", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) { n.Kind = annex.NotifyDenialRevoke }), nil, 0, "rejected", "status revoked"},
		{"consultation missing", signed(gb, consultNote(4, "GB", "FR"), func(n *annex.Notification) { n.Consultation = nil }), nil, 0, "rejected", "must carry a consultation"},
		{"consultation without request", signed(gb, consultNote(4, "GB", "FR"), func(n *annex.Notification) { n.Consultation.RequestID = "" }), nil, 0, "rejected", "request_id and denial_id"},
		{"consultation without denial", signed(gb, consultNote(4, "GB", "FR"), func(n *annex.Notification) { n.Consultation.DenialID = "" }), nil, 0, "rejected", "request_id and denial_id"},
		{"consultation to everyone", signed(gb, consultNote(4, "GB", ""), nil), nil, 0, "rejected", "addressed to one government"},
		{"unknown kind", signed(gb, denialNote(4, "GB"), func(n *annex.Notification) { n.Kind = "denial.forget" }), nil, 0, "rejected", `unknown kind "denial.forget"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed := gbFeedOf(t, tt.n)
			if tt.advertise != nil {
				feed.KeyID = exchange.KeyID(tt.advertise.Public())
				feed.PublicKey = exchange.EncodePublicKey(tt.advertise.Public())
			}
			seen := lastSeenOf(map[string]int64{gbKeyID: tt.lastSeen, frKeyID: tt.lastSeen, exchange.KeyID(stranger.Public()): tt.lastSeen})
			acc, rej := exchange.Accept(gbFeed, feed, testTrust(t), seen, "FR")
			got, reason := outcome(acc, rej)
			if got != tt.want {
				t.Fatalf("Accept: %s (%v), want %s", got, rej, tt.want)
			}
			if !strings.Contains(reason, tt.reason) {
				t.Errorf("Reason=%q, want it to contain %q", reason, tt.reason)
			}
			if len(rej) == 1 && (rej[0].Sequence != tt.n.Sequence || rej[0].KeyID != tt.n.KeyID) {
				t.Errorf("Rejection names %d/%q, want %d/%q", rej[0].Sequence, rej[0].KeyID, tt.n.Sequence, tt.n.KeyID)
			}
		})
	}
}

// TestAcceptSequences checks the order of a feed: duplicates are ignored,
// a step back is rejected, a gap is fine, and only verified notifications
// count.
func TestAcceptSequences(t *testing.T) {
	gb := mustKey(t, 1)
	forged := mustSign(t, gb, denialNote(9, "GB"))
	forged.Denial.Reason = "forged"
	feed := gbFeedOf(t,
		mustSign(t, gb, denialNote(2, "GB")), // replay: last seen is 2
		mustSign(t, gb, denialNote(3, "GB")),
		mustSign(t, gb, denialNote(3, "GB")), // duplicate
		forged,                               // does not verify, so does not raise the mark
		mustSign(t, gb, denialNote(5, "GB")), // gap: 4 was for another partner
		mustSign(t, gb, denialNote(4, "GB")), // out of order
		mustSign(t, gb, denialNote(6, "GB")),
	)
	acc, rej := exchange.Accept(gbFeed, feed, testTrust(t), lastSeenOf(map[string]int64{gbKeyID: 2}), "FR")
	var gotSeq []int64
	for _, n := range acc {
		gotSeq = append(gotSeq, n.Sequence)
	}
	if want := []int64{3, 5, 6}; !reflect.DeepEqual(gotSeq, want) {
		t.Errorf("accepted sequences = %v, want %v", gotSeq, want)
	}
	type r struct {
		seq     int64
		ignored bool
		reason  string
	}
	want := []r{{2, true, "replay"}, {3, true, "duplicate"}, {9, false, "does not verify"}, {4, false, "out of order"}}
	if len(rej) != len(want) {
		t.Fatalf("rejected = %v, want %d", rej, len(want))
	}
	for i, w := range want {
		if rej[i].Sequence != w.seq || rej[i].Ignored != w.ignored || !strings.Contains(rej[i].Reason, w.reason) {
			t.Errorf("rejected[%d] = %v, want sequence %d ignored=%v reason containing %q", i, rej[i], w.seq, w.ignored, w.reason)
		}
	}
}

// TestAcceptReceipt checks that an accepted denial records where it came
// from, without touching the feed or the signature.
func TestAcceptReceipt(t *testing.T) {
	gb := mustKey(t, 1)
	feed := gbFeedOf(t, mustSign(t, gb, denialNote(4, "GB")), mustSign(t, gb, consultNote(5, "GB", "FR")))
	acc, rej := exchange.Accept(gbFeed, feed, testTrust(t), nil, "FR")
	if len(acc) != 2 || len(rej) != 0 {
		t.Fatalf("Accept = %d accepted, %v; want 2 accepted", len(acc), rej)
	}
	want := &annex.Receipt{KeyID: gbKeyID, Feed: gbFeed, Sequence: 4}
	if got := acc[0].Denial.Received; !reflect.DeepEqual(got, want) {
		t.Errorf("Denial.Received = %+v, want %+v", got, want)
	}
	if feed.Notifications[0].Denial.Received != nil {
		t.Errorf("Accept modified the feed's denial")
	}
	acc[1].Consultation.Answer = "changed"
	if feed.Notifications[1].Consultation.Answer != "" {
		t.Errorf("accepted consultation shares memory with the feed")
	}
	if err := exchange.Verify(&acc[0], gb.Public()); err != nil {
		t.Errorf("Verify(accepted denial): %v", err)
	}
}

func TestAcceptNil(t *testing.T) {
	if acc, rej := exchange.Accept(gbFeed, nil, testTrust(t), nil, "FR"); acc != nil || rej != nil {
		t.Errorf("Accept(nil feed) = %v, %v; want nothing", acc, rej)
	}
	if acc, rej := exchange.Accept(gbFeed, gbFeedOf(t, mustSign(t, mustKey(t, 1), denialNote(1, "GB"))), nil, nil, "FR"); len(acc) != 0 || len(rej) != 1 {
		t.Errorf("Accept(empty trust list) = %v, %v; want one rejection", acc, rej)
	}
}

func TestRejectionString(t *testing.T) {
	r := exchange.Rejection{Sequence: 4, KeyID: gbKeyID, Reason: "addressed to DE, not to FR", Ignored: true}
	if got, want := r.String(), "notification 4 (key "+gbKeyID+") ignored: addressed to DE, not to FR"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
