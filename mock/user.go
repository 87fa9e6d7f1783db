package mock

import (
	"context"

	"annex"
)

var _ annex.UserService = (*UserService)(nil)

// UserService is a mock of annex.UserService.
type UserService struct {
	// Each field stands in for the method of the same name without "Fn".
	FindUserByIDFn func(ctx context.Context, id int64) (*annex.User, error)
	FindUsersFn    func(ctx context.Context, filter annex.UserFilter) ([]*annex.User, int, error)
	CreateUserFn   func(ctx context.Context, u *annex.User, password string) error
	UpdateUserFn   func(ctx context.Context, id int64, upd annex.UserUpdate) (*annex.User, error)
	SetPasswordFn  func(ctx context.Context, id int64, password string) error
	AuthenticateFn func(ctx context.Context, username, password string) (*annex.User, error)
}

// FindUserByID calls FindUserByIDFn.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*annex.User, error) {
	return s.FindUserByIDFn(ctx, id)
}

// FindUsers calls FindUsersFn.
func (s *UserService) FindUsers(ctx context.Context, filter annex.UserFilter) ([]*annex.User, int, error) {
	return s.FindUsersFn(ctx, filter)
}

// CreateUser calls CreateUserFn.
func (s *UserService) CreateUser(ctx context.Context, u *annex.User, password string) error {
	return s.CreateUserFn(ctx, u, password)
}

// UpdateUser calls UpdateUserFn.
func (s *UserService) UpdateUser(ctx context.Context, id int64, upd annex.UserUpdate) (*annex.User, error) {
	return s.UpdateUserFn(ctx, id, upd)
}

// SetPassword calls SetPasswordFn.
func (s *UserService) SetPassword(ctx context.Context, id int64, password string) error {
	return s.SetPasswordFn(ctx, id, password)
}

// Authenticate calls AuthenticateFn.
func (s *UserService) Authenticate(ctx context.Context, username, password string) (*annex.User, error) {
	return s.AuthenticateFn(ctx, username, password)
}
