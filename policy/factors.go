package policy

import (
	"fmt"
	"strings"

	"annex"
)

// The six factors of MTCR Guidelines para. 3.
var factorTitles = [...][2]string{
	{"A", "Concerns about the proliferation of weapons of mass destruction"},
	{"B", "The capabilities and objectives of the missile and space programmes of the recipient state"},
	{"C", "The significance of the transfer for the potential development of delivery systems for weapons of mass destruction"},
	{"D", "The assessment of the end use, including the recipient state's assurances"},
	{"E", "The applicability of relevant multilateral agreements"},
	{"F", "The risk of controlled items falling into the hands of terrorist groups and individuals"},
}

// factors fills the six-factor checklist with what the assessment found for
// each; the officer weighs them.
func (s *assessment) factors() []annex.Factor {
	out := make([]annex.Factor, len(factorTitles))
	for i, t := range factorTitles {
		out[i] = annex.Factor{ID: t[0], Title: t[1], Findings: []string{}}
	}
	add := func(i int, format string, args ...any) {
		out[i].Findings = append(out[i].Findings, fmt.Sprintf(format, args...))
	}
	d := s.spec.Declarations
	if d.CatchAll() {
		add(0, "A WMD-delivery end use is declared (known %t, suspected %t, notified by the authority %t).", d.WMDEndUseKnown, d.WMDEndUseSuspected, d.InformedByAuthority)
	}
	for _, r := range s.a.Reasons {
		if r.Rule == "screening-match" || r.Rule == "sanctions-register" || r.Rule == "screening-near-match" {
			add(0, "%s", r.Detail)
		}
	}
	st := s.a.Destination
	switch {
	case st.Partner:
		add(1, "%s is an MTCR partner.", st.Name)
	case st.Adherent:
		add(1, "%s adheres to the MTCR Guidelines unilaterally.", st.Name)
	default:
		add(1, "%s is neither an MTCR partner nor an adherent: check its missile and space programmes.", st.Name)
	}
	for i, cl := range s.in.Lines {
		if cl != nil && cl.Controlled {
			add(2, "Line %d (%s): Category %s under %s.", i+1, lineName(s.spec, i), cl.Category, entries(cl))
			if c := cl.Capability; c != nil {
				add(2, "Line %d: %s", i+1, c.Reason)
			}
		}
	}
	add(3, "Stated end use: %s", strings.TrimSpace(s.spec.EndUse))
	a := s.spec.Assurances
	add(3, "Assurances: end-use statement %s, no WMD use %s, no retransfer without consent %s, post-shipment verification %s, government-to-government undertaking %s.",
		yes(a.EndUseStatement), yes(a.NoWMDUse), yes(a.NoRetransfer), yes(a.PostShipmentVerification), yes(a.GovernmentToGovernment))
	for _, f := range s.undercutFindings() {
		add(3, "%s", f)
	}
	for _, e := range st.Embargoes {
		add(4, "%s is under %s.", st.Name, e)
	}
	for _, h := range st.Holds {
		add(4, "Policy hold: %s", h)
	}
	for i, r := range s.in.Parties {
		if r == nil {
			continue
		}
		for _, m := range r.Matches {
			if m.Match && terrorism(m.Programs) {
				add(5, "%s %q matches %s %s, listed under a terrorism programme (%s).", roleText(s.spec.Parties[i].Role), s.spec.Parties[i].Name, m.Source, m.SourceID, strings.Join(m.Programs, ", "))
			}
		}
	}
	return out
}

func yes(b bool) string {
	if b {
		return "given"
	}
	return "not given"
}

// terrorism reports whether a list programme concerns terrorism.
func terrorism(programs []string) bool {
	for _, p := range programs {
		u := strings.ToUpper(p)
		for _, k := range []string{"SDGT", "SDT", "FTO", "TERROR", "AL-QAIDA", "ISIL", "DAESH", "TALIBAN"} {
			if strings.Contains(u, k) {
				return true
			}
		}
	}
	return false
}
