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

// withSignIn makes the user mock accept officer1 and newcomer with the
// password "correct horse battery", and the session mock issue tokens
// named after the user.
func (s *Server) withSignIn(t *testing.T) {
	s.withSessions()
	s.UserService.AuthenticateFn = func(_ context.Context, username, password string) (*annex.User, error) {
		if password == "correct horse battery" {
			switch username {
			case officer.Username:
				return officer, nil
			case newcomer.Username:
				return newcomer, nil
			}
		}
		return nil, annex.Errorf(annex.EUNAUTHORIZED, "invalid username or password")
	}
	s.SessionService.CreateSessionFn = func(_ context.Context, userID int64, ttl time.Duration) (*annex.Session, error) {
		if ttl <= 0 {
			t.Errorf("ttl=%v, want a positive duration", ttl)
		}
		token := map[int64]string{officer.ID: "officer-token", newcomer.ID: "newcomer-token"}[userID]
		return &annex.Session{Token: token, UserID: userID, ExpiresAt: time.Date(2026, 11, 27, 21, 0, 0, 0, time.UTC)}, nil
	}
}

func TestSessionAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSignIn(t)

	t.Run("SignIn", func(t *testing.T) {
		resp := s.Do(t, "POST", "/api/v1/session", `{"username":"officer1","password":"correct horse battery"}`)
		mustStatus(t, resp, http.StatusCreated)
		var got struct {
			Token     string      `json:"token"`
			ExpiresAt time.Time   `json:"expires_at"`
			User      *annex.User `json:"user"`
		}
		mustDecode(t, resp, &got)
		if got.Token != "officer-token" || !got.ExpiresAt.Equal(time.Date(2026, 11, 27, 21, 0, 0, 0, time.UTC)) {
			t.Fatalf("session=%+v", got)
		}
		if diff := cmp.Diff(officer, got.User); diff != "" {
			t.Fatalf("user mismatch (-want +got):\n%s", diff)
		}
		if got, want := resp.Header.Get("Cache-Control"), "no-store"; got != want {
			t.Fatalf("Cache-Control=%q, want %q", got, want)
		}
	})

	errs := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"WrongPassword", `{"username":"officer1","password":"guess"}`, 401, ""},
		{"Missing", `{"username":"officer1"}`, 422, "password"},
		{"UnknownField", `{"username":"officer1","password":"x","otp":"1"}`, 422, "otp"},
		{"WrongType", `{"username":1,"password":"x"}`, 422, "username"},
		{"Malformed", `{"username":`, 422, ""},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, "POST", "/api/v1/session", tt.body)
			p := mustProblem(t, resp, tt.status)
			if got, want := p.Field, tt.field; got != want {
				t.Fatalf("Field=%q, want %q (%+v)", got, want, p)
			}
			if tt.status == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
				t.Fatalf("no WWW-Authenticate header on 401")
			}
		})
	}

	t.Run("SignOut", func(t *testing.T) {
		var deleted string
		s.SessionService.DeleteSessionFn = func(_ context.Context, token string) error {
			deleted = token
			return nil
		}
		resp := s.Do(t, "DELETE", "/api/v1/session", "", "Authorization", "Bearer officer-token")
		mustStatus(t, resp, http.StatusNoContent)
		if deleted != "officer-token" {
			t.Fatalf("deleted %q, want %q", deleted, "officer-token")
		}
		mustProblem(t, s.Do(t, "DELETE", "/api/v1/session", ""), http.StatusUnauthorized)
	})
}

func TestMe(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	tests := []struct {
		name   string
		header []string
		status int
	}{
		{"Bearer", []string{"Authorization", "Bearer officer-token"}, 200},
		{"Cookie", []string{"Cookie", "annex_session=officer-token"}, 200},
		{"SignedOut", nil, 401},
		{"BadToken", []string{"Authorization", "Bearer stolen"}, 401},
		{"NotBearer", []string{"Authorization", "Basic b2ZmaWNlcjE6eA=="}, 401},
		{"MustChangePassword", []string{"Authorization", "Bearer newcomer-token"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, "GET", "/api/v1/me", "", tt.header...)
			if tt.status != http.StatusOK {
				mustProblem(t, resp, tt.status)
				return
			}
			mustStatus(t, resp, http.StatusOK)
			var got annex.User
			mustDecode(t, resp, &got)
			if diff := cmp.Diff(officer, &got); diff != "" {
				t.Fatalf("user mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAccess checks who may reach which route, signed out, signed in, and
// signed in with a password that must change.
func TestAccess(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.ControlListService.FindVersionFn = func(context.Context, string) (*annex.ListVersion, error) { return testVersion(), nil }
	s.ControlListService.FindVersionsFn = func(context.Context) ([]*annex.ListVersionInfo, error) {
		return []*annex.ListVersionInfo{testInfo()}, nil
	}
	s.ControlListService.FindEntriesFn = func(context.Context, annex.EntryFilter) ([]*annex.Entry, int, error) {
		return testVersion().Entries, 4, nil
	}
	s.ControlListService.ClassifyFn = func(_ context.Context, _ string, items []annex.Item) ([]*annex.Classification, error) {
		return []*annex.Classification{srmClassification("")}, nil
	}
	newcomerCookie := []string{"Cookie", "annex_session=newcomer-token"}
	tests := []struct {
		name     string
		method   string
		path     string
		header   []string
		status   int
		location string
	}{
		{"HomeSignedOut", "GET", "/", nil, 200, ""},
		{"ControlListSignedOut", "GET", "/control-list", nil, 200, ""},
		{"ClassifyPageSignedOut", "GET", "/classify?kind=solid_rocket_motor", nil, 200, ""},
		{"LoginPageSignedOut", "GET", "/login", nil, 200, ""},
		{"KindsSignedOut", "GET", "/api/v1/kinds", nil, 200, ""},
		{"VersionsSignedOut", "GET", "/api/v1/control-list/versions", nil, 200, ""},
		{"EntriesSignedOut", "GET", "/api/v1/control-list", nil, 200, ""},
		{"OpenAPISignedOut", "GET", "/api/v1/openapi.json", nil, 200, ""},
		{"ClassifyAPISignedOut", "POST", "/api/v1/classify", nil, 200, ""},
		{"HealthSignedOut", "GET", "/healthz", nil, 200, ""},
		{"PasswordSignedOut", "GET", "/password", nil, 303, "/login?next=%2Fpassword"},
		{"MeSignedOut", "GET", "/api/v1/me", nil, 401, ""},
		{"PasswordSignedIn", "GET", "/password", []string{"Cookie", "annex_session=officer-token"}, 200, ""},
		{"StaleCookie", "GET", "/control-list", []string{"Cookie", "annex_session=expired"}, 200, ""},
		{"ForcedControlList", "GET", "/control-list", newcomerCookie, 303, "/password"},
		{"ForcedHome", "GET", "/", newcomerCookie, 303, "/password"},
		{"ForcedPassword", "GET", "/password", newcomerCookie, 200, ""},
		{"ForcedStatic", "GET", "/static/annex.css", newcomerCookie, 200, ""},
		{"ForcedKindsAPI", "GET", "/api/v1/kinds", []string{"Authorization", "Bearer newcomer-token"}, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ""
			if tt.path == "/api/v1/classify" {
				body = `{"kind":"solid_rocket_motor"}`
			}
			resp := s.Do(t, tt.method, tt.path, body, tt.header...)
			mustStatus(t, resp, tt.status)
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Fatalf("Location=%q, want %q", got, tt.location)
			}
		})
	}

	t.Run("StaleCookieCleared", func(t *testing.T) {
		resp := s.Do(t, "GET", "/control-list", "", "Cookie", "annex_session=expired")
		c := findCookie(resp.Cookies(), "annex_session")
		if c == nil || c.MaxAge >= 0 {
			t.Fatalf("cookie=%+v, want it cleared", c)
		}
	})
}

func TestLoginPage(t *testing.T) {
	s := MustOpenServer(t)
	s.withSignIn(t)
	signIn := func(user, password, next string) response {
		return s.Do(t, "POST", "/login", url.Values{"username": {user}, "password": {password}, "next": {next}}.Encode(), form...)
	}

	t.Run("SignIn", func(t *testing.T) {
		resp := signIn("officer1", "correct horse battery", "/control-list/2.A.1.c")
		mustStatus(t, resp, http.StatusSeeOther)
		if got, want := resp.Header.Get("Location"), "/control-list/2.A.1.c"; got != want {
			t.Fatalf("Location=%q, want %q", got, want)
		}
		c := findCookie(resp.Cookies(), "annex_session")
		if c == nil || c.Value != "officer-token" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
			t.Fatalf("cookie=%+v", c)
		}
	})
	t.Run("NoOpenRedirect", func(t *testing.T) {
		resp := signIn("officer1", "correct horse battery", "//evil.example/")
		if got, want := resp.Header.Get("Location"), "/"; got != want {
			t.Fatalf("Location=%q, want %q", got, want)
		}
	})
	t.Run("MustChangePassword", func(t *testing.T) {
		resp := signIn("newcomer", "correct horse battery", "/control-list")
		if got, want := resp.Header.Get("Location"), "/password"; got != want {
			t.Fatalf("Location=%q, want %q", got, want)
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		resp := signIn("officer1", "guess", "/")
		mustStatus(t, resp, http.StatusUnauthorized)
		mustContain(t, resp.Body, `id="login-error">invalid username or password</p>`, `value="officer1"`)
		if findCookie(resp.Cookies(), "annex_session") != nil {
			t.Fatalf("a failed sign-in set the session cookie")
		}
	})
	t.Run("SecureCookies", func(t *testing.T) {
		s := MustOpenServer(t, func(s *Server) { s.SecureCookies = true })
		s.withSignIn(t)
		resp := s.Do(t, "POST", "/login", url.Values{"username": {"officer1"}, "password": {"correct horse battery"}}.Encode(), form...)
		if c := findCookie(resp.Cookies(), "annex_session"); c == nil || !c.Secure {
			t.Fatalf("cookie=%+v, want Secure", c)
		}
		if resp.Header.Get("Strict-Transport-Security") == "" {
			t.Fatalf("no Strict-Transport-Security header")
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		var deleted string
		s.SessionService.DeleteSessionFn = func(_ context.Context, token string) error {
			deleted = token
			return nil
		}
		resp := s.Do(t, "POST", "/logout", "", "Cookie", "annex_session=newcomer-token")
		mustStatus(t, resp, http.StatusSeeOther)
		if c := findCookie(resp.Cookies(), "annex_session"); deleted != "newcomer-token" || c == nil || c.MaxAge >= 0 {
			t.Fatalf("deleted %q, cookie %+v", deleted, c)
		}
	})
}

func TestPasswordPage(t *testing.T) {
	s := MustOpenServer(t)
	s.withSignIn(t)
	var set string
	s.UserService.SetPasswordFn = func(_ context.Context, id int64, password string) error {
		if id != newcomer.ID {
			t.Errorf("id=%d, want %d", id, newcomer.ID)
		}
		set = password
		return nil
	}
	cookie := []string{"Content-Type", "application/x-www-form-urlencoded", "Cookie", "annex_session=newcomer-token"}
	tests := []struct {
		name      string
		form      url.Values
		status    int
		fragments []string
	}{
		{"WrongCurrent", url.Values{"current_password": {"guess"}, "password": {"a much longer one"}, "confirm": {"a much longer one"}},
			422, []string{`id="current_password-error">is not your current password</p>`}},
		{"TooShort", url.Values{"current_password": {"correct horse battery"}, "password": {"short"}, "confirm": {"short"}},
			422, []string{`id="new_password-error">must be at least 12 characters</p>`}},
		{"Mismatch", url.Values{"current_password": {"correct horse battery"}, "password": {"a much longer one"}, "confirm": {"a much longer two"}},
			422, []string{`id="confirm-error">does not match the new password</p>`}},
		{"Changed", url.Values{"current_password": {"correct horse battery"}, "password": {"a much longer one"}, "confirm": {"a much longer one"}},
			200, []string{`id="password-changed"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, "POST", "/password", tt.form.Encode(), cookie...)
			mustStatus(t, resp, tt.status)
			mustContain(t, resp.Body, tt.fragments...)
		})
	}
	if set != "a much longer one" {
		t.Fatalf("SetPassword got %q, want %q", set, "a much longer one")
	}
	resp := s.Do(t, "GET", "/password", "", "Cookie", "annex_session=newcomer-token")
	mustContain(t, resp.Body, `id="password-forced"`)
	if strings.Contains(resp.Body, "newcomer-token") {
		t.Fatalf("the page shows the session token")
	}
}

func findCookie(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}
