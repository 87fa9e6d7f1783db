package controllist

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"annex"
)

// pval is one parameter value of an item: as given, in the parameter's unit,
// and in SI units for numbers.
type pval struct {
	set     bool
	derived bool
	assumed bool
	v       annex.Value
	si      float64
}

// kindInfo is a kind compiled for classification.
type kindInfo struct {
	kind   *annex.Kind
	index  map[string]int // parameter name to position in kind.Params
	names  string         // parameter names, for messages
	derive []int          // positions of derivable parameters
	// entries are the entries an item of this kind can fall under, in list order.
	entries []*centry
	// rules are the list-wide exclusions and Category II treatments for the kind.
	rules []*crule
	// advisories are the advisory rules for the kind, entries' and list-wide.
	advisories []*crule
}

func newKindInfo(k *annex.Kind) *kindInfo {
	ki := &kindInfo{kind: k, index: make(map[string]int, len(k.Params))}
	names := make([]string, len(k.Params))
	for i, p := range k.Params {
		ki.index[p.Name] = i
		names[i] = p.Name
		if p.Derived != nil {
			ki.derive = append(ki.derive, i)
		}
	}
	if len(names) == 0 {
		ki.names = "none"
	} else {
		ki.names = strings.Join(names, ", ")
	}
	return ki
}

// values converts an item's parameters into pvals, checking each against the
// kind. Errors name the parameter's path.
func (c *Classifier) values(ki *kindInfo, it *annex.Item, path string) ([]pval, []annex.FieldError) {
	vals := make([]pval, len(ki.kind.Params))
	var errs []annex.FieldError
	for name, raw := range it.Params {
		field := joinPath(path, "params."+name)
		i, ok := ki.index[name]
		if !ok {
			errs = append(errs, annex.FieldError{Field: field, Message: fmt.Sprintf("unknown parameter for kind %s (known: %s)", ki.kind.Name, ki.names)})
			continue
		}
		p := ki.kind.Params[i]
		v, msg := c.convert(p, raw)
		if msg != "" {
			errs = append(errs, annex.FieldError{Field: field, Message: msg})
			continue
		}
		vals[i] = v
	}
	for i, p := range ki.kind.Params {
		if !vals[i].set && p.Default != nil {
			vals[i] = pval{set: true, assumed: true, v: *p.Default}
			if p.Default.Type == annex.TypeNumber {
				vals[i].si = p.ToSI(p.Default.Num)
			}
		}
	}
	for _, i := range ki.derive {
		if vals[i].set {
			continue
		}
		q := ki.kind.Params[i].Derived.Quotient
		a, b := vals[ki.index[q[0]]], vals[ki.index[q[1]]]
		if a.set && b.set && b.si != 0 {
			si := a.si / b.si
			vals[i] = pval{set: true, derived: true, si: si, v: annex.Number(round12(ki.kind.Params[i].FromSI(si)))}
		}
	}
	if len(errs) > 0 {
		sort.Slice(errs, func(i, j int) bool { return errs[i].Field < errs[j].Field })
	}
	return vals, errs
}

// convert checks one raw parameter value against its declaration.
func (c *Classifier) convert(p *annex.Param, raw any) (pval, string) {
	switch p.Type {
	case annex.TypeNumber:
		f, ok := toFloat(raw)
		if !ok {
			return pval{}, fmt.Sprintf("must be a number%s, got %s", unitSuffix(p), typeName(raw))
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return pval{}, "must be a finite number"
		}
		if p.Min != nil && f < *p.Min {
			if *p.Min == 0 {
				return pval{}, fmt.Sprintf("must not be negative, got %s", annex.FormatNumber(f))
			}
			return pval{}, fmt.Sprintf("must be at least %s%s, got %s", annex.FormatNumber(*p.Min), unitSuffix(p), annex.FormatNumber(f))
		}
		if p.Max != nil && f > *p.Max {
			return pval{}, fmt.Sprintf("must be at most %s%s, got %s", annex.FormatNumber(*p.Max), unitSuffix(p), annex.FormatNumber(f))
		}
		return pval{set: true, v: annex.Number(f), si: p.ToSI(f)}, ""
	case annex.TypeBool:
		b, ok := raw.(bool)
		if !ok {
			return pval{}, "must be true or false, got " + typeName(raw)
		}
		return pval{set: true, v: annex.Bool(b)}, ""
	case annex.TypeString:
		s, ok := raw.(string)
		if !ok {
			return pval{}, "must be a string, got " + typeName(raw)
		}
		s = strings.TrimSpace(s)
		if msg := checkFormat(p, s, c.byID); msg != "" {
			return pval{}, msg
		}
		return pval{set: true, v: annex.String(s)}, ""
	}
	return pval{}, "has an unknown type"
}

var casRE = regexp.MustCompile(`^(\d{2,7})-(\d{2})-(\d)$`)

// checkFormat checks a string value against the parameter's enum and format.
func checkFormat[E any](p *annex.Param, s string, byID map[string]E) string {
	if len(p.Enum) > 0 && !contains(p.Enum, s) {
		return fmt.Sprintf("must be one of %s, got %q", strings.Join(p.Enum, ", "), s)
	}
	switch p.Format {
	case "cas":
		return checkCAS(s)
	case "entry":
		if _, ok := byID[s]; !ok {
			return fmt.Sprintf("%q is not an entry of the control list", s)
		}
	}
	return ""
}

// checkCAS checks a CAS Registry Number and its check digit: the last digit
// is the sum of the other digits, each times its position counted from the
// right, modulo 10.
func checkCAS(s string) string {
	m := casRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Sprintf("%q is not a CAS Registry Number (digits as 302-01-2)", s)
	}
	digits := m[1] + m[2]
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		sum += int(digits[i]-'0') * (len(digits) - i)
	}
	if want := sum % 10; int(m[3][0]-'0') != want {
		return fmt.Sprintf("%q is not a valid CAS Registry Number: the check digit should be %d", s, want)
	}
	return ""
}

func toFloat(raw any) (float64, bool) {
	switch x := raw.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func typeName(raw any) string {
	switch raw.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number, float64, float32, int, int64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", raw)
}

func unitSuffix(p *annex.Param) string {
	if p.Unit == "" || p.Unit == "1" {
		return ""
	}
	return " (" + p.Unit + ")"
}

func joinPath(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// round12 rounds to 12 significant digits, to drop the noise of unit
// conversions (873.15 K - 273.15 = 599.9999999999999 °C).
func round12(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	exp := 11 - int(math.Floor(math.Log10(math.Abs(x))))
	if exp < -300 || exp > 300 {
		return x
	}
	if exp >= 0 {
		p := math.Pow10(exp)
		return math.Round(x*p) / p
	}
	p := math.Pow10(-exp)
	return math.Round(x/p) * p
}

// levenshtein returns the edit distance of two short strings.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
