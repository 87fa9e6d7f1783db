package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"annex"
	"annex/mock"
	"annex/web"
)

// Server is a web.Server on :0 whose services are mocks.
type Server struct {
	*web.Server
	ControlListService mock.ControlListService
	CapabilityService  mock.CapabilityService
	UserService        mock.UserService
	SessionService     mock.SessionService
	AuditService       mock.AuditService
	ScreenService      mock.ScreenService
	PartyService       mock.PartyService
	ListStore          mock.ListStore
	// Services of applications and licences.
	AssessService       mock.AssessService
	ApplicationService  mock.ApplicationService
	LicenceService      mock.LicenceService
	OrganisationService mock.OrganisationService
	// Log holds what the server logged.
	Log *syncBuffer
}

// MustOpenServer opens a server with mock services and closes it when the
// test ends. Options change the server before it opens.
func MustOpenServer(tb testing.TB, opts ...func(*Server)) *Server {
	tb.Helper()
	s := &Server{Server: web.NewServer(), Log: &syncBuffer{}}
	s.Addr = ":0"
	s.Logger = slog.New(slog.NewTextHandler(s.Log, nil))
	s.Server.ControlListService = &s.ControlListService
	s.Server.CapabilityService = &s.CapabilityService
	s.Server.UserService = &s.UserService
	s.Server.SessionService = &s.SessionService
	s.Server.AuditService = &s.AuditService
	s.Server.ScreenService = &s.ScreenService
	s.Server.PartyService = &s.PartyService
	s.Server.ListStore = &s.ListStore
	s.Server.AssessService = &s.AssessService
	s.Server.ApplicationService = &s.ApplicationService
	s.Server.LicenceService = &s.LicenceService
	s.Server.OrganisationService = &s.OrganisationService
	s.Server.Now = func() time.Time { return fixedClock }
	for _, opt := range opts {
		opt(s)
	}
	if err := s.Open(); err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// response is a response with its body read.
type response struct {
	*http.Response
	Body string
}

// client does not follow redirects, so tests see them.
var client = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Do sends a request to the server. Headers are given as name, value pairs.
func (s *Server) Do(tb testing.TB, method, path, body string, header ...string) response {
	tb.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		tb.Fatalf("NewRequest: %v", err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read body: %v", err)
	}
	return response{Response: resp, Body: string(b)}
}

// form is the header of a form post.
var form = []string{"Content-Type", "application/x-www-form-urlencoded"}

// mustStatus fails the test unless the response has the status.
func mustStatus(tb testing.TB, resp response, want int) {
	tb.Helper()
	if got := resp.StatusCode; got != want {
		tb.Fatalf("Status=%v, want %v; body:\n%s", got, want, resp.Body)
	}
}

// mustDecode decodes a JSON response body into v.
func mustDecode(tb testing.TB, resp response, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(resp.Body), v); err != nil {
		tb.Fatalf("decode %q: %v", resp.Body, err)
	}
}

// mustProblem checks a problem response and returns it.
func mustProblem(tb testing.TB, resp response, status int) web.Problem {
	tb.Helper()
	mustStatus(tb, resp, status)
	if got, want := resp.Header.Get("Content-Type"), "application/problem+json"; got != want {
		tb.Fatalf("Content-Type=%q, want %q", got, want)
	}
	var p web.Problem
	mustDecode(tb, resp, &p)
	return p
}

// mustContain fails the test unless the body has every fragment.
func mustContain(tb testing.TB, body string, fragments ...string) {
	tb.Helper()
	for _, f := range fragments {
		if !strings.Contains(body, f) {
			tb.Fatalf("body lacks %q; body:\n%s", f, body)
		}
	}
}

// Users of the auth tests, found by their session tokens.
var (
	officer = &annex.User{ID: 3, Username: "officer1", Name: "Licensing Officer", Role: annex.RoleLicensingOfficer,
		CreatedAt: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	newcomer = &annex.User{ID: 4, Username: "newcomer", Name: "New Officer", Role: annex.RoleReviewer, MustChangePassword: true}
)

// withSessions makes the session mock resolve "officer-token",
// "newcomer-token" and the tokens of caseUsers; any other token is
// EUNAUTHORIZED.
func (s *Server) withSessions() {
	s.SessionService.FindSessionUserFn = func(_ context.Context, token string) (*annex.User, error) {
		switch token {
		case "officer-token":
			return officer, nil
		case "newcomer-token":
			return newcomer, nil
		}
		if u, ok := caseUsers[strings.TrimSuffix(token, "-token")]; ok {
			return u, nil
		}
		return nil, annex.Errorf(annex.EUNAUTHORIZED, "the session is invalid or has expired")
	}
}

// testVersion is a small list version for the mock control-list service.
func testVersion() *annex.ListVersion {
	return &annex.ListVersion{
		ID: "mtcr-2024", Title: "MTCR Annex", EffectiveDate: "2024-03-14", Source: "test",
		Sources: []annex.Source{{Key: "S8", Title: "A paraphrase", URL: "https://example.org/s8"}},
		Kinds: []*annex.Kind{{
			Name: "solid_rocket_motor", Title: "Solid-propellant rocket motor", Description: "A solid-propellant rocket motor.",
			Params: []*annex.Param{
				{Name: "total_impulse_ns", Type: annex.TypeNumber, Description: "Total impulse.", Unit: "N·s", SIUnit: "N·s"},
				{Name: "satellite_use", Type: annex.TypeBool, Description: "For satellites."},
			},
		}},
		Entries: []*annex.Entry{
			{ID: "2", Category: annex.CategoryI, Title: "Complete subsystems", Source: "S8", Confidence: annex.ConfidenceVerified, Children: []string{"2.A"}},
			{ID: "2.A", Parent: "2", Category: annex.CategoryI, Title: "Equipment", Source: "S8", Confidence: annex.ConfidenceVerified, Children: []string{"2.A.1.c"}},
			{ID: "2.A.1.c", Parent: "2.A", Category: annex.CategoryI, Title: "Rocket propulsion subsystems", Source: "S8", Confidence: annex.ConfidenceVerified,
				Match: []annex.Matcher{{Kinds: []string{"solid_rocket_motor"}, Condition: annex.Condition{
					All: []annex.Criterion{{Param: "total_impulse_ns", Op: annex.OpGE, Value: annex.Number(1.1e6), Unit: "N·s"}}}}}},
			{ID: "3", Reserved: true, Title: "Reserved", Source: "S8", Confidence: annex.ConfidenceMemory},
		},
	}
}

// testInfo describes testVersion.
func testInfo() *annex.ListVersionInfo {
	return &annex.ListVersionInfo{ID: "mtcr-2024", Title: "MTCR Annex", EffectiveDate: "2024-03-14", Source: "test",
		SHA256: "abc", Entries: 4, Current: true, BuiltIn: true}
}

// srmClassification is the classification of a 1.2e6 N·s motor.
func srmClassification(name string) *annex.Classification {
	vsi, tsi := 1.2e6, 1.1e6
	return &annex.Classification{
		Name: name, Kind: "solid_rocket_motor", Status: annex.StatusControlled, Controlled: true,
		Category: annex.CategoryI, ListVersion: "mtcr-2024",
		Summary: "Controlled, Category I, under 2.A.1.c (Rocket propulsion subsystems).",
		Entries: []annex.Match{{ID: "2.A.1.c", Category: annex.CategoryI, Title: "Rocket propulsion subsystems",
			Reason: "total_impulse_ns 1.2e6 N·s ≥ 1.1e6 N·s", Paragraph: "2.A.1.c.1",
			Criteria: []annex.Comparison{{Param: "total_impulse_ns", Op: annex.OpGE, Value: annex.Number(1.2e6),
				Threshold: annex.Number(1.1e6), Unit: "N·s", ValueSI: &vsi, ThresholdSI: &tsi, SIUnit: "N·s", Met: true}}}},
		NearMisses: []annex.NearMiss{},
		Notes:      []annex.Note{},
	}
}
