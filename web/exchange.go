package web

import (
	"context"
	"net/http"

	"annex"
	"annex/exchange"
)

// ExchangeService is this government's side of the exchange with its
// MTCR partners: it tells who signed a feed request, serves the signed
// feed of its notifications, and describes its own key.
type ExchangeService interface {
	// Authorize returns the trusted partner that signed the request, or
	// EUNAUTHORIZED.
	Authorize(r *http.Request) (exchange.Partner, error)
	// Feed returns the notifications after a sequence, signed.
	Feed(ctx context.Context, after int64) (*exchange.Feed, error)
	// Identity returns this government, its key ID and public key.
	Identity() exchange.Identity
}

// handleFeed handles GET /api/v1/exchange/feed?after=N: the signed feed a
// partner pulls. The request must be signed with a trusted partner's key:
// the feed carries denials that governments share only with each other.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) {
	if s.ExchangeService == nil {
		s.error(w, r, annex.Errorf(annex.ENOTFOUND, "This instance exchanges with no partner."))
		return
	}
	q := r.URL.Query()
	if err := checkQuery(q, "after"); err != nil {
		s.error(w, r, err)
		return
	}
	after, err := queryInt(q, "after", 0, 1<<62)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.ExchangeService.Authorize(r)
	if err != nil {
		s.logger().WarnContext(r.Context(), "feed request refused", "remote", r.RemoteAddr, "error", annex.ErrorMessage(err))
		s.error(w, r, err)
		return
	}
	feed, err := s.ExchangeService.Feed(r.Context(), int64(after))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.logger().InfoContext(r.Context(), "feed served", "partner", p.Government, "after", after, "notifications", len(feed.Notifications))
	w.Header().Set("Cache-Control", "no-store")
	s.ok(w, r, feed)
}

// handleExchangeKey handles GET /api/v1/exchange/key: this government's
// public key and key ID, for partners to put on their trust lists (checked
// out of band before they are trusted).
func (s *Server) handleExchangeKey(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	if s.ExchangeService == nil {
		s.error(w, r, annex.Errorf(annex.ENOTFOUND, "This instance exchanges with no partner."))
		return
	}
	s.ok(w, r, s.ExchangeService.Identity())
}
