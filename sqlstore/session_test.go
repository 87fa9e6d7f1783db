package sqlstore_test

import (
	"encoding/base64"
	"testing"
	"time"

	"annex"
	"annex/sqlstore"
)

func TestSessionService_CreateSession(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		SetClock(db, testTime)
		s := sqlstore.NewSessionService(db)
		u := MustCreateUser(t, ctx, db, annex.User{Username: "jdoe", Role: annex.RoleAnalyst}, testPassword)

		sess, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		if raw, err := base64.RawURLEncoding.DecodeString(sess.Token); err != nil || len(raw) != 32 {
			t.Fatalf("Token=%q: %d bytes (%v), want 32 bytes of base64url", sess.Token, len(raw), err)
		}
		if !sess.CreatedAt.Equal(testTimeStored) || !sess.ExpiresAt.Equal(testTimeStored.Add(time.Hour)) {
			t.Fatalf("CreatedAt=%v ExpiresAt=%v, want %v and an hour later", sess.CreatedAt, sess.ExpiresAt, testTimeStored)
		}
		stored, err := db.QueryStringForTest(ctx, `SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, sess.Token)
		if err != nil {
			t.Fatal(err)
		} else if stored != "0" {
			t.Fatalf("sessions keyed by the raw token=%s, want 0: only its hash may be stored", stored)
		}

		t.Run("found", func(t *testing.T) {
			got, err := s.FindSessionUser(ctx, sess.Token)
			if err != nil {
				t.Fatalf("FindSessionUser: %v", err)
			} else if got.ID != u.ID {
				t.Fatalf("ID=%d, want %d", got.ID, u.ID)
			}
		})
		t.Run("unknown token", func(t *testing.T) {
			_, err := s.FindSessionUser(ctx, "bm90IGEgdG9rZW4")
			if code := annex.ErrorCode(err); code != annex.EUNAUTHORIZED {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EUNAUTHORIZED)
			}
		})
		t.Run("unknown user", func(t *testing.T) {
			_, err := s.CreateSession(ctx, u.ID+100, time.Hour)
			if code := annex.ErrorCode(err); code != annex.ENOTFOUND {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.ENOTFOUND)
			}
		})
		t.Run("bad ttl", func(t *testing.T) {
			_, err := s.CreateSession(ctx, u.ID, 0)
			if code := annex.ErrorCode(err); code != annex.EINVALID {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
			}
		})
	})
}

func TestSessionService_DeleteSession(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewSessionService(db)
		u := MustCreateUser(t, ctx, db, annex.User{Username: "jdoe", Role: annex.RoleAnalyst}, testPassword)
		sess, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		keep, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}

		if err := s.DeleteSession(ctx, sess.Token); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}
		if _, err := s.FindSessionUser(ctx, sess.Token); annex.ErrorCode(err) != annex.EUNAUTHORIZED {
			t.Fatalf("FindSessionUser after delete: %v, want %s", err, annex.EUNAUTHORIZED)
		}
		if _, err := s.FindSessionUser(ctx, keep.Token); err != nil {
			t.Fatalf("FindSessionUser of the other session: %v", err)
		}
		if err := s.DeleteSession(ctx, sess.Token); err != nil {
			t.Fatalf("DeleteSession twice: %v, want nil", err)
		}
		// user.create, two session.create, one session.delete.
		if n := MustVerifyAudit(t, ctx, db); n != 4 {
			t.Fatalf("audit events=%d, want 4", n)
		}
	})
}

func TestSessionService_disabledUser(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s, users := sqlstore.NewSessionService(db), NewUserService(db)
		other := MustCreateUser(t, ctx, db, annex.User{Username: "other", Role: annex.RoleAnalyst}, testPassword)
		sess, err := s.CreateSession(ctx, other.ID, time.Hour)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		if _, err := users.UpdateUser(ctx, other.ID, annex.UserUpdate{Disabled: new(true)}); err != nil {
			t.Fatalf("UpdateUser: %v", err)
		}
		if _, err := s.FindSessionUser(ctx, sess.Token); annex.ErrorCode(err) != annex.EUNAUTHORIZED {
			t.Fatalf("FindSessionUser of disabled user: %v, want %s", err, annex.EUNAUTHORIZED)
		}
		if _, err := s.CreateSession(ctx, other.ID, time.Hour); annex.ErrorCode(err) != annex.EUNAUTHORIZED {
			t.Fatalf("CreateSession for disabled user: %v, want %s", err, annex.EUNAUTHORIZED)
		}
	})
}

func TestSessionService_expired(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		advance := SetClock(db, testTime)
		s := sqlstore.NewSessionService(db)
		u := MustCreateUser(t, ctx, db, annex.User{Username: "jdoe", Role: annex.RoleAnalyst}, testPassword)
		sess, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		advance(time.Hour - time.Microsecond)
		if _, err := s.FindSessionUser(ctx, sess.Token); err != nil {
			t.Fatalf("FindSessionUser just before expiry: %v", err)
		}
		advance(time.Microsecond)
		if _, err := s.FindSessionUser(ctx, sess.Token); annex.ErrorCode(err) != annex.EUNAUTHORIZED {
			t.Fatalf("FindSessionUser at expiry: %v, want %s", err, annex.EUNAUTHORIZED)
		}
		// A new session sweeps away the expired one.
		if _, err := s.CreateSession(ctx, u.ID, time.Hour); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		if n, err := db.QueryStringForTest(ctx, `SELECT COUNT(*) FROM sessions`); err != nil {
			t.Fatal(err)
		} else if n != "1" {
			t.Fatalf("sessions=%s, want 1", n)
		}
	})
}
