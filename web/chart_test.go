package web

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

func TestPxString(t *testing.T) {
	tests := []struct {
		in   px
		want string
	}{
		{0, "0"}, {12, "12"}, {12.34, "12.3"}, {12.35, "12.4"}, {-4.51, "-4.5"}, {-0.01, "0"}, {0.3, "0.3"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("px(%v).String() = %q, want %q", float64(tt.in), got, tt.want)
		}
	}
}

func TestScaleAt(t *testing.T) {
	y := scale{Lo: 0, Hi: 100, From: 348, To: 28} // a y axis grows downwards
	tests := []struct {
		v    float64
		want string
	}{{0, "348"}, {100, "28"}, {50, "188"}, {25, "268"}, {-10, "380"}}
	for _, tt := range tests {
		if got := y.At(tt.v).String(); got != tt.want {
			t.Errorf("At(%v) = %s, want %s", tt.v, got, tt.want)
		}
	}
	if got := (scale{Lo: 5, Hi: 5, From: 10, To: 20}).At(7); got != 10 {
		t.Errorf("At on an empty domain = %v, want 10", got)
	}
}

func TestNiceAxis(t *testing.T) {
	tests := []struct {
		max       float64
		maxTicks  int
		top, step float64
	}{
		{330, 8, 350, 50},
		{504, 8, 600, 100},
		{1575, 8, 1600, 200},
		{1000, 8, 1000, 200},
		{8, 8, 8, 1},
		{9.5, 5, 10, 2},
		{1, 8, 1, 0.2},
		{0.075, 8, 0.08, 0.01},
		{12500, 8, 14000, 2000},
		{0, 8, 1, 0.2},
		{-3, 8, 1, 0.2},
	}
	for _, tt := range tests {
		top, step := niceAxis(tt.max, tt.maxTicks)
		if !near(top, tt.top) || !near(step, tt.step) {
			t.Errorf("niceAxis(%v, %d) = %v, %v, want %v, %v", tt.max, tt.maxTicks, top, step, tt.top, tt.step)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9*b+1e-12 && b-a < 1e-9*b+1e-12 }

func TestNewAxis(t *testing.T) {
	a := newAxis("Range (km)", 330, 72, 616)
	var got []string
	for _, tk := range a.Ticks {
		got = append(got, tk.Label+"@"+tk.Pos.String())
	}
	want := []string{"0@72", "50@149.7", "100@227.4", "150@305.1", "200@382.9", "250@460.6", "300@538.3", "350@616"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("ticks (-want +got):\n%s", diff)
	}
}

// chartCapability is a capability with a small curve, for the chart tests.
func chartCapability() *annex.Capability {
	return &annex.Capability{
		Name: "Test", PayloadKg: 1000, RangeKm: 300, RangeAt500kgKm: 446, MinPayloadKg: 0, MaxRangeKm: 480,
		Curve: []annex.CurvePoint{{PayloadKg: 1000, RangeKm: 300}, {PayloadKg: 0, RangeKm: 480}, {PayloadKg: 750, RangeKm: 362}, {PayloadKg: 1500, RangeKm: 200}},
	}
}

func TestTradeOffChart(t *testing.T) {
	ch := newTradeOffChart(chartCapability())
	got := map[string]string{
		"x top":    ch.X.Ticks[len(ch.X.Ticks)-1].Label,
		"y top":    ch.Y.Ticks[len(ch.Y.Ticks)-1].Label,
		"curve":    ch.Curve,
		"box":      fmt.Sprint(ch.Box.X, " ", ch.Box.Y, " ", ch.Box.W, " ", ch.Box.H),
		"line 300": ch.Line300.String(),
		"nominal":  fmt.Sprint(ch.Nominal.X, ",", ch.Nominal.Y, " ", ch.Nominal.Anchor, " ", ch.Nominal.LabelX, ",", ch.Nominal.LabelY, " ", ch.Nominal.Label),
		"at 500":   fmt.Sprint(ch.At500.X, ",", ch.At500.Y, " ", ch.At500.Anchor, " ", ch.At500.LabelX, ",", ch.At500.LabelY, " ", ch.At500.Label),
		"title":    ch.Title,
		"band":     fmt.Sprint(ch.Band),
	}
	want := map[string]string{
		"x top": "600", // 480 km and 5 % room
		"y top": "1600",
		// Lightest payload first: x = 72 + range/600*544, y = 348 - payload/1600*320.
		"curve":    "M507.2,348 L400.2,198 L344,148 L253.3,48",
		"box":      "344 28 272 220",
		"line 300": "344",
		"nominal":  "344,148 start 352,140 Nominal: 1000 kg, 300 km",
		"at 500":   "476.4,248 end 468.4,240 500 kg: 446 km",
		"title":    "Range against payload of Test",
		"band":     "<nil>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("chart (-want +got):\n%s", diff)
	}

	t.Run("Band", func(t *testing.T) {
		c := chartCapability()
		c.Band = &annex.CapabilityBand{RangeKm: [2]float64{270, 620}}
		ch := newTradeOffChart(c)
		if got, want := ch.X.Ticks[len(ch.X.Ticks)-1].Label, "700"; got != want {
			t.Errorf("x top = %s, want %s: the band's high end must fit", got, want)
		}
		if got, want := fmt.Sprint(ch.Band[0].X, ",", ch.Band[0].Y, " ", ch.Band[1].X, ",", ch.Band[1].Y), "281.8,148 553.8,148"; got != want {
			t.Errorf("band = %s, want %s", got, want)
		}
	})
	t.Run("ShortRange", func(t *testing.T) {
		// The Category I box stays a fifth of the plot when the missile is
		// far from it.
		c := &annex.Capability{PayloadKg: 100, RangeKm: 40, Curve: []annex.CurvePoint{{PayloadKg: 50, RangeKm: 60}, {PayloadKg: 150, RangeKm: 20}}}
		ch := newTradeOffChart(c)
		if got, want := ch.X.Ticks[len(ch.X.Ticks)-1].Label, "400"; got != want {
			t.Errorf("x top = %s, want %s", got, want)
		}
		if ch.Box.W <= 0 || ch.Box.H <= 0 {
			t.Errorf("box = %+v, want a visible box", ch.Box)
		}
	})
	t.Run("NoCurve", func(t *testing.T) {
		if ch := newTradeOffChart(&annex.Capability{}); ch != nil {
			t.Fatalf("chart = %+v, want nil", ch)
		}
	})
}

func TestTrajectoryChart(t *testing.T) {
	tr := &annex.Trajectory{
		PayloadKg: 1000, RangeKm: 300, FlightTimeS: 400, ApogeeKm: 85,
		BurnoutSpeedMS: 1500, BurnoutAltitudeKm: 28.8, BurnoutDownrangeKm: 30, BurnoutTimeS: 75,
		Points: []annex.TrajectoryPoint{
			{TimeS: 0}, {TimeS: 40, DownrangeKm: 5, AltitudeKm: 15}, {TimeS: 75, DownrangeKm: 30, AltitudeKm: 28.8},
			{TimeS: 200, DownrangeKm: 150, AltitudeKm: 85}, {TimeS: 320, DownrangeKm: 260, AltitudeKm: 40}, {TimeS: 400, DownrangeKm: 300},
		},
	}
	ch := newTrajectoryChart("Test", tr)
	got := map[string]string{
		"x top":   ch.X.Ticks[len(ch.X.Ticks)-1].Label,
		"y top":   ch.Y.Ticks[len(ch.Y.Ticks)-1].Label,
		"powered": ch.Powered,
		"coast":   ch.Coast,
		"burnout": fmt.Sprint(ch.Burnout.X, ",", ch.Burnout.Y, " ", ch.Burnout.Label),
		"apogee":  fmt.Sprint(ch.Apogee.X, ",", ch.Apogee.Y, " ", ch.Apogee.Anchor, " ", ch.Apogee.LabelX, ",", ch.Apogee.LabelY, " ", ch.Apogee.Label),
		"title":   ch.Title,
	}
	want := map[string]string{
		"x top": "350",
		"y top": "100",
		// x = 72 + downrange/350*544, y = 348 - altitude*3.2; the sample at
		// burnout gives way to the burnout state, which both paths share.
		"powered": "M72,348 L79.8,300 L118.6,255.8",
		"coast":   "M118.6,255.8 L305.1,76 L476.1,220 L538.3,348",
		"burnout": "118.6,255.8 Burnout: 28.8 km up, 1500 m/s",
		"apogee":  "305.1,76 start 313.1,68 Apogee: 85 km",
		"title":   "Maximum-range trajectory of Test",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("chart (-want +got):\n%s", diff)
	}
	for _, tr := range []*annex.Trajectory{nil, {RangeKm: 300}} {
		if ch := newTrajectoryChart("", tr); ch != nil {
			t.Errorf("newTrajectoryChart(%+v) = %+v, want nil", tr, ch)
		}
	}
}
