package web_test

import (
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/web"
)

// svgElement is an element of a parsed SVG: its name, attributes and the
// text directly inside it.
type svgElement struct {
	Name  string
	Attr  map[string]string
	Text  string
	Class []string
}

// parseSVG parses the SVG as XML, failing the test when it is not
// well-formed, and returns its elements in document order.
func parseSVG(t *testing.T, svg string) []*svgElement {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var els, stack []*svgElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &svgElement{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			e.Class = strings.Fields(e.Attr["class"])
			els, stack = append(els, e), append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		}
	}
	if len(els) == 0 || els[0].Name != "svg" {
		t.Fatalf("no svg root element:\n%s", svg)
	}
	return els
}

// withClass returns the elements that have all the classes.
func withClass(els []*svgElement, classes ...string) []*svgElement {
	var out []*svgElement
	for _, e := range els {
		if !slices.ContainsFunc(classes, func(c string) bool { return !slices.Contains(e.Class, c) }) {
			out = append(out, e)
		}
	}
	return out
}

// timelineEvents are the events of a half year: three measures on two
// entities (one from before the period, one waived inside it, one still in
// force), transfers inside and outside the period, a waiver and two holds.
func timelineEvents() []annex.TimelineEvent {
	const evil = `<Evil> & "Sons" Ltd`
	return []annex.TimelineEvent{
		{Day: "1998-09-01", Kind: annex.TimelineMeasureStart, Entity: "Alpha Corp", Key: "measure 1", Label: "deny_all_contracts"},
		{Day: "2000-06-01", Kind: annex.TimelineTransfer, Entity: "Alpha Corp", Label: "before the period"},
		{Day: "2000-07-01", Kind: annex.TimelineMeasureStart, Entity: evil, Key: "measure 2", Label: "import_ban <2>"},
		{Day: "2000-07-01", Kind: annex.TimelineTransfer, Entity: evil, Label: "TR-1 & co"},
		{Day: "2000-08-01", Kind: annex.TimelineMeasureStart, Entity: evil, Key: "measure 3", Label: "deny_missile_contracts"},
		{Day: "2000-09-01", Kind: annex.TimelineMeasureEnd, Entity: "Alpha Corp", Key: "measure 1", Label: "ends"},
		{Day: "2000-10-01", Kind: annex.TimelineWaiver, Entity: evil, Label: "Waiver 2 (sole_source)"},
		{Day: "2000-10-01", Kind: annex.TimelineMeasureEnd, Entity: evil, Key: "measure 3", Label: "waived"},
		{Day: "2000-11-21", Kind: annex.TimelineHoldStart, Key: "hold 1", Label: "Hold on satellite_launch for CN"},
		{Day: "2000-12-31", Kind: annex.TimelineTransfer, Entity: "Alpha Corp", Label: "TR-2"},
		{Day: "2001-01-01", Kind: annex.TimelineTransfer, Entity: "Alpha Corp", Label: "after the period"},
		{Day: "1999-01-01", Kind: annex.TimelineHoldStart, Key: "hold 2", Label: "Hold on KP"},
		{Day: "2000-07-01", Kind: annex.TimelineHoldEnd, Key: "hold 2", Label: "Hold on KP ends"},
		{Day: "2002-07-01", Kind: annex.TimelineMeasureEnd, Entity: evil, Key: "measure 2", Label: "ends"},
	}
}

func TestTimelineSVG(t *testing.T) {
	svg := string(web.TimelineSVG(timelineEvents(), "2000-07-01", "2000-12-31"))
	els := parseSVG(t, svg)
	root := els[0]
	if root.Attr["id"] != "timeline" || root.Attr["role"] != "img" || root.Attr["aria-label"] == "" {
		t.Errorf("svg attributes = %v, want id timeline, role img and an aria-label", root.Attr)
	}
	if els[1].Name != "title" || !strings.Contains(els[1].Text, "2000-07-01") {
		t.Errorf("first child = %+v, want the title naming the period", els[1])
	}
	counts := map[string]int{
		"bar measure": len(withClass(els, "bar", "measure")),
		"transfer":    len(withClass(els, "transfer")),
		"waiver":      len(withClass(els, "waiver")),
		"hold":        len(withClass(els, "hold")),
	}
	want := map[string]int{"bar measure": 3, "transfer": 2, "waiver": 1, "hold": 2}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("element counts (-want +got):\n%s", diff)
	}
	// Every measure, transfer and waiver names its entity, escaped in the
	// source and whole once parsed.
	var entities []string
	for _, e := range slices.Concat(withClass(els, "bar", "measure"), withClass(els, "transfer"), withClass(els, "waiver")) {
		entities = append(entities, e.Attr["data-entity"])
	}
	slices.Sort(entities)
	wantEntities := []string{`<Evil> & "Sons" Ltd`, `<Evil> & "Sons" Ltd`, `<Evil> & "Sons" Ltd`, `<Evil> & "Sons" Ltd`,
		"Alpha Corp", "Alpha Corp"}
	if diff := cmp.Diff(wantEntities, entities); diff != "" {
		t.Errorf("data-entity (-want +got):\n%s", diff)
	}
	if strings.Contains(svg, "<Evil>") || strings.Contains(svg, "& co") || strings.Contains(svg, "<2>") {
		t.Errorf("a name or label is not escaped:\n%s", svg)
	}
	if !strings.Contains(svg, "&lt;Evil&gt; &amp; &#34;Sons&#34; Ltd") {
		t.Errorf("the escaped name is missing:\n%s", svg)
	}
	var labels []string
	for _, e := range withClass(els, "lane-label") {
		labels = append(labels, strings.TrimSpace(e.Text))
	}
	if diff := cmp.Diff([]string{`<Evil> & "Sons" Ltd`, "Alpha Corp", "Policy holds"}, labels); diff != "" {
		t.Errorf("lane labels (-want +got):\n%s", diff)
	}
	var ticks []string
	for _, e := range els {
		if e.Name == "text" && e.Attr["text-anchor"] == "middle" {
			ticks = append(ticks, e.Text)
		}
	}
	if diff := cmp.Diff([]string{"Jul 2000", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan 2001"}, ticks); diff != "" {
		t.Errorf("axis labels (-want +got):\n%s", diff)
	}
}

func TestTimelineSVGBars(t *testing.T) {
	els := parseSVG(t, string(web.TimelineSVG(timelineEvents(), "2000-07-01", "2000-12-31")))
	// The plot runs from x=290 (2000-07-01) to x=868 (2001-01-01), 578 px
	// for 184 days. The lanes are in name order: "<Evil>…" before "Alpha".
	type bar struct{ X, W, Class string }
	var bars []bar
	for _, e := range withClass(els, "bar", "measure") {
		bars = append(bars, bar{e.Attr["x"], e.Attr["width"], e.Attr["class"]})
	}
	want := []bar{
		{"290", "578", "bar measure"},     // ends after the period
		{"387.4", "191.6", "bar measure"}, // 2000-08-01 (day 31) to the waiver on 2000-10-01 (61 days)
		{"290", "194.8", "bar measure"},   // from before the period to 2000-09-01 (62 days)
	}
	if diff := cmp.Diff(want, bars); diff != "" {
		t.Errorf("bars (-want +got):\n%s", diff)
	}
}

func TestTimelineSVGYears(t *testing.T) {
	els := parseSVG(t, string(web.TimelineSVG(timelineEvents(), "1998-01-01", "2003-12-31")))
	var ticks []string
	for _, e := range els {
		if e.Name == "text" && e.Attr["text-anchor"] == "middle" {
			ticks = append(ticks, e.Text)
		}
	}
	if diff := cmp.Diff([]string{"1998", "1999", "2000", "2001", "2002", "2003", "2004"}, ticks); diff != "" {
		t.Errorf("axis labels (-want +got):\n%s", diff)
	}
	if n := len(withClass(els, "transfer")); n != 4 {
		t.Errorf("transfers = %d, want all 4 over six years", n)
	}
}

func TestTimelineSVGEmpty(t *testing.T) {
	for _, tt := range []struct {
		name        string
		events      []annex.TimelineEvent
		from, until string
	}{
		{"no events", nil, "2000-07-01", "2000-12-31"},
		{"all outside", timelineEvents()[1:2], "2000-07-01", "2000-12-31"},
		{"bad period", timelineEvents(), "2000-12-31", "2000-07-01"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			els := parseSVG(t, string(web.TimelineSVG(tt.events, tt.from, tt.until)))
			if els[0].Attr["id"] != "timeline" || els[0].Attr["role"] != "img" {
				t.Errorf("svg attributes = %v", els[0].Attr)
			}
			empty := withClass(els, "empty")
			if len(empty) != 1 || !strings.HasPrefix(empty[0].Text, "Nothing to show") {
				t.Errorf("empty chart text = %+v, want one saying there is nothing to show", empty)
			}
			if n := len(withClass(els, "bar")) + len(withClass(els, "transfer")); n != 0 {
				t.Errorf("empty chart has %d marks", n)
			}
		})
	}
}

func TestTimelineSVGFromReport(t *testing.T) {
	entities := []*annex.SanctionEntity{{ID: 1, Name: "A & B <Trading>", Country: "PK"}, {ID: 2, Name: "Recipient", Country: "IR"}}
	reports := []*annex.TransferReport{{ID: 1, Reference: "TR-1", Date: "2000-08-15", SupplierID: 1, RecipientID: 2, Category: annex.CategoryI}}
	measures := []*annex.Measure{
		{ID: 1, EntityID: 1, Measure: annex.MeasureDenyMissileLicences, Start: "2000-09-01", End: "2002-09-01"},
		{ID: 2, EntityID: 1, Measure: annex.MeasureImportBan, Start: "2000-09-01", End: "2002-09-01"},
		{ID: 3, EntityID: 1, Measure: annex.MeasureDenyMissileContracts, Start: "2000-10-01", End: "2002-10-01"},
	}
	r, err := annex.BuildSanctionsReport("2000H2", "2001-01-02", reports, entities, measures, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	els := parseSVG(t, string(web.TimelineSVG(r.TimelineEvents(), r.From, r.Until)))
	bars := withClass(els, "bar", "measure")
	if len(bars) != 2 || len(withClass(els, "transfer")) != 1 || bars[0].Attr["data-entity"] != "A & B <Trading>" {
		t.Fatalf("bars = %+v", bars)
	}
	// The two measures over the same days are one bar, whose title names
	// both.
	i := slices.Index(els, bars[0])
	if title := els[i+1].Text; els[i+1].Name != "title" || !strings.Contains(title, "deny_missile_licences") || !strings.Contains(title, "import_ban") {
		t.Errorf("the merged bar's title %q does not name both measures", title)
	}
	// Measures over overlapping days sit one above the other.
	if bars[0].Attr["y"] == bars[1].Attr["y"] {
		t.Errorf("overlapping bars share y=%s", bars[0].Attr["y"])
	}
}
