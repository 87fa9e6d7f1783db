package sqlstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

func TestApplicationService_CreateApplication(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)

		app := &annex.Application{ApplicationSpec: testSpec(), Status: annex.StatusApproved, Version: 7, OrgID: f.other,
			Licence: "ANX-L-2020-000001"}
		if err := f.apps.CreateApplication(f.as(ctx, f.ann), app); err != nil {
			t.Fatalf("CreateApplication: %v", err)
		}
		want := &annex.Application{ID: app.ID, OrgID: f.acme, Status: annex.StatusDraft, ApplicationSpec: testSpec(),
			Version: 1, CreatedBy: f.ann.ID, CreatedAt: caseTime, UpdatedAt: caseTime, Documents: []annex.Document{},
			Requests: []annex.InformationRequest{}, AdviceRequests: []annex.AdviceRequest{}, Advice: []annex.Advice{}}
		if diff := cmp.Diff(want, app); diff != "" {
			t.Fatalf("created application (-want +got):\n%s", diff)
		}
		if got, err := f.apps.FindApplicationByID(f.as(ctx, f.ann), app.ID); err != nil {
			t.Fatalf("FindApplicationByID: %v", err)
		} else if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("FindApplicationByID (-want +got):\n%s", diff)
		}

		bad := testSpec()
		bad.Destination, bad.Items[0].Quantity = "India", 0
		tests := []struct {
			name   string
			ctx    func() *annex.User
			app    *annex.Application
			code   string
			fields []string
		}{
			{"no user", func() *annex.User { return nil }, &annex.Application{ApplicationSpec: testSpec()}, annex.EUNAUTHORIZED, nil},
			{"officer", func() *annex.User { return f.officer }, &annex.Application{ApplicationSpec: testSpec()}, annex.EFORBIDDEN, nil},
			{"invalid spec", func() *annex.User { return f.ann }, &annex.Application{ApplicationSpec: bad}, annex.EINVALID,
				[]string{"destination", "items[0].quantity"}},
			{"amends an unknown licence", func() *annex.User { return f.ann },
				&annex.Application{ApplicationSpec: testSpec(), AmendmentOf: "ANX-L-2026-999999"}, annex.EINVALID, []string{"amendment_of"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := ctx
				if u := tt.ctx(); u != nil {
					c = f.as(ctx, u)
				}
				err := f.apps.CreateApplication(c, tt.app)
				wantCode(t, "CreateApplication", err, tt.code)
				var got []string
				for _, fe := range annex.ErrorFields(err) {
					got = append(got, fe.Field)
				}
				if diff := cmp.Diff(tt.fields, got); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
			})
		}
		if got := auditActions(t, db, fmt.Sprintf("application:%d", app.ID)); !cmp.Equal(got, []string{"application.create"}) {
			t.Fatalf("audit actions=%v, want [application.create]", got)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

func TestApplicationService_UpdateApplication(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustCreate(t)
		f.advance(time.Hour)

		spec := testSpec()
		spec.EndUse = "Attitude control of research rockets"
		spec.Items[1].Quantity = 400
		got, err := f.apps.UpdateApplication(f.as(ctx, f.ann), app.ID, 1, spec)
		if err != nil {
			t.Fatalf("UpdateApplication: %v", err)
		}
		if got.Version != 2 || got.EndUse != spec.EndUse || got.Items[1].Quantity != 400 || !got.UpdatedAt.Equal(caseTime.Add(time.Hour)) {
			t.Fatalf("updated application: Version=%d EndUse=%q quantity=%v UpdatedAt=%v", got.Version, got.EndUse,
				got.Items[1].Quantity, got.UpdatedAt)
		}
		detail, err := db.QueryStringForTest(ctx, `SELECT detail FROM audit_events WHERE action = ?`, "application.update")
		if err != nil {
			t.Fatalf("audit detail: %v", err)
		} else if want := `{"changed":["end_use","items"],"version":2}`; detail != want {
			t.Fatalf("application.update detail=%s, want %s", detail, want)
		}

		t.Run("stale version", func(t *testing.T) {
			_, err := f.apps.UpdateApplication(f.as(ctx, f.ann), app.ID, 1, testSpec())
			wantCode(t, "UpdateApplication", err, annex.ECONFLICT)
			if msg := annex.ErrorMessage(err); !strings.HasPrefix(msg, "the application was changed since you opened it") ||
				!strings.Contains(msg, "ann made version 2") {
				t.Fatalf("ErrorMessage=%q, want who changed it", msg)
			}
		})
		tests := []struct {
			name string
			u    *annex.User
			spec annex.ApplicationSpec
			code string
		}{
			{"another organisation", f.olga, testSpec(), annex.ENOTFOUND},
			{"officer", f.officer, testSpec(), annex.EFORBIDDEN},
			{"invalid", f.ann, annex.ApplicationSpec{Destination: "IN"}, annex.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.apps.UpdateApplication(f.as(ctx, tt.u), app.ID, 2, tt.spec)
				wantCode(t, "UpdateApplication", err, tt.code)
			})
		}
		t.Run("submitted", func(t *testing.T) {
			submitted := f.mustAct(t, f.ann, got, annex.CaseAction{Type: annex.ActSubmit})
			_, err := f.apps.UpdateApplication(f.as(ctx, f.ann), app.ID, submitted.Version, testSpec())
			wantCode(t, "UpdateApplication", err, annex.ECONFLICT)
		})
		MustVerifyAudit(t, ctx, db)
	})
}

func TestApplicationService_AddDocument(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustCreate(t)

		doc := &annex.Document{Kind: annex.DocEndUserCertificate, FileName: " euc.pdf ", ContentType: "text/plain"}
		if err := f.apps.AddDocument(f.as(ctx, f.ann), app.ID, doc, testPDF); err != nil {
			t.Fatalf("AddDocument: %v", err)
		}
		sum := sha256.Sum256(testPDF)
		want := &annex.Document{ID: doc.ID, ApplicationID: app.ID, Kind: annex.DocEndUserCertificate, FileName: "euc.pdf",
			ContentType: "application/pdf", Size: int64(len(testPDF)), SHA256: hex.EncodeToString(sum[:]),
			UploadedBy: f.ann.ID, UploadedAt: caseTime}
		if diff := cmp.Diff(want, doc); diff != "" {
			t.Fatalf("added document (-want +got):\n%s", diff)
		}
		for _, u := range []*annex.User{f.ann, f.officer, f.carl} {
			got, content, err := f.apps.FindDocument(f.as(ctx, u), doc.ID)
			if err != nil {
				t.Fatalf("FindDocument as %s: %v", u.Username, err)
			} else if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("FindDocument (-want +got):\n%s", diff)
			} else if string(content) != string(testPDF) {
				t.Fatalf("content=%q, want %q", content, testPDF)
			}
		}
		if got, err := f.apps.FindApplicationByID(f.as(ctx, f.officer), app.ID); err != nil {
			t.Fatalf("FindApplicationByID: %v", err)
		} else if diff := cmp.Diff([]annex.Document{*want}, got.Documents); diff != "" {
			t.Fatalf("application's documents (-want +got):\n%s", diff)
		}
		detail, err := db.QueryStringForTest(ctx, `SELECT detail FROM audit_events WHERE action = ?`, "application.add_document")
		if err != nil {
			t.Fatalf("audit detail: %v", err)
		} else if strings.Contains(detail, "PDF-1.4") || !strings.Contains(detail, want.SHA256) {
			t.Fatalf("application.add_document detail=%s, want the hash and not the content", detail)
		}

		submitted := f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActSubmit})
		tests := []struct {
			name    string
			u       *annex.User
			appID   int64
			doc     annex.Document
			content []byte
			code    string
			fields  []string
		}{
			{"text file", f.ann, app.ID, annex.Document{Kind: annex.DocOther, FileName: "notes.txt"}, []byte("just some notes\n"),
				annex.EINVALID, []string{"file"}},
			{"empty file and no kind", f.ann, app.ID, annex.Document{FileName: "x.pdf"}, nil, annex.EINVALID, []string{"kind", "file", "file"}},
			{"officer", f.officer, app.ID, annex.Document{Kind: annex.DocOther, FileName: "a.pdf"}, testPDF, annex.EFORBIDDEN, nil},
			{"another organisation", f.olga, app.ID, annex.Document{Kind: annex.DocOther, FileName: "a.pdf"}, testPDF, annex.ENOTFOUND, nil},
			{"submitted", f.ann, submitted.ID, annex.Document{Kind: annex.DocOther, FileName: "a.pdf"}, testPDF, annex.ECONFLICT, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.apps.AddDocument(f.as(ctx, tt.u), tt.appID, &tt.doc, tt.content)
				wantCode(t, "AddDocument", err, tt.code)
				var got []string
				for _, fe := range annex.ErrorFields(err) {
					got = append(got, fe.Field)
				}
				if diff := cmp.Diff(tt.fields, got); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
			})
		}
		if n := countRows(t, db, "documents", ""); n != "1" {
			t.Fatalf("documents stored=%s, want 1", n)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// TestApplicationService_flow takes a Category II application from draft
// to licence: a question stops the clock, defence advises, the officer
// approves without countersignature and the licence is issued.
func TestApplicationService_flow(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		app := f.mustCreate(t)
		if err := f.apps.AddDocument(f.as(ctx, f.ann), app.ID,
			&annex.Document{Kind: annex.DocEndUserCertificate, FileName: "euc.pdf"}, testPDF); err != nil {
			t.Fatalf("AddDocument: %v", err)
		}

		// Monday: submitted and taken.
		app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActSubmit})
		if app.Status != annex.StatusSubmitted || app.Reference != "ANX-2026-000001" || app.SubmittedAt == nil ||
			!app.SubmittedAt.Equal(caseTime) {
			t.Fatalf("submitted: Status=%v Reference=%q SubmittedAt=%v", app.Status, app.Reference, app.SubmittedAt)
		}
		if diff := cmp.Diff(testAssessment(annex.CategoryII), app.Assessment); diff != "" {
			t.Fatalf("stored assessment (-want +got):\n%s", diff)
		}
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActAssign})
		if app.Status != annex.StatusUnderReview || app.AssignedTo != f.officer.ID {
			t.Fatalf("Status=%v AssignedTo=%d, want %v %d", app.Status, app.AssignedTo, annex.StatusUnderReview, f.officer.ID)
		}

		// Tuesday: a question; the clock stops until Thursday's answer.
		f.advance(day)
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActRequestInformation, Question: "  Who operates the launch site?  "})
		if app.Status != annex.StatusAwaitingExporter || app.WorkingDays != 0 {
			t.Fatalf("Status=%v WorkingDays=%d, want %v 0", app.Status, app.WorkingDays, annex.StatusAwaitingExporter)
		}
		f.advance(day)
		if err := f.apps.AddDocument(f.as(ctx, f.ann), app.ID,
			&annex.Document{Kind: annex.DocOther, FileName: "site.png"}, testPNG); err != nil {
			t.Fatalf("AddDocument while awaiting the exporter: %v", err)
		}
		mustWorkingDays(t, f, app.ID, 0)
		f.advance(day)
		app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActAnswerInformation, Answer: "The centre itself."})
		answeredAt := caseTime.Add(3 * day)
		wantRequests := []annex.InformationRequest{{ID: app.Requests[0].ID, Question: "Who operates the launch site?",
			AskedBy: f.officer.ID, AskedAt: caseTime.Add(day), Answer: "The centre itself.", AnsweredBy: f.ann.ID, AnsweredAt: &answeredAt}}
		if diff := cmp.Diff(wantRequests, app.Requests); diff != "" {
			t.Fatalf("requests (-want +got):\n%s", diff)
		}
		if app.Status != annex.StatusUnderReview || app.WorkingDays != 0 {
			t.Fatalf("Status=%v WorkingDays=%d, want %v 0", app.Status, app.WorkingDays, annex.StatusUnderReview)
		}
		f.advance(5 * day) // Friday, Monday, Tuesday count
		mustWorkingDays(t, f, app.ID, 3)

		// Advice from defence.
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActRequestAdvice, Department: annex.DeptDefence,
			Note: "Is line 0 usable in a ballistic missile?"})
		mustAwaitingAdvice(t, f, annex.DeptDefence, []int64{app.ID})
		mustAwaitingAdvice(t, f, annex.DeptForeignAffairs, nil)
		_, err := f.apps.Act(f.as(ctx, f.fay), app.ID, &annex.CaseAction{Type: annex.ActGiveAdvice, Version: app.Version,
			Advice: &annex.Advice{Subject: "case", Type: annex.AdviceApprove, Text: "fine"}})
		wantCode(t, "give advice from another department", err, annex.EFORBIDDEN)
		app = f.mustAct(t, f.dave, app, annex.CaseAction{Type: annex.ActGiveAdvice, Advice: &annex.Advice{Subject: "line:0",
			Type: annex.AdviceProviso, Text: "Accuracy below Category I levels.", Proviso: "No retransfer to third parties."}})
		wantAdvice := []annex.Advice{{ID: app.Advice[0].ID, Department: annex.DeptDefence, Subject: "line:0",
			Type: annex.AdviceProviso, Text: "Accuracy below Category I levels.", Proviso: "No retransfer to third parties.",
			UserID: f.dave.ID, Username: "dave", CreatedAt: caseTime.Add(8 * day)}}
		if diff := cmp.Diff(wantAdvice, app.Advice); diff != "" {
			t.Fatalf("advice (-want +got):\n%s", diff)
		}
		if len(app.AdviceRequests) != 1 || !app.AdviceRequests[0].Answered {
			t.Fatalf("AdviceRequests=%+v, want one answered", app.AdviceRequests)
		}
		mustAwaitingAdvice(t, f, annex.DeptDefence, nil)

		// The officer approves with the proviso: Category II needs no
		// countersignature, so the licence is issued at once.
		decision := &annex.CaseDecision{Type: annex.DecisionApproveProvisos, Provisos: []string{"No retransfer to third parties."},
			Reasons: "Category II to a partner; defence advice taken.", ValidMonths: 12}
		app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision, Decision: decision})
		decidedAt := caseTime.Add(8 * day)
		if app.Status != annex.StatusApproved || app.Licence != "ANX-L-2026-000001" || app.Proposed != nil ||
			app.DecidedAt == nil || !app.DecidedAt.Equal(decidedAt) || app.WorkingDays != 3 {
			t.Fatalf("decided: Status=%v Licence=%q Proposed=%v DecidedAt=%v WorkingDays=%d", app.Status, app.Licence,
				app.Proposed, app.DecidedAt, app.WorkingDays)
		}
		if d := app.Decision; d.DecidedBy != f.officer.ID || !d.DecidedAt.Equal(decidedAt) ||
			!strings.HasPrefix(d.Letter, "Annex Test Authority\n10 March 2026") ||
			!strings.Contains(d.Letter, "Licence ANX-L-2026-000001 is issued, valid from 2026-03-10 until 2027-03-09") {
			t.Fatalf("decision: DecidedBy=%d DecidedAt=%v Letter=\n%s", d.DecidedBy, d.DecidedAt, d.Letter)
		}
		l, err := f.licences.FindLicenceByNumber(f.as(ctx, f.ann), app.Licence)
		if err != nil {
			t.Fatalf("FindLicenceByNumber: %v", err)
		}
		validFrom := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		wantLicence := &annex.Licence{ID: l.ID, Number: "ANX-L-2026-000001", ApplicationID: app.ID, OrgID: f.acme,
			Status: annex.LicenceIssued, Destination: "IN", EndUser: "Vikram Sarabhai Space Centre", ValidFrom: validFrom,
			ValidUntil: validFrom.AddDate(1, 0, 0).Add(-time.Microsecond),
			Lines: []annex.LicenceLine{
				{Line: 0, Description: "IMU-300 inertial unit", Kind: "inertial_measurement_unit", Entries: "9.A.3, 9.A.8",
					Quantity: 10, Unit: "units", Value: 100000},
				{Line: 1, Description: "composite_propellant", Kind: "composite_propellant", Entries: "4.C.2.c",
					Quantity: 500, Unit: "kg", Value: 20000},
			},
			Provisos: []string{"No retransfer to third parties."}, Version: 1, IssuedAt: decidedAt}
		if diff := cmp.Diff(wantLicence, l); diff != "" {
			t.Fatalf("licence (-want +got):\n%s", diff)
		}

		// The clock stops at the decision.
		f.advance(7 * day)
		mustWorkingDays(t, f, app.ID, 3)

		want := []string{"application.create", "application.add_document", "application.submit", "application.assign",
			"application.request_information", "application.add_document", "application.answer_information",
			"application.request_advice", "application.give_advice", "application.decide"}
		if diff := cmp.Diff(want, auditActions(t, db, fmt.Sprintf("application:%d", app.ID))); diff != "" {
			t.Fatalf("audit actions (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"licence.issue"}, auditActions(t, db, fmt.Sprintf("licence:%d", l.ID))); diff != "" {
			t.Fatalf("licence audit actions (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}

// mustWorkingDays checks the case clock of an application as the officer
// sees it.
func mustWorkingDays(t *testing.T, f *caseFixture, id int64, want int) {
	t.Helper()
	app, err := f.apps.FindApplicationByID(f.as(t.Context(), f.officer), id)
	if err != nil {
		t.Fatalf("FindApplicationByID: %v", err)
	} else if app.WorkingDays != want {
		t.Fatalf("WorkingDays=%d, want %d", app.WorkingDays, want)
	}
}

// mustAwaitingAdvice checks which applications await advice from the
// department.
func mustAwaitingAdvice(t *testing.T, f *caseFixture, dept string, want []int64) {
	t.Helper()
	apps, n, err := f.apps.FindApplications(f.as(t.Context(), f.dave), annex.ApplicationFilter{Department: &dept})
	if err != nil {
		t.Fatalf("FindApplications: %v", err)
	}
	var got []int64
	for _, a := range apps {
		got = append(got, a.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" || n != len(want) {
		t.Fatalf("awaiting %s advice: n=%d (-want +got):\n%s", dept, n, diff)
	}
}

func TestApplicationService_FindApplications(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		f := newCaseFixture(t, db)
		var ids []int64 // oldest first
		for i := range 5 {
			app := f.mustCreate(t)
			ids = append(ids, app.ID)
			if i >= 1 {
				app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActSubmit})
			}
			if i >= 3 {
				f.mustAct(t, f.officer2, app, annex.CaseAction{Type: annex.ActAssign})
			}
		}
		officer2 := f.officer2.ID
		tests := []struct {
			name   string
			filter annex.ApplicationFilter
			want   []int64
			n      int
		}{
			{"all, newest first", annex.ApplicationFilter{}, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}, 5},
			{"statuses", annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusDraft, annex.StatusSubmitted}},
				[]int64{ids[2], ids[1], ids[0]}, 3},
			{"assigned", annex.ApplicationFilter{AssignedTo: &officer2}, []int64{ids[4], ids[3]}, 2},
			{"page", annex.ApplicationFilter{Offset: 1, Limit: 2}, []int64{ids[3], ids[2]}, 5},
			{"last page", annex.ApplicationFilter{Offset: 4, Limit: 2}, []int64{ids[0]}, 5},
			{"organisation", annex.ApplicationFilter{OrgID: &f.other}, nil, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				apps, n, err := f.apps.FindApplications(f.as(ctx, f.officer), tt.filter)
				if err != nil {
					t.Fatalf("FindApplications: %v", err)
				}
				var got []int64
				for _, a := range apps {
					got = append(got, a.ID)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Fatalf("applications (-want +got):\n%s", diff)
				}
				if n != tt.n {
					t.Fatalf("n=%d, want %d", n, tt.n)
				}
			})
		}
		MustVerifyAudit(t, ctx, db)
	})
}
