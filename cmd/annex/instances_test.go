package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"annex"
	"annex/sqlstore"
)

// apiClient signs in to one instance and calls its JSON API.
type apiClient struct {
	t     *testing.T
	base  string
	token string
}

func (c *apiClient) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

func signIn(t *testing.T, base, username, password string) *apiClient {
	t.Helper()
	c := &apiClient{t: t, base: base}
	code, body := c.do("POST", "/api/v1/session", map[string]string{"username": username, "password": password})
	if code != http.StatusCreated {
		t.Fatalf("sign in %s: %d %s", username, code, body)
	}
	var s struct {
		Token string `json:"token"`
	}
	json.Unmarshal(body, &s)
	c.token = s.Token
	return c
}

// TestTwoInstancesOnePostgres runs two `annex serve` instances on one
// PostgreSQL database: a case created on one is worked on the other, and
// when two officers act on the same version at once, through different
// instances, exactly one wins and the other is told.
func TestTwoInstancesOnePostgres(t *testing.T) {
	base := os.Getenv("APP_TEST_POSTGRES_URL")
	if base == "" || testing.Short() {
		t.Skip("set APP_TEST_POSTGRES_URL to run the two-instance test")
	}
	dsn := postgresSchema(t, base)
	var instances [2]*Main
	for i := range instances {
		m := NewMain()
		m.Config.Addr = "127.0.0.1:0"
		m.Config.DB = dsn
		if err := m.Run(context.Background()); err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		t.Cleanup(func() { m.Close() })
		instances[i] = m
	}
	ctx := context.Background()
	db := instances[0].DB
	users := sqlstore.NewUserService(db)
	orgs := sqlstore.NewOrganisationService(db)
	org := &annex.Organisation{Name: "Acme Aerospace", Kind: annex.OrgExporter}
	if err := orgs.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	const pw = "a long enough password"
	for _, u := range []*annex.User{
		{Username: "exporter", Name: "E", Role: annex.RoleExporterUser, OrgID: org.ID},
		{Username: "officer1", Name: "O1", Role: annex.RoleLicensingOfficer},
		{Username: "officer2", Name: "O2", Role: annex.RoleLicensingOfficer},
	} {
		if err := users.CreateUser(ctx, u, pw); err != nil {
			t.Fatal(err)
		}
	}
	a, b := instances[0].Server.URL(), instances[1].Server.URL()
	exp := signIn(t, a, "exporter", pw)
	app := map[string]any{"destination": "DE", "end_use": "attitude control research",
		"assurances": map[string]bool{"end_use_statement": true, "no_wmd_use": true, "no_retransfer": true},
		"parties":    []map[string]string{{"role": "end_user", "name": "Hans Muller Raumfahrt GmbH", "country": "DE"}},
		"items":      []map[string]any{{"kind": "gyroscope", "params": map[string]any{"drift_rate_deg_per_h": 0.2}, "quantity": 4, "value": 20000}}}
	code, body := exp.do("POST", "/api/v1/applications", app)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	var created annex.Application
	json.Unmarshal(body, &created)
	// Submitted through the other instance.
	expB := signIn(t, b, "exporter", pw)
	code, body = expB.do("POST", fmt.Sprintf("/api/v1/applications/%d/actions", created.ID), annex.CaseAction{Type: annex.ActSubmit, Version: created.Version})
	if code != http.StatusOK {
		t.Fatalf("submit on B: %d %s", code, body)
	}
	var submitted annex.Application
	json.Unmarshal(body, &submitted)
	if submitted.Reference == "" || submitted.Assessment == nil {
		t.Fatalf("submitted=%+v, want a reference and an assessment", submitted)
	}

	// Two officers take the case at once, one on each instance.
	o1, o2 := signIn(t, a, "officer1", pw), signIn(t, b, "officer2", pw)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, c := range []*apiClient{o1, o2} {
		wg.Go(func() {
			codes[i], _ = c.do("POST", fmt.Sprintf("/api/v1/applications/%d/actions", created.ID), annex.CaseAction{Type: annex.ActAssign, Version: submitted.Version})
		})
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflict++
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("codes=%v, want one 200 and one 409", codes)
	}
	// Both instances now tell the same story.
	_, bodyA := o1.do("GET", fmt.Sprintf("/api/v1/applications/%d", created.ID), nil)
	_, bodyB := o2.do("GET", fmt.Sprintf("/api/v1/applications/%d", created.ID), nil)
	var fromA, fromB annex.Application
	json.Unmarshal(bodyA, &fromA)
	json.Unmarshal(bodyB, &fromB)
	if fromA.Version != fromB.Version || fromA.AssignedTo != fromB.AssignedTo || fromA.Status != annex.StatusUnderReview {
		t.Errorf("instances disagree: A %s v%d to %d, B %s v%d to %d", fromA.Status, fromA.Version, fromA.AssignedTo, fromB.Status, fromB.Version, fromB.AssignedTo)
	}
	if v, err := sqlstore.NewAuditService(db).VerifyAudit(ctx); err != nil || !v.OK {
		t.Errorf("audit=%+v %v", v, err)
	}
	if strings.Contains(string(bodyA), `"password`) {
		t.Error("a response leaks a password field")
	}
}

// postgresSchema creates a schema with a random name in the database at
// base, dropped when the test ends, and returns base with search_path set
// to it.
func postgresSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
