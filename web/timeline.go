package web

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"time"

	"annex"
)

// The timeline of the sanctions report: one lane per entity, with its
// sanction measures as bars and its transfers and waivers as markers above
// them, and a lane of policy holds as shaded bands, over a time axis in
// months or years. It is drawn with the capability charts' conventions
// (chart.go: px positions, a fixed viewBox, svg.chart) and carries its own
// styles, with the site's colours, so that it also stands alone.

// Geometry of the timeline, in px of its viewBox.
const (
	timelineWidth      = 900
	timelineLeft       = 290 // lane labels end here
	timelineRight      = 868
	timelineTop        = 12
	timelineMarkRow    = 20 // the row of transfer and waiver markers atop a lane
	timelineBarH       = 10
	timelineBarGap     = 3
	timelineLanePad    = 6
	timelineMaxTicks   = 12
	timelineLabelRunes = 38
)

// timelineChart is the view model of the timeline SVG.
type timelineChart struct {
	Title, Desc string
	// Empty, when set, says why there is nothing to show.
	Empty               string
	Width, Height       px
	Left, Right         px
	Top, Bottom         px
	Ticks               []tick
	Lanes               []*timelineLane
	LegendY             px
	Measures, Transfers int
	Waivers, Holds      int
}

// AxisLabelY is the baseline of the axis labels.
func (c *timelineChart) AxisLabelY() px { return c.Bottom + 18 }

// TickEnd is where the ticks end below the plot.
func (c *timelineChart) TickEnd() px { return c.Bottom + 5 }

// timelineLane is an entity's lane, or the lane of policy holds.
type timelineLane struct {
	// Name is the entity, Label the name as shown (shortened).
	Name, Label string
	Holds       bool
	Y, H        px
	Bars        []timelineBar
	Marks       []timelineMark
	rows        []int // the end day of each row of bars, for packing
}

// Bottom is the lower edge of the lane.
func (l *timelineLane) Bottom() px { return l.Y + l.H }

// LabelY is the baseline of the lane's label.
func (l *timelineLane) LabelY() px { return l.Y + l.H/2 + 4 }

// timelineBar is a measure or a hold from one day to another.
type timelineBar struct {
	rect
	Label string
	// Open is set when the span goes on past the right edge.
	Open bool
}

// timelineMark is a transfer (a diamond) or a waiver (a ringed tick).
type timelineMark struct {
	point
	Kind  annex.TimelineKind
	Label string
	// Diamond is the polygon of a transfer marker.
	Diamond string
}

// timelineSpan is a measure or a hold on the timeline, in days from the
// start of the window, End exclusive.
type timelineSpan struct {
	Entity, Label string
	Start, End    int
	Open, Hold    bool
}

// TimelineSVG draws a sanctions report's timeline events (as
// annex.SanctionsReport.TimelineEvents returns them) between two days,
// YYYY-MM-DD inclusive, as an inline SVG with the id "timeline". Measures
// pair their start and end events by Key: a measure with no end runs on to
// the right edge, one with no start in from the left edge. Transfers and
// waivers outside the window are left out. Each measure is a rect of class
// "bar measure", each transfer a polygon of class "transfer", each waiver a
// g of class "waiver", each hold a rect of class "hold"; all but holds carry
// data-entity. With nothing to draw, the SVG says so.
func TimelineSVG(events []annex.TimelineEvent, from, until string) template.HTML {
	c := newTimelineChart(events, from, until)
	var buf bytes.Buffer
	if err := timelineTemplate.Execute(&buf, c); err != nil {
		// The template is fixed and its data plain: only a bug gets here.
		panic(fmt.Sprintf("timeline template: %v", err))
	}
	return template.HTML(buf.String()) // html/template escaped every value
}

// newTimelineChart lays out the timeline.
func newTimelineChart(events []annex.TimelineEvent, from, until string) *timelineChart {
	c := &timelineChart{Title: "Timeline of transfers and sanctions, " + from + " to " + until,
		Width: timelineWidth, Left: timelineLeft, Right: timelineRight, Top: timelineTop}
	start, err1 := time.Parse(time.DateOnly, from)
	end, err2 := time.Parse(time.DateOnly, until)
	if err1 != nil || err2 != nil || end.Before(start) {
		return c.empty("Nothing to show: the period is not a pair of dates.")
	}
	days := int(end.Sub(start).Hours()/24) + 1
	day := func(s string) (int, bool) {
		t, err := time.Parse(time.DateOnly, s)
		return int(t.Sub(start).Hours() / 24), err == nil
	}
	spans, marks := timelineItems(events, day, days)
	spans = mergeSpans(spans)
	if len(spans) == 0 && len(marks) == 0 {
		return c.empty("Nothing to show: no transfers, measures, waivers or holds between " + from + " and " + until + ".")
	}
	x := func(d float64) px { return c.Left + px(d/float64(days))*(c.Right-c.Left) }
	lanes := c.lanes(spans, marks)
	y := c.Top
	for _, l := range lanes {
		for _, s := range spans {
			if s.Hold == l.Holds && (l.Holds || s.Entity == l.Name) {
				l.addBar(s, x)
			}
		}
		l.Y, l.H = y, px(timelineMarkRow+len(l.rows)*(timelineBarH+timelineBarGap)+timelineLanePad)
		for i := range l.Bars {
			l.Bars[i].Y += y
		}
		y += l.H
	}
	for _, e := range marks {
		l := lanes[slices.IndexFunc(lanes, func(l *timelineLane) bool { return !l.Holds && l.Name == e.Entity })]
		d, _ := day(e.Day)
		m := timelineMark{point: point{x(float64(d) + 0.5), l.Y + timelineMarkRow/2}, Kind: e.Kind, Label: e.Label}
		if e.Kind == annex.TimelineTransfer {
			m.Diamond = fmt.Sprintf("%s,%s %s,%s %s,%s %s,%s", m.X, m.Y-6, m.X+6, m.Y, m.X, m.Y+6, m.X-6, m.Y)
			c.Transfers++
		} else {
			c.Waivers++
		}
		l.Marks = append(l.Marks, m)
	}
	c.Lanes, c.Bottom = lanes, y
	c.LegendY, c.Height = y+46, y+66
	c.Ticks = timeTicks(start, days, x)
	entities := len(lanes)
	if c.Holds > 0 {
		entities--
	}
	c.Desc = fmt.Sprintf("%s on %s, %s, %s and %s between %s and %s.", timelineCount(c.Measures, "sanction measure"),
		timelineCount(entities, "entity"), timelineCount(c.Transfers, "transfer"), timelineCount(c.Waivers, "waiver"),
		timelineCount(c.Holds, "policy hold"), from, until)
	return c
}

// empty makes the chart a message.
func (c *timelineChart) empty(msg string) *timelineChart {
	c.Empty, c.Desc, c.Height = msg, msg, 60
	return c
}

// timelineItems pairs the spans' starts and ends by Key, in the order of
// their days, and keeps the marks in the window of days [0, days). Days read
// by day are from the window's start.
func timelineItems(events []annex.TimelineEvent, day func(string) (int, bool), days int) ([]timelineSpan, []annex.TimelineEvent) {
	var spans []timelineSpan
	open := map[string]int{} // Key → index in spans
	var marks []annex.TimelineEvent
	events = slices.Clone(events)
	slices.SortStableFunc(events, func(a, b annex.TimelineEvent) int { return cmp.Compare(a.Day, b.Day) })
	for _, e := range events {
		d, ok := day(e.Day)
		if !ok {
			continue
		}
		hold := e.Kind == annex.TimelineHoldStart || e.Kind == annex.TimelineHoldEnd
		switch e.Kind {
		case annex.TimelineMeasureStart, annex.TimelineHoldStart:
			spans = append(spans, timelineSpan{Entity: e.Entity, Label: e.Label, Start: d, End: days, Open: true, Hold: hold})
			if e.Key != "" {
				open[e.Key] = len(spans) - 1
			}
		case annex.TimelineMeasureEnd, annex.TimelineHoldEnd:
			if hold {
				d++ // a hold's end is its last day
			}
			i, ok := open[e.Key]
			if !ok || e.Key == "" {
				spans = append(spans, timelineSpan{Entity: e.Entity, Label: e.Label, Start: min(0, d), End: d, Hold: hold})
				continue
			}
			spans[i].End, spans[i].Open = d, false
			delete(open, e.Key)
		case annex.TimelineTransfer, annex.TimelineWaiver:
			if d >= 0 && d < days {
				marks = append(marks, e)
			}
		}
	}
	var in []timelineSpan
	for _, s := range spans {
		s.Start, s.End = max(s.Start, 0), min(s.End, days)
		if s.Start < s.End {
			in = append(in, s)
		}
	}
	slices.SortStableFunc(in, func(a, b timelineSpan) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End)) })
	return in, marks
}

// lanes returns the lanes, the entities' in name order, then the holds'.
func (c *timelineChart) lanes(spans []timelineSpan, marks []annex.TimelineEvent) []*timelineLane {
	var names []string
	for _, s := range spans {
		if s.Hold {
			c.Holds++
		} else {
			c.Measures++
			names = append(names, s.Entity)
		}
	}
	for _, e := range marks {
		names = append(names, e.Entity)
	}
	slices.Sort(names)
	var lanes []*timelineLane
	for _, n := range slices.Compact(names) {
		lanes = append(lanes, &timelineLane{Name: n, Label: timelineShorten(cmp.Or(n, "(no entity)"), timelineLabelRunes)})
	}
	if c.Holds > 0 {
		lanes = append(lanes, &timelineLane{Label: "Policy holds", Holds: true})
	}
	return lanes
}

// addBar places a span in the first row of bars of the lane where it does
// not overlap another, at a y relative to the lane.
func (l *timelineLane) addBar(s timelineSpan, x func(float64) px) {
	row := slices.IndexFunc(l.rows, func(end int) bool { return end <= s.Start })
	if row < 0 {
		row = len(l.rows)
		l.rows = append(l.rows, 0)
	}
	l.rows[row] = s.End
	y := px(timelineMarkRow + row*(timelineBarH+timelineBarGap))
	x0, x1 := x(float64(s.Start)), x(float64(s.End))
	l.Bars = append(l.Bars, timelineBar{rect: rect{X: x0, Y: y, W: max(x1-x0, 1), H: timelineBarH},
		Label: s.Label, Open: s.Open})
}

// timeTicks marks the window's months (up to two years) or years, at most
// timelineMaxTicks of them, labelled "Jul 2000", "Aug", … or "2001".
func timeTicks(start time.Time, days int, x func(float64) px) []tick {
	end := start.AddDate(0, 0, days)
	months := days <= 2*366
	steps := []int{1, 2, 3, 6}
	if !months {
		steps = []int{1, 2, 5, 10, 20, 50, 100}
	}
	var ticks []tick
	for _, step := range steps {
		ticks = ticks[:0]
		t := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
		if !months {
			t = time.Date(start.Year()-start.Year()%step, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		for ; !t.After(end); t = timelineNext(t, months, step) {
			if t.Before(start) {
				continue
			}
			label := strconv.Itoa(t.Year())
			if months {
				label = t.Format("Jan")
				if len(ticks) == 0 || t.Month() == time.January {
					label = t.Format("Jan 2006")
				}
			}
			ticks = append(ticks, tick{Pos: x(t.Sub(start).Hours() / 24), Label: label})
		}
		if len(ticks) <= timelineMaxTicks {
			break
		}
	}
	if len(ticks) == 0 {
		ticks = append(ticks, tick{Pos: x(0), Label: start.Format(time.DateOnly)})
	}
	return ticks
}

// timelineNext returns the tick step months or years after t.
func timelineNext(t time.Time, months bool, step int) time.Time {
	if months {
		return t.AddDate(0, step, 0)
	}
	return t.AddDate(step, 0, 0)
}

// timelineCount writes "1 waiver", "2 waivers", "3 entities".
func timelineCount(n int, noun string) string {
	switch {
	case n == 1:
	case noun == "entity":
		noun = "entities"
	default:
		noun += "s"
	}
	return strconv.Itoa(n) + " " + noun
}

// timelineShorten cuts a name to at most n characters, ending it with "…".
func timelineShorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// timelineTemplate draws the chart. Its styles are in web/static/annex.css:
// the pages' Content-Security-Policy refuses inline styles.
var timelineTemplate = template.Must(template.New("timeline").Parse(`<svg id="timeline" class="chart timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="{{.Title}}" aria-describedby="timeline-desc">
<title id="timeline-title">{{.Title}}</title>
<desc id="timeline-desc">{{.Desc}}</desc>
{{- if .Empty}}
<text class="empty" x="16" y="34">{{.Empty}}</text>
{{- else}}
<g class="grid">
{{- range .Ticks}}<line x1="{{.Pos}}" y1="{{$.Top}}" x2="{{.Pos}}" y2="{{$.Bottom}}"/>{{end}}
</g>
{{- range .Lanes}}
<g class="lane{{if .Holds}} holds-lane{{end}}"{{if not .Holds}} data-entity="{{.Name}}"{{end}}>
<line class="lane-rule" x1="0" y1="{{.Y}}" x2="{{$.Right}}" y2="{{.Y}}"/>
<text class="lane-label" x="{{$.Left}}" dx="-8" y="{{.LabelY}}" text-anchor="end"><title>{{if .Holds}}Policy holds{{else}}{{.Name}}{{end}}</title>{{.Label}}</text>
{{- $lane := .}}
{{- range .Bars}}
{{- if $lane.Holds}}
<rect class="hold" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Label}}</title></rect>
{{- else}}
<rect class="bar measure{{if .Open}} open{{end}}" data-entity="{{$lane.Name}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Label}}</title></rect>
{{- end}}
{{- end}}
{{- range .Marks}}
{{- if .Diamond}}
<polygon class="transfer" data-entity="{{$lane.Name}}" points="{{.Diamond}}"><title>{{.Label}}</title></polygon>
{{- else}}
<g class="waiver" data-entity="{{$lane.Name}}"><title>{{.Label}}</title><line x1="{{.X}}" y1="{{.Y}}" x2="{{.X}}" y2="{{$lane.Bottom}}"/><circle cx="{{.X}}" cy="{{.Y}}" r="4"/></g>
{{- end}}
{{- end}}
</g>
{{- end}}
<g class="axis">
<line x1="{{.Left}}" y1="{{.Bottom}}" x2="{{.Right}}" y2="{{.Bottom}}"/>
{{- range .Ticks}}
<line x1="{{.Pos}}" y1="{{$.Bottom}}" x2="{{.Pos}}" y2="{{$.TickEnd}}"/><text x="{{.Pos}}" y="{{$.AxisLabelY}}" text-anchor="middle">{{.Label}}</text>
{{- end}}
</g>
<g class="legend" transform="translate(16 {{.LegendY}})">
<rect class="swatch swatch-measure" x="0" y="-9" width="22" height="10"/><text x="28" y="0">Sanction measure</text>
<polygon class="swatch swatch-transfer" points="160,-10 166,-4 160,2 154,-4"/><text x="172" y="0">Transfer</text>
<g class="swatch swatch-waiver"><line x1="260" y1="-4" x2="260" y2="-12"/><circle cx="260" cy="-4" r="4"/></g><text x="270" y="0">Waiver</text>
<rect class="swatch swatch-hold" x="350" y="-9" width="22" height="10"/><text x="378" y="0">Policy hold</text>
</g>
{{- end}}
</svg>`))

// mergeSpans draws as one bar the measures of an entity that run over the
// same days, as the several measures of one determination do; the bar's
// label lists them.
func mergeSpans(spans []timelineSpan) []timelineSpan {
	var out []timelineSpan
	at := map[timelineSpan]int{}
	for _, s := range spans {
		k := s
		k.Label = ""
		if i, ok := at[k]; ok && !s.Hold {
			out[i].Label += "; " + s.Label
			continue
		}
		at[k] = len(out)
		out = append(out, s)
	}
	return out
}
