package annex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// Category is an MTCR Annex category. Category I items (Annex items 1 and 2)
// carry a strong presumption of denial; Category II items (items 3 to 20) are
// considered case by case. The zero value means "no category" and encodes as
// JSON null.
type Category string

// The two MTCR categories.
const (
	CategoryI  Category = "I"
	CategoryII Category = "II"
)

// MarshalJSON encodes the empty category as null.
func (c Category) MarshalJSON() ([]byte, error) {
	if c == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(c))
}

// UnmarshalJSON accepts "I", "II" or null.
func (c *Category) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*c = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	switch Category(s) {
	case CategoryI, CategoryII, "":
		*c = Category(s)
		return nil
	}
	return fmt.Errorf("category must be \"I\" or \"II\", not %q", s)
}

// Higher reports whether c is a stricter category than d (I over II over none).
func (c Category) Higher(d Category) bool { return c.rank() > d.rank() }

func (c Category) rank() int {
	switch c {
	case CategoryI:
		return 2
	case CategoryII:
		return 1
	}
	return 0
}

// Confidence grades how well a fact in the control list is sourced.
type Confidence string

// Confidence grades, as in the project's reference notes.
const (
	ConfidenceVerified Confidence = "V" // read in a primary or substantial text
	ConfidencePartial  Confidence = "P" // seen in an excerpt or a secondary source
	ConfidenceMemory   Confidence = "M" // from general knowledge; to be checked
)

// ListVersion is one version of a control list: the MTCR Annex as adopted on
// a date, with the vocabulary of item kinds its criteria refer to.
type ListVersion struct {
	// ID names the version, as "mtcr-2024".
	ID    string `json:"id"`
	Title string `json:"title"`
	// EffectiveDate is the day the version takes effect, as YYYY-MM-DD.
	EffectiveDate string `json:"effective_date"`
	// Source says where the version's text comes from.
	Source string `json:"source"`
	Notes  string `json:"notes,omitempty"`
	// Sources indexes the references that entries cite by key.
	Sources []Source `json:"sources,omitempty"`
	// Rules are the notes that apply across the list, such as the rule that a
	// system holding a Category I item is Category I.
	Rules   []Rule   `json:"rules,omitempty"`
	Kinds   []*Kind  `json:"kinds,omitempty"`
	Entries []*Entry `json:"entries"`
}

// ListVersionInfo describes a version without its contents.
type ListVersionInfo struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	EffectiveDate string `json:"effective_date"`
	Source        string `json:"source"`
	// SHA256 is the hash of the version's canonical JSON.
	SHA256  string `json:"sha256"`
	Entries int    `json:"entries"`
	// Current is true for the version in force today.
	Current bool `json:"current"`
	// BuiltIn is true for versions compiled into Annex.
	BuiltIn bool `json:"built_in"`
}

// Source is a reference cited by control-list entries.
type Source struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// Entry is one entry of a control list, at any level of its numbering: an
// item ("2"), a section ("2.A"), an entry ("2.A.1") or a sub-entry ("2.A.1.c").
type Entry struct {
	// ID is the entry's number in the Annex's own numbering.
	ID string `json:"id"`
	// Parent is the ID of the enclosing entry; empty for an item.
	Parent string `json:"parent,omitempty"`
	// Category is the entry's MTCR category; empty for a reserved item.
	Category    Category `json:"category"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Reserved    bool     `json:"reserved,omitempty"`
	// Match lists the alternative tests that put an item under this entry;
	// an item is under the entry when any one of them holds.
	Match []Matcher `json:"match,omitempty"`
	// NotIn lists entries that take precedence: an item that falls under any
	// of them is not under this one ("not specified in 2.A.1").
	NotIn []string `json:"not_in,omitempty"`
	// Rules are the entry's notes and exceptions.
	Rules []Rule `json:"rules,omitempty"`
	// EU lists the corresponding codes of EU Regulation 2021/821 Annex I.
	EU []string `json:"eu,omitempty"`
	// China lists the corresponding entries of China's 2024 dual-use list.
	China []string `json:"china,omitempty"`
	// Source cites the references for the entry, by Source key.
	Source     string     `json:"source"`
	Confidence Confidence `json:"confidence"`
	// Children lists the IDs of the entries directly under this one. It is
	// derived when the list is loaded.
	Children []string `json:"children,omitempty"`
}

// Condition is a set of criteria: all of All must hold, and at least one of
// Any when Any is not empty.
type Condition struct {
	All []Criterion `json:"all,omitempty"`
	Any []Criterion `json:"any,omitempty"`
}

// Matcher tests whether an item of one of Kinds falls under an entry.
type Matcher struct {
	Kinds []string `json:"kinds"`
	Condition
	// Paragraph names the numbered paragraph of the entry this test stands
	// for, as "2.A.1.c.1", when the entry has such paragraphs.
	Paragraph string `json:"paragraph,omitempty"`
}

// Op is a comparison in a criterion.
type Op string

// The comparisons a criterion can make. "in" holds when the parameter equals
// one of the values; "under" holds when it is one of the entry IDs given or a
// sub-entry of one of them.
const (
	OpGE    Op = ">="
	OpGT    Op = ">"
	OpLE    Op = "<="
	OpLT    Op = "<"
	OpEQ    Op = "=="
	OpIn    Op = "in"
	OpUnder Op = "under"
)

// Criterion compares one parameter of an item with a threshold. Numeric
// thresholds are in SI units (Unit names the unit), whatever unit the item's
// parameter is given in.
type Criterion struct {
	Param string `json:"param"`
	Op    Op     `json:"op"`
	// Value is the threshold: a number (SI), a boolean or a string.
	Value Value `json:"-"`
	// Values are the alternatives of an "in" or "under" criterion.
	Values []string `json:"-"`
	Unit   string   `json:"unit,omitempty"`
	// IfGiven marks a secondary criterion that is tested only when the item
	// gives the parameter; otherwise it is taken to hold, the conservative
	// reading, and the classification says so.
	IfGiven bool `json:"if_given,omitempty"`
}

type criterionJSON struct {
	Param   string          `json:"param"`
	Op      Op              `json:"op"`
	Value   json.RawMessage `json:"value"`
	Unit    string          `json:"unit,omitempty"`
	IfGiven bool            `json:"if_given,omitempty"`
}

// MarshalJSON encodes the threshold as "value": a scalar, or a list for
// "in" and "under".
func (c Criterion) MarshalJSON() ([]byte, error) {
	j := criterionJSON{Param: c.Param, Op: c.Op, Unit: c.Unit, IfGiven: c.IfGiven}
	var err error
	if c.Op == OpIn || c.Op == OpUnder {
		j.Value, err = json.Marshal(c.Values)
	} else {
		j.Value, err = json.Marshal(c.Value)
	}
	if err != nil {
		return nil, err
	}
	// Encode without HTML escaping, so that the operator reads ">=" and not
	// "\u003e=" whatever encoder embeds this output.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(j); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// UnmarshalJSON decodes the form MarshalJSON writes.
func (c *Criterion) UnmarshalJSON(b []byte) error {
	var j criterionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	c.Param, c.Op, c.Unit, c.IfGiven = j.Param, j.Op, j.Unit, j.IfGiven
	if j.Op == OpIn || j.Op == OpUnder {
		return json.Unmarshal(j.Value, &c.Values)
	}
	return json.Unmarshal(j.Value, &c.Value)
}

// RuleEffect is what a rule does when its condition holds.
type RuleEffect string

// Rule effects. An exclusion takes the item out of the entry; a Category II
// treatment keeps the item under the entry but lowers its category (the
// exceptions of the Note to 2.A.1); an advisory adds a note for the officer.
const (
	EffectExclude    RuleEffect = "exclude"
	EffectCategoryII RuleEffect = "treat_as_category_ii"
	EffectAdvisory   RuleEffect = "advisory"
)

// Rule is a note or exception of the list, made explicit.
type Rule struct {
	ID     string     `json:"id"`
	Effect RuleEffect `json:"effect"`
	// Kinds limits the rule to items of these kinds. By default a rule of an
	// entry applies to the kinds of the entry's matchers, and a rule of the
	// list to every kind. Exclusions and Category II treatments are tested
	// on the entries an item falls under; advisory rules are tested whether
	// or not the item falls under the entry.
	Kinds []string `json:"kinds,omitempty"`
	// When is the rule's condition. A rule whose parameters are missing from
	// the item does not apply: exceptions need evidence.
	When Condition `json:"when"`
	// Text states the rule in words.
	Text string `json:"text"`
	// Conditions are the terms on which an exception is granted, such as
	// "end-use statement and quantity limits".
	Conditions string     `json:"conditions,omitempty"`
	Source     string     `json:"source,omitempty"`
	Confidence Confidence `json:"confidence,omitempty"`
}

// ValueType is the type of a parameter value.
type ValueType string

// Parameter value types.
const (
	TypeNumber ValueType = "number"
	TypeBool   ValueType = "bool"
	TypeString ValueType = "string"
)

// Value is a parameter value or threshold: a number, a boolean or a string.
type Value struct {
	Type ValueType
	Num  float64
	Bool bool
	Str  string
}

// Number returns a numeric Value.
func Number(f float64) Value { return Value{Type: TypeNumber, Num: f} }

// Bool returns a boolean Value.
func Bool(b bool) Value { return Value{Type: TypeBool, Bool: b} }

// String returns a string Value.
func String(s string) Value { return Value{Type: TypeString, Str: s} }

// MarshalJSON encodes the value as a JSON number, boolean or string.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.Type {
	case TypeNumber:
		return json.Marshal(v.Num)
	case TypeBool:
		return json.Marshal(v.Bool)
	case TypeString:
		return json.Marshal(v.Str)
	}
	return []byte("null"), nil
}

// UnmarshalJSON decodes a JSON number, boolean or string.
func (v *Value) UnmarshalJSON(b []byte) error {
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	switch x := x.(type) {
	case float64:
		*v = Number(x)
	case bool:
		*v = Bool(x)
	case string:
		*v = String(x)
	case nil:
		*v = Value{}
	default:
		return fmt.Errorf("value must be a number, boolean or string")
	}
	return nil
}

// String formats the value for people.
func (v Value) String() string {
	switch v.Type {
	case TypeNumber:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	case TypeBool:
		return strconv.FormatBool(v.Bool)
	case TypeString:
		return v.Str
	}
	return "null"
}

// Kind is a kind of item the classifier knows, with its parameters.
type Kind struct {
	Name        string   `json:"name"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Params      []*Param `json:"params"`
}

// Param describes a parameter of a kind of item. A numeric parameter is
// given in Unit; its value in SI units is value*Scale + Offset.
type Param struct {
	Name        string    `json:"name"`
	Type        ValueType `json:"type"`
	Description string    `json:"description"`
	Unit        string    `json:"unit,omitempty"`
	SIUnit      string    `json:"si_unit,omitempty"`
	Scale       float64   `json:"scale,omitempty"`
	Offset      float64   `json:"offset,omitempty"`
	// Min and Max bound a numeric value, in Unit.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// Enum lists the allowed values of a string parameter.
	Enum []string `json:"enum,omitempty"`
	// Format names a check on a string value: "cas" (a CAS Registry Number
	// with a valid check digit) or "entry" (an entry ID of the list).
	Format string `json:"format,omitempty"`
	// Derived says how to compute the value when the item does not give it:
	// the quotient of two other parameters, in SI units.
	Derived *Derivation `json:"derived,omitempty"`
	// Default is the value assumed when the item does not give one, for a
	// parameter whose absence means "none" (an aerosol capacity of 0 L).
	// Parameters that exceptions turn on have no default: exceptions need
	// evidence.
	Default *Value `json:"default,omitempty"`
}

// Derivation computes a parameter from others.
type Derivation struct {
	// Quotient names a dividend and a divisor parameter.
	Quotient [2]string `json:"quotient"`
}

// ToSI converts a value given in the parameter's unit to SI units.
func (p *Param) ToSI(v float64) float64 {
	s := p.Scale
	if s == 0 {
		s = 1
	}
	return v*s + p.Offset
}

// FromSI converts a value in SI units to the parameter's unit.
func (p *Param) FromSI(v float64) float64 {
	s := p.Scale
	if s == 0 {
		s = 1
	}
	return (v - p.Offset) / s
}

// ClassificationStatus says whether an item could be decided.
type ClassificationStatus string

// Classification statuses. An item is "incomplete" when it is of a kind the
// list names but lacks a parameter needed to decide an entry.
const (
	StatusControlled ClassificationStatus = "controlled"
	StatusNotListed  ClassificationStatus = "not_listed"
	StatusIncomplete ClassificationStatus = "incomplete"
)

// Classification is the classifier's answer for one item.
type Classification struct {
	Name       string               `json:"name,omitempty"`
	Kind       string               `json:"kind"`
	Status     ClassificationStatus `json:"status"`
	Controlled bool                 `json:"controlled"`
	// Category is the strictest category of the entries matched.
	Category Category `json:"category"`
	// ListVersion is the ID of the control-list version used.
	ListVersion string `json:"list_version"`
	// Summary says the result in one sentence.
	Summary string `json:"summary"`
	// Entries are the entries the item falls under, strictest first.
	Entries []Match `json:"entries"`
	// NearMisses are thresholds the item missed by 10 % or less.
	NearMisses []NearMiss `json:"near_misses"`
	// Notes are advisory: exceptions that could not be tested, trade-offs,
	// missing parameters, rules for incorporated items.
	Notes []Note `json:"notes"`
	// Components classifies each incorporated item.
	Components []*Classification `json:"components,omitempty"`
	// Capability is the flight model's analysis of a rocket system given
	// by its stages, without the trade-off curve.
	Capability *Capability `json:"capability,omitempty"`
}

// Match is an entry an item falls under, with the reason.
type Match struct {
	ID       string   `json:"id"`
	Category Category `json:"category"`
	Title    string   `json:"title"`
	// Reason says in words why the item falls under the entry.
	Reason string `json:"reason"`
	// Criteria are the comparisons that held.
	Criteria []Comparison `json:"criteria"`
	// Rules are the notes and exceptions that changed the outcome.
	Rules []AppliedRule `json:"rules,omitempty"`
	// Paragraph is the numbered paragraph of the entry that applies, as
	// "2.A.1.c.1", when the entry has such paragraphs.
	Paragraph string `json:"paragraph,omitempty"`
	// Via names the incorporated component that brought the entry in, as
	// "components[0]"; empty for the item itself.
	Via   string   `json:"via,omitempty"`
	EU    []string `json:"eu,omitempty"`
	China []string `json:"china,omitempty"`
}

// Comparison is one criterion tested against an item, in the units the item
// gave, with the SI values the test used.
type Comparison struct {
	Param string `json:"param"`
	Op    Op     `json:"op"`
	// Value is the item's value; Threshold is the criterion's, in the
	// parameter's unit.
	Value     Value    `json:"value"`
	Threshold Value    `json:"threshold"`
	Values    []string `json:"values,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	// ValueSI and ThresholdSI are the numbers compared, in SIUnit.
	ValueSI     *float64 `json:"value_si,omitempty"`
	ThresholdSI *float64 `json:"threshold_si,omitempty"`
	SIUnit      string   `json:"si_unit,omitempty"`
	Derived     bool     `json:"derived,omitempty"`
	// Assumed is set when the item did not give the value: the parameter's
	// default was used, or an if-given criterion was taken to hold.
	Assumed bool `json:"assumed,omitempty"`
	Met     bool `json:"met"`
}

// AppliedRule is a rule that applied to an item.
type AppliedRule struct {
	ID         string       `json:"id"`
	Effect     RuleEffect   `json:"effect"`
	Text       string       `json:"text"`
	Conditions string       `json:"conditions,omitempty"`
	Criteria   []Comparison `json:"criteria,omitempty"`
}

// NearMiss is a threshold the item missed by 10 % or less.
type NearMiss struct {
	Entry    string   `json:"entry"`
	Category Category `json:"category"`
	// Comparison is the criterion that failed.
	Comparison Comparison `json:"comparison"`
	// MarginPercent is how far the value is from the threshold, as a
	// percentage of the threshold.
	MarginPercent float64 `json:"margin_percent"`
	Note          string  `json:"note"`
}

// NoteType says what a note on a classification is about.
type NoteType string

// Note types.
const (
	NoteAdvisory      NoteType = "advisory"      // an advisory rule whose condition holds
	NoteExcluded      NoteType = "excluded"      // an exclusion took the item out of an entry
	NoteUntested      NoteType = "untested"      // an exception could not be tested for lack of a parameter
	NoteUndecided     NoteType = "undecided"     // an entry could not be decided for lack of a parameter
	NoteIncorporation NoteType = "incorporation" // what an incorporated component means for the item
	NoteCatchAll      NoteType = "catch_all"     // a not-listed item may still need a licence
	NoteAssumed       NoteType = "assumed"       // a value the item did not give was assumed
	NoteCapability    NoteType = "capability"    // range and payload come from the flight model
)

// Note is an advisory note on a classification.
type Note struct {
	Type NoteType `json:"type"`
	// Rule is the ID of the rule behind the note, if any.
	Rule  string `json:"rule,omitempty"`
	Entry string `json:"entry,omitempty"`
	Text  string `json:"text"`
}

// EntryFilter selects control-list entries. Empty fields are not filtered on.
type EntryFilter struct {
	// Version is the list version; empty means the version in force.
	Version string
	// Query matches an entry ID or its prefix, or words of the title or
	// description.
	Query string
	// Param matches entries with a criterion on this parameter.
	Param string
	// Kind matches entries that an item of this kind can fall under.
	Kind     string
	Category Category
	Offset   int
	Limit    int
}

// ControlListService gives access to the control-list versions and
// classifies items against them.
type ControlListService interface {
	// FindVersions describes every version known, newest effective first.
	FindVersions(ctx context.Context) ([]*ListVersionInfo, error)
	// FindVersion returns a version by ID; "" means the version in force.
	FindVersion(ctx context.Context, id string) (*ListVersion, error)
	// FindEntries returns the entries matching the filter, in list order,
	// and how many match in all.
	FindEntries(ctx context.Context, filter EntryFilter) ([]*Entry, int, error)
	// FindEntryByID returns one entry of a version ("" for the version in
	// force), or ENOTFOUND.
	FindEntryByID(ctx context.Context, version, id string) (*Entry, error)
	// Classify validates and classifies items against a version ("" for the
	// version in force). Invalid items give an EINVALID error whose fields
	// carry each offending path; nothing is classified then.
	Classify(ctx context.Context, version string, items []Item) ([]*Classification, error)
}

// ListVersionStore keeps the control-list versions that an administrator
// imports at run time, beside those built into Annex.
type ListVersionStore interface {
	// CreateListVersion stores a validated version. It returns ECONFLICT if a
	// version with the same ID is stored. The import is audited.
	CreateListVersion(ctx context.Context, v *ListVersion) error
	// FindListVersions returns every stored version.
	FindListVersions(ctx context.Context) ([]*ListVersion, error)
}
