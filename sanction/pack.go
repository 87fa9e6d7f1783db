package sanction

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"annex"
)

//go:embed data/*.json
var dataFS embed.FS

// DefaultPack is the pack a determination applies when it names none: the
// US missile sanctions of AECA §73 and EAA §11B.
const DefaultPack = "us-missile"

// Pack is a rule pack: one sanctioning state's law on missile-technology
// transfers, as data. Adding a country's law is adding a pack file.
type Pack struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version"`
	// Country is the sanctioning state, ISO 3166-1 alpha-2.
	Country string `json:"country"`
	// EffectiveFrom and EffectiveUntil bound the transfer dates the pack
	// applies to, both inclusive (YYYY-MM-DD); an empty EffectiveUntil
	// leaves the window open.
	EffectiveFrom  string `json:"effective_from"`
	EffectiveUntil string `json:"effective_until,omitempty"`
	// Note says in words what the pack covers and where it is uncertain.
	Note       string           `json:"note,omitempty"`
	Confidence annex.Confidence `json:"confidence,omitempty"`
	Sources    []Source         `json:"sources"`
	// ForeignPersonsOnly spares persons of the pack's own country: the
	// law sanctions them under other provisions, if at all.
	ForeignPersonsOnly bool `json:"foreign_persons_only"`
	// Discretionary is set when the law lets the state impose the measures
	// rather than requiring them (INKSNA).
	Discretionary bool        `json:"discretionary"`
	Exemptions    []Exemption `json:"exemptions,omitempty"`
	// RecipientCountries, when given, limits the pack to transfers to
	// these countries, each from its own date.
	RecipientCountries []RecipientCountry `json:"recipient_countries,omitempty"`
	// WaiverNotices are the notice periods a national-security waiver
	// needs, per statute.
	WaiverNotices []WaiverNotice `json:"waiver_notices,omitempty"`
	Rules         []Rule         `json:"rules"`
}

// Source is a citation a pack rests on. Key is the facts file's source
// number, as "S40".
type Source struct {
	Key        string           `json:"key"`
	Citation   string           `json:"citation"`
	URL        string           `json:"url,omitempty"`
	Confidence annex.Confidence `json:"confidence,omitempty"`
}

// ExemptionKind names an exemption a pack recognises.
type ExemptionKind string

// The exemptions of AECA §73(b) and EAA §11B(b).
const (
	// ExemptAuthorizedByAdherent spares activity authorised by the laws of
	// an MTCR adherent (unless by misrepresentation or fraud).
	ExemptAuthorizedByAdherent ExemptionKind = "authorized_by_adherent"
	// ExemptEndUserInAdherent spares transfers to an end user in an MTCR
	// adherent.
	ExemptEndUserInAdherent ExemptionKind = "end_user_in_adherent"
)

// Exemption is an exemption of a pack, with the provision that grants it.
type Exemption struct {
	Kind        ExemptionKind `json:"kind"`
	LegalBasis  string        `json:"legal_basis"`
	Description string        `json:"description,omitempty"`
	// Sources are keys of the pack's sources.
	Sources    []string         `json:"sources,omitempty"`
	Confidence annex.Confidence `json:"confidence,omitempty"`
}

// RecipientCountry is a country a pack covers transfers to, from a date
// (and until one, inclusive, when given).
type RecipientCountry struct {
	Country    string           `json:"country"`
	From       string           `json:"from"`
	Until      string           `json:"until,omitempty"`
	Law        string           `json:"law,omitempty"`
	Sources    []string         `json:"sources,omitempty"`
	Confidence annex.Confidence `json:"confidence,omitempty"`
	Note       string           `json:"note,omitempty"`
}

// WaiverNotice is the notice a national-security waiver needs under one
// statute. A measure whose legal basis cites the statute (Statute followed
// by a space, as "AECA §73…") needs it.
type WaiverNotice struct {
	Statute     string           `json:"statute"`
	Provision   string           `json:"provision"`
	WorkingDays int              `json:"working_days"`
	Sources     []string         `json:"sources,omitempty"`
	Confidence  annex.Confidence `json:"confidence,omitempty"`
}

// Rule imposes one measure when its condition holds.
type Rule struct {
	ID        string            `json:"id"`
	Condition Condition         `json:"condition"`
	Measure   annex.MeasureKind `json:"measure"`
	// LegalBasis cites the provisions, as the notices do: "AECA
	// §73(a)(2)(B)(i)".
	LegalBasis  string `json:"legal_basis"`
	Description string `json:"description"`
	// Years is how long the measure lasts; Minimum marks the law's "not
	// less than".
	Years      int              `json:"years"`
	Minimum    bool             `json:"minimum,omitempty"`
	Sources    []string         `json:"sources,omitempty"`
	Confidence annex.Confidence `json:"confidence,omitempty"`
}

// Condition says when a rule applies: to transfers of items of one of the
// categories, and, when SubstantiallyContributed is set, only where the
// transfer substantially contributed to a missile programme.
type Condition struct {
	Categories               []annex.Category `json:"categories"`
	SubstantiallyContributed bool             `json:"substantially_contributed,omitempty"`
}

// Ref returns the pack's ID and version, as "us-missile@1".
func (p *Pack) Ref() string { return p.ID + "@" + p.Version }

// Covers reports whether a transfer on day falls in the pack's window.
func (p *Pack) Covers(day string) bool {
	return p.EffectiveFrom <= day && (p.EffectiveUntil == "" || day <= p.EffectiveUntil)
}

// Window describes the pack's window in words.
func (p *Pack) Window() string {
	if p.EffectiveUntil == "" {
		return "transfers from " + p.EffectiveFrom
	}
	return "transfers from " + p.EffectiveFrom + " to " + p.EffectiveUntil
}

// exemption returns the pack's exemption of a kind, or nil.
func (p *Pack) exemption(k ExemptionKind) *Exemption {
	for i := range p.Exemptions {
		if p.Exemptions[i].Kind == k {
			return &p.Exemptions[i]
		}
	}
	return nil
}

// LoadPacks returns the built-in rule packs, in the order of their files'
// names. Each is validated as ParsePack does.
func LoadPacks() ([]*Pack, error) {
	files, err := fs.Glob(dataFS, "data/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var packs []*Pack
	for _, f := range files {
		b, err := dataFS.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
		p, err := ParsePack(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, q := range packs {
			if q.ID == p.ID {
				return nil, fmt.Errorf("%s: pack %q defined twice", f, p.ID)
			}
		}
		packs = append(packs, p)
	}
	return packs, nil
}

// ParsePack reads a rule pack from JSON and validates it. Errors are
// EINVALID and name each offending field by its path, as
// "rules[2].measure" or "effective_from"; unknown fields are errors too.
func ParsePack(r io.Reader) (*Pack, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read pack: %w", err)
	}
	if err := checkJSON(data, &Pack{}); err != nil {
		return nil, err
	}
	var p Pack
	if err := json.Unmarshal(data, &p); err != nil {
		// checkJSON has seen every field; this is a fault of ours.
		return nil, fmt.Errorf("decode pack: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

var (
	idRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	measureRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
)

const dayMessage = "must be a date written YYYY-MM-DD"

func validDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// packChecker collects a pack's field errors.
type packChecker struct {
	p    *Pack
	errs []annex.FieldError
	keys map[string]bool
}

func (c *packChecker) add(field, msg string) {
	c.errs = append(c.errs, annex.FieldError{Field: field, Message: msg})
}

func (c *packChecker) confidence(at string, v annex.Confidence) {
	switch v {
	case "", annex.ConfidenceVerified, annex.ConfidencePartial, annex.ConfidenceMemory:
	default:
		c.add(at+"confidence", `must be "V", "P" or "M"`)
	}
}

func (c *packChecker) sourceKeys(at string, keys []string) {
	for i, k := range keys {
		if !c.keys[k] {
			c.add(at+"sources["+strconv.Itoa(i)+"]", "unknown source "+strconv.Quote(k)+": cite a key of the pack's sources")
		}
	}
}

func (c *packChecker) required(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.add(field, "required")
	}
}

// Validate checks the pack's fields.
func (p *Pack) Validate() error {
	c := &packChecker{p: p, keys: map[string]bool{}}
	if !idRE.MatchString(p.ID) {
		c.add("id", "required: lowercase letters, digits and hyphens, as us-missile")
	}
	c.required("title", p.Title)
	c.required("version", p.Version)
	if !countryRE.MatchString(p.Country) {
		c.add("country", "must be an ISO 3166-1 alpha-2 code such as US")
	}
	if !validDay(p.EffectiveFrom) {
		c.add("effective_from", dayMessage)
	}
	if p.EffectiveUntil != "" && !validDay(p.EffectiveUntil) {
		c.add("effective_until", dayMessage)
	} else if p.EffectiveUntil != "" && p.EffectiveUntil < p.EffectiveFrom {
		c.add("effective_until", "must not be before effective_from")
	}
	c.confidence("", p.Confidence)
	p.validateSources(c)
	p.validateExemptions(c)
	p.validateCountries(c)
	p.validateNotices(c)
	p.validateRules(c)
	if len(c.errs) > 0 {
		return annex.Invalid(c.errs...)
	}
	return nil
}

func (p *Pack) validateSources(c *packChecker) {
	if len(p.Sources) == 0 {
		c.add("sources", "at least one source is required")
	}
	for i, s := range p.Sources {
		at := "sources[" + strconv.Itoa(i) + "]."
		switch {
		case strings.TrimSpace(s.Key) == "":
			c.add(at+"key", "required")
		case c.keys[s.Key]:
			c.add(at+"key", "duplicate key "+strconv.Quote(s.Key))
		}
		c.keys[s.Key] = true
		c.required(at+"citation", s.Citation)
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
			c.add(at+"url", "must be an http or https URL")
		}
		c.confidence(at, s.Confidence)
	}
}

func (p *Pack) validateExemptions(c *packChecker) {
	seen := map[ExemptionKind]bool{}
	for i, e := range p.Exemptions {
		at := "exemptions[" + strconv.Itoa(i) + "]."
		switch {
		case e.Kind != ExemptAuthorizedByAdherent && e.Kind != ExemptEndUserInAdherent:
			c.add(at+"kind", "must be authorized_by_adherent or end_user_in_adherent")
		case seen[e.Kind]:
			c.add(at+"kind", "listed twice")
		}
		seen[e.Kind] = true
		c.required(at+"legal_basis", e.LegalBasis)
		c.sourceKeys(at, e.Sources)
		c.confidence(at, e.Confidence)
	}
}

func (p *Pack) validateCountries(c *packChecker) {
	seen := map[string]bool{}
	for i, rc := range p.RecipientCountries {
		at := "recipient_countries[" + strconv.Itoa(i) + "]."
		switch {
		case !countryRE.MatchString(rc.Country):
			c.add(at+"country", "must be an ISO 3166-1 alpha-2 code such as IR")
		case seen[rc.Country]:
			c.add(at+"country", "listed twice")
		}
		seen[rc.Country] = true
		if !validDay(rc.From) {
			c.add(at+"from", dayMessage)
		}
		if rc.Until != "" && !validDay(rc.Until) {
			c.add(at+"until", dayMessage)
		} else if rc.Until != "" && rc.Until < rc.From {
			c.add(at+"until", "must not be before from")
		}
		c.sourceKeys(at, rc.Sources)
		c.confidence(at, rc.Confidence)
	}
}

func (p *Pack) validateNotices(c *packChecker) {
	for i, n := range p.WaiverNotices {
		at := "waiver_notices[" + strconv.Itoa(i) + "]."
		if strings.TrimSpace(n.Statute) == "" || strings.ContainsAny(n.Statute, " ;") {
			c.add(at+"statute", "required: the statute's short name as legal bases cite it, as AECA")
		}
		c.required(at+"provision", n.Provision)
		if n.WorkingDays < 1 || n.WorkingDays > 365 {
			c.add(at+"working_days", "must be between 1 and 365")
		}
		c.sourceKeys(at, n.Sources)
		c.confidence(at, n.Confidence)
	}
}

func (p *Pack) validateRules(c *packChecker) {
	if len(p.Rules) == 0 {
		c.add("rules", "at least one rule is required")
	}
	ids := map[string]bool{}
	for i, r := range p.Rules {
		at := "rules[" + strconv.Itoa(i) + "]."
		switch {
		case !idRE.MatchString(r.ID):
			c.add(at+"id", "required: lowercase letters, digits and hyphens")
		case ids[r.ID]:
			c.add(at+"id", "duplicate rule "+strconv.Quote(r.ID))
		}
		ids[r.ID] = true
		if len(r.Condition.Categories) == 0 {
			c.add(at+"condition.categories", `at least one category, "I" or "II"`)
		}
		for j, cat := range r.Condition.Categories {
			if cat != annex.CategoryI && cat != annex.CategoryII {
				c.add(at+"condition.categories["+strconv.Itoa(j)+"]", `must be "I" or "II"`)
			}
		}
		if !measureRE.MatchString(string(r.Measure)) {
			c.add(at+"measure", "required: lowercase letters, digits and underscores, as deny_missile_licences")
		}
		c.required(at+"legal_basis", r.LegalBasis)
		c.required(at+"description", r.Description)
		if r.Years < 1 || r.Years > 100 {
			c.add(at+"years", "must be between 1 and 100")
		}
		c.sourceKeys(at, r.Sources)
		c.confidence(at, r.Confidence)
	}
}

// applies reports whether the rule's condition holds for a transfer.
func (r *Rule) applies(cat annex.Category, substantial bool) bool {
	return slices.Contains(r.Condition.Categories, cat) && (!r.Condition.SubstantiallyContributed || substantial)
}
