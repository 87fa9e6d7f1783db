package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"annex"
	"annex/sqlstore"
)

const demoPassword = "a long enough password"

// TestBrowserNovember2000 walks the demonstration scenario in a real
// browser, as annex serve -demo starts it: the four recipients are in the
// register with their measures and dates, the Chinese supplier's measures
// are waived, screening a recipient under another spelling shows the
// register's hit, an application naming it is recommended for denial, and
// after the measures' end date none of that holds any more. The half-yearly
// report shows its timeline chart.
func TestBrowserNovember2000(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	browser := chromiumPath(t)
	data := filepath.Join(t.TempDir(), "data")
	// A real list beside the register, so that screening has more than the
	// register to search once the measures end.
	if code, out, errOut := runCLI(t, "", nil, "lists", "import", "-data", data, dplFixture); code != exitOK {
		t.Fatalf("import DPL: exit=%d\n%s%s", code, out, errOut)
	}
	m := NewMain()
	m.Config.Addr = "127.0.0.1:0"
	m.Config.DataDir = data
	m.Config.Demo = true
	ctx := context.Background()
	if err := m.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if got := m.Clock.Day(); got != demoDay {
		t.Fatalf("the demo runs as of %s, want %s", got, demoDay)
	}

	users := sqlstore.NewUserService(m.DB)
	org := &annex.Organisation{Name: "Acme Gyro", Kind: annex.OrgExporter}
	if err := sqlstore.NewOrganisationService(m.DB).CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	analyst := &annex.User{Username: "analyst", Name: "Analyst", Role: annex.RoleAnalyst}
	officer := &annex.User{Username: "officer", Name: "Officer", Role: annex.RoleLicensingOfficer}
	exporter := &annex.User{Username: "exporter", Name: "Exporter", Role: annex.RoleExporterUser, OrgID: org.ID}
	for _, u := range []*annex.User{analyst, officer, exporter} {
		if err := users.CreateUser(ctx, u, demoPassword); err != nil {
			t.Fatal(err)
		}
	}
	// The exporter applies to ship gyroscopes to Iran's DIO, under a
	// spelling that is none of the register's names ("Industry" for
	// "Industries", "Organization" for "Organisation").
	as := annex.NewContextWithUser(ctx, exporter)
	apps := m.Server.ApplicationService
	app := &annex.Application{ApplicationSpec: annex.ApplicationSpec{Destination: "IR", EndUse: "navigation of research aircraft",
		Assurances: annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true},
		Parties:    []annex.ApplicationParty{{Role: annex.RoleEndUser, Name: "Defence Industry Organization", Country: "IR"}},
		Items: []annex.ApplicationLine{{Item: annex.Item{Kind: "gyroscope", Params: map[string]any{"drift_rate_deg_per_h": 0.2}},
			Quantity: 4, Value: 20000}}}}
	if err := apps.CreateApplication(as, app); err != nil {
		t.Fatal(err)
	}
	if _, err := apps.Act(as, app.ID, &annex.CaseAction{Type: annex.ActSubmit, Version: app.Version}); err != nil {
		t.Fatal(err)
	}

	b := &demoBrowser{t: t, ctx: newBrowserAt(t, browser), base: m.Server.URL()}
	recipients := map[string][]annex.MeasureKind{
		"Ministry of Defence of Pakistan":                {annex.MeasureDenyAllContracts, annex.MeasureDenyAllUSMLLicences, annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
		"Space and Upper Atmosphere Research Commission": {annex.MeasureDenyAllContracts, annex.MeasureDenyAllUSMLLicences, annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
		"Defence Industries Organisation":                {annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
		"Ministry of Defence and Armed Forces Logistics": {annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
	}

	// 1. The register, as the analyst reads it on 22 November 2000.
	b.signIn(analyst)
	b.step("open the register", chromedp.Navigate(b.base+"/register"), chromedp.WaitVisible(chromedp.ID("measures")))
	b.mustContain("register-day", "Status as of 2000-11-22")
	for entity, kinds := range recipients {
		for _, k := range kinds {
			sel := `#measures tr.measure[data-entity="` + entity + `"][data-measure="` + string(k) + `"]`
			if got := b.attr(sel, "data-status"); got != string(annex.MeasureActive) {
				t.Errorf("%s %s: status %q, want active", entity, k, got)
			}
			b.mustText(sel+` td:nth-of-type(4)`, "2000-11-21")
			b.mustTextHas(sel+` td.end`, "2002-11-21")
		}
		if n := b.count(`#measures tr.measure[data-entity="` + entity + `"]`); n != len(kinds) {
			t.Errorf("%s has %d measures, want %d", entity, n, len(kinds))
		}
	}
	if n := b.count(`#measures tr.measure[data-status="waived"]`); n == 0 {
		t.Error("no waived measure: the Chinese suppliers' measures should be waived")
	}
	if n := b.count(`#measures tr.measure[data-status="waived"]:not([data-entity^="Chinese"])`); n != 0 {
		t.Errorf("%d waived measures on others than the Chinese suppliers", n)
	}
	b.mustContain("hold-list", "2000-02-01")

	// 2. Screening the DIO under another spelling shows the register hit.
	screenURL := b.base + "/screen?name=" + url.QueryEscape("Defence Industry Organization") + "&country=IR"
	b.step("screen the DIO", chromedp.Navigate(screenURL), chromedp.WaitVisible(chromedp.ID("screen-results")))
	if n := b.count(`article.hit[data-source="annex-register"][data-match="true"]`); n != 1 {
		t.Fatalf("register hits for the DIO: %d, want 1", n)
	}
	b.mustTextHas(`article.hit[data-source="annex-register"]`, "Defence Industries Organisation")

	// 3. The half-yearly report draws its timeline.
	b.step("open the report", chromedp.Navigate(b.base+"/register/report?period=2000H2"), chromedp.WaitVisible(chromedp.ID("timeline")))
	if n := b.count(`#timeline .bar.measure`); n == 0 {
		t.Error("the timeline draws no measure")
	}
	if n := b.count(`#timeline .waiver`); n == 0 {
		t.Error("the timeline draws no waiver")
	}
	b.signOut()

	// 4. The officer sees the application recommended for denial.
	caseURL := b.base + "/cases/" + strconv.FormatInt(app.ID, 10)
	b.signIn(officer)
	b.step("open the case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID("assessment")))
	if got := b.attr("#assessment", "data-recommendation"); got != string(annex.RecommendDeny) {
		t.Fatalf("recommendation on 2000-11-22: %q, want deny", got)
	}
	b.mustTextHas(`#reasons li[data-rule="sanctions-register"]`, "Defence Industries Organisation")
	b.mustTextHas(`#reasons li[data-rule="sanctions-register"]`, "deny_missile_licences")

	// 5. After the measures end (2002-11-21), the register no longer acts.
	if err := m.Clock.Set("2002-11-22"); err != nil {
		t.Fatal(err)
	}
	if err := m.reloadRegister(ctx); err != nil {
		t.Fatalf("reload the register: %v", err)
	}
	// The open case is assessed again in the background: wait for it.
	for i := 0; ; i++ {
		b.step("open the case again", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID("assessment")))
		if b.attr("#assessment", "data-recommendation") != string(annex.RecommendDeny) {
			break
		}
		if i == 50 {
			t.Fatal("recommendation on 2002-11-22 still deny after 10 s: the case was not assessed again when the register's measures ended")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if n := b.count(`#reasons li[data-rule="sanctions-register"], #reasons li[data-rule="screening-match"]`); n != 0 {
		t.Errorf("a screening match remains after the measures ended")
	}
	b.step("screen the DIO again", chromedp.Navigate(screenURL), chromedp.WaitVisible(chromedp.ID("screen-results")))
	if n := b.count(`article.hit[data-source="annex-register"]`); n != 0 {
		t.Errorf("register hits after the end date: %d, want 0", n)
	}
	b.signOut()
	b.signIn(analyst)
	b.step("open the register again", chromedp.Navigate(b.base+"/register"), chromedp.WaitVisible(chromedp.ID("measures")))
	for entity := range recipients {
		sel := `#measures tr.measure[data-entity="` + entity + `"]`
		if n, active := b.count(sel), b.count(sel+`[data-status="active"]`); n == 0 || active != 0 {
			t.Errorf("%s on 2002-11-22: %d measures, %d active; want them kept, none active", entity, n, active)
		}
	}
}

// chromiumPath returns the browser to drive: $CHROMIUM_PATH, or Debian's
// /usr/bin/chromium; without either the test is skipped.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	const p = "/usr/bin/chromium"
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no browser: %s is missing and CHROMIUM_PATH is not set", p)
	}
	return p
}

// newBrowserAt starts a headless chromium for the test.
func newBrowserAt(t *testing.T, path string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Flag("headless", true), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelBrowser)
	return ctx
}

type demoBrowser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (b *demoBrowser) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
}

func (b *demoBrowser) signIn(u *annex.User) {
	b.t.Helper()
	b.step("sign in as "+u.Username,
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("username"), u.Username),
		chromedp.SendKeys(chromedp.ID("password"), demoPassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	)
}

func (b *demoBrowser) signOut() {
	b.t.Helper()
	b.step("sign out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.account a[href="/login"]`)),
	)
}

// eval runs a script in the page.
func evalIn[T any](b *demoBrowser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *demoBrowser) count(sel string) int {
	b.t.Helper()
	return evalIn[int](b, `document.querySelectorAll(`+jsString(sel)+`).length`)
}

func (b *demoBrowser) attr(sel, name string) string {
	b.t.Helper()
	return evalIn[string](b, `(document.querySelector(`+jsString(sel)+`)||{getAttribute:()=>"(missing)"}).getAttribute(`+jsString(name)+`)||""`)
}

func (b *demoBrowser) text(sel string) string {
	b.t.Helper()
	return evalIn[string](b, `(document.querySelector(`+jsString(sel)+`)||{textContent:"(missing)"}).textContent`)
}

func (b *demoBrowser) mustText(sel, want string) {
	b.t.Helper()
	if got := strings.TrimSpace(b.text(sel)); got != want {
		b.t.Errorf("%s: %q, want %q", sel, got, want)
	}
}

func (b *demoBrowser) mustTextHas(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Errorf("%s: %q, want it to contain %q", sel, got, want)
	}
}

func (b *demoBrowser) mustContain(id, want string) {
	b.t.Helper()
	b.mustTextHas("#"+id, want)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`", "$", "\\$").Replace(s) + "`"
}
