package sqlstore_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"annex"
	"annex/sqlstore"
)

// TestApplicationService_ReassessOpen: after the lists change, every open
// case is assessed again; a changed assessment is stored with a new
// version, in the history as Annex's and in the audit trail, so that an
// officer holding the old version is told; drafts, decided cases and
// unchanged assessments are left as they are.
func TestApplicationService_ReassessOpen(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		draft := f.mustCreate(t)
		submitted := f.mustAct(t, f.ann, f.mustCreate(t), annex.CaseAction{Type: annex.ActSubmit})
		review := f.mustUnderReview(t)
		approved, _ := f.mustApprove(t)

		res, err := f.apps.ReassessOpen(ctx)
		if err != nil {
			t.Fatalf("ReassessOpen: %v", err)
		} else if res.Open != 2 || len(res.Changed) != 0 {
			t.Fatalf("unchanged lists: Open=%d Changed=%d, want 2 and 0", res.Open, len(res.Changed))
		}

		f.category = annex.CategoryI // what the new lists make of the cases
		res, err = f.apps.ReassessOpen(ctx)
		if err != nil {
			t.Fatalf("ReassessOpen: %v", err)
		}
		var changed []int64
		for _, a := range res.Changed {
			changed = append(changed, a.ID)
		}
		if res.Open != 2 || !slices.Equal(changed, []int64{submitted.ID, review.ID}) {
			t.Fatalf("Open=%d Changed=%v, want 2 and [%d %d]", res.Open, changed, submitted.ID, review.ID)
		}
		for _, want := range []*annex.Application{submitted, review} {
			got, err := f.apps.FindApplicationByID(f.as(ctx, f.officer), want.ID)
			if err != nil {
				t.Fatalf("FindApplicationByID: %v", err)
			}
			if got.Version != want.Version+1 || got.Status != want.Status || got.Assessment.Category != annex.CategoryI {
				t.Fatalf("application %d: Version=%d Status=%v Category=%v, want %d %v I",
					want.ID, got.Version, got.Status, got.Assessment.Category, want.Version+1, want.Status)
			}
			if a := auditActions(t, db, "application:"+strconv.FormatInt(want.ID, 10)); a[len(a)-1] != "application.reassess" {
				t.Fatalf("audit of %d ends %v, want application.reassess", want.ID, a)
			}
		}
		if n := countRows(t, db, "application_events", "action = ? AND user_id IS NULL AND username = ?", "reassess", "system"); n != "2" {
			t.Fatalf("reassess events by Annex=%s, want 2", n)
		}
		for _, want := range []*annex.Application{draft, approved} {
			got, err := f.apps.FindApplicationByID(f.as(ctx, f.officer), want.ID)
			if err != nil {
				t.Fatalf("FindApplicationByID: %v", err)
			} else if got.Version != want.Version {
				t.Fatalf("application %d (%s) reassessed: Version=%d, want %d", want.ID, want.Status, got.Version, want.Version)
			}
		}
		// The officer who opened the case before is told who changed it.
		_, err = f.apps.Act(f.as(ctx, f.officer), review.ID, &annex.CaseAction{Type: annex.ActProposeDecision,
			Version: review.Version, Decision: approval("fine")})
		wantCode(t, "decide on the old version", err, annex.ECONFLICT)
		if !strings.Contains(annex.ErrorMessage(err), "system (reassessment after a change of the lists, the register or the partners' denials)") {
			t.Fatalf("conflict message %q does not name the reassessment", annex.ErrorMessage(err))
		}
		// The summary a case list shows follows the new assessment.
		apps, _, err := f.apps.FindApplications(f.as(ctx, f.officer), annex.ApplicationFilter{ID: &review.ID, Summary: true})
		if err != nil {
			t.Fatalf("FindApplications: %v", err)
		} else if apps[0].Assessment.Category != annex.CategoryI {
			t.Fatalf("summary Category=%v, want I", apps[0].Assessment.Category)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// TestApplicationService_ReassessOpen_fails: when the assessment fails the
// case stays as it was and the error is returned.
func TestApplicationService_ReassessOpen_fails(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustUnderReview(t)
		failing := errors.New("screening lists unavailable")
		f.apps.Assess = &fakeAssess{AssessFn: func(context.Context, *annex.ApplicationSpec) (*annex.Assessment, error) {
			return nil, failing
		}}
		if _, err := f.apps.ReassessOpen(ctx); !errors.Is(err, failing) {
			t.Fatalf("ReassessOpen=%v, want %v", err, failing)
		}
		got, err := f.apps.FindApplicationByID(f.as(ctx, f.officer), app.ID)
		if err != nil {
			t.Fatalf("FindApplicationByID: %v", err)
		} else if got.Version != app.Version || got.Assessment.Category != annex.CategoryII {
			t.Fatalf("after the failure: Version=%d Category=%v, want %d II", got.Version, got.Assessment.Category, app.Version)
		}
	})
}
