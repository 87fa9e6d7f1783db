package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/mock"
	"annex/web"
)

// determineFunc is a stand-in annex.DeterminationService.
type determineFunc func(context.Context, annex.DeterminationInput) (*annex.DeterminationResult, error)

func (f determineFunc) Determine(ctx context.Context, in annex.DeterminationInput) (*annex.DeterminationResult, error) {
	return f(ctx, in)
}

// registerEntities are the register of the form tests: the supplier, whose
// measures are in force, and the recipient, whose measures are all waived.
var registerEntities = []*annex.SanctionEntity{
	{ID: 8, Name: "Zhongshan Trading", Country: "CN", Type: annex.EntityOrganization},
	{ID: 7, Name: "Alpha Works", Country: "PK", Type: annex.EntityOrganization},
}

// registerReport is the transfer report of the form tests.
func registerReport() *annex.TransferReport {
	return &annex.TransferReport{ID: 5, Reference: "NOV2000-PK", Title: "Missiles to Pakistan", Date: "2000-11-21",
		SupplierID: 8, RecipientID: 7, Supplier: registerEntities[0], Recipient: registerEntities[1], Category: annex.CategoryI,
		Items:   []annex.ReportItem{{Description: "M-11 missiles"}},
		Sources: []annex.EvidenceSource{{Citation: "US statement", Reliability: "B"}}}
}

// mustOpenRegister opens a server whose sanctions register is a mock
// holding registerEntities and registerReport, with sessions and a
// classifier. Its CreateXFn fail the test until a test sets them.
func mustOpenRegister(t *testing.T) (*Server, *mock.SanctionService) {
	t.Helper()
	ss := &mock.SanctionService{}
	s := MustOpenServer(t, func(s *Server) { s.Server.SanctionService = ss })
	s.withSessions()
	s.withClassifier()
	ss.FindMeasuresFn = func(_ context.Context, f annex.MeasureFilter) ([]*annex.Measure, int, error) {
		ms := []*annex.Measure{
			{ID: 1, EntityID: 8, Entity: "Zhongshan Trading", Measure: annex.MeasureDenyMissileLicences, LegalBasis: "AECA §73(a)(2)(A)", Start: "2000-11-21", End: "2002-11-21", DeterminationID: 3},
			{ID: 2, EntityID: 7, Entity: "Alpha Works", Measure: annex.MeasureDenyMissileLicences, LegalBasis: "AECA §73(a)(2)(A)", Start: "2000-11-21", End: "2002-11-21", DeterminationID: 3, WaiverID: 4, WaivedFrom: "2000-11-21"},
		}
		var out []*annex.Measure
		for _, m := range ms {
			if f.EntityID == 0 || f.EntityID == m.EntityID {
				out = append(out, m)
			}
		}
		return out, len(out), nil
	}
	ss.FindHoldsFn = func(context.Context) ([]*annex.Hold, error) { return nil, nil }
	ss.FindWaiversFn = func(context.Context) ([]*annex.Waiver, error) { return nil, nil }
	ss.FindSanctionEntitiesFn = func(context.Context, annex.SanctionEntityFilter) ([]*annex.SanctionEntity, int, error) {
		return registerEntities, len(registerEntities), nil
	}
	ss.FindSanctionEntityByIDFn = func(_ context.Context, id int64) (*annex.SanctionEntity, error) {
		for _, e := range registerEntities {
			if e.ID == id {
				return e, nil
			}
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "There is no entity %d.", id)
	}
	ss.FindTransferReportsFn = func(context.Context, annex.TransferReportFilter) ([]*annex.TransferReport, int, error) {
		return []*annex.TransferReport{registerReport()}, 1, nil
	}
	ss.FindTransferReportByIDFn = func(_ context.Context, id int64) (*annex.TransferReport, error) {
		if id != 5 {
			return nil, annex.Errorf(annex.ENOTFOUND, "There is no transfer report %d.", id)
		}
		return registerReport(), nil
	}
	ss.FindDeterminationsFn = func(context.Context, int64) ([]*annex.Determination, error) { return nil, nil }
	ss.CreateSanctionEntityFn = func(context.Context, *annex.SanctionEntity) error {
		t.Error("CreateSanctionEntity called")
		return nil
	}
	ss.CreateTransferReportFn = func(context.Context, *annex.TransferReport) error {
		t.Error("CreateTransferReport called")
		return nil
	}
	ss.CreateDeterminationFn = func(context.Context, *annex.Determination) error {
		t.Error("CreateDetermination called")
		return nil
	}
	ss.CreateWaiverFn = func(context.Context, *annex.Waiver) error {
		t.Error("CreateWaiver called")
		return nil
	}
	s.Server.DeterminationService = determineFunc(func(_ context.Context, in annex.DeterminationInput) (*annex.DeterminationResult, error) {
		if err := in.Validate(); err != nil {
			return nil, err
		}
		return &annex.DeterminationResult{Measures: []annex.Measure{}, Category: in.Category, Packs: in.Packs}, nil
	})
	return s, ss
}

// mustOmit fails the test if the body has any of the fragments.
func mustOmit(tb testing.TB, body string, fragments ...string) {
	tb.Helper()
	for _, f := range fragments {
		if strings.Contains(body, f) {
			tb.Fatalf("body has %q; body:\n%s", f, body)
		}
	}
}

func TestRegisterEntityForm(t *testing.T) {
	s, ss := mustOpenRegister(t)
	valid := url.Values{"name": {"Orion Rocket Works"}, "aliases": {"Orion RW\r\n\r\n  ORW  \r\n"}, "country": {"KP"},
		"type": {"organization"}, "sub_units": {"true"}, "list_refs": {"ofac-sdn 10153\n\nUN  KPe.001"}, "notes": {"Named in 2024."}}

	t.Run("Form", func(t *testing.T) {
		resp := s.Do(t, "GET", "/register", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<details id="new-entity">`, `<form method="post" action="/register/entities" id="entity-form" novalidate>`,
			`<option value="organization" selected>organization</option>`,
			// The register is no list to refer to.
			`The lists: <code>un</code>, <code>ofac-sdn</code>, <code>us-csl</code>, <code>bis-dpl</code>, <code>eu</code>, <code>uk</code>, <code>opensanctions</code>.</p>`,
			`<a href="/register/transfers/new" id="new-transfer">Record a transfer</a>`)
	})

	t.Run("Valid", func(t *testing.T) {
		var got *annex.SanctionEntity
		ss.CreateSanctionEntityFn = func(_ context.Context, e *annex.SanctionEntity) error {
			got = e
			e.ID = 42
			return nil
		}
		resp := s.Do(t, "POST", "/register/entities", valid.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/register/entities/42" {
			t.Fatalf("Location=%q", loc)
		}
		want := &annex.SanctionEntity{ID: 42, Name: "Orion Rocket Works", Aliases: []string{"Orion RW", "ORW"}, Country: "KP",
			Type: annex.EntityOrganization, SubUnits: true, Notes: "Named in 2024.",
			ListRefs: []annex.ListRef{{Source: annex.SourceOFACSDN, SourceID: "10153"}, {Source: annex.SourceUN, SourceID: "KPe.001"}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("entity stored (-want +got):\n%s", diff)
		}
	})

	t.Run("BadLine", func(t *testing.T) {
		ss.CreateSanctionEntityFn = func(context.Context, *annex.SanctionEntity) error {
			t.Error("CreateSanctionEntity called")
			return nil
		}
		bad := url.Values{}
		for k, v := range valid {
			bad[k] = v
		}
		bad.Set("list_refs", "ofac-sdn 10153\n\nofac-sdn")
		bad.Set("country", "Korea")
		resp := s.Do(t, "POST", "/register/entities", bad.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<details id="new-entity" open>`, `id="entity-form-errors"`,
			`<div class="field invalid">
    <label for="entity-list_refs">List references</label>`,
			`<p class="field-error" id="entity-list_refs-error">line 3 (list_refs[1]): write the list, a space and the entry&#39;s ID, as ofac-sdn 10153</p>`,
			// What else is wrong shows at once.
			`<p class="field-error" id="entity-country-error">must be an ISO 3166-1 alpha-2 code such as PK</p>`,
			`value="Orion Rocket Works"`, `value="Korea"`, ">ofac-sdn 10153\n\nofac-sdn</textarea>", `id="entity-sub_units" name="sub_units" value="true" checked>`,
			// The rest of the register page is there.
			`id="measures"`)
	})

	t.Run("FieldErrors", func(t *testing.T) {
		ss.CreateSanctionEntityFn = func(_ context.Context, e *annex.SanctionEntity) error {
			return annex.Invalid(annex.FieldError{Field: "country", Message: "must be an ISO 3166-1 alpha-2 code such as PK"},
				annex.FieldError{Field: "list_refs[1].source", Message: `unknown list "un"`},
				annex.FieldError{Field: "aliases[1]", Message: "must be 1 to 500 characters"})
		}
		resp := s.Do(t, "POST", "/register/entities", valid.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body,
			`<p class="field-error" id="entity-country-error">must be an ISO 3166-1 alpha-2 code such as PK</p>`,
			`<p class="field-error" id="entity-list_refs-error">line 3 (list_refs[1].source): unknown list &#34;un&#34;</p>`,
			`<p class="field-error" id="entity-aliases-error">line 3 (aliases[1]): must be 1 to 500 characters</p>`,
			`value="KP"`)
	})
}

func TestRegisterTransferForm(t *testing.T) {
	s, ss := mustOpenRegister(t)
	valid := url.Values{"reference": {"NOV2000-IR"}, "title": {"Missile parts to Iran"}, "date": {"2000-11-21"},
		"supplier_id": {"8"}, "recipient_id": {"7"}, "category": {""},
		"items":      {"Guidance sets\n\nSolid motors | solid_rocket_motor | total_impulse_ns=1.2e6, satellite_use=false, maker=Orion\n"},
		"sources":    {"b | US statement of 21 November 2000 | https://example.org/s38\nC | Press report"},
		"assessment": {"Category I motors."}, "substantially_contributed": {"true"}}

	t.Run("Form", func(t *testing.T) {
		resp := s.Do(t, "GET", "/register/transfers/new", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<form method="post" action="/register/transfers" id="transfer-form" novalidate>`,
			// By name: Alpha before Zhongshan.
			`<option value="">Choose…</option>
      <option value="7">Alpha Works (PK)</option>
      <option value="8">Zhongshan Trading (CN)</option>`,
			`<option value="" selected>from the items</option>`, `<option value="II">Category II</option>`)
	})

	t.Run("Valid", func(t *testing.T) {
		var got *annex.TransferReport
		ss.CreateTransferReportFn = func(_ context.Context, r *annex.TransferReport) error {
			got = r
			r.ID = 55
			return nil
		}
		resp := s.Do(t, "POST", "/register/transfers", valid.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/register/transfers/55" {
			t.Fatalf("Location=%q", loc)
		}
		if got == nil {
			t.Fatal("nothing stored")
		}
		if got.Items[1].Classification == nil || got.Category != annex.CategoryI {
			t.Fatalf("not classified: category %q, classification %v", got.Category, got.Items[1].Classification)
		}
		want := &annex.TransferReport{ID: 55, Reference: "NOV2000-IR", Title: "Missile parts to Iran", Date: "2000-11-21",
			SupplierID: 8, RecipientID: 7, Category: annex.CategoryI, Assessment: "Category I motors.", SubstantiallyContributed: true,
			Items: []annex.ReportItem{{Description: "Guidance sets"}, {Description: "Solid motors", Item: annex.Item{Kind: "solid_rocket_motor",
				Params: map[string]any{"total_impulse_ns": 1.2e6, "satellite_use": false, "maker": "Orion"}}}},
			Sources: []annex.EvidenceSource{{Reliability: "B", Citation: "US statement of 21 November 2000", URL: "https://example.org/s38"},
				{Reliability: "C", Citation: "Press report"}}}
		got.Items[1].Classification = nil
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("report stored (-want +got):\n%s", diff)
		}
	})

	tests := []struct {
		name   string
		change url.Values
		// store is what the register answers, if it is reached.
		store     error
		status    int
		fragments []string
	}{
		{"BadItemLine", url.Values{"items": {"Guidance sets\nMotors | solid_rocket_motor | total_impulse_ns"}}, nil, 422, []string{
			`<p class="field-error" id="transfer-items-error">line 2 (items[1]): parameter &#34;total_impulse_ns&#34;: write param=value, as range_km=300</p>`,
			"Guidance sets\nMotors | solid_rocket_motor | total_impulse_ns</textarea>"}},
		{"BadSourceLine", url.Values{"sources": {"B | US statement\n\nG | Rumour"}}, nil, 422, []string{
			`<p class="field-error" id="transfer-sources-error">line 3 (sources[1]): grade &#34;G&#34;: must be a letter from A (reliable) to F (cannot be judged)</p>`}},
		{"SourceWithoutGrade", url.Values{"sources": {"US statement"}}, nil, 422, []string{
			`id="transfer-sources-error">line 1 (sources[0]): write &#34;GRADE | citation | URL&#34;`}},
		{"Classifier", url.Values{"items": {"Guidance sets\nMotor A | solid_rocket_motor | total_impulse_ns=1.2e6\nMotor B | solid_rocket_motor | x=1"}}, nil, 422, []string{
			`id="transfer-items-error">line 3 (items[2].item.params.x): unknown parameter for kind solid_rocket_motor</p>`}},
		{"Fields", url.Values{"reference": {" "}, "supplier_id": {""}, "recipient_id": {"x"}, "date": {"21/11/2000"}, "sources": {""}}, nil, 422, []string{
			`<p class="field-error" id="transfer-recipient_id-error">choose an entity of the register</p>`,
			// Every error shows at once.
			`<p class="field-error" id="transfer-reference-error">required, at most 100 characters</p>`,
			`<p class="field-error" id="transfer-supplier_id-error">required</p>`,
			`<p class="field-error" id="transfer-sources-error">at least one source is required</p>`,
			`value="21/11/2000"`, `value="Missile parts to Iran"`}},
		{"Validate", url.Values{"reference": {" "}, "supplier_id": {""}, "date": {"21/11/2000"}, "sources": {""}, "items": {"Motor | solid_rocket_motor | x=1"}}, nil, 422, []string{
			`<p class="field-error" id="transfer-reference-error">required, at most 100 characters</p>`,
			`<p class="field-error" id="transfer-supplier_id-error">required</p>`,
			`<p class="field-error" id="transfer-date-error">must be a date written YYYY-MM-DD</p>`,
			`<p class="field-error" id="transfer-sources-error">at least one source is required</p>`,
			// The classifier's errors come with the others.
			`<p class="field-error" id="transfer-items-error">line 1 (items[0].item.params.x): unknown parameter for kind solid_rocket_motor</p>`,
			`<option value="7" selected>Alpha Works (PK)</option>`, `id="transfer-substantially_contributed" name="substantially_contributed" value="true" checked>`}},
		{"Store", nil, annex.Invalid(annex.FieldError{Field: "supplier_id", Message: "no such entity in the register"},
			annex.FieldError{Field: "sources[1].reliability", Message: "must be a grade from A (reliable) to F (cannot be judged)"}), 422, []string{
			`<p class="field-error" id="transfer-supplier_id-error">no such entity in the register</p>`,
			`<p class="field-error" id="transfer-sources-error">line 2 (sources[1].reliability): must be a grade from A (reliable) to F (cannot be judged)</p>`}},
		{"Conflict", nil, annex.Errorf(annex.ECONFLICT, `a transfer report "NOV2000-IR" is already in the register`), 409, []string{
			`<p class="field-error" id="transfer-reference-error">a transfer report &#34;NOV2000-IR&#34; is already in the register</p>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss.CreateTransferReportFn = func(context.Context, *annex.TransferReport) error {
				if tt.store == nil {
					t.Error("CreateTransferReport called")
				}
				return tt.store
			}
			v := url.Values{}
			for k, x := range valid {
				v[k] = x
			}
			for k, x := range tt.change {
				v[k] = x
			}
			resp := s.Do(t, "POST", "/register/transfers", v.Encode(), cookie("analyst")...)
			mustStatus(t, resp, tt.status)
			mustContain(t, resp.Body, append([]string{`id="transfer-form-errors"`}, tt.fragments...)...)
		})
	}
}

func TestRegisterDetermineForm(t *testing.T) {
	s, ss := mustOpenRegister(t)

	t.Run("Form", func(t *testing.T) {
		resp := s.Do(t, "GET", "/register/transfers/5", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<form method="post" action="/register/transfers/5/determinations" id="determine-form" novalidate>`,
			`<input type="date" id="determine-date" name="date" value="2026-11-27"`,
			`<input type="checkbox" id="determine-pack-us-missile" name="packs" value="us-missile" checked>
      <label for="determine-pack-us-missile">US missile sanctions (AECA §73, EAA §11B)</label>`,
			`<input type="checkbox" id="determine-pack-us-inksna" name="packs" value="us-inksna">`)
	})

	t.Run("ServerPacks", func(t *testing.T) {
		// The packs the server is given (the engine's, with a state's law
		// added from a directory) are those the form offers.
		s.Server.RulePacks = []web.RulePack{{ID: "us-missile", Label: "US missile"}, {ID: "xx-example", Label: "An example state's law"}}
		defer func() { s.Server.RulePacks = nil }()
		resp := s.Do(t, "GET", "/register/transfers/5", "", cookie("analyst")...)
		mustContain(t, resp.Body, `<input type="checkbox" id="determine-pack-xx-example" name="packs" value="xx-example">`,
			`<label for="determine-pack-xx-example">An example state&#39;s law</label>`)
		if strings.Contains(resp.Body, `value="us-inksna"`) {
			t.Error("the form offers a pack the server does not have")
		}
	})

	t.Run("Valid", func(t *testing.T) {
		var got *annex.Determination
		ss.CreateDeterminationFn = func(_ context.Context, d *annex.Determination) error {
			got = d
			d.ID = 9
			return nil
		}
		v := url.Values{"date": {"2000-11-21"}, "packs": {"us-missile", "us-inksna"}, "note": {" Per the statement. "}}
		resp := s.Do(t, "POST", "/register/transfers/5/determinations", v.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/register/transfers/5#determination-9" {
			t.Fatalf("Location=%q", loc)
		}
		if got == nil {
			t.Fatal("nothing stored")
		}
		if got.ReportID != 5 || got.Input.Date != "2000-11-21" || got.Note != "Per the statement." ||
			!cmp.Equal(got.Input.Packs, []string{"us-missile", "us-inksna"}) || got.Input.Supplier.EntityID != 8 {
			t.Fatalf("determination stored: %+v", got)
		}
	})

	t.Run("BadDate", func(t *testing.T) {
		ss.CreateDeterminationFn = func(context.Context, *annex.Determination) error {
			t.Error("CreateDetermination called")
			return nil
		}
		v := url.Values{"date": {"21/11/2000"}, "packs": {"us-inksna"}, "note": {"kept"}}
		resp := s.Do(t, "POST", "/register/transfers/5/determinations", v.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `id="determine-form-errors"`,
			`<p class="field-error" id="determine-date-error">must be a date written YYYY-MM-DD</p>`,
			`value="21/11/2000"`, `value="us-inksna" checked>`, `>kept</textarea>`,
			// The transfer page is there too.
			`<h1 id="transfer-title">NOV2000-PK: Missiles to Pakistan</h1>`)
		mustOmit(t, resp.Body, `value="us-missile" checked>`)
	})

	t.Run("NoPack", func(t *testing.T) {
		resp := s.Do(t, "POST", "/register/transfers/5/determinations", url.Values{"date": {"2000-11-21"}}.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="determine-packs-error">choose at least one rule pack</p>`)
	})

	t.Run("UnknownTransfer", func(t *testing.T) {
		v := url.Values{"date": {"2000-11-21"}, "packs": {"us-missile"}}
		resp := s.Do(t, "POST", "/register/transfers/6/determinations", v.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusNotFound)
	})
}

func TestRegisterWaiverForm(t *testing.T) {
	s, ss := mustOpenRegister(t)

	t.Run("Form", func(t *testing.T) {
		resp := s.Do(t, "GET", "/register/entities/8", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<form method="post" action="/register/entities/8/waivers" id="waiver-form" novalidate>`,
			`<input type="text" id="waiver-legal_basis" name="legal_basis" value="AECA §73(e); EAA §11B(b)(5)"`,
			`<option value="national_security" selected>`, `id="waiver-effective" name="effective" value="2026-11-27"`)
	})

	t.Run("AllWaived", func(t *testing.T) {
		resp := s.Do(t, "GET", "/register/entities/7", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		mustOmit(t, resp.Body, `id="waiver-form"`)
	})

	t.Run("Valid", func(t *testing.T) {
		var got *annex.Waiver
		ss.CreateWaiverFn = func(_ context.Context, w *annex.Waiver) error {
			got = w
			w.ID = 4
			return nil
		}
		v := url.Values{"effective": {"2000-11-21"}, "basis": {"national_security"}, "legal_basis": {"AECA §73(e); EAA §11B(b)(5)"},
			"notified_on": {"2000-09-01"}, "reason": {"China's commitment of 21 November 2000."}}
		resp := s.Do(t, "POST", "/register/entities/8/waivers", v.Encode(), cookie("senior")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/register/entities/8") {
			t.Fatalf("Location=%q", loc)
		}
		want := &annex.Waiver{ID: 4, EntityID: 8, Effective: "2000-11-21", Basis: annex.WaiverNationalSecurity,
			LegalBasis: "AECA §73(e); EAA §11B(b)(5)", NotifiedOn: "2000-09-01", Reason: "China's commitment of 21 November 2000."}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("waiver stored (-want +got):\n%s", diff)
		}
	})

	tests := []struct {
		name      string
		entity    string
		err       error
		fragments []string
	}{
		{"Notice", "8", annex.Invalid(annex.FieldError{Field: "notified_on", Message: "a national-security waiver needs Congress notified at least 45 working days before it takes effect (AECA §73(e)); 2000-11-01 is 14 working days before 2000-11-21"}), []string{
			`<p class="field-error" id="waiver-notified_on-error">a national-security waiver needs Congress notified at least 45 working days`,
			`value="2000-11-01"`, `>Kept reason</textarea>`}},
		{"Fields", "8", annex.Invalid(annex.FieldError{Field: "effective", Message: "must be a date written YYYY-MM-DD"},
			annex.FieldError{Field: "reason", Message: "required"}), []string{
			`<p class="field-error" id="waiver-effective-error">must be a date written YYYY-MM-DD</p>`,
			`<p class="field-error" id="waiver-reason-error">required</p>`}},
		// The form stays, with its error, though nothing is left to waive.
		{"NothingLeft", "7", annex.Invalid(annex.FieldError{Field: "entity_id", Message: "no measure on the entity is left to waive"}), []string{
			`<p class="field-error" id="waiver-entity_id-error">no measure on the entity is left to waive</p>`,
			`<h1 id="entity-name">Alpha Works</h1>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss.CreateWaiverFn = func(context.Context, *annex.Waiver) error { return tt.err }
			v := url.Values{"effective": {"2000-11-21"}, "basis": {"national_security"}, "legal_basis": {"AECA §73(e)"},
				"notified_on": {"2000-11-01"}, "reason": {"Kept reason"}}
			resp := s.Do(t, "POST", "/register/entities/"+tt.entity+"/waivers", v.Encode(), cookie("analyst")...)
			mustStatus(t, resp, http.StatusUnprocessableEntity)
			mustContain(t, resp.Body, append([]string{`id="waiver-form-errors"`, `id="waiver-form"`}, tt.fragments...)...)
		})
	}
}

// TestRegisterFormsAccess checks that only the register's writers get the
// forms: a licensing officer reads the pages without them and is refused
// each post; an exporter is refused the pages.
func TestRegisterFormsAccess(t *testing.T) {
	s, _ := mustOpenRegister(t)
	officerSession := append(append([]string{}, form...), "Cookie", "annex_session=officer-token")
	posts := []string{"/register/entities", "/register/transfers", "/register/transfers/5/determinations", "/register/entities/8/waivers"}
	for _, path := range posts {
		t.Run("POST "+path, func(t *testing.T) {
			resp := s.Do(t, "POST", path, url.Values{"name": {"x"}, "date": {"2000-11-21"}, "packs": {"us-missile"}}.Encode(), officerSession...)
			mustStatus(t, resp, http.StatusForbidden)
			mustContain(t, resp.Body, `id="error-message">This is for`)
			resp = s.Do(t, "POST", path, "", cookie("exporter")...)
			mustStatus(t, resp, http.StatusForbidden)
		})
	}
	pages := []struct {
		path  string
		forms []string
	}{
		{"/register", []string{`id="entity-form"`, `id="new-entity"`, `id="new-transfer"`, `id="hold-form"`}},
		{"/register/entities/8", []string{`id="waiver-form"`}},
		{"/register/transfers/5", []string{`id="determine-form"`}},
	}
	for _, p := range pages {
		t.Run("GET "+p.path, func(t *testing.T) {
			resp := s.Do(t, "GET", p.path, "", officerSession...)
			mustStatus(t, resp, http.StatusOK)
			mustOmit(t, resp.Body, p.forms...)
			resp = s.Do(t, "GET", p.path, "", cookie("analyst")...)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, resp.Body, p.forms...)
			resp = s.Do(t, "GET", p.path, "", cookie("exporter")...)
			mustStatus(t, resp, http.StatusForbidden)
		})
	}
	t.Run("GET /register/transfers/new", func(t *testing.T) {
		for _, session := range [][]string{officerSession, cookie("exporter")} {
			resp := s.Do(t, "GET", "/register/transfers/new", "", session...)
			mustStatus(t, resp, http.StatusForbidden)
		}
		resp := s.Do(t, "GET", "/register/transfers/new", "", cookie("admin")...)
		mustStatus(t, resp, http.StatusOK)
	})
}
