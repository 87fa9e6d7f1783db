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

// testLicence is the licence issued on motorApp, with one motor shipped.
func testLicence() *annex.Licence {
	return &annex.Licence{ID: 9, Number: "ANX-L-2026-000009", ApplicationID: 42, OrgID: 5, Status: annex.LicenceIssued,
		Destination: "DE", EndUser: "Hans Muller Raumfahrt GmbH",
		ValidFrom: fixedClock.Add(-24 * time.Hour), ValidUntil: fixedClock.AddDate(1, 0, 0),
		Lines: []annex.LicenceLine{{Line: 0, Description: "SRM-7 motor", Kind: "solid_rocket_motor", Entries: "2.A.1.c",
			Quantity: 2, Unit: "pieces", Value: 900000, UsedQuantity: 1, UsedValue: 450000}},
		Version: 2, IssuedAt: fixedClock.Add(-24 * time.Hour)}
}

// withLicence makes the licence mock hold testLicence, hidden from
// exporters of other organisations, and draw shipments down from it with
// Licence.Draw, as the store does.
func (s *Server) withLicence(t *testing.T) {
	l := testLicence()
	find := func(ctx context.Context, number string) (*annex.Licence, error) {
		u := annex.UserFromContext(ctx)
		if number != l.Number || (u.Role.IsExporter() && u.OrgID != l.OrgID) {
			return nil, annex.Errorf(annex.ENOTFOUND, "Licence %s not found.", number)
		}
		c := *l
		c.Lines = append([]annex.LicenceLine{}, l.Lines...)
		return &c, nil
	}
	s.LicenceService.FindLicenceByNumberFn = find
	s.LicenceService.FindShipmentsFn = func(ctx context.Context, number string) ([]*annex.Shipment, error) {
		return []*annex.Shipment{{ID: 1, LicenceID: 9, Line: 0, Quantity: 1, Value: 450000, CustomsRef: "DE-26-000123", RecordedBy: 30, RecordedAt: fixedClock}}, nil
	}
	s.LicenceService.RecordShipmentFn = func(ctx context.Context, number string, sh *annex.Shipment) (*annex.Licence, error) {
		c, err := find(ctx, number)
		if err != nil {
			return nil, err
		}
		if err := c.Draw(sh.Line, sh.Quantity, sh.Value, fixedClock); err != nil {
			return nil, err
		}
		sh.ID, sh.LicenceID, sh.RecordedBy, sh.RecordedAt = 2, c.ID, annex.UserIDFromContext(ctx), fixedClock
		return c, nil
	}
	s.LicenceService.ChangeLicenceFn = func(ctx context.Context, number string, act *annex.LicenceAction) (*annex.Licence, error) {
		c, err := find(ctx, number)
		if err != nil {
			return nil, err
		}
		if act.Version != c.Version {
			return nil, annex.Errorf(annex.ECONFLICT, "stale")
		}
		st, err := annex.NextLicenceStatus(c, act, annex.UserFromContext(ctx), fixedClock)
		if err != nil {
			return nil, err
		}
		c.Status, c.Reason, c.Version = st, act.Reason, c.Version+1
		return c, nil
	}
	s.LicenceService.FindLicencesFn = func(ctx context.Context, f annex.LicenceFilter) ([]*annex.Licence, int, error) {
		u := annex.UserFromContext(ctx)
		if u.Role.IsExporter() && (f.OrgID == nil || *f.OrgID != u.OrgID) {
			t.Errorf("exporter's filter has org %v, want %d", f.OrgID, u.OrgID)
		}
		return []*annex.Licence{testLicence()}, 1, nil
	}
}

func TestLicenceAPI(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.withLicence(t)
	const path = "/api/v1/licences/ANX-L-2026-000009"

	t.Run("Check", func(t *testing.T) {
		for _, user := range []string{"customs", "exporter", "officer"} {
			resp := s.Do(t, "GET", path, "", as(user)...)
			mustStatus(t, resp, http.StatusOK)
			var got struct {
				Licence  *annex.Licence `json:"licence"`
				InForce  bool           `json:"in_force"`
				Balances []struct {
					Line     int     `json:"line"`
					Quantity float64 `json:"quantity"`
					Unit     string  `json:"unit"`
					Value    float64 `json:"value"`
				} `json:"balances"`
				CheckedAt time.Time `json:"checked_at"`
			}
			mustDecode(t, resp, &got)
			if diff := cmp.Diff(testLicence(), got.Licence); diff != "" || !got.InForce || !got.CheckedAt.Equal(fixedClock) {
				t.Fatalf("%s: in force %v; licence mismatch (-want +got):\n%s", user, got.InForce, diff)
			}
			if len(got.Balances) != 1 || got.Balances[0].Quantity != 1 || got.Balances[0].Value != 450000 || got.Balances[0].Unit != "pieces" {
				t.Fatalf("balances=%+v", got.Balances)
			}
		}
	})
	t.Run("Expired", func(t *testing.T) {
		s := MustOpenServer(t, func(s *Server) { s.Server.Now = func() time.Time { return fixedClock.AddDate(2, 0, 0) } })
		s.withSessions()
		s.withLicence(t)
		resp := s.Do(t, "GET", path, "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"status":"expired"`, `"in_force":false`)
	})
	t.Run("List", func(t *testing.T) {
		for _, user := range []string{"exporter", "customs"} {
			resp := s.Do(t, "GET", "/api/v1/licences?status=issued", "", as(user)...)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, resp.Body, `"total":1`, `"number":"ANX-L-2026-000009"`)
		}
		p := mustProblem(t, s.Do(t, "GET", "/api/v1/licences?status=lost", "", as("customs")...), http.StatusUnprocessableEntity)
		if p.Field != "status" {
			t.Fatalf("problem=%+v", p)
		}
	})
	t.Run("Shipments", func(t *testing.T) {
		resp := s.Do(t, "GET", path+"/shipments", "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"total":1`, `"customs_ref":"DE-26-000123"`)
		mustProblem(t, s.Do(t, "GET", "/api/v1/licences/ANX-L-2026-999999/shipments", "", as("customs")...), http.StatusNotFound)
	})
	t.Run("Record", func(t *testing.T) {
		resp := s.Do(t, "POST", path+"/shipments", `{"line": 0, "quantity": 1, "value": 450000, "customs_ref": " DE-26-000124 "}`, as("customs")...)
		mustStatus(t, resp, http.StatusCreated)
		var got struct {
			Shipment annex.Shipment `json:"shipment"`
			Licence  struct {
				Licence annex.Licence `json:"licence"`
				InForce bool          `json:"in_force"`
			} `json:"licence"`
		}
		mustDecode(t, resp, &got)
		want := annex.Shipment{ID: 2, LicenceID: 9, Line: 0, Quantity: 1, Value: 450000, CustomsRef: "DE-26-000124", RecordedBy: 30, RecordedAt: fixedClock}
		if diff := cmp.Diff(want, got.Shipment); diff != "" {
			t.Fatalf("shipment mismatch (-want +got):\n%s", diff)
		}
		if got.Licence.Licence.Status != annex.LicenceExhausted || got.Licence.InForce {
			t.Fatalf("licence %s in force %v, want exhausted", got.Licence.Licence.Status, got.Licence.InForce)
		}
	})
	t.Run("OverDraw", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "POST", path+"/shipments", `{"line": 0, "quantity": 2, "value": 1, "customs_ref": "DE-26-000125"}`, as("customs")...), http.StatusConflict)
		if want := "line 0 of licence ANX-L-2026-000009 has 1 pieces left; 2 cannot be drawn"; p.Detail != want {
			t.Fatalf("Detail=%q, want %q", p.Detail, want)
		}
	})
	invalid := []struct{ name, body, field string }{
		{"Line", `{"line": 3, "quantity": 1, "value": 1, "customs_ref": "X"}`, "line"},
		{"Quantity", `{"line": 0, "quantity": 0, "value": 1, "customs_ref": "X"}`, "quantity"},
		{"CustomsRef", `{"line": 0, "quantity": 1, "value": 1, "customs_ref": " "}`, "customs_ref"},
		{"Unknown", `{"line": 0, "quantity": 1, "value": 1, "customs_ref": "X", "by": "me"}`, "by"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "POST", path+"/shipments", tt.body, as("customs")...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
	t.Run("Suspend", func(t *testing.T) {
		resp := s.Do(t, "POST", path+"/actions", `{"type": "suspend", "reason": "Under investigation", "version": 2}`, bearer...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"status":"suspended"`, `"reason":"Under investigation"`, `"in_force":false`)
	})
	t.Run("Stale", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "POST", path+"/actions", `{"type": "suspend", "reason": "x", "version": 1}`, bearer...), http.StatusConflict)
		if !strings.HasPrefix(p.Detail, "The licence was changed since you opened it") {
			t.Fatalf("Detail=%q", p.Detail)
		}
	})
	t.Run("RevokeNotSenior", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "POST", path+"/actions", `{"type": "revoke", "reason": "x", "version": 2}`, bearer...), http.StatusForbidden)
		if p.Detail != "only a senior officer revokes a licence" {
			t.Fatalf("Detail=%q", p.Detail)
		}
	})
	t.Run("NoReason", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "POST", path+"/actions", `{"type": "suspend", "version": 2}`, as("senior")...), http.StatusUnprocessableEntity)
		if p.Field != "reason" {
			t.Fatalf("problem=%+v", p)
		}
	})
}

func TestLicencePages(t *testing.T) {
	s := MustOpenServer(t)
	s.withCaseWork()
	s.withLicence(t)
	const path = "/licences/ANX-L-2026-000009"
	t.Run("List", func(t *testing.T) {
		resp := s.Do(t, "GET", "/licences", "", cookie("exporter")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<a href="/licences/ANX-L-2026-000009">ANX-L-2026-000009</a>`, `<span class="lstatus lstatus-issued">Issued</span>`)
		resp = s.Do(t, "GET", "/licences?number=ANX-L-2026-000009", "", cookie("customs")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != path {
			t.Fatalf("Location=%q", loc)
		}
		resp = s.Do(t, "GET", "/licences?number=ANX-L-2026-999999", "", cookie("customs")...)
		mustStatus(t, resp, http.StatusNotFound)
		mustContain(t, resp.Body, `id="number-error">There is no licence ANX-L-2026-999999.</p>`)
	})
	t.Run("Customs", func(t *testing.T) {
		resp := s.Do(t, "GET", path, "", cookie("customs")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `data-in-force="true"`, `<td class="quantity">2 pieces</td><td class="used">1</td><td class="balance">1</td>`,
			`id="shipment-form"`, `<td>DE-26-000123</td>`)
		if strings.Contains(resp.Body, `id="change-form"`) {
			t.Errorf("customs is offered to change the licence")
		}
	})
	t.Run("Officer", func(t *testing.T) {
		resp := s.Do(t, "GET", path, "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="change-suspend"`, `href="/cases/42"`)
		for _, no := range []string{`id="shipment-form"`, `id="change-revoke"`, `id="change-reinstate"`} {
			if strings.Contains(resp.Body, no) {
				t.Errorf("officer's page has %s", no)
			}
		}
		resp = s.Do(t, "GET", path, "", cookie("senior")...)
		mustContain(t, resp.Body, `id="change-suspend"`, `id="change-revoke"`)
	})
	t.Run("Ship", func(t *testing.T) {
		resp := s.Do(t, "POST", path+"/shipments", url.Values{"line": {"0"}, "quantity": {"1"}, "value": {"450000"}, "customs_ref": {"DE-26-000124"}}.Encode(), cookie("customs")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != path+"#shipments" {
			t.Fatalf("Location=%q", loc)
		}
	})
	t.Run("OverDraw", func(t *testing.T) {
		resp := s.Do(t, "POST", path+"/shipments", url.Values{"line": {"0"}, "quantity": {"2"}, "value": {"1"}, "customs_ref": {"DE-26-000125"}}.Encode(), cookie("customs")...)
		mustStatus(t, resp, http.StatusConflict)
		mustContain(t, resp.Body, `<p class="error" role="alert" id="shipment-error">line 0 of licence ANX-L-2026-000009 has 1 pieces left; 2 cannot be drawn</p>`,
			`id="shipment-quantity" name="quantity" value="2"`, `value="DE-26-000125"`)
	})
	t.Run("ShipInvalid", func(t *testing.T) {
		resp := s.Do(t, "POST", path+"/shipments", url.Values{"line": {"0"}, "quantity": {"lots"}, "value": {"1"}, "customs_ref": {""}}.Encode(), cookie("customs")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `id="shipment-quantity-error">must be a number</p>`, `id="shipment-customs-ref-error">give the customs declaration&#39;s reference</p>`)
	})
	t.Run("Suspend", func(t *testing.T) {
		resp := s.Do(t, "POST", path+"/actions", url.Values{"type": {"suspend"}, "reason": {"Investigation"}, "version": {"2"}}.Encode(), cookie("officer")...)
		mustStatus(t, resp, http.StatusSeeOther)
		resp = s.Do(t, "POST", path+"/actions", url.Values{"type": {"suspend"}, "reason": {"Investigation"}, "version": {"1"}}.Encode(), cookie("officer")...)
		mustStatus(t, resp, http.StatusConflict)
		mustContain(t, resp.Body, `id="stale">This licence was changed by someone else since you opened it`, `>Investigation</textarea>`)
		resp = s.Do(t, "POST", path+"/actions", url.Values{"type": {"suspend"}, "reason": {""}, "version": {"2"}}.Encode(), cookie("officer")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `id="change-reason-error">required</p>`)
	})
	t.Run("OtherOrganisation", func(t *testing.T) {
		mustStatus(t, s.Do(t, "GET", path, "", cookie("rival")...), http.StatusNotFound)
	})
}
