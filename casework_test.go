package annex_test

import (
	"strings"
	"testing"
	"time"

	"annex"
)

func TestNextStatus(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	exporter := &annex.User{ID: 1, Role: annex.RoleExporterUser, OrgID: 10}
	other := &annex.User{ID: 2, Role: annex.RoleExporterUser, OrgID: 11}
	officer := &annex.User{ID: 3, Role: annex.RoleLicensingOfficer}
	officer2 := &annex.User{ID: 4, Role: annex.RoleLicensingOfficer}
	senior := &annex.User{ID: 5, Role: annex.RoleSeniorOfficer}
	reviewer := &annex.User{ID: 6, Role: annex.RoleReviewer, Department: annex.DeptForeignAffairs}
	defence := &annex.User{ID: 7, Role: annex.RoleReviewer, Department: annex.DeptDefence}
	decided := now.AddDate(0, 0, -10)
	longAgo := now.AddDate(0, 0, -40)
	app := func(st annex.ApplicationStatus, mod ...func(*annex.Application)) *annex.Application {
		a := &annex.Application{OrgID: 10, Status: st, AssignedTo: 3, ApplicationSpec: annex.ApplicationSpec{
			Parties: []annex.ApplicationParty{{Role: annex.RoleEndUser}}, Items: []annex.ApplicationLine{{}}}}
		for _, m := range mod {
			m(a)
		}
		return a
	}
	approve := &annex.CaseDecision{Type: annex.DecisionApprove, Reasons: "fine", ValidMonths: 12}
	refuse := &annex.CaseDecision{Type: annex.DecisionRefuse, Reasons: "risk", Criteria: []string{"factor-A"}}
	cat1 := func(a *annex.Application) { a.Assessment = &annex.Assessment{Category: annex.CategoryI} }
	proposed := func(by int64) func(*annex.Application) {
		return func(a *annex.Application) {
			a.Proposed = &annex.CaseDecision{Type: annex.DecisionRefuse, DecidedBy: by}
		}
	}
	asked := func(dept string, answered bool) func(*annex.Application) {
		return func(a *annex.Application) {
			a.AdviceRequests = []annex.AdviceRequest{{Department: dept, Answered: answered}}
		}
	}
	tests := []struct {
		name string
		app  *annex.Application
		act  annex.CaseAction
		u    *annex.User
		want annex.ApplicationStatus
		code string
	}{
		{"exporter submits", app(annex.StatusDraft), annex.CaseAction{Type: annex.ActSubmit}, exporter, annex.StatusSubmitted, ""},
		{"another organisation cannot submit", app(annex.StatusDraft), annex.CaseAction{Type: annex.ActSubmit}, other, "", annex.EFORBIDDEN},
		{"an officer cannot submit", app(annex.StatusDraft), annex.CaseAction{Type: annex.ActSubmit}, officer, "", annex.EFORBIDDEN},
		{"submitting twice", app(annex.StatusSubmitted), annex.CaseAction{Type: annex.ActSubmit}, exporter, "", annex.EFORBIDDEN},
		{"officer takes the case", app(annex.StatusSubmitted), annex.CaseAction{Type: annex.ActAssign}, officer2, annex.StatusUnderReview, ""},
		{"officer cannot assign another", app(annex.StatusSubmitted), annex.CaseAction{Type: annex.ActAssign, Assignee: 4}, officer, "", annex.EFORBIDDEN},
		{"senior assigns another", app(annex.StatusSubmitted), annex.CaseAction{Type: annex.ActAssign, Assignee: 4}, senior, annex.StatusUnderReview, ""},
		{"exporter cannot assign", app(annex.StatusSubmitted), annex.CaseAction{Type: annex.ActAssign}, exporter, "", annex.EFORBIDDEN},
		{"officer asks the exporter", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActRequestInformation, Question: "Who is the end user?"}, officer, annex.StatusAwaitingExporter, ""},
		{"another officer cannot ask", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActRequestInformation, Question: "Who is the end user?"}, officer2, "", annex.EFORBIDDEN},
		{"an empty question", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActRequestInformation}, officer, "", annex.EINVALID},
		{"exporter answers", app(annex.StatusAwaitingExporter), annex.CaseAction{Type: annex.ActAnswerInformation, Answer: "A ministry"}, exporter, annex.StatusUnderReview, ""},
		{"answer when nothing is asked", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActAnswerInformation, Answer: "x"}, exporter, "", annex.EFORBIDDEN},
		{"officer asks for advice", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActRequestAdvice, Department: annex.DeptForeignAffairs}, officer, annex.StatusUnderReview, ""},
		{"advice from an unknown department", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActRequestAdvice, Department: "trade"}, officer, "", annex.EINVALID},
		{"reviewer advises", app(annex.StatusUnderReview, asked(annex.DeptForeignAffairs, false)), annex.CaseAction{Type: annex.ActGiveAdvice, Advice: &annex.Advice{Subject: "country:PK", Type: annex.AdviceApprove, Text: "no concern"}}, reviewer, annex.StatusUnderReview, ""},
		{"reviewer of another department", app(annex.StatusUnderReview, asked(annex.DeptForeignAffairs, false)), annex.CaseAction{Type: annex.ActGiveAdvice, Advice: &annex.Advice{Subject: "case", Type: annex.AdviceApprove, Text: "x"}}, defence, "", annex.EFORBIDDEN},
		{"advice on a line that does not exist", app(annex.StatusUnderReview, asked(annex.DeptForeignAffairs, false)), annex.CaseAction{Type: annex.ActGiveAdvice, Advice: &annex.Advice{Subject: "line:5", Type: annex.AdviceApprove, Text: "x"}}, reviewer, "", annex.EINVALID},
		{"decide while advice is awaited", app(annex.StatusUnderReview, asked(annex.DeptDefence, false)), annex.CaseAction{Type: annex.ActProposeDecision, Decision: approve}, officer, "", annex.ECONFLICT},
		{"approve a Category II case", app(annex.StatusUnderReview, asked(annex.DeptDefence, true)), annex.CaseAction{Type: annex.ActProposeDecision, Decision: approve}, officer, annex.StatusApproved, ""},
		{"approve a Category I case goes to countersign", app(annex.StatusUnderReview, cat1), annex.CaseAction{Type: annex.ActProposeDecision, Decision: approve}, officer, annex.StatusAwaitingCountersign, ""},
		{"a refusal goes to countersign", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActProposeDecision, Decision: refuse}, officer, annex.StatusAwaitingCountersign, ""},
		{"a refusal without criteria", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActProposeDecision, Decision: &annex.CaseDecision{Type: annex.DecisionRefuse, Reasons: "no"}}, officer, "", annex.EINVALID},
		{"another officer cannot decide", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActProposeDecision, Decision: approve}, officer2, "", annex.EFORBIDDEN},
		{"senior countersigns", app(annex.StatusAwaitingCountersign, proposed(3)), annex.CaseAction{Type: annex.ActCountersign}, senior, annex.StatusRefused, ""},
		{"an officer cannot countersign", app(annex.StatusAwaitingCountersign, proposed(3)), annex.CaseAction{Type: annex.ActCountersign}, officer2, "", annex.EFORBIDDEN},
		{"no one countersigns their own decision", app(annex.StatusAwaitingCountersign, proposed(5)), annex.CaseAction{Type: annex.ActCountersign}, senior, "", annex.EFORBIDDEN},
		{"senior sends a decision back", app(annex.StatusAwaitingCountersign, proposed(3)), annex.CaseAction{Type: annex.ActRejectCountersign, Reason: "weigh factor B"}, senior, annex.StatusUnderReview, ""},
		{"exporter appeals a refusal in time", app(annex.StatusRefused, func(a *annex.Application) { a.DecidedAt = &decided }), annex.CaseAction{Type: annex.ActAppeal, Reason: "new end-use certificate"}, exporter, annex.StatusUnderAppeal, ""},
		{"an appeal out of time", app(annex.StatusRefused, func(a *annex.Application) { a.DecidedAt = &longAgo }), annex.CaseAction{Type: annex.ActAppeal, Reason: "x"}, exporter, "", annex.EFORBIDDEN},
		{"a second appeal", app(annex.StatusRefused, func(a *annex.Application) { a.DecidedAt = &decided; a.Appealed = true }), annex.CaseAction{Type: annex.ActAppeal, Reason: "x"}, exporter, "", annex.EFORBIDDEN},
		{"senior decides an appeal", app(annex.StatusUnderAppeal), annex.CaseAction{Type: annex.ActDecideAppeal, Decision: approve}, senior, annex.StatusApproved, ""},
		{"exporter withdraws", app(annex.StatusUnderReview), annex.CaseAction{Type: annex.ActWithdraw}, exporter, annex.StatusWithdrawn, ""},
		{"no withdrawal after the decision", app(annex.StatusApproved), annex.CaseAction{Type: annex.ActWithdraw}, exporter, "", annex.EFORBIDDEN},
		{"signed out", app(annex.StatusDraft), annex.CaseAction{Type: annex.ActSubmit}, nil, "", annex.EUNAUTHORIZED},
		{"unknown action", app(annex.StatusDraft), annex.CaseAction{Type: "dance"}, exporter, "", annex.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := annex.NextStatus(tt.app, &tt.act, tt.u, now)
			if code := annex.ErrorCode(err); code != tt.code {
				t.Fatalf("ErrorCode=%q, want %q (%v)", code, tt.code, err)
			}
			if got != tt.want {
				t.Errorf("NextStatus=%q, want %q", got, tt.want)
			}
		})
	}
}

func TestWorkingDays(t *testing.T) {
	d := func(s string) time.Time { tm, _ := time.Parse(time.DateOnly, s); return tm.Add(9 * time.Hour) }
	tests := []struct {
		name       string
		start, end string
		pauses     []annex.Interval
		holidays   []string
		want       int
	}{
		{"same day", "2026-11-23", "2026-11-23", nil, nil, 0},
		{"Monday to Friday", "2026-11-23", "2026-11-27", nil, nil, 4},
		{"over a weekend", "2026-11-27", "2026-11-30", nil, nil, 1},
		{"two weeks", "2026-11-16", "2026-11-30", nil, nil, 10},
		{"a holiday", "2026-11-23", "2026-11-27", nil, []string{"2026-11-26"}, 3},
		{"paused Tuesday to Wednesday", "2026-11-23", "2026-11-27", []annex.Interval{{From: d("2026-11-24"), To: d("2026-11-25")}}, nil, 2},
		{"an open pause stops the clock", "2026-11-23", "2026-11-27", []annex.Interval{{From: d("2026-11-25")}}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := annex.WorkingDays(d(tt.start), d(tt.end), tt.pauses, tt.holidays); got != tt.want {
				t.Errorf("WorkingDays=%d, want %d", got, tt.want)
			}
		})
	}
}

func TestLicenceDraw(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	newLicence := func() *annex.Licence {
		return &annex.Licence{Number: "ANX-L-2026-000001", Status: annex.LicenceIssued, ValidFrom: now.AddDate(0, -1, 0), ValidUntil: now.AddDate(1, 0, 0),
			Lines: []annex.LicenceLine{{Quantity: 10, Value: 1000, Unit: "pieces"}, {Quantity: 2, Value: 500}}}
	}
	l := newLicence()
	if err := l.Draw(0, 4, 400, now); err != nil {
		t.Fatal(err)
	}
	if err := l.Draw(0, 7, 100, now); annex.ErrorCode(err) != annex.ECONFLICT {
		t.Errorf("over-draw of quantity: err=%v, want ECONFLICT", err)
	}
	if err := l.Draw(0, 1, 700, now); annex.ErrorCode(err) != annex.ECONFLICT {
		t.Errorf("over-draw of value: err=%v, want ECONFLICT", err)
	}
	if l.Lines[0].UsedQuantity != 4 || l.Lines[0].UsedValue != 400 {
		t.Errorf("a refused draw-down changed the balance: %+v", l.Lines[0])
	}
	if err := l.Draw(3, 1, 1, now); annex.ErrorCode(err) != annex.EINVALID {
		t.Errorf("no such line: err=%v, want EINVALID", err)
	}
	l.Draw(0, 6, 600, now)
	l.Draw(1, 2, 500, now)
	if l.Status != annex.LicenceExhausted {
		t.Errorf("Status=%s after drawing everything, want exhausted", l.Status)
	}
	expired := newLicence()
	if err := expired.Draw(0, 1, 1, now.AddDate(2, 0, 0)); annex.ErrorCode(err) != annex.ECONFLICT || expired.StatusAt(now.AddDate(2, 0, 0)) != annex.LicenceExpired {
		t.Errorf("draw on an expired licence: err=%v", err)
	}
	suspended := newLicence()
	suspended.Status = annex.LicenceSuspended
	if err := suspended.Draw(0, 1, 1, now); annex.ErrorCode(err) != annex.ECONFLICT {
		t.Errorf("draw on a suspended licence: err=%v", err)
	}
}

func TestNextLicenceStatus(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	l := &annex.Licence{Number: "N", Status: annex.LicenceIssued, ValidUntil: now.AddDate(1, 0, 0)}
	officer := &annex.User{Role: annex.RoleLicensingOfficer}
	senior := &annex.User{Role: annex.RoleSeniorOfficer}
	if st, err := annex.NextLicenceStatus(l, &annex.LicenceAction{Type: annex.LicenceSuspend, Reason: "end user under review"}, officer, now); err != nil || st != annex.LicenceSuspended {
		t.Errorf("suspend: %s %v", st, err)
	}
	if _, err := annex.NextLicenceStatus(l, &annex.LicenceAction{Type: annex.LicenceRevoke, Reason: "diversion"}, officer, now); annex.ErrorCode(err) != annex.EFORBIDDEN {
		t.Errorf("officer revokes: err=%v, want EFORBIDDEN", err)
	}
	if st, err := annex.NextLicenceStatus(l, &annex.LicenceAction{Type: annex.LicenceRevoke, Reason: "diversion"}, senior, now); err != nil || st != annex.LicenceRevoked {
		t.Errorf("senior revokes: %s %v", st, err)
	}
	if _, err := annex.NextLicenceStatus(l, &annex.LicenceAction{Type: annex.LicenceReinstate, Reason: "x"}, officer, now); annex.ErrorCode(err) != annex.ECONFLICT {
		t.Errorf("reinstate an issued licence: err=%v", err)
	}
	if _, err := annex.NextLicenceStatus(l, &annex.LicenceAction{Type: annex.LicenceSuspend}, officer, now); annex.ErrorCode(err) != annex.EINVALID {
		t.Errorf("no reason: err=%v", err)
	}
}

func TestValidateDocument(t *testing.T) {
	ok := &annex.Document{Kind: annex.DocEndUserCertificate, FileName: "euc.pdf", Size: 1000}
	if err := annex.ValidateDocument(ok, "application/pdf"); err != nil || ok.ContentType != "application/pdf" {
		t.Errorf("err=%v", err)
	}
	big := &annex.Document{Kind: annex.DocOther, FileName: "x.pdf", Size: annex.MaxDocumentSize + 1}
	if f := annex.ErrorFields(annex.ValidateDocument(big, "application/pdf")); len(f) != 1 || f[0].Field != "file" {
		t.Errorf("too big: %v", f)
	}
	exe := &annex.Document{Kind: annex.DocOther, FileName: "euc.pdf", Size: 10}
	if f := annex.ErrorFields(annex.ValidateDocument(exe, "application/octet-stream")); len(f) != 1 {
		t.Errorf("wrong type: %v", f)
	}
}

// TestNextStatusConsultation: an approval waits for every no-undercut
// consultation to be answered or to lapse; a refusal does not.
func TestNextStatusConsultation(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	officer := &annex.User{ID: 7, Role: annex.RoleLicensingOfficer}
	senior := &annex.User{ID: 8, Role: annex.RoleSeniorOfficer}
	open := annex.Consultation{ID: 1, DenialID: "GB-ANX-1-1", Partner: "GB", Status: annex.ConsultationOpen,
		RequestedAt: now.AddDate(0, 0, -1), DueAt: now.AddDate(0, 0, 29)}
	approve := &annex.CaseDecision{Type: annex.DecisionApprove, Reasons: "fine", ValidMonths: 12}
	refuse := &annex.CaseDecision{Type: annex.DecisionRefuse, Reasons: "no", Criteria: []string{"factor-A"}}
	app := func(cs ...annex.Consultation) *annex.Application {
		return &annex.Application{ID: 1, Status: annex.StatusUnderReview, AssignedTo: officer.ID, Consultations: cs,
			Assessment: &annex.Assessment{Category: annex.CategoryII}}
	}
	answered := open
	answered.Status, answered.Answer = annex.ConsultationAnswered, "no objection"
	for _, tt := range []struct {
		name    string
		app     *annex.Application
		act     *annex.CaseAction
		user    *annex.User
		now     time.Time
		wantErr string
	}{
		{"approve while open", app(open), &annex.CaseAction{Type: annex.ActProposeDecision, Decision: approve}, officer, now, annex.ECONFLICT},
		{"refuse while open", app(open), &annex.CaseAction{Type: annex.ActProposeDecision, Decision: refuse}, officer, now, ""},
		{"approve once answered", app(answered), &annex.CaseAction{Type: annex.ActProposeDecision, Decision: approve}, officer, now, ""},
		{"approve once lapsed", app(open), &annex.CaseAction{Type: annex.ActProposeDecision, Decision: approve}, officer, open.DueAt, ""},
		{"countersign an approval while open", func() *annex.Application {
			a := app(open)
			a.Status, a.Proposed = annex.StatusAwaitingCountersign, &annex.CaseDecision{Type: annex.DecisionApprove, DecidedBy: officer.ID}
			return a
		}(), &annex.CaseAction{Type: annex.ActCountersign}, senior, now, annex.ECONFLICT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := annex.NextStatus(tt.app, tt.act, tt.user, tt.now)
			if got := annex.ErrorCode(err); got != tt.wantErr {
				t.Fatalf("err=%v, want code %q", err, tt.wantErr)
			}
			if tt.wantErr != "" && !strings.Contains(annex.ErrorMessage(err), "GB-ANX-1-1") {
				t.Errorf("the error does not name the denial: %v", err)
			}
		})
	}
}

// TestRedactForExporterDenials: an exporter sees that a partner is
// consulted, not the partner's denial: the consultations go, the
// no-undercut reason and the factor findings naming the denial read a
// notice; other reasons and findings stay; the stored assessment is not
// changed.
func TestRedactForExporterDenials(t *testing.T) {
	a := &annex.Assessment{
		Reasons: []annex.Reason{{Rule: "mtcr-cat2-conditions-met", Detail: "fine"},
			{Rule: annex.RuleNoUndercut, Detail: "essentially identical to denial GB-ANX-1-1 notified by GB", Ref: "GB-ANX-1-1"}},
		Factors: []annex.Factor{{ID: "D", Findings: []string{"Stated end use: research", "GB refused 2.A.1.c (denial GB-ANX-1-1)"}}},
	}
	app := &annex.Application{Assessment: a, Consultations: []annex.Consultation{{DenialID: "GB-ANX-1-1", Partner: "GB"}}}
	stored := *a
	app.RedactForExporter()
	if app.Consultations != nil {
		t.Errorf("consultations kept: %+v", app.Consultations)
	}
	got := app.Assessment
	if got.Reasons[0].Detail != "fine" || strings.Contains(got.Reasons[1].Detail, "GB") {
		t.Errorf("reasons: %+v", got.Reasons)
	}
	f := got.Factors[0].Findings
	if len(f) != 2 || f[0] != "Stated end use: research" || strings.Contains(f[1], "GB-ANX") {
		t.Errorf("findings: %q", f)
	}
	if stored.Reasons[1].Detail == got.Reasons[1].Detail || stored.Factors[0].Findings[1] == f[1] {
		t.Error("the redaction changed the stored assessment's slices")
	}
}
