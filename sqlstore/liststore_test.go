package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// testEntities returns n listed entities of the source, the first one with
// every field set and names in several scripts.
func testEntities(source annex.ListSource, n int) []*annex.ListEntity {
	out := make([]*annex.ListEntity, n)
	for i := range out {
		out[i] = &annex.ListEntity{Source: source, SourceID: fmt.Sprintf("%s-%d", source, i+1), Type: annex.EntityOrganization,
			Names: []annex.EntityName{{Name: fmt.Sprintf("Entity %d", i+1), Kind: annex.NamePrimary}}}
	}
	if n > 0 {
		out[0] = &annex.ListEntity{
			Source: source, SourceID: string(source) + "-1", Type: annex.EntityPerson,
			Names: []annex.EntityName{
				{Name: "Mohammad Reza Ahmadi", Kind: annex.NamePrimary},
				{Name: "محمد رضا احمدی", Kind: annex.NameOriginal},
				{Name: "Ахмади Мохаммад Реза", Kind: annex.NameAlias},
				{Name: "M. R. Ahmadi", Kind: annex.NameWeakAlias},
			},
			Countries:    []string{"IR"},
			Addresses:    []string{"Tehran"},
			DatesOfBirth: []string{"1961", "1962-03-04"},
			Identifiers:  []annex.Identifier{{Type: annex.IDPassport, Value: "A123 456", Country: "IR"}},
			Programs:     []string{"IRAN-WMD"},
			SourceList:   "Test list",
			ListedOn:     "2008-03-03",
			Remarks:      `Listed for "missile" procurement; <b>not</b> HTML.`,
		}
	}
	return out
}

// testSnapshot returns a snapshot of the source whose files hash to sum.
func testSnapshot(source annex.ListSource, sum string) *annex.ListSnapshot {
	return &annex.ListSnapshot{Source: source, Format: string(source) + "-test", Files: []string{string(source) + ".xml"},
		Published: "2025-02-28", SHA256: sum}
}

// MustCreateSnapshot stores the snapshot with its entities.
func MustCreateSnapshot(tb testing.TB, ctx context.Context, db *sqlstore.DB, s *annex.ListSnapshot, entities []*annex.ListEntity) *annex.ListSnapshot {
	tb.Helper()
	if err := sqlstore.NewListStore(db).CreateSnapshot(ctx, s, entities); err != nil {
		tb.Fatalf("CreateSnapshot(%s, %s): %v", s.Source, s.SHA256, err)
	}
	return s
}

// snapshotIDs returns the IDs of the snapshots, in order.
func snapshotIDs(snaps []*annex.ListSnapshot) []int64 {
	var ids []int64
	for _, s := range snaps {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestListStore_CreateSnapshot(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		SetClock(db, testTime)
		s := sqlstore.NewListStore(db)
		admin := MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword)
		adminCtx := annex.NewContextWithUser(ctx, admin)

		if _, err := s.ActiveSnapshot(ctx, annex.SourceUN); annex.ErrorCode(err) != annex.ENOTFOUND {
			t.Fatalf("ActiveSnapshot before any import: %v, want %s", err, annex.ENOTFOUND)
		}
		entities := testEntities(annex.SourceUN, 3)
		snap := testSnapshot(annex.SourceUN, strings.Repeat("a", 64))
		snap.Entities, snap.Names = 99, 99 // counted again from the entities
		if err := s.CreateSnapshot(adminCtx, snap, entities); err != nil {
			t.Fatalf("CreateSnapshot: %v", err)
		}
		want := &annex.ListSnapshot{ID: snap.ID, Source: annex.SourceUN, Format: "un-test", Files: []string{"un.xml"},
			Published: "2025-02-28", LoadedAt: testTimeStored, SHA256: strings.Repeat("a", 64), Entities: 3, Names: 6}
		if snap.ID == 0 {
			t.Fatalf("ID=%d, want non-zero", snap.ID)
		} else if diff := cmp.Diff(want, snap); diff != "" {
			t.Fatalf("created snapshot (-want +got):\n%s", diff)
		}

		gotSnaps, gotEntities, err := s.ActiveLists(ctx)
		if err != nil {
			t.Fatalf("ActiveLists: %v", err)
		}
		if diff := cmp.Diff([]*annex.ListSnapshot{want}, gotSnaps); diff != "" {
			t.Errorf("ActiveLists snapshots (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([][]*annex.ListEntity{entities}, gotEntities); diff != "" {
			t.Errorf("ActiveLists entities (-want +got):\n%s", diff)
		}
		if got, err := s.ActiveSnapshot(ctx, annex.SourceUN); err != nil {
			t.Errorf("ActiveSnapshot: %v", err)
		} else if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ActiveSnapshot (-want +got):\n%s", diff)
		}
		if got, n, err := s.FindSnapshots(ctx, annex.ListSnapshotFilter{}); err != nil {
			t.Errorf("FindSnapshots: %v", err)
		} else if diff := cmp.Diff([]*annex.ListSnapshot{want}, got); diff != "" || n != 1 {
			t.Errorf("FindSnapshots total=%d (-want +got):\n%s", n, diff)
		}

		events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(ctx, annex.AuditFilter{Action: new("list.import")})
		if err != nil {
			t.Fatalf("FindAuditEvents: %v", err)
		}
		if diff := cmp.Diff([]auditSummary{{admin.ID, "admin", "list.import", fmt.Sprintf("list_snapshot:%d", snap.ID)}}, summarize(events)); diff != "" {
			t.Fatalf("audit events (-want +got):\n%s", diff)
		}
		wantDetail := map[string]any{"source": "un", "format": "un-test", "files": []any{"un.xml"},
			"sha256": strings.Repeat("a", 64), "entities": 3.0, "names": 6.0}
		if diff := cmp.Diff(wantDetail, decodeDetail(t, events[0])); diff != "" {
			t.Errorf("list.import detail (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// decodeDetail decodes the JSON detail of an audit event.
func decodeDetail(t *testing.T, e *annex.AuditEvent) map[string]any {
	t.Helper()
	var detail map[string]any
	if err := json.Unmarshal([]byte(e.Detail), &detail); err != nil {
		t.Fatalf("event %d: Detail=%q: %v", e.ID, e.Detail, err)
	}
	return detail
}

func TestListStore_CreateSnapshot_empty(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewListStore(db)
		snap := &annex.ListSnapshot{Source: annex.SourceRegister, Format: "annex-register", SHA256: strings.Repeat("0", 64)}
		if err := s.CreateSnapshot(ctx, snap, nil); err != nil {
			t.Fatalf("CreateSnapshot with no entities: %v", err)
		}
		snaps, entities, err := s.ActiveLists(ctx)
		if err != nil {
			t.Fatalf("ActiveLists: %v", err)
		}
		if diff := cmp.Diff([]*annex.ListSnapshot{snap}, snaps); diff != "" {
			t.Errorf("snapshots (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([][]*annex.ListEntity{{}}, entities); diff != "" {
			t.Errorf("entities (-want +got):\n%s", diff)
		}
		if snap.Files == nil {
			t.Errorf("Files=nil, want an empty list")
		}
	})
}

func TestListStore_history(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		advance := SetClock(db, testTime)
		s := sqlstore.NewListStore(db)

		// Imported in this order, an hour apart; ofac's first import comes
		// before un's, but ActiveLists follows annex.ListSources.
		ofac1 := MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceOFACSDN, "o1"), testEntities(annex.SourceOFACSDN, 2))
		advance(time.Hour)
		un1 := MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceUN, "u1"), testEntities(annex.SourceUN, 1))
		advance(time.Hour)
		un2 := MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceUN, "u2"), testEntities(annex.SourceUN, 4))
		advance(time.Hour)
		un3 := MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceUN, "u2"), testEntities(annex.SourceUN, 4)) // unchanged list

		tests := []struct {
			name   string
			filter annex.ListSnapshotFilter
			want   []int64
			total  int
		}{
			{"all", annex.ListSnapshotFilter{}, []int64{un3.ID, un2.ID, un1.ID, ofac1.ID}, 4},
			{"by source", annex.ListSnapshotFilter{Source: new(annex.SourceUN)}, []int64{un3.ID, un2.ID, un1.ID}, 3},
			{"active", annex.ListSnapshotFilter{ActiveOnly: true}, []int64{un3.ID, ofac1.ID}, 2},
			{"active of a source", annex.ListSnapshotFilter{Source: new(annex.SourceUN), ActiveOnly: true}, []int64{un3.ID}, 1},
			{"source without lists", annex.ListSnapshotFilter{Source: new(annex.SourceEU)}, nil, 0},
			{"limit", annex.ListSnapshotFilter{Limit: 2}, []int64{un3.ID, un2.ID}, 4},
			{"offset", annex.ListSnapshotFilter{Offset: 3}, []int64{ofac1.ID}, 4},
			{"limit and offset", annex.ListSnapshotFilter{Offset: 1, Limit: 2}, []int64{un2.ID, un1.ID}, 4},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				snaps, total, err := s.FindSnapshots(ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindSnapshots: %v", err)
				}
				if diff := cmp.Diff(tt.want, snapshotIDs(snaps)); diff != "" {
					t.Errorf("IDs (-want +got):\n%s", diff)
				}
				if total != tt.total {
					t.Errorf("total=%d, want %d", total, tt.total)
				}
			})
		}

		t.Run("newest first", func(t *testing.T) {
			snaps, _, err := s.FindSnapshots(ctx, annex.ListSnapshotFilter{})
			if err != nil {
				t.Fatalf("FindSnapshots: %v", err)
			}
			for i := 1; i < len(snaps); i++ {
				if !snaps[i].LoadedAt.Before(snaps[i-1].LoadedAt) {
					t.Errorf("snapshot %d loaded at %v, not before snapshot %d at %v", snaps[i].ID, snaps[i].LoadedAt, snaps[i-1].ID, snaps[i-1].LoadedAt)
				}
			}
		})

		t.Run("one active per source", func(t *testing.T) {
			snaps, entities, err := s.ActiveLists(ctx)
			if err != nil {
				t.Fatalf("ActiveLists: %v", err)
			}
			if diff := cmp.Diff([]int64{un3.ID, ofac1.ID}, snapshotIDs(snaps)); diff != "" {
				t.Errorf("active IDs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([][]*annex.ListEntity{testEntities(annex.SourceUN, 4), testEntities(annex.SourceOFACSDN, 2)}, entities); diff != "" {
				t.Errorf("active entities (-want +got):\n%s", diff)
			}
			n, err := db.QueryStringForTest(ctx, `SELECT COUNT(*) FROM list_snapshots WHERE source = ? AND active = ?`, "un", true)
			if err != nil {
				t.Fatal(err)
			} else if n != "1" {
				t.Errorf("active un snapshots=%s, want 1", n)
			}
		})

		t.Run("index allows one active per source", func(t *testing.T) {
			_, err := db.ExecForTest(ctx, `UPDATE list_snapshots SET active = ? WHERE id = ?`, true, un2.ID)
			if code := annex.ErrorCode(err); code != annex.ECONFLICT {
				t.Fatalf("second active un snapshot: ErrorCode=%q (%v), want %q", code, err, annex.ECONFLICT)
			}
		})

		t.Run("unchanged list", func(t *testing.T) {
			active, err := s.ActiveSnapshot(ctx, annex.SourceUN)
			if err != nil {
				t.Fatalf("ActiveSnapshot: %v", err)
			}
			if active.ID != un3.ID || active.SHA256 != "u2" {
				t.Fatalf("ActiveSnapshot ID=%d SHA256=%q, want %d and %q", active.ID, active.SHA256, un3.ID, "u2")
			}
		})
		MustVerifyAudit(t, ctx, db)
	})
}

// snapshotsWithData mirrors the package's constant: how many snapshots of
// a source keep their entities.
const snapshotsWithData = 3

func TestListStore_dropOldData(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		eu := MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceEU, "e1"), testEntities(annex.SourceEU, 1))
		var un []int64
		for i := range snapshotsWithData + 2 {
			s := MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceUN, fmt.Sprint(i)), testEntities(annex.SourceUN, 2))
			un = append(un, s.ID)
		}

		tests := []struct {
			name string
			id   int64
			data bool
		}{
			{"other source", eu.ID, true},
			{"oldest", un[0], false},
			{"second oldest", un[1], false},
			{"third newest", un[2], true},
			{"second newest", un[3], true},
			{"active", un[4], true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n, err := db.QueryStringForTest(ctx, `SELECT COUNT(*) FROM list_snapshots WHERE id = ? AND data IS NOT NULL`, tt.id)
				if err != nil {
					t.Fatal(err)
				}
				if got := n == "1"; got != tt.data {
					t.Errorf("snapshot %d has data=%v, want %v", tt.id, got, tt.data)
				}
			})
		}
		if _, total, err := sqlstore.NewListStore(db).FindSnapshots(ctx, annex.ListSnapshotFilter{}); err != nil {
			t.Fatalf("FindSnapshots: %v", err)
		} else if total != len(un)+1 {
			t.Fatalf("snapshots kept=%d, want %d", total, len(un)+1)
		}
	})
}

func TestListStore_CreateSnapshot_invalid(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewListStore(db)
		prev := MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceUN, "u1"), testEntities(annex.SourceUN, 2))

		withEntity := func(e *annex.ListEntity) []*annex.ListEntity {
			return append(testEntities(annex.SourceUN, 2), e)
		}
		tests := []struct {
			name     string
			snap     *annex.ListSnapshot
			entities []*annex.ListEntity
			fields   []string
		}{
			{"nil", nil, nil, nil},
			{"no source", testSnapshot("", "u2"), testEntities(annex.SourceUN, 1), []string{"source", "entities[0].source"}},
			{"unknown source", testSnapshot("un-old", "u2"), nil, []string{"source"}},
			{"no format or hash", &annex.ListSnapshot{Source: annex.SourceUN, Format: " "}, nil, []string{"format", "sha256"}},
			{"entity of another list", testSnapshot(annex.SourceUN, "u2"),
				withEntity(&annex.ListEntity{Source: annex.SourceEU, SourceID: "x"}), []string{"entities[2].source"}},
			{"entity without ID", testSnapshot(annex.SourceUN, "u2"),
				withEntity(&annex.ListEntity{Source: annex.SourceUN, SourceID: " "}), []string{"entities[2].source_id"}},
			{"nil entity", testSnapshot(annex.SourceUN, "u2"), withEntity(nil), []string{"entities[2]"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.CreateSnapshot(ctx, tt.snap, tt.entities)
				if code := annex.ErrorCode(err); code != annex.EINVALID {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
				}
				var got []string
				for _, f := range annex.ErrorFields(err) {
					got = append(got, f.Field)
				}
				if diff := cmp.Diff(tt.fields, got); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
			})
		}
		mustBeOnlyActive(t, db, prev, testEntities(annex.SourceUN, 2))
	})
}

func TestListStore_CreateSnapshot_failed(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewListStore(db)
		prev := MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceUN, "u1"), testEntities(annex.SourceUN, 2))
		// The import fails at its very end, after the previous snapshot
		// was deactivated and the new one inserted.
		MustFailAudit(t, db, "forced-failure")

		snap := testSnapshot(annex.SourceUN, "forced-failure")
		if err := s.CreateSnapshot(ctx, snap, testEntities(annex.SourceUN, 5)); err == nil || !strings.Contains(err.Error(), "forced failure") {
			t.Fatalf("CreateSnapshot: %v, want the forced failure", err)
		}
		mustBeOnlyActive(t, db, prev, testEntities(annex.SourceUN, 2))
		if n := MustVerifyAudit(t, ctx, db); n != 1 {
			t.Fatalf("audit events=%d, want 1", n)
		}
	})
}

func TestListStore_CreateSnapshot_concurrent(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewListStore(db)
		const imports = 6
		errs := make([]error, imports)
		var wg sync.WaitGroup
		for i := range imports {
			wg.Go(func() {
				errs[i] = s.CreateSnapshot(ctx, testSnapshot(annex.SourceUN, fmt.Sprint(i)), testEntities(annex.SourceUN, 3))
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("CreateSnapshot #%d: %v", i, err)
			}
		}
		all, _, err := s.FindSnapshots(ctx, annex.ListSnapshotFilter{})
		if err != nil {
			t.Fatalf("FindSnapshots: %v", err)
		}
		active, _, err := s.FindSnapshots(ctx, annex.ListSnapshotFilter{ActiveOnly: true})
		if err != nil {
			t.Fatalf("FindSnapshots: %v", err)
		}
		// The last import stored is the active one.
		if len(all) != imports || len(active) != 1 || active[0].ID != all[0].ID {
			t.Fatalf("snapshots=%v active=%v, want %d with the newest active", snapshotIDs(all), snapshotIDs(active), imports)
		}
		if n := MustVerifyAudit(t, ctx, db); n != imports {
			t.Fatalf("audit events=%d, want %d", n, imports)
		}
	})
}

// mustBeOnlyActive checks that the only snapshot stored is want, active,
// with the entities.
func mustBeOnlyActive(t *testing.T, db *sqlstore.DB, want *annex.ListSnapshot, entities []*annex.ListEntity) {
	t.Helper()
	ctx := t.Context()
	s := sqlstore.NewListStore(db)
	snaps, gotEntities, err := s.ActiveLists(ctx)
	if err != nil {
		t.Fatalf("ActiveLists: %v", err)
	}
	if diff := cmp.Diff([]*annex.ListSnapshot{want}, snaps); diff != "" {
		t.Errorf("active snapshots (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]*annex.ListEntity{entities}, gotEntities); diff != "" {
		t.Errorf("active entities (-want +got):\n%s", diff)
	}
	if _, total, err := s.FindSnapshots(ctx, annex.ListSnapshotFilter{}); err != nil {
		t.Fatalf("FindSnapshots: %v", err)
	} else if total != 1 {
		t.Errorf("snapshots stored=%d, want 1", total)
	}
}

func TestListStore_largeList(t *testing.T) {
	if testing.Short() {
		t.Skip("a list of the size of OFAC's is slow under -short")
	}
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewListStore(db)
		const n = 15000
		entities := testEntities(annex.SourceOFACSDN, n)
		for i, e := range entities[1:] {
			e.Names = append(e.Names, annex.EntityName{Name: fmt.Sprintf("Alias of entity %d with a longer name", i+2), Kind: annex.NameAlias})
			e.Addresses = []string{fmt.Sprintf("%d Long Street, Some District, A City, A Country", i)}
			e.Programs = []string{"SDGT", "NPWMD"}
			e.Remarks = strings.Repeat("remark ", 40)
		}
		start := time.Now()
		MustCreateSnapshot(t, ctx, db, testSnapshot(annex.SourceOFACSDN, "big"), entities)
		stored := time.Since(start)
		start = time.Now()
		_, got, err := s.ActiveLists(ctx)
		if err != nil {
			t.Fatalf("ActiveLists: %v", err)
		}
		size, err := db.QueryStringForTest(ctx, `SELECT LENGTH(data) FROM list_snapshots`)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d entities, %s bytes of JSON: stored in %v, read in %v", n, size, stored, time.Since(start))
		if len(got) != 1 || len(got[0]) != n {
			t.Fatalf("ActiveLists gave %d lists, want 1 of %d entities", len(got), n)
		}
		if diff := cmp.Diff(entities[n-1], got[0][n-1]); diff != "" {
			t.Fatalf("last entity (-want +got):\n%s", diff)
		}
	})
}
