package controllist_test

import (
	"math"
	"testing"

	"annex"
	"annex/controllist"
)

// forden returns Scud-B on Forden's (2007) inputs with a nominal payload.
func forden(payloadKg float64) *annex.Missile {
	return &annex.Missile{Name: "Scud-B", PayloadKg: payloadKg, Stages: []annex.Stage{
		{PropellantMassKg: 3699, DryMassKg: 1198, IspS: 230, BurnTimeS: 75, DiameterM: 0.84}}}
}

func within(got, want, pct float64) bool { return math.Abs(got-want) <= want*pct/100 }

func TestAnalyseScudB(t *testing.T) {
	c, err := controllist.Analyse(forden(1000))
	if err != nil {
		t.Fatal(err)
	}
	if c.Category != "I" || c.Entry == nil || *c.Entry != "1.A.1" {
		t.Errorf("Category=%s Entry=%v, want I 1.A.1 (%s)", c.Category, c.Entry, c.Reason)
	}
	// Forden's reference simulation on the same inputs: 288 km.
	if !within(c.RangeKm, 288, 5) {
		t.Errorf("RangeKm=%v, want 288 ± 5 %%", c.RangeKm)
	}
	if c.RangeAt500kgKm <= 300 || c.RangeAt500kgKm <= c.RangeKm {
		t.Errorf("RangeAt500kgKm=%v, want more than 300 km and than the nominal %v", c.RangeAt500kgKm, c.RangeKm)
	}
	if c.PayloadAt300kmKg == nil || *c.PayloadAt300kmKg < 500 || *c.PayloadAt300kmKg > 1100 {
		t.Errorf("PayloadAt300kmKg=%v, want between 500 and 1,100 kg", c.PayloadAt300kmKg)
	}
	if c.MaxRangeKm <= c.RangeAt500kgKm {
		t.Errorf("MaxRangeKm=%v, want more than the range with 500 kg %v", c.MaxRangeKm, c.RangeAt500kgKm)
	}
	if len(c.Curve) != 20 {
		t.Fatalf("curve has %d points, want 20", len(c.Curve))
	}
	for i := 1; i < len(c.Curve); i++ {
		if c.Curve[i].PayloadKg <= c.Curve[i-1].PayloadKg || c.Curve[i].RangeKm > c.Curve[i-1].RangeKm {
			t.Errorf("curve not a trade-off at %d: %v then %v", i, c.Curve[i-1], c.Curve[i])
		}
	}
	tr := c.Trajectory
	if tr == nil || tr.BurnoutSpeedMS < 1300 || tr.BurnoutSpeedMS > 1800 || tr.BurnoutTimeS != 75 || len(tr.Points) == 0 {
		t.Fatalf("trajectory=%+v", tr)
	}
	if tr.GravityLossMS <= 0 || tr.DragLossMS <= 0 || tr.IdealDeltaVMS <= tr.BurnoutSpeedMS {
		t.Errorf("losses: ideal %v, gravity %v, drag %v, burnout %v", tr.IdealDeltaVMS, tr.GravityLossMS, tr.DragLossMS, tr.BurnoutSpeedMS)
	}
	// The Kepler closed form from burnout ignores re-entry drag: it is a
	// cross-check, close to the integrated range.
	if !within(tr.KeplerRangeKm, c.RangeKm, 10) {
		t.Errorf("KeplerRangeKm=%v, want within 10 %% of %v", tr.KeplerRangeKm, c.RangeKm)
	}
}

// TestAnalyseScudBHeavy is the M-11 argument: a nominal payload that falls
// short of 300 km does not make a missile Category II when it can trade
// payload for range.
func TestAnalyseScudBHeavy(t *testing.T) {
	c, err := controllist.Analyse(forden(1150))
	if err != nil {
		t.Fatal(err)
	}
	if c.RangeKm >= 300 {
		t.Errorf("RangeKm=%v with 1,150 kg, want short of 300 km", c.RangeKm)
	}
	if c.Category != "I" || *c.Entry != "1.A.1" {
		t.Errorf("Category=%s, want I: %s", c.Category, c.Reason)
	}
}

// small is a single-stage rocket scaled to the given propellant mass.
func small(propellantKg, payloadKg float64) *annex.Missile {
	return &annex.Missile{PayloadKg: payloadKg, Stages: []annex.Stage{
		{PropellantMassKg: propellantKg, DryMassKg: propellantKg / 3, IspS: 250, BurnTimeS: 40, DiameterM: 0.5}}}
}

func TestAnalyseCategories(t *testing.T) {
	t.Run("II: 300 km only with a light payload", func(t *testing.T) {
		c, err := controllist.Analyse(small(900, 100))
		if err != nil {
			t.Fatal(err)
		}
		if c.Category != "II" || c.Entry == nil || *c.Entry != "19.A.1" {
			t.Fatalf("Category=%s Entry=%v, want II 19.A.1: %s (max %v, 500 kg %v)", c.Category, c.Entry, c.Reason, c.MaxRangeKm, c.RangeAt500kgKm)
		}
		if c.PayloadAt300kmKg == nil || *c.PayloadAt300kmKg >= 500 {
			t.Errorf("PayloadAt300kmKg=%v, want under 500 kg", c.PayloadAt300kmKg)
		}
	})
	t.Run("none: short of 300 km even empty", func(t *testing.T) {
		c, err := controllist.Analyse(small(150, 20))
		if err != nil {
			t.Fatal(err)
		}
		if c.Category != "none" || c.Entry != nil || c.PayloadAt300kmKg != nil {
			t.Errorf("Category=%s Entry=%v PayloadAt300kmKg=%v, want none, null, null", c.Category, c.Entry, c.PayloadAt300kmKg)
		}
	})
}

func TestAnalyseBand(t *testing.T) {
	m := forden(1000)
	m.Uncertainty = &annex.Uncertainty{IspPercent: 5, DryMassPercent: 5, DragPercent: 10}
	c, err := controllist.Analyse(m)
	if err != nil {
		t.Fatal(err)
	}
	b := c.Band
	if b == nil || !(b.RangeKm[0] < c.RangeKm && c.RangeKm < b.RangeKm[1]) {
		t.Fatalf("band=%+v around %v", b, c.RangeKm)
	}
	if !(b.RangeAt500kgKm[0] < c.RangeAt500kgKm && c.RangeAt500kgKm < b.RangeAt500kgKm[1]) {
		t.Errorf("band with 500 kg=%v around %v", b.RangeAt500kgKm, c.RangeAt500kgKm)
	}
}

func TestAnalyseInvalid(t *testing.T) {
	m := forden(1000)
	m.Stages[0].IspS = 600
	_, err := controllist.Analyse(m)
	if f := annex.ErrorFields(err); len(f) != 1 || f[0].Field != "stages[0].isp_s" {
		t.Errorf("fields=%v, want stages[0].isp_s", f)
	}
}

// TestClassifyMissile checks that the classifier decides a rocket system
// given by its stages from the flight model.
func TestClassifyMissile(t *testing.T) {
	c := mustClassifier(t)
	cl, err := c.ClassifyItem(annex.Item{Name: "Scud-B", Kind: "rocket_system", Missile: forden(1150)})
	if err != nil {
		t.Fatal(err)
	}
	if cl.Category != annex.CategoryI || len(cl.Entries) != 1 || cl.Entries[0].ID != "1.A.1" {
		t.Fatalf("classification=%s %v, want Category I under 1.A.1", cl.Category, cl.Entries)
	}
	if cl.Capability == nil || cl.Capability.Category != "I" {
		t.Errorf("Capability=%+v", cl.Capability)
	}
	for _, cmp := range cl.Entries[0].Criteria {
		if !cmp.Derived {
			t.Errorf("criterion %s not marked derived from the flight model", cmp.Param)
		}
	}
	cl, err = c.ClassifyItem(annex.Item{Kind: "rocket_system", Missile: small(900, 100)})
	if err != nil || cl.Category != annex.CategoryII || cl.Entries[0].ID != "19.A.1" {
		t.Errorf("light-payload rocket: %v %v, want Category II under 19.A.1", cl, err)
	}
	_, err = c.Classify([]annex.Item{{Kind: "rocket_system", Params: map[string]any{"range_km": 300.0}, Missile: forden(1000)}})
	if f := annex.ErrorFields(err); len(f) != 1 || f[0].Field != "params.range_km" {
		t.Errorf("missile and range: fields=%v, want params.range_km", f)
	}
	_, err = c.Classify([]annex.Item{{Kind: "guidance_set", Missile: forden(1000)}})
	if f := annex.ErrorFields(err); len(f) != 1 || f[0].Field != "missile" {
		t.Errorf("missile on a guidance set: fields=%v, want missile", f)
	}
}
