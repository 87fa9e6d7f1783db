package web

import (
	"slices"
	"strings"

	"annex"
)

// treeNode is an entry of the control-list tree with the entries under it.
type treeNode struct {
	Entry    *annex.Entry
	Children []*treeNode
}

// buildTree arranges a version's entries, which come parents first, as a
// tree of items.
func buildTree(entries []*annex.Entry) []*treeNode {
	nodes := make(map[string]*treeNode, len(entries))
	var items []*treeNode
	for _, e := range entries {
		n := &treeNode{Entry: e}
		nodes[e.ID] = n
		if parent := nodes[e.Parent]; e.Parent != "" && parent != nil {
			parent.Children = append(parent.Children, n)
		} else {
			items = append(items, n)
		}
	}
	return items
}

// paramNames returns the names of every parameter of the kinds, sorted.
func paramNames(kinds []*annex.Kind) []string {
	var names []string
	for _, k := range kinds {
		for _, p := range k.Params {
			if !slices.Contains(names, p.Name) {
				names = append(names, p.Name)
			}
		}
	}
	slices.Sort(names)
	return names
}

func kindIndex(kinds []*annex.Kind) map[string]*annex.Kind {
	m := make(map[string]*annex.Kind, len(kinds))
	for _, k := range kinds {
		m[k.Name] = k
	}
	return m
}

// matcherView is one test of an entry, for people.
type matcherView struct {
	Kinds     []*annex.Kind
	Paragraph string
	All, Any  []string
}

// ruleView is a rule of an entry, for people.
type ruleView struct {
	annex.Rule
	Kinds    []*annex.Kind
	All, Any []string
}

// matcherViews describes the entry's tests, and returns the kinds of item
// that can fall under the entry, in order of first mention.
func matcherViews(e *annex.Entry, kinds map[string]*annex.Kind) ([]matcherView, []*annex.Kind) {
	var views []matcherView
	var all []*annex.Kind
	for _, m := range e.Match {
		v := matcherView{Paragraph: m.Paragraph}
		for _, name := range m.Kinds {
			if k := kinds[name]; k != nil {
				v.Kinds = append(v.Kinds, k)
				if !slices.Contains(all, k) {
					all = append(all, k)
				}
			}
		}
		v.All = criteriaText(m.All, v.Kinds)
		v.Any = criteriaText(m.Any, v.Kinds)
		views = append(views, v)
	}
	return views, all
}

// ruleViews describes the entry's rules. A rule without kinds applies to
// the kinds of the entry's tests.
func ruleViews(e *annex.Entry, kinds map[string]*annex.Kind) []ruleView {
	_, entryKinds := matcherViews(e, kinds)
	var views []ruleView
	for _, r := range e.Rules {
		v := ruleView{Rule: r, Kinds: entryKinds}
		if len(r.Kinds) > 0 {
			v.Kinds = nil
			for _, name := range r.Kinds {
				if k := kinds[name]; k != nil {
					v.Kinds = append(v.Kinds, k)
				}
			}
		}
		v.All = criteriaText(r.When.All, v.Kinds)
		v.Any = criteriaText(r.When.Any, v.Kinds)
		views = append(views, v)
	}
	return views
}

func criteriaText(crs []annex.Criterion, kinds []*annex.Kind) []string {
	out := make([]string, len(crs))
	for i, cr := range crs {
		out[i] = criterionText(cr, findParam(kinds, cr.Param))
	}
	return out
}

func findParam(kinds []*annex.Kind, name string) *annex.Param {
	for _, k := range kinds {
		for _, p := range k.Params {
			if p.Name == name {
				return p
			}
		}
	}
	return nil
}

// criterionText writes a criterion as people read it: "total_impulse_ns ≥
// 1.1e6 N·s". A threshold, stored in SI units, is also given in the unit of
// the kind's parameter when that differs: "designed_for_range_km ≥ 300000 m
// (300 km)".
func criterionText(cr annex.Criterion, p *annex.Param) string {
	switch cr.Op {
	case annex.OpIn:
		return cr.Param + " is one of " + strings.Join(cr.Values, ", ")
	case annex.OpUnder:
		return cr.Param + " is under " + strings.Join(cr.Values, " or ")
	case annex.OpEQ:
		return cr.Param + " is " + cr.Value.String()
	}
	s := cr.Param + " " + cr.Op.Symbol() + " " + annex.FormatValue(cr.Value, cr.Unit)
	if p != nil && p.Unit != "" && p.Unit != cr.Unit && cr.Value.Type == annex.TypeNumber {
		s += " (" + annex.FormatValue(annex.Number(p.FromSI(cr.Value.Num)), p.Unit) + ")"
	}
	return s
}

// citedSources resolves the source keys an entry cites ("S12; S13") to the
// version's sources; unknown keys are kept as bare titles.
func citedSources(cite string, sources []annex.Source) []annex.Source {
	var out []annex.Source
	for key := range strings.SplitSeq(cite, ";") {
		key = strings.TrimSpace(key)
		if key == "" {
			continue
		}
		i := slices.IndexFunc(sources, func(s annex.Source) bool { return s.Key == key })
		if i < 0 {
			out = append(out, annex.Source{Key: key})
			continue
		}
		out = append(out, sources[i])
	}
	return out
}

// confidenceText explains a confidence grade.
func confidenceText(c annex.Confidence) string {
	switch c {
	case annex.ConfidenceVerified:
		return "V: verified in a primary or substantial text"
	case annex.ConfidencePartial:
		return "P: partly verified, from an excerpt or a secondary source"
	case annex.ConfidenceMemory:
		return "M: from general knowledge, to be checked"
	}
	return string(c)
}
