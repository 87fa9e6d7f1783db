package exchange_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"annex"
	"annex/exchange"
)

// TestVerifyRequest: a feed request signed by a trusted partner's key
// passes and names the partner; unsigned, untrusted, tampered, stale and
// future requests are refused with EUNAUTHORIZED saying why.
func TestVerifyRequest(t *testing.T) {
	gb, fr, stranger := mustKey(t, 1), mustKey(t, 2), mustKey(t, 3)
	trust := exchange.TrustList{partner(t, "GB", gb), partner(t, "FR", fr)}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	req := func(k *exchange.Key, signedAt time.Time, path string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if k != nil {
			exchange.SignRequest(k, r, signedAt)
		}
		return r
	}
	p, err := exchange.VerifyRequest(req(fr, now, exchange.FeedPath+"?after=3"), trust, now)
	if err != nil || p.Government != "FR" {
		t.Fatalf("signed by FR: %v, %+v", err, p)
	}
	tampered := req(fr, now, exchange.FeedPath+"?after=3")
	tampered.URL.RawQuery = "after=0"
	for _, tt := range []struct {
		name string
		r    *http.Request
		want string
	}{
		{"unsigned", req(nil, now, exchange.FeedPath), "not signed"},
		{"untrusted key", req(stranger, now, exchange.FeedPath), "not on the trust list"},
		{"query changed after signing", tampered, "does not verify"},
		{"stale", req(gb, now.Add(-6*time.Minute), exchange.FeedPath), "more than"},
		{"from the future", req(gb, now.Add(6*time.Minute), exchange.FeedPath), "more than"},
		{"malformed", func() *http.Request {
			r := req(nil, now, exchange.FeedPath)
			r.Header.Set("Authorization", exchange.AuthScheme+" keyid")
			return r
		}(), "malformed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := exchange.VerifyRequest(tt.r, trust, now)
			if annex.ErrorCode(err) != annex.EUNAUTHORIZED || !strings.Contains(annex.ErrorMessage(err), tt.want) {
				t.Errorf("err=%v, want EUNAUTHORIZED saying %q", err, tt.want)
			}
		})
	}
}

// TestClientSignsRequests: a client with a key signs its feed requests so
// that a server checking them lets it in.
func TestClientSignsRequests(t *testing.T) {
	gb := mustKey(t, 1)
	trust := exchange.TrustList{partner(t, "GB", gb)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := exchange.VerifyRequest(r, trust, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"government": "FR", "key_id": "x", "public_key": "", "notifications": []}`))
	}))
	defer srv.Close()
	c := &exchange.Client{HTTP: srv.Client(), Key: gb}
	if _, err := c.Fetch(context.Background(), srv.URL+exchange.FeedPath, 0); err != nil {
		t.Fatalf("signed fetch: %v", err)
	}
	c.Key = nil
	if _, err := c.Fetch(context.Background(), srv.URL+exchange.FeedPath, 0); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("unsigned fetch: %v, want a 401", err)
	}
}
