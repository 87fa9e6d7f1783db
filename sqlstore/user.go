package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"annex"
)

// UserService implements annex.UserService.
type UserService struct {
	db *DB

	// PasswordParams are the argon2id costs of new password hashes. Tests
	// lower them; production keeps DefaultPasswordParams.
	PasswordParams PasswordParams
}

var _ annex.UserService = (*UserService)(nil)

// NewUserService returns a UserService for db with the default password
// hashing costs.
func NewUserService(db *DB) *UserService {
	return &UserService{db: db, PasswordParams: DefaultPasswordParams()}
}

// errBadCredentials is the one answer to a failed sign-in, whatever failed.
func errBadCredentials() error {
	return annex.Errorf(annex.EUNAUTHORIZED, "invalid username or password")
}

// FindUserByID returns the user with the given ID, or ENOTFOUND.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*annex.User, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	u, err := findUserByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return u, tx.Commit()
}

// FindUsers returns the users matching the filter, by ID, and how many match
// in all. An exporter user or administrator sees only its organisation's
// users: a filter on another organisation finds none.
func (s *UserService) FindUsers(ctx context.Context, filter annex.UserFilter) ([]*annex.User, int, error) {
	if v := orgScope(ctx); v != nil {
		if filter.OrgID != nil && *filter.OrgID != *v {
			return []*annex.User{}, 0, nil
		}
		filter.OrgID = v
	}
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	users, n, err := findUsers(ctx, tx, filter)
	if err != nil {
		return nil, 0, err
	}
	return users, n, tx.Commit()
}

// CreateUser validates u and the password, creates the user, and sets u.ID,
// u.CreatedAt and u.UpdatedAt. It returns ECONFLICT if the username is taken.
//
// Who may create whom depends on the user in the context (see
// checkCreator): an administrator anyone, an exporter administrator the
// exporter users and administrators of its own organisation, and the system
// (no user: the command line, the first start) anyone; every other user
// gets EFORBIDDEN.
func (s *UserService) CreateUser(ctx context.Context, u *annex.User, password string) error {
	if u == nil {
		return annex.Errorf(annex.EINVALID, "user required")
	}
	if err := checkCreator(annex.UserFromContext(ctx), u); err != nil {
		return err
	}
	if err := validateNewUser(u, password); err != nil {
		return err
	}
	// Hash before the transaction: it is slow, and SQLite's write lock is
	// held from BEGIN.
	hash, err := hashPassword(s.PasswordParams, password)
	if err != nil {
		return err
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := createUser(ctx, tx, u, hash); err != nil {
		return err
	}
	return tx.Commit()
}

// checkCreator checks that the creator may create the user u; a nil
// creator is the system, which may create anyone.
func checkCreator(creator, u *annex.User) error {
	switch {
	case creator == nil || creator.Role == annex.RoleAdmin:
		return nil
	case creator.Role != annex.RoleExporterAdmin:
		return annex.Errorf(annex.EFORBIDDEN, "only an administrator or an exporter administrator creates users")
	case !u.Role.IsExporter():
		return annex.Errorf(annex.EFORBIDDEN, "an exporter administrator creates only exporter users and exporter administrators")
	case creator.OrgID == 0 || u.OrgID != creator.OrgID:
		return annex.Errorf(annex.EFORBIDDEN, "an exporter administrator creates users only in its own organisation")
	}
	return nil
}

// validateNewUser checks the user and the password together, so that every
// invalid field is reported at once.
func validateNewUser(u *annex.User, password string) error {
	var fields []annex.FieldError
	for _, err := range []error{u.Validate(), annex.ValidatePassword(password)} {
		if err == nil {
			continue
		} else if fe := annex.ErrorFields(err); len(fe) > 0 {
			fields = append(fields, fe...)
		} else {
			return err
		}
	}
	if len(fields) > 0 {
		return annex.Invalid(fields...)
	}
	return nil
}

// UpdateUser changes the user and returns it. An update that changes nothing
// is not audited.
func (s *UserService) UpdateUser(ctx context.Context, id int64, upd annex.UserUpdate) (*annex.User, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	u, err := updateUser(ctx, tx, id, upd)
	if err != nil {
		return nil, err
	}
	return u, tx.Commit()
}

// SetPassword replaces the user's password and clears MustChangePassword.
func (s *UserService) SetPassword(ctx context.Context, id int64, password string) error {
	if err := annex.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(s.PasswordParams, password)
	if err != nil {
		return err
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := setPassword(ctx, tx, id, hash); err != nil {
		return err
	}
	return tx.Commit()
}

// Authenticate returns the enabled user with this username and password, or
// EUNAUTHORIZED with the same message whatever was wrong. For an unknown
// username it still hashes the password, so the time taken does not tell
// whether the user exists.
func (s *UserService) Authenticate(ctx context.Context, username, password string) (*annex.User, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	u, hash, err := findUserWithHash(ctx, tx, username)
	if annex.ErrorCode(err) == annex.ENOTFOUND {
		dummyCheckPassword(s.PasswordParams, password)
		return nil, errBadCredentials()
	} else if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}

	ok, err := checkPassword(hash, password)
	if err != nil {
		return nil, fmt.Errorf("authenticate user %d: %w", u.ID, err)
	} else if !ok || u.Disabled {
		return nil, errBadCredentials()
	}
	return u, nil
}

const userColumns = `id, username, name, role, org_id, department, must_change_password, disabled, created_at, updated_at`

// scanUser scans the userColumns of a row, then extra.
func scanUser(row interface{ Scan(...any) error }, u *annex.User, extra ...any) error {
	var orgID sql.NullInt64
	dest := []any{&u.ID, &u.Username, &u.Name, &u.Role, &orgID, &u.Department, &u.MustChangePassword, &u.Disabled,
		scanTime(&u.CreatedAt), scanTime(&u.UpdatedAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	u.OrgID = orgID.Int64
	return nil
}

func findUserByID(ctx context.Context, tx *Tx, id int64) (*annex.User, error) {
	users, _, err := findUsers(ctx, tx, annex.UserFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(users) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "user %d not found", id)
	}
	return users[0], nil
}

func findUsers(ctx context.Context, tx *Tx, filter annex.UserFilter) (_ []*annex.User, n int, err error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := filter.ID; v != nil {
		where, args = append(where, "id = ?"), append(args, *v)
	}
	if v := filter.Username; v != nil {
		where, args = append(where, "username = ?"), append(args, *v)
	}
	if v := filter.OrgID; v != nil {
		where, args = append(where, "org_id = ?"), append(args, *v)
	}

	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+`, COUNT(*) OVER()
		FROM users
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id `+tx.db.limitOffset(filter.Limit, filter.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()

	users := make([]*annex.User, 0)
	for rows.Next() {
		var u annex.User
		if err := scanUser(rows, &u, &n); err != nil {
			return nil, 0, fmt.Errorf("scan user: %w", err)
		}
		users = append(users, &u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	return users, n, nil
}

// findUserWithHash returns the user with the username and its password hash,
// or ENOTFOUND.
func findUserWithHash(ctx context.Context, tx *Tx, username string) (*annex.User, string, error) {
	var u annex.User
	var hash string
	err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = ?`,
		username), &u, &hash)
	if isNoRows(err) {
		return nil, "", annex.Errorf(annex.ENOTFOUND, "user %q not found", username)
	} else if err != nil {
		return nil, "", fmt.Errorf("find user %q: %w", username, err)
	}
	return &u, hash, nil
}

// checkOrganisation checks that a user may belong to the organisation.
func checkOrganisation(ctx context.Context, tx *Tx, u *annex.User) error {
	if u.OrgID == 0 {
		return nil
	}
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = ?`, u.OrgID).Scan(&kind)
	if isNoRows(err) {
		return annex.Invalid(annex.FieldError{Field: "org_id", Message: "no such organisation"})
	} else if err != nil {
		return fmt.Errorf("find organisation %d: %w", u.OrgID, err)
	}
	if u.Role.IsExporter() && kind != "exporter" {
		return annex.Invalid(annex.FieldError{Field: "org_id", Message: "an exporter user needs an exporting organisation"})
	}
	return nil
}

func createUser(ctx context.Context, tx *Tx, u *annex.User, hash string) error {
	if err := checkOrganisation(ctx, tx, u); err != nil {
		return err
	}
	var orgID sql.NullInt64
	if u.OrgID != 0 {
		orgID = sql.NullInt64{Int64: u.OrgID, Valid: true}
	}
	now := tx.db.timeArg(tx.now)
	err := tx.QueryRowContext(ctx, `INSERT INTO users
		(username, name, role, org_id, department, password_hash, must_change_password, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		u.Username, u.Name, string(u.Role), orgID, u.Department, hash, u.MustChangePassword, u.Disabled, now, now,
	).Scan(&u.ID)
	if annex.ErrorCode(err) == annex.ECONFLICT {
		return &annex.Error{Code: annex.ECONFLICT, Message: fmt.Sprintf("username %q is taken", u.Username), Err: err}
	} else if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	u.CreatedAt, u.UpdatedAt = tx.now, tx.now

	return appendAudit(ctx, tx, auditRecord{
		action:  "user.create",
		subject: userSubject(u.ID),
		detail: map[string]any{"username": u.Username, "name": u.Name, "role": u.Role, "org_id": u.OrgID,
			"department": u.Department, "must_change_password": u.MustChangePassword, "disabled": u.Disabled},
	})
}

func updateUser(ctx context.Context, tx *Tx, id int64, upd annex.UserUpdate) (*annex.User, error) {
	u, err := findUserByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	changes := make(map[string]any)
	if v := upd.Name; v != nil && *v != u.Name {
		changes["name"] = map[string]any{"old": u.Name, "new": *v}
		u.Name = *v
	}
	if v := upd.Role; v != nil && *v != u.Role {
		changes["role"] = map[string]any{"old": u.Role, "new": *v}
		u.Role = *v
	}
	if v := upd.Disabled; v != nil && *v != u.Disabled {
		changes["disabled"] = map[string]any{"old": u.Disabled, "new": *v}
		u.Disabled = *v
	}
	if len(changes) == 0 {
		return u, nil
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := checkOrganisation(ctx, tx, u); err != nil {
		return nil, err
	}

	u.UpdatedAt = tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?`,
		u.Name, string(u.Role), u.Disabled, tx.db.timeArg(u.UpdatedAt), id); err != nil {
		return nil, fmt.Errorf("update user %d: %w", id, err)
	}
	if err := appendAudit(ctx, tx, auditRecord{action: "user.update", subject: userSubject(id), detail: changes}); err != nil {
		return nil, err
	}
	return u, nil
}

func setPassword(ctx context.Context, tx *Tx, id int64, hash string) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?`,
		hash, false, tx.db.timeArg(tx.now), id)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	} else if n == 0 {
		return annex.Errorf(annex.ENOTFOUND, "user %d not found", id)
	}
	return appendAudit(ctx, tx, auditRecord{action: "user.set_password", subject: userSubject(id)})
}

// userSubject names a user as an audit subject.
func userSubject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }
