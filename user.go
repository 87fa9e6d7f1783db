package annex

import (
	"context"
	"regexp"
	"time"
)

// Role is what a user may do. A user has exactly one role.
type Role string

// The roles of Annex. Authority roles belong to the export-control authority;
// exporter roles belong to an exporting organisation and see only its records.
const (
	RoleAdmin            Role = "admin"             // runs the system: users, lists, settings
	RoleLicensingOfficer Role = "licensing_officer" // works licence cases
	RoleReviewer         Role = "reviewer"          // advises from another department
	RoleSeniorOfficer    Role = "senior_officer"    // countersigns refusals and Category I cases
	RoleAnalyst          Role = "analyst"           // nonproliferation analysis, transfer reports
	RoleCustoms          Role = "customs"           // checks licences and records shipments
	RoleExporterUser     Role = "exporter_user"     // prepares and submits applications
	RoleExporterAdmin    Role = "exporter_admin"    // manages an exporter's users
)

// Roles lists every role, in the order forms show them.
var Roles = []Role{RoleAdmin, RoleLicensingOfficer, RoleReviewer, RoleSeniorOfficer,
	RoleAnalyst, RoleCustoms, RoleExporterUser, RoleExporterAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// IsExporter reports whether r belongs to an exporting organisation.
func (r Role) IsExporter() bool { return r == RoleExporterUser || r == RoleExporterAdmin }

// User is a person who signs in to Annex.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	// OrgID is the exporting organisation of an exporter user; zero for
	// users of the authority.
	OrgID int64 `json:"org_id,omitempty"`
	// Department is the advising department of a reviewer:
	// foreign_affairs or defence.
	Department string `json:"department,omitempty"`
	// MustChangePassword is set for a one-time password: the user must choose
	// a new one before doing anything else.
	MustChangePassword bool      `json:"must_change_password"`
	Disabled           bool      `json:"disabled"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// Validate checks the user's fields.
func (u *User) Validate() error {
	var errs []FieldError
	if !usernameRE.MatchString(u.Username) {
		errs = append(errs, FieldError{"username", "must be 2 to 63 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit"})
	}
	if !u.Role.Valid() {
		errs = append(errs, FieldError{"role", "unknown role " + quote(string(u.Role))})
	}
	if u.Role.IsExporter() && u.OrgID == 0 {
		errs = append(errs, FieldError{"org_id", "an exporter user needs an organisation"})
	}
	if u.Role == RoleReviewer && u.Department != DeptForeignAffairs && u.Department != DeptDefence {
		errs = append(errs, FieldError{"department", "a reviewer belongs to foreign_affairs or defence"})
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// MinPasswordLength is the shortest password Annex accepts.
const MinPasswordLength = 12

// ValidatePassword checks a new password.
func ValidatePassword(p string) error {
	if len([]rune(p)) < MinPasswordLength {
		return Invalid(FieldError{"password", "must be at least 12 characters"})
	}
	return nil
}

// UserFilter selects users. Nil fields are not filtered on.
type UserFilter struct {
	ID       *int64
	Username *string
	OrgID    *int64
	Offset   int
	Limit    int
}

// UserUpdate changes a user. Nil fields are left as they are.
type UserUpdate struct {
	Name     *string
	Role     *Role
	Disabled *bool
}

// UserService manages users and their passwords. Every change is audited.
type UserService interface {
	// FindUserByID returns the user with the given ID, or ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUsers returns the users matching the filter and how many match in all.
	FindUsers(ctx context.Context, filter UserFilter) ([]*User, int, error)
	// CreateUser creates u with the given password and sets u.ID. It returns
	// ECONFLICT if the username is taken.
	CreateUser(ctx context.Context, u *User, password string) error
	// UpdateUser changes the user and returns it.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	// SetPassword replaces the user's password and clears MustChangePassword.
	SetPassword(ctx context.Context, id int64, password string) error
	// Authenticate returns the enabled user with this username and password,
	// or EUNAUTHORIZED; the error does not say which part was wrong.
	Authenticate(ctx context.Context, username, password string) (*User, error)
}

// Session is a signed-in browser or API client.
type Session struct {
	// Token is the secret the client presents. It is set only when the
	// session is created; the store keeps only its hash.
	Token     string    `json:"token,omitempty"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// SessionService creates and resolves sessions.
type SessionService interface {
	// CreateSession starts a session for the user, valid for ttl.
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (*Session, error)
	// FindSessionUser returns the enabled user of an unexpired session, or
	// EUNAUTHORIZED.
	FindSessionUser(ctx context.Context, token string) (*User, error)
	// DeleteSession ends the session. Ending an unknown session is not an error.
	DeleteSession(ctx context.Context, token string) error
}
