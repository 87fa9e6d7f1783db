package sanction_test

import (
	"strings"
	"testing"
	"time"

	"annex"
	"annex/sanction"
)

func TestWorkingDays(t *testing.T) {
	tests := []struct {
		from, to string
		want     int
	}{
		{"2000-11-20", "2000-11-20", 0}, // same day
		{"2000-11-17", "2000-11-20", 1}, // Friday to Monday
		{"2000-11-18", "2000-11-20", 0}, // Saturday to Monday
		{"2000-11-20", "2000-11-27", 5}, // a week
		{"2000-11-20", "2000-11-25", 5}, // Monday to Saturday
		{"2000-01-03", "2000-03-06", 45},
		{"2000-11-20", "2000-11-13", 0}, // backwards
		{"2000-11-20", "not a day", 0},
	}
	for _, tt := range tests {
		if got := sanction.WorkingDays(tt.from, tt.to); got != tt.want {
			t.Errorf("WorkingDays(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	// Against a day-by-day count over a long span.
	for _, to := range []string{"2001-01-01", "2003-07-19", "2010-02-28"} {
		got := sanction.WorkingDays("2000-11-21", to)
		if want := countWeekdays(t, "2000-11-21", to); got != want {
			t.Errorf("WorkingDays(2000-11-21, %s) = %d, want %d", to, got, want)
		}
	}
}

// countWeekdays counts Mondays to Fridays from one day up to another, one
// day at a time.
func countWeekdays(t *testing.T, from, to string) int {
	t.Helper()
	a, err := time.Parse(time.DateOnly, from)
	if err != nil {
		t.Fatal(err)
	}
	b, err := time.Parse(time.DateOnly, to)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for d := a; d.Before(b); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n++
		}
	}
	return n
}

func TestCheckWaiver(t *testing.T) {
	packs := mustLoadPacks(t)
	both := &annex.Measure{Entity: "A", Measure: annex.MeasureDenyAllUSMLLicences, Pack: "us-missile",
		LegalBasis: "AECA §73(a)(2)(B)(ii); EAA §11B(b)(1)(B)(ii)", Start: "2000-11-21", End: "2002-11-21"}
	aeca := &annex.Measure{Entity: "A", Measure: annex.MeasureDenyAllContracts, Pack: "us-missile",
		LegalBasis: "AECA §73(a)(2)(B)(i)", Start: "2000-11-21", End: "2002-11-21"}
	eaa := &annex.Measure{Entity: "A", Measure: "deny_eaa_licences", Pack: "us-missile",
		LegalBasis: "EAA §11B(b)(1)(B)(ii)", Start: "2000-11-21", End: "2002-11-21"}
	inksna := &annex.Measure{Entity: "A", Measure: "deny_procurement", Pack: "us-inksna",
		LegalBasis: "INKSNA §3", Start: "2000-11-21", End: "2002-11-21"}
	unknownPack := &annex.Measure{Entity: "A", Measure: "deny_x", Pack: "xx-old",
		LegalBasis: "EAA §11B(b)(1)(B)(ii)", Start: "2000-11-21", End: "2002-11-21"}
	uncited := &annex.Measure{Entity: "A", Measure: "deny_x", Pack: "xx-old",
		LegalBasis: "Old Act §1", Start: "2000-11-21", End: "2002-11-21"}
	// From Monday 2000-09-04: 20 working days is Monday 2000-10-02, 45
	// is Monday 2000-11-06.
	waiver := func(notified, effective string) *annex.Waiver {
		return &annex.Waiver{EntityID: 1, Basis: annex.WaiverNationalSecurity, NotifiedOn: notified, Effective: effective, Reason: "essential to national security"}
	}
	tests := []struct {
		name     string
		w        *annex.Waiver
		measures []*annex.Measure
		wantErr  string // the field, or "" for none
		wantMsg  []string
	}{
		{"45 days for AECA", waiver("2000-09-04", "2000-11-06"), []*annex.Measure{aeca}, "", nil},
		{"44 days for AECA", waiver("2000-09-04", "2000-11-03"), []*annex.Measure{aeca}, "notified_on", []string{"45", "44", "AECA §73(e)"}},
		{"20 days for EAA alone", waiver("2000-09-04", "2000-10-02"), []*annex.Measure{eaa}, "", nil},
		{"19 days for EAA alone", waiver("2000-09-04", "2000-09-29"), []*annex.Measure{eaa}, "notified_on", []string{"20", "19", "EAA §11B(b)(5)"}},
		{"both statutes need the longer", waiver("2000-09-04", "2000-10-02"), []*annex.Measure{both}, "notified_on", []string{"45", "20"}},
		{"the longest over the measures", waiver("2000-09-04", "2000-10-02"), []*annex.Measure{eaa, aeca}, "notified_on", []string{"45"}},
		{"no notice given is not checked", waiver("", "2000-11-21"), []*annex.Measure{both}, "", nil},
		{"sole source needs no notice", &annex.Waiver{EntityID: 1, Basis: annex.WaiverSoleSource, NotifiedOn: "2000-11-20", Effective: "2000-11-21", Reason: "sole source"}, []*annex.Measure{both}, "", nil},
		{"INKSNA needs no notice", waiver("2000-11-20", "2000-11-21"), []*annex.Measure{inksna}, "", nil},
		{"an unknown pack: EAA cited, 20 days", waiver("2000-09-04", "2000-10-02"), []*annex.Measure{unknownPack}, "", nil},
		{"an unknown pack: EAA cited, 19 days", waiver("2000-09-04", "2000-09-29"), []*annex.Measure{unknownPack}, "notified_on", []string{"20"}},
		{"an unknown pack citing no statute takes the longest of all", waiver("2000-09-04", "2000-10-02"), []*annex.Measure{uncited}, "notified_on", []string{"45"}},
		{"a waiver may precede the measures' start", waiver("2000-09-04", "2000-11-06"), []*annex.Measure{both}, "", nil},
		{"the waiver itself is validated", waiver("2000-12-01", "2000-11-21"), []*annex.Measure{both}, "notified_on", []string{"before"}},
		{"a waiver without effective date", waiver("2000-09-04", ""), []*annex.Measure{both}, "effective", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sanction.CheckWaiver(packs, tt.w, tt.measures)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckWaiver: %v", err)
				}
				return
			}
			checkFieldError(t, err, tt.wantErr)
			for _, s := range tt.wantMsg {
				if !strings.Contains(annex.ErrorMessage(err), s) {
					t.Errorf("message %q does not say %q", annex.ErrorMessage(err), s)
				}
			}
		})
	}
}

// TestWaiverAndExpiry follows the November 2000 measures through a waiver
// of the supplier's and the expiry of the recipient's.
func TestWaiverAndExpiry(t *testing.T) {
	e := newEngine(t)
	res, err := e.Determine(annex.DeterminationInput{
		Date: "2000-11-21", Category: annex.CategoryI,
		Supplier:  annex.TransferParty{Name: "Chinese entities", Country: "CN"},
		Recipient: annex.TransferParty{Name: "Ministry of Defence", Country: "PK"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var supplier, recipient []*annex.Measure
	for i := range res.Measures {
		m := &res.Measures[i]
		if m.Role == annex.TransferSupplier {
			supplier = append(supplier, m)
		} else {
			recipient = append(recipient, m)
		}
	}
	if len(supplier) == 0 || len(recipient) == 0 {
		t.Fatalf("measures:\n%s", describe(res.Measures))
	}
	// The waiver of the same day, as in November 2000, notified in time.
	w := &annex.Waiver{EntityID: 1, Basis: annex.WaiverNationalSecurity, Effective: "2000-11-21", NotifiedOn: "2000-09-18", Reason: "China's commitment of 21 November 2000"}
	if err := sanction.CheckWaiver(e.Packs, w, supplier); err != nil {
		t.Fatalf("CheckWaiver: %v", err)
	}
	for _, m := range supplier {
		m.WaivedFrom = w.Effective
	}
	tests := []struct {
		day                 string
		supplier, recipient annex.MeasureStatus
	}{
		{"2000-11-20", annex.MeasurePending, annex.MeasurePending},
		{"2000-11-21", annex.MeasureWaived, annex.MeasureActive},
		{"2002-11-20", annex.MeasureWaived, annex.MeasureActive},
		{"2002-11-21", annex.MeasureWaived, annex.MeasureExpired},
	}
	for _, tt := range tests {
		for _, m := range supplier {
			if got := m.Status(tt.day); got != tt.supplier {
				t.Errorf("supplier %s on %s: %s, want %s", m.Measure, tt.day, got, tt.supplier)
			}
		}
		for _, m := range recipient {
			if got := m.Status(tt.day); got != tt.recipient {
				t.Errorf("recipient %s on %s: %s, want %s", m.Measure, tt.day, got, tt.recipient)
			}
		}
	}
}
