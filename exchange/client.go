package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Client pulls partners' feeds over HTTPS.
type Client struct {
	// HTTP sends the requests; nil means http.DefaultClient. Time limits
	// come from the context passed to Fetch.
	HTTP *http.Client
	// Key signs each request, as partners' feeds require (see
	// SignRequest); nil sends them unsigned.
	Key *Key
	// Now is the clock of the signatures; nil is time.Now.
	Now func() time.Time
}

// Fetch pulls one page of the feed at feedURL: the notifications with
// Sequence greater than after. feedURL must be https://, or http:// to a
// loopback host, as on a trust list; any query it has is kept.
//
// Fetch only transports the page: nothing in it is trusted until Accept
// has checked the signatures, so a redirect the HTTP client follows, or a
// mirror serving the page, cannot forge a notification. A status other
// than 200, a body larger than MaxFeedBytes or one that is not a feed
// object is an error naming the URL; the response body is never quoted.
func (c *Client) Fetch(ctx context.Context, feedURL string, after int64) (*Feed, error) {
	if err := checkFeedURL(feedURL); err != nil {
		return nil, fmt.Errorf("fetch feed %s: feed URL %w", feedURL, err)
	}
	u, err := url.Parse(feedURL)
	if err != nil {
		return nil, fmt.Errorf("fetch feed %s: %w", feedURL, err)
	}
	q := u.Query()
	q.Set("after", strconv.FormatInt(after, 10))
	u.RawQuery = q.Encode()
	target := u.String()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch feed %s: %w", target, err)
	}
	req.Header.Set("Accept", "application/json")
	if c.Key != nil {
		now := time.Now
		if c.Now != nil {
			now = c.Now
		}
		SignRequest(c.Key, req, now())
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch feed: %w", err) // *url.Error names the URL
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch feed %s: server answered %s, want 200 OK", target, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxFeedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch feed %s: read body: %w", target, err)
	}
	if len(body) > MaxFeedBytes {
		return nil, fmt.Errorf("fetch feed %s: response is larger than %d bytes", target, MaxFeedBytes)
	}
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("fetch feed %s: response is not a JSON feed object", target)
	}
	var feed Feed
	if err := json.Unmarshal(body, &feed); err != nil {
		return nil, fmt.Errorf("fetch feed %s: malformed feed JSON: %w", target, err)
	}
	return &feed, nil
}
