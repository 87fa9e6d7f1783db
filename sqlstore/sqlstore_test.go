package sqlstore_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

func TestNewDB_Dialect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dsn, want string
	}{
		{"postgres URL", "postgres://u@localhost/annex", sqlstore.DialectPostgres},
		{"postgresql URL", "postgresql://u@localhost/annex?sslmode=disable", sqlstore.DialectPostgres},
		{"file path", "/var/lib/annex/annex.db", sqlstore.DialectSQLite},
		{"relative path", "annex.db", sqlstore.DialectSQLite},
		{"memory", ":memory:", sqlstore.DialectSQLite},
		{"file URI", "file:annex.db?mode=rwc", sqlstore.DialectSQLite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sqlstore.NewDB(tt.dsn).Dialect(); got != tt.want {
				t.Fatalf("Dialect()=%q, want %q", got, tt.want)
			}
		})
	}
}

func TestDB_Rebind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query, sqlite, postgres string
	}{
		{"none", "SELECT 1", "SELECT 1", "SELECT 1"},
		{"two", "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"in literal", "SELECT '?' WHERE x = ?", "SELECT '?' WHERE x = ?", "SELECT '?' WHERE x = $1"},
		{"in identifier", `SELECT "a?" FROM t WHERE x = ?`, `SELECT "a?" FROM t WHERE x = ?`, `SELECT "a?" FROM t WHERE x = $1`},
	}
	lite, pg := sqlstore.NewDB("x.db"), sqlstore.NewDB("postgres://localhost/x")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lite.Rebind(tt.query); got != tt.sqlite {
				t.Errorf("sqlite Rebind=%q, want %q", got, tt.sqlite)
			}
			if got := pg.Rebind(tt.query); got != tt.postgres {
				t.Errorf("postgres Rebind=%q, want %q", got, tt.postgres)
			}
		})
	}
}

func TestDB_Open(t *testing.T) {
	t.Parallel()
	t.Run("empty DSN", func(t *testing.T) {
		if err := sqlstore.NewDB("").Open(); annex.ErrorCode(err) != annex.EINVALID {
			t.Fatalf("Open()=%v, want %s", err, annex.EINVALID)
		}
	})
	t.Run("memory", func(t *testing.T) {
		// An in-memory database works through one connection only; make sure
		// the pool is limited to it, or the migrated tables would vanish.
		db := MustOpenDSN(t, ":memory:")
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		u := MustCreateUser(t, t.Context(), db, annex.User{Username: "mem", Role: annex.RoleAdmin}, "correct horse battery")
		if _, err := NewUserService(db).FindUserByID(t.Context(), u.ID); err != nil {
			t.Fatalf("FindUserByID: %v", err)
		}
	})
	t.Run("pragmas on every connection", func(t *testing.T) {
		db := MustOpenDB(t)
		for _, pragma := range []struct{ query, want string }{
			{"PRAGMA foreign_keys", "1"},
			{"PRAGMA journal_mode", "wal"},
			{"PRAGMA busy_timeout", "5000"},
		} {
			got, err := db.QueryEachConnForTest(t.Context(), 3, pragma.query)
			if err != nil {
				t.Fatalf("%s: %v", pragma.query, err)
			}
			if diff := cmp.Diff([]string{pragma.want, pragma.want, pragma.want}, got); diff != "" {
				t.Errorf("%s per connection (-want +got):\n%s", pragma.query, diff)
			}
		}
	})
}

func TestDB_Migrate(t *testing.T) {
	t.Parallel()
	ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		db := MustOpenDSN(t, dsn)
		if ok, err := db.SchemaUpToDate(ctx); err != nil {
			t.Fatalf("SchemaUpToDate before: %v", err)
		} else if ok {
			t.Fatalf("SchemaUpToDate before Migrate=%v, want false", ok)
		}
		for i := range 2 { // the second run must change nothing
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("Migrate #%d: %v", i+1, err)
			}
			if ok, err := db.SchemaUpToDate(ctx); err != nil {
				t.Fatalf("SchemaUpToDate: %v", err)
			} else if !ok {
				t.Fatalf("SchemaUpToDate after Migrate #%d=%v, want true", i+1, ok)
			}
			got, err := db.QueryStringForTest(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
			if err != nil {
				t.Fatal(err)
			} else if want := "0001_init.sql"; got != want {
				t.Fatalf("first migration=%q, want %q", got, want)
			}
		}
	})
}

func TestDB_Migrate_concurrent(t *testing.T) {
	t.Parallel()
	ForEachDSN(t, func(t *testing.T, dsn string) {
		const instances = 4
		dbs := make([]*sqlstore.DB, instances)
		for i := range dbs {
			dbs[i] = MustOpenDSN(t, dsn)
		}
		errs := make([]error, instances)
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() { errs[i] = db.Migrate(t.Context()) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Migrate #%d: %v", i, err)
			}
		}
		want, err := dbs[0].MigrationCountForTest()
		if err != nil {
			t.Fatal(err)
		}
		n, err := dbs[0].QueryStringForTest(t.Context(), `SELECT COUNT(*) FROM schema_migrations`)
		if err != nil {
			t.Fatal(err)
		} else if n != strconv.Itoa(want) {
			t.Fatalf("schema_migrations rows=%s, want %d", n, want)
		}
	})
}

func TestDB_formatError(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		MustCreateOrganisation(t, ctx, db, "Acme", "exporter")
		tests := []struct {
			name, query string
			args        []any
			code        string
		}{
			{"unique violation", `INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)`,
				[]any{"Acme", "exporter", "2024-01-01T00:00:00Z"}, annex.ECONFLICT},
			{"foreign key violation", `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
				[]any{"x", 999, "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"}, annex.EINVALID},
			{"check violation", `INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)`,
				[]any{"Other", "pirate", "2024-01-01T00:00:00Z"}, annex.EINTERNAL},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.ExecForTest(ctx, tt.query, tt.args...)
				if got := annex.ErrorCode(err); got != tt.code {
					t.Fatalf("ErrorCode=%q (%v), want %q", got, err, tt.code)
				}
			})
		}
	})
}
