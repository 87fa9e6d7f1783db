// Package policy assesses licence applications against the MTCR Guidelines
// and the authority's destination policy.
//
// Assess is a pure function: it takes an application, the classification of
// every goods line, the screening of every party, the policy holds, the
// partners' denials and the day, and returns a recommendation with its
// reasons, each citing a rule, and the six factors of the Guidelines as a
// checklist for the officer.
// Service wraps it with the classifier and the screener.
//
// The rules, from the strictest outcome down:
//
//	deny   mtcr-cat1-production-facility  a Category I production facility (Guidelines para. 2)
//	deny   mtcr-cat1-no-g2g               a Category I item without a government-to-government undertaking
//	deny   wmd-end-use                    a WMD-delivery end use known, suspected or notified (catch-all)
//	deny   sanctions-register             a party matches an entity with a measure in force in the sanctions register
//	deny   screening-match                a party matches a sanctions or denied-party list
//	deny   un-embargo                     a listed item, or one with a catch-all ground, to a UN-embargoed destination
//	deny   destination-hold               a hold in force for the destination whose effect is deny
//	refer  mtcr-cat1-g2g                  a Category I item with a government-to-government undertaking
//	refer  destination-non-partner        a Category II item to a destination neither partner nor adherent
//	refer  missing-assurances             a Category II item without the three required assurances
//	refer  screening-near-match           a party scores below the threshold but within 0.1 of it
//	refer  no-undercut                    a partner's denial in force for the destination, of a line's entry or a parent of it, to the same end user (Undercuts)
//	refer  destination-hold               a hold whose effect is refer
//	refer  screening-unavailable          a party could not be screened (no list loaded)
//	refer  classification-incomplete      a line lacks a parameter needed to classify it
//	approve mtcr-cat2-conditions-met      Category II only, partner or adherent, assurances given, no hit
//	no_licence_required nothing-listed    nothing listed and no catch-all ground
package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"annex"
)

// NearMatchMargin is how far below the screening threshold a score still
// calls for referral.
const NearMatchMargin = 0.1

// Inputs are what an assessment rests on besides the application.
type Inputs struct {
	// Lines holds the classification of each goods line, in order.
	Lines []*annex.Classification
	// Parties holds the screening result of each party, in order; nil for a
	// party that could not be screened.
	Parties []*annex.ScreenResult
	// Threshold is the screening threshold the results were marked with.
	Threshold float64
	// Holds are the policy holds of the sanctions register.
	Holds []annex.Hold
	// Denials are the partners' denial notifications, for the no-undercut
	// rule; those not in force on the day are ignored.
	Denials []annex.Denial
	// Destinations is the destination policy data.
	Destinations *Destinations
	// Now is the time of the assessment.
	Now time.Time
}

// assessment collects reasons as the rules run.
type assessment struct {
	spec *annex.ApplicationSpec
	in   Inputs
	a    *annex.Assessment
	// cat1 and cat2 hold the lines of each category.
	cat1, cat2 []int
	pf         []int // lines that are Category I production facilities
	// undercuts are the partners' denials the application repeats.
	undercuts []Undercut
}

// Assess applies the policy to an application.
func Assess(spec *annex.ApplicationSpec, in Inputs) *annex.Assessment {
	day := in.Now.UTC().Format(time.DateOnly)
	s := &assessment{spec: spec, in: in, a: &annex.Assessment{
		Reasons: []annex.Reason{}, Lines: make([]annex.LineAssessment, len(in.Lines)),
		Parties: make([]annex.PartyScreening, len(spec.Parties)), AssessedAt: in.Now.UTC(),
	}}
	s.a.Destination = in.Destinations.Status(spec.Destination, day, in.Holds)
	s.lines()
	s.parties()
	s.cat1Rules()
	s.endUseRules()
	s.destinationRules(day)
	s.undercutRules(day)
	s.cat2Rules()
	s.conclude()
	s.a.Factors = s.factors()
	return s.a
}

func (s *assessment) reason(rule string, outcome annex.Recommendation, line, party *int, format string, args ...any) {
	s.a.Reasons = append(s.a.Reasons, annex.Reason{Rule: rule, Outcome: outcome, Detail: fmt.Sprintf(format, args...), Line: line, Party: party})
}

func ptr(i int) *int { return &i }

// lines sorts the goods lines by category.
func (s *assessment) lines() {
	for i, cl := range s.in.Lines {
		s.a.Lines[i] = annex.LineAssessment{Line: i, Classification: cl}
		if cl == nil {
			continue
		}
		if s.a.ListVersion == "" {
			s.a.ListVersion = cl.ListVersion
		}
		if cl.Category.Higher(s.a.Category) {
			s.a.Category = cl.Category
		}
		switch cl.Category {
		case annex.CategoryI:
			s.cat1 = append(s.cat1, i)
			if isProductionFacility(cl) {
				s.pf = append(s.pf, i)
			}
		case annex.CategoryII:
			s.cat2 = append(s.cat2, i)
		}
		if cl.Status == annex.StatusIncomplete {
			s.reason("classification-incomplete", annex.RecommendRefer, ptr(i), nil,
				"line %d (%s) could not be classified for lack of a parameter; refer it for technical assessment", i+1, lineName(s.spec, i))
		}
	}
}

// licensable reports whether a line is listed or a catch-all ground is
// declared: whether the export needs a licence on the goods alone.
func (s *assessment) licensable() bool {
	return len(s.cat1)+len(s.cat2) > 0 || s.spec.Declarations.CatchAll()
}

// isProductionFacility reports whether a Category I classification is a
// production facility (1.B.1, 2.B.1).
func isProductionFacility(cl *annex.Classification) bool {
	for _, m := range cl.Entries {
		if m.Category == annex.CategoryI && (strings.HasPrefix(m.ID, "1.B.1") || strings.HasPrefix(m.ID, "2.B.1")) {
			return true
		}
	}
	return false
}

func lineName(spec *annex.ApplicationSpec, i int) string {
	if n := spec.Items[i].Name; n != "" {
		return n
	}
	return spec.Items[i].Kind
}

// entries lists the entries of a line's classification.
func entries(cl *annex.Classification) string {
	ids := make([]string, len(cl.Entries))
	for i, m := range cl.Entries {
		ids[i] = m.ID
	}
	return strings.Join(ids, ", ")
}

// parties applies the screening rules.
func (s *assessment) parties() {
	threshold := s.in.Threshold
	for i, p := range s.spec.Parties {
		var r *annex.ScreenResult
		if i < len(s.in.Parties) {
			r = s.in.Parties[i]
		}
		s.a.Parties[i] = annex.PartyScreening{Party: i, Role: p.Role, Name: p.Name, Result: r}
		if r == nil {
			// Without a list, nothing can be approved; but goods that need
			// no licence stay so, with the gap said.
			outcome := annex.RecommendRefer
			if !s.licensable() {
				outcome = annex.RecommendNoLicenceRequired
			}
			s.reason("screening-unavailable", outcome, nil, ptr(i),
				"%s %q could not be screened: no list is loaded", roleText(p.Role), p.Name)
			continue
		}
		if len(r.Matches) == 0 {
			continue
		}
		best := r.Matches[0]
		switch {
		case best.Match && best.Source == annex.SourceRegister:
			s.reason("sanctions-register", annex.RecommendDeny, nil, ptr(i),
				"%s %q matches %q of the sanctions register (score %.2f), under the measures %s: the register denies licences to it",
				roleText(p.Role), p.Name, best.Name, best.Score, strings.Join(best.Programs, ", "))
		case best.Match:
			s.reason("screening-match", annex.RecommendDeny, nil, ptr(i),
				"%s %q matches %s %s %q (score %.2f)%s", roleText(p.Role), p.Name, best.Source, best.SourceID, best.Name, best.Score, programs(best))
		case best.Score >= threshold-NearMatchMargin:
			s.reason("screening-near-match", annex.RecommendRefer, nil, ptr(i),
				"%s %q is close to %s %s %q (score %.2f, threshold %.2f): an officer must decide", roleText(p.Role), p.Name, best.Source, best.SourceID, best.Name, best.Score, threshold)
		}
	}
}

func programs(m annex.ScreenMatch) string {
	if len(m.Programs) == 0 {
		return ""
	}
	return "; programmes " + strings.Join(m.Programs, ", ")
}

func roleText(r annex.PartyRole) string {
	return strings.ReplaceAll(string(r), "_", " ")
}

// cat1Rules applies the Category I rules of Guidelines para. 2.
func (s *assessment) cat1Rules() {
	for _, i := range s.pf {
		s.reason("mtcr-cat1-production-facility", annex.RecommendDeny, ptr(i), nil,
			"line %d (%s) is a Category I production facility (%s): until further notice, such transfers are not authorised (Guidelines para. 2)", i+1, lineName(s.spec, i), entries(s.in.Lines[i]))
	}
	for _, i := range s.cat1 {
		if slices.Contains(s.pf, i) {
			continue
		}
		if s.spec.Assurances.GovernmentToGovernment {
			s.reason("mtcr-cat1-g2g", annex.RecommendRefer, ptr(i), nil,
				"line %d (%s) is Category I (%s); a government-to-government undertaking is offered, so the rare exception of Guidelines para. 2 may be weighed by a senior officer", i+1, lineName(s.spec, i), entries(s.in.Lines[i]))
		} else {
			s.reason("mtcr-cat1-no-g2g", annex.RecommendDeny, ptr(i), nil,
				"line %d (%s) is Category I (%s) and no government-to-government undertaking is offered: strong presumption of denial (Guidelines para. 2)", i+1, lineName(s.spec, i), entries(s.in.Lines[i]))
		}
	}
}

// endUseRules applies the catch-all: a WMD-delivery end use known,
// suspected or notified.
func (s *assessment) endUseRules() {
	d := s.spec.Declarations
	var grounds []string
	if d.WMDEndUseKnown {
		grounds = append(grounds, "the exporter knows")
	}
	if d.WMDEndUseSuspected {
		grounds = append(grounds, "the exporter suspects")
	}
	if d.InformedByAuthority {
		grounds = append(grounds, "the authority has informed the exporter")
	}
	if len(grounds) > 0 {
		s.reason("wmd-end-use", annex.RecommendDeny, nil, nil,
			"%s that the items are intended for a delivery system for weapons of mass destruction: strong presumption of denial for listed and unlisted items alike (Guidelines paras. 2 and 7)", strings.Join(grounds, ", and "))
	}
}

// destinationRules applies UN embargoes and policy holds.
func (s *assessment) destinationRules(day string) {
	st := s.a.Destination
	listed := len(s.cat1)+len(s.cat2) > 0
	if len(st.Embargoes) > 0 && (listed || s.spec.Declarations.CatchAll()) {
		s.reason("un-embargo", annex.RecommendDeny, nil, nil,
			"%s is under %s", st.Name, strings.Join(st.Embargoes, "; "))
	}
	for _, h := range s.in.Holds {
		if h.Country != s.spec.Destination || !h.Active(day) || !s.holdApplies(h) {
			continue
		}
		effect := h.Effect
		if effect != annex.RecommendDeny {
			effect = annex.RecommendRefer
		}
		until := "until further notice"
		if h.Until != "" {
			until = "until " + h.Until
		}
		s.reason("destination-hold", effect, nil, nil, "hold on %s from %s %s: %s", holdClass(h), h.From, until, h.Reason)
	}
}

// holdApplies reports whether a hold covers the application: a hold with no
// class covers every application; one with a class covers a line whose kind
// is the class or whose entry starts with it.
func (s *assessment) holdApplies(h annex.Hold) bool {
	if h.Class == "" {
		return true
	}
	for i, l := range s.spec.Items {
		if l.Kind == h.Class {
			return true
		}
		if cl := s.in.Lines[i]; cl != nil {
			for _, m := range cl.Entries {
				if m.ID == h.Class || strings.HasPrefix(m.ID, h.Class+".") {
					return true
				}
			}
		}
	}
	return false
}

func holdClass(h annex.Hold) string {
	if h.Class == "" {
		return "every licence for " + h.Country
	}
	return strings.ReplaceAll(h.Class, "_", " ") + " licences for " + h.Country
}

// cat2Rules applies the Category II rules: destination status and assurances.
func (s *assessment) cat2Rules() {
	if len(s.cat2) == 0 {
		return
	}
	st := s.a.Destination
	if !st.Partner && !st.Adherent {
		s.reason("destination-non-partner", annex.RecommendRefer, nil, nil,
			"Category II items (lines %s) to %s, which is neither an MTCR partner nor an adherent: case-by-case review against the six factors", lineList(s.cat2), st.Name)
	}
	a := s.spec.Assurances
	if !a.RequiredAssurances() {
		var missing []string
		if !a.EndUseStatement {
			missing = append(missing, "end-use statement")
		}
		if !a.NoWMDUse {
			missing = append(missing, "no WMD use")
		}
		if !a.NoRetransfer {
			missing = append(missing, "no retransfer without consent")
		}
		s.reason("missing-assurances", annex.RecommendRefer, nil, nil,
			"Category II items without the assurances the Guidelines call for (para. 5): %s missing", strings.Join(missing, ", "))
	}
}

func lineList(lines []int) string {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = fmt.Sprint(l + 1)
	}
	return strings.Join(s, ", ")
}

// conclude sets the recommendation, presumption and whether a licence is
// required.
func (s *assessment) conclude() {
	catchAll := s.spec.Declarations.CatchAll()
	rec := annex.RecommendNoLicenceRequired
	if s.licensable() {
		rec = annex.RecommendApprove
	}
	for _, r := range s.a.Reasons {
		if r.Outcome.Severity() > rec.Severity() {
			rec = r.Outcome
		}
	}
	switch {
	case rec == annex.RecommendApprove:
		s.reason("mtcr-cat2-conditions-met", annex.RecommendApprove, nil, nil,
			"Category II items only, to %s (an MTCR %s), with the required assurances, and no party matches a list", s.a.Destination.Name, partnerWord(s.a.Destination))
	case rec == annex.RecommendNoLicenceRequired:
		s.reason("nothing-listed", annex.RecommendNoLicenceRequired, nil, nil,
			"no line is on the control list (%s) and no catch-all ground is declared", s.a.ListVersion)
	}
	s.a.Recommendation = rec
	s.a.LicenceRequired = rec != annex.RecommendNoLicenceRequired
	switch {
	case len(s.cat1) > 0 || catchAll:
		s.a.Presumption = annex.PresumptionDeny
	case len(s.cat2) > 0:
		s.a.Presumption = annex.PresumptionCaseByCase
	default:
		s.a.Presumption = annex.PresumptionNone
	}
}

func partnerWord(st annex.DestinationStatus) string {
	if st.Partner {
		return "partner"
	}
	return "adherent"
}
