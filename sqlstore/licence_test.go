package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// balance is a licence line's drawn quantity and value.
type balance struct{ Quantity, Value float64 }

func balances(l *annex.Licence) []balance {
	var out []balance
	for _, ll := range l.Lines {
		out = append(out, balance{ll.UsedQuantity, ll.UsedValue})
	}
	return out
}

func TestLicenceService_RecordShipment(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		_, l := f.mustApprove(t)
		customs := f.as(ctx, f.carl)
		f.advance(day)

		sh := &annex.Shipment{Line: 0, Quantity: 4, Value: 40000, CustomsRef: " DE-2026-0001 "}
		got, err := f.licences.RecordShipment(customs, l.Number, sh)
		if err != nil {
			t.Fatalf("RecordShipment: %v", err)
		}
		wantShipment := &annex.Shipment{ID: sh.ID, LicenceID: l.ID, Line: 0, Quantity: 4, Value: 40000,
			CustomsRef: "DE-2026-0001", RecordedBy: f.carl.ID, RecordedAt: caseTime.Add(day)}
		if diff := cmp.Diff(wantShipment, sh); diff != "" {
			t.Fatalf("shipment (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]balance{{4, 40000}, {0, 0}}, balances(got)); diff != "" || got.Version != 2 || got.Status != annex.LicenceIssued {
			t.Fatalf("after a shipment: Version=%d Status=%v balances (-want +got):\n%s", got.Version, got.Status, diff)
		}

		tests := []struct {
			name string
			u    *annex.User
			sh   annex.Shipment
			code string
		}{
			{"beyond the quantity", f.carl, annex.Shipment{Line: 0, Quantity: 7, Value: 1, CustomsRef: "DE-2"}, annex.ECONFLICT},
			{"beyond the value", f.carl, annex.Shipment{Line: 0, Quantity: 1, Value: 60001, CustomsRef: "DE-2"}, annex.ECONFLICT},
			{"no such line", f.carl, annex.Shipment{Line: 2, Quantity: 1, CustomsRef: "DE-2"}, annex.EINVALID},
			{"no customs reference", f.carl, annex.Shipment{Line: 0, Quantity: 1}, annex.EINVALID},
			{"officer", f.officer, annex.Shipment{Line: 0, Quantity: 1, CustomsRef: "DE-2"}, annex.EFORBIDDEN},
			{"exporter", f.ann, annex.Shipment{Line: 0, Quantity: 1, CustomsRef: "DE-2"}, annex.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.licences.RecordShipment(f.as(ctx, tt.u), l.Number, &tt.sh)
				wantCode(t, "RecordShipment", err, tt.code)
			})
		}
		if _, err := f.licences.RecordShipment(customs, "ANX-L-2026-999999", &annex.Shipment{Quantity: 1, CustomsRef: "x"}); annex.ErrorCode(err) != annex.ENOTFOUND {
			t.Fatalf("RecordShipment(unknown licence)=%v, want %s", err, annex.ENOTFOUND)
		}
		after, err := f.licences.FindLicenceByNumber(customs, l.Number)
		if err != nil {
			t.Fatalf("FindLicenceByNumber: %v", err)
		} else if diff := cmp.Diff(got, after); diff != "" {
			t.Fatalf("licence after refused shipments (-want +got):\n%s", diff)
		}

		// Drawing both lines down in full exhausts the licence.
		for _, s := range []annex.Shipment{{Line: 0, Quantity: 6, Value: 60000, CustomsRef: "DE-3"}, {Line: 1, Quantity: 500, Value: 20000, CustomsRef: "DE-4"}} {
			if got, err = f.licences.RecordShipment(customs, l.Number, &s); err != nil {
				t.Fatalf("RecordShipment: %v", err)
			}
		}
		if got.Status != annex.LicenceExhausted {
			t.Fatalf("Status=%v, want %v", got.Status, annex.LicenceExhausted)
		}
		_, err = f.licences.RecordShipment(customs, l.Number, &annex.Shipment{Line: 1, Quantity: 1, CustomsRef: "DE-5"})
		wantCode(t, "RecordShipment on an exhausted licence", err, annex.ECONFLICT)

		shipments, err := f.licences.FindShipments(f.as(ctx, f.ann), l.Number)
		if err != nil {
			t.Fatalf("FindShipments: %v", err)
		}
		var refs []string
		for _, s := range shipments {
			refs = append(refs, s.CustomsRef)
		}
		if diff := cmp.Diff([]string{"DE-2026-0001", "DE-3", "DE-4"}, refs); diff != "" {
			t.Fatalf("shipments (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantShipment, shipments[0]); diff != "" {
			t.Fatalf("first shipment (-want +got):\n%s", diff)
		}
		want := []string{"licence.issue", "licence.shipment", "licence.shipment", "licence.shipment"}
		if diff := cmp.Diff(want, auditActions(t, db, fmt.Sprintf("licence:%d", l.ID))); diff != "" {
			t.Fatalf("audit actions (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// TestLicenceService_RecordShipment_auditFails: a shipment whose audit
// event fails leaves no shipment and the balance as it was.
func TestLicenceService_RecordShipment_auditFails(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		_, l := f.mustApprove(t)
		MustFailAudit(t, db, "CRASH-HERE")

		customs := f.as(ctx, f.carl)
		if _, err := f.licences.RecordShipment(customs, l.Number, &annex.Shipment{Line: 0, Quantity: 2, Value: 1, CustomsRef: "CRASH-HERE"}); err == nil {
			t.Fatalf("RecordShipment succeeded, want the audit's failure")
		}
		if got, err := f.licences.FindLicenceByNumber(customs, l.Number); err != nil {
			t.Fatalf("FindLicenceByNumber: %v", err)
		} else if diff := cmp.Diff(l, got); diff != "" {
			t.Fatalf("licence after the failed shipment (-want +got):\n%s", diff)
		}
		if shipments, err := f.licences.FindShipments(customs, l.Number); err != nil || len(shipments) != 0 {
			t.Fatalf("FindShipments=%v, %v, want none", shipments, err)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

func TestLicenceService_ChangeLicence(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		_, l := f.mustApprove(t)
		customs := f.as(ctx, f.carl)

		change := func(u *annex.User, typ annex.LicenceActionType, version int64) (*annex.Licence, error) {
			return f.licences.ChangeLicence(f.as(ctx, u), l.Number, &annex.LicenceAction{Type: typ, Reason: "Diversion reported", Version: version})
		}
		got, err := change(f.officer, annex.LicenceSuspend, 1)
		if err != nil {
			t.Fatalf("suspend: %v", err)
		} else if got.Status != annex.LicenceSuspended || got.Version != 2 || got.Reason != "Diversion reported" {
			t.Fatalf("suspended: Status=%v Version=%d Reason=%q", got.Status, got.Version, got.Reason)
		}
		_, err = f.licences.RecordShipment(customs, l.Number, &annex.Shipment{Line: 0, Quantity: 1, CustomsRef: "DE-1"})
		wantCode(t, "RecordShipment under a suspended licence", err, annex.ECONFLICT)
		_, err = change(f.officer, annex.LicenceReinstate, 1)
		wantCode(t, "reinstate at a stale version", err, annex.ECONFLICT)
		if got, err = change(f.officer, annex.LicenceReinstate, 2); err != nil || got.Status != annex.LicenceIssued {
			t.Fatalf("reinstate: %v, Status=%v", err, got.Status)
		}
		if _, err := f.licences.RecordShipment(customs, l.Number, &annex.Shipment{Line: 0, Quantity: 1, CustomsRef: "DE-1"}); err != nil {
			t.Fatalf("RecordShipment after reinstatement: %v", err)
		}
		tests := []struct {
			name string
			u    *annex.User
			typ  annex.LicenceActionType
			code string
		}{
			{"officer revokes", f.officer, annex.LicenceRevoke, annex.EFORBIDDEN},
			{"exporter suspends", f.ann, annex.LicenceSuspend, annex.EFORBIDDEN},
			{"other exporter", f.olga, annex.LicenceSuspend, annex.ENOTFOUND},
			{"customs suspends", f.carl, annex.LicenceSuspend, annex.EFORBIDDEN},
			{"reinstate an issued licence", f.officer, annex.LicenceReinstate, annex.ECONFLICT},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := change(tt.u, tt.typ, 4)
				wantCode(t, "ChangeLicence", err, tt.code)
			})
		}
		if got, err = change(f.senior, annex.LicenceRevoke, 4); err != nil || got.Status != annex.LicenceRevoked {
			t.Fatalf("revoke: %v, Status=%v", err, got.Status)
		}
		_, err = change(f.senior, annex.LicenceReinstate, 5)
		wantCode(t, "reinstate a revoked licence", err, annex.ECONFLICT)

		want := []string{"licence.issue", "licence.suspend", "licence.reinstate", "licence.shipment", "licence.revoke"}
		if diff := cmp.Diff(want, auditActions(t, db, fmt.Sprintf("licence:%d", l.ID))); diff != "" {
			t.Fatalf("audit actions (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// TestLicenceService_expiry: a licence past its validity reads as expired
// at once, is refused for shipments, and ExpireLicences marks it once.
func TestLicenceService_expiry(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		_, l := f.mustApprove(t) // valid until 2027-03-01, the end of the day
		_, suspended := f.mustApprove(t)
		if _, err := f.licences.ChangeLicence(f.as(ctx, f.officer), suspended.Number,
			&annex.LicenceAction{Type: annex.LicenceSuspend, Reason: "Inquiry", Version: 1}); err != nil {
			t.Fatalf("suspend: %v", err)
		}
		officer := f.as(ctx, f.officer)
		issued, expired := annex.LicenceIssued, annex.LicenceExpired

		f.advance(l.ValidUntil.Sub(caseTime)) // the last moment of validity
		if got, err := f.licences.FindLicenceByNumber(officer, l.Number); err != nil || got.Status != annex.LicenceIssued {
			t.Fatalf("on the last day: Status=%v, err=%v, want %v", got.Status, err, annex.LicenceIssued)
		}
		f.advance(time.Microsecond)
		got, err := f.licences.FindLicenceByNumber(officer, l.Number)
		if err != nil || got.Status != annex.LicenceExpired {
			t.Fatalf("the day after: Status=%v, err=%v, want %v", got.Status, err, annex.LicenceExpired)
		}
		for _, tt := range []struct {
			status *annex.LicenceStatus
			want   int
		}{{&issued, 0}, {&expired, 1}, {nil, 2}} {
			if _, n, err := f.licences.FindLicences(officer, annex.LicenceFilter{Status: tt.status}); err != nil || n != tt.want {
				t.Fatalf("FindLicences(%v): n=%d, err=%v, want %d", tt.status, n, err, tt.want)
			}
		}
		_, err = f.licences.RecordShipment(f.as(ctx, f.carl), l.Number, &annex.Shipment{Line: 0, Quantity: 1, CustomsRef: "DE-1"})
		wantCode(t, "RecordShipment under an expired licence", err, annex.ECONFLICT)

		if n, err := f.licences.ExpireLicences(ctx); err != nil || n != 1 {
			t.Fatalf("ExpireLicences=%d, %v, want 1", n, err)
		}
		if n, err := f.licences.ExpireLicences(ctx); err != nil || n != 0 {
			t.Fatalf("ExpireLicences again=%d, %v, want 0", n, err)
		}
		if got, err = f.licences.FindLicenceByNumber(officer, l.Number); err != nil || got.Status != annex.LicenceExpired || got.Version != 2 {
			t.Fatalf("expired: Status=%v Version=%d, err=%v", got.Status, got.Version, err)
		}
		if got, err = f.licences.FindLicenceByNumber(officer, suspended.Number); err != nil || got.Status != annex.LicenceSuspended {
			t.Fatalf("suspended licence: Status=%v, err=%v", got.Status, err)
		}
		want := []string{"licence.issue", "licence.expire"}
		if diff := cmp.Diff(want, auditActions(t, db, fmt.Sprintf("licence:%d", l.ID))); diff != "" {
			t.Fatalf("audit actions (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}
