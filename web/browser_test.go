package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// defaultChromium is where Debian's chromium package puts the browser.
const defaultChromium = "/usr/bin/chromium"

// chromiumPath returns the browser to drive: $CHROMIUM_PATH, which must
// exist when set, or Debian's /usr/bin/chromium. Without either the test is
// skipped.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("CHROMIUM_PATH=%s: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat(defaultChromium); err != nil {
		t.Skipf("no browser: %s is missing and CHROMIUM_PATH is not set; install Debian's chromium (apt-get install -y chromium) to run this test", defaultChromium)
	}
	return defaultChromium
}

// newBrowser starts a headless chromium for the test and returns its
// context, which ends with the test or after a minute.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelBrowser)
	return ctx
}

// TestBrowserClassify is the acceptance test of the issue: in a real
// browser, find 2.A.1.c in the control list, see its threshold, follow its
// classify link for a solid rocket motor, classify a 1.2e6 N·s motor, and
// read a Category I verdict under 2.A.1.c with the reason. The server runs
// on loopback; the pages' Content-Security-Policy keeps the browser to it.
func TestBrowserClassify(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	s := MustOpenServer(t, func(s *Server) {
		s.Addr = "127.0.0.1:0"
		s.Server.ControlListService = mustControlList(t)
	})
	ctx := newBrowser(t)

	step(t, ctx, "search the control list",
		chromedp.Navigate(s.URL()+"/control-list"),
		chromedp.SendKeys(chromedp.ID("q"), "2.A.1.c"),
		chromedp.Click(chromedp.ID("search-submit")),
		chromedp.WaitVisible(chromedp.ID("search-results")),
		chromedp.Click(chromedp.CSS(`#search-results a[href="/control-list/2.A.1.c"]`)),
		chromedp.WaitVisible(chromedp.ID("entry")),
	)
	mustText(t, ctx, chromedp.ID("entry-id"), "2.A.1.c")
	mustTextContains(t, ctx, chromedp.ID("criteria"), "total_impulse_ns ≥ 1.1e6 N·s")

	step(t, ctx, "follow the classify link",
		chromedp.Click(chromedp.ID("classify-solid_rocket_motor")),
		chromedp.WaitVisible(chromedp.ID("classify-form")),
	)
	// The embedded script ran under the CSP: it hides the kind form's button.
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("kind-submit").hidden`))
	if err != nil || !hidden {
		t.Fatalf("kind-submit hidden=%v (%v), want true: annex.js did not run", hidden, err)
	}

	step(t, ctx, "classify a 1.2e6 N·s motor",
		chromedp.SendKeys(chromedp.ID("param-total_impulse_ns"), "1.2e6"),
		chromedp.Click(chromedp.ID("classify-submit")),
		chromedp.WaitVisible(chromedp.ID("verdict")),
	)
	mustText(t, ctx, chromedp.ID("verdict"), "Controlled: Category I")
	mustText(t, ctx, chromedp.CSS(".match .entry-link"), "2.A.1.c")
	mustTextContains(t, ctx, chromedp.CSS(".match .reason"), "1.2e6 N·s ≥ 1.1e6 N·s")
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// step runs browser actions, failing the test with the step's name.
func step(t *testing.T, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// mustText checks the text of the first element matching sel.
func mustText[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S, want string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("Text(%v): %v", sel, err)
	}
	if got = strings.TrimSpace(got); got != want {
		t.Fatalf("Text(%v)=%q, want %q", sel, got, want)
	}
}

// mustTextContains checks that the text of the first element matching sel
// has a fragment.
func mustTextContains[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S, want string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("Text(%v): %v", sel, err)
	}
	if !strings.Contains(got, want) {
		t.Fatalf("Text(%v)=%q, want it to contain %q", sel, got, want)
	}
}
