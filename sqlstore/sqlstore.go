// Package sqlstore implements Annex's storage services (annex.UserService,
// annex.SessionService, annex.AuditService, annex.ListVersionStore,
// annex.ListStore, annex.PartyService, annex.OrganisationService,
// annex.ApplicationService, annex.LicenceService) with database/sql and
// hand-written SQL, for two dialects: SQLite through the pure-Go
// modernc.org/sqlite driver, and PostgreSQL through pgx's stdlib driver.
//
// SQL is written once with ? placeholders; the Tx wrapper rebinds them to
// $1, $2, ... for PostgreSQL and translates driver errors into annex errors
// by their codes. Where the dialects differ in SQL, one small function
// branches on DB.Dialect.
//
// Each exported service method runs in one transaction, and every change of
// state writes a hash-chained audit event in the same transaction.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"annex"
)

// The dialects DB.Dialect reports.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// sqlitePragmas are added to every SQLite DSN so that each pooled connection
// gets them, not only the first. busy_timeout comes first so that the
// journal_mode change can wait for a lock. _txlock=immediate makes every
// read-write transaction take the write lock at BEGIN, which serializes
// writers (the audit chain relies on it) and avoids lock-upgrade deadlocks.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"

// DB is a connection pool to a SQLite or PostgreSQL database.
type DB struct {
	db      *sql.DB
	dialect string

	// DSN is the data source name: a postgres:// or postgresql:// URL, or
	// else a SQLite file path, ":memory:" or "file:" URI.
	DSN string

	// Now returns the current time. It is called once per transaction, and
	// its value, in UTC and truncated to microseconds (PostgreSQL's
	// precision), is the time of every change in that transaction. Tests
	// replace it to freeze the clock.
	Now func() time.Time
}

// NewDB returns a DB for the data source name. Call Open before use.
func NewDB(dsn string) *DB {
	return &DB{DSN: dsn, Now: time.Now, dialect: dialectOf(dsn)}
}

// dialectOf tells which database a DSN names.
func dialectOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return DialectPostgres
	}
	return DialectSQLite
}

// Dialect returns DialectSQLite or DialectPostgres.
func (db *DB) Dialect() string { return db.dialect }

// Open opens the database and checks that it can be reached. It does not
// migrate; call Migrate for that.
func (db *DB) Open() error {
	if db.DSN == "" {
		return annex.Errorf(annex.EINVALID, "database DSN required")
	}
	db.dialect = dialectOf(db.DSN)
	var err error
	if db.dialect == DialectPostgres {
		db.db, err = sql.Open("pgx", db.DSN)
	} else {
		db.db, err = openSQLite(db.DSN)
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", db.dialect, err)
	}
	if err := db.db.Ping(); err != nil {
		db.db.Close()
		db.db = nil
		return fmt.Errorf("ping %s: %w", db.dialect, err)
	}
	return nil
}

// openSQLite opens a SQLite database with the pragmas every connection needs.
func openSQLite(dsn string) (*sql.DB, error) {
	memory := dsn == ":memory:" || strings.HasPrefix(dsn, "file::memory:") || strings.Contains(dsn, "mode=memory")
	if !memory && !strings.HasPrefix(dsn, "file:") {
		path, _, _ := strings.Cut(dsn, "?")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := sql.Open("sqlite", dsn+sep+sqlitePragmas)
	if err != nil {
		return nil, err
	}
	if memory {
		// Each connection to an in-memory database sees its own database,
		// so the pool must hold exactly one.
		db.SetMaxOpenConns(1)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	return db.db.Close()
}

// BeginTx starts a transaction whose clock reads db.Now once. A read-only
// transaction (opts.ReadOnly) does not take SQLite's write lock.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", formatError(err))
	}
	return &Tx{tx: tx, db: db, now: db.Now().UTC().Truncate(time.Microsecond)}, nil
}

// readOnly is the option for transactions that change nothing.
var readOnly = &sql.TxOptions{ReadOnly: true}

// Tx is a transaction with the time it started. Its methods take SQL with ?
// placeholders and return driver errors translated by formatError.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
}

// Now returns the transaction's time, which every change in it records.
func (tx *Tx) Now() time.Time { return tx.now }

// ExecContext runs a statement that returns no rows.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.db.rebind(query), args...)
	return res, formatError(err)
}

// QueryContext runs a query that returns rows.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.db.rebind(query), args...)
	return rows, formatError(err)
}

// QueryRowContext runs a query that returns at most one row. Its error, if
// any, is reported by Row.Scan.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *Row {
	return &Row{row: tx.tx.QueryRowContext(ctx, tx.db.rebind(query), args...)}
}

// Commit commits the transaction.
func (tx *Tx) Commit() error { return formatError(tx.tx.Commit()) }

// Rollback aborts the transaction. It is safe to call after Commit, so it
// can be deferred.
func (tx *Tx) Rollback() error { return tx.tx.Rollback() }

// Row is the result of QueryRowContext.
type Row struct{ row *sql.Row }

// Scan copies the row's columns into dest. It returns sql.ErrNoRows when
// there is no row, and translated driver errors otherwise.
func (r *Row) Scan(dest ...any) error { return formatError(r.row.Scan(dest...)) }

// rebind rewrites ? placeholders as $1, $2, ... for PostgreSQL. It leaves
// question marks inside quoted literals and identifiers alone.
func (db *DB) rebind(query string) string {
	if db.dialect != DialectPostgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote rune
	for _, r := range query {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formatError translates driver errors by their codes: a unique violation
// becomes ECONFLICT and a foreign-key violation EINVALID, keeping the driver
// error as the cause. Other errors are returned as they are.
func formatError(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	var liteErr *sqlite.Error
	switch {
	case errors.As(err, &pgErr):
		switch pgErr.Code {
		case "23505": // unique_violation
			return &annex.Error{Code: annex.ECONFLICT, Message: "the record already exists", Err: err}
		case "23503": // foreign_key_violation
			return &annex.Error{Code: annex.EINVALID, Message: "the record refers to one that does not exist", Err: err}
		}
	case errors.As(err, &liteErr):
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &annex.Error{Code: annex.ECONFLICT, Message: "the record already exists", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &annex.Error{Code: annex.EINVALID, Message: "the record refers to one that does not exist", Err: err}
		}
	}
	return err
}

// limitOffset returns the LIMIT/OFFSET clause for a list query; a limit of
// zero or less means no limit. SQLite needs a LIMIT before an OFFSET.
func (db *DB) limitOffset(limit, offset int) string {
	switch {
	case limit > 0 && offset > 0:
		return fmt.Sprintf("LIMIT %d OFFSET %d", limit, offset)
	case limit > 0:
		return fmt.Sprintf("LIMIT %d", limit)
	case offset > 0 && db.dialect == DialectSQLite:
		return fmt.Sprintf("LIMIT -1 OFFSET %d", offset)
	case offset > 0:
		return fmt.Sprintf("OFFSET %d", offset)
	}
	return ""
}

// isNoRows reports whether err says a query found no row.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// prefixColumns qualifies each column of a comma-separated list with a table
// alias: prefixColumns("u.", "id, name") is "u.id, u.name".
func prefixColumns(prefix, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = prefix + c
	}
	return strings.Join(cols, ", ")
}
