package sqlstore_test

import (
	"testing"

	"annex"
	"annex/sqlstore"
)

// TestApplicationService_amendment checks that approving an amendment of a
// licence issues the new licence and retires the old one in the same step.
func TestApplicationService_amendment(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		_, old := f.mustApprove(t)

		amend := &annex.Application{ApplicationSpec: testSpec(), AmendmentOf: old.Number}
		amend.Items[0].Quantity = 20
		if err := f.apps.CreateApplication(f.as(ctx, f.ann), amend); err != nil {
			t.Fatal(err)
		}
		amend = f.mustAct(t, f.ann, amend, annex.CaseAction{Type: annex.ActSubmit})
		amend = f.mustAct(t, f.officer, amend, annex.CaseAction{Type: annex.ActAssign})
		amend = f.mustAct(t, f.officer, amend, annex.CaseAction{Type: annex.ActProposeDecision, Decision: approval("more units")})
		if amend.Licence == "" || amend.Licence == old.Number {
			t.Fatalf("Licence=%q, want a new licence", amend.Licence)
		}
		got, err := f.licences.FindLicenceByNumber(f.as(ctx, f.officer), old.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != annex.LicenceSuperseded || got.Reason == "" {
			t.Errorf("old licence Status=%s Reason=%q, want superseded", got.Status, got.Reason)
		}
		_, err = f.licences.RecordShipment(f.as(ctx, f.carl), old.Number, &annex.Shipment{Line: 0, Quantity: 1, Value: 1, CustomsRef: "X1"})
		wantCode(t, "shipment under a superseded licence", err, annex.ECONFLICT)

		other := &annex.Application{ApplicationSpec: testSpec(), AmendmentOf: old.Number}
		err = f.apps.CreateApplication(f.as(ctx, f.olga), other)
		wantCode(t, "amending another organisation's licence", err, annex.EINVALID)
		MustVerifyAudit(t, ctx, db)
	})
}
