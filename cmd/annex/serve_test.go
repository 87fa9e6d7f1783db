package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"annex"
	"annex/sqlstore"
)

// MustRunMain starts Annex on a free loopback port with a database in dir.
func MustRunMain(tb testing.TB, dir string) (*Main, string) {
	tb.Helper()
	m := NewMain()
	m.Config.Addr = "127.0.0.1:0"
	m.Config.DataDir = dir
	var out bytes.Buffer
	m.Out = &out
	if err := m.Run(context.Background()); err != nil {
		tb.Fatalf("Run: %v", err)
	}
	tb.Cleanup(func() { m.Close() })
	return m, out.String()
}

var passwordRE = regexp.MustCompile(`One-time password: (\S+)`)

// TestServe starts the server as `annex serve` does, on a fresh SQLite
// database: it creates the administrator once, with a one-time password that
// signs in and must be changed, and serves the classifier.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	m, out := MustRunMain(t, dir)
	match := passwordRE.FindStringSubmatch(out)
	if match == nil {
		t.Fatalf("no one-time password printed:\n%s", out)
	}
	base := m.Server.URL()

	t.Run("classify over the API", func(t *testing.T) {
		resp, err := http.Post(base+"/api/v1/classify", "application/json", strings.NewReader(srm7))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var cl annex.Classification
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&cl) != nil {
			t.Fatalf("status=%d", resp.StatusCode)
		}
		if cl.Category != annex.CategoryI || len(cl.Entries) == 0 || cl.Entries[0].ID != "2.A.1.c" {
			t.Errorf("classification=%+v, want Category I under 2.A.1.c", cl)
		}
	})
	t.Run("capability over the API", func(t *testing.T) {
		resp, err := http.Post(base+"/api/v1/capability", "application/json", strings.NewReader(scudB))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var c annex.Capability
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&c) != nil || c.Category != "I" || len(c.Curve) == 0 {
			t.Errorf("status=%d capability=%+v, want Category I with a curve", resp.StatusCode, c)
		}
	})
	t.Run("invalid item is 422 with the field path", func(t *testing.T) {
		resp, err := http.Post(base+"/api/v1/classify", "application/json", strings.NewReader(`{"kind": "solid_rocket_motor", "params": {"total_impulse_ns": -1}}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"params.total_impulse_ns"`) {
			t.Errorf("status=%d body=%s, want 422 naming params.total_impulse_ns", resp.StatusCode, body)
		}
	})
	t.Run("one-time password signs in and must be changed", func(t *testing.T) {
		body := `{"username": "admin", "password": "` + match[1] + `"}`
		resp, err := http.Post(base+"/api/v1/session", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var s struct {
			Token string     `json:"token"`
			User  annex.User `json:"user"`
		}
		if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&s) != nil || s.Token == "" {
			t.Fatalf("sign in: status=%d", resp.StatusCode)
		}
		if s.User.Role != annex.RoleAdmin || !s.User.MustChangePassword {
			t.Errorf("user=%+v, want an administrator who must change the password", s.User)
		}
	})

	// A second start on the same database creates no second administrator
	// and prints no password.
	m.Close()
	m2, out2 := MustRunMain(t, dir)
	if strings.Contains(out2, "One-time password") {
		t.Errorf("second start printed a password:\n%s", out2)
	}
	users, n, err := sqlstore.NewUserService(m2.DB).FindUsers(context.Background(), annex.UserFilter{})
	if err != nil || n != 1 || users[0].Username != "admin" {
		t.Errorf("users=%v (n=%d, err %v), want the one administrator", users, n, err)
	}
	if v, err := sqlstore.NewAuditService(m2.DB).VerifyAudit(context.Background()); err != nil || !v.OK || v.Events == 0 {
		t.Errorf("audit=%+v, %v: want an intact trail recording the administrator's creation", v, err)
	}
}

// TestAdminCommands runs the administrative commands on a local database.
func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, out, errOut := runCLI(t, "", nil, "migrate", "-data", data); code != exitOK {
		t.Fatalf("migrate: exit=%d %s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, "", map[string]string{"APP_DATA_DIR": data}, "users", "create", "-username", "officer1", "-role", "licensing_officer", "-name", "A. Officer")
	if code != exitOK || !strings.Contains(out, "one-time password") {
		t.Fatalf("users create: exit=%d %s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", nil, "users", "create", "-data", data, "-username", "x", "-role", "wizard"); code != exitBadInput || !strings.Contains(errOut, "role") {
		t.Errorf("bad role: exit=%d stderr %q", code, errOut)
	}
	if code, out, _ := runCLI(t, "", nil, "users", "list", "-data", data); code != exitOK || !strings.Contains(out, "officer1") {
		t.Errorf("users list: exit=%d\n%s", code, out)
	}

	// Export the built-in list, give it a new identity, import it.
	_, exported, _ := runCLI(t, "", nil, "controllist", "export")
	var v map[string]any
	json.Unmarshal([]byte(exported), &v)
	v["id"], v["effective_date"] = "test-2099", "2099-01-01"
	b, _ := json.Marshal(v)
	path := filepath.Join(dir, "list.json")
	writeFile(t, path, b)
	if code, out, errOut := runCLI(t, "", nil, "controllist", "import", "-data", data, path); code != exitOK || !strings.Contains(out, "imported list version test-2099") {
		t.Fatalf("import: exit=%d %s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", nil, "controllist", "import", "-data", data, path); code != exitFailure || !strings.Contains(errOut, "already") {
		t.Errorf("second import: exit=%d stderr %q, want a conflict", code, errOut)
	}
	if code, out, _ := runCLI(t, "", nil, "audit", "verify", "-data", data); code != exitOK || !strings.Contains(out, "intact") {
		t.Errorf("audit verify: exit=%d\n%s", code, out)
	}
}
