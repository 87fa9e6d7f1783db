package sanction_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"annex"
	"annex/sanction"
)

// memberships are the test's MTCR partners and adherents, with the day
// each joined.
var memberships = map[string]string{
	"GB": "1987-04-16",
	"FR": "1987-04-16",
	"US": "1987-04-16",
	"IN": "2016-06-27",
}

func testAdherent(iso2, day string) bool {
	joined, ok := memberships[iso2]
	return ok && joined <= day
}

// testClassify is a small classifier with the control list's conventions:
// a rocket system is Category I at 500 kg to 300 km and Category II at
// 300 km with less, or with its payload not given, when 1.A.1 is left
// undecided; a solid rocket motor is Category I from 1.1e6 N·s and
// Category II from 8.41e5 N·s. Field errors name "kind" for one item and
// "[i].kind" for several.
func testClassify(items []annex.Item) ([]*annex.Classification, error) {
	var out []*annex.Classification
	var errs []annex.FieldError
	for i, it := range items {
		path := ""
		if len(items) > 1 {
			path = fmt.Sprintf("[%d].", i)
		}
		cl := &annex.Classification{Kind: it.Kind, Status: annex.StatusNotListed}
		num := func(k string) (float64, bool) {
			v, ok := it.Params[k].(float64)
			return v, ok
		}
		switch it.Kind {
		case "rocket_system":
			r, okR := num("range_km")
			p, okP := num("payload_kg")
			switch {
			case !okR:
				cl.Status, cl.Summary = annex.StatusIncomplete, "range_km is needed"
			case r >= 300 && !okP:
				cl.Category = annex.CategoryII
				cl.Notes = append(cl.Notes, annex.Note{Type: annex.NoteUndecided, Entry: "1.A.1", Text: "Entry 1.A.1 could not be decided: give params.payload_kg."})
			case r >= 300 && p >= 500:
				cl.Category = annex.CategoryI
			case r >= 300:
				cl.Category = annex.CategoryII
			}
		case "solid_rocket_motor":
			ti, ok := num("total_impulse_ns")
			switch {
			case !ok:
				cl.Status, cl.Summary = annex.StatusIncomplete, "total_impulse_ns is needed"
			case ti >= 1.1e6:
				cl.Category = annex.CategoryI
			case ti >= 8.41e5:
				cl.Category = annex.CategoryII
			}
		default:
			errs = append(errs, annex.FieldError{Field: path + "kind", Message: "unknown kind " + it.Kind})
		}
		if cl.Category != "" {
			cl.Status, cl.Controlled = annex.StatusControlled, true
		}
		out = append(out, cl)
	}
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	return out, nil
}

func mustLoadPacks(tb testing.TB) []*sanction.Pack {
	tb.Helper()
	packs, err := sanction.LoadPacks()
	if err != nil {
		tb.Fatalf("LoadPacks: %v", err)
	}
	return packs
}

func newEngine(tb testing.TB) *sanction.Engine {
	return &sanction.Engine{
		Packs:    mustLoadPacks(tb),
		Default:  []string{sanction.DefaultPack},
		Adherent: testAdherent,
		Classify: testClassify,
	}
}

type wantMeasure struct {
	Entity     string `json:"entity"`
	Role       string `json:"role"`
	EntityID   int64  `json:"entity_id"`
	Measure    string `json:"measure"`
	LegalBasis string `json:"legal_basis"` // a substring of the legal basis
	Start      string `json:"start"`
	End        string `json:"end"`
	Minimum    bool   `json:"minimum"`
}

type determinationCase struct {
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
	// Category is the category the result should give, when set.
	Category string `json:"category"`
	// Reason is a substring of one of the reasons, when set.
	Reason   string        `json:"reason"`
	Measures []wantMeasure `json:"measures"`
	// Error is the field an EINVALID error should name.
	Error string `json:"error"`
	// Waiver, when set, waives the measures on its entity after the
	// determination, as the register does: CheckWaiver must accept it, or
	// refuse it naming WaiverError.
	Waiver      *caseWaiver `json:"waiver"`
	WaiverError string      `json:"waiver_error"`
	// Statuses are where the measures on an entity stand on a day, after
	// the waiver: every measure on the entity must have the status.
	Statuses []caseStatus `json:"statuses"`
}

// caseWaiver is a waiver of every measure on an entity.
type caseWaiver struct {
	Entity string `json:"entity"`
	annex.Waiver
}

// caseStatus is the status the measures on an entity have on a day.
type caseStatus struct {
	Day    string              `json:"day"`
	Entity string              `json:"entity"`
	Status annex.MeasureStatus `json:"status"`
}

// decodeInput decodes a case's input as it is, bypassing the category's
// own JSON check so that the engine's validation is what is tested.
func decodeInput(t *testing.T, raw json.RawMessage) annex.DeterminationInput {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	var cat string
	if c, ok := fields["category"]; ok {
		if err := json.Unmarshal(c, &cat); err != nil {
			t.Fatal(err)
		}
		delete(fields, "category")
	}
	rest, _ := json.Marshal(fields)
	dec := json.NewDecoder(bytes.NewReader(rest))
	dec.DisallowUnknownFields()
	var in annex.DeterminationInput
	if err := dec.Decode(&in); err != nil {
		t.Fatalf("input: %v", err)
	}
	in.Category = annex.Category(cat)
	return in
}

func TestDetermine(t *testing.T) {
	b, err := os.ReadFile("testdata/determinations.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []determinationCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 24 {
		t.Fatalf("%d cases, want at least 24", len(cases))
	}
	e := newEngine(t)
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			in := decodeInput(t, tt.Input)
			res, err := e.Determine(in)
			if tt.Error != "" {
				checkFieldError(t, err, tt.Error)
				return
			}
			if err != nil {
				t.Fatalf("Determine: %v", err)
			}
			checkResult(t, &tt, res)
			checkWaiverAndStatuses(t, e, &tt, res)
		})
	}
}

// checkWaiverAndStatuses applies the case's waiver to the result's
// measures as the register would, and checks their statuses by day.
func checkWaiverAndStatuses(t *testing.T, e *sanction.Engine, tt *determinationCase, res *annex.DeterminationResult) {
	t.Helper()
	if w := tt.Waiver; w != nil {
		var ms []*annex.Measure
		for i := range res.Measures {
			if res.Measures[i].Entity == w.Entity {
				ms = append(ms, &res.Measures[i])
			}
		}
		if len(ms) == 0 {
			t.Fatalf("the waiver's entity %q has no measure", w.Entity)
		}
		waiver := w.Waiver
		waiver.EntityID = 1 // the register's entity of the measures
		err := sanction.CheckWaiver(e.Packs, &waiver, ms)
		if tt.WaiverError != "" {
			checkFieldError(t, err, tt.WaiverError)
			return
		}
		if err != nil {
			t.Fatalf("CheckWaiver: %v", err)
		}
		for _, m := range ms {
			m.WaivedFrom = waiver.Effective
		}
	} else if tt.WaiverError != "" {
		t.Fatal("waiver_error without a waiver")
	}
	for _, st := range tt.Statuses {
		n := 0
		for _, m := range res.Measures {
			if m.Entity != st.Entity {
				continue
			}
			n++
			if got := m.Status(st.Day); got != st.Status {
				t.Errorf("%s %s on %s: %s, want %s", m.Entity, m.Measure, st.Day, got, st.Status)
			}
		}
		if n == 0 {
			t.Errorf("no measure on %q to check on %s", st.Entity, st.Day)
		}
	}
}

func checkFieldError(t *testing.T, err error, field string) {
	t.Helper()
	if annex.ErrorCode(err) != annex.EINVALID {
		t.Fatalf("err=%v, want EINVALID naming %s", err, field)
	}
	var names []string
	for _, f := range annex.ErrorFields(err) {
		names = append(names, f.Field)
	}
	if !slices.Contains(names, field) {
		t.Errorf("error fields %q, want %q (%v)", names, field, err)
	}
}

func checkResult(t *testing.T, tt *determinationCase, res *annex.DeterminationResult) {
	t.Helper()
	if res.Measures == nil {
		t.Error("Measures is nil, want [] when empty")
	}
	if tt.Category != "" && string(res.Category) != tt.Category {
		t.Errorf("Category=%q, want %q", res.Category, tt.Category)
	}
	if tt.Reason != "" && !slices.ContainsFunc(res.Reasons, func(r string) bool { return strings.Contains(r, tt.Reason) }) {
		t.Errorf("no reason says %q:\n%s", tt.Reason, strings.Join(res.Reasons, "\n"))
	}
	if len(res.Reasons) == 0 {
		t.Error("no reasons")
	}
	if len(res.Packs) == 0 || !strings.Contains(res.Packs[0], "@") {
		t.Errorf("Packs=%q, want id@version", res.Packs)
	}
	if len(res.Measures) != len(tt.Measures) {
		t.Fatalf("%d measures, want %d:\n%s", len(res.Measures), len(tt.Measures), describe(res.Measures))
	}
	for i, w := range tt.Measures {
		m := res.Measures[i]
		if m.Entity != w.Entity || string(m.Measure) != w.Measure || !strings.Contains(m.LegalBasis, w.LegalBasis) ||
			m.Start != w.Start || m.End != w.End || m.Minimum != w.Minimum ||
			(w.Role != "" && m.Role != w.Role) || m.EntityID != w.EntityID {
			t.Errorf("measure %d = %s %s %q %s..%s minimum=%v role=%s id=%d, want %s %s %q %s..%s minimum=%v role=%s id=%d",
				i, m.Entity, m.Measure, m.LegalBasis, m.Start, m.End, m.Minimum, m.Role, m.EntityID,
				w.Entity, w.Measure, w.LegalBasis, w.Start, w.End, w.Minimum, w.Role, w.EntityID)
		}
		if err := m.Validate(); err != nil {
			t.Errorf("measure %d does not validate: %v", i, err)
		}
		if m.Pack == "" || m.Description == "" || m.Country == "" {
			t.Errorf("measure %d lacks pack, description or country: %+v", i, m)
		}
	}
}

func describe(ms []annex.Measure) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "  %s %s %s %s..%s\n", m.Entity, m.Measure, m.LegalBasis, m.Start, m.End)
	}
	return b.String()
}

// TestDetermineEmptyJSON checks that no measures encode as [], not null.
func TestDetermineEmptyJSON(t *testing.T) {
	res, err := newEngine(t).Determine(annex.DeterminationInput{
		Date: "2000-01-10", Category: annex.CategoryI,
		Supplier: annex.TransferParty{Name: "A", Country: "KP"}, Recipient: annex.TransferParty{Name: "B", Country: "GB"},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	if !bytes.Contains(b, []byte(`"measures":[]`)) {
		t.Errorf("JSON %s, want \"measures\":[]", b)
	}
}

// TestDetermineWithoutClassifier checks that items need a classifier.
func TestDetermineWithoutClassifier(t *testing.T) {
	e := newEngine(t)
	e.Classify = nil
	_, err := e.Determine(annex.DeterminationInput{
		Date:     "2000-01-10",
		Supplier: annex.TransferParty{Name: "A", Country: "KP"}, Recipient: annex.TransferParty{Name: "B", Country: "PK"},
		Items: []annex.Item{{Kind: "rocket_system"}},
	})
	checkFieldError(t, err, "items")
}

// TestDetermineNoAdherents checks that a nil Adherent exempts no one.
func TestDetermineNoAdherents(t *testing.T) {
	e := newEngine(t)
	e.Adherent = nil
	res, err := e.Determine(annex.DeterminationInput{
		Date: "2000-01-10", Category: annex.CategoryII,
		Supplier: annex.TransferParty{Name: "A", Country: "KP"}, Recipient: annex.TransferParty{Name: "B", Country: "GB"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Measures) != 4 {
		t.Errorf("%d measures, want 4:\n%s", len(res.Measures), describe(res.Measures))
	}
}

// TestDetermineDeterministic checks that the same input gives the same
// result, and that Determine leaves the input as it was given.
func TestDetermineDeterministic(t *testing.T) {
	e := newEngine(t)
	in := annex.DeterminationInput{
		Date: "2007-01-16", Category: annex.CategoryI, SubstantiallyContributed: true,
		Supplier: annex.TransferParty{Name: "A", Country: "KP"}, Recipient: annex.TransferParty{Name: "B", Country: "SY"},
		Others: []annex.TransferParty{{Name: "C", Country: "AE", Role: annex.TransferAgent}},
		Packs:  []string{"us-inksna", "us-missile"},
	}
	first, err := e.Determine(in)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := e.Determine(in)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(again)
		if !bytes.Equal(a, b) {
			t.Fatalf("results differ:\n%s\n%s", a, b)
		}
	}
	// 3 parties × (4 INKSNA + 3 missile) measures, the packs in the order named.
	if len(first.Measures) != 21 || first.Measures[0].Pack != "us-inksna" || first.Measures[4].Pack != "us-missile" {
		t.Errorf("got:\n%s", describe(first.Measures))
	}
	if in.Supplier.Role != "" {
		t.Errorf("input changed: supplier role %q", in.Supplier.Role)
	}
}

// TestUSMissilePack checks the contract's five measure kinds and the
// pack's notice periods.
func TestUSMissilePack(t *testing.T) {
	var p *sanction.Pack
	for _, q := range mustLoadPacks(t) {
		if q.ID == sanction.DefaultPack {
			p = q
		}
	}
	if p == nil {
		t.Fatal("no us-missile pack")
	}
	var kinds []annex.MeasureKind
	for _, r := range p.Rules {
		if !slices.Contains(kinds, r.Measure) {
			kinds = append(kinds, r.Measure)
		}
	}
	want := []annex.MeasureKind{annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences,
		annex.MeasureDenyAllContracts, annex.MeasureDenyAllUSMLLicences, annex.MeasureImportBan}
	slices.Sort(kinds)
	slices.Sort(want)
	if !slices.Equal(kinds, want) {
		t.Errorf("measure kinds %q, want %q", kinds, want)
	}
	if !p.ForeignPersonsOnly || p.Discretionary || p.Country != "US" {
		t.Errorf("foreign_persons_only=%v discretionary=%v country=%s", p.ForeignPersonsOnly, p.Discretionary, p.Country)
	}
	if p.Covers("1990-11-05") || !p.Covers("1990-11-06") {
		t.Errorf("window %s, want transfers after 1990-11-05", p.Window())
	}
	days := map[string]int{}
	for _, n := range p.WaiverNotices {
		days[n.Statute] = n.WorkingDays
	}
	if days["AECA"] != 45 || days["EAA"] != 20 {
		t.Errorf("notice periods %v, want AECA 45 and EAA 20", days)
	}
}

// TestINKSNAPack checks INKSNA's countries and dates.
func TestINKSNAPack(t *testing.T) {
	var p *sanction.Pack
	for _, q := range mustLoadPacks(t) {
		if q.ID == "us-inksna" {
			p = q
		}
	}
	if p == nil {
		t.Fatal("no us-inksna pack")
	}
	if !p.Discretionary {
		t.Error("INKSNA is discretionary")
	}
	want := map[string]string{"IR": "2000-03-14", "KP": "2005-11-22", "SY": "2006-10-13"}
	got := map[string]string{}
	for _, rc := range p.RecipientCountries {
		got[rc.Country] = rc.From
		if rc.Confidence == "" {
			t.Errorf("%s has no confidence", rc.Country)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("countries %v, want %v", got, want)
	}
	for _, r := range p.Rules {
		if r.Years != 2 {
			t.Errorf("rule %s: %d years, want 2", r.ID, r.Years)
		}
	}
}
