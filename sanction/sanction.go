// Package sanction determines the sanctions a missile-technology transfer
// calls for, under rule packs that hold each sanctioning state's law as
// data: the US missile sanctions of AECA §73 and EAA §11B, and INKSNA.
//
// The package is pure: it reads only its own embedded packs, does no other
// I/O and reads no clock. Dates are passed in, written YYYY-MM-DD. What the
// engine cannot know is given to it: the category of the items or a
// classifier, and which states are MTCR partners or adherents on a day.
//
// A determination takes the President's finding as given: that the person
// knowingly transferred the items and that they contribute to missiles in a
// country that is not an MTCR adherent. The engine then applies each pack's
// window, exemptions and rules to every party of the transfer.
package sanction

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"annex"
)

// Engine makes determinations under a set of rule packs.
type Engine struct {
	// Packs are the rule packs the engine knows.
	Packs []*Pack
	// Default names the packs applied when a determination names none,
	// normally [DefaultPack].
	Default []string
	// Adherent reports whether a state (ISO 3166-1 alpha-2) is an MTCR
	// partner or adherent on a day. Nil means none is.
	Adherent func(iso2, day string) bool
	// Classify classifies the items of a determination given without a
	// category. Nil means items cannot be classified: a determination must
	// give the category. Field errors name an item as the control list's
	// classifier does: "kind" for a single item, "[i].kind" for several.
	Classify func(items []annex.Item) ([]*annex.Classification, error)
}

// Determine returns the measures a transfer calls for. Errors are EINVALID
// and name the offending field: the input's own fields, "packs[i]" for a
// pack the engine does not know, and "items[i]…" for items the classifier
// refuses or cannot decide.
//
// Each pack applies when the transfer date (TransferDate, or Date when not
// given) is in its window and, for a pack limited to some recipient
// countries, the recipient or an end user is in one of them on that date.
// Its exemptions are judged on the transfer date too: authorised by an
// adherent's laws, or an end user in an MTCR partner or adherent (the end
// users among Others when there are any, else the recipient).
//
// The measures fall on every party, supplier, recipient and others, in that
// order, and for each party in the order of the packs and of their rules;
// a pack for foreign persons only spares persons of its own country. They
// start on the date of the determination and last the rule's years
// (time.AddDate: a start of 29 February ends on 1 March). Measures is
// empty, never nil, when nothing applies; Reasons then say why.
func (e *Engine) Determine(in annex.DeterminationInput) (*annex.DeterminationResult, error) {
	in.Others = slices.Clone(in.Others) // Validate tidies the parties in place
	if err := in.Validate(); err != nil {
		return nil, err
	}
	packs, err := e.packsFor(in.Packs)
	if err != nil {
		return nil, err
	}
	res := &annex.DeterminationResult{Measures: []annex.Measure{}, Category: in.Category}
	for _, p := range packs {
		res.Packs = append(res.Packs, p.Ref())
	}
	if res.Category == "" {
		cat, reason, err := e.categoryOf(in.Items)
		if err != nil {
			return nil, err
		}
		res.Category = cat
		res.Reasons = append(res.Reasons, reason)
		if cat == "" {
			return res, nil
		}
	}
	start, err := time.Parse(time.DateOnly, in.Date)
	if err != nil {
		return nil, annex.Invalid(annex.FieldError{Field: "date", Message: dayMessage})
	}
	var out []ranked
	for pi, p := range packs {
		d := &determination{e: e, in: &in, pack: p, packIndex: pi, category: res.Category, start: start}
		out = append(out, d.apply()...)
		res.Reasons = append(res.Reasons, d.reasons...)
	}
	slices.SortStableFunc(out, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.party, b.party), cmp.Compare(a.pack, b.pack), cmp.Compare(a.rule, b.rule))
	})
	for _, r := range out {
		res.Measures = append(res.Measures, r.m)
	}
	return res, nil
}

// packsFor returns the packs named, or the default packs.
func (e *Engine) packsFor(ids []string) ([]*Pack, error) {
	byID := map[string]*Pack{}
	for _, p := range e.Packs {
		byID[p.ID] = p
	}
	if len(ids) == 0 {
		if len(e.Default) == 0 {
			return nil, annex.Invalid(annex.FieldError{Field: "packs", Message: "name the rule packs to apply: " + e.known()})
		}
		var packs []*Pack
		for _, id := range e.Default {
			p := byID[id]
			if p == nil {
				return nil, fmt.Errorf("default rule pack %q is not loaded", id)
			}
			packs = append(packs, p)
		}
		return packs, nil
	}
	var packs []*Pack
	var errs []annex.FieldError
	for i, id := range ids {
		at := "packs[" + strconv.Itoa(i) + "]"
		switch p := byID[id]; {
		case p == nil:
			errs = append(errs, annex.FieldError{Field: at, Message: "unknown rule pack " + strconv.Quote(id) + ": " + e.known()})
		case slices.Contains(packs, p):
			errs = append(errs, annex.FieldError{Field: at, Message: "rule pack " + strconv.Quote(id) + " is named twice"})
		default:
			packs = append(packs, p)
		}
	}
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	return packs, nil
}

// known lists the packs the engine knows, for error messages.
func (e *Engine) known() string {
	ids := make([]string, len(e.Packs))
	for i, p := range e.Packs {
		ids[i] = p.ID
	}
	return "known packs are " + strings.Join(ids, ", ")
}

// categoryOf classifies items and returns the strictest category among
// the controlled ones, with a reason. An empty category means no item is
// controlled. An item the classifier could not decide is an error unless a
// Category I item already decides the transfer: the missing parameter
// could make it stricter than the rest. So is an item with an undecided
// entry stricter than the category found, as a rocket system of 400 km
// without its payload: Category II under 19.A.1, perhaps Category I under
// 1.A.1.
func (e *Engine) categoryOf(items []annex.Item) (annex.Category, string, error) {
	if e.Classify == nil {
		return "", "", annex.Invalid(annex.FieldError{Field: "items", Message: `items cannot be classified here: give the category, "I" or "II"`})
	}
	cls, err := e.Classify(items)
	if err != nil {
		return "", "", repath(err, len(items))
	}
	var cat annex.Category
	for _, cl := range cls {
		if cl != nil && cl.Controlled && cl.Category.Higher(cat) {
			cat = cl.Category
		}
	}
	var undecided []annex.FieldError
	for i, cl := range cls {
		if cl == nil {
			continue
		}
		at := "items[" + strconv.Itoa(i) + "]"
		if cl.Status == annex.StatusIncomplete && cat != annex.CategoryI {
			undecided = append(undecided, annex.FieldError{Field: at,
				Message: "could not be classified (" + cl.Summary + "): give the missing parameters, or the category"})
			continue
		}
		for _, n := range cl.Notes {
			if n.Type == annex.NoteUndecided && entryCategory(n.Entry).Higher(cat) {
				undecided = append(undecided, annex.FieldError{Field: at,
					Message: "may be Category " + string(entryCategory(n.Entry)) + ": " + n.Text + " Or give the category."})
				break
			}
		}
	}
	if len(undecided) > 0 {
		return "", "", annex.Invalid(undecided...)
	}
	if cat == "" {
		return "", "No item is on the MTCR Annex, so no missile sanctions apply.", nil
	}
	return cat, fmt.Sprintf("The items were classified: the strictest category among them is Category %s.", cat), nil
}

// entryCategory returns the category of an Annex entry by its number: the
// Annex numbers its Category I items 1 and 2, and the rest Category II.
func entryCategory(id string) annex.Category {
	item, _, _ := strings.Cut(id, ".")
	if item == "1" || item == "2" {
		return annex.CategoryI
	}
	return annex.CategoryII
}

// repath puts the classifier's field errors under "items".
func repath(err error, n int) error {
	fields := annex.ErrorFields(err)
	if annex.ErrorCode(err) != annex.EINVALID || len(fields) == 0 {
		return err
	}
	out := make([]annex.FieldError, len(fields))
	for i, f := range fields {
		switch {
		case strings.HasPrefix(f.Field, "["):
			f.Field = "items" + f.Field
		case n == 1 && f.Field == "":
			f.Field = "items[0]"
		case n == 1:
			f.Field = "items[0]." + f.Field
		case f.Field == "":
			f.Field = "items"
		default:
			f.Field = "items." + f.Field
		}
		out[i] = f
	}
	return annex.Invalid(out...)
}

// ranked is a measure with the keys it is sorted by.
type ranked struct {
	party, pack, rule int
	m                 annex.Measure
}

// determination applies one pack to one input.
type determination struct {
	e         *Engine
	in        *annex.DeterminationInput
	pack      *Pack
	packIndex int
	category  annex.Category
	start     time.Time
	reasons   []string
}

func (d *determination) reason(format string, args ...any) {
	d.reasons = append(d.reasons, d.pack.Ref()+": "+fmt.Sprintf(format, args...))
}

// transferDate is when the transfer took place, or the determination's
// date when the input does not say.
func (d *determination) transferDate() string {
	return cmp.Or(d.in.TransferDate, d.in.Date)
}

// parties returns the parties in the order measures fall on them, each
// with its role.
func (d *determination) parties() []annex.TransferParty {
	sup, rec := d.in.Supplier, d.in.Recipient
	sup.Role, rec.Role = annex.TransferSupplier, annex.TransferRecipient
	return append([]annex.TransferParty{sup, rec}, d.in.Others...)
}

// apply returns the pack's measures, and records why.
func (d *determination) apply() []ranked {
	p, day := d.pack, d.transferDate()
	if !p.Covers(day) {
		d.reason("the transfer of %s is outside the pack's window (%s), so the pack imposes nothing.", day, p.Window())
		return nil
	}
	if !d.coveredDestination(day) || d.exempt(day) {
		return nil
	}
	var rules []int
	for i := range p.Rules {
		if p.Rules[i].applies(d.category, d.in.SubstantiallyContributed) {
			rules = append(rules, i)
		}
	}
	if len(rules) == 0 {
		d.reason("no rule of the pack applies to a Category %s transfer.", d.category)
		return nil
	}
	var out []ranked
	var names []string
	for pi, party := range d.parties() {
		if p.ForeignPersonsOnly && party.Country == p.Country {
			d.reason("%s (%s, %s) is not sanctioned: the pack sanctions foreign persons only.", party.Name, party.Role, party.Country)
			continue
		}
		names = append(names, party.Name)
		for _, ri := range rules {
			out = append(out, ranked{party: pi, pack: d.packIndex, rule: ri, m: d.measure(party, &p.Rules[ri])})
		}
	}
	if len(names) == 0 {
		return nil
	}
	for _, ri := range rules {
		r := &p.Rules[ri]
		m := d.measure(annex.TransferParty{}, r)
		term := fmt.Sprintf("for %d years", r.Years)
		if r.Minimum {
			term = fmt.Sprintf("for not less than %d years", r.Years)
		}
		why := "a Category " + string(d.category) + " transfer"
		if r.Condition.SubstantiallyContributed {
			why += " that substantially contributed to missiles in a non-adherent"
		}
		may := "denies"
		if p.Discretionary {
			may = "may deny"
		}
		d.reason("rule %s (%s): %s %s %s %s, from %s to %s, on %s.",
			r.ID, r.LegalBasis, why, may, r.Description, term, m.Start, m.End, strings.Join(names, ", "))
	}
	return out
}

// measure returns the rule's measure on a party.
func (d *determination) measure(party annex.TransferParty, r *Rule) annex.Measure {
	return annex.Measure{
		Entity:      party.Name,
		Country:     party.Country,
		Role:        party.Role,
		Measure:     r.Measure,
		LegalBasis:  r.LegalBasis,
		Description: r.Description,
		Pack:        d.pack.ID,
		Start:       d.start.Format(time.DateOnly),
		End:         d.start.AddDate(r.Years, 0, 0).Format(time.DateOnly),
		Minimum:     r.Minimum,
		EntityID:    party.EntityID,
	}
}

// destinations returns the countries the items went to: the end users'
// when the input names any, else the recipient's.
func (d *determination) destinations() []annex.TransferParty {
	var ends []annex.TransferParty
	for _, o := range d.in.Others {
		if o.Role == annex.TransferEndUser {
			ends = append(ends, o)
		}
	}
	if len(ends) == 0 {
		return []annex.TransferParty{d.in.Recipient}
	}
	return ends
}

// coveredDestination reports whether a pack limited to some recipient
// countries covers the transfer: the recipient's or an end user's country
// must be one of them on the day of the transfer.
func (d *determination) coveredDestination(day string) bool {
	p := d.pack
	if len(p.RecipientCountries) == 0 {
		return true
	}
	dests := append([]annex.TransferParty{d.in.Recipient}, d.destinations()...)
	var covered []string
	for _, rc := range p.RecipientCountries {
		covered = append(covered, rc.Country+" from "+rc.From)
		for _, dst := range dests {
			if dst.Country == rc.Country && rc.From <= day && (rc.Until == "" || day <= rc.Until) {
				return true
			}
		}
	}
	d.reason("the pack covers transfers to %s only; the transfer of %s to %s is not one, so the pack imposes nothing.",
		strings.Join(covered, ", "), day, d.in.Recipient.Country)
	return false
}

// exempt reports whether one of the pack's exemptions spares the transfer.
func (d *determination) exempt(day string) bool {
	p := d.pack
	if x := p.exemption(ExemptAuthorizedByAdherent); x != nil && d.in.AuthorizedByAdherent {
		d.reason("the transfer was authorised by the laws of an MTCR adherent, so no sanctions apply (%s).", x.LegalBasis)
		return true
	}
	x := p.exemption(ExemptEndUserInAdherent)
	if x == nil || d.e.Adherent == nil {
		return false
	}
	var names []string
	for _, dst := range d.destinations() {
		if !d.e.Adherent(dst.Country, day) {
			return false
		}
		names = append(names, dst.Name+" ("+dst.Country+")")
	}
	d.reason("the end user %s is in an MTCR adherent on %s, so no sanctions apply (%s).", strings.Join(names, ", "), day, x.LegalBasis)
	return true
}
