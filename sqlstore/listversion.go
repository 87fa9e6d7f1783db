package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"annex"
)

// ListVersionStore implements annex.ListVersionStore. Each version is kept
// as its canonical JSON (json.Marshal of the annex.ListVersion) with the
// SHA-256 of that JSON, which is checked again on every read.
type ListVersionStore struct {
	db *DB
}

var _ annex.ListVersionStore = (*ListVersionStore)(nil)

// NewListVersionStore returns a ListVersionStore for db.
func NewListVersionStore(db *DB) *ListVersionStore { return &ListVersionStore{db: db} }

// CreateListVersion stores a version that the caller has validated and
// audits it as "control_list.import". It returns ECONFLICT if a version with
// the same ID is stored.
func (s *ListVersionStore) CreateListVersion(ctx context.Context, v *annex.ListVersion) error {
	if v == nil || strings.TrimSpace(v.ID) == "" {
		return annex.Invalid(annex.FieldError{Field: "id", Message: "required"})
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode list version %q: %w", v.ID, err)
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := createListVersion(ctx, tx, v, data); err != nil {
		return err
	}
	return tx.Commit()
}

// FindListVersions returns every stored version, by effective date and ID.
func (s *ListVersionStore) FindListVersions(ctx context.Context) ([]*annex.ListVersion, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	versions, err := findListVersions(ctx, tx)
	if err != nil {
		return nil, err
	}
	return versions, tx.Commit()
}

// sha256Hex returns the hex SHA-256 of data.
func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func createListVersion(ctx context.Context, tx *Tx, v *annex.ListVersion, data []byte) error {
	sum := sha256Hex(data)
	var importedBy sql.NullInt64
	if id := annex.UserIDFromContext(ctx); id != 0 {
		importedBy = sql.NullInt64{Int64: id, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO control_list_versions
		(id, title, effective_date, source, sha256, data, imported_at, imported_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.Title, v.EffectiveDate, v.Source, sum, string(data), tx.db.timeArg(tx.now), importedBy)
	if annex.ErrorCode(err) == annex.ECONFLICT {
		return &annex.Error{Code: annex.ECONFLICT, Message: fmt.Sprintf("control-list version %q is already stored", v.ID), Err: err}
	} else if err != nil {
		return fmt.Errorf("insert list version %q: %w", v.ID, err)
	}

	return appendAudit(ctx, tx, auditRecord{
		action:  "control_list.import",
		subject: "control_list:" + v.ID,
		detail: map[string]any{"title": v.Title, "effective_date": v.EffectiveDate, "source": v.Source,
			"sha256": sum, "entries": len(v.Entries)},
	})
}

func findListVersions(ctx context.Context, tx *Tx) ([]*annex.ListVersion, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, sha256, data FROM control_list_versions ORDER BY effective_date, id`)
	if err != nil {
		return nil, fmt.Errorf("find list versions: %w", err)
	}
	defer rows.Close()

	versions := make([]*annex.ListVersion, 0)
	for rows.Next() {
		var id, sum, data string
		if err := rows.Scan(&id, &sum, &data); err != nil {
			return nil, fmt.Errorf("scan list version: %w", err)
		}
		if got := sha256Hex([]byte(data)); got != sum {
			return nil, fmt.Errorf("list version %q: stored sha256 %s, data hashes to %s", id, sum, got)
		}
		var v annex.ListVersion
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return nil, fmt.Errorf("decode list version %q: %w", id, err)
		}
		versions = append(versions, &v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find list versions: %w", err)
	}
	return versions, nil
}
