package annex_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

func TestHalfYear(t *testing.T) {
	tests := []struct {
		in, from, until string
	}{
		{"2000H2", "2000-07-01", "2000-12-31"},
		{"2000-H2", "2000-07-01", "2000-12-31"},
		{"2000 H2", "2000-07-01", "2000-12-31"},
		{"2001h1", "2001-01-01", "2001-06-30"},
		{" 1998 H1 ", "1998-01-01", "1998-06-30"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			from, until, err := annex.HalfYear(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if from != tt.from || until != tt.until {
				t.Errorf("HalfYear(%q) = %s, %s, want %s, %s", tt.in, from, until, tt.from, tt.until)
			}
		})
	}
	for _, in := range []string{"", "2000", "2000H3", "2000H0", "00H1", "0000H1", "2000 - H2", "H2 2000", "2000-07", "2000 H2x"} {
		t.Run("invalid "+in, func(t *testing.T) {
			_, _, err := annex.HalfYear(in)
			if code := annex.ErrorCode(err); code != annex.EINVALID {
				t.Fatalf("ErrorCode=%q, want %q (err %v)", code, annex.EINVALID, err)
			}
			if f := annex.ErrorFields(err); len(f) != 1 || f[0].Field != "period" {
				t.Errorf("ErrorFields=%v, want one naming period", f)
			}
		})
	}
}

// reportFixture is a register around 2000 H2, with records on both sides of
// the period's boundaries.
type reportFixture struct {
	reports  []*annex.TransferReport
	entities []*annex.SanctionEntity
	measures []*annex.Measure
	waivers  []*annex.Waiver
	holds    []*annex.Hold
}

func newReportFixture() reportFixture {
	shig := &annex.SanctionEntity{ID: 1, Name: "گروه صنعتی شهید همت, SHIG", Country: "IR"}
	cwic := &annex.SanctionEntity{ID: 2, Name: `China "Great Wall" Industry Corp.`, Country: "CN"}
	kp := &annex.SanctionEntity{ID: 3, Name: "Changgwang Sinyong Corporation", Country: "KP"}
	transfer := func(id int64, date string, from, to *annex.SanctionEntity, cat annex.Category) *annex.TransferReport {
		return &annex.TransferReport{ID: id, Reference: "TR-" + date, Title: "Transfer " + date, Date: date,
			SupplierID: from.ID, RecipientID: to.ID, Category: cat,
			Sources: []annex.EvidenceSource{{Citation: "a", Reliability: "B"}, {Citation: "b", Reliability: "D"}}}
	}
	measure := func(id int64, e *annex.SanctionEntity, kind annex.MeasureKind, start, end string) *annex.Measure {
		return &annex.Measure{ID: id, Entity: "as determined", EntityID: e.ID, Measure: kind, LegalBasis: "AECA §73",
			Start: start, End: end}
	}
	waived := measure(14, cwic, annex.MeasureDenyMissileContracts, "2000-08-01", "2002-08-01")
	waived.WaiverID, waived.WaivedFrom = 2, "2000-10-01"
	return reportFixture{
		entities: []*annex.SanctionEntity{shig, cwic, kp},
		reports: []*annex.TransferReport{
			transfer(1, "2000-06-30", kp, shig, annex.CategoryI),  // before
			transfer(2, "2000-07-01", kp, shig, annex.CategoryI),  // first day
			transfer(3, "2000-12-31", cwic, kp, annex.CategoryII), // last day
			transfer(4, "2001-01-01", cwic, shig, annex.CategoryII),
		},
		measures: []*annex.Measure{
			measure(11, kp, annex.MeasureDenyMissileLicences, "2000-06-30", "2002-06-30"), // imposed in H1, in force
			measure(12, kp, annex.MeasureImportBan, "2000-07-01", "2002-07-01"),           // imposed in H2, in force
			measure(13, shig, annex.MeasureDenyAllContracts, "1998-09-01", "2000-09-01"),  // expires inside H2
			waived, // imposed and waived in H2: not in force
			measure(15, shig, annex.MeasureDenyMissileLicences, "1999-01-01", "2000-07-01"), // expires on the first day
			measure(16, shig, annex.MeasureDenyMissileLicences, "1998-01-01", "2000-06-30"), // expired in H1
			measure(17, kp, annex.MeasureDenyAllContracts, "2001-01-01", "2003-01-01"),      // pending
			nil,
		},
		waivers: []*annex.Waiver{
			{ID: 1, EntityID: 3, Effective: "2000-06-01", Basis: annex.WaiverNationalSecurity, Reason: "before"},
			{ID: 2, MeasureIDs: []int64{14}, Effective: "2000-10-01", Basis: annex.WaiverSoleSource, Reason: "sole source"},
		},
		holds: []*annex.Hold{
			{ID: 1, Country: "CN", Class: "satellite_launch", From: "2000-11-21", Reason: "pending", Effect: annex.RecommendDeny},
			{ID: 2, Country: "PK", From: "1999-01-01", Until: "2000-06-30", Reason: "ended", Effect: annex.RecommendRefer},
			{ID: 3, Country: "KP", From: "1999-01-01", Until: "2000-07-01", Reason: "one day", Effect: annex.RecommendRefer},
		},
	}
}

func (f reportFixture) build(t *testing.T, period string) *annex.SanctionsReport {
	t.Helper()
	r, err := annex.BuildSanctionsReport(period, "2001-01-15", f.reports, f.entities, f.measures, f.waivers, f.holds)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func measureIDs(ms []annex.Measure) []int64 {
	ids := []int64{}
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestBuildSanctionsReportBoundaries(t *testing.T) {
	f := newReportFixture()
	h2 := f.build(t, "2000-H2")
	if h2.Period != "2000 H2" || h2.From != "2000-07-01" || h2.Until != "2000-12-31" || h2.GeneratedOn != "2001-01-15" {
		t.Errorf("period = %q %s..%s generated %s", h2.Period, h2.From, h2.Until, h2.GeneratedOn)
	}
	var transfers, waivers, holds []int64
	for _, l := range h2.Transfers {
		transfers = append(transfers, l.ID)
	}
	for _, w := range h2.Waivers {
		waivers = append(waivers, w.ID)
	}
	for _, h := range h2.Holds {
		holds = append(holds, h.ID)
	}
	h1 := f.build(t, "2000H1")
	tests := []struct {
		name      string
		got, want []int64
	}{
		{"transfers", transfers, []int64{2, 3}},
		{"imposed", measureIDs(h2.MeasuresImposed), []int64{12, 14}},
		{"in force", measureIDs(h2.MeasuresInForce), []int64{11, 12}},
		{"expired", measureIDs(h2.MeasuresExpired), []int64{15, 13}},
		{"waived", measureIDs(h2.MeasuresWaived), []int64{14}},
		{"waivers", waivers, []int64{2}},
		{"holds", holds, []int64{3, 1}},
		{"H1 imposed", measureIDs(h1.MeasuresImposed), []int64{11}},
		{"H1 in force", measureIDs(h1.MeasuresInForce), []int64{13, 15, 11}},
		{"H1 expired", measureIDs(h1.MeasuresExpired), []int64{16}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}

	// Parties, names and countries resolve through the register.
	l := h2.Transfers[0]
	if l.Supplier.Name != "Changgwang Sinyong Corporation" || l.Recipient.Country != "IR" ||
		!slices.Equal(l.Grades, []string{"B", "D"}) {
		t.Errorf("Transfers[0] = %+v", l)
	}
	if m := h2.MeasuresImposed[0]; m.Entity != "Changgwang Sinyong Corporation" || m.Country != "KP" {
		t.Errorf("MeasuresImposed[0] entity = %q (%s), want the register's", m.Entity, m.Country)
	}
	want := []annex.TransferParty{{Name: `China "Great Wall" Industry Corp.`, Country: "CN", EntityID: 2}}
	if diff := cmp.Diff(want, h2.Waivers[0].Entities); diff != "" {
		t.Errorf("waiver entities (-want +got):\n%s", diff)
	}
}

func TestBuildSanctionsReportTotals(t *testing.T) {
	r := newReportFixture().build(t, "2000 H2")
	want := annex.SanctionsTotals{Transfers: 2, MeasuresImposed: 2, MeasuresInForce: 2, MeasuresExpired: 2,
		MeasuresWaived: 1, Waivers: 1, Holds: 2,
		ByCategory: []annex.Tally{{Key: "I", Count: 1}, {Key: "II", Count: 1}},
		ByMeasure: []annex.MeasureTally{
			{Measure: annex.MeasureDenyMissileContracts, Imposed: 1},
			{Measure: annex.MeasureDenyMissileLicences, InForce: 1},
			{Measure: annex.MeasureImportBan, Imposed: 1, InForce: 1},
		},
		ByCountry: []annex.CountryTally{
			{Country: "CN", Supplied: 1, Imposed: 1},
			{Country: "IR", Received: 1},
			{Country: "KP", Supplied: 1, Received: 1, Imposed: 1, InForce: 2},
		},
	}
	if diff := cmp.Diff(want, r.Totals); diff != "" {
		t.Errorf("Totals (-want +got):\n%s", diff)
	}
}

func TestBuildSanctionsReportDeterministic(t *testing.T) {
	f := newReportFixture()
	want := f.build(t, "2000H2")
	slices.Reverse(f.reports)
	slices.Reverse(f.measures)
	slices.Reverse(f.entities)
	slices.Reverse(f.waivers)
	slices.Reverse(f.holds)
	if diff := cmp.Diff(want, f.build(t, "2000H2")); diff != "" {
		t.Errorf("report depends on input order (-want +got):\n%s", diff)
	}
}

func TestBuildSanctionsReportErrors(t *testing.T) {
	tests := []struct{ period, generatedOn, field string }{
		{"2000H5", "2001-01-01", "period"},
		{"2000H2", "01/01/2001", "generated_on"},
	}
	for _, tt := range tests {
		_, err := annex.BuildSanctionsReport(tt.period, tt.generatedOn, nil, nil, nil, nil, nil)
		if f := annex.ErrorFields(err); annex.ErrorCode(err) != annex.EINVALID || len(f) != 1 || f[0].Field != tt.field {
			t.Errorf("BuildSanctionsReport(%q, %q) err = %v, want EINVALID naming %s", tt.period, tt.generatedOn, err, tt.field)
		}
	}
	r, err := annex.BuildSanctionsReport("2000H2", "2001-01-01", nil, nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Transfers) != 0 || r.Transfers == nil || len(r.TimelineEvents()) != 0 {
		t.Errorf("empty report = %+v", r)
	}
}

func TestSanctionsReportCSV(t *testing.T) {
	r := newReportFixture().build(t, "2000H2")
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(annex.SanctionsCSVHeader, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	var sections []string
	for _, row := range rows[1:] {
		sections = append(sections, row[0])
	}
	wantSections := []string{"transfer", "transfer", "measure_imposed", "measure_imposed", "measure_in_force",
		"measure_in_force", "measure_expired", "measure_expired", "measure_waived", "waiver", "hold", "hold"}
	if diff := cmp.Diff(wantSections, sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	// The Persian name with its comma, and the quoted name, come back whole.
	expired := rows[7]
	if want := []string{"measure_expired", "2000-07-01", "گروه صنعتی شهید همت, SHIG", "IR", "deny_missile_licences",
		"AECA §73", "1999-01-01", "2000-07-01", "expired", "measure 15"}; !slices.Equal(expired, want) {
		t.Errorf("expired row = %q, want %q", expired, want)
	}
	if waiver := rows[10]; waiver[2] != `China "Great Wall" Industry Corp.` || waiver[9] != "measures 14; sole source" {
		t.Errorf("waiver row = %q", waiver)
	}
	if transfer := rows[1]; transfer[9] != "TR-2000-07-01: Transfer 2000-07-01; to گروه صنعتی شهید همت, SHIG (IR); sources B, D" {
		t.Errorf("transfer detail = %q", transfer[9])
	}
}

func TestSanctionsReportTimelineEvents(t *testing.T) {
	r := newReportFixture().build(t, "2000H2")
	ev := r.TimelineEvents()
	if !slices.IsSortedFunc(ev, func(a, b annex.TimelineEvent) int { return strings.Compare(a.Day, b.Day) }) {
		t.Errorf("events not sorted by day: %v", ev)
	}
	count := map[annex.TimelineKind]int{}
	ends := map[string]string{}
	for _, e := range ev {
		count[e.Kind]++
		if e.Kind == annex.TimelineMeasureEnd {
			ends[e.Key] = e.Day
		}
	}
	want := map[annex.TimelineKind]int{annex.TimelineTransfer: 2, annex.TimelineMeasureStart: 5,
		annex.TimelineMeasureEnd: 5, annex.TimelineWaiver: 1, annex.TimelineHoldStart: 2, annex.TimelineHoldEnd: 1}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("event counts (-want +got):\n%s", diff)
	}
	if ends["measure 14"] != "2000-10-01" {
		t.Errorf("waived measure ends %q, want its waiver's day 2000-10-01", ends["measure 14"])
	}
}
