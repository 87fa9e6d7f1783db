package controllist

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"annex"
	"annex/ballistics"
)

// The MTCR Category I threshold: 500 kg to 300 km (Annex items 1.A.1, 19.A.1).
const (
	thresholdPayloadKg = 500.0
	thresholdRangeM    = 300e3
)

// curvePoints is the number of points of a trade-off curve.
const curvePoints = 20

// trajectoryPoints is how many samples of the nominal flight are kept for
// drawing it.
const trajectoryPoints = 200

// Capability implements annex.CapabilityService with Analyse. At most one
// analysis per CPU runs at a time, since each takes a CPU for a fraction of
// a second; callers wait their turn, or give up with their context.
func (s *Service) Capability(ctx context.Context, m *annex.Missile) (*annex.Capability, error) {
	select {
	case s.analyses <- struct{}{}:
		defer func() { <-s.analyses }()
	case <-ctx.Done():
		return nil, fmt.Errorf("capability: %w", ctx.Err())
	}
	return Analyse(m)
}

var _ annex.CapabilityService = (*Service)(nil)

// Analyse computes a missile's range/payload capability and the MTCR
// category it implies: Category I (1.A.1) when it can deliver at least
// 500 kg to at least 300 km, payload traded for range; Category II (19.A.1)
// when it reaches 300 km only with less than 500 kg; otherwise none.
func Analyse(m *annex.Missile) (*annex.Capability, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	v, o := vehicle(m), options(m)
	o.Points = trajectoryPoints
	var (
		wg       sync.WaitGroup
		key      keyPoints
		keyErr   error
		curve    []annex.CurvePoint
		curveErr error
		band     *annex.CapabilityBand
		bandErr  error
	)
	wg.Go(func() { key, keyErr = analyseKeyPoints(v, m, o, true) })
	wg.Go(func() { curve, curveErr = tradeOffCurve(v, m, o) })
	if m.Uncertainty != nil {
		wg.Go(func() { band, bandErr = uncertaintyBand(v, m, o) })
	}
	wg.Wait()
	if err := errors.Join(keyErr, curveErr, bandErr); err != nil {
		return nil, err
	}
	c := key.capability(m)
	c.Curve, c.Band = curve, band
	return c, nil
}

// keyPoints are the results the verdict rests on.
type keyPoints struct {
	nominal, at500, lightest ballistics.Result
	payloadAt300             float64
	reaches300               bool
}

func (k keyPoints) category() (string, *string) {
	switch {
	case k.at500.RangeM >= thresholdRangeM:
		e := "1.A.1"
		return "I", &e
	case k.lightest.RangeM >= thresholdRangeM:
		e := "19.A.1"
		return "II", &e
	}
	return "none", nil
}

// analyseKeyPoints flies the nominal payload, 500 kg and the lightest
// payload, each on its best pitch program, and, when full, searches the
// heaviest payload that still reaches 300 km.
func analyseKeyPoints(v ballistics.Vehicle, m *annex.Missile, o ballistics.Options, full bool) (keyPoints, error) {
	var k keyPoints
	var err error
	v.PayloadKg = m.PayloadKg
	if k.nominal, err = ballistics.MaxRange(v, o); err != nil {
		return k, fmt.Errorf("maximum range at the nominal payload: %w", err)
	}
	o.Points = 0
	v.PayloadKg = thresholdPayloadKg
	if k.at500, err = maxRangeOrNone(v, k.nominal.Program, o); err != nil {
		return k, fmt.Errorf("maximum range with 500 kg: %w", err)
	}
	v.PayloadKg = m.MinPayloadKg
	if k.lightest, err = maxRangeOrNone(v, k.nominal.Program, o); err != nil {
		return k, fmt.Errorf("maximum range at the lightest payload: %w", err)
	}
	if !full || k.lightest.RangeM < thresholdRangeM {
		return k, nil
	}
	// The heaviest payload the first stage lifts bounds the search.
	hi := liftoffLimitKg(v)
	k.payloadAt300, k.reaches300, err = ballistics.PayloadForRange(v, thresholdRangeM, m.MinPayloadKg, hi, o)
	if err != nil {
		return k, fmt.Errorf("heaviest payload to 300 km: %w", err)
	}
	return k, nil
}

func (k keyPoints) capability(m *annex.Missile) *annex.Capability {
	cat, entry := k.category()
	c := &annex.Capability{
		Name: m.Name, PayloadKg: m.PayloadKg, MinPayloadKg: m.MinPayloadKg,
		RangeKm: km(k.nominal.RangeM), RangeAt500kgKm: km(k.at500.RangeM), MaxRangeKm: km(k.lightest.RangeM),
		Category: cat, Entry: entry, Trajectory: trajectory(k.nominal, m.PayloadKg),
		Curve: []annex.CurvePoint{},
	}
	if k.reaches300 {
		p := math.Round(k.payloadAt300*10) / 10
		c.PayloadAt300kmKg = &p
	}
	c.Reason = k.reason(m)
	c.Model = modelInfo(m)
	return c
}

func (k keyPoints) reason(m *annex.Missile) string {
	nominal := fmt.Sprintf("With its nominal %s kg it flies %s km.", annex.FormatNumber(m.PayloadKg), annex.FormatNumber(km(k.nominal.RangeM)))
	switch cat, _ := k.category(); cat {
	case "I":
		return fmt.Sprintf("Category I (1.A.1): with 500 kg it flies %s km, at least 300 km, trading payload for range. %s",
			annex.FormatNumber(km(k.at500.RangeM)), nominal)
	case "II":
		return fmt.Sprintf("Category II (19.A.1): it reaches 300 km only with less than 500 kg (%s km with %s kg; %s km with 500 kg). %s",
			annex.FormatNumber(km(k.lightest.RangeM)), annex.FormatNumber(m.MinPayloadKg), annex.FormatNumber(km(k.at500.RangeM)), nominal)
	}
	return fmt.Sprintf("No complete-system entry: even with %s kg it flies %s km, less than 300 km. %s",
		annex.FormatNumber(m.MinPayloadKg), annex.FormatNumber(km(k.lightest.RangeM)), nominal)
}

// maxRangeOrNone is the maximum range at the vehicle's payload, or a zero
// result when no pitch program flies it: the payload is too heavy to lift,
// or every program meets the ground before burnout.
func maxRangeOrNone(v ballistics.Vehicle, start ballistics.Program, o ballistics.Options) (ballistics.Result, error) {
	r, err := ballistics.MaxRangeFrom(v, start, o)
	if errors.Is(err, ballistics.ErrNoLiftoff) || errors.Is(err, ballistics.ErrGroundBeforeBurnout) {
		return ballistics.Result{}, nil
	}
	return r, err
}

// liftoffLimitKg is the heaviest payload whose weight the first stage's
// sea-level thrust still exceeds, with a 2 % margin. Thrust in kilograms-force
// is Isp times the mass flow.
func liftoffLimitKg(v ballistics.Vehicle) float64 {
	s := v.Stages[0]
	thrustKgf := s.IspS * s.PropellantKg / s.BurnS
	mass := 0.0
	for _, st := range v.Stages {
		mass += st.PropellantKg + st.DryKg
	}
	return math.Max(thrustKgf/1.02-mass, 0)
}

// tradeOffCurve computes the maximum range at 20 payloads, from the lightest
// to well past the nominal payload and 500 kg, or to the heaviest payload
// the missile lifts.
func tradeOffCurve(v ballistics.Vehicle, m *annex.Missile, o ballistics.Options) ([]annex.CurvePoint, error) {
	o.Points = 0
	top := math.Max(1.5*math.Max(m.PayloadKg, thresholdPayloadKg), m.MinPayloadKg+100)
	top = math.Max(math.Min(top, liftoffLimitKg(v)), m.MinPayloadKg+1)
	payloads := make([]float64, curvePoints)
	for i := range payloads {
		payloads[i] = m.MinPayloadKg + (top-m.MinPayloadKg)*float64(i)/float64(curvePoints-1)
	}
	results, err := ballistics.Curve(v, payloads, o)
	if errors.Is(err, ballistics.ErrNoLiftoff) || errors.Is(err, ballistics.ErrGroundBeforeBurnout) {
		// The curve ends where the missile no longer flies.
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("trade-off curve: %w", err)
	}
	curve := make([]annex.CurvePoint, 0, len(results))
	for i, r := range results {
		curve = append(curve, annex.CurvePoint{PayloadKg: math.Round(payloads[i]*10) / 10, RangeKm: km(r.RangeM)})
	}
	return curve, nil
}

// uncertaintyBand flies the missile with every uncertain input at its
// unfavourable end, then at its favourable end.
func uncertaintyBand(v ballistics.Vehicle, m *annex.Missile, o ballistics.Options) (*annex.CapabilityBand, error) {
	var ends [2]keyPoints
	var errs [2]error
	var wg sync.WaitGroup
	for i, sign := range []float64{-1, 1} {
		wg.Go(func() {
			vv, oo := perturb(v, o, m.Uncertainty, sign)
			oo.Points = 0
			ends[i], errs[i] = analyseKeyPoints(vv, m, oo, true)
		})
	}
	wg.Wait()
	if err := errors.Join(errs[0], errs[1]); err != nil {
		return nil, fmt.Errorf("uncertainty band: %w", err)
	}
	b := &annex.CapabilityBand{}
	for i, k := range ends {
		b.RangeKm[i] = km(k.nominal.RangeM)
		b.RangeAt500kgKm[i] = km(k.at500.RangeM)
		b.MaxRangeKm[i] = km(k.lightest.RangeM)
		if k.reaches300 {
			p := math.Round(k.payloadAt300*10) / 10
			b.PayloadAt300kmKg[i] = &p
		}
		b.Category[i], _ = k.category()
	}
	return b, nil
}

// perturb moves every uncertain input to the end that shortens the flight
// (sign -1) or lengthens it (sign +1).
func perturb(v ballistics.Vehicle, o ballistics.Options, u *annex.Uncertainty, sign float64) (ballistics.Vehicle, ballistics.Options) {
	out := ballistics.Vehicle{PayloadKg: v.PayloadKg, Stages: append([]ballistics.Stage(nil), v.Stages...)}
	f := func(pct float64) float64 { return 1 + sign*pct/100 }
	for i := range out.Stages {
		s := &out.Stages[i]
		s.IspS *= f(u.IspPercent)
		s.IspVacuumS *= f(u.IspPercent)
		s.PropellantKg *= f(u.PropellantMassPercent)
		s.DryKg *= 2 - f(u.DryMassPercent)
		// A shorter burn loses less to gravity.
		s.BurnS *= 2 - f(u.BurnTimePercent)
	}
	scale := o.CdScale
	if scale == 0 {
		scale = 1
	}
	o.CdScale = scale * (2 - f(u.DragPercent))
	return out, o
}

// vehicle converts a missile to the flight model's SI vehicle.
func vehicle(m *annex.Missile) ballistics.Vehicle {
	v := ballistics.Vehicle{PayloadKg: m.PayloadKg}
	for _, s := range m.Stages {
		v.Stages = append(v.Stages, ballistics.Stage{
			PropellantKg: s.PropellantMassKg, DryKg: s.Dry(), IspS: s.IspS, IspVacuumS: s.IspVacuumS,
			BurnS: s.BurnTimeS, DiameterM: s.DiameterM, NozzleExitAreaM2: s.NozzleExitAreaM2,
		})
	}
	return v
}

func options(m *annex.Missile) ballistics.Options {
	var o ballistics.Options
	if l := m.Launch; l != nil && l.RotatingEarth {
		o.Rotating = true
		o.LatitudeRad = l.LatitudeDeg * math.Pi / 180
		o.AzimuthRad = l.AzimuthDeg * math.Pi / 180
	}
	return o
}

func modelInfo(m *annex.Missile) annex.ModelInfo {
	mi := annex.ModelInfo{Description: "Point-mass flight over a spherical Earth with inverse-square gravity, US Standard Atmosphere 1976, drag from Forden's (2007) drag coefficient against Mach number, thrust from Isp (corrected for ambient pressure when the nozzle exit area is known), staging with jettison, the last stage staying with the payload; the pitch program (vertical rise, pitch-over, held angle) is searched for maximum range at each payload."}
	if l := m.Launch; l != nil && l.RotatingEarth {
		mi.RotatingEarth, mi.LatitudeDeg, mi.AzimuthDeg = true, l.LatitudeDeg, l.AzimuthDeg
	}
	return mi
}

func trajectory(r ballistics.Result, payloadKg float64) *annex.Trajectory {
	deg := 180 / math.Pi
	t := &annex.Trajectory{
		PayloadKg: payloadKg, RangeKm: km(r.RangeM), FlightTimeS: round1(r.FlightTimeS), ApogeeKm: km(r.ApogeeM),
		BurnoutSpeedMS: round1(r.Burnout.SpeedMS), BurnoutAngleDeg: round2(r.Burnout.FlightPathRad * deg),
		BurnoutAltitudeKm: km(r.Burnout.AltitudeM), BurnoutDownrangeKm: km(r.Burnout.DownrangeM), BurnoutTimeS: round1(r.Burnout.TimeS),
		IdealDeltaVMS: round1(r.IdealDeltaVMS), GravityLossMS: round1(r.GravityLossMS), DragLossMS: round1(r.DragLossMS),
		VerticalRiseS: round2(r.Program.VerticalS), PitchRateDegS: round3(r.Program.PitchRateRadS * deg),
		HoldAngleDeg: round2(r.Program.HoldRad * deg), KeplerRangeKm: km(r.KeplerRangeM),
	}
	for _, p := range r.Points {
		t.Points = append(t.Points, annex.TrajectoryPoint{TimeS: round1(p.TimeS), DownrangeKm: km(p.DownrangeM), AltitudeKm: km(p.AltitudeM), SpeedMS: round1(p.SpeedMS)})
	}
	return t
}

// km converts metres to kilometres, to the nearest 100 m.
func km(m float64) float64 { return math.Round(m/100) / 10 }

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// missileValues sets the range and payload of a rocket system described by
// a missile spec from its computed capability: the point of the trade-off
// curve that decides its category. Errors name the item's fields.
func (c *Classifier) missileValues(ki *kindInfo, vals []pval, it *annex.Item, path string) (*annex.Capability, []annex.FieldError) {
	if it.Kind != "rocket_system" {
		return nil, []annex.FieldError{{Field: joinPath(path, "missile"), Message: "only a rocket_system item carries a missile spec"}}
	}
	var errs []annex.FieldError
	for _, name := range []string{"range_km", "payload_kg"} {
		if _, given := it.Params[name]; given {
			errs = append(errs, annex.FieldError{Field: joinPath(path, "params."+name), Message: "give either a missile spec or range_km and payload_kg, not both"})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if err := it.Missile.Validate(); err != nil {
		for _, f := range annex.ErrorFields(err) {
			errs = append(errs, annex.FieldError{Field: joinPath(path, "missile."+f.Field), Message: f.Message})
		}
		return nil, errs
	}
	k, err := analyseKeyPoints(vehicle(it.Missile), it.Missile, options(it.Missile), true)
	if err != nil {
		return nil, []annex.FieldError{{Field: joinPath(path, "missile"), Message: "the flight model found no trajectory: " + err.Error()}}
	}
	rangeM, payloadKg := k.nominal.RangeM, it.Missile.PayloadKg
	switch cat, _ := k.category(); cat {
	case "I":
		rangeM, payloadKg = k.at500.RangeM, thresholdPayloadKg
	case "II":
		rangeM, payloadKg = k.lightest.RangeM, it.Missile.MinPayloadKg
	}
	for name, si := range map[string]float64{"range_km": rangeM, "payload_kg": payloadKg} {
		i, ok := ki.index[name]
		if !ok {
			continue
		}
		p := ki.kind.Params[i]
		// Ranges to 100 m, as the analysis reports them.
		vals[i] = pval{set: true, derived: true, si: si, v: annex.Number(math.Round(p.FromSI(si)*10) / 10)}
	}
	capab := k.capability(it.Missile)
	capab.Trajectory.Points = nil
	return capab, nil
}
