package web

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// Chart geometry for the capability page. The charts are SVG drawn by the
// templates from these view models: the scales, ticks, path strings and
// label positions are computed here, so that the templates only place them
// and the tests can check the numbers. Data values are in kilometres and
// kilograms; positions are in SVG user units (px) of a fixed viewBox.

// The MTCR Category I threshold (Annex items 1.A.1 and 19.A.1), as the
// trade-off chart draws it.
const (
	categoryIPayloadKg = 500.0
	categoryIRangeKm   = 300.0
)

// Size of every chart's viewBox, and the margins around its plot area that
// hold the ticks and axis titles.
const (
	chartWidth        = 640
	chartHeight       = 400
	chartMarginLeft   = 72
	chartMarginRight  = 24
	chartMarginTop    = 28
	chartMarginBottom = 52
	chartMaxTicks     = 8
)

// px is a position in a chart's viewBox. It prints with at most one
// decimal, which keeps pages short and golden files stable.
type px float64

// String formats the position as "12.3", "12" or "-4.5".
func (p px) String() string {
	v := math.Round(float64(p)*10) / 10
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// scale maps data values in [Lo, Hi] linearly onto positions [From, To].
// From may be greater than To, as for a y axis, which grows downwards.
type scale struct {
	Lo, Hi   float64
	From, To px
}

// At returns the position of a data value.
func (s scale) At(v float64) px {
	if s.Hi == s.Lo {
		return s.From
	}
	return s.From + px((v-s.Lo)/(s.Hi-s.Lo))*(s.To-s.From)
}

// niceAxis returns the top of an axis that starts at 0 and shows max, and
// the step between its ticks: 1, 2 or 5 times a power of ten, chosen so
// that there are at most maxTicks intervals.
func niceAxis(max float64, maxTicks int) (top, step float64) {
	if !(max > 0) || math.IsInf(max, 0) {
		max = 1
	}
	raw := max / float64(maxTicks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if step = m * mag; step >= raw*(1-1e-9) {
			break
		}
	}
	return math.Ceil(max/step-1e-9) * step, step
}

// tick is a labelled mark on an axis.
type tick struct {
	Pos   px
	Label string
}

// axis is one axis of a chart: its title with the unit, the scale, and the
// ticks from 0 to the top.
type axis struct {
	Title string
	Scale scale
	Ticks []tick
}

// newAxis returns an axis from 0 to a nice top above max, drawn from
// position from to position to.
func newAxis(title string, max float64, from, to px) axis {
	top, step := niceAxis(max, chartMaxTicks)
	a := axis{Title: title, Scale: scale{Lo: 0, Hi: top, From: from, To: to}}
	n := int(math.Round(top / step))
	for i := 0; i <= n; i++ {
		v := float64(i) * step
		a.Ticks = append(a.Ticks, tick{Pos: a.Scale.At(v), Label: annex.FormatNumber(v)})
	}
	return a
}

// frame is what every chart shares: the viewBox, the plot area, the axes,
// and the accessible title and description.
type frame struct {
	// ID is the id of the svg element; its title and description carry
	// ID-title and ID-desc.
	ID          string
	Title, Desc string
	Width       px
	Height      px
	// Left, Right, Top and Bottom are the edges of the plot area.
	Left, Right, Top, Bottom px
	X, Y                     axis
}

// newFrame returns a chart frame whose axes show xMax and yMax.
func newFrame(id, xTitle, yTitle string, xMax, yMax float64) frame {
	f := frame{ID: id, Width: chartWidth, Height: chartHeight,
		Left: chartMarginLeft, Right: chartWidth - chartMarginRight,
		Top: chartMarginTop, Bottom: chartHeight - chartMarginBottom}
	f.X = newAxis(xTitle, xMax, f.Left, f.Right)
	f.Y = newAxis(yTitle, yMax, f.Bottom, f.Top)
	return f
}

// At returns the position of a data point.
func (f frame) At(x, y float64) point { return point{f.X.Scale.At(x), f.Y.Scale.At(y)} }

// Positions of the ticks, tick labels and axis titles, outside the plot
// area: the x axis's below it, the y axis's to its left.

// XTickEnd is where the ticks of the x axis end, below the plot.
func (f frame) XTickEnd() px { return f.Bottom + 6 }

// XLabelY is the baseline of the x axis's tick labels.
func (f frame) XLabelY() px { return f.Bottom + 20 }

// XTitleY is the baseline of the x axis title, under the tick labels.
func (f frame) XTitleY() px { return f.Height - 10 }

// YTickEnd is where the ticks of the y axis end, left of the plot.
func (f frame) YTickEnd() px { return f.Left - 6 }

// YLabelX is where the y axis's tick labels end (text-anchor end).
func (f frame) YLabelX() px { return f.Left - 9 }

// YTitleX is the baseline of the y axis title (rotated), left of the tick
// labels.
func (f frame) YTitleX() px { return 18 }

// AboveTop is the baseline of labels above the plot area.
func (f frame) AboveTop() px { return f.Top - 8 }

// MidX is the horizontal centre of the plot area, where the x axis title
// goes.
func (f frame) MidX() px { return (f.Left + f.Right) / 2 }

// MidY is the vertical centre of the plot area.
func (f frame) MidY() px { return (f.Top + f.Bottom) / 2 }

// point is a position in a chart.
type point struct{ X, Y px }

// rect is a rectangle in a chart.
type rect struct{ X, Y, W, H px }

// marker is a marked data point with its label. Anchor is the label's
// text-anchor: "start" to the right of the point, "end" to its left.
type marker struct {
	point
	Label          string
	LabelX, LabelY px
	Anchor         string
}

// newMarker labels a point on the side with more room.
func newMarker(f frame, p point, label string) marker {
	m := marker{point: p, Label: label, LabelX: p.X + 8, LabelY: p.Y - 8, Anchor: "start"}
	if p.X > f.MidX() {
		m.LabelX, m.Anchor = p.X-8, "end"
	}
	if p.Y-8 < f.Top+12 {
		m.LabelY = p.Y + 18
	}
	return m
}

// path returns the SVG path data through the points: "M1,2 L3,4 L5,6".
func path(pts []point) string {
	var b strings.Builder
	for i, p := range pts {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString(" L")
		}
		b.WriteString(p.X.String())
		b.WriteString(",")
		b.WriteString(p.Y.String())
	}
	return b.String()
}

// tradeOffChart is the range/payload trade-off of a missile, drawn the way
// payload-range diagrams are: range along x, payload up y. The Category I
// region (at least 500 kg to at least 300 km) is a shaded box in the upper
// right; a missile is Category I when its curve enters the box.
type tradeOffChart struct {
	frame
	// Curve is the path of the trade-off curve, lightest payload first.
	Curve string
	// Box is the Category I region, clipped to the plot area; BoxLabel is
	// where its label goes (text-anchor end).
	Box      rect
	BoxLabel point
	// Line300 is the x position of the 300 km line, labelled above the
	// plot.
	Line300 px
	// Nominal marks the nominal payload and its range; At500 marks the
	// range with 500 kg, the point the Category I test reads.
	Nominal, At500 marker
	// Band, when the analysis has one, spans the range at the nominal
	// payload over the input uncertainties.
	Band *[2]point
}

// BoxSubLabelY is the baseline of the second line of the box's label.
func (c *tradeOffChart) BoxSubLabelY() px { return c.BoxLabel.Y + 16 }

// newTradeOffChart draws a capability's trade-off curve, or returns nil when
// it has none.
func newTradeOffChart(c *annex.Capability) *tradeOffChart {
	if len(c.Curve) == 0 {
		return nil
	}
	curve := slices.Clone(c.Curve)
	slices.SortFunc(curve, func(a, b annex.CurvePoint) int { return cmp.Compare(a.PayloadKg, b.PayloadKg) })
	xMax, yMax := 1.25*categoryIRangeKm, 1.25*categoryIPayloadKg
	for _, p := range curve {
		xMax, yMax = math.Max(xMax, p.RangeKm), math.Max(yMax, p.PayloadKg)
	}
	xMax, yMax = math.Max(xMax, c.RangeKm), math.Max(yMax, c.PayloadKg)
	if c.Band != nil {
		xMax = math.Max(xMax, c.Band.RangeKm[1])
	}
	ch := &tradeOffChart{frame: newFrame("tradeoff-chart", "Range (km)", "Payload (kg)", 1.05*xMax, 1.05*yMax)}
	ch.Title = "Range against payload" + nameSuffix(c.Name)
	pts := make([]point, len(curve))
	for i, p := range curve {
		pts[i] = ch.At(math.Max(p.RangeKm, 0), math.Max(p.PayloadKg, 0))
	}
	ch.Curve = path(pts)
	corner := ch.At(categoryIRangeKm, categoryIPayloadKg)
	ch.Box = rect{X: corner.X, Y: ch.Top, W: ch.Right - corner.X, H: corner.Y - ch.Top}
	ch.BoxLabel = point{ch.Right - 8, ch.Top + 18}
	ch.Line300 = corner.X
	ch.Nominal = newMarker(ch.frame, ch.At(c.RangeKm, c.PayloadKg),
		"Nominal: "+annex.FormatNumber(c.PayloadKg)+" kg, "+annex.FormatNumber(c.RangeKm)+" km")
	ch.At500 = newMarker(ch.frame, ch.At(c.RangeAt500kgKm, categoryIPayloadKg),
		"500 kg: "+annex.FormatNumber(c.RangeAt500kgKm)+" km")
	if b := c.Band; b != nil {
		ch.Band = &[2]point{ch.At(b.RangeKm[0], c.PayloadKg), ch.At(b.RangeKm[1], c.PayloadKg)}
	}
	first, last := curve[0], curve[len(curve)-1]
	ch.Desc = "The maximum range falls from " + annex.FormatNumber(first.RangeKm) + " km with " + annex.FormatNumber(first.PayloadKg) +
		" kg to " + annex.FormatNumber(last.RangeKm) + " km with " + annex.FormatNumber(last.PayloadKg) +
		" kg. The shaded box is Category I: at least 500 kg to at least 300 km. With 500 kg the missile flies " +
		annex.FormatNumber(c.RangeAt500kgKm) + " km; with its nominal " + annex.FormatNumber(c.PayloadKg) + " kg, " +
		annex.FormatNumber(c.RangeKm) + " km."
	return ch
}

// trajectoryChart is a flight's altitude against downrange distance, the
// powered phase apart from the coast, with burnout and apogee marked. The
// two axes have their own scales: a ballistic trajectory drawn to true
// proportions would be a thin sliver.
type trajectoryChart struct {
	frame
	// Powered and Coast are the paths of the flight before and after
	// burnout; both pass through the burnout state.
	Powered, Coast    string
	Burnout, Apogee   marker
	RangeKm, ApogeeKm float64
}

// newTrajectoryChart draws a trajectory, or returns nil when it has no
// points.
func newTrajectoryChart(name string, t *annex.Trajectory) *trajectoryChart {
	if t == nil || len(t.Points) == 0 {
		return nil
	}
	xMax, yMax := t.BurnoutDownrangeKm, t.ApogeeKm
	apogee := t.Points[0]
	for _, p := range t.Points {
		xMax, yMax = math.Max(xMax, p.DownrangeKm), math.Max(yMax, p.AltitudeKm)
		if p.AltitudeKm > apogee.AltitudeKm {
			apogee = p
		}
	}
	ch := &trajectoryChart{frame: newFrame("trajectory-chart", "Downrange (km)", "Altitude (km)", 1.02*xMax, 1.1*yMax),
		RangeKm: t.RangeKm, ApogeeKm: t.ApogeeKm}
	ch.Title = "Maximum-range trajectory" + nameSuffix(name)
	burnout := ch.At(t.BurnoutDownrangeKm, t.BurnoutAltitudeKm)
	powered, coast := []point{}, []point{burnout}
	for _, p := range t.Points {
		at := ch.At(math.Max(p.DownrangeKm, 0), math.Max(p.AltitudeKm, 0))
		switch {
		case p.TimeS < t.BurnoutTimeS:
			powered = append(powered, at)
		case p.TimeS > t.BurnoutTimeS:
			coast = append(coast, at)
		}
	}
	ch.Powered, ch.Coast = path(append(powered, burnout)), path(coast)
	ch.Burnout = newMarker(ch.frame, burnout, "Burnout: "+annex.FormatNumber(t.BurnoutAltitudeKm)+" km up, "+
		annex.FormatNumber(t.BurnoutSpeedMS)+" m/s")
	ch.Apogee = newMarker(ch.frame, ch.At(apogee.DownrangeKm, apogee.AltitudeKm), "Apogee: "+annex.FormatNumber(t.ApogeeKm)+" km")
	ch.Desc = "With " + annex.FormatNumber(t.PayloadKg) + " kg the missile burns out " + annex.FormatNumber(t.BurnoutAltitudeKm) +
		" km up and " + annex.FormatNumber(t.BurnoutDownrangeKm) + " km downrange after " + annex.FormatNumber(t.BurnoutTimeS) +
		" s, climbs to an apogee of " + annex.FormatNumber(t.ApogeeKm) + " km and lands " + annex.FormatNumber(t.RangeKm) +
		" km away after " + annex.FormatNumber(t.FlightTimeS) + " s."
	return ch
}

// nameSuffix returns " of NAME" for a named missile, to end a chart title.
func nameSuffix(name string) string {
	if name == "" {
		return ""
	}
	return " of " + name
}
