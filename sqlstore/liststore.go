package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// snapshotsWithData is how many of each source's newest snapshots keep
// their entities. The entities of older snapshots, which are never active,
// are dropped when a new snapshot is stored; their rows stay, so the history
// of imports (when, which files, which hash, how many entities) is kept
// while the database stays bounded: a large list is about 10 MB of JSON.
const snapshotsWithData = 3

// ListStore implements annex.ListStore. A snapshot's entities are stored
// with it as one JSON array (the encoding of []*annex.ListEntity). Each
// source has one active snapshot, the last one stored; the previous
// snapshots are kept, but only the newest snapshotsWithData of a source
// keep their entities.
type ListStore struct {
	db *DB
}

var _ annex.ListStore = (*ListStore)(nil)

// NewListStore returns a ListStore for db.
func NewListStore(db *DB) *ListStore { return &ListStore{db: db} }

// CreateSnapshot stores the snapshot with its entities and makes it the
// active snapshot of its source, all in one transaction: when it fails,
// nothing is stored and the previous snapshot stays active. It sets s.ID,
// s.LoadedAt, and s.Entities and s.Names from the entities, and audits the
// import as "list.import". Storing a snapshot with the same SHA-256 as the
// active one is allowed; callers that want to skip unchanged lists compare
// with ActiveSnapshot first.
func (s *ListStore) CreateSnapshot(ctx context.Context, snap *annex.ListSnapshot, entities []*annex.ListEntity) error {
	if err := validateSnapshot(snap, entities); err != nil {
		return err
	}
	if snap.Files == nil {
		snap.Files = []string{}
	}
	if entities == nil {
		entities = []*annex.ListEntity{}
	}
	snap.Entities, snap.Names = len(entities), 0
	for _, e := range entities {
		snap.Names += len(e.Names)
	}
	// Encode before the transaction: a large list takes a while, and
	// SQLite's write lock is held from BEGIN.
	files, err := json.Marshal(snap.Files)
	if err != nil {
		return fmt.Errorf("encode files of %s snapshot: %w", snap.Source, err)
	}
	data, err := json.Marshal(entities)
	if err != nil {
		return fmt.Errorf("encode entities of %s snapshot: %w", snap.Source, err)
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := createSnapshot(ctx, tx, snap, string(files), string(data)); err != nil {
		return err
	}
	return tx.Commit()
}

// ActiveSnapshot returns the active snapshot of the source, without its
// entities, or ENOTFOUND when the source has none. Its SHA256 tells whether
// a list just fetched is the one already loaded.
func (s *ListStore) ActiveSnapshot(ctx context.Context, source annex.ListSource) (*annex.ListSnapshot, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	snaps, _, err := findSnapshots(ctx, tx, annex.ListSnapshotFilter{Source: &source, ActiveOnly: true})
	if err != nil {
		return nil, err
	} else if len(snaps) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "no %s list is loaded", source)
	}
	return snaps[0], tx.Commit()
}

// FindSnapshots returns snapshots without their entities, newest first,
// and how many match in all.
func (s *ListStore) FindSnapshots(ctx context.Context, filter annex.ListSnapshotFilter) ([]*annex.ListSnapshot, int, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	snaps, n, err := findSnapshots(ctx, tx, filter)
	if err != nil {
		return nil, 0, err
	}
	return snaps, n, tx.Commit()
}

// ActiveLists returns the active snapshot of every source that has one, in
// the order of annex.ListSources, and the entities of each at the same index.
func (s *ListStore) ActiveLists(ctx context.Context) ([]*annex.ListSnapshot, [][]*annex.ListEntity, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()

	snaps, entities, err := activeLists(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	return snaps, entities, tx.Commit()
}

// validateSnapshot checks a snapshot and its entities before anything is
// stored. Field paths of entities are "entities[i].field".
func validateSnapshot(snap *annex.ListSnapshot, entities []*annex.ListEntity) error {
	if snap == nil {
		return annex.Errorf(annex.EINVALID, "list snapshot required")
	}
	var errs []annex.FieldError
	if !slices.Contains(annex.ListSources, snap.Source) {
		errs = append(errs, annex.FieldError{Field: "source", Message: "unknown list source " + strconv.Quote(string(snap.Source))})
	}
	if strings.TrimSpace(snap.Format) == "" {
		errs = append(errs, annex.FieldError{Field: "format", Message: "required"})
	}
	if strings.TrimSpace(snap.SHA256) == "" {
		errs = append(errs, annex.FieldError{Field: "sha256", Message: "required"})
	}
	for i, e := range entities {
		path := "entities[" + strconv.Itoa(i) + "]"
		switch {
		case e == nil:
			errs = append(errs, annex.FieldError{Field: path, Message: "required"})
		case e.Source != snap.Source:
			errs = append(errs, annex.FieldError{Field: path + ".source",
				Message: fmt.Sprintf("is %q in a %q list", e.Source, snap.Source)})
		case strings.TrimSpace(e.SourceID) == "":
			errs = append(errs, annex.FieldError{Field: path + ".source_id", Message: "required"})
		}
		if len(errs) >= 10 { // enough to see what is wrong with a large list
			break
		}
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

// lockWriters makes the transaction wait for every other audited writer,
// on PostgreSQL, by taking now the advisory lock that appendAudit takes
// anyway. Its statements then see everything committed before it, as they
// do on SQLite, whose immediate transactions take the write lock at BEGIN.
func lockWriters(ctx context.Context, tx *Tx) error {
	if tx.db.dialect != DialectPostgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, auditLockID); err != nil {
		return fmt.Errorf("lock writers: %w", err)
	}
	return nil
}

func createSnapshot(ctx context.Context, tx *Tx, s *annex.ListSnapshot, files, data string) error {
	// Two imports of a source at once would both deactivate the same
	// snapshot and then collide on the index of active ones.
	if err := lockWriters(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE list_snapshots SET active = ? WHERE source = ? AND active = ?`,
		false, string(s.Source), true); err != nil {
		return fmt.Errorf("deactivate %s snapshot: %w", s.Source, err)
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO list_snapshots
		(source, format, files, published, loaded_at, sha256, entities, names, active, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		string(s.Source), s.Format, files, s.Published, tx.db.timeArg(tx.now), s.SHA256, s.Entities, s.Names, true, data,
	).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("insert %s snapshot: %w", s.Source, err)
	}
	s.LoadedAt = tx.now

	if _, err := tx.ExecContext(ctx, `UPDATE list_snapshots SET data = NULL
		WHERE source = ? AND data IS NOT NULL AND id NOT IN (
			SELECT id FROM list_snapshots WHERE source = ? ORDER BY id DESC LIMIT ?)`,
		string(s.Source), string(s.Source), snapshotsWithData); err != nil {
		return fmt.Errorf("drop entities of old %s snapshots: %w", s.Source, err)
	}

	return appendAudit(ctx, tx, auditRecord{
		action:  "list.import",
		subject: "list_snapshot:" + strconv.FormatInt(s.ID, 10),
		detail: map[string]any{"source": s.Source, "format": s.Format, "files": s.Files, "sha256": s.SHA256,
			"entities": s.Entities, "names": s.Names},
	})
}

const snapshotColumns = `id, source, format, files, published, loaded_at, sha256, entities, names`

// scanSnapshot scans the snapshotColumns of a row, then extra.
func scanSnapshot(row interface{ Scan(...any) error }, s *annex.ListSnapshot, extra ...any) error {
	var files string
	dest := []any{&s.ID, &s.Source, &s.Format, &files, &s.Published, scanTime(&s.LoadedAt), &s.SHA256, &s.Entities, &s.Names}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(files), &s.Files); err != nil {
		return fmt.Errorf("decode files of snapshot %d: %w", s.ID, err)
	}
	return nil
}

func findSnapshots(ctx context.Context, tx *Tx, filter annex.ListSnapshotFilter) (_ []*annex.ListSnapshot, n int, err error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := filter.Source; v != nil {
		where, args = append(where, "source = ?"), append(args, string(*v))
	}
	if filter.ActiveOnly {
		where, args = append(where, "active = ?"), append(args, true)
	}

	rows, err := tx.QueryContext(ctx, `SELECT `+snapshotColumns+`, COUNT(*) OVER()
		FROM list_snapshots
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id DESC `+tx.db.limitOffset(filter.Limit, filter.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find list snapshots: %w", err)
	}
	defer rows.Close()

	snaps := make([]*annex.ListSnapshot, 0)
	for rows.Next() {
		var s annex.ListSnapshot
		if err := scanSnapshot(rows, &s, &n); err != nil {
			return nil, 0, fmt.Errorf("scan list snapshot: %w", err)
		}
		snaps = append(snaps, &s)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find list snapshots: %w", err)
	}
	return snaps, n, nil
}

func activeLists(ctx context.Context, tx *Tx) ([]*annex.ListSnapshot, [][]*annex.ListEntity, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+snapshotColumns+`, data FROM list_snapshots WHERE active = ?`, true)
	if err != nil {
		return nil, nil, fmt.Errorf("find active lists: %w", err)
	}
	defer rows.Close()

	type list struct {
		snap     *annex.ListSnapshot
		entities []*annex.ListEntity
	}
	var lists []list
	for rows.Next() {
		var s annex.ListSnapshot
		var data sql.NullString
		if err := scanSnapshot(rows, &s, &data); err != nil {
			return nil, nil, fmt.Errorf("scan list snapshot: %w", err)
		}
		if !data.Valid {
			return nil, nil, fmt.Errorf("active snapshot %d of %s has no entities stored", s.ID, s.Source)
		}
		var entities []*annex.ListEntity
		if err := json.Unmarshal([]byte(data.String), &entities); err != nil {
			return nil, nil, fmt.Errorf("decode entities of snapshot %d: %w", s.ID, err)
		}
		lists = append(lists, list{&s, entities})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("find active lists: %w", err)
	}

	slices.SortFunc(lists, func(a, b list) int { return compareSources(a.snap.Source, b.snap.Source) })
	snaps, entities := make([]*annex.ListSnapshot, len(lists)), make([][]*annex.ListEntity, len(lists))
	for i, l := range lists {
		snaps[i], entities[i] = l.snap, l.entities
	}
	return snaps, entities, nil
}

// compareSources orders sources as annex.ListSources does, with any source
// it does not name after them, by name.
func compareSources(a, b annex.ListSource) int {
	i, j := slices.Index(annex.ListSources, a), slices.Index(annex.ListSources, b)
	switch {
	case i >= 0 && j >= 0:
		return i - j
	case i >= 0:
		return -1
	case j >= 0:
		return 1
	}
	return strings.Compare(string(a), string(b))
}
