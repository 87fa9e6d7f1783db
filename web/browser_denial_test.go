package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"annex"
	"annex/sqlstore"
)

// TestBrowserDenials is the acceptance test of denial notifications, in a
// real browser over the real store (SQLite in a temporary directory) of
// this government, GB:
//
//  1. a case refused and countersigned (through the API) becomes GB's own
//     denial; Germany's feed brings a denial of its own and a consultation
//     of GB on GB's denial (received as the exchange receives them);
//  2. the licensing officer signs in, opens the denials from the
//     navigation and sees the denial sent, switches to those received,
//     opens Germany's and sees where it came from;
//  3. answers Germany's consultation, maintaining the objection, and sees
//     it answered;
//  4. amends GB's denial and sees its version go up.
func TestBrowserDenials(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	st := mustOpenStack(t)
	st.Apps.Government = "GB"
	denials := sqlstore.NewDenialService(st.DB, "GB")
	// The stack's services, with the denials, on loopback for the browser.
	real := st.Server.Server
	srv := MustOpenServer(t, func(s *Server) {
		s.Addr = "127.0.0.1:0"
		s.Server.ControlListService = real.ControlListService
		s.Server.UserService = real.UserService
		s.Server.SessionService = real.SessionService
		s.Server.AuditService = real.AuditService
		s.Server.AssessService = real.AssessService
		s.Server.ApplicationService = real.ApplicationService
		s.Server.LicenceService = real.LicenceService
		s.Server.OrganisationService = real.OrganisationService
		s.Server.DenialService = denials
		s.Server.Now = time.Now
	})

	// 1. GB refuses a case; Germany's feed arrives.
	org := st.mustOrg(t, "Nordrocket GmbH", annex.OrgExporter)
	_, exporter := st.mustUser(t, &annex.User{Username: "nord1", Name: "Nord", Role: annex.RoleExporterUser, OrgID: org.ID})
	officer, off := st.mustUser(t, &annex.User{Username: "officer1", Name: "Licensing Officer", Role: annex.RoleLicensingOfficer})
	_, senior := st.mustUser(t, &annex.User{Username: "senior1", Name: "Senior Officer", Role: annex.RoleSeniorOfficer})
	spec := `{"destination": "IN", "end_use": "Satellite attitude control research",
		"assurances": {"end_use_statement": true, "no_wmd_use": true, "no_retransfer": true},
		"parties": [{"role": "end_user", "name": "Vikram Sarabhai Space Centre", "country": "IN"}],
		"items": [{"name": "FOG gyro", "kind": "gyroscope", "params": {"drift_rate_deg_per_h": 0.2}, "quantity": 10, "unit": "pieces", "value": 50000}]}`
	var app annex.Application
	apiJSON(t, srv, http.StatusCreated, "POST", "/api/v1/applications", spec, exporter, &app)
	act := func(h []string, a string) {
		t.Helper()
		apiJSON(t, srv, http.StatusOK, "POST", fmt.Sprintf("/api/v1/applications/%d/actions", app.ID),
			fmt.Sprintf(`{"version": %d, %s}`, app.Version, a), h, &app)
	}
	act(exporter, `"type": "submit"`)
	act(off, `"type": "assign"`)
	act(off, `"type": "decide", "decision": {"type": "refuse", "criteria": ["factor-A"], "reasons": "Risk of diversion to a missile programme."}`)
	act(senior, `"type": "countersign"`)
	if app.Status != annex.StatusRefused {
		t.Fatalf("status %s, want refused", app.Status)
	}
	own, _, err := denials.FindDenials(context.Background(), annex.DenialFilter{Sent: true})
	if err != nil || len(own) != 1 {
		t.Fatalf("own denials %v (%v), want the refusal's", own, err)
	}
	ownID := own[0].ID

	const keyID, feed = "9f1c2a7be04d5c11", "https://annex.de.example/api/v1/exchange/feed"
	now := time.Now().UTC()
	partner := &annex.Denial{ID: "DE-2026-0007", NotifyingGovernment: "DE", Entry: "9.A.3", EndUser: "Defence Research Laboratory",
		Destination: "PK", Date: now.AddDate(0, -2, 0).Format(time.DateOnly), Reason: "Risk of diversion to a missile programme.",
		Status: annex.DenialActive, Version: 1}
	n, err := denials.Receive(context.Background(), feed, keyID, "DE", []annex.Notification{
		{Sequence: 1, Kind: annex.NotifyDenial, From: "DE", IssuedAt: now, Denial: partner},
		{Sequence: 2, Kind: annex.NotifyConsultationRequest, From: "DE", To: "GB", IssuedAt: now,
			Consultation: &annex.ConsultationMessage{RequestID: "DE-C-1", DenialID: ownID, Entry: own[0].Entry,
				EndUser: own[0].EndUser, Destination: own[0].Destination, DueAt: now.AddDate(0, 0, annex.ConsultationDays)}},
	})
	if err != nil || n != 2 {
		t.Fatalf("Receive: %d applied, %v; want 2", n, err)
	}
	cs, err := denials.FindConsultations(context.Background(), 0)
	if err != nil || len(cs) != 1 {
		t.Fatalf("consultations %v (%v), want Germany's", cs, err)
	}
	consultation := strconv.FormatInt(cs[0].ID, 10)

	// 2. The officer reads the denials sent and received.
	ctx := newBrowser(t)
	b := &browserCase{t: t, ctx: ctx, base: srv.URL()}
	b.signIn(officer)
	b.step("open the denials",
		chromedp.Click(chromedp.CSS(`nav[aria-label="Main"] a[href="/denials"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#tab-sent[aria-current="page"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#denials tr.denial[data-id="`+ownID+`"][data-status="active"]`)),
	)
	mustTextContains(t, ctx, chromedp.CSS(`#denials tr.denial[data-id="`+ownID+`"]`), "Vikram Sarabhai Space Centre")
	b.step("switch to the denials received",
		chromedp.Click(chromedp.ID("tab-received")),
		chromedp.WaitVisible(chromedp.CSS(`#tab-received[aria-current="page"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#denials tr.denial[data-id="DE-2026-0007"]`)),
	)
	if n := evaluate[int](t, ctx, `document.querySelectorAll("#denials tr.denial").length`); n != 1 {
		t.Fatalf("%d denials received listed, want Germany's alone", n)
	}
	b.step("open Germany's denial",
		chromedp.Click(chromedp.CSS(`#denials tr.denial[data-id="DE-2026-0007"] th a`)),
		chromedp.WaitVisible(chromedp.ID("denial-received")),
	)
	mustText(t, ctx, chromedp.ID("denial-government"), "DE")
	mustText(t, ctx, chromedp.ID("received-key"), keyID)
	mustText(t, ctx, chromedp.ID("received-feed"), feed)
	mustText(t, ctx, chromedp.ID("received-sequence"), "1")
	if n := evaluate[int](t, ctx, `document.querySelectorAll("#amend-form, #revoke-form").length`); n != 0 {
		t.Fatalf("a partner's denial offers %d forms to change it, want none", n)
	}

	// 3. The officer answers Germany's consultation.
	b.step("open the consultations",
		chromedp.Click(chromedp.ID("tab-consultations")),
		chromedp.WaitVisible(chromedp.CSS(`#consultation-`+consultation+`[data-status="open"]`)),
	)
	mustText(t, ctx, chromedp.CSS(`#consultation-`+consultation+` .partner`), "DE")
	mustText(t, ctx, chromedp.CSS(`#consultation-`+consultation+` .denial-link`), ownID)
	b.step("answer without an answer",
		chromedp.Click(chromedp.ID("answer-submit-"+consultation)),
		chromedp.WaitVisible(chromedp.ID("answer-"+consultation+"-error")),
	)
	b.step("answer, maintaining the objection",
		chromedp.SendKeys(chromedp.ID("answer-"+consultation), "The refusal stands: the end user is the same."),
		chromedp.Click(chromedp.ID("objects-"+consultation)),
		chromedp.Click(chromedp.ID("answer-submit-"+consultation)),
		chromedp.WaitVisible(chromedp.CSS(`#consultation-`+consultation+`[data-status="answered"]`)),
	)
	mustText(t, ctx, chromedp.ID("consultation-"+consultation+"-answer"), "The refusal stands: the end user is the same.")
	mustText(t, ctx, chromedp.ID("consultation-"+consultation+"-objects"), "maintained")

	// 4. The officer amends GB's denial.
	b.step("open GB's denial",
		chromedp.Click(chromedp.ID("tab-sent")),
		chromedp.Click(chromedp.CSS(`#denials tr.denial[data-id="`+ownID+`"] th a`)),
		chromedp.WaitVisible(chromedp.CSS(`#denial-facts[data-version="1"]`)),
		chromedp.WaitVisible(chromedp.ID("amend-form")),
	)
	b.step("amend the end user",
		chromedp.SetValue(chromedp.ID("amend-end_user"), "Vikram Sarabhai Space Centre, Thiruvananthapuram"),
		chromedp.Click(chromedp.ID("amend-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#denial-facts[data-version="2"]`)),
	)
	mustText(t, ctx, chromedp.ID("denial-end-user"), "Vikram Sarabhai Space Centre, Thiruvananthapuram")
	mustText(t, ctx, chromedp.ID("denial-version"), "2")
	b.signOut()

	// The store holds what the browser did, and the outbox carries it.
	if d, err := denials.FindDenialByID(context.Background(), ownID); err != nil || d.Version != 2 {
		t.Fatalf("denial %+v (%v), want version 2", d, err)
	}
	if cs, err := denials.FindConsultations(context.Background(), 0); err != nil || cs[0].Status != annex.ConsultationAnswered || !cs[0].Objects {
		t.Fatalf("consultation %+v (%v), want answered with the objection", cs, err)
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// apiJSON sends an API request to a server that must answer with the
// status, and decodes the answer into v (unless nil).
func apiJSON(tb testing.TB, s *Server, status int, method, path, body string, header []string, v any) {
	tb.Helper()
	resp := s.Do(tb, method, path, body, header...)
	mustStatus(tb, resp, status)
	if v != nil {
		mustDecode(tb, resp, v)
	}
}
