package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// TestApplicationService_countersign: a Category I approval waits for a
// senior officer, who may not be its proposer, and then issues the licence.
func TestApplicationService_countersign(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		f.category = annex.CategoryI
		app := f.mustUnderReview(t)
		f.advance(day)

		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision, Decision: approval("Research use.")})
		if app.Status != annex.StatusAwaitingCountersign || app.Decision != nil || app.DecidedAt != nil || app.Licence != "" {
			t.Fatalf("proposed: Status=%v Decision=%v DecidedAt=%v Licence=%q", app.Status, app.Decision, app.DecidedAt, app.Licence)
		}
		proposedAt := caseTime.Add(day)
		wantProposed := &annex.CaseDecision{Type: annex.DecisionApprove, Reasons: "Research use.", ValidMonths: 12,
			DecidedBy: f.officer.ID, DecidedAt: proposedAt}
		if diff := cmp.Diff(wantProposed, app.Proposed); diff != "" {
			t.Fatalf("proposed decision (-want +got):\n%s", diff)
		}
		if _, n, err := f.licences.FindLicences(f.as(ctx, f.officer), annex.LicenceFilter{}); err != nil || n != 0 {
			t.Fatalf("FindLicences: n=%d, err=%v, want none", n, err)
		}
		_, err := f.apps.Act(f.as(ctx, f.officer), app.ID, &annex.CaseAction{Type: annex.ActCountersign, Version: app.Version})
		wantCode(t, "countersign as a licensing officer", err, annex.EFORBIDDEN)

		f.advance(day)
		app = f.mustAct(t, f.senior, app, annex.CaseAction{Type: annex.ActCountersign})
		countersignedAt := caseTime.Add(2 * day)
		if app.Status != annex.StatusApproved || app.Proposed != nil || app.Licence != "ANX-L-2026-000001" ||
			!app.DecidedAt.Equal(countersignedAt) {
			t.Fatalf("countersigned: Status=%v Proposed=%v Licence=%q DecidedAt=%v", app.Status, app.Proposed, app.Licence, app.DecidedAt)
		}
		d := app.Decision
		if d.DecidedBy != f.officer.ID || !d.DecidedAt.Equal(proposedAt) || d.CountersignedBy != f.senior.ID ||
			d.CountersignedAt == nil || !d.CountersignedAt.Equal(countersignedAt) ||
			!strings.Contains(d.Letter, "4 March 2026") || !strings.Contains(d.Letter, "Licence ANX-L-2026-000001") {
			t.Fatalf("decision=%+v", d)
		}
		if l, err := f.licences.FindLicenceByNumber(f.as(ctx, f.carl), app.Licence); err != nil {
			t.Fatalf("FindLicenceByNumber: %v", err)
		} else if l.ApplicationID != app.ID || l.Status != annex.LicenceIssued {
			t.Fatalf("licence: ApplicationID=%d Status=%v", l.ApplicationID, l.Status)
		}
		want := []string{"application.create", "application.submit", "application.assign", "application.decide", "application.countersign"}
		if diff := cmp.Diff(want, auditActions(t, db, fmt.Sprintf("application:%d", app.ID))); diff != "" {
			t.Fatalf("audit actions (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// historyRow is a row of application_events that the tests compare.
type historyRow struct {
	Action, From, To, User, Reason, Replaced string
}

// history returns the case history of an application: what
// application_events keeps.
func history(t *testing.T, db *sqlstore.DB, id int64) []historyRow {
	t.Helper()
	agg := `STRING_AGG(x, '~' ORDER BY id)`
	if db.Dialect() == sqlstore.DialectSQLite {
		agg = `GROUP_CONCAT(x, '~')` // in the subquery's order
	}
	s, err := db.QueryStringForTest(t.Context(), `SELECT COALESCE(`+agg+`, '') FROM (
		SELECT id, action || '|' || from_status || '|' || to_status || '|' || username || '|' || reason || '|'
			|| COALESCE(data, '') AS x FROM application_events WHERE application_id = ? ORDER BY id) AS h`, id)
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	var rows []historyRow
	for _, r := range strings.Split(s, "~") {
		p := strings.Split(r, "|")
		replaced := ""
		if p[5] != "" {
			var d annex.CaseDecision
			if err := json.Unmarshal([]byte(p[5]), &d); err != nil {
				t.Fatalf("history data %q: %v", p[5], err)
			}
			replaced = fmt.Sprintf("%s: %s", d.Type, d.Reasons)
		}
		rows = append(rows, historyRow{p[0], p[1], p[2], p[3], p[4], replaced})
	}
	return rows
}

// TestApplicationService_refusalAndAppeal: a refusal sent back by the
// senior officer, refused again and countersigned, appealed and approved
// on appeal; the history keeps what the application row no longer shows.
func TestApplicationService_refusalAndAppeal(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustUnderReview(t)

		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision, Decision: refusal("Diversion risk.")})
		if app.Status != annex.StatusAwaitingCountersign {
			t.Fatalf("Status=%v, want %v", app.Status, annex.StatusAwaitingCountersign)
		}
		app = f.mustAct(t, f.senior, app, annex.CaseAction{Type: annex.ActRejectCountersign, Reason: "Weigh factor B too."})
		if app.Status != annex.StatusUnderReview || app.Proposed != nil || app.Decision != nil {
			t.Fatalf("sent back: Status=%v Proposed=%v Decision=%v", app.Status, app.Proposed, app.Decision)
		}
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision,
			Decision: &annex.CaseDecision{Type: annex.DecisionRefuse, Criteria: []string{"factor-A", "factor-B"}, Reasons: "Diversion risk; factor B."}})
		app = f.mustAct(t, f.sally, app, annex.CaseAction{Type: annex.ActCountersign})
		if app.Status != annex.StatusRefused || app.Licence != "" || !strings.Contains(app.Decision.Letter, "refused, on these grounds: factor-A, factor-B") {
			t.Fatalf("refused: Status=%v Licence=%q Letter=\n%s", app.Status, app.Licence, app.Decision.Letter)
		}

		_, err := f.apps.Act(f.as(ctx, f.olga), app.ID, &annex.CaseAction{Type: annex.ActAppeal, Version: app.Version, Reason: "x"})
		wantCode(t, "appeal by another organisation", err, annex.ENOTFOUND)
		f.advance(10 * day)
		app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActAppeal, Reason: "A new end-user certificate rules out diversion."})
		if app.Status != annex.StatusUnderAppeal {
			t.Fatalf("Status=%v, want %v", app.Status, annex.StatusUnderAppeal)
		}
		app = f.mustAct(t, f.senior, app, annex.CaseAction{Type: annex.ActDecideAppeal, Decision: approval("Appeal allowed.")})
		if app.Status != annex.StatusApproved || app.Licence != "ANX-L-2026-000001" || app.Decision.DecidedBy != f.senior.ID ||
			!app.DecidedAt.Equal(caseTime.Add(10*day)) {
			t.Fatalf("appeal decided: Status=%v Licence=%q Decision=%+v", app.Status, app.Licence, app.Decision)
		}

		want := []historyRow{
			{"create", "", "draft", "ann", "", ""},
			{"submit", "draft", "submitted", "ann", "", ""},
			{"assign", "submitted", "under_review", "officer", "", ""},
			{"decide", "under_review", "awaiting_countersign", "officer", "", ""},
			{"reject_countersign", "awaiting_countersign", "under_review", "senior", "Weigh factor B too.", "refuse: Diversion risk."},
			{"decide", "under_review", "awaiting_countersign", "officer", "", ""},
			{"countersign", "awaiting_countersign", "refused", "sally", "", ""},
			{"appeal", "refused", "under_appeal", "ann", "A new end-user certificate rules out diversion.", ""},
			{"decide_appeal", "under_appeal", "approved", "senior", "", "refuse: Diversion risk; factor B."},
		}
		if diff := cmp.Diff(want, history(t, db, app.ID)); diff != "" {
			t.Fatalf("history (-want +got):\n%s", diff)
		}
		detail, err := db.QueryStringForTest(ctx, `SELECT detail FROM audit_events WHERE action = ?`, "application.reject_countersign")
		if err != nil {
			t.Fatalf("audit detail: %v", err)
		} else if !strings.Contains(detail, `"reason":"Weigh factor B too."`) || !strings.Contains(detail, `"dropped":"refuse"`) {
			t.Fatalf("application.reject_countersign detail=%s", detail)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// TestApplicationService_Act_refused checks refusals that change nothing.
func TestApplicationService_Act_refused(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustUnderReview(t)
		events := MustVerifyAudit(t, ctx, db)

		tests := []struct {
			name string
			u    *annex.User
			act  annex.CaseAction
			code string
		}{
			{"no user", nil, annex.CaseAction{Type: annex.ActRequestInformation, Question: "Why?"}, annex.EUNAUTHORIZED},
			{"stale version", f.officer, annex.CaseAction{Type: annex.ActRequestInformation, Question: "Why though?", Version: app.Version - 1}, annex.ECONFLICT},
			{"not in charge", f.officer2, annex.CaseAction{Type: annex.ActRequestInformation, Question: "Why though?"}, annex.EFORBIDDEN},
			{"exporter decides", f.ann, annex.CaseAction{Type: annex.ActProposeDecision, Decision: approval("x")}, annex.EFORBIDDEN},
			{"unknown action", f.officer, annex.CaseAction{Type: "shred"}, annex.EINVALID},
			{"assign to a reviewer", f.senior, annex.CaseAction{Type: annex.ActAssign, Assignee: f.dave.ID}, annex.EINVALID},
			{"assign to nobody", f.senior, annex.CaseAction{Type: annex.ActAssign, Assignee: 99999}, annex.EINVALID},
			{"no decision", f.officer, annex.CaseAction{Type: annex.ActProposeDecision}, annex.EINVALID},
			{"not found", f.officer, annex.CaseAction{Type: annex.ActAssign}, annex.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c, id := ctx, app.ID
				if tt.u != nil {
					c = f.as(ctx, tt.u)
				}
				if tt.code == annex.ENOTFOUND {
					id = app.ID + 1000
				}
				act := tt.act
				if act.Version == 0 {
					act.Version = app.Version
				}
				_, err := f.apps.Act(c, id, &act)
				wantCode(t, "Act", err, tt.code)
			})
		}
		t.Run("advice twice", func(t *testing.T) {
			a := f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActRequestAdvice, Department: annex.DeptDefence})
			_, err := f.apps.Act(f.as(ctx, f.officer), a.ID, &annex.CaseAction{Type: annex.ActRequestAdvice,
				Department: annex.DeptDefence, Version: a.Version})
			wantCode(t, "request advice twice", err, annex.ECONFLICT)
			_, err = f.apps.Act(f.as(ctx, f.officer), a.ID, &annex.CaseAction{Type: annex.ActProposeDecision,
				Decision: approval("x"), Version: a.Version})
			wantCode(t, "decide while advice is awaited", err, annex.ECONFLICT)
		})
		if got := MustVerifyAudit(t, ctx, db); got != events+1 {
			t.Fatalf("audit events=%d, want %d", got, events+1)
		}
	})
}

// TestApplicationService_Act_assessFails: a failing assessment fails the
// submission and changes nothing, not even the reference counter.
func TestApplicationService_Act_assessFails(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustCreate(t)
		failing := errors.New("classifier unavailable")
		good := f.apps.Assess
		f.apps.Assess = &fakeAssess{AssessFn: func(context.Context, *annex.ApplicationSpec) (*annex.Assessment, error) {
			return nil, failing
		}}
		_, err := f.apps.Act(f.as(ctx, f.ann), app.ID, &annex.CaseAction{Type: annex.ActSubmit, Version: app.Version})
		if !errors.Is(err, failing) {
			t.Fatalf("Act(submit)=%v, want %v", err, failing)
		}
		got, err := f.apps.FindApplicationByID(f.as(ctx, f.ann), app.ID)
		if err != nil {
			t.Fatalf("FindApplicationByID: %v", err)
		} else if diff := cmp.Diff(app, got); diff != "" {
			t.Fatalf("application after the failed submission (-want +got):\n%s", diff)
		}
		f.apps.Assess = good
		if app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActSubmit}); app.Reference != "ANX-2026-000001" {
			t.Fatalf("Reference=%q, want ANX-2026-000001", app.Reference)
		}

		t.Run("reassess", func(t *testing.T) {
			app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActAssign})
			f.category = annex.CategoryI
			app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActReassess})
			if app.Assessment.Category != annex.CategoryI || app.Status != annex.StatusUnderReview {
				t.Fatalf("reassessed: Category=%v Status=%v", app.Assessment.Category, app.Status)
			}
		})
		MustVerifyAudit(t, ctx, db)
	})
}

// TestApplicationService_Act_auditFails: when the last step of a decision,
// its audit event, fails, nothing of the decision is stored: no status,
// decision, letter, licence or licence number.
func TestApplicationService_Act_auditFails(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustUnderReview(t)
		MustFailAudit(t, db, "CRASH-HERE")

		_, err := f.apps.Act(f.as(ctx, f.officer), app.ID, &annex.CaseAction{Type: annex.ActProposeDecision,
			Version: app.Version, Decision: approval("CRASH-HERE")})
		if err == nil {
			t.Fatalf("Act(decide) succeeded, want the audit's failure")
		}
		got, err := f.apps.FindApplicationByID(f.as(ctx, f.officer), app.ID)
		if err != nil {
			t.Fatalf("FindApplicationByID: %v", err)
		} else if diff := cmp.Diff(app, got); diff != "" {
			t.Fatalf("application after the failed decision (-want +got):\n%s", diff)
		}
		if n := countRows(t, db, "licences", ""); n != "0" {
			t.Fatalf("licences=%s, want 0", n)
		}
		if n := countRows(t, db, "reference_counters", "kind = ?", "licence"); n != "0" {
			t.Fatalf("licence counters=%s, want 0", n)
		}
		if n := countRows(t, db, "application_events", "action = ?", "decide"); n != "0" {
			t.Fatalf("decide events=%s, want 0", n)
		}
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision, Decision: approval("fine")})
		if app.Licence != "ANX-L-2026-000001" {
			t.Fatalf("Licence=%q, want ANX-L-2026-000001", app.Licence)
		}
		MustVerifyAudit(t, ctx, db)
	})
}
