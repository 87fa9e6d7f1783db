package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/mock"
	"annex/sanction"
)

// The November 2000 case, as the register holds it: the unnamed Chinese
// supplier, Pakistan's Ministry of Defence, SUPARCO and Iran's Defence
// Industries Organisation; one transfer report (Category II items to
// SUPARCO), determination 3 of it, the waiver of the supplier's measures,
// a Category I determination on the Ministry of Defence and the hold on
// Chinese launch licences.
const (
	cnName      = "Chinese entities (unnamed)"
	modName     = "Ministry of Defence of Pakistan"
	suparcoName = "Space and Upper Atmosphere Research Commission"
	dioName     = "Defence Industries Organisation"
)

// registerDay is the register's clock in these tests: the day after the
// determinations.
var registerDay = time.Date(2000, 11, 22, 15, 0, 0, 0, time.UTC)

func novEntities() []*annex.SanctionEntity {
	at := time.Date(2000, 11, 21, 9, 0, 0, 0, time.UTC)
	return []*annex.SanctionEntity{
		{ID: 1, Name: cnName, Type: annex.EntityOrganization, Country: "CN", CreatedAt: at, UpdatedAt: at},
		{ID: 2, Name: modName, Aliases: []string{"Pakistan Ministry of Defence"}, Type: annex.EntityOrganization, Country: "PK", SubUnits: true, CreatedAt: at, UpdatedAt: at},
		{ID: 3, Name: suparcoName, Aliases: []string{"SUPARCO"}, Type: annex.EntityOrganization, Country: "PK", SubUnits: true, CreatedAt: at, UpdatedAt: at},
		{ID: 4, Name: dioName, Aliases: []string{"DIO"}, Type: annex.EntityOrganization, Country: "IR", SubUnits: true, CreatedAt: at, UpdatedAt: at},
	}
}

func novEntity(id int64) *annex.SanctionEntity {
	for _, e := range novEntities() {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// novReport is transfer report 4: Category II items to SUPARCO.
func novReport() *annex.TransferReport {
	at := time.Date(2000, 11, 21, 10, 0, 0, 0, time.UTC)
	return &annex.TransferReport{ID: 4, Reference: "NOV2000-PK-II-SUPARCO", Title: "Category II items to SUPARCO", Date: "2000-11-21",
		SupplierID: 1, RecipientID: 3, Supplier: novEntity(1), Recipient: novEntity(3),
		Items:    []annex.ReportItem{{Description: "Missile-related equipment and technology (Category II), not itemised"}},
		Category: annex.CategoryII, Sources: []annex.EvidenceSource{{Citation: "US Department of State, 21 Nov 2000", Reliability: "A"}},
		Assessment: "Category II transfers named in the US statement.", CreatedBy: 11, CreatedAt: at, UpdatedAt: at}
}

// novMeasures are the register's measures: determination 3's on the
// supplier (waived from the start) and on SUPARCO, determination 2's on the
// Ministry of Defence.
func novMeasures() []*annex.Measure {
	m := func(id, entityID, det int64, entity, country, role string, kind annex.MeasureKind) *annex.Measure {
		return &annex.Measure{ID: id, Entity: entity, Country: country, Role: role, Measure: kind, LegalBasis: "AECA §73(a)(2)",
			Pack: "us-missile", Start: "2000-11-21", End: "2002-11-21", EntityID: entityID, DeterminationID: det}
	}
	ms := []*annex.Measure{
		m(11, 1, 3, cnName, "CN", annex.TransferSupplier, annex.MeasureDenyMissileContracts),
		m(12, 1, 3, cnName, "CN", annex.TransferSupplier, annex.MeasureDenyMissileLicences),
		m(13, 3, 3, suparcoName, "PK", annex.TransferRecipient, annex.MeasureDenyMissileContracts),
		m(14, 3, 3, suparcoName, "PK", annex.TransferRecipient, annex.MeasureDenyMissileLicences),
		m(15, 2, 2, modName, "PK", annex.TransferRecipient, annex.MeasureDenyAllContracts),
	}
	for _, x := range ms[:2] {
		x.WaiverID, x.WaivedFrom = 1, "2000-11-21"
	}
	ms[4].Minimum = true
	return ms
}

func novDetermination() *annex.Determination {
	in := novReport().DeterminationInput("2000-11-21")
	var ms []annex.Measure
	for _, m := range novMeasures() {
		if m.DeterminationID == 3 {
			ms = append(ms, *m)
		}
	}
	return &annex.Determination{ID: 3, ReportID: 4, Input: in, Result: annex.DeterminationResult{Measures: ms, Category: annex.CategoryII,
		Reasons: []string{"a Category II transfer denies missile contracts and licences for 2 years"}, Packs: []string{"us-missile@1"}},
		Note: "Determination of 21 November 2000.", CreatedBy: 11, CreatedAt: time.Date(2000, 11, 21, 12, 0, 0, 0, time.UTC)}
}

func novWaiver() *annex.Waiver {
	return &annex.Waiver{ID: 1, EntityID: 1, Effective: "2000-11-21", Basis: annex.WaiverNationalSecurity, LegalBasis: "AECA §73(e)",
		Reason: "China's commitment of 21 November 2000.", CreatedBy: 11, CreatedAt: time.Date(2000, 11, 21, 12, 30, 0, 0, time.UTC)}
}

func novHold() *annex.Hold {
	return &annex.Hold{ID: 1, Country: "CN", Class: "rocket_system", Reason: "Commercial space cooperation suspended.",
		From: "2000-02-01", Until: "2000-11-20", Effect: annex.RecommendDeny}
}

// fakeDeterminer is an annex.DeterminationService that records its inputs
// and answers with Fn, by default usFake.
type fakeDeterminer struct {
	mu     sync.Mutex
	inputs []annex.DeterminationInput
	Fn     func(in annex.DeterminationInput) (*annex.DeterminationResult, error)
}

func (d *fakeDeterminer) Determine(_ context.Context, in annex.DeterminationInput) (*annex.DeterminationResult, error) {
	d.mu.Lock()
	d.inputs = append(d.inputs, in)
	fn := d.Fn
	d.mu.Unlock()
	if fn == nil {
		fn = usFake
	}
	return fn(in)
}

// Inputs returns the inputs received so far, and forgets them.
func (d *fakeDeterminer) Inputs() []annex.DeterminationInput {
	d.mu.Lock()
	defer d.mu.Unlock()
	in := d.inputs
	d.inputs = nil
	return in
}

// usFake stands in for the engine: it validates the input as the engine
// does, then denies contracts and licences for two years on the supplier,
// the recipient and the others, all of them by name and role only, as the
// engine does; nothing when an adherent authorised the transfer.
func usFake(in annex.DeterminationInput) (*annex.DeterminationResult, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	res := &annex.DeterminationResult{Measures: []annex.Measure{}, Category: in.Category, Packs: []string{"fake@1"}}
	if in.AuthorizedByAdherent {
		res.Reasons = []string{"authorised by an adherent: no sanctions"}
		return res, nil
	}
	kinds := map[annex.Category][]annex.MeasureKind{
		annex.CategoryI:  {annex.MeasureDenyAllContracts, annex.MeasureDenyAllUSMLLicences},
		annex.CategoryII: {annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
	}[in.Category]
	start, _ := time.Parse(time.DateOnly, in.Date)
	end := start.AddDate(2, 0, 0).Format(time.DateOnly)
	in.Supplier.Role, in.Recipient.Role = annex.TransferSupplier, annex.TransferRecipient
	for _, p := range append([]annex.TransferParty{in.Supplier, in.Recipient}, in.Others...) {
		for _, k := range kinds {
			res.Measures = append(res.Measures, annex.Measure{Entity: p.Name, Country: p.Country, Role: p.Role, Measure: k,
				LegalBasis: "AECA §73(a)(2)", Pack: "fake", Start: in.Date, End: end})
		}
	}
	res.Reasons = append(res.Reasons, fmt.Sprintf("Category %s: %d measures", in.Category, len(res.Measures)))
	return res, nil
}

// engineDeterminer serves the real engine, with its embedded packs, as the
// server's DeterminationService.
type engineDeterminer struct{ *sanction.Engine }

func (e engineDeterminer) Determine(_ context.Context, in annex.DeterminationInput) (*annex.DeterminationResult, error) {
	return e.Engine.Determine(in)
}

// registerServer is a test server whose sanctions register is a mock
// holding the November 2000 case, and whose determinations come from a
// fakeDeterminer. The register's clock is registerDay.
type registerServer struct {
	*Server
	Register   *mock.SanctionService
	Determiner *fakeDeterminer

	mu sync.Mutex
	// What the register's mock was given.
	entities       []annex.SanctionEntity
	reports        []annex.TransferReport
	determinations []annex.Determination
	holds          []annex.Hold
	waivers        []annex.Waiver
	ended          []string
	measureFilters []annex.MeasureFilter
	reportFilters  []annex.TransferReportFilter
	entityFilters  []annex.SanctionEntityFilter
}

func (s *registerServer) record(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// recorded returns a copy of what the mock recorded, under the lock.
func recorded[T any](s *registerServer, v *[]T) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(*v)
}

// mustOpenSanctions opens a registerServer; options change the server
// before it opens.
func mustOpenSanctions(t *testing.T, opts ...func(*Server)) *registerServer {
	t.Helper()
	rs := &registerServer{Register: &mock.SanctionService{}, Determiner: &fakeDeterminer{}}
	setup := func(s *Server) {
		s.Server.SanctionService = rs.Register
		s.Server.DeterminationService = rs.Determiner
		s.Server.AsOf = func() time.Time { return registerDay }
	}
	rs.Server = MustOpenServer(t, append([]func(*Server){setup}, opts...)...)
	rs.withSessions()
	rs.withNovember2000()
	return rs
}

// withNovember2000 makes the register's mock hold the November 2000 case,
// validate what it is given as the store does, and record it.
func (s *registerServer) withNovember2000() {
	r := s.Register
	r.FindSanctionEntitiesFn = func(_ context.Context, f annex.SanctionEntityFilter) ([]*annex.SanctionEntity, int, error) {
		s.record(func() { s.entityFilters = append(s.entityFilters, f) })
		var out []*annex.SanctionEntity
		for _, e := range novEntities() {
			names := strings.ToLower(e.Name + "\n" + strings.Join(e.Aliases, "\n"))
			if (f.Query == "" || strings.Contains(names, strings.ToLower(f.Query))) && (f.Country == "" || f.Country == e.Country) {
				out = append(out, e)
			}
		}
		return page(out, f.Offset, f.Limit), len(out), nil
	}
	r.FindSanctionEntityByIDFn = func(_ context.Context, id int64) (*annex.SanctionEntity, error) {
		if e := novEntity(id); e != nil {
			return e, nil
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "sanction entity %d not found", id)
	}
	r.CreateSanctionEntityFn = func(_ context.Context, e *annex.SanctionEntity) error {
		s.record(func() { s.entities = append(s.entities, *e) })
		if err := e.Validate(); err != nil {
			return err
		}
		e.ID, e.CreatedAt, e.UpdatedAt = 7, fixedClock, fixedClock
		return nil
	}
	r.FindTransferReportsFn = func(_ context.Context, f annex.TransferReportFilter) ([]*annex.TransferReport, int, error) {
		s.record(func() { s.reportFilters = append(s.reportFilters, f) })
		var out []*annex.TransferReport
		for _, t := range []*annex.TransferReport{novReport()} {
			if (f.EntityID == 0 || f.EntityID == t.SupplierID || f.EntityID == t.RecipientID) &&
				(f.From == "" || f.From <= t.Date) && (f.Until == "" || t.Date <= f.Until) &&
				(f.Query == "" || strings.Contains(strings.ToLower(t.Reference+" "+t.Title), strings.ToLower(f.Query))) {
				out = append(out, t)
			}
		}
		return page(out, f.Offset, f.Limit), len(out), nil
	}
	r.FindTransferReportByIDFn = func(_ context.Context, id int64) (*annex.TransferReport, error) {
		if id == 4 {
			return novReport(), nil
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "transfer report %d not found", id)
	}
	r.CreateTransferReportFn = func(_ context.Context, t *annex.TransferReport) error {
		s.record(func() { s.reports = append(s.reports, *t) })
		if err := t.Validate(); err != nil {
			return err
		}
		if novEntity(t.SupplierID) == nil {
			return annex.Invalid(annex.FieldError{Field: "supplier_id", Message: "no such entity in the register"})
		}
		t.ID, t.CreatedBy, t.CreatedAt, t.UpdatedAt = 8, 11, fixedClock, fixedClock
		t.Supplier, t.Recipient = novEntity(t.SupplierID), novEntity(t.RecipientID)
		return nil
	}
	r.CreateDeterminationFn = func(_ context.Context, d *annex.Determination) error {
		s.record(func() { s.determinations = append(s.determinations, *d) })
		d.ID, d.CreatedBy, d.CreatedAt = 9, 11, fixedClock
		for i := range d.Result.Measures {
			d.Result.Measures[i].ID, d.Result.Measures[i].DeterminationID = int64(21+i), 9
		}
		return nil
	}
	r.FindDeterminationByIDFn = func(_ context.Context, id int64) (*annex.Determination, error) {
		if id == 3 {
			return novDetermination(), nil
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "determination %d not found", id)
	}
	r.FindDeterminationsFn = func(_ context.Context, reportID int64) ([]*annex.Determination, error) {
		if reportID == 4 {
			return []*annex.Determination{novDetermination()}, nil
		}
		return nil, nil
	}
	r.FindMeasuresFn = func(_ context.Context, f annex.MeasureFilter) ([]*annex.Measure, int, error) {
		s.record(func() { s.measureFilters = append(s.measureFilters, f) })
		if f.Status != "" && f.Day == "" {
			return nil, 0, annex.Invalid(annex.FieldError{Field: "day", Message: "required with a status"})
		}
		var out []*annex.Measure
		for _, m := range novMeasures() {
			if (f.EntityID == 0 || m.EntityID == f.EntityID) && (f.DeterminationID == 0 || m.DeterminationID == f.DeterminationID) &&
				(f.Status == "" || m.Status(f.Day) == f.Status) {
				out = append(out, m)
			}
		}
		return page(out, f.Offset, f.Limit), len(out), nil
	}
	r.FindWaiversFn = func(context.Context) ([]*annex.Waiver, error) { return []*annex.Waiver{novWaiver()}, nil }
	r.CreateWaiverFn = func(_ context.Context, w *annex.Waiver) error {
		s.record(func() { s.waivers = append(s.waivers, *w) })
		if err := w.Validate(); err != nil {
			return err
		}
		w.ID, w.CreatedBy, w.CreatedAt = 2, 11, fixedClock
		return nil
	}
	r.FindHoldsFn = func(context.Context) ([]*annex.Hold, error) { return []*annex.Hold{novHold()}, nil }
	r.CreateHoldFn = func(_ context.Context, h *annex.Hold) error {
		s.record(func() { s.holds = append(s.holds, *h) })
		if err := h.Validate(); err != nil {
			return err
		}
		h.ID = 2
		return nil
	}
	r.EndHoldFn = func(_ context.Context, id int64, until string) (*annex.Hold, error) {
		s.record(func() { s.ended = append(s.ended, fmt.Sprintf("%d %s", id, until)) })
		if id != 1 {
			return nil, annex.Errorf(annex.ENOTFOUND, "hold %d not found", id)
		}
		h := novHold()
		if until < h.From {
			return nil, annex.Invalid(annex.FieldError{Field: "until", Message: "must not be before the hold's first day, " + h.From})
		}
		h.Until = until
		return h, nil
	}
}

// page returns the page of vs from offset, at most limit long.
func page[T any](vs []T, offset, limit int) []T {
	if offset >= len(vs) {
		return nil
	}
	vs = vs[offset:]
	if limit > 0 && limit < len(vs) { // as the store: zero is no limit
		vs = vs[:limit]
	}
	return vs
}

// Bodies of the register's writes.
const (
	suparcoEntityJSON = `{"id": 99, "name": "  Space and Upper Atmosphere Research Commission ", "aliases": ["SUPARCO"],
		"type": "organization", "country": "pk", "sub_units": true}`
	waiverJSON = `{"entity_id": 1, "effective": "2000-11-21", "basis": "national_security", "legal_basis": "AECA §73(e)",
		"reason": "China's commitment of 21 November 2000."}`
	holdJSON = `{"country": "cn", "class": "rocket_system", "reason": "Commercial space cooperation suspended.",
		"from": "2000-02-01", "effect": "deny"}`
	// m11ReportJSON reports the M-11 missiles to Pakistan's Ministry of
	// Defence, by their items and without a category.
	m11ReportJSON = `{"reference": "NOV2000-PK-I-MOD", "title": "Complete missile systems to Pakistan's Ministry of Defence",
		"date": "2000-11-21", "supplier_id": 1, "recipient_id": 2,
		"items": [
			{"description": "Category I assistance, not itemised"},
			{"description": "M-11 short-range ballistic missiles", "quantity": 1,
			 "item": {"name": "M-11", "kind": "rocket_system", "params": {"range_km": 300, "payload_kg": 500}}}
		],
		"sources": [{"citation": "US Department of State, 21 Nov 2000", "reliability": "A"}],
		"assessment": "Category I transfer as the US statement describes it."}`
)

// TestSanctionsAPIAccess checks who may use the register's API: every
// authority role reads, analysts, senior officers and administrators
// write, exporters are refused, the signed out must sign in; determining
// without storing is public.
func TestSanctionsAPIAccess(t *testing.T) {
	s := mustOpenSanctions(t)

	t.Run("ReadAndWrite", func(t *testing.T) {
		const path = "/api/v1/sanctions/entities"
		tests := []struct {
			user        string
			read, write int
		}{
			{"", http.StatusUnauthorized, http.StatusUnauthorized},
			{"exporter", http.StatusForbidden, http.StatusForbidden},
			{"expadmin", http.StatusForbidden, http.StatusForbidden},
			{"officer", http.StatusOK, http.StatusForbidden},
			{"reviewer", http.StatusOK, http.StatusForbidden},
			{"customs", http.StatusOK, http.StatusForbidden},
			{"analyst", http.StatusOK, http.StatusCreated},
			{"senior", http.StatusOK, http.StatusCreated},
			{"admin", http.StatusOK, http.StatusCreated},
		}
		for _, tt := range tests {
			t.Run(userName(tt.user), func(t *testing.T) {
				var header []string
				if tt.user != "" {
					header = as(tt.user)
				}
				before := len(recorded(s, &s.entities))
				read := s.Do(t, "GET", path+"?country=pk", "", header...)
				write := s.Do(t, "POST", path, suparcoEntityJSON, header...)
				if tt.read != http.StatusOK {
					mustProblem(t, read, tt.read)
				} else {
					mustStatus(t, read, http.StatusOK)
					var list struct {
						Total    int                     `json:"total"`
						Entities []*annex.SanctionEntity `json:"entities"`
					}
					mustDecode(t, read, &list)
					if list.Total != 2 || len(list.Entities) != 2 || list.Entities[0].Name != modName || list.Entities[1].Name != suparcoName {
						t.Fatalf("entities of PK: %+v", list)
					}
				}
				if tt.write != http.StatusCreated {
					p := mustProblem(t, write, tt.write)
					if tt.write == http.StatusForbidden && !strings.Contains(p.Detail, "analysts") {
						t.Fatalf("Detail=%q, want it to say who may", p.Detail)
					}
					if n := len(recorded(s, &s.entities)); n != before {
						t.Fatalf("the register was given an entity by a refused %q", tt.user)
					}
					return
				}
				mustStatus(t, write, http.StatusCreated)
				if loc := write.Header.Get("Location"); loc != "/api/v1/sanctions/entities/7" {
					t.Fatalf("Location=%q", loc)
				}
				var e annex.SanctionEntity
				mustDecode(t, write, &e)
				if e.ID != 7 || e.Name != suparcoName || e.Country != "PK" || !e.SubUnits || !slices.Equal(e.Aliases, []string{"SUPARCO"}) {
					t.Fatalf("entity=%+v", e)
				}
				given := recorded(s, &s.entities)
				if last := given[len(given)-1]; last.ID != 0 {
					t.Fatalf("the register was given the client's ID %d; the handler must clear it", last.ID)
				}
			})
		}
	})

	// Every route of the register refuses exporters and the signed out,
	// but POST /api/v1/sanctions/determine, which is public.
	routes := []struct {
		method, path, body string
		write              bool
	}{
		{"GET", "/api/v1/sanctions/entities", "", false},
		{"POST", "/api/v1/sanctions/entities", suparcoEntityJSON, true},
		{"GET", "/api/v1/sanctions/entities/3", "", false},
		{"GET", "/api/v1/sanctions/transfers", "", false},
		{"POST", "/api/v1/sanctions/transfers", `{}`, true},
		{"GET", "/api/v1/sanctions/transfers/4", "", false},
		{"POST", "/api/v1/sanctions/transfers/4/determinations", `{}`, true},
		{"GET", "/api/v1/sanctions/determinations/3", "", false},
		{"GET", "/api/v1/sanctions/measures", "", false},
		{"GET", "/api/v1/sanctions/waivers", "", false},
		{"POST", "/api/v1/sanctions/waivers", waiverJSON, true},
		{"GET", "/api/v1/sanctions/holds", "", false},
		{"POST", "/api/v1/sanctions/holds", holdJSON, true},
		{"POST", "/api/v1/sanctions/holds/1/end", `{"until": "2000-11-20"}`, true},
		{"GET", "/api/v1/sanctions/report?period=2000H2", "", false},
	}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			mustProblem(t, s.Do(t, rt.method, rt.path, rt.body), http.StatusUnauthorized)
			mustProblem(t, s.Do(t, rt.method, rt.path, rt.body, as("exporter")...), http.StatusForbidden)
			resp := s.Do(t, rt.method, rt.path, rt.body, as("officer")...)
			if rt.write {
				mustProblem(t, resp, http.StatusForbidden)
			} else {
				mustStatus(t, resp, http.StatusOK)
			}
		})
	}
	t.Run("DeterminePublic", func(t *testing.T) {
		body := `{"date": "2000-11-21", "supplier": {"name": "Chinese entities (unnamed)", "country": "CN"},
			"recipient": {"name": "Space and Upper Atmosphere Research Commission", "country": "PK"}, "category": "II"}`
		for _, header := range [][]string{nil, as("exporter"), as("officer")} {
			mustStatus(t, s.Do(t, "POST", "/api/v1/sanctions/determine", body, header...), http.StatusOK)
		}
	})
}

// userName names a subtest by its user; "" is signed out.
func userName(user string) string {
	if user == "" {
		return "SignedOut"
	}
	return user
}

// TestSanctionsDetermineAPI checks the public determination: the
// contract's shape, the input the service is given, and the strict decoding
// that names each bad field.
func TestSanctionsDetermineAPI(t *testing.T) {
	s := mustOpenSanctions(t)
	const path = "/api/v1/sanctions/determine"
	const suparco = `{"date": "2000-11-21",
		"supplier": {"name": " Chinese entities (unnamed) ", "country": "cn"},
		"recipient": {"name": "Space and Upper Atmosphere Research Commission", "country": "pk"},
		"category": "II", "substantially_contributed": false, "authorized_by_adherent": false}`

	t.Run("Contract", func(t *testing.T) {
		s.Determiner.Inputs()
		resp := s.Do(t, "POST", path, suparco)
		mustStatus(t, resp, http.StatusOK)
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Fatalf("Cache-Control=%q, want no-store", got)
		}
		var raw map[string]json.RawMessage
		mustDecode(t, resp, &raw)
		for _, key := range []string{"measures", "category", "reasons", "packs"} {
			if _, ok := raw[key]; !ok {
				t.Fatalf("the result lacks %q: %s", key, resp.Body)
			}
		}
		var measures []map[string]any
		if err := json.Unmarshal(raw["measures"], &measures); err != nil {
			t.Fatalf("measures: %v", err)
		}
		if len(measures) != 4 {
			t.Fatalf("%d measures, want 4: %s", len(measures), raw["measures"])
		}
		for _, m := range measures {
			for _, key := range []string{"entity", "measure", "legal_basis", "start", "end"} {
				if _, ok := m[key]; !ok {
					t.Fatalf("measure lacks %q: %v", key, m)
				}
			}
		}
		if m := measures[2]; m["entity"] != suparcoName || m["measure"] != "deny_missile_contracts" || m["start"] != "2000-11-21" || m["end"] != "2002-11-21" {
			t.Fatalf("measure on SUPARCO: %v", m)
		}
		// The service is given the decoded input, validated and tidied.
		in := s.Determiner.Inputs()
		want := annex.DeterminationInput{Date: "2000-11-21", Supplier: annex.TransferParty{Name: cnName, Country: "CN"},
			Recipient: annex.TransferParty{Name: suparcoName, Country: "PK"}, Category: annex.CategoryII}
		if len(in) != 1 {
			t.Fatalf("the service was called %d times", len(in))
		}
		if diff := cmp.Diff(want, in[0]); diff != "" {
			t.Fatalf("input mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("NoMeasures", func(t *testing.T) {
		resp := s.Do(t, "POST", path, strings.Replace(suparco, `"authorized_by_adherent": false`, `"authorized_by_adherent": true`, 1))
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"measures":[]`, `"reasons":["authorised by an adherent: no sanctions"]`)
	})
	t.Run("Engine", func(t *testing.T) {
		packs, err := sanction.LoadPacks()
		if err != nil {
			t.Fatalf("LoadPacks: %v", err)
		}
		s := MustOpenServer(t, func(s *Server) {
			s.Server.DeterminationService = engineDeterminer{&sanction.Engine{Packs: packs, Default: []string{sanction.DefaultPack}}}
		})
		mod := `{"date": "2000-11-21", "supplier": {"name": "Chinese entities (unnamed)", "country": "CN"},
			"recipient": {"name": "Ministry of Defence of Pakistan", "country": "PK"}, "category": "I",
			"substantially_contributed": false, "authorized_by_adherent": false}`
		resp := s.Do(t, "POST", path, mod)
		mustStatus(t, resp, http.StatusOK)
		var res annex.DeterminationResult
		mustDecode(t, resp, &res)
		var kinds []string
		for _, m := range res.Measures {
			kinds = append(kinds, m.Entity+": "+string(m.Measure))
			if m.Start != "2000-11-21" || m.End != "2002-11-21" || !m.Minimum || m.LegalBasis == "" {
				t.Errorf("measure %+v: want 2000-11-21 to 2002-11-21 at the least, with its legal basis", m)
			}
		}
		want := []string{cnName + ": deny_all_contracts", cnName + ": deny_all_usml_licences",
			modName + ": deny_all_contracts", modName + ": deny_all_usml_licences"}
		if diff := cmp.Diff(want, kinds); diff != "" || res.Category != annex.CategoryI || !slices.Equal(res.Packs, []string{"us-missile@1"}) {
			t.Fatalf("category %q, packs %v; measures (-want +got):\n%s", res.Category, res.Packs, diff)
		}
		resp = s.Do(t, "POST", path, strings.Replace(mod, `"authorized_by_adherent": false`, `"authorized_by_adherent": true`, 1))
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"measures":[]`)
		p := mustProblem(t, s.Do(t, "POST", path, strings.Replace(mod, `"category": "I"`, `"category": "I", "packs": ["us-misile"]`, 1)), http.StatusUnprocessableEntity)
		if p.Field != "packs[0]" || !strings.Contains(p.Detail, "us-misile") {
			t.Fatalf("problem=%+v", p)
		}
	})

	invalid := []struct {
		name, query, body, field, message string
	}{
		{"Category", "", strings.Replace(suparco, `"category": "II"`, `"category": "III"`, 1), "category", `must be "I" or "II", not "III"`},
		{"NoCategory", "", strings.Replace(suparco, `"category": "II",`, ``, 1), "category", ""},
		{"DateMonth", "", strings.Replace(suparco, `"date": "2000-11-21"`, `"date": "2000-13-01"`, 1), "date", "must be a date written YYYY-MM-DD"},
		{"DateFormat", "", strings.Replace(suparco, `"date": "2000-11-21"`, `"date": "21/11/2000"`, 1), "date", ""},
		{"TransferDateAfter", "", strings.Replace(suparco, `"date": "2000-11-21"`, `"date": "2000-11-21", "transfer_date": "2000-12-01"`, 1), "transfer_date", ""},
		{"UnknownField", "", strings.Replace(suparco, `"category": "II"`, `"category": "II", "colour": "red"`, 1), "colour", ""},
		{"UnknownNested", "", strings.Replace(suparco, `"country": "cn"}`, `"country": "cn", "city": "Beijing"}`, 1), "supplier.city", ""},
		{"Country", "", strings.Replace(suparco, `"country": "pk"`, `"country": "Pakistan"`, 1), "recipient.country", ""},
		{"WrongType", "", strings.Replace(suparco, `"substantially_contributed": false`, `"substantially_contributed": "no"`, 1), "substantially_contributed", ""},
		{"NoRecipient", "", `{"date": "2000-11-21", "supplier": {"name": "A", "country": "CN"}, "category": "II"}`, "recipient", ""},
		{"OtherRole", "", strings.Replace(suparco, `"category": "II"`, `"category": "II", "others": [{"name": "B", "country": "AE", "role": "buyer"}]`, 1), "others[0].role", ""},
		{"Query", "?packs=us-missile", suparco, "packs", "unknown query parameter"},
		{"Malformed", "", `{"date": `, "", ""},
		{"NotAnObject", "", `[]`, "", ""},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			s.Determiner.Inputs()
			p := mustProblem(t, s.Do(t, "POST", path+tt.query, tt.body), http.StatusUnprocessableEntity)
			if p.Field != tt.field || p.Code != "invalid" {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
			if tt.message != "" && (len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Message, tt.message)) {
				t.Fatalf("errors=%+v, want %q", p.Errors, tt.message)
			}
			if in := s.Determiner.Inputs(); len(in) != 0 {
				t.Fatalf("the service was called with invalid input: %+v", in)
			}
		})
	}
	t.Run("ServiceError", func(t *testing.T) {
		s.Determiner.Fn = func(annex.DeterminationInput) (*annex.DeterminationResult, error) {
			return nil, annex.Invalid(annex.FieldError{Field: "packs[1]", Message: `unknown rule pack "uk"`})
		}
		defer func() { s.Determiner.Fn = nil }()
		p := mustProblem(t, s.Do(t, "POST", path, suparco), http.StatusUnprocessableEntity)
		if p.Field != "packs[1]" || p.Detail == "" {
			t.Fatalf("problem=%+v", p)
		}
	})
}

// TestSanctionsTransfersAPI checks that a transfer report's items are
// classified against the control list before the register stores it, and
// that errors name the report's fields.
func TestSanctionsTransfersAPI(t *testing.T) {
	s := mustOpenSanctions(t, func(s *Server) { s.Server.ControlListService = mustControlList(t) })
	const path = "/api/v1/sanctions/transfers"

	t.Run("Classified", func(t *testing.T) {
		resp := s.Do(t, "POST", path, m11ReportJSON, as("analyst")...)
		mustStatus(t, resp, http.StatusCreated)
		if loc := resp.Header.Get("Location"); loc != path+"/8" {
			t.Fatalf("Location=%q", loc)
		}
		given := recorded(s, &s.reports)
		r := given[len(given)-1]
		if r.ID != 0 || r.Category != annex.CategoryI {
			t.Fatalf("the register was given ID %d, category %q; want 0 and I from the M-11", r.ID, r.Category)
		}
		if r.Items[0].Classification != nil {
			t.Fatalf("an item without a kind was classified: %+v", r.Items[0].Classification)
		}
		c := r.Items[1].Classification
		if c == nil || !c.Controlled || c.Category != annex.CategoryI || c.Name != "M-11" || len(c.Entries) == 0 || c.Entries[0].ID != "1.A.1" {
			t.Fatalf("classification of the M-11: %+v", c)
		}
		var out annex.TransferReport
		mustDecode(t, resp, &out)
		if out.ID != 8 || out.Category != annex.CategoryI || out.Items[1].Classification == nil || out.Recipient == nil || out.Recipient.Name != modName {
			t.Fatalf("response: %+v", out)
		}
	})
	t.Run("AnalystCategory", func(t *testing.T) {
		// A Category II rocket system: the analyst's Category I stands,
		// and a Category II report of a Category I item is raised.
		cat2 := strings.Replace(m11ReportJSON, `"payload_kg": 500`, `"payload_kg": 100`, 1)
		for _, tt := range []struct {
			body string
			want annex.Category
		}{
			{cat2, annex.CategoryII},
			{strings.Replace(cat2, `"supplier_id": 1`, `"supplier_id": 1, "category": "I"`, 1), annex.CategoryI},
			{strings.Replace(m11ReportJSON, `"supplier_id": 1`, `"supplier_id": 1, "category": "II"`, 1), annex.CategoryI},
		} {
			mustStatus(t, s.Do(t, "POST", path, tt.body, as("analyst")...), http.StatusCreated)
			given := recorded(s, &s.reports)
			if r := given[len(given)-1]; r.Category != tt.want {
				t.Fatalf("category %q, want %q", r.Category, tt.want)
			}
		}
	})
	invalid := []struct {
		name, body, field string
	}{
		{"ItemParam", strings.Replace(m11ReportJSON, `"payload_kg": 500`, `"payload_kg": -5`, 1), "items[1].item.params.payload_kg"},
		{"FirstItemParam", strings.Replace(strings.Replace(m11ReportJSON, `{"description": "Category I assistance, not itemised"},`, ``, 1),
			`"payload_kg": 500`, `"payload_kg": -5`, 1), "items[0].item.params.payload_kg"},
		{"ItemKind", strings.Replace(m11ReportJSON, `"kind": "rocket_system"`, `"kind": "rocket_sytem"`, 1), "items[1].item.kind"},
		{"UnknownField", strings.Replace(m11ReportJSON, `"supplier_id": 1`, `"supplier_id": 1, "colour": "red"`, 1), "colour"},
		{"Reliability", strings.Replace(m11ReportJSON, `"reliability": "A"`, `"reliability": "G"`, 1), "sources[0].reliability"},
		{"UnknownSupplier", strings.Replace(m11ReportJSON, `"supplier_id": 1`, `"supplier_id": 77`, 1), "supplier_id"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			before := len(recorded(s, &s.reports))
			p := mustProblem(t, s.Do(t, "POST", path, tt.body, as("analyst")...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
			if strings.HasPrefix(tt.field, "items[") && len(recorded(s, &s.reports)) != before {
				t.Fatalf("the register was given a report whose items did not classify")
			}
		})
	}
	t.Run("UnknownSupplierMessage", func(t *testing.T) {
		p := mustProblem(t, s.Do(t, "POST", path, strings.Replace(m11ReportJSON, `"supplier_id": 1`, `"supplier_id": 77`, 1), as("analyst")...),
			http.StatusUnprocessableEntity)
		if want := []annex.FieldError{{Field: "supplier_id", Message: "no such entity in the register"}}; !cmp.Equal(want, p.Errors) {
			t.Fatalf("errors=%+v, want %+v", p.Errors, want)
		}
	})
	t.Run("Conflict", func(t *testing.T) {
		create := s.Register.CreateTransferReportFn
		s.Register.CreateTransferReportFn = func(context.Context, *annex.TransferReport) error {
			return annex.Errorf(annex.ECONFLICT, "a transfer report %q is already in the register", "NOV2000-PK-I-MOD")
		}
		defer func() { s.Register.CreateTransferReportFn = create }()
		p := mustProblem(t, s.Do(t, "POST", path, m11ReportJSON, as("analyst")...), http.StatusConflict)
		if !strings.Contains(p.Detail, "NOV2000-PK-I-MOD") {
			t.Fatalf("Detail=%q", p.Detail)
		}
	})
	t.Run("List", func(t *testing.T) {
		resp := s.Do(t, "GET", path+"?q=suparco&entity_id=3&from=2000-07-01&until=2000-12-31&offset=0&limit=10", "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		var list struct {
			Total     int                     `json:"total"`
			Transfers []*annex.TransferReport `json:"transfers"`
		}
		mustDecode(t, resp, &list)
		if list.Total != 1 || len(list.Transfers) != 1 || list.Transfers[0].Reference != "NOV2000-PK-II-SUPARCO" {
			t.Fatalf("list=%+v", list)
		}
		fs := recorded(s, &s.reportFilters)
		want := annex.TransferReportFilter{Query: "suparco", EntityID: 3, From: "2000-07-01", Until: "2000-12-31", Limit: 10}
		if diff := cmp.Diff(want, fs[len(fs)-1]); diff != "" {
			t.Fatalf("filter mismatch (-want +got):\n%s", diff)
		}
		resp = s.Do(t, "GET", path+"?until=2000-06-30", "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"total":0`, `"transfers":[]`)
		for query, field := range map[string]string{"from=2000-13-01": "from", "until=yesterday": "until", "entity_id=x": "entity_id",
			"limit=5000": "limit", "reference=x": "reference"} {
			p := mustProblem(t, s.Do(t, "GET", path+"?"+query, "", as("customs")...), http.StatusUnprocessableEntity)
			if p.Field != field {
				t.Errorf("%s: Field=%q, want %q", query, p.Field, field)
			}
		}
	})
	t.Run("Detail", func(t *testing.T) {
		resp := s.Do(t, "GET", path+"/4", "", as("reviewer")...)
		mustStatus(t, resp, http.StatusOK)
		var d struct {
			Transfer       *annex.TransferReport  `json:"transfer"`
			Determinations []*annex.Determination `json:"determinations"`
		}
		mustDecode(t, resp, &d)
		if diff := cmp.Diff(novReport(), d.Transfer); diff != "" {
			t.Fatalf("transfer mismatch (-want +got):\n%s", diff)
		}
		if len(d.Determinations) != 1 || d.Determinations[0].ID != 3 || len(d.Determinations[0].Result.Measures) != 4 {
			t.Fatalf("determinations=%+v", d.Determinations)
		}
		mustProblem(t, s.Do(t, "GET", path+"/5", "", as("reviewer")...), http.StatusNotFound)
		mustProblem(t, s.Do(t, "GET", path+"/x", "", as("reviewer")...), http.StatusNotFound)
		resp = s.Do(t, "GET", "/api/v1/sanctions/determinations/3", "", as("reviewer")...)
		mustStatus(t, resp, http.StatusOK)
		var det annex.Determination
		mustDecode(t, resp, &det)
		if diff := cmp.Diff(novDetermination(), &det); diff != "" {
			t.Fatalf("determination mismatch (-want +got):\n%s", diff)
		}
		mustProblem(t, s.Do(t, "GET", "/api/v1/sanctions/determinations/4", "", as("reviewer")...), http.StatusNotFound)
	})
}

// TestSanctionsDetermineTransferAPI checks that a determination of a
// reported transfer is made from the report and that its measures reach
// the register linked to their entities.
func TestSanctionsDetermineTransferAPI(t *testing.T) {
	s := mustOpenSanctions(t)
	const path = "/api/v1/sanctions/transfers/4/determinations"

	t.Run("Recorded", func(t *testing.T) {
		s.Determiner.Inputs()
		resp := s.Do(t, "POST", path, `{"date": "2000-11-21", "note": "  Determination of 21 November 2000. ", "packs": ["us-missile"]}`, as("analyst")...)
		mustStatus(t, resp, http.StatusCreated)
		if loc := resp.Header.Get("Location"); loc != "/api/v1/sanctions/determinations/9" {
			t.Fatalf("Location=%q", loc)
		}
		wantIn := annex.DeterminationInput{Date: "2000-11-21", TransferDate: "2000-11-21",
			Supplier:  annex.TransferParty{Name: cnName, Country: "CN", Role: annex.TransferSupplier, EntityID: 1},
			Recipient: annex.TransferParty{Name: suparcoName, Country: "PK", Role: annex.TransferRecipient, EntityID: 3},
			Category:  annex.CategoryII, Packs: []string{"us-missile"}}
		in := s.Determiner.Inputs()
		if len(in) != 1 {
			t.Fatalf("the service was called %d times", len(in))
		}
		if diff := cmp.Diff(wantIn, in[0]); diff != "" {
			t.Fatalf("input mismatch (-want +got):\n%s", diff)
		}
		ds := recorded(s, &s.determinations)
		if len(ds) != 1 {
			t.Fatalf("the register was given %d determinations", len(ds))
		}
		d := ds[0]
		if d.ID != 0 || d.ReportID != 4 || d.Note != "Determination of 21 November 2000." || d.Result.Category != annex.CategoryII {
			t.Fatalf("determination: ID %d, report %d, note %q, category %q", d.ID, d.ReportID, d.Note, d.Result.Category)
		}
		if diff := cmp.Diff(wantIn, d.Input); diff != "" {
			t.Fatalf("stored input mismatch (-want +got):\n%s", diff)
		}
		var links []string
		for _, m := range d.Result.Measures {
			links = append(links, fmt.Sprintf("%d %s %s", m.EntityID, m.Entity, m.Measure))
		}
		wantLinks := []string{"1 " + cnName + " deny_missile_contracts", "1 " + cnName + " deny_missile_licences",
			"3 " + suparcoName + " deny_missile_contracts", "3 " + suparcoName + " deny_missile_licences"}
		if diff := cmp.Diff(wantLinks, links); diff != "" {
			t.Fatalf("measures reach the register unlinked (-want +got):\n%s", diff)
		}
		var out annex.Determination
		mustDecode(t, resp, &out)
		if out.ID != 9 || out.CreatedBy != 11 || len(out.Result.Measures) != 4 || out.Result.Measures[3].ID != 24 || out.Result.Measures[3].EntityID != 3 {
			t.Fatalf("response: %+v", out)
		}
	})
	t.Run("Today", func(t *testing.T) {
		s.Determiner.Inputs()
		mustStatus(t, s.Do(t, "POST", path, `{}`, as("senior")...), http.StatusCreated)
		in := s.Determiner.Inputs()
		if len(in) != 1 || in[0].Date != "2000-11-22" || in[0].TransferDate != "2000-11-21" || in[0].Packs != nil {
			t.Fatalf("inputs=%+v, want the register's day 2000-11-22 and the default packs", in)
		}
	})
	errs := []struct {
		name, path, body string
		status           int
		field            string
	}{
		{"UnknownReport", "/api/v1/sanctions/transfers/5/determinations", `{}`, http.StatusNotFound, ""},
		{"BadID", "/api/v1/sanctions/transfers/0/determinations", `{}`, http.StatusNotFound, ""},
		{"Date", path, `{"date": "2000-11-31"}`, http.StatusUnprocessableEntity, "date"},
		{"UnknownField", path, `{"day": "2000-11-21"}`, http.StatusUnprocessableEntity, "day"},
		{"Empty", path, ``, http.StatusUnprocessableEntity, ""},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			before := len(recorded(s, &s.determinations))
			p := mustProblem(t, s.Do(t, "POST", tt.path, tt.body, as("analyst")...), tt.status)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
			if len(recorded(s, &s.determinations)) != before {
				t.Fatalf("a determination was recorded")
			}
		})
	}
	t.Run("StoreRefuses", func(t *testing.T) {
		create := s.Register.CreateDeterminationFn
		s.Register.CreateDeterminationFn = func(context.Context, *annex.Determination) error {
			return annex.Invalid(annex.FieldError{Field: "result.measures[0].entity_id", Message: "no such entity in the register"})
		}
		defer func() { s.Register.CreateDeterminationFn = create }()
		p := mustProblem(t, s.Do(t, "POST", path, `{}`, as("analyst")...), http.StatusUnprocessableEntity)
		if p.Field != "result.measures[0].entity_id" {
			t.Fatalf("problem=%+v", p)
		}
	})
}

// measureStatuses is a measure list's statuses by measure ID.
func measureStatuses(t *testing.T, resp response) (string, map[int64]annex.MeasureStatus) {
	t.Helper()
	var list struct {
		Day      string `json:"day"`
		Total    int    `json:"total"`
		Measures []struct {
			annex.Measure
			Status annex.MeasureStatus `json:"status"`
		} `json:"measures"`
	}
	mustDecode(t, resp, &list)
	out := map[int64]annex.MeasureStatus{}
	for _, m := range list.Measures {
		out[m.ID] = m.Status
	}
	return list.Day, out
}

// TestSanctionsMeasuresAPI checks the measures of the register with their
// status computed for the day asked, and the parameters' errors.
func TestSanctionsMeasuresAPI(t *testing.T) {
	s := mustOpenSanctions(t)
	const path = "/api/v1/sanctions/measures"
	tests := []struct {
		query string
		day   string
		want  map[int64]annex.MeasureStatus
	}{
		{"", "2000-11-22", map[int64]annex.MeasureStatus{11: "waived", 12: "waived", 13: "active", 14: "active", 15: "active"}},
		{"?day=2000-11-20", "2000-11-20", map[int64]annex.MeasureStatus{11: "pending", 12: "pending", 13: "pending", 14: "pending", 15: "pending"}},
		{"?day=2002-11-21", "2002-11-21", map[int64]annex.MeasureStatus{11: "waived", 12: "waived", 13: "expired", 14: "expired", 15: "expired"}},
		{"?day=2002-11-20&entity_id=3", "2002-11-20", map[int64]annex.MeasureStatus{13: "active", 14: "active"}},
		{"?status=waived&day=2000-12-31", "2000-12-31", map[int64]annex.MeasureStatus{11: "waived", 12: "waived"}},
		{"?status=active", "2000-11-22", map[int64]annex.MeasureStatus{13: "active", 14: "active", 15: "active"}},
		{"?determination_id=2", "2000-11-22", map[int64]annex.MeasureStatus{15: "active"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp := s.Do(t, "GET", path+tt.query, "", as("customs")...)
			mustStatus(t, resp, http.StatusOK)
			day, statuses := measureStatuses(t, resp)
			if day != tt.day {
				t.Fatalf("day=%q, want %q", day, tt.day)
			}
			if diff := cmp.Diff(tt.want, statuses); diff != "" {
				t.Fatalf("statuses (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("Filter", func(t *testing.T) {
		mustStatus(t, s.Do(t, "GET", path+"?entity_id=3&determination_id=3&status=active&day=2000-11-22&offset=1&limit=10", "", as("analyst")...), http.StatusOK)
		fs := recorded(s, &s.measureFilters)
		want := annex.MeasureFilter{EntityID: 3, DeterminationID: 3, Status: annex.MeasureActive, Day: "2000-11-22", Offset: 1, Limit: 10}
		if diff := cmp.Diff(want, fs[len(fs)-1]); diff != "" {
			t.Fatalf("filter mismatch (-want +got):\n%s", diff)
		}
	})
	invalid := []struct{ query, field string }{
		{"?status=bogus", "status"},
		{"?day=2000-13-01", "day"},
		{"?day=22/11/2000", "day"},
		{"?entity_id=SUPARCO", "entity_id"},
		{"?determination_id=-1", "determination_id"},
		{"?offset=x", "offset"},
		{"?limit=1001", "limit"},
		{"?entity=3", "entity"},
		{"?status=active&status=waived", "status"},
	}
	for _, tt := range invalid {
		t.Run(tt.query, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "GET", path+tt.query, "", as("customs")...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
	t.Run("Entity", func(t *testing.T) {
		resp := s.Do(t, "GET", "/api/v1/sanctions/entities/1?day=2000-11-20", "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		var d struct {
			Entity   *annex.SanctionEntity `json:"entity"`
			Day      string                `json:"day"`
			Measures []struct {
				ID     int64               `json:"id"`
				Status annex.MeasureStatus `json:"status"`
			} `json:"measures"`
			Transfers []*annex.TransferReport `json:"transfers"`
		}
		mustDecode(t, resp, &d)
		if d.Entity.Name != cnName || d.Day != "2000-11-20" || len(d.Measures) != 2 || d.Measures[0].Status != annex.MeasurePending ||
			len(d.Transfers) != 1 || d.Transfers[0].ID != 4 {
			t.Fatalf("entity detail: %+v", d)
		}
		resp = s.Do(t, "GET", "/api/v1/sanctions/entities/4", "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"day":"2000-11-22"`, `"measures":[]`, `"transfers":[]`)
		mustProblem(t, s.Do(t, "GET", "/api/v1/sanctions/entities/5", "", as("customs")...), http.StatusNotFound)
		p := mustProblem(t, s.Do(t, "GET", "/api/v1/sanctions/entities/1?day=2000-02-30", "", as("customs")...), http.StatusUnprocessableEntity)
		if p.Field != "day" {
			t.Fatalf("problem=%+v", p)
		}
	})
}

// TestSanctionsWaiversAndHoldsAPI checks the register's waivers and
// policy holds.
func TestSanctionsWaiversAndHoldsAPI(t *testing.T) {
	s := mustOpenSanctions(t)
	t.Run("Waiver", func(t *testing.T) {
		resp := s.Do(t, "POST", "/api/v1/sanctions/waivers", strings.Replace(waiverJSON, `"entity_id": 1`, `"id": 5, "entity_id": 1`, 1), as("analyst")...)
		mustStatus(t, resp, http.StatusCreated)
		var w annex.Waiver
		mustDecode(t, resp, &w)
		if w.ID != 2 || w.EntityID != 1 || w.Basis != annex.WaiverNationalSecurity || w.Effective != "2000-11-21" {
			t.Fatalf("waiver=%+v", w)
		}
		if ws := recorded(s, &s.waivers); ws[len(ws)-1].ID != 0 {
			t.Fatalf("the register was given the client's ID")
		}
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/sanctions/waivers", strings.Replace(waiverJSON, `"national_security"`, `"goodwill"`, 1), as("analyst")...),
			http.StatusUnprocessableEntity)
		if p.Field != "basis" {
			t.Fatalf("problem=%+v", p)
		}
		resp = s.Do(t, "GET", "/api/v1/sanctions/waivers", "", as("reviewer")...)
		mustStatus(t, resp, http.StatusOK)
		var list struct {
			Waivers []*annex.Waiver `json:"waivers"`
		}
		mustDecode(t, resp, &list)
		if diff := cmp.Diff([]*annex.Waiver{novWaiver()}, list.Waivers); diff != "" {
			t.Fatalf("waivers mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("Hold", func(t *testing.T) {
		resp := s.Do(t, "POST", "/api/v1/sanctions/holds", holdJSON, as("admin")...)
		mustStatus(t, resp, http.StatusCreated)
		mustContain(t, resp.Body, `"id":2`, `"country":"CN"`, `"effect":"deny"`)
		p := mustProblem(t, s.Do(t, "POST", "/api/v1/sanctions/holds", strings.Replace(holdJSON, `"effect": "deny"`, `"until": "2000-01-01", "effect": "deny"`, 1), as("admin")...),
			http.StatusUnprocessableEntity)
		if p.Field != "until" {
			t.Fatalf("problem=%+v", p)
		}
		resp = s.Do(t, "POST", "/api/v1/sanctions/holds/1/end", `{"until": "2000-11-20"}`, as("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		var h annex.Hold
		mustDecode(t, resp, &h)
		if h.ID != 1 || h.Until != "2000-11-20" {
			t.Fatalf("hold=%+v", h)
		}
		if ended := recorded(s, &s.ended); !slices.Equal(ended, []string{"1 2000-11-20"}) {
			t.Fatalf("ended=%q", ended)
		}
		mustProblem(t, s.Do(t, "POST", "/api/v1/sanctions/holds/2/end", `{"until": "2000-11-20"}`, as("analyst")...), http.StatusNotFound)
		p = mustProblem(t, s.Do(t, "POST", "/api/v1/sanctions/holds/1/end", `{"until": "2000-01-31"}`, as("analyst")...), http.StatusUnprocessableEntity)
		if p.Field != "until" {
			t.Fatalf("problem=%+v", p)
		}
		resp = s.Do(t, "GET", "/api/v1/sanctions/holds", "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"holds":[{"id":1,"country":"CN","class":"rocket_system"`)
	})
}

// TestSanctionsReportAPI checks the half-yearly report as JSON, CSV and
// PDF.
func TestSanctionsReportAPI(t *testing.T) {
	s := mustOpenSanctions(t)
	const path = "/api/v1/sanctions/report"

	t.Run("JSON", func(t *testing.T) {
		resp := s.Do(t, "GET", path+"?period=2000H2", "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		var r annex.SanctionsReport
		mustDecode(t, resp, &r)
		if r.Period != "2000 H2" || r.From != "2000-07-01" || r.Until != "2000-12-31" || r.GeneratedOn != "2000-11-22" {
			t.Fatalf("report %s %s..%s on %s", r.Period, r.From, r.Until, r.GeneratedOn)
		}
		want := annex.SanctionsTotals{Transfers: 1, MeasuresImposed: 5, MeasuresInForce: 3, MeasuresWaived: 2, Waivers: 1, Holds: 1,
			ByCategory: []annex.Tally{{Key: "II", Count: 1}},
			ByMeasure: []annex.MeasureTally{{Measure: annex.MeasureDenyAllContracts, Imposed: 1, InForce: 1},
				{Measure: annex.MeasureDenyMissileContracts, Imposed: 2, InForce: 1}, {Measure: annex.MeasureDenyMissileLicences, Imposed: 2, InForce: 1}},
			ByCountry: []annex.CountryTally{{Country: "CN", Supplied: 1, Imposed: 2}, {Country: "PK", Received: 1, Imposed: 3, InForce: 3}}}
		if diff := cmp.Diff(want, r.Totals); diff != "" {
			t.Fatalf("totals mismatch (-want +got):\n%s", diff)
		}
		if len(r.Transfers) != 1 || r.Transfers[0].Recipient.Name != suparcoName || r.Transfers[0].Supplier.Country != "CN" {
			t.Fatalf("transfers=%+v", r.Transfers)
		}
		// The current half year by default.
		resp = s.Do(t, "GET", path, "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"period":"2000 H2"`)
		resp = s.Do(t, "GET", path+"?period=2000H1&format=json", "", as("customs")...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `"period":"2000 H1"`, `"transfers":[]`, `"measures_imposed":[]`, `"holds":[{"id":1`)
	})
	t.Run("CSV", func(t *testing.T) {
		resp := s.Do(t, "GET", path+"?period=2000H2&format=csv", "", as("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("Content-Type=%q", ct)
		}
		if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="annex-sanctions-2000-H2.csv"` {
			t.Fatalf("Content-Disposition=%q", cd)
		}
		first, _, _ := strings.Cut(resp.Body, "\n")
		if want := strings.Join(annex.SanctionsCSVHeader, ","); first != want {
			t.Fatalf("first line %q, want the header %q", first, want)
		}
		rows, err := csv.NewReader(strings.NewReader(resp.Body)).ReadAll()
		if err != nil {
			t.Fatalf("CSV: %v", err)
		}
		var sections []string
		for _, row := range rows[1:] {
			sections = append(sections, row[0])
		}
		want := []string{"transfer", "measure_imposed", "measure_imposed", "measure_imposed", "measure_imposed", "measure_imposed",
			"measure_in_force", "measure_in_force", "measure_in_force", "measure_waived", "measure_waived", "waiver", "hold"}
		if diff := cmp.Diff(want, sections); diff != "" {
			t.Fatalf("sections (-want +got):\n%s", diff)
		}
		if rows[1][2] != cnName || !strings.Contains(rows[1][9], "NOV2000-PK-II-SUPARCO") {
			t.Fatalf("transfer row %q", rows[1])
		}
	})
	t.Run("PDF", func(t *testing.T) {
		resp := s.Do(t, "GET", path+"?period=2000-H2&format=pdf", "", as("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Fatalf("Content-Type=%q", ct)
		}
		if !strings.HasPrefix(resp.Body, "%PDF-") {
			t.Fatalf("body starts %q, want %%PDF-", resp.Body[:min(len(resp.Body), 20)])
		}
		if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="annex-sanctions-2000-H2.pdf"` {
			t.Fatalf("Content-Disposition=%q", cd)
		}
	})
	invalid := []struct{ query, field string }{
		{"?period=2000H3", "period"},
		{"?period=H2", "period"},
		{"?period=2000H2&format=xml", "format"},
		{"?period=2000H2&format=html", "format"},
		{"?period=2000H2&year=2000", "year"},
	}
	for _, tt := range invalid {
		t.Run(tt.query, func(t *testing.T) {
			p := mustProblem(t, s.Do(t, "GET", path+tt.query, "", as("analyst")...), http.StatusUnprocessableEntity)
			if p.Field != tt.field {
				t.Fatalf("Field=%q, want %q (%+v)", p.Field, tt.field, p)
			}
		})
	}
}

// TestRegisterPages checks the register's pages: who sees them, what they
// show, and the hold form's errors next to their field.
func TestRegisterPages(t *testing.T) {
	s := mustOpenSanctions(t)
	pages := []struct {
		path string
		want []string
	}{
		{"/register", []string{`<h1>Sanctions register</h1>`, `id="register-day">Status as of 2000-11-22.`,
			`data-entity="` + suparcoName + `" data-measure="deny_missile_contracts" data-status="active"`,
			`data-entity="` + cnName + `" data-measure="deny_missile_licences" data-status="waived"`,
			`<tr class="hold" id="hold-1" data-in-force="false">`, `href="/register/transfers/4">NOV2000-PK-II-SUPARCO</a>`,
			`href="/register/report?period=2000H2"`, `id="hold-form"`}},
		{"/register?status=waived&day=2000-12-31", []string{`data-status="waived"`, `<option value="waived" selected>`}},
		{"/register?q=suparco", []string{`<ul id="entity-results">`, `<a href="/register/entities/3">` + suparcoName + `</a> (PK), also SUPARCO`,
			`<ul id="transfer-results">`, `<a href="/register/transfers/4">NOV2000-PK-II-SUPARCO</a>, 2000-11-21: Category II items to SUPARCO`}},
		{"/register?q=nobody", []string{`<p id="no-entities">No entity of the register is called nobody.</p>`}},
		{"/register/entities/3", []string{`<h1 id="entity-name">` + suparcoName + `</h1>`, `<dd id="entity-aliases">SUPARCO</dd>`,
			`<tr class="measure" data-measure="deny_missile_licences" data-status="active">`, `href="/register/transfers/4">NOV2000-PK-II-SUPARCO</a>`}},
		{"/register/entities/1?day=2000-11-20", []string{`<h2>Measures on 2000-11-20</h2>`, `data-status="pending"`}},
		{"/register/transfers/4", []string{`<h1 id="transfer-title">NOV2000-PK-II-SUPARCO: Category II items to SUPARCO</h1>`,
			`<section class="determination" id="determination-3">`, `<a href="/register/entities/3">` + suparcoName + `</a>`,
			`<td class="day">2002-11-21</td><td>waived</td>`, `<td class="day">2002-11-21</td><td>active</td>`}},
		{"/register/report?period=2000H2", []string{`<h1>Transfers and sanctions, 2000 H2</h1>`, `id="timeline"`,
			`href="/register/report?period=2000H2&amp;format=csv" id="report-csv"`, `<td><a href="/register/transfers/4">NOV2000-PK-II-SUPARCO</a></td>`}},
	}
	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) {
			resp := s.Do(t, "GET", pg.path, "", cookie("analyst")...)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, resp.Body, pg.want...)
			mustStatus(t, s.Do(t, "GET", pg.path, "", cookie("officer")...), http.StatusOK)
			resp = s.Do(t, "GET", pg.path, "", cookie("exporter")...)
			mustStatus(t, resp, http.StatusForbidden)
			mustContain(t, resp.Body, `id="error-message">This is for`)
			resp = s.Do(t, "GET", pg.path, "")
			mustStatus(t, resp, http.StatusSeeOther)
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
				t.Fatalf("Location=%q", loc)
			}
		})
	}
	t.Run("ReaderCannotWrite", func(t *testing.T) {
		resp := s.Do(t, "GET", "/register", "", cookie("officer")...)
		mustStatus(t, resp, http.StatusOK)
		if strings.Contains(resp.Body, `id="hold-form"`) || strings.Contains(resp.Body, `/register/holds/1/end`) {
			t.Fatalf("a licensing officer is offered the hold forms")
		}
	})
	t.Run("ReportFormats", func(t *testing.T) {
		resp := s.Do(t, "GET", "/register/report?period=2000H2&format=csv", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		if !strings.HasPrefix(resp.Body, strings.Join(annex.SanctionsCSVHeader, ",")+"\n") {
			t.Fatalf("CSV starts %q", resp.Body[:min(len(resp.Body), 80)])
		}
		resp = s.Do(t, "GET", "/register/report?period=2000H2&format=pdf", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusOK)
		if !strings.HasPrefix(resp.Body, "%PDF-") {
			t.Fatalf("PDF starts %q", resp.Body[:min(len(resp.Body), 20)])
		}
		resp = s.Do(t, "GET", "/register/report?period=2000H3", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, "must be a half year")
	})

	hold := url.Values{"country": {"cn"}, "class": {"rocket_system"}, "effect": {"deny"}, "from": {"2000-11-21"},
		"until": {"2000-11-01"}, "reason": {"Launch cooperation suspended."}}
	t.Run("HoldUntilBeforeFrom", func(t *testing.T) {
		resp := s.Do(t, "POST", "/register/holds", hold.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<details id="new-hold" open>`,
			`<div class="field invalid"><label for="hold-until">`,
			`<p class="field-error" id="hold-until-error">must not be before from</p>`,
			`id="hold-from" name="from" value="2000-11-21">`, `id="hold-until" name="until" value="2000-11-01">`,
			`id="hold-country" name="country" value="CN"`, `id="hold-reason" name="reason" value="Launch cooperation suspended."`,
			`<option value="deny" selected>`,
			// The rest of the register is still there.
			`data-entity="`+suparcoName+`"`)
		if strings.Contains(resp.Body, `id="hold-from-error"`) {
			t.Fatalf("an error shows next to from, which is valid")
		}
	})
	t.Run("Hold", func(t *testing.T) {
		ok := url.Values{}
		for k, v := range hold {
			ok[k] = v
		}
		ok.Set("until", "")
		ok.Set("effect", "refer")
		resp := s.Do(t, "POST", "/register/holds", ok.Encode(), cookie("senior")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/register#holds" {
			t.Fatalf("Location=%q", loc)
		}
		// The register is given the form as entered; it validates and
		// tidies it.
		hs := recorded(s, &s.holds)
		want := annex.Hold{Country: "cn", Class: "rocket_system", Reason: "Launch cooperation suspended.", From: "2000-11-21", Effect: annex.RecommendRefer}
		if diff := cmp.Diff(want, hs[len(hs)-1]); diff != "" {
			t.Fatalf("hold mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("EndHold", func(t *testing.T) {
		resp := s.Do(t, "POST", "/register/holds/1/end", url.Values{"until": {"2000-11-20"}}.Encode(), cookie("analyst")...)
		mustStatus(t, resp, http.StatusSeeOther)
		resp = s.Do(t, "POST", "/register/holds/1/end", "", cookie("analyst")...)
		mustStatus(t, resp, http.StatusSeeOther)
		if ended := recorded(s, &s.ended); !slices.Equal(ended, []string{"1 2000-11-20", "1 2000-11-22"}) {
			t.Fatalf("ended=%q, want the day given, then the register's day", ended)
		}
	})
	t.Run("WritesRefused", func(t *testing.T) {
		before := len(recorded(s, &s.holds))
		for _, user := range []string{"exporter", "officer", "customs", "reviewer"} {
			for _, path := range []string{"/register/holds", "/register/holds/1/end"} {
				resp := s.Do(t, "POST", path, hold.Encode(), cookie(user)...)
				mustStatus(t, resp, http.StatusForbidden)
			}
		}
		if len(recorded(s, &s.holds)) != before {
			t.Fatalf("a refused user entered a hold")
		}
	})
}

// jsonNames returns the sorted JSON names of a struct's fields, with those
// of embedded structs.
func jsonNames(t reflect.Type) []string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case f.Anonymous && tag == "":
			out = append(out, jsonNames(f.Type)...)
		case name == "-" || !f.IsExported():
		case name == "":
			out = append(out, f.Name)
		default:
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// openAPIOperation is the part of an operation TestSanctionsOpenAPI reads.
type openAPIOperation struct {
	OperationID string            `json:"operationId"`
	Tags        []string          `json:"tags"`
	Summary     string            `json:"summary"`
	Description string            `json:"description"`
	Security    []json.RawMessage `json:"security"`
	Parameters  []struct {
		Name     string          `json:"name"`
		In       string          `json:"in"`
		Required bool            `json:"required"`
		Example  json.RawMessage `json:"example"`
	} `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema   map[string]string `json:"schema"`
			Example  json.RawMessage   `json:"example"`
			Examples map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"examples"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Ref     string `json:"$ref"`
		Content map[string]struct {
			Schema map[string]string `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

// measureView is a measure as the register's views show it.
type measureView struct {
	annex.Measure
	Status annex.MeasureStatus `json:"status"`
}

// TestSanctionsOpenAPI checks the register's part of the OpenAPI document
// against the handlers: the schemas name the Go types' JSON fields and
// their examples decode strictly and validate, every documented query
// parameter is accepted, and the 200 responses have the documented fields.
func TestSanctionsOpenAPI(t *testing.T) {
	s := mustOpenSanctions(t)
	resp := s.Do(t, "GET", "/api/v1/openapi.json", "")
	mustStatus(t, resp, http.StatusOK)
	var doc struct {
		Tags []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"tags"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
				Example    json.RawMessage            `json:"example"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !slices.ContainsFunc(doc.Tags, func(tag struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}) bool {
		return tag.Name == "sanctions" && tag.Description != ""
	}) {
		t.Errorf("no sanctions tag with a description")
	}

	types := map[string]any{
		"SanctionEntity": annex.SanctionEntity{}, "ListRef": annex.ListRef{}, "TransferReport": annex.TransferReport{},
		"ReportItem": annex.ReportItem{}, "EvidenceSource": annex.EvidenceSource{}, "DeterminationInput": annex.DeterminationInput{},
		"TransferParty": annex.TransferParty{}, "DeterminationResult": annex.DeterminationResult{}, "Measure": measureView{},
		"Determination": annex.Determination{}, "Waiver": annex.Waiver{}, "Hold": annex.Hold{},
		"SanctionsReport": annex.SanctionsReport{}, "TransferLine": annex.TransferLine{}, "WaiverLine": annex.WaiverLine{},
		"SanctionsTotals": annex.SanctionsTotals{}, "Tally": annex.Tally{}, "MeasureTally": annex.MeasureTally{},
		"CountryTally": annex.CountryTally{},
		"DeterminationRequest": struct {
			Date  string   `json:"date"`
			Note  string   `json:"note"`
			Packs []string `json:"packs"`
		}{},
		"HoldEnd": struct {
			Until string `json:"until"`
		}{},
	}
	for name, v := range types {
		t.Run("Schema/"+name, func(t *testing.T) {
			schema, ok := doc.Components.Schemas[name]
			if !ok {
				t.Fatalf("schema %s is missing", name)
			}
			var props []string
			for p := range schema.Properties {
				props = append(props, p)
			}
			slices.Sort(props)
			if diff := cmp.Diff(jsonNames(reflect.TypeOf(v)), props); diff != "" {
				t.Fatalf("properties (-Go fields +schema):\n%s", diff)
			}
			if schema.Example == nil {
				return
			}
			dst := reflect.New(reflect.TypeOf(v)).Interface()
			dec := json.NewDecoder(bytes.NewReader(schema.Example))
			dec.DisallowUnknownFields()
			if err := dec.Decode(dst); err != nil {
				t.Fatalf("example does not decode: %v", err)
			}
			if vd, ok := dst.(interface{ Validate() error }); ok {
				if err := vd.Validate(); err != nil {
					t.Fatalf("example does not validate: %v", err)
				}
			}
		})
	}
	t.Run("ListRefSources", func(t *testing.T) {
		var src struct {
			Enum []string `json:"enum"`
		}
		if err := json.Unmarshal(doc.Components.Schemas["ListRef"].Properties["source"], &src); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, v := range annex.ListSources {
			if v != annex.SourceRegister {
				want = append(want, string(v))
			}
		}
		if diff := cmp.Diff(want, src.Enum); diff != "" {
			t.Fatalf("ListRef.source enum (-want +got):\n%s", diff)
		}
	})

	// The request bodies' examples decode as the handlers decode them and
	// validate.
	bodies := map[string]func() any{
		"POST /api/v1/sanctions/entities":  func() any { return &annex.SanctionEntity{} },
		"POST /api/v1/sanctions/transfers": func() any { return &annex.TransferReport{} },
		"POST /api/v1/sanctions/transfers/{id}/determinations": func() any {
			return &struct {
				Date, Note string
				Packs      []string
			}{}
		},
		"POST /api/v1/sanctions/waivers":        func() any { return &annex.Waiver{} },
		"POST /api/v1/sanctions/holds":          func() any { return &annex.Hold{} },
		"POST /api/v1/sanctions/holds/{id}/end": func() any { return &struct{ Until string }{} },
	}
	var ops []string
	for path, methods := range doc.Paths {
		if !strings.HasPrefix(path, "/api/v1/sanctions/") {
			continue
		}
		for method, raw := range methods {
			name := strings.ToUpper(method) + " " + path
			ops = append(ops, name)
			t.Run(name, func(t *testing.T) {
				var op openAPIOperation
				if err := json.Unmarshal(raw, &op); err != nil {
					t.Fatalf("operation: %v", err)
				}
				public := name == "POST /api/v1/sanctions/determine"
				if op.OperationID == "" || op.Summary == "" || !slices.Equal(op.Tags, []string{"sanctions"}) {
					t.Fatalf("operationId %q, summary %q, tags %q", op.OperationID, op.Summary, op.Tags)
				}
				if public != (len(op.Security) == 0) || op.Security == nil {
					t.Fatalf("security %s; public %v", op.Security, public)
				}
				if !public && (!strings.Contains(op.Description, "exporter") || op.Responses["401"].Ref == "" || op.Responses["403"].Ref == "") {
					t.Fatalf("description %q and responses %v must say who may call it", op.Description, op.Responses)
				}
				if op.Responses["422"].Ref != "#/components/responses/Invalid" {
					t.Fatalf("no 422 problem response")
				}
				if method == "post" {
					checkBodyExamples(t, name, op, bodies[name])
					return
				}
				checkGet(t, s, path, op, doc.Components.Schemas)
			})
		}
	}
	if len(ops) != 16 {
		t.Errorf("%d operations under /api/v1/sanctions/, want 16: %q", len(ops), ops)
	}
}

// checkBodyExamples checks that a request body's examples decode strictly
// into the type the handler decodes (the determination contract through
// its own decoder) and validate.
func checkBodyExamples(t *testing.T, name string, op openAPIOperation, newBody func() any) {
	t.Helper()
	if op.RequestBody == nil {
		t.Fatalf("no request body")
	}
	c := op.RequestBody.Content["application/json"]
	examples := map[string]json.RawMessage{}
	if c.Example != nil {
		examples["example"] = c.Example
	}
	for k, ex := range c.Examples {
		examples[k] = ex.Value
	}
	if len(examples) == 0 {
		t.Fatalf("no request example")
	}
	for k, ex := range examples {
		if name == "POST /api/v1/sanctions/determine" {
			if _, err := annex.DecodeDeterminationInput(bytes.NewReader(ex)); err != nil {
				t.Errorf("example %s: %v", k, err)
			}
			continue
		}
		if newBody == nil {
			t.Fatalf("no Go type for the body of %s", name)
		}
		dst := newBody()
		dec := json.NewDecoder(bytes.NewReader(ex))
		dec.DisallowUnknownFields()
		if err := dec.Decode(dst); err != nil {
			t.Errorf("example %s does not decode: %v", k, err)
			continue
		}
		if v, ok := dst.(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				t.Errorf("example %s does not validate: %v", k, err)
			}
		}
	}
}

// checkGet calls a GET operation with every documented query parameter set
// to its example, as an analyst, and checks that the handler accepts them
// and answers with the fields of the documented schema.
func checkGet(t *testing.T, s *registerServer, path string, op openAPIOperation, schemas map[string]struct {
	Required   []string                   `json:"required"`
	Properties map[string]json.RawMessage `json:"properties"`
	Example    json.RawMessage            `json:"example"`
}) {
	t.Helper()
	q := url.Values{}
	for _, p := range op.Parameters {
		var v any
		if err := json.Unmarshal(p.Example, &v); err != nil {
			t.Fatalf("parameter %s has no example: %v", p.Name, err)
		}
		switch p.In {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.Name+"}", fmt.Sprint(v))
		case "query":
			q.Set(p.Name, fmt.Sprint(v))
		}
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	resp := s.Do(t, "GET", path, "", as("analyst")...)
	mustStatus(t, resp, http.StatusOK)
	ref := op.Responses["200"].Content["application/json"].Schema["$ref"]
	schema, ok := schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
	if !ok {
		t.Fatalf("200 response schema %q", ref)
	}
	var body map[string]json.RawMessage
	mustDecode(t, resp, &body)
	for key := range body {
		if _, ok := schema.Properties[key]; !ok {
			t.Errorf("%s answers %q, which %s does not document", path, key, ref)
		}
	}
	for _, key := range schema.Required {
		if _, ok := body[key]; !ok {
			t.Errorf("%s lacks %q, which %s requires", path, key, ref)
		}
	}
}
