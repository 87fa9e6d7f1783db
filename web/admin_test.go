package web_test

import (
	"context"
	"net/http"
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
