package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"annex"
)

func TestCrossOriginProtection(t *testing.T) {
	s := MustOpenServer(t)
	s.ControlListService.FindVersionFn = func(context.Context, string) (*annex.ListVersion, error) { return testVersion(), nil }
	s.ControlListService.ClassifyFn = func(context.Context, string, []annex.Item) ([]*annex.Classification, error) {
		return []*annex.Classification{srmClassification("")}, nil
	}
	body := url.Values{"kind": {"solid_rocket_motor"}, "params.total_impulse_ns": {"1.2e6"}}.Encode()
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		header []string
		status int
	}{
		{"CrossSiteForm", "POST", "/classify", body, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"CrossSiteLogout", "POST", "/logout", "", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"CrossSiteAPI", "POST", "/api/v1/classify", `{"kind":"solid_rocket_motor"}`, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"ForeignOrigin", "POST", "/classify", body, []string{"Origin", "https://evil.example"}, 403},
		{"SameOrigin", "POST", "/classify", body, []string{"Sec-Fetch-Site", "same-origin"}, 200},
		{"NoBrowserHeaders", "POST", "/classify", body, nil, 200},
		{"CrossSiteGet", "GET", "/classify", "", []string{"Sec-Fetch-Site", "cross-site"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := append([]string{"Content-Type", "application/x-www-form-urlencoded"}, tt.header...)
			resp := s.Do(t, tt.method, tt.path, tt.body, header...)
			mustStatus(t, resp, tt.status)
			if tt.status == http.StatusForbidden && strings.HasPrefix(tt.path, "/api/") {
				if p := mustProblem(t, resp, 403); p.Code != annex.EFORBIDDEN {
					t.Fatalf("Code=%q, want %q", p.Code, annex.EFORBIDDEN)
				}
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := MustOpenServer(t)
	resp := s.Do(t, "GET", "/", "")
	mustStatus(t, resp, http.StatusOK)
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Fatalf("Content-Security-Policy=%q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Fatalf("Content-Security-Policy=%q allows inline code", csp)
	}
	if got, want := resp.Header.Get("X-Content-Type-Options"), "nosniff"; got != want {
		t.Fatalf("X-Content-Type-Options=%q, want %q", got, want)
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Fatalf("HSTS sent without SecureCookies")
	}
	if strings.Contains(resp.Body, "<script>") || strings.Contains(resp.Body, " style=") {
		t.Fatalf("the page has inline script or style")
	}
}

func TestRouting(t *testing.T) {
	s := MustOpenServer(t)
	tests := []struct {
		name        string
		method      string
		path        string
		status      int
		contentType string
		fragment    string
	}{
		{"Health", "GET", "/healthz", 200, "text/plain; charset=utf-8", "ok"},
		{"Stylesheet", "GET", "/static/annex.css", 200, "text/css; charset=utf-8", ":root"},
		{"Script", "GET", "/static/annex.js", 200, "text/javascript; charset=utf-8", "data-autosubmit"},
		{"StaticListing", "GET", "/static/", 404, "text/html; charset=utf-8", "There is nothing at /static/."},
		{"PageNotFound", "GET", "/no/such/page", 404, "text/html; charset=utf-8", `id="error-message">There is nothing at /no/such/page.</p>`},
		{"APINotFound", "GET", "/api/v1/nope", 404, "application/problem+json", `"code":"not_found"`},
		{"APIMethodNotAllowed", "PUT", "/api/v1/kinds", 405, "application/problem+json", `"code":"method_not_allowed"`},
		{"PageMethodNotAllowed", "DELETE", "/control-list", 405, "text/html; charset=utf-8", "DELETE is not allowed on /control-list."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, tt.method, tt.path, "")
			mustStatus(t, resp, tt.status)
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Fatalf("Content-Type=%q, want %q", got, tt.contentType)
			}
			mustContain(t, resp.Body, tt.fragment)
			if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("security headers missing: %v", resp.Header)
			}
			if tt.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
				t.Fatalf("no Allow header on 405")
			}
		})
	}
}

// TestPanic checks that a panicking handler gives a logged 500 and no
// internal detail. The mock's nil Fn field panics when called.
func TestPanic(t *testing.T) {
	s := MustOpenServer(t)
	p := mustProblem(t, s.Do(t, "GET", "/api/v1/control-list/versions", ""), http.StatusInternalServerError)
	if p.Detail != "Internal error." {
		t.Fatalf("Detail=%q, want %q", p.Detail, "Internal error.")
	}
	mustContain(t, s.Log.String(), "http panic", "nil pointer dereference", `msg="http request" method=GET path=/api/v1/control-list/versions status=500`)

	resp := s.Do(t, "GET", "/control-list", "")
	mustStatus(t, resp, http.StatusInternalServerError)
	mustContain(t, resp.Body, `id="error-message">Internal error.</p>`)
}
