package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// Users of the case-work tests, by the name that prefixes their session
// token ("exporter-token"). The exporter and the rival belong to two
// different exporting organisations, and so do their administrators,
// expadmin and rivaladmin.
var caseUsers = map[string]*annex.User{
	"exporter":   {ID: 21, Username: "exporter1", Name: "Nordrocket Exports", Role: annex.RoleExporterUser, OrgID: 5},
	"rival":      {ID: 22, Username: "rival1", Name: "Rival Exports", Role: annex.RoleExporterUser, OrgID: 6},
	"expadmin":   {ID: 23, Username: "nordadmin", Name: "Nordrocket Administrator", Role: annex.RoleExporterAdmin, OrgID: 5},
	"rivaladmin": {ID: 24, Username: "rivaladmin", Name: "Rival Administrator", Role: annex.RoleExporterAdmin, OrgID: 6},
	"officer2":   {ID: 8, Username: "officer2", Name: "Second Officer", Role: annex.RoleLicensingOfficer},
	"senior":     {ID: 9, Username: "senior1", Name: "Senior Officer", Role: annex.RoleSeniorOfficer},
	"reviewer":   {ID: 7, Username: "reviewer1", Name: "Defence Reviewer", Role: annex.RoleReviewer, Department: annex.DeptDefence},
	"customs":    {ID: 30, Username: "customs1", Name: "Customs Officer", Role: annex.RoleCustoms},
	"admin":      {ID: 1, Username: "admin", Name: "Administrator", Role: annex.RoleAdmin},
	"analyst":    {ID: 11, Username: "analyst1", Name: "Analyst", Role: annex.RoleAnalyst},
}

// as returns the bearer header of a case user, or of the officer.
func as(name string) []string { return []string{"Authorization", "Bearer " + name + "-token"} }

// motorSpec is the application of the browser test: two Category I motors
// for Germany with a government-to-government undertaking.
func motorSpec() annex.ApplicationSpec {
	return annex.ApplicationSpec{
		Destination: "DE", EndUse: "Satellite attitude control research",
		Assurances: annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true, GovernmentToGovernment: true},
		Parties:    []annex.ApplicationParty{{Role: annex.RoleEndUser, Name: "Hans Muller Raumfahrt GmbH", Country: "DE", Address: "Bremen"}},
		Items: []annex.ApplicationLine{{Item: annex.Item{Name: "SRM-7 motor", Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": json.Number("2e6")}},
			Quantity: 2, Unit: "pieces", Value: 900000}},
	}
}

// motorJSON is motorSpec as the API takes it.
const motorJSON = `{"destination": "DE", "end_use": "Satellite attitude control research",
	"assurances": {"end_use_statement": true, "no_wmd_use": true, "no_retransfer": true, "government_to_government": true},
	"parties": [{"role": "end_user", "name": "Hans Muller Raumfahrt GmbH", "country": "DE", "address": "Bremen"}],
	"items": [{"name": "SRM-7 motor", "kind": "solid_rocket_motor", "params": {"total_impulse_ns": 2e6}, "quantity": 2, "unit": "pieces", "value": 900000}]}`

// motorAssessment is the assessment of motorSpec: Category I, referred for
// the undertaking.
func motorAssessment() *annex.Assessment {
	line := 0
	return &annex.Assessment{
		LicenceRequired: true, Recommendation: annex.RecommendRefer, Presumption: annex.PresumptionDeny, Category: annex.CategoryI,
		Reasons: []annex.Reason{{Rule: "mtcr-cat1-g2g", Outcome: annex.RecommendRefer, Line: &line,
			Detail: "line 1 (SRM-7 motor) is Category I (2.A.1.c); a government-to-government undertaking is offered"}},
		Factors: []annex.Factor{
			{ID: "A", Title: "Concerns about the proliferation of weapons of mass destruction", Findings: []string{}},
			{ID: "B", Title: "The capabilities and objectives of the missile and space programmes of the recipient state", Findings: []string{"Germany is an MTCR partner."}},
			{ID: "C", Title: "The significance of the transfer", Findings: []string{"Line 1 (SRM-7 motor): Category I under 2.A.1.c."}},
			{ID: "D", Title: "The assessment of the end use", Findings: []string{"Stated end use: Satellite attitude control research"}},
			{ID: "E", Title: "The applicability of relevant multilateral agreements", Findings: []string{}},
			{ID: "F", Title: "The risk of controlled items falling into the hands of terrorist groups", Findings: []string{}},
		},
		Destination: annex.DestinationStatus{Country: "DE", Name: "Germany", Partner: true},
		Lines:       []annex.LineAssessment{{Line: 0, Classification: srmClassification("SRM-7 motor")}},
		Parties: []annex.PartyScreening{{Party: 0, Role: annex.RoleEndUser, Name: "Hans Muller Raumfahrt GmbH",
			Result: &annex.ScreenResult{Query: "Hans Muller Raumfahrt GmbH", Matches: []annex.ScreenMatch{}, Threshold: 0.8}}},
		ListVersion: "mtcr-2024", AssessedAt: fixedClock,
	}
}

// motorApp is application 42 of the exporter's organisation, at a status.
func motorApp(status annex.ApplicationStatus) *annex.Application {
	app := &annex.Application{ID: 42, Reference: "ANX-2026-000042", OrgID: 5, Status: status, ApplicationSpec: motorSpec(),
		Documents: []annex.Document{}, Requests: []annex.InformationRequest{}, AdviceRequests: []annex.AdviceRequest{}, Advice: []annex.Advice{},
		Version: 1, CreatedBy: 21, CreatedAt: fixedClock, UpdatedAt: fixedClock}
	if status != annex.StatusDraft {
		app.Assessment = motorAssessment()
		app.SubmittedAt = &fixedClock
		app.Version = 2
		app.WorkingDays = 3
	}
	return app
}

// roundTrip copies v into dst through JSON, as a client reads it.
func roundTrip(t *testing.T, v, dst any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		t.Fatal(err)
	}
}

// withApp makes the application mock hold one application: FindApplicationByID
// finds it for everyone but an exporter of another organisation, as the
// store does.
func (s *Server) withApp(app *annex.Application) {
	s.ApplicationService.FindApplicationByIDFn = func(ctx context.Context, id int64) (*annex.Application, error) {
		u := annex.UserFromContext(ctx)
		if id != app.ID || (u.Role.IsExporter() && u.OrgID != app.OrgID) {
			return nil, annex.Errorf(annex.ENOTFOUND, "Application %d not found.", id)
		}
		c := *app
		return &c, nil
	}
}

func TestApplicationAPIAccess(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	tests := []struct {
		method, path, body string
		// forbidden is a user whose role may not use the route.
		forbidden string
	}{
		{"POST", "/api/v1/applications", motorJSON, "officer"},
		{"GET", "/api/v1/applications", "", "customs"},
		{"GET", "/api/v1/applications/42", "", "admin"},
		{"PUT", "/api/v1/applications/42", `{"version": 1, "application": ` + motorJSON + `}`, "officer"},
		{"POST", "/api/v1/applications/42/actions", `{"type": "submit", "version": 1}`, "customs"},
		{"POST", "/api/v1/applications/42/documents", "", "reviewer"},
		{"GET", "/api/v1/documents/8", "", "customs"},
		{"GET", "/api/v1/licences", "", "reviewer"},
		{"GET", "/api/v1/licences/ANX-L-2026-000009", "", "admin"},
		{"GET", "/api/v1/licences/ANX-L-2026-000009/shipments", "", "reviewer"},
		{"POST", "/api/v1/licences/ANX-L-2026-000009/shipments", `{"line": 0, "quantity": 1, "value": 1, "customs_ref": "X"}`, "exporter"},
		{"POST", "/api/v1/licences/ANX-L-2026-000009/actions", `{"type": "suspend", "reason": "x", "version": 1}`, "customs"},
		{"POST", "/api/v1/organisations", `{"name": "X", "kind": "exporter"}`, "officer"},
		{"GET", "/api/v1/organisations", "", "exporter"},
		{"POST", "/api/v1/users", `{"username": "x1", "role": "customs"}`, "senior"},
		{"GET", "/api/v1/users", "", "officer"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			if p := mustProblem(t, s.Do(t, tt.method, tt.path, tt.body), http.StatusUnauthorized); p.Code != annex.EUNAUTHORIZED {
				t.Fatalf("signed out: problem=%+v", p)
			}
			p := mustProblem(t, s.Do(t, tt.method, tt.path, tt.body, as(tt.forbidden)...), http.StatusForbidden)
			if p.Code != annex.EFORBIDDEN || !strings.Contains(p.Detail, "you are signed in as a") {
				t.Fatalf("as %s: problem=%+v", tt.forbidden, p)
			}
			mustProblem(t, s.Do(t, tt.method, tt.path, tt.body, "Authorization", "Bearer newcomer-token"), http.StatusForbidden)
		})
	}
}

func TestAssessAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.AssessService.AssessFn = func(_ context.Context, spec *annex.ApplicationSpec) (*annex.Assessment, error) {
		if spec.Items[0].Kind == "gyroscope" {
			return nil, annex.Invalid(annex.FieldError{Field: "items[0].params.drift", Message: "unknown parameter for kind gyroscope"})
		}
		if diff := cmp.Diff(motorSpec(), *spec); diff != "" {
			t.Errorf("spec mismatch (-want +got):\n%s", diff)
		}
		return motorAssessment(), nil
	}
	t.Run("OK", func(t *testing.T) {
		resp := s.Do(t, "POST", "/api/v1/assess", motorJSON)
		mustStatus(t, resp, http.StatusOK)
		var got annex.Assessment
		mustDecode(t, resp, &got)
		if diff := cmp.Diff(motorAssessment(), &got); diff != "" {
			t.Fatalf("assessment mismatch (-want +got):\n%s", diff)
		}
	})
	tests := []struct{ name, body, field string }{
		{"Quantity", strings.Replace(motorJSON, `"quantity": 2`, `"quantity": 0`, 1), "items[0].quantity"},
		{"Role", strings.Replace(motorJSON, `"address": "Bremen"}`, `"address": "Bremen"}, {"role": "buyer", "name": "B", "country": "DE"}`, 1), "parties[1].role"},
		{"Parameter", strings.Replace(motorJSON, `"kind": "solid_rocket_motor"`, `"kind": "gyroscope"`, 1), "items[0].params.drift"},
		{"Malformed", `{"destination": `, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "POST", "/api/v1/assess", tt.body), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
}

// withClassifier makes the control-list mock classify every item as
// srmClassification, but refuse a parameter named x.
func (s *Server) withClassifier() {
	s.ControlListService.ClassifyFn = func(_ context.Context, _ string, items []annex.Item) ([]*annex.Classification, error) {
		var errs []annex.FieldError
		out := make([]*annex.Classification, len(items))
		for i, it := range items {
			if _, ok := it.Params["x"]; ok {
				field := "params.x"
				if len(items) > 1 {
					field = fmt.Sprintf("[%d].params.x", i)
				}
				errs = append(errs, annex.FieldError{Field: field, Message: "unknown parameter for kind " + it.Kind})
			}
			out[i] = srmClassification(it.Name)
		}
		if len(errs) > 0 {
			return nil, annex.Invalid(errs...)
		}
		return out, nil
	}
}

func TestCreateApplicationAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.withClassifier()
	s.ApplicationService.CreateApplicationFn = func(ctx context.Context, app *annex.Application) error {
		if u := annex.UserFromContext(ctx); u != caseUsers["exporter"] {
			t.Errorf("user=%v, want the exporter", u)
		}
		if diff := cmp.Diff(motorSpec(), app.ApplicationSpec); diff != "" || app.AmendmentOf != "ANX-L-2026-000001" {
			t.Errorf("amendment_of=%q; spec mismatch (-want +got):\n%s", app.AmendmentOf, diff)
		}
		*app = *motorApp(annex.StatusDraft)
		app.AmendmentOf = "ANX-L-2026-000001"
		return nil
	}
	t.Run("OK", func(t *testing.T) {
		resp := s.Do(t, "POST", "/api/v1/applications?amendment_of=ANX-L-2026-000001", motorJSON, as("exporter")...)
		mustStatus(t, resp, http.StatusCreated)
		if got := resp.Header.Get("Location"); got != "/api/v1/applications/42" {
			t.Fatalf("Location=%q", got)
		}
		var got annex.Application
		mustDecode(t, resp, &got)
		if got.ID != 42 || got.Status != annex.StatusDraft || got.Reference != "ANX-2026-000042" {
			t.Fatalf("application=%+v", got)
		}
	})
	twoLines := strings.Replace(motorJSON, `"value": 900000}]`, `"value": 900000}, {"kind": "solid_rocket_motor", "params": {"x": 1}, "quantity": 1, "value": 1}]`, 1)
	tests := []struct{ name, body, field string }{
		{"ItemPath", twoLines, "items[1].params.x"},
		{"OnlyLine", strings.Replace(motorJSON, `"total_impulse_ns": 2e6`, `"x": 1`, 1), "items[0].params.x"},
		{"Destination", strings.Replace(motorJSON, `"destination": "DE"`, `"destination": "Germany"`, 1), "destination"},
		{"UnknownField", strings.Replace(motorJSON, `"end_use"`, `"org_id": 6, "end_use"`, 1), "org_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "POST", "/api/v1/applications", tt.body, as("exporter")...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
}

func TestApplicationsAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	var got annex.ApplicationFilter
	s.ApplicationService.FindApplicationsFn = func(_ context.Context, f annex.ApplicationFilter) ([]*annex.Application, int, error) {
		got = f
		app := motorApp(annex.StatusUnderReview)
		app.AssignedTo = 3
		app.AdviceRequests = []annex.AdviceRequest{{ID: 1, Department: annex.DeptDefence, RequestedBy: 3, RequestedAt: fixedClock}}
		return []*annex.Application{app}, 1, nil
	}
	ptr64 := func(v int64) *int64 { return &v }
	defence := annex.DeptDefence
	tests := []struct {
		name, user, query string
		want              annex.ApplicationFilter
	}{
		{"Queue", "officer", "?status=submitted&status=under_review&limit=20&offset=40",
			annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusSubmitted, annex.StatusUnderReview}, Offset: 40, Limit: 20, Summary: true}},
		{"Mine", "officer", "?assigned_to=me", annex.ApplicationFilter{AssignedTo: ptr64(officer.ID), Limit: 100, Summary: true}},
		{"ByID", "senior", "?assigned_to=8", annex.ApplicationFilter{AssignedTo: ptr64(8), Limit: 100, Summary: true}},
		{"Department", "reviewer", "?department=defence", annex.ApplicationFilter{Department: &defence, Limit: 100, Summary: true}},
		{"Exporter", "exporter", "", annex.ApplicationFilter{OrgID: ptr64(5), Limit: 100, Summary: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, "GET", "/api/v1/applications"+tt.query, "", as(tt.user)...)
			mustStatus(t, resp, http.StatusOK)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("filter mismatch (-want +got):\n%s", diff)
			}
			var list struct {
				Total        int                  `json:"total"`
				Applications []*annex.Application `json:"applications"`
			}
			mustDecode(t, resp, &list)
			if list.Total != 1 || len(list.Applications) != 1 {
				t.Fatalf("list=%+v", list)
			}
			app := list.Applications[0]
			if exp := tt.user == "exporter"; exp != (len(app.AdviceRequests) == 0 && app.AssignedTo == 0) {
				t.Fatalf("exporter=%v, but advice requests %v and assigned to %d", exp, app.AdviceRequests, app.AssignedTo)
			}
		})
	}
	invalid := []struct{ name, query, field string }{
		{"Status", "?status=pending", "status"},
		{"AssignedTo", "?assigned_to=you", "assigned_to"},
		{"Department", "?department=treasury", "department"},
		{"Limit", "?limit=5000", "limit"},
		{"Unknown", "?org_id=6", "org_id"},
		{"Twice", "?department=defence&department=defence", "department"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "GET", "/api/v1/applications"+tt.query, "", bearer...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
	t.Run("StoreFault", func(t *testing.T) {
		// Should a store ever return another organisation's application,
		// the exporter does not see it.
		resp := s.Do(t, "GET", "/api/v1/applications", "", as("rival")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"applications":[]`)
	})
}

func TestApplicationAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	app := motorApp(annex.StatusUnderReview)
	app.Advice = []annex.Advice{{ID: 1, Department: annex.DeptDefence, Subject: "case", Type: annex.AdviceRefuse, Text: "no", UserID: 7, Username: "reviewer1", CreatedAt: fixedClock}}
	s.withApp(app)
	t.Run("Officer", func(t *testing.T) {
		resp := s.Do(t, "GET", "/api/v1/applications/42", "", bearer...)
		mustStatus(t, resp, http.StatusOK)
		var got, want annex.Application
		mustDecode(t, resp, &got)
		roundTrip(t, app, &want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("application mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("Exporter", func(t *testing.T) {
		resp := s.Do(t, "GET", "/api/v1/applications/42", "", as("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"advice":[]`, `"recommendation":"refer"`)
	})
	t.Run("NotFound", func(t *testing.T) {
		mustProblem(t, s.Do(t, "GET", "/api/v1/applications/43", "", bearer...), http.StatusNotFound)
		mustProblem(t, s.Do(t, "GET", "/api/v1/applications/x", "", bearer...), http.StatusNotFound)
	})
}

func TestUpdateApplicationAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.withClassifier()
	draft := motorApp(annex.StatusDraft)
	draft.Version = 3
	s.withApp(draft)
	s.ApplicationService.UpdateApplicationFn = func(_ context.Context, id, version int64, spec annex.ApplicationSpec) (*annex.Application, error) {
		if version != 3 {
			return nil, annex.Errorf(annex.ECONFLICT, "application %d is at version 3", id)
		}
		app := motorApp(annex.StatusDraft)
		app.ApplicationSpec, app.Version = spec, 4
		return app, nil
	}
	body := func(version int, spec string) string {
		return fmt.Sprintf(`{"version": %d, "application": %s}`, version, spec)
	}
	t.Run("OK", func(t *testing.T) {
		resp := s.Do(t, "PUT", "/api/v1/applications/42", body(3, strings.Replace(motorJSON, `"quantity": 2`, `"quantity": 3`, 1)), as("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		var got annex.Application
		mustDecode(t, resp, &got)
		if got.Version != 4 || got.Items[0].Quantity != 3 {
			t.Fatalf("version %d quantity %v, want 4 and 3", got.Version, got.Items[0].Quantity)
		}
	})
	t.Run("Stale", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "PUT", "/api/v1/applications/42", body(2, motorJSON), as("exporter")...), http.StatusConflict)
		if !strings.Contains(p.Detail, "The application was changed since you opened it") || !strings.Contains(p.Detail, "version 3") {
			t.Fatalf("Detail=%q", p.Detail)
		}
	})
	tests := []struct{ name, body, field string }{
		{"Path", body(3, strings.Replace(motorJSON, `"quantity": 2`, `"quantity": -1`, 1)), "application.items[0].quantity"},
		{"ItemPath", body(3, strings.Replace(motorJSON, `"total_impulse_ns": 2e6`, `"x": 1`, 1)), "application.items[0].params.x"},
		{"Missing", `{"version": 3}`, "application"},
		{"NotAnObject", body(3, `[]`), "application"},
		{"Unknown", `{"version": 3, "spec": {}}`, "spec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "PUT", "/api/v1/applications/42", tt.body, as("exporter")...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
}

func TestActAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	app := motorApp(annex.StatusSubmitted)
	s.withApp(app)
	s.ApplicationService.ActFn = func(ctx context.Context, id int64, act *annex.CaseAction) (*annex.Application, error) {
		if act.Version != app.Version {
			return nil, annex.Errorf(annex.ECONFLICT, "stale")
		}
		if act.Type == annex.ActProposeDecision && act.Decision == nil {
			return nil, annex.Errorf(annex.ECONFLICT, "advice from defence is still awaited")
		}
		st, err := annex.NextStatus(app, act, annex.UserFromContext(ctx), fixedClock)
		if err != nil {
			return nil, err
		}
		c := *app
		c.Status, c.Version, c.AssignedTo = st, c.Version+1, annex.UserIDFromContext(ctx)
		return &c, nil
	}
	t.Run("Assign", func(t *testing.T) {
		resp := s.Do(t, "POST", "/api/v1/applications/42/actions", `{"type": "assign", "version": 2}`, bearer...)
		mustStatus(t, resp, http.StatusOK)
		var got annex.Application
		mustDecode(t, resp, &got)
		if got.Status != annex.StatusUnderReview || got.AssignedTo != officer.ID || got.Version != 3 {
			t.Fatalf("status %s assigned to %d version %d", got.Status, got.AssignedTo, got.Version)
		}
	})
	t.Run("Stale", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/actions", `{"type": "assign", "version": 1}`, bearer...), http.StatusConflict)
		if !strings.HasPrefix(p.Detail, "The application was changed since you opened it") {
			t.Fatalf("Detail=%q", p.Detail)
		}
	})
	t.Run("OtherConflict", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/actions", `{"type": "decide", "version": 2}`, bearer...), http.StatusConflict)
		if p.Detail != "advice from defence is still awaited" {
			t.Fatalf("Detail=%q", p.Detail)
		}
	})
	t.Run("Forbidden", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/actions", `{"type": "countersign", "version": 2}`, bearer...), http.StatusForbidden)
		if !strings.Contains(p.Detail, "only a senior officer countersigns") {
			t.Fatalf("Detail=%q", p.Detail)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/actions", `{"type": "assign", "version": "2"}`, bearer...), http.StatusUnprocessableEntity)
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/actions", `{"type": "fly", "version": 2}`, bearer...), http.StatusUnprocessableEntity)
		if p.Field != "type" {
			t.Fatalf("problem=%+v", p)
		}
		// The fields of a decision are named by their path in the action.
		assigned := motorApp(annex.StatusUnderReview)
		assigned.AssignedTo = officer.ID
		s.withApp(assigned)
		app = assigned
		mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/actions", `{"type": "assign", "version": 2, "assignee": 8}`, bearer...), http.StatusForbidden)
		p = mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/actions",
			`{"type": "decide", "version": 2, "decision": {"type": "refuse", "reasons": "no"}}`, as("senior")...), http.StatusUnprocessableEntity)
		if p.Field != "decision.criteria" {
			t.Fatalf("problem=%+v", p)
		}
	})
}

// pdf is the start of a PDF file: enough for the type to be sniffed.
var pdf = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

// multipartBody builds an upload form with the parts given as name, value
// pairs; the part "file" is a file named fileName.
func multipartBody(t *testing.T, fileName string, parts ...string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(parts); i += 2 {
		if parts[i] == "file" {
			h := make(textproto.MIMEHeader)
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, fileName))
			h.Set("Content-Type", "application/octet-stream")
			w, err := mw.CreatePart(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(parts[i+1]))
			continue
		}
		mw.WriteField(parts[i], parts[i+1])
	}
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

func TestDocumentAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.withApp(motorApp(annex.StatusSubmitted))
	var stored []byte
	s.ApplicationService.AddDocumentFn = func(ctx context.Context, appID int64, doc *annex.Document, content []byte) error {
		if appID != 42 {
			return annex.Errorf(annex.ENOTFOUND, "Application %d not found.", appID)
		}
		stored = content
		doc.ID, doc.ApplicationID, doc.UploadedBy, doc.UploadedAt, doc.SHA256 = 8, appID, annex.UserIDFromContext(ctx), fixedClock, "abc"
		return nil
	}
	s.ApplicationService.FindDocumentFn = func(ctx context.Context, id int64) (*annex.Document, []byte, error) {
		if id != 8 {
			return nil, nil, annex.Errorf(annex.ENOTFOUND, "Document %d not found.", id)
		}
		return &annex.Document{ID: 8, ApplicationID: 42, Kind: annex.DocEndUserCertificate, FileName: "end user ç.pdf",
			ContentType: "application/pdf", Size: int64(len(pdf))}, pdf, nil
	}
	t.Run("Upload", func(t *testing.T) {
		body, ct := multipartBody(t, `C:\scans\euc.pdf`, "kind", "end_user_certificate", "file", string(pdf))
		resp := s.Do(t, "POST", "/api/v1/applications/42/documents", body, append(as("exporter"), "Content-Type", ct)...)
		mustStatus(t, resp, http.StatusCreated)
		var got annex.Document
		mustDecode(t, resp, &got)
		want := annex.Document{ID: 8, ApplicationID: 42, Kind: annex.DocEndUserCertificate, FileName: "euc.pdf", ContentType: "application/pdf",
			Size: int64(len(pdf)), SHA256: "abc", UploadedBy: 21, UploadedAt: fixedClock}
		if diff := cmp.Diff(want, got); diff != "" || !bytes.Equal(stored, pdf) {
			t.Fatalf("document mismatch (-want +got):\n%s", diff)
		}
		if loc := resp.Header.Get("Location"); loc != "/api/v1/documents/8" {
			t.Fatalf("Location=%q", loc)
		}
	})
	big := string(pdf) + strings.Repeat("x", annex.MaxDocumentSize)
	huge := string(pdf) + strings.Repeat("x", annex.MaxDocumentSize+100<<10)
	tests := []struct {
		name  string
		parts []string
		field string
		msg   string
	}{
		{"Type", []string{"kind", "end_user_certificate", "file", "#!/bin/sh\necho hello\n"}, "file", "must be a PDF, PNG or JPEG file, not text/plain"},
		{"Empty", []string{"kind", "other", "file", ""}, "file", "the file is empty"},
		{"TooLarge", []string{"kind", "other", "file", big}, "file", "bytes; at most 10 MB"},
		{"BodyTooLarge", []string{"kind", "other", "file", huge}, "file", "the file is larger than 10 MB"},
		{"NoFile", []string{"kind", "other"}, "file", "choose a file"},
		{"Kind", []string{"kind", "passport", "file", string(pdf)}, "kind", "must be end_user_certificate or other"},
		{"UnknownPart", []string{"kind", "other", "note", "x", "file", string(pdf)}, "note", "unknown part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartBody(t, "euc.pdf", tt.parts...)
			p := mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/documents", body, append(as("exporter"), "Content-Type", ct)...), http.StatusUnprocessableEntity)
			if p.Field != tt.field || !strings.Contains(p.Detail, tt.msg) {
				t.Fatalf("problem=%+v, want field %s with %q", p, tt.field, tt.msg)
			}
		})
	}
	t.Run("NotMultipart", func(t *testing.T) {
		mustProblem(t, s.Do(t, "POST", "/api/v1/applications/42/documents", `{}`, as("exporter")...), http.StatusUnprocessableEntity)
	})
	t.Run("Download", func(t *testing.T) {
		for _, user := range []string{"exporter", "officer", "reviewer"} {
			resp := s.Do(t, "GET", "/api/v1/documents/8", "", as(user)...)
			mustStatus(t, resp, http.StatusOK)
			if resp.Body != string(pdf) || resp.Header.Get("Content-Type") != "application/pdf" ||
				resp.Header.Get("Content-Disposition") != `attachment; filename*=utf-8''end%20user%20%C3%A7.pdf` ||
				resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("%s: headers %v body %q", user, resp.Header, resp.Body)
			}
		}
	})
	t.Run("DownloadNotFound", func(t *testing.T) {
		mustProblem(t, s.Do(t, "GET", "/api/v1/documents/9", "", bearer...), http.StatusNotFound)
	})
}

// TestOrganisationIsolationMocked checks every route that touches an
// application, a document or a licence with an exporter of another
// organisation, for whom the store finds nothing: each answers 404, as if
// the record did not exist. The same routes run over the real store in
// TestOrganisationIsolation.
func TestOrganisationIsolationMocked(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.withApp(motorApp(annex.StatusUnderReview))
	notFound := func(ctx context.Context) error {
		if u := annex.UserFromContext(ctx); u.OrgID != 6 {
			t.Errorf("user %v, want the rival", u)
		}
		return annex.Errorf(annex.ENOTFOUND, "not found")
	}
	s.ApplicationService.UpdateApplicationFn = func(ctx context.Context, _, _ int64, _ annex.ApplicationSpec) (*annex.Application, error) {
		return nil, notFound(ctx)
	}
	s.ApplicationService.ActFn = func(ctx context.Context, _ int64, _ *annex.CaseAction) (*annex.Application, error) {
		return nil, notFound(ctx)
	}
	s.ApplicationService.AddDocumentFn = func(ctx context.Context, _ int64, _ *annex.Document, _ []byte) error { return notFound(ctx) }
	s.ApplicationService.FindDocumentFn = func(ctx context.Context, _ int64) (*annex.Document, []byte, error) {
		return nil, nil, notFound(ctx)
	}
	s.LicenceService.FindLicenceByNumberFn = func(ctx context.Context, _ string) (*annex.Licence, error) { return nil, notFound(ctx) }
	s.withClassifier()
	upload, ct := multipartBody(t, "euc.pdf", "kind", "other", "file", string(pdf))
	tests := []struct {
		method, path, body string
		header             []string
	}{
		{"GET", "/api/v1/applications/42", "", nil},
		{"PUT", "/api/v1/applications/42", `{"version": 2, "application": ` + motorJSON + `}`, nil},
		{"POST", "/api/v1/applications/42/actions", `{"type": "withdraw", "version": 2}`, nil},
		{"POST", "/api/v1/applications/42/documents", upload, []string{"Content-Type", ct}},
		{"GET", "/api/v1/documents/8", "", nil},
		{"GET", "/api/v1/licences/ANX-L-2026-000009", "", nil},
		{"GET", "/api/v1/licences/ANX-L-2026-000009/shipments", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			mustProblem(t, s.Do(t, tt.method, tt.path, tt.body, append(as("rival"), tt.header...)...), http.StatusNotFound)
		})
	}
	t.Run("StoreFault", func(t *testing.T) {
		// A store that forgot the organisation: the web refuses all the same.
		s.ApplicationService.FindApplicationByIDFn = func(context.Context, int64) (*annex.Application, error) {
			return motorApp(annex.StatusUnderReview), nil
		}
		s.ApplicationService.FindDocumentFn = func(context.Context, int64) (*annex.Document, []byte, error) {
			return &annex.Document{ID: 8, ApplicationID: 42, ContentType: "application/pdf"}, pdf, nil
		}
		s.LicenceService.FindLicenceByNumberFn = func(context.Context, string) (*annex.Licence, error) { return testLicence(), nil }
		for _, path := range []string{"/api/v1/applications/42", "/api/v1/documents/8", "/api/v1/licences/ANX-L-2026-000009",
			"/api/v1/licences/ANX-L-2026-000009/shipments", "/applications/42", "/licences/ANX-L-2026-000009"} {
			resp := s.Do(t, "GET", path, "", as("rival")...)
			mustStatus(t, resp, http.StatusNotFound)
		}
	})
}

// TestAssessAPIDenials: the public assessment tells anyone but the
// authority that a partner is consulted, not the partner's denial; an
// officer reads it whole.
func TestAssessAPIDenials(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	s.AssessService.AssessFn = func(context.Context, *annex.ApplicationSpec) (*annex.Assessment, error) {
		a := motorAssessment()
		a.Reasons = append(a.Reasons, annex.Reason{Rule: annex.RuleNoUndercut, Outcome: annex.RecommendRefer,
			Detail: "essentially identical to denial GB-ANX-2026-000001-1 notified by GB", Ref: "GB-ANX-2026-000001-1"})
		a.Factors = []annex.Factor{{ID: "D", Findings: []string{"GB refused 2.A.1.c (denial GB-ANX-2026-000001-1)"}}}
		return a, nil
	}
	for _, tt := range []struct {
		name   string
		cookie []string
		shown  bool
	}{
		{"signed out", nil, false},
		{"exporter", cookie("exporter"), false},
		{"officer", cookie("officer"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Do(t, "POST", "/api/v1/assess", motorJSON, tt.cookie...)
			mustStatus(t, resp, http.StatusOK)
			if got := strings.Contains(resp.Body, "GB-ANX-2026-000001-1"); got != tt.shown {
				t.Errorf("the denial shown: %v, want %v\n%s", got, tt.shown, resp.Body)
			}
			if !strings.Contains(resp.Body, `"rule":"no-undercut"`) {
				t.Errorf("the no-undercut reason is gone:\n%s", resp.Body)
			}
		})
	}
}
