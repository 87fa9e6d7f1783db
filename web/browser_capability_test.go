package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCapability is the acceptance test of the capability page: in a
// real browser, with the real flight model, enter Scud-B on Forden's (2007)
// inputs in the stage form, analyse it, and read Category I under 1.A.1
// with both charts drawn. The browser and the server keep to loopback.
func TestBrowserCapability(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	s := MustOpenServer(t, func(s *Server) {
		s.Addr = "127.0.0.1:0"
		svc := mustControlList(t)
		s.Server.ControlListService = svc
		s.Server.CapabilityService = svc
	})
	ctx := newBrowser(t)

	step(t, ctx, "open the capability page",
		chromedp.Navigate(s.URL()+"/"),
		chromedp.Click(chromedp.CSS(`nav a[href="/capability"]`)),
		chromedp.WaitVisible(chromedp.ID("capability-form")),
	)
	// The embedded script ran under the CSP: "Add a stage" adds a row in
	// the page instead of posting the form.
	step(t, ctx, "add a stage row", chromedp.Click(chromedp.ID("add-stage")), chromedp.WaitVisible(chromedp.ID("stages-3-isp_s")))
	if rows := evaluate[int](t, ctx, `document.querySelectorAll("#stage-table tr.stage-row").length`); rows != 4 {
		t.Fatalf("%d stage rows after adding one, want 4", rows)
	}
	if name := evaluate[string](t, ctx, `document.getElementById("stages-3-isp_s").name`); name != "stages[3].isp_s" {
		t.Fatalf("name of the new row's Isp input = %q, want stages[3].isp_s", name)
	}

	step(t, ctx, "enter Scud-B and analyse it",
		chromedp.SendKeys(chromedp.ID("name"), "Scud-B"),
		chromedp.SendKeys(chromedp.ID("payload_kg"), "1000"),
		chromedp.SendKeys(chromedp.ID("stages-0-propellant_mass_kg"), "3699"),
		chromedp.SendKeys(chromedp.ID("stages-0-dry_mass_kg"), "1198"),
		chromedp.SendKeys(chromedp.ID("stages-0-isp_s"), "230"),
		chromedp.SendKeys(chromedp.ID("stages-0-burn_time_s"), "75"),
		chromedp.SendKeys(chromedp.ID("stages-0-diameter_m"), "0.84"),
		chromedp.Click(chromedp.ID("capability-submit")),
		chromedp.WaitVisible(chromedp.ID("capability-verdict")),
	)
	mustText(t, ctx, chromedp.ID("capability-verdict"), "Category I under 1.A.1")
	mustTextContains(t, ctx, chromedp.ID("capability-reason"), "with 500 kg it flies")
	r500 := mustKm(t, ctx, `#capability-numbers [data-key="range_at_500kg_km"]`)
	if r500 < 300 {
		t.Fatalf("range with 500 kg = %v km, want at least 300 km for Category I", r500)
	}

	// The trade-off chart: the curve through every point, the Category I
	// box and the 300 km line.
	curve := attribute(t, ctx, "tradeoff-curve", "d")
	if !strings.HasPrefix(curve, "M") || strings.Count(curve, " L") < 10 {
		t.Fatalf("trade-off curve d=%q, want a path through the curve's points", curve)
	}
	if w, err := strconv.ParseFloat(attribute(t, ctx, "category-i-box", "width"), 64); err != nil || w <= 0 {
		t.Fatalf("Category I box width %v (%v), want a drawn box", w, err)
	}
	svgText := textContent(t, ctx, "tradeoff-chart")
	for _, want := range []string{"Category I", "300 km", "Range (km)", "Payload (kg)", "Nominal: 1000 kg"} {
		if !strings.Contains(svgText, want) {
			t.Fatalf("trade-off chart text %q lacks %q", svgText, want)
		}
	}
	// The trajectory chart: the browser lays out both paths.
	for _, id := range []string{"tradeoff-curve", "trajectory-powered", "trajectory-coast"} {
		if n := evaluate[float64](t, ctx, `document.getElementById("`+id+`").getTotalLength()`); n < 50 {
			t.Fatalf("%s is %.0f units long, want a drawn path", id, n)
		}
	}
	if h := evaluate[float64](t, ctx, `document.getElementById("trajectory-chart").getBoundingClientRect().height`); h < 100 {
		t.Fatalf("trajectory chart is %.0f px high, want it drawn", h)
	}
	if txt := textContent(t, ctx, "trajectory-chart"); !strings.Contains(txt, "Apogee") || !strings.Contains(txt, "Burnout") {
		t.Fatalf("trajectory chart text %q lacks the burnout and apogee labels", txt)
	}
	mustTextContains(t, ctx, chromedp.ID("trajectory-table"), "Kepler range from the burnout state")
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// evaluate runs a JavaScript expression in the page.
func evaluate[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("Evaluate(%s): %v", expr, err)
	}
	return v
}

// attribute returns an attribute of the element with the id, which must
// have it.
func attribute(t *testing.T, ctx context.Context, id, name string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID(id), name))
	if err != nil || !a.Exists {
		t.Fatalf("attribute %s of #%s: exists=%v, %v", name, id, a.Exists, err)
	}
	return a.Value
}

// textContent returns the text of the element with the id, SVG included.
func textContent(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID(id)))
	if err != nil {
		t.Fatalf("TextContent(#%s): %v", id, err)
	}
	return s
}

// mustKm reads a number of kilometres, as "441.6 km", from the first
// element matching the CSS selector.
func mustKm(t *testing.T, ctx context.Context, sel string) float64 {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("Text(%s): %v", sel, err)
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), " km"), 64)
	if err != nil {
		t.Fatalf("Text(%s)=%q, want a number of km", sel, s)
	}
	return v
}
