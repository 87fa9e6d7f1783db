package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// actOn makes the application mock take actions on app as the store does:
// NextStatus decides, a stale version is ECONFLICT, and the taken actions
// are recorded.
func (s *Server) actOn(app *annex.Application) *[]annex.CaseAction {
	var taken []annex.CaseAction
	s.ApplicationService.ActFn = func(ctx context.Context, id int64, act *annex.CaseAction) (*annex.Application, error) {
		if act.Version != app.Version {
			return nil, annex.Errorf(annex.ECONFLICT, "application %d is at version %d, not %d", id, app.Version, act.Version)
		}
		st, err := annex.NextStatus(app, act, annex.UserFromContext(ctx), fixedClock)
		if err != nil {
			return nil, err
		}
		taken = append(taken, *act)
		c := *app
		c.Status, c.Version = st, c.Version+1
		return &c, nil
	}
	return &taken
}

func TestApplicationPage(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()

	t.Run("Consultations", func(t *testing.T) {
		app := assigned()
		app.Consultations = []annex.Consultation{
			{ID: 1, DenialID: "GB-ANX-2026-000001-1", Partner: "GB", Status: annex.ConsultationOpen,
				RequestedAt: fixedClock.AddDate(0, 0, -1), DueAt: fixedClock.AddDate(0, 0, 29)},
			{ID: 2, DenialID: "DE-ANX-2025-000009-2", Partner: "DE", Status: annex.ConsultationOpen,
				RequestedAt: fixedClock.AddDate(0, 0, -40), DueAt: fixedClock.AddDate(0, 0, -10)},
			{ID: 3, DenialID: "FR-ANX-2026-000004-1", Partner: "FR", Status: annex.ConsultationAnswered, Answer: "We maintain our objection.", Objects: true,
				RequestedAt: fixedClock.AddDate(0, 0, -5), DueAt: fixedClock.AddDate(0, 0, 25), AnsweredAt: fixedClock},
		}
		s.withApp(app)
		resp := s.Do(t, "GET", "/cases/42", "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<h2 id="consultations-heading">Partners consulted</h2>`,
			`<tr class="consultation" data-status="open"><th scope="row">GB</th><td><a href="/denials/GB-ANX-2026-000001-1">`,
			`<tr class="consultation" data-status="lapsed"><th scope="row">DE</th>`,
			`<tr class="consultation" data-status="answered"><th scope="row">FR</th>`, `We maintain our objection. <strong>(objection maintained)</strong>`)
	})
	t.Run("Draft", func(t *testing.T) {
		s.withApp(motorApp(annex.StatusDraft))
		resp := s.Do(t, "GET", "/applications/42", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="edit-application"`, `id="form-submit"`, `id="form-withdraw"`, `id="upload-form"`,
			`<td>SRM-7 motor</td><td>solid_rocket_motor</td><td><code>total_impulse_ns=2e6</code>`)
		if strings.Contains(resp.Body, `id="assessment"`) {
			t.Fatalf("a draft shows an assessment")
		}
	})
	t.Run("Submit", func(t *testing.T) {
		app := motorApp(annex.StatusDraft)
		s.withApp(app)
		taken := s.actOn(app)
		resp := s.Do(t, "POST", "/applications/42/actions", url.Values{"type": {"submit"}, "version": {"1"}}.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if len(*taken) != 1 || (*taken)[0].Type != annex.ActSubmit {
			t.Fatalf("taken=%+v", *taken)
		}
	})
	t.Run("Submitted", func(t *testing.T) {
		app := motorApp(annex.StatusUnderReview)
		app.AssignedTo = officer.ID
		app.Advice = []annex.Advice{{ID: 1, Department: annex.DeptDefence, Subject: "case", Type: annex.AdviceRefuse, Text: "Secret advice", Username: "reviewer1"}}
		s.withApp(app)
		resp := s.Do(t, "GET", "/applications/42", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `data-recommendation="refer"`, `data-presumption="deny"`, `data-licence-required="true"`,
			`<li class="finding" data-rule="mtcr-cat1-g2g">`, `<li class="factor factor-found" data-factor="B">`,
			`<span id="working-days">3 working days</span>`, `id="form-withdraw"`)
		for _, secret := range []string{"Secret advice", `id="form-submit"`, `id="upload-form"`} {
			if strings.Contains(resp.Body, secret) {
				t.Errorf("page shows %s", secret)
			}
		}
	})
	t.Run("Answer", func(t *testing.T) {
		app := motorApp(annex.StatusAwaitingExporter)
		app.Requests = []annex.InformationRequest{{ID: 3, Question: "Who operates the test stand?", AskedBy: 3, AskedAt: fixedClock}}
		s.withApp(app)
		taken := s.actOn(app)
		resp := s.Do(t, "GET", "/applications/42", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="open-question"><strong>The authority asks:</strong> Who operates the test stand?`, `id="upload-form"`,
			`, the clock stopped until you answer.`)

		resp = s.Do(t, "POST", "/applications/42/actions", url.Values{"type": {"answer_information"}, "version": {"2"}, "answer": {" "}}.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="answer_information-answer-error">required</p>`)

		resp = s.Do(t, "POST", "/applications/42/actions", url.Values{"type": {"answer_information"}, "version": {"1"}, "answer": {"The DLR institute"}}.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusConflict)
		mustContain(t, resp.Body, `id="stale">This application was changed since you opened it; here it is as it now stands.`,
			`>The DLR institute</textarea>`, `<input type="hidden" name="version" value="2">`)

		resp = s.Do(t, "POST", "/applications/42/actions", url.Values{"type": {"answer_information"}, "version": {"2"}, "answer": {"The DLR institute"}}.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if len(*taken) != 1 || (*taken)[0].Answer != "The DLR institute" {
			t.Fatalf("taken=%+v", *taken)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		for _, tt := range []struct {
			days   int
			appeal bool
		}{{10, true}, {29, false}} {
			app := motorApp(annex.StatusRefused)
			decided := fixedClock.AddDate(0, 0, -tt.days)
			app.DecidedAt = &decided
			app.Decision = &annex.CaseDecision{Type: annex.DecisionRefuse, Criteria: []string{"mtcr-cat1-g2g"}, Reasons: "No exception.",
				Letter: "Export Control Authority\n\nThe application is refused.", DecidedBy: 3, DecidedAt: decided}
			s.withApp(app)
			resp := s.Do(t, "GET", "/applications/42", "", cookie("exporter")...)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, resp.Body, `<pre class="letter" id="decision-letter">Export Control Authority`, `Grounds: mtcr-cat1-g2g.`)
			if got := strings.Contains(resp.Body, `id="form-appeal"`); got != tt.appeal {
				t.Errorf("%d days after: appeal form %v, want %v", tt.days, got, tt.appeal)
			}
		}
	})
	t.Run("Licence", func(t *testing.T) {
		app := motorApp(annex.StatusApproved)
		app.Licence = "ANX-L-2026-000009"
		s.withApp(app)
		resp := s.Do(t, "GET", "/applications/42", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="licence-link">Licence <a href="/licences/ANX-L-2026-000009">`, `id="nothing-to-do"`)
	})
	t.Run("Upload", func(t *testing.T) {
		s.withApp(motorApp(annex.StatusDraft))
		s.ApplicationService.AddDocumentFn = func(_ context.Context, _ int64, doc *annex.Document, _ []byte) error {
			doc.ID = 8
			return nil
		}
		body, ct := multipartBody(t, "euc.pdf", "kind", "end_user_certificate", "file", string(pdf))
		resp := s.Do(t, "POST", "/applications/42/documents", body, "Cookie", "annex_session=exporter-token", "Content-Type", ct)
		mustStatus(t, resp, http.StatusSeeOther)
		body, ct = multipartBody(t, "euc.txt", "kind", "other", "file", "plain words")
		resp = s.Do(t, "POST", "/applications/42/documents", body, "Cookie", "annex_session=exporter-token", "Content-Type", ct)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="upload-file-error">must be a PDF, PNG or JPEG file, not text/plain</p>`,
			`<option value="other" selected>Other</option>`)
	})
	t.Run("OtherOrganisation", func(t *testing.T) {
		s.withApp(motorApp(annex.StatusUnderReview))
		mustStatus(t, s.Do(t, "GET", "/applications/42", "", cookie("rival")...), http.StatusNotFound)
		mustStatus(t, s.Do(t, "POST", "/applications/42/actions", "type=withdraw&version=2", cookie("rival")...), http.StatusNotFound)
	})
}

func TestCasesPage(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	var got annex.ApplicationFilter
	s.ApplicationService.FindApplicationsFn = func(_ context.Context, f annex.ApplicationFilter) ([]*annex.Application, int, error) {
		got = f
		other := motorApp(annex.StatusSubmitted)
		other.ID, other.Reference, other.OrgID, other.Destination = 43, "ANX-2026-000043", 6, "PK"
		other.Assessment = &annex.Assessment{Recommendation: annex.RecommendDeny, Category: annex.CategoryII}
		return []*annex.Application{motorApp(annex.StatusSubmitted), other}, 120, nil
	}
	defence := annex.DeptDefence
	tests := []struct {
		user, query string
		want        annex.ApplicationFilter
		tabs        []string
	}{
		{"officer", "", annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusSubmitted}, Limit: 50, Summary: true},
			[]string{"unassigned", "mine", "all"}},
		{"officer", "?queue=mine&offset=50", annex.ApplicationFilter{AssignedTo: &officer.ID, Status: []annex.ApplicationStatus{annex.StatusUnderReview,
			annex.StatusAwaitingExporter, annex.StatusAwaitingCountersign, annex.StatusUnderAppeal}, Offset: 50, Limit: 50, Summary: true}, nil},
		{"senior", "", annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusAwaitingCountersign}, Limit: 50, Summary: true},
			[]string{"unassigned", "mine", "countersign", "appeals", "all"}},
		{"reviewer", "", annex.ApplicationFilter{Department: &defence, Limit: 50, Summary: true}, []string{"advice", "all"}},
		{"analyst", "", annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusSubmitted, annex.StatusUnderReview,
			annex.StatusAwaitingExporter, annex.StatusAwaitingCountersign, annex.StatusApproved, annex.StatusRefused,
			annex.StatusNoLicenceRequired, annex.StatusWithdrawn, annex.StatusUnderAppeal}, Limit: 50, Summary: true}, []string{"all"}},
	}
	for _, tt := range tests {
		t.Run(tt.user+tt.query, func(t *testing.T) {
			resp := s.Do(t, "GET", "/cases"+tt.query, "", cookie(tt.user)...)
			mustStatus(t, resp, http.StatusOK)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("filter mismatch (-want +got):\n%s", diff)
			}
			mustContain(t, resp.Body, `<tr class="case" id="case-42" data-status="submitted">`, `<a href="/cases/42">ANX-2026-000042</a>`,
				`<td>Nordrocket GmbH</td>`, `<td>Rival Exports Ltd</td>`, `<span class="rec rec-refer">Refer</span>`,
				`<span class="rec rec-deny">Deny</span>`, `<span class="cat cat-1">Category I</span>`, `<td class="working-days">3</td>`,
				`rel="next"`)
			for _, tab := range tt.tabs {
				mustContain(t, resp.Body, `id="tab-`+tab+`"`)
			}
		})
	}
	t.Run("NoSuchQueue", func(t *testing.T) {
		mustStatus(t, s.Do(t, "GET", "/cases?queue=countersign", "", cookie("officer")...), http.StatusNotFound)
		mustStatus(t, s.Do(t, "GET", "/cases?queue=lost", "", cookie("senior")...), http.StatusNotFound)
	})
}

// assigned returns motorApp under review by the officer.
func assigned() *annex.Application {
	app := motorApp(annex.StatusUnderReview)
	app.AssignedTo = officer.ID
	app.Version = 4
	app.Requests = []annex.InformationRequest{{ID: 3, Question: "Who operates the test stand?", AskedBy: officer.ID, AskedAt: fixedClock,
		Answer: "The DLR institute", AnsweredBy: 21, AnsweredAt: &fixedClock}}
	return app
}

func TestCasePage(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()

	t.Run("Unassigned", func(t *testing.T) {
		s.withApp(motorApp(annex.StatusSubmitted))
		resp := s.Do(t, "GET", "/cases/42", "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="form-assign"`, `id="case-exporter">Nordrocket GmbH</dd>`, `id="case-officer">nobody yet</dd>`,
			`data-recommendation="refer"`, `<h3>Parties screened</h3>`, `href="/screen?country=DE&amp;name=Hans&#43;Muller&#43;Raumfahrt&#43;GmbH"`)
		for _, f := range []string{`id="form-decide"`, `id="form-request_information"`} {
			if strings.Contains(resp.Body, f) {
				t.Errorf("page has %s before the case is taken", f)
			}
		}
	})
	t.Run("Assigned", func(t *testing.T) {
		s.withApp(assigned())
		resp := s.Do(t, "GET", "/cases/42", "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="form-request_information"`, `id="form-request_advice"`, `id="form-decide"`, `id="form-reassess"`,
			`id="decide-criteria-mtcr-cat1-g2g" name="decision.criteria" value="mtcr-cat1-g2g"`,
			`<label for="decide-criteria-factor-F">Factor F: The risk of controlled items`,
			`This is a Category I case: a senior officer countersigns`,
			`id="case-officer">Licensing Officer</dd>`, `<p class="answer"><strong>Answer</strong>`)
		if strings.Contains(resp.Body, `id="form-assign"`) {
			t.Errorf("the officer in charge is offered to take the case")
		}
		// Another officer may take it over, but not decide.
		resp = s.Do(t, "GET", "/cases/42", "", cookie("officer2")...)
		mustContain(t, resp.Body, `id="form-assign"`)
		if strings.Contains(resp.Body, `id="form-decide"`) {
			t.Errorf("an officer not in charge is offered to decide")
		}
	})
	t.Run("AdviceAwaited", func(t *testing.T) {
		app := assigned()
		app.AdviceRequests = []annex.AdviceRequest{{ID: 1, Department: annex.DeptDefence, Note: "Known?", RequestedBy: officer.ID, RequestedAt: fixedClock}}
		s.withApp(app)
		resp := s.Do(t, "GET", "/cases/42", "", cookie("officer")...)
		mustContain(t, resp.Body, `id="decide-note">You can decide once the advice is in: advice from defence is still awaited.</p>`,
			`<li class="advice-request" id="advice-request-1">Defence, asked by Licensing Officer`)
		if strings.Contains(resp.Body, `id="form-decide"`) {
			t.Errorf("decide offered while advice is awaited")
		}
		resp = s.Do(t, "GET", "/cases/42", "", cookie("reviewer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="form-give_advice"`, `<option value="line:0">Line 1: SRM-7 motor</option>`,
			`<option value="party:0">Party 1: Hans Muller Raumfahrt GmbH (end user)</option>`, `<option value="country:DE">Country DE</option>`,
			`id="give_advice-type-proviso" name="advice.type" value="proviso"`)
	})
	t.Run("Countersign", func(t *testing.T) {
		app := assigned()
		app.Status = annex.StatusAwaitingCountersign
		app.Proposed = &annex.CaseDecision{Type: annex.DecisionApprove, Reasons: "The undertaking covers it.", ValidMonths: 12,
			Letter: "Export Control Authority\nThe application is approved.", DecidedBy: officer.ID, DecidedAt: fixedClock}
		s.withApp(app)
		resp := s.Do(t, "GET", "/cases/42", "", cookie("senior")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<h3>The decision proposed by Licensing Officer</h3>`, `id="form-countersign"`, `id="form-reject_countersign"`,
			`id="proposed-letter">Export Control Authority`)
		resp = s.Do(t, "GET", "/cases/42", "", cookie("officer")...)
		if strings.Contains(resp.Body, `id="form-countersign"`) {
			t.Errorf("the proposing officer is offered to countersign")
		}
	})
	t.Run("Consultations", func(t *testing.T) {
		app := assigned()
		app.Consultations = []annex.Consultation{
			{ID: 1, DenialID: "GB-ANX-2026-000001-1", Partner: "GB", Status: annex.ConsultationOpen,
				RequestedAt: fixedClock.AddDate(0, 0, -1), DueAt: fixedClock.AddDate(0, 0, 29)},
			{ID: 2, DenialID: "DE-ANX-2025-000009-2", Partner: "DE", Status: annex.ConsultationOpen,
				RequestedAt: fixedClock.AddDate(0, 0, -40), DueAt: fixedClock.AddDate(0, 0, -10)},
			{ID: 3, DenialID: "FR-ANX-2026-000004-1", Partner: "FR", Status: annex.ConsultationAnswered, Answer: "We maintain our objection.", Objects: true,
				RequestedAt: fixedClock.AddDate(0, 0, -5), DueAt: fixedClock.AddDate(0, 0, 25), AnsweredAt: fixedClock},
		}
		s.withApp(app)
		resp := s.Do(t, "GET", "/cases/42", "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<h2 id="consultations-heading">Partners consulted</h2>`,
			`<tr class="consultation" data-status="open"><th scope="row">GB</th><td><a href="/denials/GB-ANX-2026-000001-1">`,
			`<tr class="consultation" data-status="lapsed"><th scope="row">DE</th>`,
			`<tr class="consultation" data-status="answered"><th scope="row">FR</th>`, `We maintain our objection. <strong>(objection maintained)</strong>`)
	})
	t.Run("Draft", func(t *testing.T) {
		s.withApp(motorApp(annex.StatusDraft))
		mustStatus(t, s.Do(t, "GET", "/cases/42", "", cookie("officer")...), http.StatusNotFound)
	})
}

func TestCaseActionForm(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	app := assigned()
	s.withApp(app)
	taken := s.actOn(app)
	post := func(v url.Values) response {
		return s.Do(t, "POST", "/cases/42/actions", v.Encode(), cookie("officer")...)
	}
	t.Run("Ask", func(t *testing.T) {
		resp := post(url.Values{"type": {"request_information"}, "version": {"4"}, "question": {"Who pays for the motors?"}})
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/cases/42" {
			t.Fatalf("Location=%q", loc)
		}
		if got := (*taken)[len(*taken)-1]; got.Question != "Who pays for the motors?" {
			t.Fatalf("taken=%+v", got)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		resp := post(url.Values{"type": {"decide"}, "version": {"4"}, "decision.type": {"refuse"}, "decision.reasons": {"No exception is warranted."},
			"decision.valid_months": {"12"}})
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="decide-criteria-error">a refusal must cite at least one criterion</p>`,
			`>No exception is warranted.</textarea>`, `<option value="refuse" selected>Refuse</option>`)
	})
	t.Run("Stale", func(t *testing.T) {
		resp := post(url.Values{"type": {"decide"}, "version": {"3"}, "decision.type": {"refuse"}, "decision.criteria": {"mtcr-cat1-g2g", "factor-C"},
			"decision.reasons": {"No exception is warranted."}, "decision.valid_months": {"12"}})
		mustStatus(t, resp, http.StatusConflict)
		mustContain(t, resp.Body, `id="stale">This case was changed by someone else since you opened it; here it is as it now stands.`,
			`id="decide-criteria-mtcr-cat1-g2g" name="decision.criteria" value="mtcr-cat1-g2g" checked>`,
			`id="decide-criteria-factor-C" name="decision.criteria" value="factor-C" checked>`,
			`>No exception is warranted.</textarea>`, `<input type="hidden" name="type" value="decide"><input type="hidden" name="version" value="4">`)
	})
	t.Run("Decide", func(t *testing.T) {
		resp := post(url.Values{"type": {"decide"}, "version": {"4"}, "decision.type": {"approve_with_provisos"}, "decision.provisos": {"No re-export\n\nReport each launch\n"},
			"decision.reasons": {"The undertaking covers it."}, "decision.valid_months": {"24"}})
		mustStatus(t, resp, http.StatusSeeOther)
		d := (*taken)[len(*taken)-1].Decision
		want := &annex.CaseDecision{Type: annex.DecisionApproveProvisos, Provisos: []string{"No re-export", "Report each launch"},
			Reasons: "The undertaking covers it.", ValidMonths: 24}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Fatalf("decision mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("Forbidden", func(t *testing.T) {
		resp := post(url.Values{"type": {"countersign"}, "version": {"4"}})
		mustStatus(t, resp, http.StatusForbidden)
		mustContain(t, resp.Body, `<p class="error" role="alert" id="action-error">you cannot countersign: only a senior officer countersigns</p>`)
	})
	t.Run("Advice", func(t *testing.T) {
		a := assigned()
		a.AdviceRequests = []annex.AdviceRequest{{ID: 1, Department: annex.DeptDefence, RequestedBy: officer.ID, RequestedAt: fixedClock}}
		s.withApp(a)
		taken := s.actOn(a)
		resp := s.Do(t, "POST", "/cases/42/actions", url.Values{"type": {"give_advice"}, "version": {"4"}, "advice.subject": {"party:0"},
			"advice.type": {"proviso"}, "advice.text": {"Known institute."}, "advice.proviso": {" "}}.Encode(), cookie("reviewer")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="give_advice-proviso-error">state the proviso</p>`,
			`<option value="party:0" selected>`, `id="give_advice-type-proviso" name="advice.type" value="proviso" checked>`)
		resp = s.Do(t, "POST", "/cases/42/actions", url.Values{"type": {"give_advice"}, "version": {"4"}, "advice.subject": {"party:0"},
			"advice.type": {"approve"}, "advice.text": {"Known institute."}}.Encode(), cookie("reviewer")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if got := (*taken)[0].Advice; got.Subject != "party:0" || got.Type != annex.AdviceApprove || got.Text != "Known institute." {
			t.Fatalf("advice=%+v", got)
		}
	})
}

// TestGoldenCasePages renders the case-work pages from fixed mock data and
// compares them with testdata/<name>.golden.
func TestGoldenCasePages(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	s.withLicence(t)
	app := assigned()
	app.AdviceRequests = []annex.AdviceRequest{{ID: 1, Department: annex.DeptDefence, Note: "Is the end user known to you?", RequestedBy: officer.ID, RequestedAt: fixedClock, Answered: true}}
	app.Advice = []annex.Advice{{ID: 2, Department: annex.DeptDefence, Subject: "party:0", Type: annex.AdviceApprove, Text: "A known civil research institute.",
		UserID: 7, Username: "reviewer1", CreatedAt: fixedClock.Add(time.Hour)}}
	app.Documents = []annex.Document{{ID: 8, ApplicationID: 42, Kind: annex.DocEndUserCertificate, FileName: "euc.pdf", ContentType: "application/pdf",
		Size: 48213, UploadedBy: 21, UploadedAt: fixedClock}}
	s.withApp(app)
	s.ApplicationService.FindApplicationsFn = func(context.Context, annex.ApplicationFilter) ([]*annex.Application, int, error) {
		return []*annex.Application{app}, 1, nil
	}
	s.UserService.FindUsersFn = func(context.Context, annex.UserFilter) ([]*annex.User, int, error) {
		return []*annex.User{caseUsers["exporter"], caseUsers["reviewer"]}, 2, nil
	}
	invalid := motorForm()
	invalid.Set("destination", "Germany")
	invalid.Set("items[0].params", "x=1")
	tests := []struct {
		name, user, method, path, body string
	}{
		{"application_form_errors", "exporter", "POST", "/applications", invalid.Encode()},
		{"application_exporter", "exporter", "GET", "/applications/42", ""},
		{"cases", "officer", "GET", "/cases?queue=mine", ""},
		{"case_officer", "officer", "GET", "/cases/42", ""},
		{"licence_customs", "customs", "GET", "/licences/ANX-L-2026-000009", ""},
		{"users", "admin", "GET", "/admin/users", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, tt.method, tt.path, tt.body, cookie(tt.user)...)
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("Status=%v; body:\n%s", resp.StatusCode, resp.Body)
			}
			mustGolden(t, tt.name, resp.Body)
		})
	}
}

// TestCaseSteps posts each form of the case and application pages as a
// browser would, and checks that the store receives the action the form
// stands for.
func TestCaseSteps(t *testing.T) {
	refused := motorApp(annex.StatusRefused)
	decided := fixedClock.AddDate(0, 0, -3)
	refused.DecidedAt = &decided
	appeal := motorApp(annex.StatusUnderAppeal)
	countersign := assigned()
	countersign.Status = annex.StatusAwaitingCountersign
	countersign.Proposed = &annex.CaseDecision{Type: annex.DecisionRefuse, Criteria: []string{"factor-C"}, Reasons: "No.", DecidedBy: officer.ID, DecidedAt: fixedClock}
	tests := []struct {
		name string
		app  *annex.Application
		user string
		path string
		form url.Values
		want annex.CaseAction
	}{
		{"assign", motorApp(annex.StatusSubmitted), "officer", "/cases/42/actions", url.Values{"type": {"assign"}, "version": {"2"}},
			annex.CaseAction{Type: annex.ActAssign, Version: 2}},
		{"request_advice", assigned(), "officer", "/cases/42/actions",
			url.Values{"type": {"request_advice"}, "version": {"4"}, "department": {"foreign_affairs"}, "note": {"Any concern?"}},
			annex.CaseAction{Type: annex.ActRequestAdvice, Version: 4, Department: annex.DeptForeignAffairs, Note: "Any concern?"}},
		{"reassess", assigned(), "officer", "/cases/42/actions", url.Values{"type": {"reassess"}, "version": {"4"}},
			annex.CaseAction{Type: annex.ActReassess, Version: 4}},
		{"reject_countersign", countersign, "senior", "/cases/42/actions",
			url.Values{"type": {"reject_countersign"}, "version": {"4"}, "reason": {"Cite the rule."}},
			annex.CaseAction{Type: annex.ActRejectCountersign, Version: 4, Reason: "Cite the rule."}},
		{"decide_appeal", appeal, "senior", "/cases/42/actions",
			url.Values{"type": {"decide_appeal"}, "version": {"2"}, "decision.type": {"approve"}, "decision.reasons": {"Upheld."}, "decision.valid_months": {"6"}},
			annex.CaseAction{Type: annex.ActDecideAppeal, Version: 2, Decision: &annex.CaseDecision{Type: annex.DecisionApprove, Reasons: "Upheld.", ValidMonths: 6}}},
		{"appeal", refused, "exporter", "/applications/42/actions", url.Values{"type": {"appeal"}, "version": {"2"}, "reason": {"New undertaking."}},
			annex.CaseAction{Type: annex.ActAppeal, Version: 2, Reason: "New undertaking."}},
		{"withdraw", motorApp(annex.StatusSubmitted), "exporter", "/applications/42/actions", url.Values{"type": {"withdraw"}, "version": {"2"}},
			annex.CaseAction{Type: annex.ActWithdraw, Version: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			s.withCaseWork()
			s.withApp(tt.app)
			taken := s.actOn(tt.app)
			page := strings.TrimSuffix(tt.path, "/actions")
			resp := s.Do(t, "GET", page, "", cookie(tt.user)...)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, resp.Body, `id="form-`+tt.name+`"`)
			resp = s.Do(t, "POST", tt.path, tt.form.Encode(), cookie(tt.user)...)
			mustStatus(t, resp, http.StatusSeeOther)
			if len(*taken) != 1 {
				t.Fatalf("%d actions taken", len(*taken))
			}
			if diff := cmp.Diff(tt.want, (*taken)[0]); diff != "" {
				t.Fatalf("action mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("AdviceAwaited", func(t *testing.T) {
		// A conflict that is not a stale version shows its reason, not the
		// notice of a change by someone else.
		s := MustOpenServer(t)
		s.withCaseWork()
		app := assigned()
		app.AdviceRequests = []annex.AdviceRequest{{ID: 1, Department: annex.DeptDefence, RequestedBy: officer.ID, RequestedAt: fixedClock}}
		s.withApp(app)
		s.actOn(app)
		resp := s.Do(t, "POST", "/cases/42/actions", url.Values{"type": {"decide"}, "version": {"4"}, "decision.type": {"approve"},
			"decision.reasons": {"Fine."}, "decision.valid_months": {"12"}}.Encode(), cookie("officer")...)
		mustStatus(t, resp, http.StatusConflict)
		mustContain(t, resp.Body, `id="action-error">advice from defence is still awaited</p>`)
		if strings.Contains(resp.Body, `id="stale"`) {
			t.Fatalf("a conflict of state reads as a change by someone else")
		}
	})
}
