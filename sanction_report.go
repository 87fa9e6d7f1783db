package annex

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// SanctionsReport is the half-yearly report of transfers and sanctions, the
// kind INKSNA §2 asks for every six months: the transfers reported in the
// period, the measures imposed, in force at its end, expired and waived in
// it, the waivers and policy holds, and their totals. BuildSanctionsReport
// makes one from the register; it is a value, so the same report can be
// written as CSV, PDF or a timeline.
//
// Names are the register's primary names (Latin script) wherever a record
// points at a register entity.
type SanctionsReport struct {
	// Period names the half year, as "2000 H2".
	Period string `json:"period"`
	// From and Until are the first and last days of the period, inclusive,
	// YYYY-MM-DD.
	From  string `json:"from"`
	Until string `json:"until"`
	// GeneratedOn is the date the report was made, YYYY-MM-DD.
	GeneratedOn string `json:"generated_on"`
	// Transfers are the transfers that took place in the period.
	Transfers []TransferLine `json:"transfers"`
	// MeasuresImposed are the measures that start in the period.
	MeasuresImposed []Measure `json:"measures_imposed"`
	// MeasuresInForce are the measures active on the last day of the
	// period: started, not expired, not waived.
	MeasuresInForce []Measure `json:"measures_in_force"`
	// MeasuresExpired are the measures whose End falls in the period: the
	// first day they no longer apply, as Measure.Status reads End. A
	// measure waived before its end is waived, not expired.
	MeasuresExpired []Measure `json:"measures_expired"`
	// MeasuresWaived are the measures whose waiver took effect in the
	// period.
	MeasuresWaived []Measure `json:"measures_waived"`
	// Waivers are the waivers effective in the period.
	Waivers []WaiverLine `json:"waivers"`
	// Holds are the policy holds in force on any day of the period.
	Holds  []Hold          `json:"holds"`
	Totals SanctionsTotals `json:"totals"`
}

// TransferLine is a transfer in a report, with its parties resolved to
// names and countries.
type TransferLine struct {
	ID        int64         `json:"id"`
	Reference string        `json:"reference"`
	Title     string        `json:"title"`
	Date      string        `json:"date"`
	Supplier  TransferParty `json:"supplier"`
	Recipient TransferParty `json:"recipient"`
	Category  Category      `json:"category"`
	// Grades are the reliability grades of the sources (A to F), in the
	// report's order.
	Grades []string `json:"grades"`
}

// WaiverLine is a waiver in a report, with the persons whose measures it
// covers.
type WaiverLine struct {
	ID         int64   `json:"id"`
	Effective  string  `json:"effective"`
	Basis      string  `json:"basis"`
	LegalBasis string  `json:"legal_basis,omitempty"`
	Reason     string  `json:"reason"`
	MeasureIDs []int64 `json:"measure_ids,omitempty"`
	// Entities are the waived entity, or the entities of the waived
	// measures among those the report was built from.
	Entities []TransferParty `json:"entities"`
}

// SanctionsTotals counts a report's records.
type SanctionsTotals struct {
	Transfers       int `json:"transfers"`
	MeasuresImposed int `json:"measures_imposed"`
	MeasuresInForce int `json:"measures_in_force"`
	MeasuresExpired int `json:"measures_expired"`
	MeasuresWaived  int `json:"measures_waived"`
	Waivers         int `json:"waivers"`
	Holds           int `json:"holds"`
	// ByCategory counts the transfers by category ("none" when a report
	// has none).
	ByCategory []Tally `json:"by_category"`
	// ByMeasure counts the measures by kind.
	ByMeasure []MeasureTally `json:"by_measure"`
	// ByCountry counts the transfers and measures by the country of the
	// entity: the supplier's and the recipient's for transfers, the
	// sanctioned entity's for measures.
	ByCountry []CountryTally `json:"by_country"`
}

// Tally is a count under a key.
type Tally struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// MeasureTally counts the measures of one kind imposed in a period and in
// force at its end.
type MeasureTally struct {
	Measure MeasureKind `json:"measure"`
	Imposed int         `json:"imposed"`
	InForce int         `json:"in_force"`
}

// CountryTally counts a country's transfers (as supplier and as recipient)
// and measures (imposed in the period and in force at its end).
type CountryTally struct {
	Country  string `json:"country"`
	Supplied int    `json:"supplied"`
	Received int    `json:"received"`
	Imposed  int    `json:"imposed"`
	InForce  int    `json:"in_force"`
}

var halfYearRE = regexp.MustCompile(`^([0-9]{4})[ -]?[Hh]([12])$`)

// HalfYear returns the first and last days of a half year written
// "2000H2", "2000-H2" or "2000 H2": H1 is 1 January to 30 June, H2 is 1 July
// to 31 December.
func HalfYear(s string) (from, until string, err error) {
	m := halfYearRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || m[1] == "0000" {
		return "", "", Invalid(FieldError{"period", "must be a half year written 2000H2, 2000-H2 or 2000 H2"})
	}
	if m[2] == "1" {
		return m[1] + "-01-01", m[1] + "-06-30", nil
	}
	return m[1] + "-07-01", m[1] + "-12-31", nil
}

// BuildSanctionsReport builds the report of a half year (as HalfYear reads
// it) from the register's records. Entities resolve the IDs of reports,
// measures and waivers to names; measures name the entities of waivers by
// measure. Nil records are skipped. The result does not depend on the order
// of the inputs.
func BuildSanctionsReport(period string, generatedOn string, reports []*TransferReport, entities []*SanctionEntity,
	measures []*Measure, waivers []*Waiver, holds []*Hold) (*SanctionsReport, error) {
	from, until, err := HalfYear(period)
	if err != nil {
		return nil, err
	}
	if !validDay(generatedOn) {
		return nil, Invalid(FieldError{"generated_on", dayMessage})
	}
	half := "H2"
	if from[5:7] == "01" {
		half = "H1"
	}
	r := &SanctionsReport{Period: from[:4] + " " + half, From: from, Until: until, GeneratedOn: generatedOn,
		Transfers: []TransferLine{}, MeasuresImposed: []Measure{}, MeasuresInForce: []Measure{},
		MeasuresExpired: []Measure{}, MeasuresWaived: []Measure{}, Waivers: []WaiverLine{}, Holds: []Hold{}}
	byID := make(map[int64]*SanctionEntity, len(entities))
	for _, e := range entities {
		if e != nil {
			byID[e.ID] = e
		}
	}
	for _, t := range reports {
		if t != nil && r.inPeriod(t.Date) {
			r.Transfers = append(r.Transfers, transferLine(t, byID))
		}
	}
	slices.SortFunc(r.Transfers, func(a, b TransferLine) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Reference, b.Reference), cmp.Compare(a.ID, b.ID))
	})
	r.addMeasures(measures, byID)
	for _, w := range waivers {
		if w != nil && r.inPeriod(w.Effective) {
			r.Waivers = append(r.Waivers, waiverLine(w, byID, measures))
		}
	}
	slices.SortFunc(r.Waivers, func(a, b WaiverLine) int {
		return cmp.Or(cmp.Compare(a.Effective, b.Effective), cmp.Compare(a.ID, b.ID))
	})
	for _, h := range holds {
		if h != nil && h.From <= until && (h.Until == "" || h.Until >= from) {
			r.Holds = append(r.Holds, *h)
		}
	}
	slices.SortFunc(r.Holds, func(a, b Hold) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.Country, b.Country), cmp.Compare(a.ID, b.ID))
	})
	r.Totals = r.totals()
	return r, nil
}

// inPeriod reports whether a day falls in the report's period.
func (r *SanctionsReport) inPeriod(day string) bool { return r.From <= day && day <= r.Until }

// addMeasures sorts the measures into the report's four measure sections.
// A measure's name and country are the register entity's when it has one.
func (r *SanctionsReport) addMeasures(measures []*Measure, byID map[int64]*SanctionEntity) {
	for _, p := range measures {
		if p == nil {
			continue
		}
		m := *p
		if e := byID[m.EntityID]; e != nil && m.EntityID != 0 {
			m.Entity, m.Country = e.Name, cmp.Or(e.Country, m.Country)
		}
		if r.inPeriod(m.Start) {
			r.MeasuresImposed = append(r.MeasuresImposed, m)
		}
		if m.Status(r.Until) == MeasureActive {
			r.MeasuresInForce = append(r.MeasuresInForce, m)
		}
		if m.End != "" && r.inPeriod(m.End) && m.Status(m.End) == MeasureExpired {
			r.MeasuresExpired = append(r.MeasuresExpired, m)
		}
		if m.WaivedFrom != "" && r.inPeriod(m.WaivedFrom) {
			r.MeasuresWaived = append(r.MeasuresWaived, m)
		}
	}
	sortMeasures(r.MeasuresImposed, func(m Measure) string { return m.Start })
	sortMeasures(r.MeasuresInForce, func(m Measure) string { return m.Start })
	sortMeasures(r.MeasuresExpired, func(m Measure) string { return m.End })
	sortMeasures(r.MeasuresWaived, func(m Measure) string { return m.WaivedFrom })
}

// sortMeasures orders measures by a day, then by entity, kind and ID.
func sortMeasures(ms []Measure, day func(Measure) string) {
	slices.SortFunc(ms, func(a, b Measure) int {
		return cmp.Or(cmp.Compare(day(a), day(b)), cmp.Compare(a.Entity, b.Entity),
			cmp.Compare(a.Measure, b.Measure), cmp.Compare(a.ID, b.ID))
	})
}

// transferLine resolves a transfer report's parties: the entities filled in
// on reads, else the register's by ID.
func transferLine(t *TransferReport, byID map[int64]*SanctionEntity) TransferLine {
	party := func(e *SanctionEntity, id int64, role string) TransferParty {
		if e == nil {
			e = byID[id]
		}
		p := TransferParty{Role: role, EntityID: id}
		if e != nil {
			p.Name, p.Country = e.Name, e.Country
		}
		return p
	}
	l := TransferLine{ID: t.ID, Reference: t.Reference, Title: t.Title, Date: t.Date, Category: t.Category,
		Supplier:  party(t.Supplier, t.SupplierID, TransferSupplier),
		Recipient: party(t.Recipient, t.RecipientID, TransferRecipient), Grades: []string{}}
	for _, s := range t.Sources {
		l.Grades = append(l.Grades, s.Reliability)
	}
	return l
}

// waiverLine names the persons a waiver covers: the waived entity, or the
// entities of the waived measures.
func waiverLine(w *Waiver, byID map[int64]*SanctionEntity, measures []*Measure) WaiverLine {
	l := WaiverLine{ID: w.ID, Effective: w.Effective, Basis: w.Basis, LegalBasis: w.LegalBasis, Reason: w.Reason,
		MeasureIDs: slices.Clone(w.MeasureIDs), Entities: []TransferParty{}}
	add := func(p TransferParty) {
		if !slices.Contains(l.Entities, p) {
			l.Entities = append(l.Entities, p)
		}
	}
	if e := byID[w.EntityID]; e != nil && w.EntityID != 0 {
		add(TransferParty{Name: e.Name, Country: e.Country, EntityID: e.ID})
	}
	for _, m := range measures {
		if m == nil || m.ID == 0 || !slices.Contains(w.MeasureIDs, m.ID) {
			continue
		}
		p := TransferParty{Name: m.Entity, Country: m.Country, EntityID: m.EntityID}
		if e := byID[m.EntityID]; e != nil && m.EntityID != 0 {
			p.Name, p.Country = e.Name, cmp.Or(e.Country, m.Country)
		}
		add(p)
	}
	slices.SortFunc(l.Entities, func(a, b TransferParty) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.EntityID, b.EntityID))
	})
	return l
}

// totals counts the report's records.
func (r *SanctionsReport) totals() SanctionsTotals {
	t := SanctionsTotals{Transfers: len(r.Transfers), MeasuresImposed: len(r.MeasuresImposed),
		MeasuresInForce: len(r.MeasuresInForce), MeasuresExpired: len(r.MeasuresExpired),
		MeasuresWaived: len(r.MeasuresWaived), Waivers: len(r.Waivers), Holds: len(r.Holds)}
	cats := map[string]int{}
	kinds := map[MeasureKind]*MeasureTally{}
	countries := map[string]*CountryTally{}
	kind := func(k MeasureKind) *MeasureTally {
		if kinds[k] == nil {
			kinds[k] = &MeasureTally{Measure: k}
		}
		return kinds[k]
	}
	country := func(c string) *CountryTally {
		c = cmp.Or(c, "unknown")
		if countries[c] == nil {
			countries[c] = &CountryTally{Country: c}
		}
		return countries[c]
	}
	for _, l := range r.Transfers {
		cats[cmp.Or(string(l.Category), "none")]++
		country(l.Supplier.Country).Supplied++
		country(l.Recipient.Country).Received++
	}
	for _, m := range r.MeasuresImposed {
		kind(m.Measure).Imposed++
		country(m.Country).Imposed++
	}
	for _, m := range r.MeasuresInForce {
		kind(m.Measure).InForce++
		country(m.Country).InForce++
	}
	t.ByCategory = []Tally{}
	for k, n := range cats {
		t.ByCategory = append(t.ByCategory, Tally{k, n})
	}
	slices.SortFunc(t.ByCategory, func(a, b Tally) int { return cmp.Compare(a.Key, b.Key) })
	t.ByMeasure = sortedValues(kinds, func(a, b MeasureTally) int { return cmp.Compare(a.Measure, b.Measure) })
	t.ByCountry = sortedValues(countries, func(a, b CountryTally) int { return cmp.Compare(a.Country, b.Country) })
	return t
}

// sortedValues returns a map's values in order.
func sortedValues[K comparable, V any](m map[K]*V, order func(a, b V) int) []V {
	vs := make([]V, 0, len(m))
	for _, v := range m {
		vs = append(vs, *v)
	}
	slices.SortFunc(vs, order)
	return vs
}

// The sections of a report's CSV, its first column.
const (
	SectionTransfer       = "transfer"
	SectionMeasureImposed = "measure_imposed"
	SectionMeasureInForce = "measure_in_force"
	SectionMeasureExpired = "measure_expired"
	SectionMeasureWaived  = "measure_waived"
	SectionWaiver         = "waiver"
	SectionHold           = "hold"
)

// SanctionsCSVHeader is the header row of a report's CSV.
var SanctionsCSVHeader = []string{"section", "date", "entity", "country", "category_or_measure", "legal_basis",
	"start", "end", "status", "detail"}

// WriteCSV writes the report as CSV: the header row, then one row per
// record, its section first (transfer, measure_imposed, measure_in_force,
// measure_expired, measure_waived, waiver, hold). Date is the day the record
// falls in its section: the transfer date, the start, the period's last day
// (in force), the end, the waiver's effective day, the hold's start. Status
// is a measure's status on the period's last day, a hold's effect.
func (r *SanctionsReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{SanctionsCSVHeader}
	for _, t := range r.Transfers {
		detail := fmt.Sprintf("%s: %s; to %s (%s); sources %s", t.Reference, t.Title, t.Recipient.Name,
			t.Recipient.Country, strings.Join(t.Grades, ", "))
		rows = append(rows, []string{SectionTransfer, t.Date, t.Supplier.Name, t.Supplier.Country, string(t.Category),
			"", "", "", "", detail})
	}
	measure := func(section string, ms []Measure, day func(Measure) string) {
		for _, m := range ms {
			var parts []string
			if m.ID != 0 {
				parts = append(parts, "measure "+strconv.FormatInt(m.ID, 10))
			}
			if m.Description != "" {
				parts = append(parts, m.Description)
			}
			if m.Minimum {
				parts = append(parts, "the end is the earliest it may end")
			}
			detail := strings.Join(parts, "; ")
			rows = append(rows, []string{section, day(m), m.Entity, m.Country, string(m.Measure), m.LegalBasis,
				m.Start, m.End, string(m.Status(r.Until)), detail})
		}
	}
	measure(SectionMeasureImposed, r.MeasuresImposed, func(m Measure) string { return m.Start })
	measure(SectionMeasureInForce, r.MeasuresInForce, func(Measure) string { return r.Until })
	measure(SectionMeasureExpired, r.MeasuresExpired, func(m Measure) string { return m.End })
	measure(SectionMeasureWaived, r.MeasuresWaived, func(m Measure) string { return m.WaivedFrom })
	for _, v := range r.Waivers {
		names, countries := v.names()
		detail := v.Reason
		if len(v.MeasureIDs) > 0 {
			detail = strings.TrimSuffix("measures "+joinIDs(v.MeasureIDs)+"; "+detail, "; ")
		}
		rows = append(rows, []string{SectionWaiver, v.Effective, names, countries, v.Basis, v.LegalBasis,
			v.Effective, "", "", detail})
	}
	for _, h := range r.Holds {
		rows = append(rows, []string{SectionHold, h.From, "", h.Country, cmp.Or(h.Class, "all licences"), "",
			h.From, h.Until, string(h.Effect), h.Reason})
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write sanctions report csv: %w", err)
	}
	return nil
}

// names joins the names and the countries of the waiver's entities with
// "; ".
func (v WaiverLine) names() (names, countries string) {
	var ns, cs []string
	for _, e := range v.Entities {
		ns = append(ns, e.Name)
		if !slices.Contains(cs, e.Country) {
			cs = append(cs, e.Country)
		}
	}
	return strings.Join(ns, "; "), strings.Join(cs, "; ")
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

// TimelineKind is the kind of an event on a report's timeline.
type TimelineKind string

// Timeline event kinds. A measure and a hold are spans: a start and, unless
// open-ended, an end with the same Key. A measure's end is the first day it
// no longer applies (as Measure.Status reads End); a hold's is its last day
// (as Hold.Active reads Until).
const (
	TimelineTransfer     TimelineKind = "transfer"
	TimelineMeasureStart TimelineKind = "measure_start"
	TimelineMeasureEnd   TimelineKind = "measure_end"
	TimelineWaiver       TimelineKind = "waiver"
	TimelineHoldStart    TimelineKind = "hold_start"
	TimelineHoldEnd      TimelineKind = "hold_end"
)

// timelineOrder orders the events of one day: spans open before points
// and close after them.
var timelineOrder = []TimelineKind{TimelineHoldStart, TimelineMeasureStart, TimelineTransfer, TimelineWaiver,
	TimelineMeasureEnd, TimelineHoldEnd}

// TimelineEvent is an event on a report's timeline.
type TimelineEvent struct {
	// Day is YYYY-MM-DD.
	Day  string       `json:"day"`
	Kind TimelineKind `json:"kind"`
	// Label says what happened, for people.
	Label string `json:"label"`
	// Entity is the register entity the event is about: the supplier of a
	// transfer, the sanctioned or waived entity. It is empty for holds,
	// which fall on a country.
	Entity string `json:"entity,omitempty"`
	// Key is the same on a span's start and end events ("measure 12",
	// "hold 3") and unique among the spans of one report.
	Key string `json:"key,omitempty"`
}

// TimelineEvents returns the report's events sorted by day: each transfer;
// the start and end of each measure the report lists (a waived measure ends
// on its waiver, an open one has no end); one waiver event per entity a
// waiver covers; the start and end of each hold. Spans may start before the
// period or end after it.
func (r *SanctionsReport) TimelineEvents() []TimelineEvent {
	ev := []TimelineEvent{}
	for _, t := range r.Transfers {
		label := fmt.Sprintf("%s: %s (%s) to %s (%s)", t.Reference, t.Supplier.Name, t.Supplier.Country,
			t.Recipient.Name, t.Recipient.Country)
		if t.Category != "" {
			label += ", Category " + string(t.Category)
		}
		ev = append(ev, TimelineEvent{Day: t.Date, Kind: TimelineTransfer, Label: label, Entity: t.Supplier.Name})
	}
	seen := map[Measure]bool{}
	for _, ms := range [][]Measure{r.MeasuresImposed, r.MeasuresInForce, r.MeasuresExpired, r.MeasuresWaived} {
		for _, m := range ms {
			if seen[m] {
				continue
			}
			seen[m] = true
			key := "measure #" + strconv.Itoa(len(seen))
			if m.ID != 0 {
				key = "measure " + strconv.FormatInt(m.ID, 10)
			}
			ev = append(ev, TimelineEvent{Day: m.Start, Kind: TimelineMeasureStart, Entity: m.Entity, Key: key,
				Label: fmt.Sprintf("%s from %s to %s (%s)", m.Measure, m.Start, cmp.Or(m.End, "open"), m.LegalBasis)})
			switch {
			case m.WaivedFrom != "" && (m.End == "" || m.WaivedFrom < m.End):
				ev = append(ev, TimelineEvent{Day: m.WaivedFrom, Kind: TimelineMeasureEnd, Entity: m.Entity, Key: key,
					Label: string(m.Measure) + " waived"})
			case m.End != "":
				ev = append(ev, TimelineEvent{Day: m.End, Kind: TimelineMeasureEnd, Entity: m.Entity, Key: key,
					Label: string(m.Measure) + " ends"})
			}
		}
	}
	for _, w := range r.Waivers {
		label := fmt.Sprintf("Waiver %d (%s)", w.ID, w.Basis)
		if len(w.MeasureIDs) > 0 {
			label += " of measures " + joinIDs(w.MeasureIDs)
		}
		for _, e := range w.Entities {
			ev = append(ev, TimelineEvent{Day: w.Effective, Kind: TimelineWaiver, Label: label, Entity: e.Name})
		}
	}
	for i, h := range r.Holds {
		key := "hold #" + strconv.Itoa(i+1)
		if h.ID != 0 {
			key = "hold " + strconv.FormatInt(h.ID, 10)
		}
		label := fmt.Sprintf("Hold on %s licences for %s (%s)", cmp.Or(h.Class, "all"), h.Country, h.Effect)
		ev = append(ev, TimelineEvent{Day: h.From, Kind: TimelineHoldStart, Label: label, Key: key})
		if h.Until != "" {
			ev = append(ev, TimelineEvent{Day: h.Until, Kind: TimelineHoldEnd, Label: label + " ends", Key: key})
		}
	}
	slices.SortStableFunc(ev, func(a, b TimelineEvent) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day),
			cmp.Compare(slices.Index(timelineOrder, a.Kind), slices.Index(timelineOrder, b.Kind)),
			cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Label, b.Label))
	})
	return ev
}
