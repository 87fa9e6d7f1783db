package controllist

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"annex"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

var (
	versionIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	dateRE      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	entryIDRE   = regexp.MustCompile(`^\d{1,2}(\.[A-E](\.\d{1,2}(\.[a-z](\.\d{1,2}(\.[a-z])?)?)?)?)?$`)
)

// Validate checks that a list version is consistent: unique entry IDs in the
// Annex numbering, parents that exist and come first, categories, kinds and
// parameters that exist, criteria whose operator fits the parameter's type,
// and rules with known effects. It fills each entry's Children. Errors are
// EINVALID and name the entry and field, as "entries[12] (2.A.1.c).match[0]".
func Validate(v *annex.ListVersion) error {
	var errs []annex.FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, annex.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !versionIDRE.MatchString(v.ID) {
		add("id", "must be lower-case letters, digits, dots and dashes, as mtcr-2024")
	}
	if !dateRE.MatchString(v.EffectiveDate) {
		add("effective_date", "must be a date as YYYY-MM-DD")
	}
	if strings.TrimSpace(v.Source) == "" {
		add("source", "required")
	}
	kinds, kerrs := indexKinds(v.Kinds)
	errs = append(errs, kerrs...)
	byID := make(map[string]*annex.Entry, len(v.Entries))
	for i, e := range v.Entries {
		e.Children = nil
		at := fmt.Sprintf("entries[%d] (%s)", i, e.ID)
		switch {
		case !entryIDRE.MatchString(e.ID):
			add(at+".id", "not an Annex entry number such as 2.A.1.c")
		case byID[e.ID] != nil:
			add(at+".id", "duplicate entry")
		}
		if e.Parent != "" {
			p := byID[e.Parent]
			if p == nil {
				add(at+".parent", "parent %q must exist and come before the entry", e.Parent)
			} else {
				if !strings.HasPrefix(e.ID, e.Parent+".") {
					add(at+".parent", "parent %q is not a prefix of the entry number", e.Parent)
				}
				p.Children = append(p.Children, e.ID)
			}
		} else if strings.Contains(e.ID, ".") {
			add(at+".parent", "required for an entry below item level")
		}
		if e.Reserved != (e.Category == "") {
			add(at+".category", "a reserved entry has no category; any other has I or II")
		}
		if strings.TrimSpace(e.Title) == "" {
			add(at+".title", "required")
		}
		switch e.Confidence {
		case annex.ConfidenceVerified, annex.ConfidencePartial, annex.ConfidenceMemory:
		default:
			add(at+".confidence", "must be V, P or M")
		}
		byID[e.ID] = e
	}
	for i, e := range v.Entries {
		at := fmt.Sprintf("entries[%d] (%s)", i, e.ID)
		for j, m := range e.Match {
			mat := fmt.Sprintf("%s.match[%d]", at, j)
			if len(m.Kinds) == 0 {
				add(mat+".kinds", "required")
			}
			for _, k := range m.Kinds {
				if kinds[k] == nil {
					add(mat+".kinds", "unknown kind %q", k)
				}
			}
			if m.Paragraph != "" && byID[m.Paragraph] == nil {
				add(mat+".paragraph", "unknown entry %q", m.Paragraph)
			}
			errs = append(errs, checkCondition(mat, m.Condition, m.Kinds, kinds, byID)...)
		}
		for _, id := range e.NotIn {
			if byID[id] == nil {
				add(at+".not_in", "unknown entry %q", id)
			}
		}
		errs = append(errs, checkRules(at+".rules", e.Rules, entryKinds(e), kinds, byID)...)
	}
	errs = append(errs, checkRules("rules", v.Rules, nil, kinds, byID)...)
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

func indexKinds(list []*annex.Kind) (map[string]map[string]*annex.Param, []annex.FieldError) {
	var errs []annex.FieldError
	kinds := make(map[string]map[string]*annex.Param, len(list))
	for i, k := range list {
		at := fmt.Sprintf("kinds[%d] (%s)", i, k.Name)
		if kinds[k.Name] != nil {
			errs = append(errs, annex.FieldError{Field: at, Message: "duplicate kind"})
		}
		params := make(map[string]*annex.Param, len(k.Params))
		for j, p := range k.Params {
			pat := fmt.Sprintf("%s.params[%d] (%s)", at, j, p.Name)
			if params[p.Name] != nil {
				errs = append(errs, annex.FieldError{Field: pat, Message: "duplicate parameter"})
			}
			switch p.Type {
			case annex.TypeNumber, annex.TypeBool, annex.TypeString:
			default:
				errs = append(errs, annex.FieldError{Field: pat + ".type", Message: "must be number, bool or string"})
			}
			if p.Default != nil && p.Default.Type != p.Type {
				errs = append(errs, annex.FieldError{Field: pat + ".default", Message: fmt.Sprintf("a %s default for a %s parameter", p.Default.Type, p.Type)})
			}
			params[p.Name] = p
		}
		for j, p := range k.Params {
			if p.Derived == nil {
				continue
			}
			for _, name := range p.Derived.Quotient {
				if q := params[name]; q == nil || q.Type != annex.TypeNumber {
					errs = append(errs, annex.FieldError{Field: fmt.Sprintf("%s.params[%d].derived", at, j), Message: fmt.Sprintf("%q is not a numeric parameter of the kind", name)})
				}
			}
		}
		kinds[k.Name] = params
	}
	return kinds, errs
}

// entryKinds returns the kinds of an entry's matchers.
func entryKinds(e *annex.Entry) []string {
	var out []string
	for _, m := range e.Match {
		for _, k := range m.Kinds {
			if !contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

func checkRules(at string, rules []annex.Rule, defKinds []string, kinds map[string]map[string]*annex.Param, byID map[string]*annex.Entry) []annex.FieldError {
	var errs []annex.FieldError
	for i, r := range rules {
		rat := fmt.Sprintf("%s[%d] (%s)", at, i, r.ID)
		if r.ID == "" {
			errs = append(errs, annex.FieldError{Field: rat + ".id", Message: "required"})
		}
		switch r.Effect {
		case annex.EffectExclude, annex.EffectCategoryII, annex.EffectAdvisory:
		default:
			errs = append(errs, annex.FieldError{Field: rat + ".effect", Message: "must be exclude, treat_as_category_ii or advisory"})
		}
		ks := r.Kinds
		if len(ks) == 0 {
			ks = defKinds
		}
		for _, k := range r.Kinds {
			if kinds[k] == nil {
				errs = append(errs, annex.FieldError{Field: rat + ".kinds", Message: fmt.Sprintf("unknown kind %q", k)})
			}
		}
		errs = append(errs, checkCondition(rat+".when", r.When, ks, kinds, byID)...)
	}
	return errs
}

func checkCondition(at string, c annex.Condition, ks []string, kinds map[string]map[string]*annex.Param, byID map[string]*annex.Entry) []annex.FieldError {
	var errs []annex.FieldError
	check := func(list string, crits []annex.Criterion) {
		for i, cr := range crits {
			cat := fmt.Sprintf("%s.%s[%d] (%s)", at, list, i, cr.Param)
			if len(ks) == 0 {
				errs = append(errs, annex.FieldError{Field: cat, Message: "a criterion needs the kinds it applies to"})
				continue
			}
			for _, k := range ks {
				p := kinds[k][cr.Param]
				if kinds[k] == nil {
					continue
				}
				if p == nil {
					errs = append(errs, annex.FieldError{Field: cat, Message: fmt.Sprintf("kind %s has no parameter %q", k, cr.Param)})
					continue
				}
				if msg := checkOp(cr, p, byID); msg != "" {
					errs = append(errs, annex.FieldError{Field: cat, Message: msg})
				}
			}
		}
	}
	check("all", c.All)
	check("any", c.Any)
	return errs
}

func checkOp(cr annex.Criterion, p *annex.Param, byID map[string]*annex.Entry) string {
	switch cr.Op {
	case annex.OpGE, annex.OpGT, annex.OpLE, annex.OpLT:
		if p.Type != annex.TypeNumber || cr.Value.Type != annex.TypeNumber {
			return fmt.Sprintf("%s needs a numeric parameter and threshold", cr.Op)
		}
		if cr.Unit != siUnit(p) {
			return fmt.Sprintf("unit %q differs from the parameter's SI unit %q", cr.Unit, siUnit(p))
		}
	case annex.OpEQ:
		if p.Type != cr.Value.Type {
			return fmt.Sprintf("== compares a %s parameter with a %s", p.Type, cr.Value.Type)
		}
	case annex.OpIn:
		if p.Type != annex.TypeString || len(cr.Values) == 0 {
			return "in needs a string parameter and a list of values"
		}
		for _, v := range cr.Values {
			if msg := checkFormat(p, v, byID); msg != "" {
				return fmt.Sprintf("value %q: %s", v, msg)
			}
		}
	case annex.OpUnder:
		if p.Type != annex.TypeString || len(cr.Values) == 0 {
			return "under needs a string parameter and a list of entry numbers"
		}
		for _, v := range cr.Values {
			if byID[v] == nil {
				return fmt.Sprintf("unknown entry %q", v)
			}
		}
	default:
		return fmt.Sprintf("unknown operator %q", cr.Op)
	}
	return ""
}

func siUnit(p *annex.Param) string {
	if p.SIUnit != "" {
		return p.SIUnit
	}
	return p.Unit
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
