package exchange_test

import (
	"encoding/json"
	"strings"
	"testing"

	"annex"
	"annex/exchange"
)

// FuzzAccept decodes arbitrary bytes as a feed and checks that Accept
// neither panics nor accepts anything that the trust list does not vouch
// for, and gives exactly one outcome per notification.
func FuzzAccept(f *testing.F) {
	gb, stranger := mustKey(f, 1), mustKey(f, 3)
	tampered := mustSign(f, gb, denialNote(3, "GB"))
	tampered.Denial.EndUser = "x"
	seeds := []*exchange.Feed{
		gbFeedOf(f, mustSign(f, gb, denialNote(1, "GB")), mustSign(f, gb, consultNote(2, "GB", "FR")), tampered),
		gbFeedOf(f, mustSign(f, stranger, denialNote(1, "GB")), mustSign(f, gb, denialNote(1, "FR"))),
		gbFeedOf(f, mustSign(f, gb, consultNote(5, "GB", "DE")), mustSign(f, gb, denialNote(4, "GB"))),
	}
	for _, s := range seeds {
		data, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"notifications":[null,{},{"key_id":"34750f98bd59fcfc","signature":"AAAA"}]}`))
	f.Add([]byte(`{"notifications":[{"sequence":-1,"kind":"denial","denial":{},"consultation":{}}]}`))

	trust := testTrust(f)
	seen := lastSeenOf(map[string]int64{gbKeyID: 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		var feed exchange.Feed
		if err := json.Unmarshal(data, &feed); err != nil {
			return
		}
		acc, rej := exchange.Accept(gbFeed, &feed, trust, seen, "FR")
		if len(acc)+len(rej) != len(feed.Notifications) {
			t.Fatalf("%d accepted + %d rejected, want %d outcomes", len(acc), len(rej), len(feed.Notifications))
		}
		for _, n := range acc {
			p, ok := trust.ByKeyID(n.KeyID)
			if !ok {
				t.Fatalf("accepted notification %d with untrusted key %q", n.Sequence, n.KeyID)
			}
			pub, _ := exchange.ParsePublicKey(p.PublicKey)
			if err := exchange.Verify(&n, pub); err != nil {
				t.Fatalf("accepted notification that does not verify: %v", err)
			}
			if n.From != p.Government || n.Sequence <= seen(n.KeyID) || (n.To != "" && n.To != "FR") {
				t.Fatalf("accepted notification %+v", n)
			}
		}
	})
}

// FuzzParseTrustList checks that the trust list parser never panics and
// that whatever it accepts is usable.
func FuzzParseTrustList(f *testing.F) {
	f.Add(`[{"government":"GB","name":"UK","feed_url":"https://gb.example/feed","public_key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="}]`)
	f.Add(`[{"government":"gb ","name":" UK","feed_url":"http://[::1]/","public_key":" iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n"}]`)
	f.Add(`[{}, null, 1, "x", {"notes":1}]`)
	f.Fuzz(func(t *testing.T, in string) {
		list, err := exchange.ParseTrustList(strings.NewReader(in))
		if err != nil {
			if code := annex.ErrorCode(err); code != annex.EINVALID {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
			}
			return
		}
		for _, p := range list {
			pub, err := exchange.ParsePublicKey(p.PublicKey)
			if err != nil {
				t.Fatalf("accepted partner with a bad key: %v", err)
			}
			if got, ok := list.ByKeyID(exchange.KeyID(pub)); !ok || got != p {
				t.Fatalf("ByKeyID(%s) = %+v, %v; want %+v", exchange.KeyID(pub), got, ok, p)
			}
		}
	})
}
