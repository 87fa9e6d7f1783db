package sqlstore_test

import (
	"testing"

	"annex"
	"annex/sqlstore"
)

// TestApplicationService_redactAndAppealOnce checks that an exporter never
// reads the authority's internal case work, and that a refusal upheld on
// appeal cannot be appealed again.
func TestApplicationService_redactAndAppealOnce(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustUnderReview(t)
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActRequestAdvice, Department: annex.DeptDefence})
		app = f.mustAct(t, f.dave, app, annex.CaseAction{Type: annex.ActGiveAdvice, Advice: &annex.Advice{Subject: "case", Type: annex.AdviceRefuse, Text: "diversion risk"}})
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision, Decision: refusal("Diversion risk.")})

		seen, err := f.apps.FindApplicationByID(f.as(ctx, f.ann), app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen.Advice) != 0 || len(seen.AdviceRequests) != 0 || seen.Proposed != nil || seen.AssignedTo != 0 {
			t.Errorf("exporter sees internal case work: advice %v, requests %v, proposed %v, assigned %d", seen.Advice, seen.AdviceRequests, seen.Proposed, seen.AssignedTo)
		}
		list, _, err := f.apps.FindApplications(f.as(ctx, f.ann), annex.ApplicationFilter{})
		if err != nil || len(list) != 1 || len(list[0].Advice) != 0 || list[0].Proposed != nil {
			t.Errorf("exporter's list shows internal case work: %+v %v", list, err)
		}
		officerView, err := f.apps.FindApplicationByID(f.as(ctx, f.officer), app.ID)
		if err != nil || len(officerView.Advice) != 1 || officerView.Proposed == nil {
			t.Errorf("the officer lost the case work: %+v %v", officerView, err)
		}

		app = f.mustAct(t, f.senior, app, annex.CaseAction{Type: annex.ActCountersign})
		app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActAppeal, Reason: "new certificate"})
		app = f.mustAct(t, f.senior, app, annex.CaseAction{Type: annex.ActDecideAppeal, Decision: refusal("Upheld.")})
		if app.Status != annex.StatusRefused || !app.Appealed {
			t.Fatalf("Status=%v Appealed=%v, want refused and appealed", app.Status, app.Appealed)
		}
		_, err = f.apps.Act(f.as(ctx, f.ann), app.ID, &annex.CaseAction{Type: annex.ActAppeal, Version: app.Version, Reason: "again"})
		wantCode(t, "second appeal", err, annex.EFORBIDDEN)
		MustVerifyAudit(t, ctx, db)
	})
}
