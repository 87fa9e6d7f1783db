package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/mock"
)

// The denials of these tests, read on fixedClock (2026-11-27): an own
// denial in force, an own denial revoked, a partner's in force and a
// partner's past its review date.
const (
	ownID     = "GB-ANX-2026-000001-1"
	revokedID = "GB-ANX-2025-000009-1"
	partnerID = "DE-2026-0007"
	oldID     = "DE-2023-0001"
)

func testDenials() []*annex.Denial {
	return []*annex.Denial{
		{ID: ownID, NotifyingGovernment: "GB", Entry: "2.A.1.c", EndUser: "Orion Rocket Works", Destination: "KP", Date: "2026-11-20",
			Reason: "Risk of diversion to a missile programme.", ItemDescription: "SRM-7 motor (solid_rocket_motor)",
			Consignee: "Pyongyang Trading Co", Status: annex.DenialActive, Version: 1, ApplicationID: 42},
		{ID: revokedID, NotifyingGovernment: "GB", Entry: "9.A.3", EndUser: "Orion Rocket Works", Destination: "KP", Date: "2025-06-01",
			Reason: "Risk of diversion.", Status: annex.DenialRevoked, Version: 2, RevokedOn: "2026-02-01", ApplicationID: 17},
		{ID: partnerID, NotifyingGovernment: "DE", Entry: "9.A.3", EndUser: "Vikram Sarabhai Space Centre", Destination: "IN",
			Date: "2026-03-02", Reason: "Risk of diversion to a missile programme.", Status: annex.DenialActive, Version: 1,
			Received: &annex.Receipt{KeyID: "9f1c2a7be04d5c11", Feed: "https://annex.de.example/api/v1/exchange/feed", Sequence: 12,
				ReceivedAt: time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC)}},
		{ID: oldID, NotifyingGovernment: "DE", Entry: "2.A.1", EndUser: "Defence Industries Organisation", Destination: "IR",
			Date: "2023-01-10", Reason: "Missile programme.", Status: annex.DenialActive, Version: 1,
			Received: &annex.Receipt{KeyID: "9f1c2a7be04d5c11", Feed: "https://annex.de.example/api/v1/exchange/feed", Sequence: 3,
				ReceivedAt: time.Date(2023, 1, 10, 8, 0, 0, 0, time.UTC)}},
	}
}

// testConsultations are the consultations asked of this government: one
// open, one past its due time, one answered.
func testConsultations() []*annex.Consultation {
	at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	return []*annex.Consultation{
		{ID: 7, DenialID: ownID, Partner: "DE", Status: annex.ConsultationOpen, RequestedAt: at, DueAt: at.AddDate(0, 0, 30)},
		{ID: 5, DenialID: revokedID, Partner: "FR", Status: annex.ConsultationOpen, RequestedAt: at.AddDate(0, -2, 0), DueAt: at.AddDate(0, -1, 0)},
		{ID: 3, DenialID: "GB-ANX-2020-000001-1", Partner: "IT", Status: annex.ConsultationAnswered, RequestedAt: at.AddDate(-1, 0, 0),
			DueAt: at.AddDate(-1, 1, 0), Answer: "The refusal stands.", Objects: true, AnsweredAt: at.AddDate(-1, 0, 3)},
	}
}

// denialCalls records what the denial service mock was given.
type denialCalls struct {
	mu      sync.Mutex
	filters []annex.DenialFilter
	amends  []annex.DenialUpdate
	revokes []string // "id day"
	answers []string // "id|answer|objects"
}

func (c *denialCalls) record(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f()
}

// take returns the calls recorded so far and forgets them.
func (c *denialCalls) take() (fs []annex.DenialFilter, amends []annex.DenialUpdate, revokes, answers []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fs, amends, revokes, answers = c.filters, c.amends, c.revokes, c.answers
	c.filters, c.amends, c.revokes, c.answers = nil, nil, nil, nil
	return
}

// mustOpenDenials opens a server whose denial service is a mock holding
// testDenials and testConsultations, with sessions. It changes nothing: an
// amendment sets the fields given one version on, a revocation revokes,
// an answer answers, as copies.
func mustOpenDenials(t *testing.T) (*Server, *mock.DenialService, *denialCalls) {
	t.Helper()
	ds := &mock.DenialService{}
	s := MustOpenServer(t, func(s *Server) { s.Server.DenialService = ds })
	s.withSessions()
	calls := &denialCalls{}
	find := func(id string) (*annex.Denial, error) {
		for _, d := range testDenials() {
			if d.ID == id {
				return d, nil
			}
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "denial %s not found", id)
	}
	ds.FindDenialByIDFn = func(_ context.Context, id string) (*annex.Denial, error) { return find(id) }
	ds.FindDenialsFn = func(_ context.Context, f annex.DenialFilter) ([]*annex.Denial, int, error) {
		calls.record(func() { calls.filters = append(calls.filters, f) })
		var out []*annex.Denial
		for _, d := range testDenials() {
			own := d.Received == nil
			if (f.Sent != f.Received && own != f.Sent) || (f.Destination != "" && f.Destination != d.Destination) {
				continue
			}
			out = append(out, d)
		}
		return out, len(out), nil
	}
	ds.AmendDenialFn = func(_ context.Context, id string, upd annex.DenialUpdate) (*annex.Denial, error) {
		calls.record(func() { calls.amends = append(calls.amends, upd) })
		d, err := find(id)
		if err != nil {
			return nil, err
		}
		if upd.EndUser != nil {
			d.EndUser = *upd.EndUser
		}
		if upd.Reason != nil {
			d.Reason = *upd.Reason
		}
		d.Version++
		return d, nil
	}
	ds.RevokeDenialFn = func(_ context.Context, id, day string) (*annex.Denial, error) {
		calls.record(func() { calls.revokes = append(calls.revokes, id+" "+day) })
		d, err := find(id)
		if err != nil {
			return nil, err
		}
		d.Status, d.RevokedOn = annex.DenialRevoked, day
		d.Version++
		return d, nil
	}
	ds.FindConsultationsFn = func(_ context.Context, applicationID int64) ([]*annex.Consultation, error) {
		if applicationID != 0 {
			t.Errorf("FindConsultations(%d), want the incoming ones (0)", applicationID)
		}
		return testConsultations(), nil
	}
	ds.AnswerConsultationFn = func(_ context.Context, id int64, answer string, objects bool) (*annex.Consultation, error) {
		calls.record(func() {
			calls.answers = append(calls.answers, strconv.FormatInt(id, 10)+"|"+answer+"|"+strconv.FormatBool(objects))
		})
		for _, c := range testConsultations() {
			if c.ID == id {
				c.Status, c.Answer, c.Objects, c.AnsweredAt = annex.ConsultationAnswered, answer, objects, fixedClock
				return c, nil
			}
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "consultation %d not found", id)
	}
	return s, ds, calls
}

// TestDenialAPIRoles checks who may use each route of the denials API:
// the authority but customs reads; officers, senior officers and
// administrators change; exporters and customs are refused; signed out
// is 401. A refused request never reaches the service.
func TestDenialAPIRoles(t *testing.T) {
	s, _, calls := mustOpenDenials(t)
	readers := []string{"officer", "senior", "reviewer", "analyst", "admin"}
	writers := []string{"officer", "senior", "admin"}
	routes := []struct {
		method, path, body string
		who                []string
	}{
		{"GET", "/api/v1/denials", "", readers},
		{"GET", "/api/v1/denials/" + partnerID, "", readers},
		{"GET", "/api/v1/consultations", "", readers},
		{"POST", "/api/v1/denials/" + ownID + "/amend", `{"end_user": "Orion Rocket Works (Sohae)"}`, writers},
		{"POST", "/api/v1/denials/" + ownID + "/revoke", `{"day": "2026-11-27"}`, writers},
		{"POST", "/api/v1/consultations/7/answer", `{"answer": "The refusal stands.", "objects": true}`, writers},
	}
	for _, rt := range routes {
		for _, user := range []string{"officer", "senior", "reviewer", "analyst", "admin", "customs", "exporter", "expadmin", ""} {
			t.Run(rt.method+" "+rt.path+" as "+user, func(t *testing.T) {
				var header []string
				if user != "" {
					header = as(user)
				}
				resp := s.Do(t, rt.method, rt.path, rt.body, header...)
				switch {
				case user == "":
					mustProblem(t, resp, http.StatusUnauthorized)
				case slices.Contains(rt.who, user):
					mustStatus(t, resp, http.StatusOK)
				default:
					p := mustProblem(t, resp, http.StatusForbidden)
					if !strings.HasPrefix(p.Detail, "This is for ") {
						t.Fatalf("detail %q", p.Detail)
					}
					if _, amends, revokes, answers := calls.take(); len(amends)+len(revokes)+len(answers) > 0 {
						t.Fatalf("the service was called: %v %v %v", amends, revokes, answers)
					}
				}
				calls.take()
			})
		}
	}
}

// TestDenialAPIList checks the list's filters, as the service receives
// them, and the day's view of each denial.
func TestDenialAPIList(t *testing.T) {
	s, _, calls := mustOpenDenials(t)
	tests := []struct {
		query string
		want  annex.DenialFilter
		ids   []string
	}{
		{"", annex.DenialFilter{Limit: 100}, []string{ownID, revokedID, partnerID, oldID}},
		{"?sent=true", annex.DenialFilter{Sent: true, Limit: 100}, []string{ownID, revokedID}},
		{"?received=true&destination=in", annex.DenialFilter{Received: true, Destination: "IN", Limit: 100}, []string{partnerID}},
		{"?sent=false&received=true&offset=5&limit=10", annex.DenialFilter{Received: true, Offset: 5, Limit: 10}, []string{partnerID, oldID}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got struct {
				Day     string
				Total   int
				Denials []map[string]any
			}
			resp := s.Do(t, "GET", "/api/v1/denials"+tt.query, "", as("reviewer")...)
			mustStatus(t, resp, http.StatusOK)
			mustDecode(t, resp, &got)
			fs, _, _, _ := calls.take()
			if diff := cmp.Diff([]annex.DenialFilter{tt.want}, fs); diff != "" {
				t.Fatalf("filter (-want +got):\n%s", diff)
			}
			var ids []string
			for _, d := range got.Denials {
				ids = append(ids, d["id"].(string))
			}
			if diff := cmp.Diff(tt.ids, ids); diff != "" || got.Total != len(tt.ids) || got.Day != "2026-11-27" {
				t.Fatalf("day %s, total %d, denials (-want +got):\n%s", got.Day, got.Total, diff)
			}
		})
	}

	t.Run("DayView", func(t *testing.T) {
		var got struct{ Denials []map[string]any }
		mustDecode(t, s.Do(t, "GET", "/api/v1/denials", "", as("analyst")...), &got)
		calls.take()
		view := map[string][2]any{}
		for _, d := range got.Denials {
			view[d["id"].(string)] = [2]any{d["in_force"], d["review_due"]}
		}
		want := map[string][2]any{
			ownID:     {true, "2029-11-20"},
			revokedID: {false, "2028-06-01"},
			partnerID: {true, "2029-03-02"},
			oldID:     {false, "2026-01-10"}, // past its review date
		}
		if diff := cmp.Diff(want, view); diff != "" {
			t.Fatalf("in_force, review_due (-want +got):\n%s", diff)
		}
	})

	for _, tt := range []struct{ query, field string }{
		{"?sent=yes", "sent"},
		{"?received=1", "received"},
		{"?destination=Korea", "destination"},
		{"?limit=5000", "limit"},
		{"?view=sent", "view"},
	} {
		t.Run("Invalid"+tt.query, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "GET", "/api/v1/denials"+tt.query, "", as("reviewer")...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("field %q, want %q: %+v", p.Field, tt.field, p)
			}
			if fs, _, _, _ := calls.take(); len(fs) > 0 {
				t.Fatalf("the service was called with %v", fs)
			}
		})
	}
}

// TestDenialAPIDenial checks one denial: a partner's carries where it came
// from, an ID with dashes reaches the service whole, and an unknown one is
// 404.
func TestDenialAPIDenial(t *testing.T) {
	s, _, _ := mustOpenDenials(t)
	var got map[string]any
	resp := s.Do(t, "GET", "/api/v1/denials/"+partnerID, "", as("senior")...)
	mustStatus(t, resp, http.StatusOK)
	mustDecode(t, resp, &got)
	if got["id"] != partnerID || got["in_force"] != true || got["review_due"] != "2029-03-02" {
		t.Fatalf("denial %v", got)
	}
	rec, _ := got["received"].(map[string]any)
	if rec["key_id"] != "9f1c2a7be04d5c11" || rec["sequence"] != float64(12) || rec["feed"] != "https://annex.de.example/api/v1/exchange/feed" {
		t.Fatalf("received %v", rec)
	}
	mustSchemaFields(t, s, "DenialView", got)
	mustProblem(t, s.Do(t, "GET", "/api/v1/denials/GB-NONE-1", "", as("senior")...), http.StatusNotFound)
}

// TestDenialAPIAmend checks that an amendment reaches the service with the
// fields sent and only those, and that a body with unknown fields does
// not.
func TestDenialAPIAmend(t *testing.T) {
	s, ds, calls := mustOpenDenials(t)
	var got map[string]any
	resp := s.Do(t, "POST", "/api/v1/denials/"+ownID+"/amend", `{"end_user": "Orion Rocket Works (Sohae)", "reason": null}`, as("officer")...)
	mustStatus(t, resp, http.StatusOK)
	mustDecode(t, resp, &got)
	if got["version"] != float64(2) || got["end_user"] != "Orion Rocket Works (Sohae)" || got["in_force"] != true {
		t.Fatalf("amended %v", got)
	}
	_, amends, _, _ := calls.take()
	endUser := "Orion Rocket Works (Sohae)"
	if diff := cmp.Diff([]annex.DenialUpdate{{EndUser: &endUser}}, amends); diff != "" {
		t.Fatalf("update (-want +got):\n%s", diff)
	}

	p := mustProblem(t, s.Do(t, "POST", "/api/v1/denials/"+ownID+"/amend", `{"end_users": "x"}`, as("officer")...), http.StatusUnprocessableEntity)
	if p.Field != "end_users" {
		t.Fatalf("problem %+v", p)
	}
	if _, amends, _, _ := calls.take(); len(amends) > 0 {
		t.Fatalf("the service was called with %v", amends)
	}

	// The store's refusals pass through with their status.
	for _, tt := range []struct {
		err    error
		status int
		field  string
	}{
		{annex.Invalid(annex.FieldError{Field: "end_user", Message: "required, at most 500 characters"}), 422, "end_user"},
		{annex.Errorf(annex.EFORBIDDEN, "only DE can amend its denial %s", partnerID), 403, ""},
		{annex.Errorf(annex.ECONFLICT, "denial %s was revoked on 2026-02-01", revokedID), 409, ""},
	} {
		ds.AmendDenialFn = func(context.Context, string, annex.DenialUpdate) (*annex.Denial, error) { return nil, tt.err }
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/denials/"+ownID+"/amend", `{"end_user": ""}`, as("senior")...), tt.status)
		if p.Field != tt.field || p.Detail != annex.ErrorMessage(tt.err) {
			t.Errorf("problem %+v, want field %q and %q", p, tt.field, annex.ErrorMessage(tt.err))
		}
	}
}

// TestDenialAPIRevoke checks the day of a revocation: today when empty, a
// field error on day when it is no date (from the web or the store).
func TestDenialAPIRevoke(t *testing.T) {
	s, ds, calls := mustOpenDenials(t)
	var got map[string]any
	resp := s.Do(t, "POST", "/api/v1/denials/"+ownID+"/revoke", `{}`, as("admin")...)
	mustStatus(t, resp, http.StatusOK)
	mustDecode(t, resp, &got)
	if got["status"] != "revoked" || got["revoked_on"] != "2026-11-27" || got["in_force"] != false || got["version"] != float64(2) {
		t.Fatalf("revoked %v", got)
	}
	if _, _, revokes, _ := calls.take(); !slices.Equal(revokes, []string{ownID + " 2026-11-27"}) {
		t.Fatalf("revocations %v", revokes)
	}

	for _, body := range []string{`{"day": "27/11/2026"}`, `{"day": "2026-02-30"}`} {
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/denials/"+ownID+"/revoke", body, as("officer")...), http.StatusUnprocessableEntity)
		if p.Field != "day" {
			t.Fatalf("%s: problem %+v, want field day", body, p)
		}
	}
	if _, _, revokes, _ := calls.take(); len(revokes) > 0 {
		t.Fatalf("the service was called with %v", revokes)
	}

	// The store names the day revoked_on; the API names it as sent.
	ds.RevokeDenialFn = func(context.Context, string, string) (*annex.Denial, error) {
		return nil, annex.Invalid(annex.FieldError{Field: "revoked_on", Message: "must not be before the denial's date, 2026-11-20"})
	}
	p := mustProblem(t, s.Do(t, "POST", "/api/v1/denials/"+ownID+"/revoke", `{"day": "2026-01-01"}`, as("officer")...), http.StatusUnprocessableEntity)
	if p.Field != "day" || p.Errors[0].Message != "must not be before the denial's date, 2026-11-20" {
		t.Fatalf("problem %+v", p)
	}
}

// TestConsultationAPI checks the consultations asked of this government,
// with their status now, and answering one.
func TestConsultationAPI(t *testing.T) {
	s, _, calls := mustOpenDenials(t)
	var got struct {
		Total         int
		Consultations []map[string]any
	}
	resp := s.Do(t, "GET", "/api/v1/consultations", "", as("reviewer")...)
	mustStatus(t, resp, http.StatusOK)
	mustDecode(t, resp, &got)
	var statuses []string
	for _, c := range got.Consultations {
		statuses = append(statuses, c["status"].(string))
		mustSchemaFields(t, s, "Consultation", c)
	}
	// The second is past its due time.
	if diff := cmp.Diff([]string{"open", "lapsed", "answered"}, statuses); diff != "" || got.Total != 3 {
		t.Fatalf("total %d, statuses (-want +got):\n%s", got.Total, diff)
	}

	for _, body := range []string{`{"answer": ""}`, `{"answer": "   ", "objects": true}`, `{"objects": false}`} {
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/consultations/7/answer", body, as("officer")...), http.StatusUnprocessableEntity)
		if p.Field != "answer" {
			t.Fatalf("%s: problem %+v, want field answer", body, p)
		}
	}
	if _, _, _, answers := calls.take(); len(answers) > 0 {
		t.Fatalf("the service was called with %v", answers)
	}

	var c map[string]any
	resp = s.Do(t, "POST", "/api/v1/consultations/7/answer", `{"answer": "  The refusal stands.  ", "objects": true}`, as("senior")...)
	mustStatus(t, resp, http.StatusOK)
	mustDecode(t, resp, &c)
	if c["status"] != "answered" || c["objects"] != true {
		t.Fatalf("answered %v", c)
	}
	if _, _, _, answers := calls.take(); !slices.Equal(answers, []string{"7|The refusal stands.|true"}) {
		t.Fatalf("answers %v", answers)
	}
	mustProblem(t, s.Do(t, "POST", "/api/v1/consultations/x/answer", `{"answer": "a"}`, as("senior")...), http.StatusNotFound)
	mustProblem(t, s.Do(t, "POST", "/api/v1/consultations/99/answer", `{"answer": "a"}`, as("senior")...), http.StatusNotFound)
}

// mustSchemaFields checks a JSON object of a response against the schema
// of the served OpenAPI document: every key is a property, and every
// required property is there.
func mustSchemaFields(t *testing.T, s *Server, schema string, obj map[string]any) {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string
				Properties map[string]json.RawMessage
			}
		}
	}
	resp := s.Do(t, "GET", "/api/v1/openapi.json", "")
	mustStatus(t, resp, http.StatusOK)
	mustDecode(t, resp, &doc)
	sc, ok := doc.Components.Schemas[schema]
	if !ok {
		t.Fatalf("no schema %s", schema)
	}
	for k := range obj {
		if _, ok := sc.Properties[k]; !ok {
			t.Errorf("%s: %q is no property of the schema", schema, k)
		}
	}
	for _, k := range sc.Required {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s: required %q is missing from %v", schema, k, obj)
		}
	}
}

// TestDenialPages checks the pages: the lists by tab with their filter,
// a denial with its forms for a writer and without for a reader, where a
// partner's came from, and the refusals of other roles.
func TestDenialPages(t *testing.T) {
	s, _, calls := mustOpenDenials(t)

	t.Run("Sent", func(t *testing.T) {
		resp := s.Do(t, "GET", "/denials", "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<li><a href="/denials" aria-current="page">Denials</a></li>`,
			`<a href="/denials" id="tab-sent" aria-current="page">`, `<a href="/denials?view=received" id="tab-received">`,
			`<table class="facts" id="denials" data-view="sent">`,
			`<tr class="denial" data-id="`+ownID+`" data-status="active" data-in-force="true">`,
			`<th scope="row"><a href="/denials/`+ownID+`">`+ownID+`</a></th>`,
			`<td class="day">2029-11-20</td>`,
			`<tr class="denial" data-id="`+revokedID+`" data-status="revoked" data-in-force="false">`,
			`>revoked</span> from 2026-02-01</td>`)
		mustOmit(t, resp.Body, partnerID)
		fs, _, _, _ := calls.take()
		if diff := cmp.Diff([]annex.DenialFilter{{Sent: true, Limit: 50}}, fs); diff != "" {
			t.Fatalf("filter (-want +got):\n%s", diff)
		}
	})

	t.Run("Received", func(t *testing.T) {
		resp := s.Do(t, "GET", "/denials?view=received&destination=ir", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<a href="/denials?view=received" id="tab-received" aria-current="page">`,
			`<input type="hidden" name="view" value="received">`, `name="destination" type="text" value="IR"`,
			`<tr class="denial" data-id="`+oldID+`" data-status="lapsed" data-in-force="false">`, `<td>Defence Industries Organisation</td>`)
		mustOmit(t, resp.Body, partnerID, ownID)
		fs, _, _, _ := calls.take()
		if diff := cmp.Diff([]annex.DenialFilter{{Received: true, Destination: "IR", Limit: 50}}, fs); diff != "" {
			t.Fatalf("filter (-want +got):\n%s", diff)
		}
		resp = s.Do(t, "GET", "/denials?view=received&destination=FR", "", cookie("analyst")...)
		mustContain(t, resp.Body, `<p id="no-denials">No denial received from a partner for FR.</p>`)
		calls.take()
	})

	t.Run("BadDestination", func(t *testing.T) {
		resp := s.Do(t, "GET", "/denials?destination=Korea", "", cookie("officer")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="destination-error">must be an ISO 3166-1 alpha-2 code such as PK, got &#34;Korea&#34;</p>`,
			`value="Korea"`)
		if fs, _, _, _ := calls.take(); len(fs) > 0 {
			t.Fatalf("the service was called with %v", fs)
		}
	})

	t.Run("OwnAsWriter", func(t *testing.T) {
		resp := s.Do(t, "GET", "/denials/"+ownID, "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<h1 id="denial-id">`+ownID+`</h1>`, `data-status="active" data-in-force="true">active</span>`,
			`<dl class="facts" id="denial-facts" data-version="1">`, `<dd id="denial-end-user">Orion Rocket Works</dd>`, `<dd id="denial-consignee">Pyongyang Trading Co</dd>`,
			`<dd class="day" id="denial-review">2029-11-20</dd>`, `<dd id="denial-version">1</dd>`,
			`<a href="/cases/42">case 42</a>`,
			`<form method="post" action="/denials/`+ownID+`/amend" id="amend-form" novalidate>`,
			`<input type="text" id="amend-end_user" name="end_user" value="Orion Rocket Works" autocomplete="off">`,
			`<form method="post" action="/denials/`+ownID+`/revoke" id="revoke-form" novalidate>`,
			`<input type="date" id="revoke-day" name="day" value="2026-11-27">`)
		mustOmit(t, resp.Body, `id="denial-received"`)
	})

	t.Run("OwnAsReader", func(t *testing.T) {
		for _, user := range []string{"reviewer", "analyst"} {
			resp := s.Do(t, "GET", "/denials/"+ownID, "", cookie(user)...)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, resp.Body, `<dd id="denial-end-user">Orion Rocket Works</dd>`)
			mustOmit(t, resp.Body, `id="amend-form"`, `id="revoke-form"`)
		}
		// An administrator writes, but works no case.
		resp := s.Do(t, "GET", "/denials/"+ownID, "", cookie("admin")...)
		mustContain(t, resp.Body, `id="amend-form"`, `<dd id="denial-case">case 42</dd>`)
	})

	t.Run("Revoked", func(t *testing.T) {
		resp := s.Do(t, "GET", "/denials/"+revokedID, "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<dd class="day" id="denial-revoked-on">2026-02-01</dd>`)
		mustOmit(t, resp.Body, `id="amend-form"`, `id="revoke-form"`)
	})

	t.Run("Partner", func(t *testing.T) {
		resp := s.Do(t, "GET", "/denials/"+partnerID, "", cookie("senior")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<h2 id="received-heading">Where it came from</h2>`,
			`<dd id="received-key"><code>9f1c2a7be04d5c11</code></dd>`,
			`<dd id="received-feed">https://annex.de.example/api/v1/exchange/feed</dd>`,
			`<dd id="received-sequence">12</dd>`, `<dd id="received-at">2026-03-02 10:15 UTC</dd>`,
			`<a href="/denials?view=received" id="back-to-denials">`)
		mustOmit(t, resp.Body, `id="amend-form"`, `id="revoke-form"`)
		mustStatus(t, s.Do(t, "GET", "/denials/GB-NONE-1", "", cookie("senior")...), http.StatusNotFound)
	})

	t.Run("Refused", func(t *testing.T) {
		for _, user := range []string{"exporter", "expadmin", "customs"} {
			for _, path := range []string{"/denials", "/denials/" + ownID, "/consultations"} {
				resp := s.Do(t, "GET", path, "", cookie(user)...)
				mustStatus(t, resp, http.StatusForbidden)
				mustContain(t, resp.Body, `id="error-message">This is for`)
			}
			resp := s.Do(t, "GET", "/", "", cookie(user)...)
			mustOmit(t, resp.Body, `href="/denials"`)
		}
		for _, user := range []string{"reviewer", "analyst", "customs", "exporter"} {
			for _, post := range []struct{ path, body string }{
				{"/denials/" + ownID + "/amend", "end_user=x"},
				{"/denials/" + ownID + "/revoke", "day=2026-11-27"},
				{"/consultations/7/answer", "answer=x"},
			} {
				mustStatus(t, s.Do(t, "POST", post.path, post.body, cookie(user)...), http.StatusForbidden)
			}
		}
		if _, amends, revokes, answers := calls.take(); len(amends)+len(revokes)+len(answers) > 0 {
			t.Fatalf("the service was called: %v %v %v", amends, revokes, answers)
		}
		mustContain(t, s.Do(t, "GET", "/", "", cookie("reviewer")...).Body, `<li><a href="/denials">Denials</a></li>`)
	})
}

// TestDenialForms checks the forms of a denial and of a consultation: a
// success goes back to the page, a failure comes back with 422 and the
// error beside its input.
func TestDenialForms(t *testing.T) {
	s, ds, calls := mustOpenDenials(t)
	amend := url.Values{"reason": {"Risk of diversion to a missile programme."}, "entry": {"2.A.1.c"},
		"end_user": {"Orion Rocket Works (Sohae)"}, "consignee": {"Pyongyang Trading Co"}, "item_description": {"SRM-7 motor (solid_rocket_motor)"}}

	t.Run("Amend", func(t *testing.T) {
		resp := s.Do(t, "POST", "/denials/"+ownID+"/amend", amend.Encode(), cookie("officer")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/denials/"+ownID {
			t.Fatalf("Location=%q", loc)
		}
		_, amends, _, _ := calls.take()
		if len(amends) != 1 || amends[0].EndUser == nil || *amends[0].EndUser != "Orion Rocket Works (Sohae)" ||
			amends[0].Entry == nil || *amends[0].Entry != "2.A.1.c" || amends[0].Consignee == nil || amends[0].ItemDescription == nil || amends[0].Reason == nil {
			t.Fatalf("update %+v", amends)
		}
	})

	t.Run("AmendInvalid", func(t *testing.T) {
		ds.AmendDenialFn = func(context.Context, string, annex.DenialUpdate) (*annex.Denial, error) {
			return nil, annex.Invalid(annex.FieldError{Field: "end_user", Message: "required, at most 500 characters"},
				annex.FieldError{Field: "destination", Message: "must be an ISO 3166-1 alpha-2 code such as PK"})
		}
		bad := url.Values{}
		for k, v := range amend {
			bad[k] = v
		}
		bad.Set("end_user", " ")
		bad.Set("reason", "Typed reason")
		resp := s.Do(t, "POST", "/denials/"+ownID+"/amend", bad.Encode(), cookie("officer")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `id="amend-form-errors"`,
			`<p class="field-error" id="amend-end_user-error">required, at most 500 characters</p>`,
			`aria-invalid="true" aria-describedby="amend-end_user-error"`,
			`<li class="form-error">destination: must be an ISO 3166-1 alpha-2 code such as PK</li>`,
			`>Typed reason</textarea>`,
			// The revocation form stays blank.
			`<input type="date" id="revoke-day" name="day" value="2026-11-27">`)

		ds.AmendDenialFn = func(context.Context, string, annex.DenialUpdate) (*annex.Denial, error) {
			return nil, annex.Errorf(annex.EINVALID, "the amendment changes nothing")
		}
		resp = s.Do(t, "POST", "/denials/"+ownID+"/amend", amend.Encode(), cookie("officer")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<li class="form-error">the amendment changes nothing</li>`)

		ds.AmendDenialFn = func(context.Context, string, annex.DenialUpdate) (*annex.Denial, error) {
			return nil, annex.Errorf(annex.ECONFLICT, "denial %s was revoked on 2026-02-01", revokedID)
		}
		mustStatus(t, s.Do(t, "POST", "/denials/"+revokedID+"/amend", amend.Encode(), cookie("officer")...), http.StatusConflict)
	})

	t.Run("Revoke", func(t *testing.T) {
		resp := s.Do(t, "POST", "/denials/"+ownID+"/revoke", "day=2026-12-01", cookie("senior")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/denials/"+ownID {
			t.Fatalf("Location=%q", loc)
		}
		if _, _, revokes, _ := calls.take(); !slices.Equal(revokes, []string{ownID + " 2026-12-01"}) {
			t.Fatalf("revocations %v", revokes)
		}
	})

	t.Run("RevokeInvalid", func(t *testing.T) {
		resp := s.Do(t, "POST", "/denials/"+ownID+"/revoke", "day=tomorrow", cookie("officer")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `id="revoke-form-errors"`,
			`<p class="field-error" id="revoke-day-error">must be a date written YYYY-MM-DD, got &#34;tomorrow&#34;</p>`,
			`<input type="date" id="revoke-day" name="day" value="tomorrow" aria-invalid="true" aria-describedby="revoke-day-error">`)
		if _, _, revokes, _ := calls.take(); len(revokes) > 0 {
			t.Fatalf("the service was called with %v", revokes)
		}
		ds.RevokeDenialFn = func(context.Context, string, string) (*annex.Denial, error) {
			return nil, annex.Invalid(annex.FieldError{Field: "revoked_on", Message: "must not be before the denial's date, 2026-11-20"})
		}
		resp = s.Do(t, "POST", "/denials/"+ownID+"/revoke", "day=2026-01-01", cookie("officer")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="revoke-day-error">must not be before the denial&#39;s date, 2026-11-20</p>`)
	})

	t.Run("Consultations", func(t *testing.T) {
		resp := s.Do(t, "GET", "/consultations", "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<a href="/consultations" id="tab-consultations" aria-current="page">`,
			`<li class="consultation" id="consultation-7" data-status="open">`,
			`<dt>Asked by</dt><dd class="partner">DE</dd>`,
			`<dt>Our denial: entry</dt><dd class="entry"><code>2.A.1.c</code></dd>`, `<dd class="end-user">Orion Rocket Works</dd>`, `<dd class="destination">KP</dd>`,
			`<dd class="day due">2026-12-24 08:00 UTC</dd>`,
			`<form method="post" action="/consultations/7/answer" id="answer-form-7" class="answer-form" novalidate>`,
			`<input type="checkbox" id="objects-7" name="objects" value="true">`,
			// The lapsed one may be answered late; the answered one shows its answer.
			`<li class="consultation" id="consultation-5" data-status="lapsed">`, `<label for="answer-5">Answer (late)</label>`,
			`<li class="consultation" id="consultation-3" data-status="answered">`,
			`<dd class="answer" id="consultation-3-answer">The refusal stands.</dd>`, `<dd class="objects" id="consultation-3-objects">maintained</dd>`,
			`This government holds no denial GB-ANX-2020-000001-1.`)
		mustOmit(t, resp.Body, `id="answer-form-3"`)

		resp = s.Do(t, "GET", "/consultations", "", cookie("reviewer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="consultation-7"`)
		mustOmit(t, resp.Body, `class="answer-form"`)
	})

	t.Run("Answer", func(t *testing.T) {
		resp := s.Do(t, "POST", "/consultations/7/answer", "answer=The+refusal+stands.&objects=true", cookie("officer")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/consultations#consultation-7" {
			t.Fatalf("Location=%q", loc)
		}
		if _, _, _, answers := calls.take(); !slices.Equal(answers, []string{"7|The refusal stands.|true"}) {
			t.Fatalf("answers %v", answers)
		}
	})

	t.Run("AnswerEmpty", func(t *testing.T) {
		resp := s.Do(t, "POST", "/consultations/7/answer", "answer=++&objects=true", cookie("officer")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `id="answer-7-errors"`,
			`<p class="field-error" id="answer-7-error">required, at most 5000 characters</p>`,
			`<input type="checkbox" id="objects-7" name="objects" value="true" checked>`,
			// The other forms stay blank.
			`<input type="checkbox" id="objects-5" name="objects" value="true">`)
		mustOmit(t, resp.Body, `id="answer-5-errors"`)
		if _, _, _, answers := calls.take(); len(answers) > 0 {
			t.Fatalf("the service was called with %v", answers)
		}
	})
}

// TestDenialsNone checks a server that keeps no denials: its routes are
// not found, for the API and the pages alike.
func TestDenialsNone(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	mustProblem(t, s.Do(t, "GET", "/api/v1/denials", "", as("reviewer")...), http.StatusNotFound)
	mustProblem(t, s.Do(t, "POST", "/api/v1/consultations/7/answer", `{"answer": "a"}`, as("officer")...), http.StatusNotFound)
	resp := s.Do(t, "GET", "/consultations", "", cookie("officer")...)
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, resp.Body, "This instance keeps no denial notifications.")
	// The roles are checked first.
	mustProblem(t, s.Do(t, "GET", "/api/v1/denials", "", as("exporter")...), http.StatusForbidden)
}
