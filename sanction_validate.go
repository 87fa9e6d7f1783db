package annex

import (
	"strconv"
	"strings"
	"time"
)

// validDay reports whether s is a real date written YYYY-MM-DD.
func validDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

const dayMessage = "must be a date written YYYY-MM-DD"

// Validate checks the entity's fields and tidies its names.
func (e *SanctionEntity) Validate() error {
	var errs []FieldError
	add := func(f, m string) { errs = append(errs, FieldError{f, m}) }
	e.Name = strings.TrimSpace(e.Name)
	if e.Name == "" || len(e.Name) > 500 {
		add("name", "required, at most 500 characters")
	}
	var aliases []string
	for i, a := range e.Aliases {
		if a = strings.TrimSpace(a); a == "" || len(a) > 500 {
			add("aliases["+strconv.Itoa(i)+"]", "must be 1 to 500 characters")
			continue
		}
		aliases = append(aliases, a)
	}
	e.Aliases = aliases
	switch e.Type {
	case "", EntityPerson, EntityOrganization:
	default:
		add("type", "must be person or organization")
	}
	if e.Country = strings.ToUpper(strings.TrimSpace(e.Country)); !countryRE.MatchString(e.Country) {
		add("country", "must be an ISO 3166-1 alpha-2 code such as PK")
	}
	for i, r := range e.ListRefs {
		at := "list_refs[" + strconv.Itoa(i) + "]."
		if !knownSource(r.Source) || r.Source == SourceRegister {
			add(at+"source", "unknown list "+quote(string(r.Source)))
		}
		if strings.TrimSpace(r.SourceID) == "" {
			add(at+"source_id", "required")
		}
	}
	if len(e.Notes) > 5000 {
		add("notes", "at most 5,000 characters")
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

func knownSource(s ListSource) bool {
	for _, v := range ListSources {
		if v == s {
			return true
		}
	}
	return false
}

// Reliability grades of a source, A (completely reliable) to F (reliability
// cannot be judged), after the Admiralty scale.
const ReliabilityGrades = "ABCDEF"

// Validate checks the report's fields. It does not check that the entities
// exist: the store does, naming supplier_id or recipient_id.
func (r *TransferReport) Validate() error {
	var errs []FieldError
	add := func(f, m string) { errs = append(errs, FieldError{f, m}) }
	r.Reference = strings.TrimSpace(r.Reference)
	if r.Reference == "" || len(r.Reference) > 100 {
		add("reference", "required, at most 100 characters")
	}
	if r.Title = strings.TrimSpace(r.Title); r.Title == "" || len(r.Title) > 500 {
		add("title", "required, at most 500 characters")
	}
	if !validDay(r.Date) {
		add("date", dayMessage)
	}
	if r.SupplierID <= 0 {
		add("supplier_id", "required")
	}
	if r.RecipientID <= 0 {
		add("recipient_id", "required")
	} else if r.RecipientID == r.SupplierID {
		add("recipient_id", "must differ from the supplier")
	}
	switch r.Category {
	case CategoryI, CategoryII, "":
	default:
		add("category", `must be "I" or "II"`)
	}
	for i, it := range r.Items {
		if strings.TrimSpace(it.Description) == "" {
			add("items["+strconv.Itoa(i)+"].description", "required")
		}
	}
	if len(r.Items) == 0 && r.Category == "" {
		add("items", "give the items, or the category where they cannot be described")
	}
	if len(r.Sources) == 0 {
		add("sources", "at least one source is required")
	}
	for i, s := range r.Sources {
		at := "sources[" + strconv.Itoa(i) + "]."
		if strings.TrimSpace(s.Citation) == "" {
			add(at+"citation", "required")
		}
		if len(s.Reliability) != 1 || !strings.Contains(ReliabilityGrades, s.Reliability) {
			add(at+"reliability", "must be a grade from A (reliable) to F (cannot be judged)")
		}
	}
	if len(r.Assessment) > 20000 {
		add("assessment", "at most 20,000 characters")
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// Validate checks the determination input. Items, when given, are checked
// by the classifier.
func (in *DeterminationInput) Validate() error {
	var errs []FieldError
	add := func(f, m string) { errs = append(errs, FieldError{f, m}) }
	if !validDay(in.Date) {
		add("date", dayMessage)
	}
	if in.TransferDate != "" && !validDay(in.TransferDate) {
		add("transfer_date", dayMessage)
	} else if in.TransferDate != "" && validDay(in.Date) && in.TransferDate > in.Date {
		add("transfer_date", "must not be after the date of the determination")
	}
	checkParty := func(at string, p *TransferParty) {
		if p.Name = strings.TrimSpace(p.Name); p.Name == "" {
			add(at+"name", "required")
		}
		if p.Country = strings.ToUpper(strings.TrimSpace(p.Country)); !countryRE.MatchString(p.Country) {
			add(at+"country", "must be an ISO 3166-1 alpha-2 code such as PK")
		}
	}
	checkParty("supplier.", &in.Supplier)
	checkParty("recipient.", &in.Recipient)
	for i := range in.Others {
		at := "others[" + strconv.Itoa(i) + "]."
		checkParty(at, &in.Others[i])
		switch in.Others[i].Role {
		case TransferConsignee, TransferEndUser, TransferAgent:
		default:
			add(at+"role", "must be consignee, end_user or agent")
		}
	}
	switch {
	case in.Category != "" && in.Category != CategoryI && in.Category != CategoryII:
		add("category", `must be "I" or "II", not `+quote(string(in.Category)))
	case in.Category == "" && len(in.Items) == 0:
		add("category", `required: "I" or "II", or give the items to classify`)
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// Validate checks the waiver's fields.
func (w *Waiver) Validate() error {
	var errs []FieldError
	add := func(f, m string) { errs = append(errs, FieldError{f, m}) }
	if w.EntityID <= 0 && len(w.MeasureIDs) == 0 {
		add("entity_id", "name the entity, or the measures in measure_ids")
	}
	if !validDay(w.Effective) {
		add("effective", dayMessage)
	}
	if w.NotifiedOn != "" && !validDay(w.NotifiedOn) {
		add("notified_on", dayMessage)
	} else if w.NotifiedOn != "" && w.NotifiedOn > w.Effective {
		add("notified_on", "Congress is notified before the waiver takes effect, not after")
	}
	switch w.Basis {
	case WaiverNationalSecurity, WaiverSoleSource:
	default:
		add("basis", "must be national_security or sole_source")
	}
	if w.Reason = strings.TrimSpace(w.Reason); w.Reason == "" {
		add("reason", "required")
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// Validate checks the hold's fields.
func (h *Hold) Validate() error {
	var errs []FieldError
	add := func(f, m string) { errs = append(errs, FieldError{f, m}) }
	if h.Country = strings.ToUpper(strings.TrimSpace(h.Country)); !countryRE.MatchString(h.Country) {
		add("country", "must be an ISO 3166-1 alpha-2 code such as CN")
	}
	if h.Reason = strings.TrimSpace(h.Reason); h.Reason == "" {
		add("reason", "required")
	}
	if !validDay(h.From) {
		add("from", dayMessage)
	}
	if h.Until != "" && !validDay(h.Until) {
		add("until", dayMessage)
	} else if h.Until != "" && h.Until < h.From {
		add("until", "must not be before from")
	}
	switch h.Effect {
	case RecommendDeny, RecommendRefer:
	default:
		add("effect", "must be deny or refer")
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// Validate checks a measure before it enters the register.
func (m *Measure) Validate() error {
	var errs []FieldError
	add := func(f, m string) { errs = append(errs, FieldError{f, m}) }
	if strings.TrimSpace(m.Entity) == "" {
		add("entity", "required")
	}
	if m.Measure == "" {
		add("measure", "required")
	}
	if !validDay(m.Start) {
		add("start", dayMessage)
	}
	if m.End != "" && !validDay(m.End) {
		add("end", dayMessage)
	} else if m.End != "" && m.End <= m.Start {
		add("end", "must be after start")
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}
