package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"annex"
	"annex/sqlstore"
)

// postgresURLEnv names the environment variable with the URL of a
// PostgreSQL database the tests may create schemas in. When it is unset, or
// under -short, only SQLite is tested.
const postgresURLEnv = "APP_TEST_POSTGRES_URL"

// testPasswordParams make password hashing cheap, so that tests under -race
// stay fast. TestAuthenticate_defaultParams covers the real costs.
var testPasswordParams = sqlstore.PasswordParams{MemoryKiB: 64, Iterations: 1, Threads: 1}

// ForEachDB runs fn as a subtest against each database available: a fresh,
// migrated SQLite file always, and a fresh, migrated PostgreSQL schema when
// APP_TEST_POSTGRES_URL is set and -short is not.
func ForEachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	ForEachDSN(t, func(t *testing.T, dsn string) {
		db := MustOpenDSN(t, dsn)
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		fn(t, db)
	})
}

// ForEachDSN runs fn as a subtest with the DSN of each database available,
// each empty: a SQLite file in a temporary directory, and a new PostgreSQL
// schema (dropped afterwards) when APP_TEST_POSTGRES_URL is set and -short is
// not.
func ForEachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, filepath.Join(t.TempDir(), "annex.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(postgresURLEnv)
		if base == "" {
			t.Skip(postgresURLEnv + " is not set")
		} else if testing.Short() {
			t.Skip("PostgreSQL tests are skipped under -short")
		}
		fn(t, MustCreatePostgresSchema(t, base))
	})
}

// MustCreatePostgresSchema creates a schema with a random name in the
// database at base and returns base with search_path set to it. The schema
// is dropped when the test ends.
func MustCreatePostgresSchema(tb testing.TB, base string) string {
	tb.Helper()
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", postgresURLEnv, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	buf := make([]byte, 8)
	rand.Read(buf)
	schema := "test_" + hex.EncodeToString(buf)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MustOpenDB returns an open, migrated SQLite database in a temporary
// directory, closed when the test ends.
func MustOpenDB(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db := MustOpenDSN(tb, filepath.Join(tb.TempDir(), "annex.db"))
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return db
}

// MustOpenDSN returns the open database at dsn, not migrated, closed when
// the test ends.
func MustOpenDSN(tb testing.TB, dsn string) *sqlstore.DB {
	tb.Helper()
	db := sqlstore.NewDB(dsn)
	if err := db.Open(); err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// SetClock makes db's clock read t, and returns a function that moves it on.
func SetClock(db *sqlstore.DB, t time.Time) (advance func(time.Duration)) {
	now := t
	db.Now = func() time.Time { return now }
	return func(d time.Duration) { now = now.Add(d) }
}

// NewUserService returns a UserService for db with cheap password hashing.
func NewUserService(db *sqlstore.DB) *sqlstore.UserService {
	s := sqlstore.NewUserService(db)
	s.PasswordParams = testPasswordParams
	return s
}

// MustCreateUser creates a user with the password and returns it.
func MustCreateUser(tb testing.TB, ctx context.Context, db *sqlstore.DB, u annex.User, password string) *annex.User {
	tb.Helper()
	if err := NewUserService(db).CreateUser(ctx, &u, password); err != nil {
		tb.Fatalf("CreateUser(%q): %v", u.Username, err)
	}
	return &u
}

// MustCreateOrganisation creates an organisation and returns its ID.
func MustCreateOrganisation(tb testing.TB, ctx context.Context, db *sqlstore.DB, name, kind string) int64 {
	tb.Helper()
	id, err := db.CreateOrganisationForTest(ctx, name, kind)
	if err != nil {
		tb.Fatalf("create organisation %q: %v", name, err)
	}
	return id
}

// MustVerifyAudit checks that the audit chain is intact and returns how
// many events it has.
func MustVerifyAudit(tb testing.TB, ctx context.Context, db *sqlstore.DB) int {
	tb.Helper()
	v, err := sqlstore.NewAuditService(db).VerifyAudit(ctx)
	if err != nil {
		tb.Fatalf("VerifyAudit: %v", err)
	} else if !v.OK {
		tb.Fatalf("VerifyAudit: broken at %d: %s", v.BrokenAt, v.Problem)
	}
	return v.Events
}

// MustFailAudit installs a trigger that makes the insertion of any audit
// event whose detail contains marker fail, so that a test can make a
// change fail at its last step.
func MustFailAudit(t *testing.T, db *sqlstore.DB, marker string) {
	t.Helper()
	var stmts []string
	if db.Dialect() == sqlstore.DialectPostgres {
		stmts = []string{
			`CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF NEW.detail LIKE '%` + marker + `%' THEN RAISE EXCEPTION 'forced failure'; END IF;
				RETURN NEW;
			END $$`,
			`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()`,
		}
	} else {
		stmts = []string{`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events
			WHEN NEW.detail LIKE '%` + marker + `%'
			BEGIN SELECT RAISE(ABORT, 'forced failure'); END`}
	}
	for _, stmt := range stmts {
		if _, err := db.ExecForTest(t.Context(), stmt); err != nil {
			t.Fatalf("install failing trigger: %v", err)
		}
	}
}
