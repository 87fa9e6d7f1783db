package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// bearer is the header of the officer's API requests.
var bearer = []string{"Authorization", "Bearer officer-token"}

// orionParty is a stored party.
func orionParty() *annex.Party {
	return &annex.Party{ID: 12, Name: "Orion Rocket Works", Type: annex.EntityOrganization, Country: "KP",
		CreatedBy: officer.ID, CreatedAt: fixedClock}
}

// orionAdjudications are the decisions on orionParty's hits, newest first:
// the UN entry dismissed as listed now, the OFAC entry confirmed on an
// earlier version.
func orionAdjudications() []*annex.Adjudication {
	return []*annex.Adjudication{
		{ID: 5, PartyID: 12, Source: annex.SourceUN, SourceID: "KPe.901", EntityHash: orionHash, Decision: annex.DecisionDismiss,
			Reason: "Registered in 2019 in Pyongyang; the listed works date from 1998", UserID: officer.ID, Username: officer.Username,
			CreatedAt: fixedClock.Add(2 * 3600e9)},
		{ID: 4, PartyID: 12, Source: annex.SourceOFACSDN, SourceID: "90210", EntityHash: earlyHash, Decision: annex.DecisionConfirm,
			Reason: "Same address as the listed trading company", UserID: 9, Username: "senior2", CreatedAt: fixedClock.Add(3600e9)},
	}
}

// withParties makes the party mock hold orionParty and its decisions.
func (s *Server) withParties(t *testing.T) {
	s.PartyService.FindPartyByIDFn = func(_ context.Context, id int64) (*annex.Party, error) {
		if id != 12 {
			return nil, annex.Errorf(annex.ENOTFOUND, "Party %d not found.", id)
		}
		return orionParty(), nil
	}
	s.PartyService.FindAdjudicationsFn = func(_ context.Context, f annex.AdjudicationFilter) ([]*annex.Adjudication, int, error) {
		if f.PartyID == nil || *f.PartyID != 12 {
			t.Errorf("adjudication filter=%+v, want party 12", f)
		}
		return orionAdjudications(), 2, nil
	}
}

func TestPartyAPIAccess(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	tests := []struct{ method, path, body string }{
		{"POST", "/api/v1/parties", `{"name":"Orion"}`},
		{"GET", "/api/v1/parties", ""},
		{"GET", "/api/v1/parties/12", ""},
		{"POST", "/api/v1/parties/12/adjudications", `{}`},
		{"GET", "/api/v1/alerts", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, tt.method, tt.path, tt.body), http.StatusUnauthorized)
			if p.Code != annex.EUNAUTHORIZED {
				t.Fatalf("problem=%+v", p)
			}
			mustProblem(t, s.Do(t, tt.method, tt.path, tt.body, "Authorization", "Bearer expired"), http.StatusUnauthorized)
			mustProblem(t, s.Do(t, tt.method, tt.path, tt.body, "Authorization", "Bearer newcomer-token"), http.StatusForbidden)
		})
	}
}

func TestCreatePartyAPI(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		s.PartyService.CreatePartyFn = func(ctx context.Context, p *annex.Party) error {
			want := &annex.Party{Name: "Orion Rocket Works", Type: annex.EntityOrganization, Country: "KP", DOB: "1998", IDNumber: "R-77"}
			if diff := cmp.Diff(want, p); diff != "" {
				t.Errorf("party mismatch (-want +got):\n%s", diff)
			}
			if u := annex.UserFromContext(ctx); u != officer {
				t.Errorf("user=%v, want the officer", u)
			}
			p.ID, p.CreatedBy, p.CreatedAt = 12, officer.ID, fixedClock
			return nil
		}
		s.ScreenService.ScreenFn = func(_ context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
			want := annex.ScreenQuery{Name: "Orion Rocket Works", Type: annex.EntityOrganization, Country: "KP", DOB: "1998", ID: "R-77"}
			if diff := cmp.Diff(want, q); diff != "" || threshold != 0 || limit != 10 {
				t.Errorf("threshold=%v limit=%v query mismatch (-want +got):\n%s", threshold, limit, diff)
			}
			return orionResult(q.Name), nil
		}
		resp := s.Do(t, "POST", "/api/v1/parties", `{"name": "Orion Rocket Works", "type": "organization", "country": "kp", "dob": "1998", "id_number": "R-77"}`, bearer...)
		mustStatus(t, resp, http.StatusCreated)
		if got, want := resp.Header.Get("Location"), "/api/v1/parties/12"; got != want {
			t.Fatalf("Location=%q, want %q", got, want)
		}
		var got partyDetail
		mustDecode(t, resp, &got)
		party := orionParty()
		party.DOB, party.IDNumber = "1998", "R-77"
		want := partyDetail{Party: party, Screening: orionResult("Orion Rocket Works"), Adjudications: []*annex.Adjudication{}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("detail mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("NoList", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		s.PartyService.CreatePartyFn = func(_ context.Context, p *annex.Party) error {
			p.ID = 13
			return nil
		}
		s.ScreenService.ScreenFn = noList
		resp := s.Do(t, "POST", "/api/v1/parties", `{"name": "Orion"}`, bearer...)
		mustStatus(t, resp, http.StatusCreated)
		mustContain(t, resp.Body, `"screening":null`, `"screening_error":"No screening list is loaded; load one with annex lists load."`, `"adjudications":[]`)
	})

	s := MustOpenServer(t)
	s.withSessions()
	s.PartyService.CreatePartyFn = func(_ context.Context, p *annex.Party) error { return p.Validate() }
	tests := []struct {
		name, body, field string
	}{
		{"NoName", `{"type": "person"}`, "name"},
		{"Type", `{"name": "Orion", "type": "company"}`, "type"},
		{"DOB", `{"name": "Orion", "dob": "1 May 1998"}`, "dob"},
		{"UnknownField", `{"name": "Orion", "org_id": 4}`, "org_id"},
		{"Malformed", `{"name": `, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "POST", "/api/v1/parties", tt.body, bearer...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
}

// partyDetail is the JSON of a party with its screening.
type partyDetail struct {
	Party          *annex.Party          `json:"party"`
	Screening      *annex.ScreenResult   `json:"screening"`
	ScreeningError string                `json:"screening_error"`
	Adjudications  []*annex.Adjudication `json:"adjudications"`
}

func TestPartyAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.withScreen()
	s.withParties(t)

	t.Run("Detail", func(t *testing.T) {
		resp := s.Do(t, "GET", "/api/v1/parties/12", "", bearer...)
		mustStatus(t, resp, http.StatusOK)
		var got partyDetail
		mustDecode(t, resp, &got)
		want := partyDetail{Party: orionParty(), Screening: orionResult("Orion Rocket Works"), Adjudications: orionAdjudications()}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("detail mismatch (-want +got):\n%s", diff)
		}
		if got, want := resp.Header.Get("Cache-Control"), "no-store"; got != want {
			t.Fatalf("Cache-Control=%q, want %q", got, want)
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		mustProblem(t, s.Do(t, "GET", "/api/v1/parties/99", "", bearer...), http.StatusNotFound)
		mustProblem(t, s.Do(t, "GET", "/api/v1/parties/orion", "", bearer...), http.StatusNotFound)
	})

	t.Run("List", func(t *testing.T) {
		s.PartyService.FindPartiesFn = func(_ context.Context, f annex.PartyFilter) ([]*annex.Party, int, error) {
			if f.Offset != 20 || f.Limit != 10 || f.Name == nil || *f.Name != "Orion Rocket Works" {
				t.Errorf("filter=%+v", f)
			}
			return []*annex.Party{orionParty()}, 21, nil
		}
		resp := s.Do(t, "GET", "/api/v1/parties?offset=20&limit=10&name=Orion+Rocket+Works", "", bearer...)
		mustStatus(t, resp, http.StatusOK)
		var got struct {
			Total   int            `json:"total"`
			Parties []*annex.Party `json:"parties"`
		}
		mustDecode(t, resp, &got)
		if diff := cmp.Diff([]*annex.Party{orionParty()}, got.Parties); diff != "" || got.Total != 21 {
			t.Fatalf("total=%d, parties mismatch (-want +got):\n%s", got.Total, diff)
		}
	})
	t.Run("ListDefaults", func(t *testing.T) {
		s.PartyService.FindPartiesFn = func(_ context.Context, f annex.PartyFilter) ([]*annex.Party, int, error) {
			if f.Offset != 0 || f.Limit != 100 || f.Name != nil {
				t.Errorf("filter=%+v", f)
			}
			return nil, 0, nil
		}
		resp := s.Do(t, "GET", "/api/v1/parties", "", bearer...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `{"total":0,"parties":[]}`)
	})
	t.Run("ListErrors", func(t *testing.T) {
		for _, q := range []string{"limit=5000", "offset=-1", "org_id=3"} {
			mustProblem(t, s.Do(t, "GET", "/api/v1/parties?"+q, "", bearer...), http.StatusUnprocessableEntity)
		}
	})
}

func TestAdjudicateAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	t.Run("OK", func(t *testing.T) {
		s.PartyService.AdjudicateFn = func(ctx context.Context, a *annex.Adjudication) error {
			want := &annex.Adjudication{PartyID: 12, Source: annex.SourceUN, SourceID: "KPe.901", EntityHash: orionHash,
				Decision: annex.DecisionDismiss, Reason: "Registered in 2019"}
			if diff := cmp.Diff(want, a); diff != "" {
				t.Errorf("adjudication mismatch (-want +got):\n%s", diff)
			}
			u := annex.UserFromContext(ctx)
			a.ID, a.UserID, a.Username, a.CreatedAt = 6, u.ID, u.Username, fixedClock
			return nil
		}
		body := `{"source": "un", "source_id": "KPe.901", "entity_hash": "` + orionHash + `", "decision": "dismiss", "reason": "Registered in 2019"}`
		resp := s.Do(t, "POST", "/api/v1/parties/12/adjudications", body, bearer...)
		mustStatus(t, resp, http.StatusCreated)
		var got annex.Adjudication
		mustDecode(t, resp, &got)
		want := annex.Adjudication{ID: 6, PartyID: 12, Source: annex.SourceUN, SourceID: "KPe.901", EntityHash: orionHash,
			Decision: annex.DecisionDismiss, Reason: "Registered in 2019", UserID: officer.ID, Username: officer.Username, CreatedAt: fixedClock}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("adjudication mismatch (-want +got):\n%s", diff)
		}
	})

	s.PartyService.AdjudicateFn = func(_ context.Context, a *annex.Adjudication) error {
		if a.PartyID != 12 {
			return annex.Errorf(annex.ENOTFOUND, "Party %d not found.", a.PartyID)
		}
		return a.Validate()
	}
	tests := []struct {
		name, path, body string
		status           int
		field            string
	}{
		{"NoReason", "/api/v1/parties/12/adjudications", `{"source": "un", "source_id": "KPe.901", "decision": "dismiss"}`, 422, "reason"},
		{"Decision", "/api/v1/parties/12/adjudications", `{"source": "un", "source_id": "KPe.901", "decision": "maybe", "reason": "unsure"}`, 422, "decision"},
		{"UnknownField", "/api/v1/parties/12/adjudications", `{"source": "un", "party_id": 3}`, 422, "party_id"},
		{"NoParty", "/api/v1/parties/99/adjudications", `{"source": "un", "source_id": "KPe.901", "decision": "dismiss", "reason": "other"}`, 404, ""},
		{"BadID", "/api/v1/parties/x/adjudications", `{}`, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "POST", tt.path, tt.body, bearer...), tt.status)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
}

// testAlerts are alerts of orionParty, newest first.
func testAlerts() []*annex.Alert {
	return []*annex.Alert{
		{ID: 3, PartyID: 12, PartyName: "Orion Rocket Works", Source: annex.SourceOFACSDN, SourceID: "90210",
			EntityName: "ORION TRADING LIMITED", EntityHash: tradeHash, Score: 0.88, Status: annex.AlertDismissed, CreatedAt: fixedClock.Add(3600e9)},
		{ID: 2, PartyID: 12, PartyName: "Orion Rocket Works", Source: annex.SourceUN, SourceID: "KPe.901",
			EntityName: "Orion Rocket Works", EntityHash: orionHash, Score: 0.97, Status: annex.AlertOpen, CreatedAt: fixedClock},
	}
}

func TestAlertsAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.PartyService.FindAlertsFn = func(ctx context.Context, f annex.AlertFilter) ([]*annex.Alert, int, error) {
		if f.Status == nil || *f.Status != annex.AlertOpen || f.Offset != 5 || f.Limit != 50 || f.OrgID != nil || f.PartyID != nil {
			t.Errorf("filter=%+v", f)
		}
		if annex.UserFromContext(ctx) != officer {
			t.Errorf("no user in the context: the store confines exporters by it")
		}
		return testAlerts()[1:], 6, nil
	}
	resp := s.Do(t, "GET", "/api/v1/alerts?status=open&offset=5&limit=50", "", bearer...)
	mustStatus(t, resp, http.StatusOK)
	var got struct {
		Total  int            `json:"total"`
		Alerts []*annex.Alert `json:"alerts"`
	}
	mustDecode(t, resp, &got)
	if diff := cmp.Diff(testAlerts()[1:], got.Alerts); diff != "" || got.Total != 6 {
		t.Fatalf("total=%d, alerts mismatch (-want +got):\n%s", got.Total, diff)
	}

	for _, q := range []string{"status=closed", "party=12", "limit=x"} {
		t.Run(q, func(t *testing.T) {
			mustProblem(t, s.Do(t, "GET", "/api/v1/alerts?"+q, "", bearer...), http.StatusUnprocessableEntity)
		})
	}
}
