package mock

import (
	"context"
	"time"

	"annex"
)

var _ annex.SessionService = (*SessionService)(nil)

// SessionService is a mock of annex.SessionService.
type SessionService struct {
	// Each field stands in for the method of the same name without "Fn".
	CreateSessionFn   func(ctx context.Context, userID int64, ttl time.Duration) (*annex.Session, error)
	FindSessionUserFn func(ctx context.Context, token string) (*annex.User, error)
	DeleteSessionFn   func(ctx context.Context, token string) error
}

// CreateSession calls CreateSessionFn.
func (s *SessionService) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (*annex.Session, error) {
	return s.CreateSessionFn(ctx, userID, ttl)
}

// FindSessionUser calls FindSessionUserFn.
func (s *SessionService) FindSessionUser(ctx context.Context, token string) (*annex.User, error) {
	return s.FindSessionUserFn(ctx, token)
}

// DeleteSession calls DeleteSessionFn.
func (s *SessionService) DeleteSession(ctx context.Context, token string) error {
	return s.DeleteSessionFn(ctx, token)
}
