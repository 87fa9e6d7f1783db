package sqlstore_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// TestApplicationService_Act_staleVersion: of two actions taken on the same
// version, the second is refused, names who got there first, and leaves
// nothing behind.
func TestApplicationService_Act_staleVersion(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustCreate(t)
		app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActSubmit})

		won := f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActAssign})
		events := MustVerifyAudit(t, ctx, db)
		_, err := f.apps.Act(f.as(ctx, f.senior), app.ID, &annex.CaseAction{Type: annex.ActAssign, Assignee: f.officer2.ID, Version: app.Version})
		wantCode(t, "Act on a stale version", err, annex.ECONFLICT)
		if msg := annex.ErrorMessage(err); !strings.Contains(msg, "changed since you opened it: officer made version") {
			t.Fatalf("ErrorMessage=%q, want who changed it", msg)
		}
		got, err := f.apps.FindApplicationByID(f.as(ctx, f.officer), app.ID)
		if err != nil {
			t.Fatalf("FindApplicationByID: %v", err)
		} else if diff := cmp.Diff(won, got); diff != "" {
			t.Fatalf("application after the refused action (-want +got):\n%s", diff)
		}
		if n := MustVerifyAudit(t, ctx, db); n != events {
			t.Fatalf("audit events=%d, want %d", n, events)
		}
	})
}

// race runs each function in its own goroutine, all released at once, and
// returns their errors in order.
func race(fns ...func() error) []error {
	errs := make([]error, len(fns))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() {
			<-start
			errs[i] = fn()
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// oneWins checks that exactly one of the errors is nil and the others are
// ECONFLICT, and returns the winner's index.
func oneWins(t *testing.T, errs []error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("actions %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		case annex.ErrorCode(err) != annex.ECONFLICT:
			t.Fatalf("action %d: ErrorCode=%q (%v), want %q", i, annex.ErrorCode(err), err, annex.ECONFLICT)
		}
	}
	if winner < 0 {
		t.Fatalf("no action succeeded: %v", errs)
	}
	return winner
}

// TestApplicationService_Act_concurrent: two goroutines act on the same
// version at once; one wins.
func TestApplicationService_Act_concurrent(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		for range 5 {
			app := f.mustCreate(t)
			app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActSubmit})
			officers := []*annex.User{f.officer, f.officer2}
			errs := race(
				func() error {
					_, err := f.apps.Act(f.as(ctx, officers[0]), app.ID, &annex.CaseAction{Type: annex.ActAssign, Version: app.Version})
					return err
				},
				func() error {
					_, err := f.apps.Act(f.as(ctx, officers[1]), app.ID, &annex.CaseAction{Type: annex.ActAssign, Version: app.Version})
					return err
				},
			)
			winner := oneWins(t, errs)
			got, err := f.apps.FindApplicationByID(f.as(ctx, f.officer), app.ID)
			if err != nil {
				t.Fatalf("FindApplicationByID: %v", err)
			} else if got.AssignedTo != officers[winner].ID || got.Version != app.Version+1 {
				t.Fatalf("AssignedTo=%d Version=%d, want %d %d", got.AssignedTo, got.Version, officers[winner].ID, app.Version+1)
			}
			if n := countRows(t, db, "application_events", "application_id = ? AND action = ?", app.ID, "assign"); n != "1" {
				t.Fatalf("assign events=%s, want 1", n)
			}
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// TestApplicationService_twoInstances runs two instances of the store, two
// DB handles on one database, as two servers would: submissions through
// both get unique references, and of two actions on the same version
// through different instances exactly one succeeds.
func TestApplicationService_twoInstances(t *testing.T) {
	t.Parallel()
	ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		db1, db2 := MustOpenDSN(t, dsn), MustOpenDSN(t, dsn)
		if err := db1.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		f := newCaseFixture(t, db1)
		SetClock(db2, caseTime)
		apps2 := sqlstore.NewApplicationService(db2)
		apps2.Assess = f.apps.Assess
		instances := []*sqlstore.ApplicationService{f.apps, apps2}

		const n = 20
		drafts := make([]*annex.Application, n)
		submits := make([]func() error, n)
		refs := make([]string, n)
		for i := range drafts {
			drafts[i] = f.mustCreate(t)
			submits[i] = func() error {
				app, err := instances[i%2].Act(f.as(ctx, f.ann), drafts[i].ID, &annex.CaseAction{Type: annex.ActSubmit, Version: 1})
				if err == nil {
					refs[i] = app.Reference
				}
				return err
			}
		}
		for i, err := range race(submits...) {
			if err != nil {
				t.Fatalf("submission %d: %v", i, err)
			}
		}
		var want []string
		for i := range n {
			want = append(want, fmt.Sprintf("ANX-2026-%06d", i+1))
		}
		slices.Sort(refs)
		if diff := cmp.Diff(want, refs); diff != "" {
			t.Fatalf("references (-want +got):\n%s", diff)
		}

		for _, app := range drafts[:10] {
			errs := race(
				func() error {
					_, err := f.apps.Act(f.as(ctx, f.officer), app.ID, &annex.CaseAction{Type: annex.ActAssign, Version: 2})
					return err
				},
				func() error {
					_, err := apps2.Act(f.as(ctx, f.officer2), app.ID, &annex.CaseAction{Type: annex.ActAssign, Version: 2})
					return err
				},
			)
			oneWins(t, errs)
			if n := countRows(t, db1, "application_events", "application_id = ? AND action = ?", app.ID, "assign"); n != "1" {
				t.Fatalf("assign events=%s, want 1", n)
			}
		}
		MustVerifyAudit(t, ctx, db1)
	})
}
