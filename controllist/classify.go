package controllist

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"annex"
)

// NearMissPercent is how close to a threshold, as a percentage of it, a value
// must be for the classifier to report a near miss.
const NearMissPercent = 10.0

// tri is a three-valued truth: a criterion on a missing parameter is unknown.
type tri int8

const (
	no tri = iota
	unknown
	yes
)

// centry is an entry compiled for one kind of item.
type centry struct {
	entry *annex.Entry
	order int
	// notIn holds the positions, in the kind's entries, of the entries that
	// take precedence over this one.
	notIn    []int
	matchers []*annex.Matcher // the entry's matchers for the kind
	rules    []*crule         // the entry's exclusions and Category II treatments for the kind
}

// crule is a rule with the entry it belongs to (nil for a list-wide rule).
type crule struct {
	rule  *annex.Rule
	entry *annex.Entry
}

// Classifier classifies items against one list version. It is safe for
// concurrent use.
type Classifier struct {
	version *annex.ListVersion
	kinds   map[string]*kindInfo
	byID    map[string]*annex.Entry
	rules   map[string]*annex.Rule // list-wide rules by ID
}

// NewClassifier validates a version and compiles it for classification.
func NewClassifier(v *annex.ListVersion) (*Classifier, error) {
	if err := Validate(v); err != nil {
		return nil, err
	}
	c := &Classifier{version: v, kinds: make(map[string]*kindInfo), byID: make(map[string]*annex.Entry), rules: make(map[string]*annex.Rule)}
	for _, k := range v.Kinds {
		c.kinds[k.Name] = newKindInfo(k)
	}
	for i := range v.Rules {
		r := &v.Rules[i]
		c.rules[r.ID] = r
		for _, k := range r.Kinds {
			ki := c.kinds[k]
			if r.Effect == annex.EffectAdvisory {
				ki.advisories = append(ki.advisories, &crule{rule: r})
			} else {
				ki.rules = append(ki.rules, &crule{rule: r})
			}
		}
	}
	for order, e := range v.Entries {
		c.byID[e.ID] = e
		c.compileEntry(e, order)
	}
	for _, ki := range c.kinds {
		pos := make(map[string]int, len(ki.entries))
		for i, ce := range ki.entries {
			pos[ce.entry.ID] = i
		}
		for _, ce := range ki.entries {
			for _, id := range ce.entry.NotIn {
				if i, ok := pos[id]; ok {
					ce.notIn = append(ce.notIn, i)
				}
			}
		}
	}
	return c, nil
}

func (c *Classifier) compileEntry(e *annex.Entry, order int) {
	perKind := make(map[string]*centry)
	for i := range e.Match {
		m := &e.Match[i]
		for _, k := range m.Kinds {
			ce := perKind[k]
			if ce == nil {
				ce = &centry{entry: e, order: order}
				perKind[k] = ce
				c.kinds[k].entries = append(c.kinds[k].entries, ce)
			}
			ce.matchers = append(ce.matchers, m)
		}
	}
	defKinds := entryKinds(e)
	for i := range e.Rules {
		r := &e.Rules[i]
		ks := r.Kinds
		if len(ks) == 0 {
			ks = defKinds
		}
		for _, k := range ks {
			cr := &crule{rule: r, entry: e}
			if r.Effect == annex.EffectAdvisory {
				c.kinds[k].advisories = append(c.kinds[k].advisories, cr)
			} else if ce := perKind[k]; ce != nil {
				ce.rules = append(ce.rules, cr)
			}
		}
	}
}

// Version returns the list version the classifier uses.
func (c *Classifier) Version() *annex.ListVersion { return c.version }

// Entry returns an entry of the version by ID, or nil.
func (c *Classifier) Entry(id string) *annex.Entry { return c.byID[id] }

// Classify validates every item and classifies each. If any item is invalid
// it returns an EINVALID error listing every offending field, with paths
// prefixed "[i]." when there is more than one item, and no classifications.
func (c *Classifier) Classify(items []annex.Item) ([]*annex.Classification, error) {
	out := make([]*annex.Classification, len(items))
	var errs []annex.FieldError
	for i := range items {
		path := ""
		if len(items) > 1 {
			path = "[" + strconv.Itoa(i) + "]"
		}
		cl, ferrs := c.classify(&items[i], path)
		errs = append(errs, ferrs...)
		out[i] = cl
	}
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	return out, nil
}

// ClassifyItem classifies one item.
func (c *Classifier) ClassifyItem(it annex.Item) (*annex.Classification, error) {
	cl, errs := c.classify(&it, "")
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	return cl, nil
}

// evaluation is the state of classifying one item.
type evaluation struct {
	c    *Classifier
	ki   *kindInfo
	vals []pval
	cl   *annex.Classification
	// undecided lists the entries that could not be decided for lack of a
	// parameter.
	undecided []*annex.Entry
}

func (c *Classifier) classify(it *annex.Item, path string) (*annex.Classification, []annex.FieldError) {
	ki := c.kinds[it.Kind]
	if ki == nil {
		return nil, []annex.FieldError{{Field: joinPath(path, "kind"), Message: c.unknownKind(it.Kind)}}
	}
	vals, errs := c.values(ki, it, path)
	cl := &annex.Classification{
		Name: it.Name, Kind: it.Kind, ListVersion: c.version.ID,
		Entries: []annex.Match{}, NearMisses: []annex.NearMiss{}, Notes: []annex.Note{},
	}
	if it.Missile != nil && len(errs) == 0 {
		capab, merrs := c.missileValues(ki, vals, it, path)
		errs = append(errs, merrs...)
		if capab != nil {
			cl.Capability = capab
			cl.Notes = append(cl.Notes, annex.Note{Type: annex.NoteCapability, Text: "From the flight model: " + capab.Reason})
		}
	}
	for i := range it.Components {
		sub, serrs := c.classify(&it.Components[i], joinPath(path, "components["+strconv.Itoa(i)+"]"))
		errs = append(errs, serrs...)
		cl.Components = append(cl.Components, sub)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	ev := &evaluation{c: c, ki: ki, vals: vals, cl: cl}
	ev.entries()
	ev.advisories()
	ev.incorporate(it)
	ev.finish()
	return cl, nil
}

func (c *Classifier) unknownKind(kind string) string {
	if kind == "" {
		return "required"
	}
	best, bestD := "", 4
	for name := range c.kinds {
		if d := levenshtein(kind, name); d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	msg := fmt.Sprintf("unknown kind %q", kind)
	if best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	return msg + "; GET /api/v1/kinds lists the kinds"
}

// outcome is how one entry came out for an item.
type outcome struct {
	ce      *centry
	result  tri
	matcher *annex.Matcher
	missing []string // parameters whose absence left the entry undecided
	near    []annex.NearMiss
}

// entries evaluates every entry the item's kind can fall under, then applies
// exclusions, precedence (not_in) and Category II treatments.
func (ev *evaluation) entries() {
	// Most kinds have few entries: keep the working set on the stack.
	var obuf [16]outcome
	outs := obuf[:0]
	for _, ce := range ev.ki.entries {
		o := ev.evalEntry(ce)
		if o.result == yes && ev.excluded(ce) {
			o.result = no
			o.near = nil
		}
		outs = append(outs, o)
	}
	for _, o := range outs {
		superseded := false
		for _, i := range o.ce.notIn {
			superseded = superseded || outs[i].result == yes
		}
		switch {
		case superseded:
		case o.result == yes:
			ev.cl.Entries = append(ev.cl.Entries, ev.match(o))
		case o.result == unknown:
			ev.undecided = append(ev.undecided, o.ce.entry)
			ev.cl.Notes = append(ev.cl.Notes, annex.Note{Type: annex.NoteUndecided, Entry: o.ce.entry.ID,
				Text: fmt.Sprintf("Entry %s (%s) could not be decided: give %s.", o.ce.entry.ID, o.ce.entry.Title, paramList(o.missing))})
		default:
			ev.cl.NearMisses = append(ev.cl.NearMisses, o.near...)
		}
	}
}

// evalEntry tests the entry's matchers: the entry holds if any matcher does.
func (ev *evaluation) evalEntry(ce *centry) outcome {
	o := outcome{ce: ce, result: no}
	for _, m := range ce.matchers {
		r, missing := ev.evalCondition(&m.Condition)
		switch r {
		case yes:
			return outcome{ce: ce, result: yes, matcher: m}
		case unknown:
			o.result = unknown
			o.missing = appendNew(o.missing, missing...)
		case no:
			if o.result == no {
				o.near = append(o.near, ev.nearMisses(ce.entry, &m.Condition)...)
			}
		}
	}
	if o.result != no {
		o.near = nil
	}
	return o
}

// evalCondition tests a condition; it returns the missing parameters when
// the result is unknown.
func (ev *evaluation) evalCondition(cd *annex.Condition) (tri, []string) {
	result := yes
	var missing []string
	for i := range cd.All {
		switch ev.evalCriterion(&cd.All[i]) {
		case no:
			return no, nil
		case unknown:
			result = unknown
			missing = append(missing, cd.All[i].Param)
		}
	}
	if len(cd.Any) > 0 {
		anyResult := no
		var anyMissing []string
		for i := range cd.Any {
			switch ev.evalCriterion(&cd.Any[i]) {
			case yes:
				anyResult = yes
			case unknown:
				if anyResult == no {
					anyResult = unknown
				}
				anyMissing = append(anyMissing, cd.Any[i].Param)
			}
			if anyResult == yes {
				break
			}
		}
		switch anyResult {
		case no:
			return no, nil
		case unknown:
			result = unknown
			missing = append(missing, anyMissing...)
		}
	}
	return result, missing
}

func (ev *evaluation) value(param string) (pval, *annex.Param) {
	i, ok := ev.ki.index[param]
	if !ok {
		return pval{}, nil
	}
	return ev.vals[i], ev.ki.kind.Params[i]
}

func (ev *evaluation) evalCriterion(cr *annex.Criterion) tri {
	v, p := ev.value(cr.Param)
	if p == nil || !v.set {
		if cr.IfGiven {
			return yes
		}
		return unknown
	}
	if holds(cr, v) {
		return yes
	}
	return no
}

func holds(cr *annex.Criterion, v pval) bool {
	switch cr.Op {
	case annex.OpGE:
		return v.si >= cr.Value.Num
	case annex.OpGT:
		return v.si > cr.Value.Num
	case annex.OpLE:
		return v.si <= cr.Value.Num
	case annex.OpLT:
		return v.si < cr.Value.Num
	case annex.OpEQ:
		return v.v == cr.Value
	case annex.OpIn:
		return contains(cr.Values, v.v.Str)
	case annex.OpUnder:
		for _, id := range cr.Values {
			if v.v.Str == id || strings.HasPrefix(v.v.Str, id+".") {
				return true
			}
		}
	}
	return false
}

// nearMisses reports the failed criteria of a condition when every failed
// criterion is a numeric threshold missed by NearMissPercent or less and no
// parameter is missing. Of an "any" list that failed, the closest miss counts.
func (ev *evaluation) nearMisses(e *annex.Entry, cd *annex.Condition) []annex.NearMiss {
	var out []annex.NearMiss
	for i := range cd.All {
		switch ev.evalCriterion(&cd.All[i]) {
		case unknown:
			return nil
		case no:
			nm, ok := ev.nearMiss(e, &cd.All[i])
			if !ok {
				return nil
			}
			out = append(out, nm)
		}
	}
	if len(cd.Any) > 0 {
		held := false
		var best *annex.NearMiss
		for i := range cd.Any {
			switch ev.evalCriterion(&cd.Any[i]) {
			case yes:
				held = true
			case unknown:
				return nil
			case no:
				if nm, ok := ev.nearMiss(e, &cd.Any[i]); ok && (best == nil || nm.MarginPercent < best.MarginPercent) {
					best = &nm
				}
			}
		}
		if !held {
			if best == nil {
				return nil
			}
			out = append(out, *best)
		}
	}
	return out
}

// nearMiss reports a failed numeric criterion missed by NearMissPercent or
// less, measured in the parameter's own unit.
func (ev *evaluation) nearMiss(e *annex.Entry, cr *annex.Criterion) (annex.NearMiss, bool) {
	v, p := ev.value(cr.Param)
	if cr.Value.Type != annex.TypeNumber || cr.Op == annex.OpEQ || p == nil || !v.set {
		return annex.NearMiss{}, false
	}
	t := round12(p.FromSI(cr.Value.Num))
	if t == 0 {
		return annex.NearMiss{}, false
	}
	margin := math.Round(math.Abs(v.v.Num-t)/math.Abs(t)*100*100) / 100
	if margin > NearMissPercent {
		return annex.NearMiss{}, false
	}
	cmp := ev.comparison(cr, false)
	return annex.NearMiss{Entry: e.ID, Category: e.Category, Comparison: cmp, MarginPercent: margin,
		Note: fmt.Sprintf("%s is %s %% from the threshold of %s (%s): %s %s %s does not hold.",
			cr.Param, annex.FormatNumber(margin), e.ID, e.Title, annex.FormatValue(cmp.Value, cmp.Unit), cr.Op.Symbol(), annex.FormatValue(cmp.Threshold, cmp.Unit))}, true
}

// excluded applies the entry's and the list's exclusions to a matched entry.
func (ev *evaluation) excluded(ce *centry) bool {
	for _, rs := range [][]*crule{ce.rules, ev.ki.rules} {
		for _, cr := range rs {
			if cr.rule.Effect != annex.EffectExclude {
				continue
			}
			r, missing := ev.evalCondition(&cr.rule.When)
			switch r {
			case yes:
				ev.cl.Notes = append(ev.cl.Notes, annex.Note{Type: annex.NoteExcluded, Rule: cr.rule.ID, Entry: ce.entry.ID,
					Text: fmt.Sprintf("Not under %s: %s", ce.entry.ID, cr.rule.Text)})
				return true
			case unknown:
				ev.untested(cr, ce.entry, missing)
			}
		}
	}
	return false
}

func (ev *evaluation) untested(cr *crule, e *annex.Entry, missing []string) {
	ev.cl.Notes = append(ev.cl.Notes, annex.Note{Type: annex.NoteUntested, Rule: cr.rule.ID, Entry: e.ID,
		Text: fmt.Sprintf("Exception %s was not tested: give %s. %s", cr.rule.ID, paramList(missing), cr.rule.Text)})
}

// match builds the Match of a matched entry, applying Category II treatments.
func (ev *evaluation) match(o outcome) annex.Match {
	e := o.ce.entry
	m := annex.Match{ID: e.ID, Category: e.Category, Title: e.Title, Paragraph: o.matcher.Paragraph, EU: e.EU, China: e.China}
	var reasons []string
	for _, crs := range [][]annex.Criterion{o.matcher.All, o.matcher.Any} {
		for i := range crs {
			if ev.evalCriterion(&crs[i]) == yes {
				cmp := ev.comparison(&crs[i], true)
				m.Criteria = append(m.Criteria, cmp)
				reasons = append(reasons, comparisonText(cmp))
			}
		}
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "an item of kind "+ev.ki.kind.Name+" falls under this entry whatever its parameters")
	}
	type untested struct {
		cr      *crule
		missing []string
	}
	var notTested []untested
	for _, rs := range [][]*crule{o.ce.rules, ev.ki.rules} {
		for _, cr := range rs {
			if cr.rule.Effect != annex.EffectCategoryII || m.Category == annex.CategoryII {
				continue
			}
			r, missing := ev.evalCondition(&cr.rule.When)
			switch r {
			case yes:
				m.Category = annex.CategoryII
				m.Rules = append(m.Rules, annex.AppliedRule{ID: cr.rule.ID, Effect: cr.rule.Effect, Text: cr.rule.Text,
					Conditions: cr.rule.Conditions, Criteria: ev.ruleComparisons(&cr.rule.When)})
				reasons = append(reasons, "treated as Category II by "+cr.rule.ID)
			case unknown:
				notTested = append(notTested, untested{cr, missing})
			}
		}
	}
	if m.Category != annex.CategoryII {
		// Exceptions that could not be tested matter only while none applied.
		for _, u := range notTested {
			ev.untested(u.cr, e, u.missing)
		}
	}
	m.Reason = strings.Join(reasons, "; ")
	return m
}

func (ev *evaluation) ruleComparisons(cd *annex.Condition) []annex.Comparison {
	var out []annex.Comparison
	for _, crs := range [][]annex.Criterion{cd.All, cd.Any} {
		for i := range crs {
			if ev.evalCriterion(&crs[i]) == yes {
				out = append(out, ev.comparison(&crs[i], true))
			}
		}
	}
	return out
}

// advisories adds the notes of advisory rules whose conditions hold.
func (ev *evaluation) advisories() {
	for _, cr := range ev.ki.advisories {
		if r, _ := ev.evalCondition(&cr.rule.When); r != yes {
			continue
		}
		n := annex.Note{Type: annex.NoteAdvisory, Rule: cr.rule.ID, Text: cr.rule.Text}
		if cr.entry != nil {
			n.Entry = cr.entry.ID
		}
		ev.cl.Notes = append(ev.cl.Notes, n)
	}
}

// incorporate applies the incorporation rule to the item's components.
func (ev *evaluation) incorporate(it *annex.Item) {
	text := "A system that incorporates a Category I item is itself Category I, except when the incorporated item cannot be separated, removed or duplicated."
	if r := ev.c.rules["incorporation"]; r != nil {
		text = r.Text
	}
	for i, sub := range ev.cl.Components {
		via := "components[" + strconv.Itoa(i) + "]"
		switch {
		case sub.Category == annex.CategoryI && it.Components[i].Inseparable:
			ev.cl.Notes = append(ev.cl.Notes, annex.Note{Type: annex.NoteIncorporation, Rule: "incorporation",
				Text: fmt.Sprintf("%s is Category I but cannot be separated, removed or duplicated, so it does not make this item Category I.", via)})
		case sub.Category == annex.CategoryI:
			for _, m := range sub.Entries {
				if m.Category != annex.CategoryI {
					continue
				}
				m.Via = joinPath(via, m.Via)
				m.Rules = append(append([]annex.AppliedRule(nil), m.Rules...), annex.AppliedRule{ID: "incorporation", Effect: annex.EffectAdvisory, Text: text})
				m.Reason = fmt.Sprintf("incorporates %s, Category I under %s (%s)", via, m.ID, m.Reason)
				ev.cl.Entries = append(ev.cl.Entries, m)
			}
		case sub.Controlled:
			ev.cl.Notes = append(ev.cl.Notes, annex.Note{Type: annex.NoteIncorporation, Rule: "incorporation",
				Text: fmt.Sprintf("%s is controlled as Category II under %s; exported on its own it needs a licence, but it does not change this item's category.", via, sub.Entries[0].ID)})
		}
	}
}

// assumptions notes every value the classification assumed: parameter
// defaults, and if-given criteria taken to hold for a matched entry.
func (ev *evaluation) assumptions() {
	for i, v := range ev.vals {
		if v.assumed {
			p := ev.ki.kind.Params[i]
			ev.cl.Notes = append(ev.cl.Notes, annex.Note{Type: annex.NoteAssumed,
				Text: fmt.Sprintf("Assumed %s = %s, since the item does not give it.", p.Name, annex.FormatValue(v.v, p.Unit))})
		}
	}
	for _, m := range ev.cl.Entries {
		for _, c := range m.Criteria {
			if c.Assumed && c.Value.Type == "" {
				ev.cl.Notes = append(ev.cl.Notes, annex.Note{Type: annex.NoteAssumed, Entry: m.ID,
					Text: fmt.Sprintf("%s: give params.%s to test it; without it the item is taken to meet %s %s.", m.ID, c.Param, c.Op.Symbol(), annex.FormatValue(c.Threshold, c.Unit))})
			}
		}
	}
}

// finish sets the status, category and summary.
func (ev *evaluation) finish() {
	ev.assumptions()
	cl := ev.cl
	sort.SliceStable(cl.Entries, func(i, j int) bool { return cl.Entries[i].Category.Higher(cl.Entries[j].Category) })
	for _, m := range cl.Entries {
		if m.Category.Higher(cl.Category) {
			cl.Category = m.Category
		}
	}
	switch {
	case len(cl.Entries) > 0:
		cl.Status, cl.Controlled = annex.StatusControlled, true
		ids := make([]string, len(cl.Entries))
		for i, m := range cl.Entries {
			ids[i] = m.ID
		}
		cl.Summary = fmt.Sprintf("Controlled, Category %s, under %s: %s.", cl.Category, strings.Join(ids, ", "), cl.Entries[0].Title)
		for _, e := range ev.undecided {
			if e.Category.Higher(cl.Category) {
				cl.Summary += fmt.Sprintf(" It may be Category %s under %s, which the parameters given cannot decide: see the notes.", e.Category, e.ID)
				break
			}
		}
	case len(ev.undecided) > 0:
		cl.Status = annex.StatusIncomplete
		cl.Summary = "Incomplete: the parameters given cannot decide the entries an item of this kind may fall under; the notes say what to add."
	default:
		cl.Status = annex.StatusNotListed
		cl.Summary = fmt.Sprintf("Not listed in %s.", ev.c.version.ID)
		if r := ev.c.rules["catch-all"]; r != nil {
			cl.Notes = append(cl.Notes, annex.Note{Type: annex.NoteCatchAll, Rule: r.ID, Text: r.Text})
		}
	}
}

// comparison describes a criterion tested on the item, in the parameter's unit.
func (ev *evaluation) comparison(cr *annex.Criterion, met bool) annex.Comparison {
	v, p := ev.value(cr.Param)
	cmp := annex.Comparison{Param: cr.Param, Op: cr.Op, Value: v.v, Derived: v.derived, Assumed: v.assumed || !v.set, Met: met}
	switch cr.Op {
	case annex.OpIn, annex.OpUnder:
		cmp.Values = cr.Values
	default:
		cmp.Threshold = cr.Value
	}
	if p != nil && p.Type == annex.TypeNumber && cr.Value.Type == annex.TypeNumber {
		cmp.Threshold = annex.Number(round12(p.FromSI(cr.Value.Num)))
		cmp.Unit = p.Unit
		if v.set {
			si := &[2]float64{v.si, cr.Value.Num}
			cmp.ValueSI, cmp.ThresholdSI, cmp.SIUnit = &si[0], &si[1], siUnit(p)
		}
	}
	return cmp
}

func comparisonText(c annex.Comparison) string {
	switch c.Op {
	case annex.OpIn:
		return fmt.Sprintf("%s %s is listed", c.Param, c.Value.Str)
	case annex.OpUnder:
		return fmt.Sprintf("%s %s is under %s", c.Param, c.Value.Str, strings.Join(c.Values, " or "))
	case annex.OpEQ:
		return fmt.Sprintf("%s is %s", c.Param, c.Value)
	}
	if c.Value.Type == "" {
		return fmt.Sprintf("%s not given, taken to be %s %s", c.Param, c.Op.Symbol(), annex.FormatValue(c.Threshold, c.Unit))
	}
	d := ""
	if c.Derived {
		d = " (derived)"
	} else if c.Assumed {
		d = " (assumed: not given)"
	}
	return fmt.Sprintf("%s %s%s %s %s", c.Param, annex.FormatValue(c.Value, c.Unit), d, c.Op.Symbol(), annex.FormatValue(c.Threshold, c.Unit))
}

func paramList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "params." + n
	}
	return strings.Join(out, " or ")
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		if !contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}
