package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

func TestOrganisationAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.OrganisationService.CreateOrganisationFn = func(_ context.Context, o *annex.Organisation) error {
		if o.Name == "Taken GmbH" {
			return annex.Errorf(annex.ECONFLICT, "an organisation named Taken GmbH exists")
		}
		o.ID, o.CreatedAt = 5, fixedClock
		return nil
	}
	s.OrganisationService.FindOrganisationsFn = func(context.Context) ([]*annex.Organisation, error) {
		return []*annex.Organisation{{ID: 5, Name: "Nordrocket GmbH", Kind: annex.OrgExporter, CreatedAt: fixedClock}}, nil
	}
	resp := s.Do(t, "POST", "/api/v1/organisations", `{"name": " Nordrocket GmbH ", "kind": "exporter"}`, as("admin")...)
	mustStatus(t, resp, http.StatusCreated)
	var o annex.Organisation
	mustDecode(t, resp, &o)
	if diff := cmp.Diff(annex.Organisation{ID: 5, Name: "Nordrocket GmbH", Kind: annex.OrgExporter, CreatedAt: fixedClock}, o); diff != "" {
		t.Fatalf("organisation mismatch (-want +got):\n%s", diff)
	}
	resp = s.Do(t, "GET", "/api/v1/organisations", "", as("admin")...)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, resp.Body, `"total":1`, `"name":"Nordrocket GmbH"`)

	for _, tt := range []struct{ body, field string }{
		{`{"name": "", "kind": "exporter"}`, "name"},
		{`{"name": "X", "kind": "bank"}`, "kind"},
	} {
		if p := mustProblem(t, s.Do(t, "POST", "/api/v1/organisations", tt.body, as("admin")...), http.StatusUnprocessableEntity); p.Field != tt.field {
			t.Errorf("%s: problem=%+v", tt.body, p)
		}
	}
	mustProblem(t, s.Do(t, "POST", "/api/v1/organisations", `{"name": "Taken GmbH", "kind": "exporter"}`, as("admin")...), http.StatusConflict)
}

func TestUserAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	var password string
	s.UserService.CreateUserFn = func(_ context.Context, u *annex.User, pw string) error {
		if u.Username == "taken" {
			return annex.Errorf(annex.ECONFLICT, "username taken is taken")
		}
		password = pw
		u.ID, u.CreatedAt, u.UpdatedAt = 40, fixedClock, fixedClock
		return nil
	}
	s.UserService.FindUsersFn = func(_ context.Context, f annex.UserFilter) ([]*annex.User, int, error) {
		if f.OrgID == nil || *f.OrgID != 5 || f.Limit != 100 {
			t.Errorf("filter=%+v", f)
		}
		return []*annex.User{caseUsers["exporter"]}, 1, nil
	}
	resp := s.Do(t, "POST", "/api/v1/users", `{"username": "reviewer2", "name": "Second Reviewer", "role": "reviewer", "department": "defence"}`, as("admin")...)
	mustStatus(t, resp, http.StatusCreated)
	var got struct {
		User     annex.User `json:"user"`
		Password string     `json:"password"`
	}
	mustDecode(t, resp, &got)
	want := annex.User{ID: 40, Username: "reviewer2", Name: "Second Reviewer", Role: annex.RoleReviewer, Department: annex.DeptDefence,
		MustChangePassword: true, CreatedAt: fixedClock, UpdatedAt: fixedClock}
	if diff := cmp.Diff(want, got.User); diff != "" {
		t.Fatalf("user mismatch (-want +got):\n%s", diff)
	}
	if got.Password != password || len(password) < annex.MinPasswordLength {
		t.Fatalf("password %q, stored %q", got.Password, password)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("Cache-Control=%q", resp.Header.Get("Cache-Control"))
	}

	resp = s.Do(t, "GET", "/api/v1/users?org_id=5", "", as("admin")...)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, resp.Body, `"total":1`, `"username":"exporter1"`)

	for _, tt := range []struct{ body, field string }{
		{`{"username": "X Y", "role": "customs"}`, "username"},
		{`{"username": "ex1", "role": "exporter_user"}`, "org_id"},
		{`{"username": "rev1", "role": "reviewer"}`, "department"},
		{`{"username": "cus1", "role": "customs", "org_id": 5}`, "org_id"},
		{`{"username": "cus1", "role": "customs", "department": "defence"}`, "department"},
		{`{"username": "god", "role": "god"}`, "role"},
	} {
		if p := mustProblem(t, s.Do(t, "POST", "/api/v1/users", tt.body, as("admin")...), http.StatusUnprocessableEntity); p.Field != tt.field {
			t.Errorf("%s: problem=%+v", tt.body, p)
		}
	}
	mustProblem(t, s.Do(t, "POST", "/api/v1/users", `{"username": "taken", "role": "customs"}`, as("admin")...), http.StatusConflict)
	mustProblem(t, s.Do(t, "GET", "/api/v1/users?org_id=x", "", as("admin")...), http.StatusUnprocessableEntity)
}

func TestAdminPages(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	s.OrganisationService.CreateOrganisationFn = func(_ context.Context, o *annex.Organisation) error {
		o.ID = 7
		return nil
	}
	s.UserService.FindUsersFn = func(context.Context, annex.UserFilter) ([]*annex.User, int, error) {
		return []*annex.User{caseUsers["exporter"], caseUsers["reviewer"]}, 2, nil
	}
	s.UserService.CreateUserFn = func(_ context.Context, u *annex.User, _ string) error {
		u.ID = 40
		return nil
	}
	resp := s.Do(t, "GET", "/admin/organisations", "", cookie("admin")...)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, resp.Body, `<tr class="organisation" id="organisation-5"><td>5</td><th scope="row">Nordrocket GmbH</th>`)
	resp = s.Do(t, "POST", "/admin/organisations", "name=Skyworks&kind=exporter", cookie("admin")...)
	mustStatus(t, resp, http.StatusSeeOther)
	resp = s.Do(t, "POST", "/admin/organisations", "name=&kind=bank", cookie("admin")...)
	mustStatus(t, resp, http.StatusUnprocessableEntity)
	mustContain(t, resp.Body, `id="org-name-error">required, at most 200 characters</p>`, `id="org-kind-error">must be exporter or authority</p>`)

	resp = s.Do(t, "GET", "/admin/users", "", cookie("admin")...)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, resp.Body, `<td>Nordrocket GmbH</td>`, `<option value="5">Nordrocket GmbH</option>`)
	resp = s.Do(t, "POST", "/admin/users", "username=exp2&name=Second+Exporter&role=exporter_user&org_id=5", cookie("admin")...)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, resp.Body, `<strong id="created-username">exp2</strong>`, `<code id="new-password">`)
	resp = s.Do(t, "POST", "/admin/users", "username=rev2&role=reviewer", cookie("admin")...)
	mustStatus(t, resp, http.StatusUnprocessableEntity)
	mustContain(t, resp.Body, `id="user-department-error">a reviewer belongs to foreign_affairs or defence</p>`, `value="rev2"`)
}

// orgUsers is a mock of FindUsers over the case users: those of the
// filter's organisation, or everyone's.
func orgUsers(_ context.Context, f annex.UserFilter) ([]*annex.User, int, error) {
	users := []*annex.User{}
	for _, name := range []string{"admin", "exporter", "expadmin", "rival", "rivaladmin", "reviewer"} {
		if u := caseUsers[name]; f.OrgID == nil || u.OrgID == *f.OrgID {
			users = append(users, u)
		}
	}
	return users, len(users), nil
}

// usernames returns the usernames of a user list.
func usernames(users []*annex.User) []string {
	names := []string{}
	for _, u := range users {
		names = append(names, u.Username)
	}
	return names
}

// TestUserAPIExporterAdmin checks that an exporter administrator lists only
// its organisation's users and creates only exporter users of it, while an
// administrator still sees everyone and an exporter user reaches neither.
func TestUserAPIExporterAdmin(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	var filters []annex.UserFilter
	s.UserService.FindUsersFn = func(ctx context.Context, f annex.UserFilter) ([]*annex.User, int, error) {
		filters = append(filters, f)
		return orgUsers(ctx, f)
	}
	var created []*annex.User
	var password string
	s.UserService.CreateUserFn = func(ctx context.Context, u *annex.User, pw string) error {
		if got := annex.UserFromContext(ctx); got != caseUsers["expadmin"] {
			t.Errorf("created by %v, want the exporter administrator", got)
		}
		created, password = append(created, u), pw
		u.ID, u.CreatedAt, u.UpdatedAt = 40+int64(len(created)), fixedClock, fixedClock
		return nil
	}

	t.Run("List", func(t *testing.T) {
		tests := []struct {
			name, user, query string
			want              []string
			// asked is whether the store is asked, and then for which
			// organisation (0 for every one).
			asked bool
			org   int64
		}{
			{"exporter admin", "expadmin", "", []string{"exporter1", "nordadmin"}, true, 5},
			{"exporter admin, own organisation", "expadmin", "?org_id=5", []string{"exporter1", "nordadmin"}, true, 5},
			{"exporter admin, another organisation", "expadmin", "?org_id=6", []string{}, false, 0},
			{"other exporter admin", "rivaladmin", "", []string{"rival1", "rivaladmin"}, true, 6},
			{"admin", "admin", "", []string{"admin", "exporter1", "nordadmin", "rival1", "rivaladmin", "reviewer1"}, true, 0},
			{"admin, one organisation", "admin", "?org_id=6", []string{"rival1", "rivaladmin"}, true, 6},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				filters = nil
				resp := s.Do(t, "GET", "/api/v1/users"+tt.query, "", as(tt.user)...)
				mustStatus(t, resp, http.StatusOK)
				var got struct {
					Total int           `json:"total"`
					Users []*annex.User `json:"users"`
				}
				mustDecode(t, resp, &got)
				if diff := cmp.Diff(tt.want, usernames(got.Users)); diff != "" {
					t.Errorf("users (-want +got):\n%s", diff)
				}
				if got.Total != len(tt.want) {
					t.Errorf("total=%d, want %d", got.Total, len(tt.want))
				}
				switch {
				case !tt.asked && len(filters) > 0:
					t.Errorf("filters=%+v, want the store not asked", filters)
				case tt.asked && len(filters) != 1:
					t.Errorf("filters=%+v, want one", filters)
				case tt.asked && tt.org == 0 && filters[0].OrgID != nil:
					t.Errorf("OrgID=%d, want none", *filters[0].OrgID)
				case tt.asked && tt.org != 0 && (filters[0].OrgID == nil || *filters[0].OrgID != tt.org):
					t.Errorf("filter=%+v, want OrgID %d", filters[0], tt.org)
				}
			})
		}
	})

	t.Run("Create", func(t *testing.T) {
		tests := []struct {
			name, body string
			want       annex.User
		}{
			{"exporter user, organisation left out", `{"username": "nord2", "name": "Second Nord", "role": "exporter_user"}`,
				annex.User{ID: 41, Username: "nord2", Name: "Second Nord", Role: annex.RoleExporterUser, OrgID: 5, MustChangePassword: true,
					CreatedAt: fixedClock, UpdatedAt: fixedClock}},
			{"exporter admin, own organisation named", `{"username": "nord3", "role": "exporter_admin", "org_id": 5}`,
				annex.User{ID: 42, Username: "nord3", Role: annex.RoleExporterAdmin, OrgID: 5, MustChangePassword: true,
					CreatedAt: fixedClock, UpdatedAt: fixedClock}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := s.Do(t, "POST", "/api/v1/users", tt.body, as("expadmin")...)
				mustStatus(t, resp, http.StatusCreated)
				var got struct {
					User     annex.User `json:"user"`
					Password string     `json:"password"`
				}
				mustDecode(t, resp, &got)
				if diff := cmp.Diff(tt.want, got.User); diff != "" {
					t.Fatalf("user mismatch (-want +got):\n%s", diff)
				}
				if got.Password != password || len(password) < annex.MinPasswordLength {
					t.Fatalf("password %q, stored %q", got.Password, password)
				}
				if resp.Header.Get("Cache-Control") != "no-store" {
					t.Fatalf("Cache-Control=%q", resp.Header.Get("Cache-Control"))
				}
			})
		}
	})

	t.Run("Refused", func(t *testing.T) {
		tests := []struct {
			name, body string
			fields     []string
		}{
			{"another organisation", `{"username": "spy1", "role": "exporter_user", "org_id": 6}`, []string{"org_id"}},
			{"an unknown organisation", `{"username": "spy1", "role": "exporter_admin", "org_id": 99}`, []string{"org_id"}},
			{"an administrator", `{"username": "root2", "role": "admin"}`, []string{"role"}},
			{"an officer", `{"username": "off9", "role": "licensing_officer"}`, []string{"role"}},
			{"a reviewer", `{"username": "rev9", "role": "reviewer", "department": "defence"}`, []string{"role"}},
			{"customs in another organisation", `{"username": "cus9", "role": "customs", "org_id": 6}`, []string{"role", "org_id"}},
			{"an unknown role", `{"username": "god", "role": "god"}`, []string{"role"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n := len(created)
				p := mustProblem(t, s.Do(t, "POST", "/api/v1/users", tt.body, as("expadmin")...), http.StatusUnprocessableEntity)
				var fields []string
				for _, fe := range p.Errors {
					fields = append(fields, fe.Field)
				}
				if diff := cmp.Diff(tt.fields, fields); diff != "" || p.Field != tt.fields[0] {
					t.Errorf("problem=%+v; fields (-want +got):\n%s", p, diff)
				}
				if len(created) != n {
					t.Errorf("the store was asked to create %+v", created[n:])
				}
			})
		}
	})

	t.Run("StoreRefuses", func(t *testing.T) {
		// The store's own check, should the web's miss one, is a 403.
		s.UserService.CreateUserFn = func(context.Context, *annex.User, string) error {
			return annex.Errorf(annex.EFORBIDDEN, "an exporter administrator creates users only in its own organisation")
		}
		mustProblem(t, s.Do(t, "POST", "/api/v1/users", `{"username": "nord4", "role": "exporter_user"}`, as("expadmin")...), http.StatusForbidden)
	})

	t.Run("ExporterUser", func(t *testing.T) {
		filters = nil
		mustProblem(t, s.Do(t, "GET", "/api/v1/users", "", as("exporter")...), http.StatusForbidden)
		mustProblem(t, s.Do(t, "POST", "/api/v1/users", `{"username": "nord5", "role": "exporter_user"}`, as("exporter")...), http.StatusForbidden)
		if len(filters) > 0 {
			t.Errorf("filters=%+v, want the store not asked", filters)
		}
	})
	t.Run("Organisations", func(t *testing.T) {
		mustProblem(t, s.Do(t, "GET", "/api/v1/organisations", "", as("expadmin")...), http.StatusForbidden)
		mustProblem(t, s.Do(t, "POST", "/api/v1/organisations", `{"name": "Mine", "kind": "exporter"}`, as("expadmin")...), http.StatusForbidden)
	})
}

// TestUsersPageExporterAdmin checks the users page of an exporter
// administrator: its organisation's users only, a form that adds only
// exporter users of its organisation, and the refusals by field.
func TestUsersPageExporterAdmin(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	var filters []annex.UserFilter
	s.UserService.FindUsersFn = func(ctx context.Context, f annex.UserFilter) ([]*annex.User, int, error) {
		filters = append(filters, f)
		return orgUsers(ctx, f)
	}
	var created []*annex.User
	s.UserService.CreateUserFn = func(_ context.Context, u *annex.User, _ string) error {
		created = append(created, u)
		u.ID = 40
		return nil
	}

	t.Run("List", func(t *testing.T) {
		filters = nil
		resp := s.Do(t, "GET", "/admin/users", "", cookie("expadmin")...)
		mustStatus(t, resp, http.StatusOK)
		if len(filters) != 1 || filters[0].OrgID == nil || *filters[0].OrgID != 5 {
			t.Fatalf("filters=%+v, want one of organisation 5", filters)
		}
		mustGolden(t, "users_exporter_admin", resp.Body)
		mustContain(t, resp.Body, `<h1>Users of Nordrocket GmbH</h1>`, `id="user-21"`, `id="user-23"`,
			`<option value="exporter_user">exporter</option>`, `<option value="exporter_admin">exporter administrator</option>`)
		for _, not := range []string{`id="user-1"`, `id="user-22"`, `id="user-24"`, `Rival Exports`, `name="org_id"`, `name="department"`,
			`<option value="admin">`, `<option value="licensing_officer">`} {
			if strings.Contains(resp.Body, not) {
				t.Errorf("page has %s", not)
			}
		}
		// The administrator still sees everyone.
		filters = nil
		resp = s.Do(t, "GET", "/admin/users", "", cookie("admin")...)
		mustStatus(t, resp, http.StatusOK)
		if len(filters) != 1 || filters[0].OrgID != nil {
			t.Fatalf("filters=%+v, want one of every organisation", filters)
		}
		mustContain(t, resp.Body, `<h1>Users</h1>`, `id="user-1"`, `id="user-22"`, `<option value="6">Rival Exports Ltd</option>`)
	})

	t.Run("Create", func(t *testing.T) {
		created = nil
		resp := s.Do(t, "POST", "/admin/users", "username=nord2&name=Second+Nord&role=exporter_user", cookie("expadmin")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<strong id="created-username">nord2</strong>`, `<code id="new-password">`)
		if len(created) != 1 || created[0].OrgID != 5 || created[0].Role != annex.RoleExporterUser {
			t.Fatalf("created=%+v, want one exporter user of organisation 5", created)
		}
	})

	t.Run("Refused", func(t *testing.T) {
		tests := []struct {
			name, body string
			want       []string
		}{
			{"another organisation", "username=spy1&role=exporter_user&org_id=6",
				[]string{`id="user-org-error">must be your own organisation (5)</p>`, `value="spy1"`}},
			{"an authority role", "username=off9&role=licensing_officer",
				[]string{`id="user-role-error">must be exporter_user or exporter_admin</p>`, `value="off9"`}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				created = nil
				resp := s.Do(t, "POST", "/admin/users", tt.body, cookie("expadmin")...)
				mustStatus(t, resp, http.StatusUnprocessableEntity)
				mustContain(t, resp.Body, tt.want...)
				if len(created) != 0 {
					t.Fatalf("created=%+v, want none", created)
				}
			})
		}
	})
}
