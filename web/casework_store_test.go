package web_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/policy"
	"annex/policy/policytest"
	"annex/sqlstore"
)

// stack is a web.Server over the real services: SQLite in a temporary
// directory, the real control list and the real assessment.
type stack struct {
	*Server
	DB       *sqlstore.DB
	Users    *sqlstore.UserService
	Sessions *sqlstore.SessionService
	Apps     *sqlstore.ApplicationService
	Licences *sqlstore.LicenceService
	Orgs     *sqlstore.OrganisationService
	Assess   *policy.Service
}

// mustOpenStack opens the real stack; opts change the server before it
// opens.
func mustOpenStack(tb testing.TB, opts ...func(*Server)) *stack {
	tb.Helper()
	db := sqlstore.NewDB(filepath.Join(tb.TempDir(), "annex.db"))
	if err := db.Open(); err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	cl := mustControlList(tb)
	st := &stack{DB: db, Users: sqlstore.NewUserService(db), Sessions: sqlstore.NewSessionService(db),
		Apps: sqlstore.NewApplicationService(db), Licences: sqlstore.NewLicenceService(db), Orgs: sqlstore.NewOrganisationService(db),
		Assess: policytest.NewService(tb, cl, nil)}
	st.Users.PasswordParams = sqlstore.PasswordParams{MemoryKiB: 64, Iterations: 1, Threads: 1}
	st.Apps.Assess = st.Assess
	st.Server = MustOpenServer(tb, append([]func(*Server){func(s *Server) {
		s.Server.ControlListService = cl
		s.Server.UserService = st.Users
		s.Server.SessionService = st.Sessions
		s.Server.AuditService = sqlstore.NewAuditService(db)
		s.Server.AssessService = st.Assess
		s.Server.ApplicationService = st.Apps
		s.Server.LicenceService = st.Licences
		s.Server.OrganisationService = st.Orgs
		s.Server.Now = time.Now
	}}, opts...)...)
	return st
}

// mustOrg creates an organisation.
func (st *stack) mustOrg(tb testing.TB, name string, kind annex.OrganisationKind) *annex.Organisation {
	tb.Helper()
	o := &annex.Organisation{Name: name, Kind: kind}
	if err := st.Orgs.CreateOrganisation(context.Background(), o); err != nil {
		tb.Fatalf("CreateOrganisation(%s): %v", name, err)
	}
	return o
}

// storePassword is the password of the users the stack tests create.
const storePassword = "correct horse battery"

// mustUser creates a user and returns it with the bearer header of a new
// session.
func (st *stack) mustUser(tb testing.TB, u *annex.User) (*annex.User, []string) {
	tb.Helper()
	if err := st.Users.CreateUser(context.Background(), u, storePassword); err != nil {
		tb.Fatalf("CreateUser(%s): %v", u.Username, err)
	}
	sess, err := st.Sessions.CreateSession(context.Background(), u.ID, time.Hour)
	if err != nil {
		tb.Fatalf("CreateSession: %v", err)
	}
	return u, []string{"Authorization", "Bearer " + sess.Token}
}

// mustJSON sends an API request that must answer with the status, and
// decodes the answer into v (unless nil).
func (st *stack) mustJSON(tb testing.TB, status int, method, path, body string, header []string, v any) {
	tb.Helper()
	resp := st.Do(tb, method, path, body, header...)
	mustStatus(tb, resp, status)
	if v != nil {
		mustDecode(tb, resp, v)
	}
}

// TestOrganisationIsolation checks, over the real store, that an exporter
// of another organisation finds nothing of an application, its document
// or its licence, through every route that touches them: each answers 404
// as if the record did not exist, and the lists leave them out. An
// exporter administrator of the other organisation neither sees nor
// creates users of the first.
func TestOrganisationIsolation(t *testing.T) {
	st := mustOpenStack(t)
	nord := st.mustOrg(t, "Nordrocket GmbH", annex.OrgExporter)
	rival := st.mustOrg(t, "Rival Exports Ltd", annex.OrgExporter)
	_, owner := st.mustUser(t, &annex.User{Username: "nord1", Name: "Nord", Role: annex.RoleExporterUser, OrgID: nord.ID})
	rivalUser, other := st.mustUser(t, &annex.User{Username: "rival1", Name: "Rival", Role: annex.RoleExporterUser, OrgID: rival.ID})
	_, off := st.mustUser(t, &annex.User{Username: "officer1", Name: "Officer", Role: annex.RoleLicensingOfficer})

	// A Category II gyroscope for Germany: approved without
	// countersignature, so that a licence is issued.
	spec := `{"destination": "DE", "end_use": "Satellite attitude control research",
		"assurances": {"end_use_statement": true, "no_wmd_use": true, "no_retransfer": true},
		"parties": [{"role": "end_user", "name": "Hans Muller Raumfahrt GmbH", "country": "DE"}],
		"items": [{"name": "FOG gyro", "kind": "gyroscope", "params": {"drift_rate_deg_per_h": 0.2}, "quantity": 10, "unit": "pieces", "value": 50000}]}`
	var app annex.Application
	st.mustJSON(t, http.StatusCreated, "POST", "/api/v1/applications", spec, owner, &app)
	body, ct := multipartBody(t, "euc.pdf", "kind", "end_user_certificate", "file", string(pdf))
	var doc annex.Document
	st.mustJSON(t, http.StatusCreated, "POST", fmt.Sprintf("/api/v1/applications/%d/documents", app.ID), body, append(owner, "Content-Type", ct), &doc)
	act := func(h []string, v int64, a string) {
		st.mustJSON(t, http.StatusOK, "POST", fmt.Sprintf("/api/v1/applications/%d/actions", app.ID), a, h, &app)
	}
	act(owner, app.Version, fmt.Sprintf(`{"type": "submit", "version": %d}`, app.Version))
	act(off, app.Version, fmt.Sprintf(`{"type": "assign", "version": %d}`, app.Version))
	act(off, app.Version, fmt.Sprintf(`{"type": "decide", "version": %d, "decision": {"type": "approve", "reasons": "Conditions met.", "valid_months": 12}}`, app.Version))
	if app.Status != annex.StatusApproved || app.Licence == "" {
		t.Fatalf("status %s licence %q, want approved with a licence", app.Status, app.Licence)
	}

	id, lic := app.ID, app.Licence
	upload, uct := multipartBody(t, "euc.pdf", "kind", "other", "file", string(pdf))
	tests := []struct {
		method, path, body string
		header             []string
	}{
		{"GET", fmt.Sprintf("/api/v1/applications/%d", id), "", nil},
		{"PUT", fmt.Sprintf("/api/v1/applications/%d", id), fmt.Sprintf(`{"version": %d, "application": %s}`, app.Version, spec), nil},
		{"POST", fmt.Sprintf("/api/v1/applications/%d/actions", id), fmt.Sprintf(`{"type": "appeal", "version": %d, "reason": "x"}`, app.Version), nil},
		{"POST", fmt.Sprintf("/api/v1/applications/%d/documents", id), upload, []string{"Content-Type", uct}},
		{"GET", fmt.Sprintf("/api/v1/documents/%d", doc.ID), "", nil},
		{"GET", "/api/v1/licences/" + lic, "", nil},
		{"GET", "/api/v1/licences/" + lic + "/shipments", "", nil},
		{"GET", fmt.Sprintf("/applications/%d", id), "", nil},
		{"GET", fmt.Sprintf("/applications/%d/edit", id), "", nil},
		{"POST", fmt.Sprintf("/applications/%d/edit", id), "destination=DE", []string{"Content-Type", "application/x-www-form-urlencoded"}},
		{"POST", fmt.Sprintf("/applications/%d/actions", id), fmt.Sprintf("type=appeal&version=%d&reason=x", app.Version), []string{"Content-Type", "application/x-www-form-urlencoded"}},
		{"POST", fmt.Sprintf("/applications/%d/documents", id), upload, []string{"Content-Type", uct}},
		{"GET", "/licences/" + lic, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			h := other
			if !strings.HasPrefix(tt.path, "/api/") {
				h = []string{"Cookie", "annex_session=" + strings.TrimPrefix(other[1], "Bearer ")}
			}
			resp := st.Do(t, tt.method, tt.path, tt.body, append(append([]string{}, h...), tt.header...)...)
			mustStatus(t, resp, http.StatusNotFound)
			// The owner reaches the same records.
			if tt.method == "GET" {
				oh := owner
				if !strings.HasPrefix(tt.path, "/api/") {
					oh = []string{"Cookie", "annex_session=" + strings.TrimPrefix(owner[1], "Bearer ")}
				}
				if resp := st.Do(t, tt.method, tt.path, "", oh...); resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("owner: Status=%v", resp.StatusCode)
				}
			}
		})
	}
	t.Run("Store", func(t *testing.T) {
		// The store itself hides the records, not only the web's checks.
		ctx := annex.NewContextWithUser(context.Background(), rivalUser)
		_, err := st.Apps.FindApplicationByID(ctx, id)
		_, _, derr := st.Apps.FindDocument(ctx, doc.ID)
		_, lerr := st.Licences.FindLicenceByNumber(ctx, lic)
		_, serr := st.Licences.FindShipments(ctx, lic)
		for _, err := range []error{err, derr, lerr, serr} {
			if annex.ErrorCode(err) != annex.ENOTFOUND {
				t.Errorf("err=%v, want ENOTFOUND", err)
			}
		}
	})
	t.Run("Lists", func(t *testing.T) {
		var apps struct{ Total int }
		st.mustJSON(t, http.StatusOK, "GET", "/api/v1/applications", "", other, &apps)
		var ls struct{ Total int }
		st.mustJSON(t, http.StatusOK, "GET", "/api/v1/licences", "", other, &ls)
		if apps.Total != 0 || ls.Total != 0 {
			t.Fatalf("the rival lists %d applications and %d licences, want none", apps.Total, ls.Total)
		}
		st.mustJSON(t, http.StatusOK, "GET", "/api/v1/applications", "", owner, &apps)
		st.mustJSON(t, http.StatusOK, "GET", "/api/v1/licences", "", owner, &ls)
		if apps.Total != 1 || ls.Total != 1 {
			t.Fatalf("the owner lists %d applications and %d licences, want 1 and 1", apps.Total, ls.Total)
		}
		resp := st.Do(t, "GET", "/applications", "", "Cookie", "annex_session="+strings.TrimPrefix(other[1], "Bearer "))
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="no-applications"`)
	})
	t.Run("Users", func(t *testing.T) {
		// An exporter administrator of the other organisation sees and
		// creates only its own organisation's users, through the API, the
		// page and the store alike.
		rivalAdmin, radm := st.mustUser(t, &annex.User{Username: "rivaladmin", Name: "Rival Admin", Role: annex.RoleExporterAdmin, OrgID: rival.ID})
		page := []string{"Cookie", "annex_session=" + strings.TrimPrefix(radm[1], "Bearer "), "Content-Type", "application/x-www-form-urlencoded"}
		type userList struct {
			Total int
			Users []*annex.User
		}
		mustList := func(t *testing.T, path string, want ...string) {
			t.Helper()
			var got userList
			st.mustJSON(t, http.StatusOK, "GET", path, "", radm, &got)
			if diff := cmp.Diff(append([]string{}, want...), usernames(got.Users)); diff != "" || got.Total != len(want) {
				t.Fatalf("GET %s: total %d, users (-want +got):\n%s", path, got.Total, diff)
			}
		}
		mustList(t, "/api/v1/users", "rival1", "rivaladmin")
		mustList(t, fmt.Sprintf("/api/v1/users?org_id=%d", rival.ID), "rival1", "rivaladmin")
		mustList(t, fmt.Sprintf("/api/v1/users?org_id=%d", nord.ID))

		for _, tt := range []struct{ body, field string }{
			{fmt.Sprintf(`{"username": "spy1", "role": "exporter_user", "org_id": %d}`, nord.ID), "org_id"},
			{fmt.Sprintf(`{"username": "spy2", "role": "exporter_admin", "org_id": %d}`, nord.ID), "org_id"},
			{`{"username": "spy3", "role": "licensing_officer"}`, "role"},
			{`{"username": "spy4", "role": "admin"}`, "role"},
		} {
			if p := mustProblem(t, st.Do(t, "POST", "/api/v1/users", tt.body, radm...), http.StatusUnprocessableEntity); p.Field != tt.field {
				t.Errorf("%s: problem=%+v, want field %s", tt.body, p, tt.field)
			}
		}
		resp := st.Do(t, "POST", "/admin/users", fmt.Sprintf("username=spy5&role=exporter_user&org_id=%d", nord.ID), page...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `id="user-org-error">`)

		var created struct {
			User     annex.User
			Password string
		}
		st.mustJSON(t, http.StatusCreated, "POST", "/api/v1/users", `{"username": "rival2", "name": "Second Rival", "role": "exporter_user"}`, radm, &created)
		if created.User.OrgID != rival.ID || created.User.Role != annex.RoleExporterUser || !created.User.MustChangePassword {
			t.Fatalf("created %+v, want an exporter user of organisation %d who must change the password", created.User, rival.ID)
		}
		if _, err := st.Users.Authenticate(context.Background(), "rival2", created.Password); err != nil {
			t.Fatalf("the one-time password does not sign in: %v", err)
		}
		resp = st.Do(t, "GET", "/admin/users", "", page...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, "Users of Rival Exports Ltd", ">rival1<", ">rival2<", ">rivaladmin<")
		for _, name := range []string{">nord1<", ">officer1<", "Nordrocket"} {
			if strings.Contains(resp.Body, name) {
				t.Errorf("the rival's users page has %s", name)
			}
		}

		// An exporter user manages no users.
		mustProblem(t, st.Do(t, "GET", "/api/v1/users", "", other...), http.StatusForbidden)
		mustProblem(t, st.Do(t, "POST", "/api/v1/users", `{"username": "spy6", "role": "exporter_user"}`, other...), http.StatusForbidden)

		// The store refuses by itself too.
		ctx := annex.NewContextWithUser(context.Background(), rivalAdmin)
		err := st.Users.CreateUser(ctx, &annex.User{Username: "spy7", Role: annex.RoleExporterUser, OrgID: nord.ID}, storePassword)
		if annex.ErrorCode(err) != annex.EFORBIDDEN {
			t.Errorf("CreateUser in another organisation: err=%v, want EFORBIDDEN", err)
		}
		if users, n, err := st.Users.FindUsers(ctx, annex.UserFilter{OrgID: &nord.ID}); err != nil || n != 0 || len(users) != 0 {
			t.Errorf("FindUsers of another organisation: %d users (%v), want none", n, err)
		}

		// Nothing was added to the first organisation, nor to the authority.
		all, _, err := st.Users.FindUsers(context.Background(), annex.UserFilter{})
		if err != nil {
			t.Fatalf("FindUsers: %v", err)
		}
		if diff := cmp.Diff([]string{"nord1", "rival1", "officer1", "rivaladmin", "rival2"}, usernames(all)); diff != "" {
			t.Fatalf("users (-want +got):\n%s", diff)
		}
	})
}

// tableCases returns the rows of the shared table without policy holds,
// which live in the database of the sanctions register.
func tableCases(t *testing.T) []policytest.Case {
	t.Helper()
	var out []policytest.Case
	for _, c := range policytest.LoadCases(t) {
		if len(c.Holds) == 0 {
			out = append(out, c)
		}
	}
	if len(out) < 30 {
		t.Fatalf("%d cases without holds, want at least 30", len(out))
	}
	return out
}

// TestAssessTableAPI runs the shared table through POST /api/v1/assess
// with the real assessment: the API gives the answers the policy and CLI
// tests expect.
func TestAssessTableAPI(t *testing.T) {
	cl := mustControlList(t)
	s := MustOpenServer(t, func(s *Server) { s.Server.AssessService = policytest.NewService(t, cl, nil) })
	for _, tt := range tableCases(t) {
		t.Run(tt.Name, func(t *testing.T) {
			resp := s.Do(t, "POST", "/api/v1/assess", string(tt.Application))
			mustStatus(t, resp, http.StatusOK)
			var a annex.Assessment
			mustDecode(t, resp, &a)
			var rules []string
			for _, r := range a.Reasons {
				rules = append(rules, r.Rule)
			}
			policytest.CheckOutcome(t, tt, string(a.Recommendation), string(a.Presumption), a.LicenceRequired, rules)
			if len(a.Factors) != 6 {
				t.Errorf("%d factors, want 6", len(a.Factors))
			}
		})
	}
	t.Run("ItemPath", func(t *testing.T) {
		body := `{"destination": "DE", "end_use": "x", "parties": [{"role": "end_user", "name": "A", "country": "DE"}],
			"items": [{"kind": "other", "quantity": 1, "value": 1}, {"kind": "gyroscope", "params": {"x": 1}, "quantity": 1, "value": 1}]}`
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/assess", body), http.StatusUnprocessableEntity)
		if p.Field != "items[1].params.x" {
			t.Fatalf("problem=%+v", p)
		}
	})
}

// Patterns that read the assessment off a page.
var (
	assessmentRE = regexp.MustCompile(`<section id="assessment" class="assessment" aria-labelledby="assessment-heading" data-recommendation="([a-z_]*)"\s+data-presumption="([a-z_]*)" data-licence-required="(true|false)"`)
	findingRE    = regexp.MustCompile(`<li class="finding" data-rule="([^"]+)">`)
	factorRE     = regexp.MustCompile(`<li class="factor[^"]*" data-factor="([A-F])">`)
)

// TestAssessTablePage runs the shared table through the exporter's pages
// over the real store: each application is created through the API,
// submitted, which runs the real assessment, and read off the exporter's
// page. The page gives the answers of the API, the CLI and the policy.
func TestAssessTablePage(t *testing.T) {
	st := mustOpenStack(t)
	org := st.mustOrg(t, "Nordrocket GmbH", annex.OrgExporter)
	_, exp := st.mustUser(t, &annex.User{Username: "nord1", Name: "Nord", Role: annex.RoleExporterUser, OrgID: org.ID})
	page := []string{"Cookie", "annex_session=" + strings.TrimPrefix(exp[1], "Bearer ")}
	for _, tt := range tableCases(t) {
		t.Run(tt.Name, func(t *testing.T) {
			var app annex.Application
			st.mustJSON(t, http.StatusCreated, "POST", "/api/v1/applications", string(tt.Application), exp, &app)
			st.mustJSON(t, http.StatusOK, "POST", fmt.Sprintf("/api/v1/applications/%d/actions", app.ID),
				fmt.Sprintf(`{"type": "submit", "version": %d}`, app.Version), exp, &app)
			resp := st.Do(t, "GET", fmt.Sprintf("/applications/%d", app.ID), "", page...)
			mustStatus(t, resp, http.StatusOK)
			m := assessmentRE.FindStringSubmatch(resp.Body)
			if m == nil {
				t.Fatalf("no assessment on the page:\n%s", resp.Body)
			}
			var rules []string
			for _, f := range findingRE.FindAllStringSubmatch(resp.Body, -1) {
				rules = append(rules, f[1])
			}
			policytest.CheckOutcome(t, tt, m[1], m[2], m[3] == "true", rules)
			if n := len(factorRE.FindAllString(resp.Body, -1)); n != 6 {
				t.Errorf("%d factors on the page, want 6", n)
			}
			// The page says what the stored assessment says.
			if a := app.Assessment; a == nil || string(a.Recommendation) != m[1] || len(a.Reasons) != len(rules) {
				t.Errorf("stored assessment %+v, page %v with rules %v", a, m[1:], rules)
			}
		})
	}
}
