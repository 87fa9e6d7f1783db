package exchange_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"annex"
	"annex/exchange"
)

// newFeedServer serves GB's feed of notifications 1 to 5 at FeedPath,
// paging by after as a real instance does, and reports each query.
func newFeedServer(t *testing.T) (*httptest.Server, chan string) {
	t.Helper()
	gb := mustKey(t, 1)
	var all []annex.Notification
	for seq := int64(1); seq <= 5; seq++ {
		all = append(all, mustSign(t, gb, denialNote(seq, "GB")))
	}
	queries := make(chan string, 10)
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+exchange.FeedPath, func(w http.ResponseWriter, r *http.Request) {
		queries <- r.URL.RawQuery
		var after int64
		if err := json.Unmarshal([]byte(r.URL.Query().Get("after")), &after); err != nil {
			http.Error(w, "bad after", http.StatusBadRequest)
			return
		}
		feed := gbFeedOf(t)
		for _, n := range all {
			if n.Sequence > after && len(feed.Notifications) < exchange.FeedPageSize {
				feed.Notifications = append(feed.Notifications, n)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(feed); err != nil {
			t.Errorf("encode feed: %v", err)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, queries
}

func TestClientFetch(t *testing.T) {
	srv, queries := newFeedServer(t)
	c := &exchange.Client{HTTP: srv.Client()}
	feedURL := srv.URL + exchange.FeedPath
	feed, err := c.Fetch(context.Background(), feedURL, 3)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if q := <-queries; q != "after=3" {
		t.Errorf("query = %q, want after=3", q)
	}
	if feed.Government != "GB" || feed.KeyID != gbKeyID || len(feed.Notifications) != 2 {
		t.Fatalf("Fetch = %s/%s with %d notifications, want GB/%s with 2", feed.Government, feed.KeyID, len(feed.Notifications), gbKeyID)
	}
	acc, rej := exchange.Accept(feedURL, feed, testTrust(t), lastSeenOf(map[string]int64{gbKeyID: 3}), "FR")
	if len(acc) != 2 || len(rej) != 0 || acc[0].Sequence != 4 || acc[1].Sequence != 5 {
		t.Errorf("Accept(fetched) = %d accepted, %v; want 4 and 5", len(acc), rej)
	}

	// A query in the feed URL is kept; after replaces any given.
	if _, err := c.Fetch(context.Background(), feedURL+"?page=x&after=99", 0); err != nil {
		t.Fatalf("Fetch with query: %v", err)
	}
	if q := <-queries; q != "after=0&page=x" {
		t.Errorf("query = %q, want after=0&page=x", q)
	}
}

func TestClientFetchErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "database on fire", http.StatusInternalServerError)
		}, "server answered 500 Internal Server Error"},
		{"not found", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, "server answered 404 Not Found"},
		{"malformed JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"government":"GB","notifications":[{"sequence":1,}]}`))
		}, "malformed feed JSON"},
		{"wrong types", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"notifications":[{"sequence":"one"}]}`))
		}, "malformed feed JSON"},
		{"not an object", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`null`)) }, "not a JSON feed object"},
		{"empty", func(w http.ResponseWriter, r *http.Request) {}, "not a JSON feed object"},
		{"oversized", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"government":"GB","name":"`))
			w.Write([]byte(strings.Repeat("x", exchange.MaxFeedBytes)))
			w.Write([]byte(`"}`))
		}, "larger than 10485760 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c := &exchange.Client{HTTP: srv.Client()}
			feed, err := c.Fetch(context.Background(), srv.URL+exchange.FeedPath, 0)
			if err == nil {
				t.Fatalf("Fetch = %+v, want an error", feed)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), srv.URL+exchange.FeedPath+"?after=0") {
				t.Errorf("Fetch error = %q, want it to contain %q and the URL", err, tt.want)
			}
			if strings.Contains(err.Error(), "database on fire") {
				t.Errorf("Fetch error %q echoes the response body", err)
			}
		})
	}
}

func TestClientFetchRefusesPlainHTTP(t *testing.T) {
	var c exchange.Client
	_, err := c.Fetch(context.Background(), "http://gb.example.gov/api/v1/exchange/feed", 0)
	if code := annex.ErrorCode(err); code != annex.EINVALID || !strings.Contains(err.Error(), "https://") {
		t.Errorf("Fetch(plain http) = %v (code %q), want EINVALID naming https://", err, code)
	}
}

func TestClientFetchContext(t *testing.T) {
	srv, _ := newFeedServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &exchange.Client{HTTP: srv.Client()}
	if _, err := c.Fetch(ctx, srv.URL+exchange.FeedPath, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch(cancelled) = %v, want context.Canceled", err)
	}
}
