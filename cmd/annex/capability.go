package main

import (
	"context"
	"fmt"
	"io"

	"annex"
	"annex/controllist"
)

func runCapability(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "capability", "[-json] FILE|-")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := decodeFileArg(e, fs, "one FILE", annex.DecodeMissile)
	if err != nil {
		return err
	}
	c, err := controllist.Analyse(m)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, c)
	}
	writeCapability(e.stdout, c)
	return nil
}

// writeCapability writes a capability analysis for people.
func writeCapability(w io.Writer, c *annex.Capability) {
	name := c.Name
	if name == "" {
		name = "missile"
	}
	entry := "no complete-system entry"
	if c.Entry != nil {
		entry = "entry " + *c.Entry
	}
	fmt.Fprintf(w, "%s: Category %s (%s)\n  %s\n\n", name, c.Category, entry, c.Reason)
	n := annex.FormatNumber
	fmt.Fprintf(w, "  range at the nominal %s kg      %s km\n", n(c.PayloadKg), n(c.RangeKm))
	fmt.Fprintf(w, "  range with 500 kg              %s km\n", n(c.RangeAt500kgKm))
	if c.PayloadAt300kmKg != nil {
		fmt.Fprintf(w, "  heaviest payload to 300 km     %s kg\n", n(*c.PayloadAt300kmKg))
	} else {
		fmt.Fprintf(w, "  heaviest payload to 300 km     none reaches 300 km\n")
	}
	fmt.Fprintf(w, "  range at the lightest %s kg     %s km\n", n(c.MinPayloadKg), n(c.MaxRangeKm))
	if b := c.Band; b != nil {
		fmt.Fprintf(w, "  band over the uncertainties: range %s to %s km, with 500 kg %s to %s km, category %s to %s\n",
			n(b.RangeKm[0]), n(b.RangeKm[1]), n(b.RangeAt500kgKm[0]), n(b.RangeAt500kgKm[1]), b.Category[0], b.Category[1])
	}
	if t := c.Trajectory; t != nil {
		fmt.Fprintf(w, "\n  maximum-range flight at %s kg: vertical %s s, pitch-over %s °/s, held at %s°\n", n(t.PayloadKg), n(t.VerticalRiseS), n(t.PitchRateDegS), n(t.HoldAngleDeg))
		fmt.Fprintf(w, "    burnout at %s s: %s m/s, %s° above the horizon, %s km up, %s km downrange\n",
			n(t.BurnoutTimeS), n(t.BurnoutSpeedMS), n(t.BurnoutAngleDeg), n(t.BurnoutAltitudeKm), n(t.BurnoutDownrangeKm))
		fmt.Fprintf(w, "    ideal Δv %s m/s, gravity loss %s m/s, drag loss %s m/s\n", n(t.IdealDeltaVMS), n(t.GravityLossMS), n(t.DragLossMS))
		fmt.Fprintf(w, "    apogee %s km, flight time %s s; Kepler cross-check from burnout %s km\n", n(t.ApogeeKm), n(t.FlightTimeS), n(t.KeplerRangeKm))
	}
	fmt.Fprintf(w, "\n  trade-off curve (payload kg: range km)\n")
	for _, p := range c.Curve {
		fmt.Fprintf(w, "    %8s: %s\n", n(p.PayloadKg), n(p.RangeKm))
	}
	fmt.Fprintf(w, "\n  model: %s\n", c.Model.Description)
	if c.Model.RotatingEarth {
		fmt.Fprintf(w, "  rotating Earth, launch at latitude %s°, azimuth %s°\n", n(c.Model.LatitudeDeg), n(c.Model.AzimuthDeg))
	}
}
