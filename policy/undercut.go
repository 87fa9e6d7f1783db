package policy

import (
	"fmt"
	"strings"

	"annex"
	"annex/screen"
)

// DenialSource is the source of the entities of the index Undercuts builds
// from the partners' denials: a match of this source names a denial by its
// SourceID, the denial's ID.
const DenialSource annex.ListSource = "mtcr-denial"

// Undercut is a partner's denial that an application essentially repeats:
// granting the licence would undercut it (the MTCR no-undercut practice).
type Undercut struct {
	Denial *annex.Denial
	// Line is the first goods line the denial covers, Entry the entry of
	// that line's classification it covers.
	Line  int
	Entry string
	// Party is the end user (or ultimate end user) whose name matches the
	// denial's end user, with the screening score.
	Party int
	Score float64
}

// Undercuts returns the denials an application essentially repeats on a day
// (YYYY-MM-DD), in the order of denials. A denial is repeated when all of
// these hold:
//
//   - it is in force on the day (annex.Denial.InForce: not revoked, dated
//     on or before the day, and less than three years old);
//   - its destination is the application's;
//   - it covers an entry of a goods line's classification (lines[i].Entries):
//     a line classified under 2.A.1.c repeats a denial of 2.A.1.c, of 2.A.1
//     or of 2, since those cover their sub-entries; but a denial of
//     2.A.1.c.1 refused only that sub-entry, and a line classified under
//     2.A.1.c, not 2.A.1.c.1, does not repeat it. Entries of incorporated
//     components (Classification.Components) are not considered;
//   - the application's end user or ultimate end user is the denial's end
//     user as screening judges names: the party's name, with its country,
//     is screened against an index of the candidate denials' end users
//     (each listed with the denial's destination as its country) and must
//     be a match at the default threshold (screen.DefaultThreshold), so
//     that spelling variants, transliterations and legal forms count as
//     the same name.
//
// The index is built once per call, and only when some denial passes the
// other tests. Each denial is reported once, with the first end-user party
// that matches it.
func Undercuts(spec *annex.ApplicationSpec, lines []*annex.Classification, denials []annex.Denial, day string) []Undercut {
	var cands []Undercut
	seen := map[string]bool{}
	for i := range denials {
		d := &denials[i]
		if seen[d.ID] || d.Destination != spec.Destination || !d.InForce(day) {
			continue
		}
		if line, entry, ok := coveredLine(d, lines); ok {
			seen[d.ID] = true
			cands = append(cands, Undercut{Denial: d, Line: line, Entry: entry, Party: -1})
		}
	}
	if len(cands) == 0 {
		return nil
	}
	ents := make([]*annex.ListEntity, len(cands))
	byID := make(map[string]int, len(cands))
	for i, c := range cands {
		ents[i] = &annex.ListEntity{Source: DenialSource, SourceID: c.Denial.ID,
			Names:     []annex.EntityName{{Name: c.Denial.EndUser, Kind: annex.NamePrimary}},
			Countries: []string{c.Denial.Destination}}
		byID[c.Denial.ID] = i
	}
	ix := screen.NewIndex(ents, screen.Options{})
	for pi, p := range spec.Parties {
		if p.Role != annex.RoleEndUser && p.Role != annex.RoleUltimateEndUser {
			continue
		}
		r := ix.Screen(annex.ScreenQuery{Name: p.Name, Country: p.Country}, screen.DefaultThreshold, len(cands))
		for _, m := range r.Matches {
			if i, ok := byID[m.SourceID]; ok && m.Match && m.Source == DenialSource && cands[i].Party < 0 {
				cands[i].Party, cands[i].Score = pi, m.Score
			}
		}
	}
	var out []Undercut
	for _, c := range cands {
		if c.Party >= 0 {
			out = append(out, c)
		}
	}
	return out
}

// coveredLine returns the first line, and its entry, that a denial covers.
func coveredLine(d *annex.Denial, lines []*annex.Classification) (int, string, bool) {
	for i, cl := range lines {
		if cl == nil {
			continue
		}
		for _, m := range cl.Entries {
			if d.CoversEntry(m.ID) {
				return i, m.ID, true
			}
		}
	}
	return 0, "", false
}

// undercutRules applies the no-undercut rule: an application essentially
// identical to a partner's denial in force is referred, so that the officer
// consults the notifying government before approving. It never lowers a
// stricter outcome: conclude takes the most severe.
func (s *assessment) undercutRules(day string) {
	if len(s.in.Denials) == 0 {
		return
	}
	s.undercuts = Undercuts(s.spec, s.in.Lines, s.in.Denials, day)
	for _, u := range s.undercuts {
		d, p := u.Denial, s.spec.Parties[u.Party]
		s.reason(annex.RuleNoUndercut, annex.RecommendRefer, ptr(u.Line), ptr(u.Party),
			"essentially identical to denial %s notified by %s on %s (%s, %q, %s): line %d (%s) under %s, %s %q (score %.2f); consult %s before approving (MTCR no-undercut)",
			d.ID, d.NotifyingGovernment, d.Date, d.Entry, d.EndUser, d.Destination,
			u.Line+1, lineName(s.spec, u.Line), u.Entry, roleText(p.Role), p.Name, u.Score, d.NotifyingGovernment)
		s.a.Reasons[len(s.a.Reasons)-1].Ref = d.ID
	}
}

// undercutFindings describes the denials matched, for factor D.
func (s *assessment) undercutFindings() []string {
	var out []string
	for _, u := range s.undercuts {
		d := u.Denial
		out = append(out, fmt.Sprintf("%s refused %s to %q (%s) on %s (denial %s, due for review on %s): %s. The %s %q is the same end user as screening judges names; consult %s before approving.",
			d.NotifyingGovernment, d.Entry, d.EndUser, d.Destination, d.Date, d.ID, d.ReviewDue(), strings.TrimRight(d.Reason, ". "),
			roleText(s.spec.Parties[u.Party].Role), s.spec.Parties[u.Party].Name, d.NotifyingGovernment))
	}
	return out
}
