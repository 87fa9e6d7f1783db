package web

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"annex"
)

// assessmentView is an application's assessment as the pages show it: the
// recommendation and presumption, the reasons grouped by the rule they
// cite, the six factors, and each line's classification and each party's
// screening.
type assessmentView struct {
	A   *annex.Assessment
	App *annex.Application
	// Full is set for the authority's case page, which also shows each
	// party's screening hits.
	Full    bool
	Rules   []ruleReasons
	Lines   []resultView
	Parties []screeningView
}

// ruleReasons are the reasons that cite one rule, in the order the
// assessment gives them.
type ruleReasons struct {
	Rule    string
	Outcome annex.Recommendation
	Reasons []reasonView
}

// reasonView is a reason with the line or party it points at, named.
type reasonView struct {
	annex.Reason
	// Where names the line or party, as "Line 1: SRM-7 motor"; Anchor is
	// the id of its place on the page.
	Where, Anchor string
}

// screeningView is the screening of one party.
type screeningView struct {
	Index int
	annex.PartyScreening
	Country string
	// ScreenURL opens the party on the screening page, where each hit's
	// explanation and decisions are.
	ScreenURL string
}

// newAssessmentView arranges an application's assessment for a page.
func newAssessmentView(app *annex.Application, full bool) *assessmentView {
	a := app.Assessment
	v := &assessmentView{A: a, App: app, Full: full}
	for _, r := range a.Reasons {
		rv := reasonView{Reason: r}
		if r.Line != nil && *r.Line >= 0 && *r.Line < len(app.Items) {
			rv.Where, rv.Anchor = fmt.Sprintf("Line %d: %s", *r.Line+1, lineName(app.Items[*r.Line])), fmt.Sprintf("line-%d", *r.Line)
		}
		if r.Party != nil && *r.Party >= 0 && *r.Party < len(app.Parties) {
			rv.Where, rv.Anchor = fmt.Sprintf("Party %d: %s", *r.Party+1, app.Parties[*r.Party].Name), fmt.Sprintf("party-%d", *r.Party)
		}
		i := slices.IndexFunc(v.Rules, func(g ruleReasons) bool { return g.Rule == r.Rule })
		if i < 0 {
			v.Rules = append(v.Rules, ruleReasons{Rule: r.Rule, Outcome: r.Outcome})
			i = len(v.Rules) - 1
		}
		g := &v.Rules[i]
		if r.Outcome.Severity() > g.Outcome.Severity() {
			g.Outcome = r.Outcome
		}
		g.Reasons = append(g.Reasons, rv)
	}
	for _, la := range a.Lines {
		if la.Classification == nil || la.Line < 0 || la.Line >= len(app.Items) {
			continue
		}
		v.Lines = append(v.Lines, newResultView(la.Classification, &app.Items[la.Line].Item, fmt.Sprintf("line-%d-verdict", la.Line)))
	}
	for _, ps := range a.Parties {
		sv := screeningView{Index: ps.Party, PartyScreening: ps}
		if ps.Party >= 0 && ps.Party < len(app.Parties) {
			sv.Country = app.Parties[ps.Party].Country
		}
		q := url.Values{"name": {ps.Name}}
		if sv.Country != "" {
			q.Set("country", sv.Country)
		}
		sv.ScreenURL = "/screen?" + q.Encode()
		v.Parties = append(v.Parties, sv)
	}
	return v
}

// recClass is the CSS class of a recommendation badge.
func recClass(r annex.Recommendation) string {
	return "rec rec-" + strings.ReplaceAll(string(r), "_", "-")
}
