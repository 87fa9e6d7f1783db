package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"annex"
)

// sessionTokenLen is how many random bytes a session token has.
const sessionTokenLen = 32

// SessionService implements annex.SessionService. Only the SHA-256 of each
// token is stored, so a copy of the database does not give away sessions.
type SessionService struct {
	db *DB
}

var _ annex.SessionService = (*SessionService)(nil)

// NewSessionService returns a SessionService for db.
func NewSessionService(db *DB) *SessionService { return &SessionService{db: db} }

// errNoSession is the one answer for a token that does not give a user.
func errNoSession() error {
	return annex.Errorf(annex.EUNAUTHORIZED, "the session is invalid or has expired")
}

// CreateSession starts a session for the user, valid for ttl, and audits it
// as "session.create" (a sign-in). The actor is the user in the context, or
// else the user signing in. It returns ENOTFOUND for an unknown user and
// EUNAUTHORIZED for a disabled one. Expired sessions are removed on the way.
func (s *SessionService) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (*annex.Session, error) {
	if ttl <= 0 {
		return nil, annex.Invalid(annex.FieldError{Field: "ttl", Message: "must be positive"})
	}
	buf := make([]byte, sessionTokenLen)
	if _, err := rand.Read(buf); err != nil {
		return nil, fmt.Errorf("session token: %w", err)
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	sess := &annex.Session{Token: base64.RawURLEncoding.EncodeToString(buf), UserID: userID}
	if err := createSession(ctx, tx, sess, ttl); err != nil {
		return nil, err
	}
	return sess, tx.Commit()
}

// FindSessionUser returns the enabled user of an unexpired session, or
// EUNAUTHORIZED.
func (s *SessionService) FindSessionUser(ctx context.Context, token string) (*annex.User, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	u, err := findSessionUser(ctx, tx, token)
	if err != nil {
		return nil, err
	}
	return u, tx.Commit()
}

// DeleteSession ends the session and audits it as "session.delete" (a sign-
// out). Ending an unknown session is not an error and is not audited.
func (s *SessionService) DeleteSession(ctx context.Context, token string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := deleteSession(ctx, tx, token); err != nil {
		return err
	}
	return tx.Commit()
}

// hashToken returns the hex SHA-256 of a session token, as stored.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// sessionRef names a session in the audit trail: the first 12 hex digits of
// its token's hash, enough to pair a sign-in with its sign-out but no help
// in guessing the token.
func sessionRef(token string) string { return hashToken(token)[:12] }

func createSession(ctx context.Context, tx *Tx, sess *annex.Session, ttl time.Duration) error {
	u, err := findUserByID(ctx, tx, sess.UserID)
	if err != nil {
		return err
	} else if u.Disabled {
		return annex.Errorf(annex.EUNAUTHORIZED, "this account is disabled")
	}

	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, tx.db.timeArg(tx.now)); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	sess.CreatedAt, sess.ExpiresAt = tx.now, tx.now.Add(ttl)
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hashToken(sess.Token), sess.UserID, tx.db.timeArg(sess.CreatedAt), tx.db.timeArg(sess.ExpiresAt)); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}

	actor := annex.UserFromContext(ctx)
	if actor == nil {
		actor = u
	}
	return appendAudit(ctx, tx, auditRecord{
		actor:   actor,
		action:  "session.create",
		subject: userSubject(u.ID),
		detail: map[string]any{"session": sessionRef(sess.Token),
			"expires_at": sess.ExpiresAt.Format(time.RFC3339Nano)},
	})
}

func findSessionUser(ctx context.Context, tx *Tx, token string) (*annex.User, error) {
	var u annex.User
	var expires time.Time
	err := scanUser(tx.QueryRowContext(ctx, `SELECT `+prefixColumns("u.", userColumns)+`, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ?`, hashToken(token)), &u, scanTime(&expires))
	if isNoRows(err) {
		return nil, errNoSession()
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if !tx.now.Before(expires) || u.Disabled {
		return nil, errNoSession()
	}
	return &u, nil
}

func deleteSession(ctx context.Context, tx *Tx, token string) error {
	var userID int64
	err := tx.QueryRowContext(ctx, `DELETE FROM sessions WHERE token_hash = ? RETURNING user_id`, hashToken(token)).Scan(&userID)
	if isNoRows(err) {
		return nil
	} else if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}

	var actor *annex.User
	if annex.UserFromContext(ctx) == nil {
		if actor, err = findUserByID(ctx, tx, userID); err != nil {
			return err
		}
	}
	return appendAudit(ctx, tx, auditRecord{actor: actor, action: "session.delete", subject: userSubject(userID),
		detail: map[string]any{"session": sessionRef(token)}})
}
