package sqlstore_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// denialFixture is the case-work fixture of this government, GB, with its
// denial service, an administrator and an analyst.
type denialFixture struct {
	*caseFixture
	denials        *sqlstore.DenialService
	admin, analyst *annex.User
}

func newDenialFixture(t *testing.T, db *sqlstore.DB) *denialFixture {
	t.Helper()
	f := &denialFixture{caseFixture: newCaseFixture(t, db), denials: sqlstore.NewDenialService(db, "gb")}
	f.apps.Government = "GB"
	f.admin = MustCreateUser(t, t.Context(), db, annex.User{Username: "root", Role: annex.RoleAdmin}, testPassword)
	f.analyst = MustCreateUser(t, t.Context(), db, annex.User{Username: "ana", Role: annex.RoleAnalyst}, testPassword)
	return f
}

// mustRefuse takes an application through a countersigned refusal.
func (f *denialFixture) mustRefuse(t *testing.T) *annex.Application {
	t.Helper()
	app := f.mustUnderReview(t)
	app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision, Decision: refusal("Diversion risk.")})
	app = f.mustAct(t, f.senior, app, annex.CaseAction{Type: annex.ActCountersign})
	if app.Status != annex.StatusRefused {
		t.Fatalf("Status=%v, want %v", app.Status, annex.StatusRefused)
	}
	return app
}

// mustOutbox returns the outbox after a sequence, read as the system.
func (f *denialFixture) mustOutbox(t *testing.T, after int64) []annex.Notification {
	t.Helper()
	ns, err := f.denials.Outbox(t.Context(), after, 0)
	if err != nil {
		t.Fatalf("Outbox: %v", err)
	}
	return ns
}

// mustReceive receives notifications from a partner's key as the system
// and checks how many were applied.
func (f *denialFixture) mustReceive(t *testing.T, keyID, gov string, want int, ns ...annex.Notification) {
	t.Helper()
	got, err := f.denials.Receive(t.Context(), "https://"+gov+".example/feed", keyID, gov, ns)
	if err != nil {
		t.Fatalf("Receive: %v", err)
	} else if got != want {
		t.Fatalf("Receive applied %d, want %d", got, want)
	}
}

// partnerDenial is a denial of Germany's for the testSpec's end user and
// first line.
func partnerDenial(id, date string) *annex.Denial {
	return &annex.Denial{ID: id, NotifyingGovernment: "DE", Entry: "9.A.3", EndUser: "Vikram Sarabhai Space Centre",
		Destination: "IN", Date: date, Reason: "Risk of diversion to a missile programme", Status: annex.DenialActive, Version: 1}
}

func TestDenialService_refusal(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDenialFixture(t, db)
		ctx := f.as(t.Context(), f.officer)

		app := f.mustRefuse(t)
		want := []*annex.Denial{
			{ID: "GB-" + app.Reference + "-2", NotifyingGovernment: "GB", Entry: "4.C.2.c", EndUser: "Vikram Sarabhai Space Centre",
				Destination: "IN", Date: "2026-03-02", Reason: "factor-A: Diversion risk.", ItemDescription: "composite_propellant",
				Consignee: "Bharat Freight Ltd", Status: annex.DenialActive, Version: 1, ApplicationID: app.ID},
			{ID: "GB-" + app.Reference + "-1", NotifyingGovernment: "GB", Entry: "9.A.3", EndUser: "Vikram Sarabhai Space Centre",
				Destination: "IN", Date: "2026-03-02", Reason: "factor-A: Diversion risk.",
				ItemDescription: "IMU-300 inertial unit (inertial_measurement_unit)",
				Consignee:       "Bharat Freight Ltd", Status: annex.DenialActive, Version: 1, ApplicationID: app.ID},
		}
		got, n, err := f.denials.FindDenials(ctx, annex.DenialFilter{Sent: true})
		if err != nil {
			t.Fatalf("FindDenials: %v", err)
		} else if n != 2 {
			t.Fatalf("total=%d, want 2", n)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("FindDenials(Sent) mismatch (-want +got):\n%s", diff)
		}
		if got, _, err := f.denials.FindDenials(ctx, annex.DenialFilter{Received: true}); err != nil || len(got) != 0 {
			t.Fatalf("FindDenials(Received)=%d, %v; want none", len(got), err)
		}

		ns := f.mustOutbox(t, 0)
		if len(ns) != 2 {
			t.Fatalf("outbox=%d notifications, want 2", len(ns))
		}
		for i, n := range ns {
			sent := *want[1-i] // created line by line
			sent.ApplicationID = 0
			wantN := annex.Notification{Sequence: int64(i + 1), Kind: annex.NotifyDenial, From: "GB", IssuedAt: caseTime, Denial: &sent}
			if diff := cmp.Diff(wantN, n); diff != "" {
				t.Errorf("outbox[%d] mismatch (-want +got):\n%s", i, diff)
			}
		}
		if got, want := auditActions(t, db, "denial:"+want[1].ID), []string{"denial.create"}; !cmp.Equal(got, want) {
			t.Errorf("audit=%v, want %v", got, want)
		}

		// An approval makes none.
		f.mustApprove(t)
		if _, n, _ := f.denials.FindDenials(ctx, annex.DenialFilter{}); n != 2 {
			t.Errorf("denials after an approval=%d, want 2", n)
		}

		// A refusal of goods the list does not control (a catch-all
		// refusal) makes none either.
		f.apps.Assess = &fakeAssess{AssessFn: func(context.Context, *annex.ApplicationSpec) (*annex.Assessment, error) {
			a := testAssessment(annex.CategoryII)
			for _, l := range a.Lines {
				l.Classification.Controlled, l.Classification.Entries = false, nil
			}
			return a, nil
		}}
		f.mustRefuse(t)
		if _, n, _ := f.denials.FindDenials(ctx, annex.DenialFilter{}); n != 2 {
			t.Errorf("denials after a catch-all refusal=%d, want 2", n)
		}
		if got := len(f.mustOutbox(t, 0)); got != 2 {
			t.Errorf("outbox=%d, want 2", got)
		}

		// Overturned on appeal, the refusal's denials are revoked.
		app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActAppeal, Reason: "A new end-user certificate."})
		app = f.mustAct(t, f.sally, app, annex.CaseAction{Type: annex.ActDecideAppeal, Decision: approval("Appeal allowed.")})
		if app.Status != annex.StatusApproved {
			t.Fatalf("Status=%v, want %v", app.Status, annex.StatusApproved)
		}
		for _, w := range want {
			d, err := f.denials.FindDenialByID(ctx, w.ID)
			if err != nil {
				t.Fatalf("FindDenialByID: %v", err)
			} else if d.Status != annex.DenialRevoked || d.RevokedOn != "2026-03-02" || d.Version != 2 {
				t.Errorf("%s: Status=%v RevokedOn=%q Version=%d, want revoked on 2026-03-02, version 2", d.ID, d.Status, d.RevokedOn, d.Version)
			}
		}
		if ns := f.mustOutbox(t, 2); len(ns) != 2 || ns[0].Kind != annex.NotifyDenialRevoke || ns[1].Denial.Version != 2 {
			t.Errorf("outbox after the appeal=%+v, want two revocations", ns)
		}
		MustVerifyAudit(t, t.Context(), db)
	})
}

func TestDenialService_AmendRevoke(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDenialFixture(t, db)
		app := f.mustRefuse(t)
		id := "GB-" + app.Reference + "-1"
		officer, senior := f.as(t.Context(), f.officer), f.as(t.Context(), f.senior)

		reason := "factor-A: diversion to an unsafeguarded missile programme."
		d, err := f.denials.AmendDenial(officer, id, annex.DenialUpdate{Reason: &reason})
		if err != nil {
			t.Fatalf("AmendDenial: %v", err)
		} else if d.Version != 2 || d.Reason != reason {
			t.Fatalf("Version=%d Reason=%q, want 2 and the new reason", d.Version, d.Reason)
		}
		_, err = f.denials.AmendDenial(officer, id, annex.DenialUpdate{Reason: &reason})
		wantCode(t, "AmendDenial(no change)", err, annex.EINVALID)
		empty := ""
		_, err = f.denials.AmendDenial(officer, id, annex.DenialUpdate{EndUser: &empty})
		wantCode(t, "AmendDenial(no end user)", err, annex.EINVALID)
		_, err = f.denials.RevokeDenial(senior, id, "2026-03-01")
		wantCode(t, "RevokeDenial(before its date)", err, annex.EINVALID)

		d, err = f.denials.RevokeDenial(senior, id, "2026-03-10")
		if err != nil {
			t.Fatalf("RevokeDenial: %v", err)
		} else if d.Version != 3 || d.Status != annex.DenialRevoked || d.RevokedOn != "2026-03-10" {
			t.Fatalf("Version=%d Status=%v RevokedOn=%q, want 3, revoked, 2026-03-10", d.Version, d.Status, d.RevokedOn)
		}
		_, err = f.denials.RevokeDenial(senior, id, "2026-03-10")
		wantCode(t, "RevokeDenial(again)", err, annex.ECONFLICT)
		_, err = f.denials.AmendDenial(officer, id, annex.DenialUpdate{Reason: &empty})
		wantCode(t, "AmendDenial(revoked)", err, annex.ECONFLICT)

		ns := f.mustOutbox(t, 2)
		if len(ns) != 2 {
			t.Fatalf("outbox after the denials=%d, want 2", len(ns))
		}
		for i, want := range []struct {
			kind    annex.NotificationKind
			version int
		}{{annex.NotifyDenialAmend, 2}, {annex.NotifyDenialRevoke, 3}} {
			if n := ns[i]; n.Kind != want.kind || n.Denial.Version != want.version || n.Denial.ID != id || n.Sequence != int64(3+i) {
				t.Errorf("outbox[%d]=%s v%d of %s #%d, want %s v%d #%d", i, n.Kind, n.Denial.Version, n.Denial.ID, n.Sequence, want.kind, want.version, 3+i)
			}
		}
		if got, want := auditActions(t, db, "denial:"+id), []string{"denial.create", "denial.amend", "denial.revoke"}; !cmp.Equal(got, want) {
			t.Errorf("audit=%v, want %v", got, want)
		}

		// A partner's denial is its own to change.
		f.mustReceive(t, "k-de", "DE", 1, annex.Notification{Sequence: 1, Kind: annex.NotifyDenial, From: "DE",
			IssuedAt: caseTime, Denial: partnerDenial("DE-2026-0001", "2026-02-01")})
		_, err = f.denials.AmendDenial(officer, "DE-2026-0001", annex.DenialUpdate{Reason: &reason})
		wantCode(t, "AmendDenial(a partner's)", err, annex.EFORBIDDEN)
		_, err = f.denials.RevokeDenial(senior, "DE-2026-0001", "2026-03-10")
		wantCode(t, "RevokeDenial(a partner's)", err, annex.EFORBIDDEN)
		_, err = f.denials.AmendDenial(officer, "XX-1", annex.DenialUpdate{Reason: &reason})
		wantCode(t, "AmendDenial(unknown)", err, annex.ENOTFOUND)

		// Who may do what.
		for _, tt := range []struct {
			name             string
			u                *annex.User
			read, write, box string
		}{
			{"exporter", f.ann, annex.EFORBIDDEN, annex.EFORBIDDEN, annex.EFORBIDDEN},
			{"customs", f.carl, annex.EFORBIDDEN, annex.EFORBIDDEN, annex.EFORBIDDEN},
			{"reviewer", f.dave, "", annex.EFORBIDDEN, annex.EFORBIDDEN},
			{"analyst", f.analyst, "", annex.EFORBIDDEN, annex.EFORBIDDEN},
			{"officer", f.officer, "", "", annex.EFORBIDDEN},
			{"admin", f.admin, "", "", ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ctx := f.as(t.Context(), tt.u)
				_, _, err := f.denials.FindDenials(ctx, annex.DenialFilter{})
				wantCode(t, "FindDenials", err, tt.read)
				_, err = f.denials.FindDenialByID(ctx, id)
				wantCode(t, "FindDenialByID", err, tt.read)
				_, err = f.denials.FindConsultations(ctx, 0)
				wantCode(t, "FindConsultations", err, tt.read)
				if tt.write != "" {
					_, err = f.denials.AmendDenial(ctx, id, annex.DenialUpdate{Reason: &reason})
					wantCode(t, "AmendDenial", err, tt.write)
					_, err = f.denials.AnswerConsultation(ctx, 1, "No objection.", false)
					wantCode(t, "AnswerConsultation", err, tt.write)
				}
				_, err = f.denials.Outbox(ctx, 0, 10)
				wantCode(t, "Outbox", err, tt.box)
				_, err = f.denials.LastSequence(ctx, "k-de")
				wantCode(t, "LastSequence", err, tt.box)
				if tt.box != "" {
					_, err = f.denials.Receive(ctx, "feed", "k-de", "DE", nil)
					wantCode(t, "Receive", err, tt.box)
				}
			})
		}
		MustVerifyAudit(t, t.Context(), db)
	})
}

func TestDenialService_Receive(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDenialFixture(t, db)
		ctx := t.Context() // the system
		const id = "DE-2026-0001"
		amended := partnerDenial(id, "2026-02-01")
		amended.Reason, amended.Version = "Risk of diversion, confirmed by the end-use check", 2
		revoked := *amended
		revoked.Status, revoked.RevokedOn, revoked.Version = annex.DenialRevoked, "2026-03-01", 3
		foreign := partnerDenial(id, "2026-02-01") // claims to be Germany's, sent by France
		foreign.Version = 9

		denial := annex.Notification{Sequence: 1, Kind: annex.NotifyDenial, From: "DE", IssuedAt: caseTime,
			Denial: partnerDenial(id, "2026-02-01")}
		f.mustReceive(t, "k-de", "DE", 1, denial, denial) // the second is a duplicate sequence
		f.mustReceive(t, "k-de", "DE", 0, denial)         // a replay
		if seq, err := f.denials.LastSequence(ctx, "k-de"); err != nil || seq != 1 {
			t.Fatalf("LastSequence=%d, %v; want 1", seq, err)
		}
		got, err := f.denials.FindDenialByID(f.as(ctx, f.officer), id)
		if err != nil {
			t.Fatalf("FindDenialByID: %v", err)
		}
		want := partnerDenial(id, "2026-02-01")
		want.Received = &annex.Receipt{KeyID: "k-de", Feed: "https://DE.example/feed", Sequence: 1, ReceivedAt: caseTime}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("received denial mismatch (-want +got):\n%s", diff)
		}

		f.advance(day)
		f.mustReceive(t, "k-de", "DE", 2,
			annex.Notification{Sequence: 4, Kind: annex.NotifyDenialRevoke, From: "DE", Denial: &revoked},
			annex.Notification{Sequence: 2, Kind: annex.NotifyDenialAmend, From: "DE", Denial: amended},
			// Ignored: sent as another government, a denial notified by
			// another, a stale version, addressed to another partner.
			annex.Notification{Sequence: 3, Kind: annex.NotifyDenialAmend, From: "FR", Denial: amended},
			annex.Notification{Sequence: 5, Kind: annex.NotifyDenial, From: "DE", Denial: &annex.Denial{ID: "FR-1", NotifyingGovernment: "FR"}},
			annex.Notification{Sequence: 6, Kind: annex.NotifyDenialAmend, From: "DE", Denial: amended},
			annex.Notification{Sequence: 7, Kind: annex.NotifyConsultationRequest, From: "DE", To: "FR",
				Consultation: &annex.ConsultationMessage{RequestID: "DE-C-1", DenialID: "FR-1"}},
		)
		f.mustReceive(t, "k-fr", "FR", 0, annex.Notification{Sequence: 1, Kind: annex.NotifyDenialAmend, From: "FR", Denial: foreign})
		if seq, err := f.denials.LastSequence(ctx, "k-de"); err != nil || seq != 7 {
			t.Fatalf("LastSequence=%d, %v; want 7", seq, err)
		}
		got, err = f.denials.FindDenialByID(f.as(ctx, f.officer), id)
		if err != nil {
			t.Fatalf("FindDenialByID: %v", err)
		}
		want = &revoked
		want.Received = &annex.Receipt{KeyID: "k-de", Feed: "https://DE.example/feed", Sequence: 4, ReceivedAt: caseTime.Add(day)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("revoked denial mismatch (-want +got):\n%s", diff)
		}
		if ds, n, err := f.denials.FindDenials(ctx, annex.DenialFilter{Received: true}); err != nil || n != 1 || len(ds) != 1 {
			t.Fatalf("FindDenials(Received)=%d (total %d), %v; want 1", len(ds), n, err)
		}
		if got, want := auditActions(t, db, "denial:"+id), []string{"exchange.receive", "exchange.receive",
			"exchange.receive", "exchange.ignore", "exchange.ignore"}; !cmp.Equal(got, want) {
			t.Errorf("audit of the denial=%v, want %v", got, want)
		}
		if ns := f.mustOutbox(t, 0); len(ns) != 0 {
			t.Errorf("outbox=%d, want none: receiving notifies nobody", len(ns))
		}
		MustVerifyAudit(t, ctx, db)
	})
}

func TestDenialService_AnswerConsultation(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDenialFixture(t, db)
		app := f.mustRefuse(t)
		denialID := "GB-" + app.Reference + "-1"
		due := caseTime.Add(30 * day)
		ask := annex.Notification{Sequence: 1, Kind: annex.NotifyConsultationRequest, From: "DE", To: "GB", IssuedAt: caseTime,
			Consultation: &annex.ConsultationMessage{RequestID: "DE-C-17", DenialID: denialID, Entry: "9.A.3",
				EndUser: "Vikram Sarabhai Space Centre", Destination: "IN", DueAt: due}}
		f.mustReceive(t, "k-de", "DE", 1, ask)
		ask.Sequence = 2 // the same request again
		f.mustReceive(t, "k-de", "DE", 0, ask)

		officer := f.as(t.Context(), f.officer)
		cs, err := f.denials.FindConsultations(officer, 0)
		if err != nil {
			t.Fatalf("FindConsultations: %v", err)
		}
		want := []*annex.Consultation{{ID: cs[0].ID, DenialID: denialID, Partner: "DE", RequestID: "DE-C-17", Entry: "9.A.3",
			EndUser: "Vikram Sarabhai Space Centre", Destination: "IN", Status: annex.ConsultationOpen, RequestedAt: caseTime, DueAt: due}}
		if diff := cmp.Diff(want, cs); diff != "" {
			t.Fatalf("FindConsultations(0) mismatch (-want +got):\n%s", diff)
		}
		if cs, err := f.denials.FindConsultations(officer, app.ID); err != nil || len(cs) != 0 {
			t.Fatalf("FindConsultations(app)=%d, %v; want none", len(cs), err)
		}
		_, err = f.denials.FindConsultations(officer, app.ID+100)
		wantCode(t, "FindConsultations(unknown application)", err, annex.ENOTFOUND)

		_, err = f.denials.AnswerConsultation(officer, cs[0].ID, " ", false)
		wantCode(t, "AnswerConsultation(no answer)", err, annex.EINVALID)
		_, err = f.denials.AnswerConsultation(officer, cs[0].ID+100, "No objection.", false)
		wantCode(t, "AnswerConsultation(unknown)", err, annex.ENOTFOUND)
		c, err := f.denials.AnswerConsultation(officer, cs[0].ID, "We maintain our objection.", true)
		if err != nil {
			t.Fatalf("AnswerConsultation: %v", err)
		} else if c.Status != annex.ConsultationAnswered || !c.Objects || !c.AnsweredAt.Equal(caseTime) {
			t.Fatalf("answered=%+v, want answered, objecting, now", c)
		}
		_, err = f.denials.AnswerConsultation(officer, cs[0].ID, "No objection.", false)
		wantCode(t, "AnswerConsultation(again)", err, annex.ECONFLICT)

		ns := f.mustOutbox(t, 2) // after the two denials
		wantN := []annex.Notification{{Sequence: 3, Kind: annex.NotifyConsultationAnswer, From: "GB", To: "DE", IssuedAt: caseTime,
			Consultation: &annex.ConsultationMessage{RequestID: "DE-C-17", DenialID: denialID, Answer: "We maintain our objection.", Objects: true}}}
		if diff := cmp.Diff(wantN, ns); diff != "" {
			t.Fatalf("outbox mismatch (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, t.Context(), db)
	})
}

func TestApplicationService_Act_consultation(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDenialFixture(t, db)
		ctx := t.Context()
		f.mustReceive(t, "k-de", "DE", 2,
			annex.Notification{Sequence: 1, Kind: annex.NotifyDenial, From: "DE", Denial: partnerDenial("DE-2026-0007", "2026-01-15")},
			annex.Notification{Sequence: 2, Kind: annex.NotifyDenial, From: "DE", Denial: partnerDenial("DE-2022-0001", "2022-01-15")})
		// The assessment names a denial in force, one no longer in force,
		// and one not held (whose ID extends the first's).
		line, party := 0, 0
		f.apps.Assess = &fakeAssess{AssessFn: func(context.Context, *annex.ApplicationSpec) (*annex.Assessment, error) {
			a := testAssessment(annex.CategoryII)
			for _, id := range []string{"DE-2026-0007", "DE-2022-0001", "DE-2026-00070"} {
				a.Reasons = append(a.Reasons, annex.Reason{Rule: "no-undercut", Outcome: annex.RecommendRefer, Line: &line, Party: &party,
					Detail: "essentially identical to denial " + id + " notified by DE; consult DE before approving (MTCR no-undercut)", Ref: id})
			}
			return a, nil
		}}

		app := f.mustUnderReview(t)
		if len(app.Consultations) != 1 {
			t.Fatalf("Consultations=%d, want 1", len(app.Consultations))
		}
		due := caseTime.Add(30 * day)
		want := annex.Consultation{ID: app.Consultations[0].ID, ApplicationID: app.ID, DenialID: "DE-2026-0007", Partner: "DE",
			RequestID: "GB-C-" + strconv.FormatInt(app.Consultations[0].ID, 10), Entry: "9.A.3", EndUser: app.Parties[0].Name,
			Destination: app.Destination, Status: annex.ConsultationOpen, RequestedAt: caseTime, DueAt: due}
		if diff := cmp.Diff(want, app.Consultations[0]); diff != "" {
			t.Fatalf("consultation mismatch (-want +got):\n%s", diff)
		}
		ns := f.mustOutbox(t, 0)
		requestID := "GB-C-" + itoa(want.ID)
		wantN := []annex.Notification{{Sequence: 1, Kind: annex.NotifyConsultationRequest, From: "GB", To: "DE", IssuedAt: caseTime,
			Consultation: &annex.ConsultationMessage{RequestID: requestID, DenialID: "DE-2026-0007", Entry: "9.A.3",
				EndUser: "Vikram Sarabhai Space Centre", Destination: "IN", DueAt: due}}}
		if diff := cmp.Diff(wantN, ns); diff != "" {
			t.Fatalf("outbox mismatch (-want +got):\n%s", diff)
		}
		if got, want := auditActions(t, db, "consultation:"+itoa(want.ID)), []string{"consultation.request"}; !cmp.Equal(got, want) {
			t.Errorf("audit=%v, want %v", got, want)
		}
		cs, err := f.denials.FindConsultations(f.as(ctx, f.officer), app.ID)
		if err != nil || len(cs) != 1 || *cs[0] != want {
			t.Fatalf("FindConsultations(app)=%v, %v; want the consultation", cs, err)
		}

		// No approval while Germany has not answered.
		f.advance(day)
		_, err = f.apps.Act(f.as(ctx, f.officer), app.ID, &annex.CaseAction{Type: annex.ActProposeDecision,
			Version: app.Version, Decision: approval("fine")})
		wantCode(t, "Act(approve while consulting)", err, annex.ECONFLICT)

		// An answer from another government, or to another request, does
		// not close it; Germany's does.
		answer := &annex.ConsultationMessage{RequestID: requestID, DenialID: "DE-2026-0007", Answer: "No objection."}
		f.mustReceive(t, "k-fr", "FR", 0, annex.Notification{Sequence: 1, Kind: annex.NotifyConsultationAnswer, From: "FR", To: "GB", Consultation: answer})
		f.mustReceive(t, "k-de", "DE", 0, annex.Notification{Sequence: 3, Kind: annex.NotifyConsultationAnswer, From: "DE", To: "GB",
			Consultation: &annex.ConsultationMessage{RequestID: "GB-C-999", Answer: "No objection."}})
		f.mustReceive(t, "k-de", "DE", 1, annex.Notification{Sequence: 4, Kind: annex.NotifyConsultationAnswer, From: "DE", To: "GB", Consultation: answer})
		f.mustReceive(t, "k-de", "DE", 0, annex.Notification{Sequence: 5, Kind: annex.NotifyConsultationAnswer, From: "DE", To: "GB", Consultation: answer})

		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision, Decision: approval("fine")})
		if app.Status != annex.StatusApproved {
			t.Fatalf("Status=%v, want %v", app.Status, annex.StatusApproved)
		}
		want.Status, want.Answer, want.AnsweredAt = annex.ConsultationAnswered, "No objection.", caseTime.Add(day)
		if diff := cmp.Diff([]annex.Consultation{want}, app.Consultations); diff != "" {
			t.Fatalf("answered consultation mismatch (-want +got):\n%s", diff)
		}

		// Unanswered, a consultation lapses after its days.
		other := f.mustUnderReview(t)
		f.advance(31 * day)
		f.mustAct(t, f.officer, other, annex.CaseAction{Type: annex.ActProposeDecision, Decision: approval("fine")})
		MustVerifyAudit(t, ctx, db)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestDenialService_FindDenialsInForce: the denials in force on a day are
// the active ones of the three years up to it; a denial dated on the day
// counts, one whose third anniversary is the day, one revoked, one dated
// later and this government's own do not.
func TestDenialService_FindDenialsInForce(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDenialFixture(t, db)
		ctx := t.Context()
		revoked := partnerDenial("DE-4", "2025-01-01")
		revoked.Status, revoked.RevokedOn, revoked.Version = annex.DenialRevoked, "2025-06-01", 2
		var ns []annex.Notification
		for i, d := range []*annex.Denial{partnerDenial("DE-1", "2026-11-27"), partnerDenial("DE-2", "2023-11-28"),
			partnerDenial("DE-3", "2023-11-27"), partnerDenial("DE-4", "2025-01-01"), partnerDenial("DE-5", "2026-11-28")} {
			ns = append(ns, annex.Notification{Sequence: int64(i + 1), Kind: annex.NotifyDenial, From: "DE", Denial: d})
		}
		ns = append(ns, annex.Notification{Sequence: 6, Kind: annex.NotifyDenialRevoke, From: "DE", Denial: revoked})
		f.mustReceive(t, "k-de", "DE", 6, ns...)
		ds, n, err := f.denials.FindDenials(ctx, annex.DenialFilter{Received: true, InForceOn: "2026-11-27"})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range ds {
			ids = append(ids, d.ID)
		}
		slices.Sort(ids)
		if n != 2 || !slices.Equal(ids, []string{"DE-1", "DE-2"}) {
			t.Errorf("in force on 2026-11-27: %v (total %d), want DE-1 and DE-2", ids, n)
		}
		if _, _, err := f.denials.FindDenials(ctx, annex.DenialFilter{InForceOn: "27 Nov"}); annex.ErrorCode(err) != annex.EINVALID {
			t.Errorf("a bad day: %v, want EINVALID", err)
		}
	})
}
