package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
)

// migrationFS holds the schema migrations, one directory per dialect. Files
// are applied in name order, so their names start with a zero-padded number.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migrationLockID is the key of the PostgreSQL advisory lock that lets only
// one instance migrate at a time. The number is arbitrary but fixed.
const migrationLockID int64 = 0x616e6e65780001 // "annex" 0001

// migrationFiles returns the paths of the dialect's migrations, in order.
func (db *DB) migrationFiles() ([]string, error) {
	// fs.Glob returns names in lexical order.
	names, err := fs.Glob(migrationFS, "migrations/"+db.dialect+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	return names, nil
}

// Migrate applies, in order, the migrations the database has not had, each
// in its own transaction, and records them in schema_migrations. Migrations
// only go forward. Several instances may migrate the same database at once:
// on PostgreSQL each migration transaction holds an advisory lock, and on
// SQLite the transactions are immediate, so each migration runs once.
func (db *DB) Migrate(ctx context.Context) error {
	files, err := db.migrationFiles()
	if err != nil {
		return err
	}
	for _, file := range files {
		if err := db.migrateFile(ctx, file); err != nil {
			return fmt.Errorf("migrate %s: %w", path.Base(file), err)
		}
	}
	return nil
}

// migrateFile applies one migration unless it is recorded as applied.
func (db *DB) migrateFile(ctx context.Context, file string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if db.dialect == DialectPostgres {
		// Released at the end of the transaction.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, migrationLockID); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, db.schemaMigrationsDDL()); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}

	name := path.Base(file)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("check applied: %w", err)
	} else if n > 0 {
		return nil
	}

	buf, err := fs.ReadFile(migrationFS, file)
	if err != nil {
		return err
	}
	// Run as is: migrations are raw SQL of their dialect, not rebound.
	if _, err := tx.tx.ExecContext(ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, db.timeArg(tx.now)); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	return tx.Commit()
}

// schemaMigrationsDDL creates the table that records applied migrations.
func (db *DB) schemaMigrationsDDL() string {
	if db.dialect == DialectPostgres {
		return `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`
}

// schemaMigrationsExistQuery reports whether schema_migrations exists (in
// the search path, on PostgreSQL).
func (db *DB) schemaMigrationsExistQuery() string {
	if db.dialect == DialectPostgres {
		return `SELECT COUNT(*) FROM (SELECT to_regclass('schema_migrations') AS t) AS r WHERE t IS NOT NULL`
	}
	return `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
}

// SchemaUpToDate reports whether every migration has been applied. serve
// uses it to refuse to start on an old schema when it must not migrate.
func (db *DB) SchemaUpToDate(ctx context.Context) (bool, error) {
	files, err := db.migrationFiles()
	if err != nil {
		return false, err
	}
	tx, err := db.BeginTx(ctx, readOnly)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()

	applied, err := appliedMigrations(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("schema up to date: %w", err)
	}
	for _, file := range files {
		if !applied[path.Base(file)] {
			return false, nil
		}
	}
	return true, tx.Commit()
}

// appliedMigrations returns the names recorded in schema_migrations, which
// may not exist yet.
func appliedMigrations(ctx context.Context, tx *Tx) (map[string]bool, error) {
	var exists int
	if err := tx.QueryRowContext(ctx, tx.db.schemaMigrationsExistQuery()).Scan(&exists); err != nil {
		return nil, err
	} else if exists == 0 {
		return nil, nil
	}

	rows, err := tx.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := make(map[string]bool)
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		applied[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return applied, nil
}
