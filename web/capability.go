package web

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"

	"annex"
)

// maxMissileBytes caps the body of a capability request, JSON or form: a
// missile of six stages takes well under a kilobyte.
const maxMissileBytes = 1 << 20

// handleCapability handles POST /api/v1/capability: the range/payload
// capability of one missile and the MTCR category it implies. Like
// classification it is a stateless calculation, public.
func (s *Server) handleCapability(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := annex.DecodeMissile(http.MaxBytesReader(w, r.Body, maxMissileBytes))
	if err != nil {
		if annex.ErrorCode(err) == annex.EINTERNAL {
			err = bodyError(err)
		}
		s.error(w, r, err)
		return
	}
	c, err := s.CapabilityService.Capability(r.Context(), m)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, c)
}

// capabilityPage is the data of /capability: the missile form, the JSON
// form, and the analysis of a submission.
type capabilityPage struct {
	layout
	Form *missileForm
	// JSON is the missile as JSON: the missile analysed, or the JSON
	// pasted when it has errors. JSONMode is set when JSON was submitted.
	JSON     string
	JSONMode bool
	// Message summarises a failed submission; Errors lists the errors that
	// belong to no input of the form.
	Message string
	Errors  []annex.FieldError
	Result  *capabilityView
}

// handleCapabilityPage handles GET /capability: an empty form.
func (s *Server) handleCapabilityPage(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	p := capabilityPage{layout: s.layout(r, "Missile capability"), Form: newMissileForm(defaultStageRows)}
	s.render(w, r, http.StatusOK, "capability", p)
}

// handleCapabilityForm handles POST /capability: analyse the missile of the
// stage form, or the pasted JSON, and show the analysis or the errors. The
// form's "Add a stage" button, for browsers without script, posts add_stage
// and gets the form back with one more row.
func (s *Server) handleCapabilityForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxMissileBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	form := r.PostForm
	p := capabilityPage{layout: s.layout(r, "Missile capability")}
	var m *annex.Missile
	var err error
	if form.Has("json") {
		p.JSON, p.JSONMode = form.Get("json"), true
		p.Form = newMissileForm(defaultStageRows)
		if m, err = annex.DecodeMissile(strings.NewReader(p.JSON)); err == nil {
			p.Form = formFromMissile(m)
		}
	} else {
		p.Form, m, err = parseMissileForm(form)
		if form.Has("add_stage") {
			p.Form.addStage()
			s.render(w, r, http.StatusOK, "capability", p)
			return
		}
	}
	var c *annex.Capability
	if err == nil {
		c, err = s.CapabilityService.Capability(r.Context(), m)
	}
	if annex.ErrorCode(err) == annex.EINVALID {
		p.setErrors(err)
		s.render(w, r, http.StatusUnprocessableEntity, "capability", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	p.Result = newCapabilityView(c)
	p.JSON = missileJSON(m)
	s.render(w, r, http.StatusOK, "capability", p)
}

// setErrors puts each field error next to its input, or in the list of
// errors when no input has its path. Errors about pasted JSON all go in the
// list.
func (p *capabilityPage) setErrors(err error) {
	p.Message = "The missile could not be analysed: correct the fields marked below."
	fields := annex.ErrorFields(err)
	if len(fields) == 0 {
		p.Message = annex.ErrorMessage(err)
	}
	for _, fe := range fields {
		if p.JSONMode || !p.Form.setError(fe) {
			p.Errors = append(p.Errors, fe)
		}
	}
}

// missileJSON returns the missile as indented JSON, for the JSON form.
func missileJSON(m *annex.Missile) string {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

// capabilityView is an analysis as the pages show it.
type capabilityView struct {
	C          *annex.Capability
	TradeOff   *tradeOffChart
	Trajectory *trajectoryChart
}

func newCapabilityView(c *annex.Capability) *capabilityView {
	return &capabilityView{C: c, TradeOff: newTradeOffChart(c), Trajectory: newTrajectoryChart(c.Name, c.Trajectory)}
}

// capabilityVerdict names the category of an analysis and its entry:
// "Category I under 1.A.1".
func capabilityVerdict(c *annex.Capability) string {
	if c.Category == "none" || c.Category == "" {
		return "Not Category I or II as a complete system"
	}
	v := "Category " + c.Category
	if c.Entry != nil {
		v += " under " + *c.Entry
	}
	return v
}

// payloadAt300Text describes the heaviest payload that reaches 300 km. The
// classifier leaves it out (null) of the capability it attaches to a
// classification even when the missile reaches 300 km, which null would
// deny: it then reads as not computed.
func payloadAt300Text(c *annex.Capability) string {
	switch {
	case c.PayloadAt300kmKg != nil:
		return annex.FormatNumber(*c.PayloadAt300kmKg) + " kg"
	case c.MaxRangeKm >= categoryIRangeKm:
		return "not computed"
	}
	return "none: it does not reach 300 km"
}

// keplerDifference compares the simulated range with the Kepler range of
// the burnout state: "the simulated flight goes 10.7 % further".
func keplerDifference(t *annex.Trajectory) string {
	if t == nil || t.KeplerRangeKm == 0 {
		return ""
	}
	d := math.Round((t.RangeKm-t.KeplerRangeKm)/t.KeplerRangeKm*1000) / 10
	switch {
	case d > 0:
		return "the simulated flight goes " + annex.FormatNumber(d) + " % further"
	case d < 0:
		return "the simulated flight falls " + annex.FormatNumber(-d) + " % shorter"
	}
	return "the simulated flight goes as far"
}
