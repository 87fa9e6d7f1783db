package sqlstore

import (
	"context"
	"time"

	"annex"
)

// This file gives the external tests (package sqlstore_test) raw access to
// the database, for setting up rows that no service writes yet and for
// tampering with rows. It is compiled only into tests.

// ExecForTest runs a statement (with ? placeholders) in its own transaction
// and returns how many rows it affected.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) (int64, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// QueryStringForTest runs a query (with ? placeholders) that returns one
// value and returns it as text.
func (db *DB) QueryStringForTest(ctx context.Context, query string, args ...any) (string, error) {
	tx, err := db.BeginTx(ctx, readOnly)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var s string
	if err := tx.QueryRowContext(ctx, query, args...).Scan(&s); err != nil {
		return "", err
	}
	return s, tx.Commit()
}

// CreateOrganisationForTest inserts an organisation and returns its ID.
// kind is "authority" or "exporter".
func (db *DB) CreateOrganisationForTest(ctx context.Context, name, kind string) (int64, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?) RETURNING id`,
		name, kind, db.timeArg(tx.now)).Scan(&id); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// QueryEachConnForTest holds n pooled connections at once and runs the
// query, which returns one value, on each. It shows what every connection
// of the pool sees, not only the first.
func (db *DB) QueryEachConnForTest(ctx context.Context, n int, query string) ([]string, error) {
	var out []string
	for range n {
		conn, err := db.db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		var s string
		if err := conn.QueryRowContext(ctx, query).Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// MigrationCountForTest returns how many migrations the dialect has.
func (db *DB) MigrationCountForTest() (int, error) {
	files, err := db.migrationFiles()
	return len(files), err
}

// Rebind exposes rebind for tests of the placeholder rewriting.
func (db *DB) Rebind(query string) string { return db.rebind(query) }

// HashPasswordForTest hashes a password as UserService does.
func HashPasswordForTest(p PasswordParams, password string) (string, error) {
	return hashPassword(p, password)
}

// CheckPasswordForTest reports whether password matches the encoded hash.
func CheckPasswordForTest(encoded, password string) (bool, error) {
	return checkPassword(encoded, password)
}

// ExecManyForTest runs one statement (with ? placeholders) once for each
// row of arguments, all in one transaction, for seeding large tables fast.
// time.Time arguments are stored as the dialect stores times.
func (db *DB) ExecManyForTest(ctx context.Context, query string, rows [][]any) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, args := range rows {
		for i, a := range args {
			if t, ok := a.(time.Time); ok {
				args[i] = db.timeArg(t)
			}
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ExplainFindApplicationsForTest returns the query plan of the list query
// of FindApplications and of its query of documents, one line per step:
// SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN.
func (db *DB) ExplainFindApplicationsForTest(ctx context.Context, filter annex.ApplicationFilter) (list, documents []string, err error) {
	query, args := applicationsQuery(ctx, db, filter)
	if list, err = db.explain(ctx, query, args); err != nil {
		return nil, nil, err
	}
	documents, err = db.explain(ctx, caseWorkQueries[0].query+` WHERE application_id IN (?, ?) ORDER BY id`, []any{1, 2})
	return list, documents, err
}

func (db *DB) explain(ctx context.Context, query string, args []any) ([]string, error) {
	explain := `EXPLAIN QUERY PLAN `
	if db.dialect == DialectPostgres {
		explain = `EXPLAIN `
	}
	rows, err := db.db.QueryContext(ctx, explain+db.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		dest := []any{&id, &parent, &unused, &detail}
		if db.dialect == DialectPostgres {
			dest = []any{&detail}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}
