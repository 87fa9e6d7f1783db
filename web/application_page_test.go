package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// withCaseWork gives the mocks what the case-work pages read besides the
// application: the control list's kinds, a classifier, the organisations
// and the authority's users.
func (s *Server) withCaseWork() {
	s.withSessions()
	s.withClassifier()
	v := testVersion()
	s.ControlListService.FindVersionFn = func(context.Context, string) (*annex.ListVersion, error) { return v, nil }
	orgs := []*annex.Organisation{{ID: 5, Name: "Nordrocket GmbH", Kind: annex.OrgExporter, CreatedAt: fixedClock},
		{ID: 6, Name: "Rival Exports Ltd", Kind: annex.OrgExporter, CreatedAt: fixedClock}}
	s.OrganisationService.FindOrganisationsFn = func(context.Context) ([]*annex.Organisation, error) { return orgs, nil }
	s.OrganisationService.FindOrganisationByIDFn = func(_ context.Context, id int64) (*annex.Organisation, error) {
		for _, o := range orgs {
			if o.ID == id {
				return o, nil
			}
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "Organisation %d not found.", id)
	}
	s.UserService.FindUserByIDFn = func(_ context.Context, id int64) (*annex.User, error) {
		if id == officer.ID {
			return officer, nil
		}
		for _, u := range caseUsers {
			if u.ID == id {
				return u, nil
			}
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "User %d not found.", id)
	}
}

func TestCaseWorkPagesAccess(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	tests := []struct {
		method, path string
		// forbidden is a user whose role may not use the page.
		forbidden string
	}{
		{"GET", "/applications", "officer"},
		{"GET", "/applications/new", "customs"},
		{"POST", "/applications", "officer"},
		{"GET", "/applications/42", "officer"},
		{"GET", "/applications/42/edit", "reviewer"},
		{"POST", "/applications/42/edit", "senior"},
		{"POST", "/applications/42/actions", "officer"},
		{"POST", "/applications/42/documents", "officer"},
		{"GET", "/cases", "exporter"},
		{"GET", "/cases/42", "customs"},
		{"POST", "/cases/42/actions", "analyst"},
		{"GET", "/licences", "reviewer"},
		{"GET", "/licences/ANX-L-2026-000009", "admin"},
		{"POST", "/licences/ANX-L-2026-000009/shipments", "officer"},
		{"POST", "/licences/ANX-L-2026-000009/actions", "customs"},
		{"GET", "/admin/organisations", "officer"},
		{"POST", "/admin/organisations", "exporter"},
		{"GET", "/admin/users", "senior"},
		{"POST", "/admin/users", "customs"},
		{"GET", "/admin/users", "exporter"},
		{"POST", "/admin/users", "exporter"},
		{"GET", "/admin/organisations", "expadmin"},
		{"POST", "/admin/organisations", "expadmin"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp := s.Do(t, tt.method, tt.path, "", form...)
			mustStatus(t, resp, http.StatusSeeOther)
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
				t.Fatalf("Location=%q", loc)
			}
			resp = s.Do(t, tt.method, tt.path, "", cookie(tt.forbidden)...)
			mustStatus(t, resp, http.StatusForbidden)
			mustContain(t, resp.Body, `id="error-message">This is for`)
		})
	}
}

// cookie returns the form header with a case user's session cookie ("officer"
// for the officer).
func cookie(name string) []string {
	return append(append([]string{}, form...), "Cookie", "annex_session="+name+"-token")
}

func TestNavByRole(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	s.ControlListService.FindEntriesFn = func(context.Context, annex.EntryFilter) ([]*annex.Entry, int, error) { return nil, 0, nil }
	tests := []struct {
		user      string
		want, not []string
	}{
		{"exporter", []string{`href="/applications"`, `href="/licences"`}, []string{`href="/cases"`, `href="/admin/users"`}},
		{"officer", []string{`href="/cases"`, `href="/licences"`}, []string{`href="/applications"`, `href="/admin/users"`}},
		{"reviewer", []string{`href="/cases"`}, []string{`href="/licences"`, `href="/applications"`}},
		{"customs", []string{`href="/licences"`}, []string{`href="/cases"`, `href="/applications"`}},
		{"admin", []string{`href="/admin/organisations"`, `href="/admin/users"`}, []string{`href="/cases"`}},
		{"expadmin", []string{`href="/applications"`, `href="/licences"`, `href="/admin/users"`}, []string{`href="/admin/organisations"`, `href="/cases"`}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			resp := s.Do(t, "GET", "/", "", cookie(tt.user)...)
			mustStatus(t, resp, http.StatusOK)
			nav := resp.Body[strings.Index(resp.Body, "<nav"):strings.Index(resp.Body, "</nav>")]
			mustContain(t, nav, tt.want...)
			for _, n := range tt.not {
				if strings.Contains(nav, n) {
					t.Errorf("nav has %s:\n%s", n, nav)
				}
			}
		})
	}
}

// motorForm is motorSpec as the application form posts it, with a blank
// party row and a blank line row.
func motorForm() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{
		{"version", "0"}, {"destination", "de"}, {"end_use", "Satellite attitude control research"},
		{"assurances.end_use_statement", "true"}, {"assurances.no_wmd_use", "true"}, {"assurances.no_retransfer", "true"},
		{"assurances.government_to_government", "true"},
		{"parties[0].role", "end_user"}, {"parties[0].name", "Hans Muller Raumfahrt GmbH"}, {"parties[0].country", "DE"}, {"parties[0].address", "Bremen"},
		{"parties[1].role", ""}, {"parties[1].name", ""}, {"parties[1].country", ""}, {"parties[1].address", ""},
		{"items[0].name", "SRM-7 motor"}, {"items[0].kind", "solid_rocket_motor"}, {"items[0].params", "total_impulse_ns = 2e6\n"},
		{"items[0].quantity", "2"}, {"items[0].unit", "pieces"}, {"items[0].value", "900000"},
		{"items[1].name", ""}, {"items[1].kind", ""}, {"items[1].params", ""}, {"items[1].quantity", ""}, {"items[1].unit", ""}, {"items[1].value", ""},
	} {
		v.Set(kv[0], kv[1])
	}
	return v
}

func TestApplicationFormPage(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	var created *annex.Application
	s.ApplicationService.CreateApplicationFn = func(_ context.Context, app *annex.Application) error {
		created = app
		app.ID = 42
		return nil
	}
	t.Run("New", func(t *testing.T) {
		resp := s.Do(t, "GET", "/applications/new", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<form method="post" action="/applications" id="application-form" novalidate>`,
			`<select id="parties-0-role" name="parties[0].role"`, `<option value="end_user" selected>end_user</option>`,
			`<textarea id="items-0-params" name="items[0].params"`, `<option value="solid_rocket_motor">Solid-propellant rocket motor</option>`,
			`id="assurances-government_to_government" name="assurances.government_to_government" value="true">`)
	})
	t.Run("Create", func(t *testing.T) {
		resp := s.Do(t, "POST", "/applications", motorForm().Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/applications/42" {
			t.Fatalf("Location=%q", loc)
		}
		want := motorSpec()
		want.Items[0].Params = map[string]any{"total_impulse_ns": json.Number("2000000")}
		if diff := cmp.Diff(want, created.ApplicationSpec); diff != "" {
			t.Fatalf("spec mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("Amendment", func(t *testing.T) {
		s.LicenceService.FindLicenceByNumberFn = func(context.Context, string) (*annex.Licence, error) { return testLicence(), nil }
		s.ApplicationService.FindApplicationByIDFn = func(context.Context, int64) (*annex.Application, error) {
			return motorApp(annex.StatusApproved), nil
		}
		resp := s.Do(t, "GET", "/applications/new?amendment_of=ANX-L-2026-000009", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="amendment-of"`, `<input type="hidden" name="amendment_of" value="ANX-L-2026-000009">`,
			`value="Hans Muller Raumfahrt GmbH"`, `<input type="hidden" name="version" value="0">`)
		f := motorForm()
		f.Set("amendment_of", "ANX-L-2026-000009")
		mustStatus(t, s.Do(t, "POST", "/applications", f.Encode(), cookie("exporter")...), http.StatusSeeOther)
		if created.AmendmentOf != "ANX-L-2026-000009" {
			t.Fatalf("AmendmentOf=%q, want the licence", created.AmendmentOf)
		}
	})
	t.Run("JSONParams", func(t *testing.T) {
		f := motorForm()
		f.Set("items[0].params", `{"total_impulse_ns": 2e6}`)
		mustStatus(t, s.Do(t, "POST", "/applications", f.Encode(), cookie("exporter")...), http.StatusSeeOther)
		if got := created.Items[0].Params["total_impulse_ns"]; got != json.Number("2e6") {
			t.Fatalf("total_impulse_ns=%#v", got)
		}
	})
	t.Run("AddRow", func(t *testing.T) {
		f := motorForm()
		f.Set("add", "party")
		resp := s.Do(t, "POST", "/applications", f.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `name="parties[2].name"`, `value="Hans Muller Raumfahrt GmbH"`, `>total_impulse_ns = 2e6`)
	})
	tests := []struct {
		name   string
		change map[string]string
		// fragments are the errors next to their inputs.
		fragments []string
	}{
		{"Shape", map[string]string{"items[0].quantity": "two"},
			[]string{`<p class="field-error" id="items-0-quantity-error">must be a number, got string</p>`}},
		{"Fields", map[string]string{"destination": "Germany", "parties[0].country": "", "items[0].value": "-5"}, []string{
			`<p class="field-error" id="destination-error">must be an ISO 3166-1 alpha-2 code such as PK</p>`,
			`<p class="field-error" id="parties-0-country-error">must be an ISO 3166-1 alpha-2 code such as PK</p>`,
			`<p class="field-error" id="items-0-value-error">must not be negative</p>`,
			`value="Germany"`, `value="-5"`}},
		{"Classifier", map[string]string{"items[0].params": "x=1"},
			[]string{`<p class="field-error" id="items-0-params-error">x: unknown parameter for kind solid_rocket_motor</p>`}},
		{"ParamsLine", map[string]string{"items[0].params": "total impulse is big"},
			[]string{`<p class="field-error" id="items-0-params-error">line 1: write one parameter a line, as total_impulse_ns=1.2e6</p>`}},
		{"BlankRowSkipped", map[string]string{"parties[0].name": "", "parties[0].country": "", "parties[0].address": "",
			"parties[1].role": "end_user", "parties[1].name": "Hans Muller", "parties[1].country": "Deutschland"},
			[]string{`<p class="field-error" id="parties-1-country-error">must be an ISO 3166-1 alpha-2 code such as PK</p>`}},
		{"NoEndUser", map[string]string{"parties[0].role": "consignee"},
			[]string{`<p class="field-error" id="parties-error">name exactly one end_user</p>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := motorForm()
			for k, v := range tt.change {
				f.Set(k, v)
			}
			resp := s.Do(t, "POST", "/applications", f.Encode(), cookie("exporter")...)
			mustStatus(t, resp, http.StatusUnprocessableEntity)
			mustContain(t, resp.Body, `id="form-errors"`)
			mustContain(t, resp.Body, tt.fragments...)
		})
	}
	t.Run("JSON", func(t *testing.T) {
		resp := s.Do(t, "POST", "/applications", url.Values{"version": {"0"}, "json": {motorJSON}}.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusSeeOther)
		resp = s.Do(t, "POST", "/applications", url.Values{"version": {"0"}, "json": {strings.Replace(motorJSON, `"quantity": 2`, `"quantity": 0`, 1)}}.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<li class="form-error"><code>items[0].quantity</code>: must be greater than 0</li>`)
	})
}

func TestEditApplicationPage(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	draft := motorApp(annex.StatusDraft)
	draft.Version = 3
	s.withApp(draft)
	s.ApplicationService.UpdateApplicationFn = func(_ context.Context, id, version int64, spec annex.ApplicationSpec) (*annex.Application, error) {
		if version != 3 {
			return nil, annex.Errorf(annex.ECONFLICT, "application %d is at version 3, not %d", id, version)
		}
		return draft, nil
	}
	t.Run("Form", func(t *testing.T) {
		resp := s.Do(t, "GET", "/applications/42/edit", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `action="/applications/42/edit"`, `<input type="hidden" name="version" value="3">`,
			`id="destination" name="destination" type="text" value="DE"`, `total_impulse_ns=2e6`,
			`name="parties[1].name"`, `name="items[1].kind"`, `&#34;destination&#34;: &#34;DE&#34;`)
	})
	t.Run("Save", func(t *testing.T) {
		f := motorForm()
		f.Set("version", "3")
		resp := s.Do(t, "POST", "/applications/42/edit", f.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusSeeOther)
	})
	t.Run("Stale", func(t *testing.T) {
		f := motorForm()
		f.Set("version", "2")
		f.Set("end_use", "Typed after the change")
		resp := s.Do(t, "POST", "/applications/42/edit", f.Encode(), cookie("exporter")...)
		mustStatus(t, resp, http.StatusConflict)
		mustContain(t, resp.Body, `id="stale">This draft was changed since you opened it.`, `>Typed after the change</textarea>`,
			`<input type="hidden" name="version" value="3">`)
	})
	t.Run("NotADraft", func(t *testing.T) {
		s.withApp(motorApp(annex.StatusSubmitted))
		resp := s.Do(t, "GET", "/applications/42/edit", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusSeeOther)
	})
	t.Run("OtherOrganisation", func(t *testing.T) {
		mustStatus(t, s.Do(t, "GET", "/applications/42/edit", "", cookie("rival")...), http.StatusNotFound)
	})
}
