package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"annex"
)

// TestBrowserCase is the acceptance test of case work, in a real browser
// over the real store (SQLite in a temporary directory), the real
// assessment and the real server, with users signing in and out through
// the login page:
//
//  1. the exporter applies for two Category I motors for Germany with a
//     government-to-government undertaking, attaches the end-user
//     certificate and submits; the assessment refers the case, citing its
//     rule;
//  2. the licensing officer takes the case and asks a question; the
//     exporter answers;
//  3. the officer asks defence for advice; the defence reviewer advises;
//  4. the officer decides to approve; the case being Category I, it awaits
//     countersignature; the senior officer countersigns and the licence is
//     issued;
//  5. customs records a shipment within the balance, then an over-draw,
//     which is refused with the reason.
func TestBrowserCase(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	st := mustOpenStack(t, func(s *Server) { s.Addr = "127.0.0.1:0" })
	org := st.mustOrg(t, "Nordrocket GmbH", annex.OrgExporter)
	users := map[string]*annex.User{
		"exporter": {Username: "nord1", Name: "Nordrocket Exports", Role: annex.RoleExporterUser, OrgID: org.ID},
		"officer":  {Username: "officer1", Name: "Licensing Officer", Role: annex.RoleLicensingOfficer},
		"reviewer": {Username: "defence1", Name: "Defence Reviewer", Role: annex.RoleReviewer, Department: annex.DeptDefence},
		"senior":   {Username: "senior1", Name: "Senior Officer", Role: annex.RoleSeniorOfficer},
		"customs":  {Username: "customs1", Name: "Customs Officer", Role: annex.RoleCustoms},
	}
	for _, u := range users {
		if err := st.Users.CreateUser(context.Background(), u, storePassword); err != nil {
			t.Fatalf("CreateUser(%s): %v", u.Username, err)
		}
	}
	euc := filepath.Join(t.TempDir(), "end-user-certificate.pdf")
	if err := os.WriteFile(euc, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	b := &browserCase{t: t, ctx: ctx, base: st.URL()}

	// 1. The exporter applies and submits.
	b.signIn(users["exporter"])
	b.step("open the application form",
		chromedp.Navigate(b.base+"/applications"),
		chromedp.Click(chromedp.ID("new-application")),
		chromedp.WaitVisible(chromedp.ID("application-form")),
	)
	b.step("add a party row and a goods row",
		chromedp.Click(chromedp.ID("add-party")),
		chromedp.Click(chromedp.ID("add-line")),
		chromedp.WaitVisible(chromedp.ID("parties-1-name")),
		chromedp.WaitVisible(chromedp.ID("items-1-params")),
	)
	if n := evaluate[int](t, ctx, `document.querySelectorAll("#party-table tbody tr").length`); n != 2 {
		t.Fatalf("%d party rows after a click, want 2: the script added none, or the form was posted", n)
	}
	b.step("describe the export",
		chromedp.SendKeys(chromedp.ID("destination"), "DE"),
		chromedp.SendKeys(chromedp.ID("end_use"), "Ground tests of a satellite launcher's upper stage"),
		chromedp.Click(chromedp.ID("assurances-end_use_statement")),
		chromedp.Click(chromedp.ID("assurances-no_wmd_use")),
		chromedp.Click(chromedp.ID("assurances-no_retransfer")),
		chromedp.Click(chromedp.ID("assurances-government_to_government")),
		chromedp.SendKeys(chromedp.ID("parties-0-name"), "Hans Muller Raumfahrt GmbH"),
		chromedp.SendKeys(chromedp.ID("parties-0-country"), "DE"),
		chromedp.SendKeys(chromedp.ID("items-0-name"), "SRM-7 motor"),
		chromedp.SetValue(chromedp.ID("items-0-kind"), "solid_rocket_motor"),
		chromedp.SendKeys(chromedp.ID("items-0-params"), "total_impulse_ns=2e6"),
		chromedp.SendKeys(chromedp.ID("items-0-quantity"), "2"),
		chromedp.SendKeys(chromedp.ID("items-0-unit"), "pieces"),
		chromedp.SendKeys(chromedp.ID("items-0-value"), "900000"),
		chromedp.Click(chromedp.ID("save-application")),
		chromedp.WaitVisible(chromedp.CSS(`#app-status[data-status="draft"]`)),
	)
	b.step("attach the end-user certificate",
		chromedp.SetUploadFiles(chromedp.ID("upload-file"), []string{euc}),
		chromedp.Click(chromedp.ID("upload-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#document-list a`)),
	)
	mustTextContains(t, ctx, chromedp.ID("document-list"), "end-user-certificate.pdf")
	b.step("submit",
		chromedp.Click(chromedp.ID("submit-application")),
		chromedp.WaitVisible(chromedp.ID("assessment")),
	)
	mustText(t, ctx, chromedp.ID("app-status"), "Submitted")
	mustText(t, ctx, chromedp.ID("recommendation"), "Refer")
	mustTextContains(t, ctx, chromedp.ID("presumption"), "Strong presumption of denial")
	mustTextContains(t, ctx, chromedp.CSS(`#reasons li[data-rule="mtcr-cat1-g2g"]`), "government-to-government undertaking")
	reference, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("app-reference")))
	if err != nil || !strings.HasPrefix(reference, "ANX-") {
		t.Fatalf("reference %q (%v)", reference, err)
	}
	appURL := b.location()
	b.signOut()

	// 2. The officer takes the case and asks; the exporter answers.
	b.signIn(users["officer"])
	b.step("open the unassigned queue",
		chromedp.Navigate(b.base+"/cases"),
		chromedp.WaitVisible(chromedp.CSS(`#tab-unassigned[aria-current="page"]`)),
	)
	mustTextContains(t, ctx, chromedp.ID("cases"), reference)
	mustTextContains(t, ctx, chromedp.ID("cases"), "Nordrocket GmbH")
	b.step("take the case",
		chromedp.Click(chromedp.CSS(`#cases tr.case th a`)),
		chromedp.WaitVisible(chromedp.ID("form-assign")),
		chromedp.Click(chromedp.ID("assign-submit")),
		chromedp.WaitVisible(chromedp.ID("form-request_information")),
	)
	mustText(t, ctx, chromedp.ID("case-officer"), "Licensing Officer")
	mustTextContains(t, ctx, chromedp.CSS(`#reasons li[data-rule="mtcr-cat1-g2g"]`), "government-to-government")
	caseURL := b.location()
	b.step("ask the exporter",
		chromedp.SendKeys(chromedp.ID("request_information-question"), "Which test stand will fire the motors?"),
		chromedp.Click(chromedp.ID("request_information-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#case-status[data-status="awaiting_exporter"]`)),
	)
	b.signOut()

	b.signIn(users["exporter"])
	b.step("answer",
		chromedp.Navigate(appURL),
		chromedp.WaitVisible(chromedp.ID("form-answer_information")),
	)
	mustTextContains(t, ctx, chromedp.ID("open-question"), "Which test stand will fire the motors?")
	b.step("send the answer",
		chromedp.SendKeys(chromedp.ID("answer_information-answer"), "The DLR test stand P4 at Lampoldshausen."),
		chromedp.Click(chromedp.ID("answer_information-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#app-status[data-status="under_review"]`)),
	)
	b.signOut()

	// 3. The officer asks defence; the reviewer advises.
	b.signIn(users["officer"])
	b.step("ask defence for advice",
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(chromedp.ID("form-request_advice")),
	)
	mustTextContains(t, ctx, chromedp.CSS(`#history .answer`), "Lampoldshausen")
	b.step("send the request",
		chromedp.SetValue(chromedp.ID("request_advice-department"), annex.DeptDefence),
		chromedp.SendKeys(chromedp.ID("request_advice-note"), "Is the end user known to you?"),
		chromedp.Click(chromedp.ID("request_advice-submit")),
		chromedp.WaitVisible(chromedp.ID("decide-note")),
	)
	mustTextContains(t, ctx, chromedp.ID("advice-requests"), "awaited")
	b.signOut()

	b.signIn(users["reviewer"])
	b.step("open the advice queue",
		chromedp.Navigate(b.base+"/cases"),
		chromedp.WaitVisible(chromedp.CSS(`#tab-advice[aria-current="page"]`)),
		chromedp.Click(chromedp.CSS(`#cases tr.case th a`)),
		chromedp.WaitVisible(chromedp.ID("form-give_advice")),
	)
	b.step("advise",
		chromedp.SetValue(chromedp.ID("give_advice-subject"), "party:0"),
		chromedp.Click(chromedp.ID("give_advice-type-approve")),
		chromedp.SendKeys(chromedp.ID("give_advice-text"), "A known civil research institute; no objection."),
		chromedp.Click(chromedp.ID("give_advice-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#advice li.advice`)),
	)
	mustTextContains(t, ctx, chromedp.ID("advice"), "Defence: Approve on Party 1: Hans Muller Raumfahrt GmbH")
	b.signOut()

	// 4. The officer decides; the senior officer countersigns.
	b.signIn(users["officer"])
	b.step("decide to approve",
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(chromedp.ID("form-decide")),
		chromedp.SetValue(chromedp.ID("decide-type"), string(annex.DecisionApprove)),
		chromedp.SendKeys(chromedp.ID("decide-reasons"), "A government-to-government undertaking covers the transfer; defence has no objection."),
		chromedp.Click(chromedp.ID("decide-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#case-status[data-status="awaiting_countersign"]`)),
	)
	b.signOut()

	b.signIn(users["senior"])
	b.step("open the countersignature queue",
		chromedp.Navigate(b.base+"/cases"),
		chromedp.WaitVisible(chromedp.CSS(`#tab-countersign[aria-current="page"]`)),
		chromedp.Click(chromedp.CSS(`#cases tr.case th a`)),
		chromedp.WaitVisible(chromedp.ID("form-countersign")),
	)
	mustTextContains(t, ctx, chromedp.ID("proposed"), "proposed by Licensing Officer")
	b.step("countersign",
		chromedp.Click(chromedp.ID("countersign-submit")),
		chromedp.WaitVisible(chromedp.ID("licence-link")),
	)
	mustText(t, ctx, chromedp.ID("case-status"), "Approved")
	mustTextContains(t, ctx, chromedp.ID("decision-letter"), "The application is approved.")
	number, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("licence-link")))
	if err != nil || !strings.HasPrefix(number, "ANX-") {
		t.Fatalf("licence %q (%v)", number, err)
	}
	b.signOut()

	// 5. Customs draws the licence down.
	b.signIn(users["customs"])
	b.step("find the licence",
		chromedp.Navigate(b.base+"/licences"),
		chromedp.SendKeys(chromedp.ID("number"), number),
		chromedp.Click(chromedp.ID("licence-search-submit")),
		chromedp.WaitVisible(chromedp.ID("shipment-form")),
	)
	mustTextContains(t, ctx, chromedp.ID("licence-check"), "In force today")
	mustText(t, ctx, chromedp.CSS(`#licence-line-0 .balance`), "2")
	b.step("record a shipment within the balance",
		chromedp.SetValue(chromedp.ID("shipment-line"), "0"),
		chromedp.SendKeys(chromedp.ID("shipment-quantity"), "1"),
		chromedp.SendKeys(chromedp.ID("shipment-value"), "450000"),
		chromedp.SendKeys(chromedp.ID("shipment-customs-ref"), "DE-26-000123"),
		chromedp.Click(chromedp.ID("shipment-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#shipment-list tr.shipment`)),
	)
	mustText(t, ctx, chromedp.CSS(`#licence-line-0 .balance`), "1")
	mustTextContains(t, ctx, chromedp.ID("shipment-list"), "DE-26-000123")
	b.step("over-draw",
		chromedp.SendKeys(chromedp.ID("shipment-quantity"), "5"),
		chromedp.SendKeys(chromedp.ID("shipment-value"), "1"),
		chromedp.SendKeys(chromedp.ID("shipment-customs-ref"), "DE-26-000124"),
		chromedp.Click(chromedp.ID("shipment-submit")),
		chromedp.WaitVisible(chromedp.ID("shipment-error")),
	)
	mustTextContains(t, ctx, chromedp.ID("shipment-error"), "has 1 pieces left; 5 cannot be drawn")
	mustText(t, ctx, chromedp.CSS(`#licence-line-0 .balance`), "1")
	if v := evaluate[string](t, ctx, `document.getElementById("shipment-customs-ref").value`); v != "DE-26-000124" {
		t.Fatalf("customs reference after the refusal %q, want what was typed", v)
	}
	b.signOut()

	ships, err := st.Licences.FindShipments(annex.NewContextWithUser(context.Background(), users["customs"]), number)
	if err != nil || len(ships) != 1 {
		t.Fatalf("FindShipments: %d, %v; want 1", len(ships), err)
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// browserCase drives the browser of TestBrowserCase.
type browserCase struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// step runs browser actions, failing the test with the step's name.
func (b *browserCase) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	step(b.t, b.ctx, name, actions...)
}

// signIn signs a user in through the login page.
func (b *browserCase) signIn(u *annex.User) {
	b.t.Helper()
	b.step("sign in as "+u.Username,
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("username"), u.Username),
		chromedp.SendKeys(chromedp.ID("password"), storePassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	)
	mustText(b.t, b.ctx, chromedp.CSS(".account .who"), "Signed in as "+u.Username)
}

// signOut signs the user out with the header's button.
func (b *browserCase) signOut() {
	b.t.Helper()
	b.step("sign out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.account a[href="/login"]`)),
	)
}

// location returns the URL of the page shown.
func (b *browserCase) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("Location: %v", err)
	}
	return loc
}
