package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// The analyst's forms of the sanctions register: recording an entity (on
// /register), a transfer (/register/transfers/new), a determination of a
// transfer (on its page) and a waiver of an entity's measures (on its
// page). Each posts to a route only registerWriters may use; the pages
// show the forms to them alone. A form that fails comes back with 422, the
// values as typed and each error next to its input: the errors of the
// domain name JSON paths ("list_refs[1].source", "items[2].item.range_km"),
// which errorsByInput moves to the input they came from.

// RegisterWriter reports whether the signed-in user may write to the
// sanctions register, for the pages to show the forms.
func (l layout) RegisterWriter() bool {
	return l.User != nil && slices.Contains(registerWriters, l.User.Role)
}

// formErrors are the errors of a form: by input name, and those of no
// input, for a summary.
type formErrors struct {
	Errors map[string]string
	Other  []string
}

// Err returns the error of an input.
func (f *formErrors) Err(name string) string { return f.Errors[name] }

// Failed reports whether the form has errors.
func (f *formErrors) Failed() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

// add puts an error on an input, after any already there; "" puts it in
// the summary.
func (f *formErrors) add(input, msg string) {
	if input == "" {
		f.Other = append(f.Other, msg)
		return
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if prev := f.Errors[input]; prev != "" {
		msg = prev + "; " + msg
	}
	f.Errors[input] = msg
}

// textLine is a line of a box, trimmed, with its number (from 1).
type textLine struct {
	N    int
	Text string
}

// textLines returns the lines of a box that say something; blank lines
// are left out.
func textLines(text string) []textLine {
	var out []textLine
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, textLine{N: i + 1, Text: line})
		}
	}
	return out
}

// lineError places an error about an element of a list typed one a line
// (the path "items[2].item.range_km" of a list "items") on the list's box,
// naming the line and the path: "line 3 (items[2].item.range_km): …".
// lines[i] is the line of element i. It returns false when the path is not
// the list's.
func lineError(f *formErrors, list string, lines []int, fe annex.FieldError) bool {
	if fe.Field == list {
		f.add(list, fe.Message)
		return true
	}
	rest, ok := strings.CutPrefix(fe.Field, list)
	if !ok || (rest[0] != '[' && rest[0] != '.') {
		return false
	}
	if num, _, ok := strings.Cut(strings.TrimPrefix(rest, "["), "]"); ok && rest[0] == '[' {
		if n, err := strconv.Atoi(num); err == nil && n >= 0 && n < len(lines) {
			f.add(list, fmt.Sprintf("line %d (%s): %s", lines[n], fe.Field, fe.Message))
			return true
		}
	}
	f.add(list, fe.Field+": "+fe.Message)
	return true
}

// --- Recording an entity -------------------------------------------------

// entityForm is the form of a new register entity, as typed.
type entityForm struct {
	formErrors
	Name, Aliases, Country, Type, ListRefs, Notes string
	SubUnits                                      bool
	// aliasLines and refLines are the lines of the aliases and list
	// references parsed, by index.
	aliasLines, refLines []int
}

// EntityForm is the blank entity form of the register page.
func (p *registerPage) EntityForm() *entityForm {
	return &entityForm{Type: string(annex.EntityOrganization)}
}

// registerFormPage is the register page with the entity form as posted,
// when it failed.
type registerFormPage struct {
	*registerPage
	entity *entityForm
}

// EntityForm is the entity form as posted.
func (p registerFormPage) EntityForm() *entityForm { return p.entity }

// Lists are the screening lists an entity may refer to.
func (f *entityForm) Lists() []annex.ListSource {
	return slices.DeleteFunc(slices.Clone(annex.ListSources), func(s annex.ListSource) bool { return s == annex.SourceRegister })
}

// entityFormFrom reads the posted form.
func entityFormFrom(v url.Values) *entityForm {
	return &entityForm{Name: v.Get("name"), Aliases: v.Get("aliases"), Country: v.Get("country"), Type: v.Get("type"),
		ListRefs: v.Get("list_refs"), Notes: v.Get("notes"), SubUnits: checked(v, "sub_units")}
}

// entity parses the form into an entity, with the errors of the lines
// that do not parse. A list reference is a line "source source_id", as
// "ofac-sdn 10153" (the ID may hold spaces); a line that is not is an
// error naming it, and an empty reference in its place keeps the indexes
// of the others.
func (f *entityForm) entity() (*annex.SanctionEntity, []annex.FieldError) {
	e := &annex.SanctionEntity{Name: f.Name, Country: f.Country, Type: annex.EntityType(f.Type), SubUnits: f.SubUnits,
		Notes: strings.TrimSpace(f.Notes)}
	for _, l := range textLines(f.Aliases) {
		e.Aliases = append(e.Aliases, l.Text)
		f.aliasLines = append(f.aliasLines, l.N)
	}
	var errs []annex.FieldError
	for i, l := range textLines(f.ListRefs) {
		f.refLines = append(f.refLines, l.N)
		source, id, ok := strings.Cut(strings.Join(strings.Fields(l.Text), " "), " ")
		if !ok {
			errs = append(errs, annex.FieldError{Field: "list_refs[" + strconv.Itoa(i) + "]",
				Message: "write the list, a space and the entry's ID, as ofac-sdn 10153"})
		}
		e.ListRefs = append(e.ListRefs, annex.ListRef{Source: annex.ListSource(strings.ToLower(source)), SourceID: id})
	}
	return e, errs
}

// withParseErrors adds to the errors of the lines that did not parse the
// errors of a check of what did, but none on an input or element that has
// a parse error already.
func withParseErrors(parse []annex.FieldError, check error) []annex.FieldError {
	out := slices.Clone(parse)
	for _, fe := range annex.ErrorFields(check) {
		if !slices.ContainsFunc(parse, func(p annex.FieldError) bool {
			return fe.Field == p.Field || strings.HasPrefix(fe.Field, p.Field+".") || strings.HasPrefix(fe.Field, p.Field+"[")
		}) {
			out = append(out, fe)
		}
	}
	return out
}

// setErrors puts the errors of the entity next to their inputs.
func (f *entityForm) setErrors(fields []annex.FieldError) {
	for _, fe := range fields {
		switch {
		case slices.Contains([]string{"name", "country", "type", "sub_units", "notes"}, fe.Field):
			f.add(fe.Field, fe.Message)
		case lineError(&f.formErrors, "aliases", f.aliasLines, fe), lineError(&f.formErrors, "list_refs", f.refLines, fe):
		default:
			f.add("", pathMessage(fe))
		}
	}
}

// pathMessage writes an error of no input with its path.
func pathMessage(fe annex.FieldError) string {
	if fe.Field == "" {
		return fe.Message
	}
	return fe.Field + ": " + fe.Message
}

// handleEntityForm handles POST /register/entities: an entity recorded by
// an analyst. It goes to the entity's page; errors show on the register
// page, next to the form's inputs.
func (s *Server) handleEntityForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	f := entityFormFrom(r.PostForm)
	e, perrs := f.entity()
	var err error
	if len(perrs) > 0 {
		// What else is wrong shows at once: the entity is checked as the
		// register would (a copy, for Validate tidies it).
		check := *e
		err = annex.Invalid(withParseErrors(perrs, check.Validate())...)
	} else {
		err = s.SanctionService.CreateSanctionEntity(r.Context(), e)
	}
	if fields := annex.ErrorFields(err); len(fields) > 0 {
		p, perr := s.registerPage(r)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		f.setErrors(fields)
		s.render(w, r, http.StatusUnprocessableEntity, "register", registerFormPage{registerPage: p, entity: f})
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/register/entities/"+itoa(e.ID), http.StatusSeeOther)
}

// --- Recording a transfer ------------------------------------------------

// transferForm is the form of a new transfer report, as typed.
type transferForm struct {
	formErrors
	Reference, Title, Date, SupplierID, RecipientID, Category string
	Items, Sources, Assessment                                string
	SubstantiallyContributed, AuthorizedByAdherent            bool
	// itemLines and sourceLines are the lines of the items and sources
	// parsed, by index.
	itemLines, sourceLines []int
}

// transferNewPage is the data of /register/transfers/new.
type transferNewPage struct {
	layout
	Form *transferForm
	// Entities are the register's entities, for the supplier and
	// recipient, by name.
	Entities []*annex.SanctionEntity
}

// transferFormFrom reads the posted form.
func transferFormFrom(v url.Values) *transferForm {
	return &transferForm{Reference: v.Get("reference"), Title: v.Get("title"), Date: strings.TrimSpace(v.Get("date")),
		SupplierID: v.Get("supplier_id"), RecipientID: v.Get("recipient_id"), Category: v.Get("category"),
		Items: v.Get("items"), Sources: v.Get("sources"), Assessment: v.Get("assessment"),
		SubstantiallyContributed: checked(v, "substantially_contributed"), AuthorizedByAdherent: checked(v, "authorized_by_adherent")}
}

// report parses the form into a transfer report, with the errors of what
// does not parse. An item is a line of description, or "description | kind
// | param=value, param=value" to be classified; a source is a line "GRADE |
// citation | URL", the URL optional. A line that does not read so is an
// error naming items[i] or sources[i], i counting the lines that are not
// blank; the line stands in the report as a bare description or citation,
// which keeps the indexes of the others and is not classified.
func (f *transferForm) report() (*annex.TransferReport, []annex.FieldError) {
	t := &annex.TransferReport{Reference: f.Reference, Title: f.Title, Date: f.Date, Category: annex.Category(f.Category),
		Assessment: strings.TrimSpace(f.Assessment), SubstantiallyContributed: f.SubstantiallyContributed,
		AuthorizedByAdherent: f.AuthorizedByAdherent, Items: []annex.ReportItem{}, Sources: []annex.EvidenceSource{}}
	var errs []annex.FieldError
	for _, sel := range []struct {
		name, raw string
		id        *int64
	}{{"supplier_id", f.SupplierID, &t.SupplierID}, {"recipient_id", f.RecipientID, &t.RecipientID}} {
		if raw := strings.TrimSpace(sel.raw); raw != "" {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || id <= 0 {
				errs = append(errs, annex.FieldError{Field: sel.name, Message: "choose an entity of the register"})
				continue
			}
			*sel.id = id
		}
	}
	for i, l := range textLines(f.Items) {
		f.itemLines = append(f.itemLines, l.N)
		it, err := parseItemLine(l.Text)
		if err != nil {
			errs = append(errs, annex.FieldError{Field: "items[" + strconv.Itoa(i) + "]", Message: err.Error()})
			it = annex.ReportItem{Description: l.Text}
		}
		t.Items = append(t.Items, it)
	}
	for i, l := range textLines(f.Sources) {
		f.sourceLines = append(f.sourceLines, l.N)
		src, err := parseSourceLine(l.Text)
		if err != nil {
			errs = append(errs, annex.FieldError{Field: "sources[" + strconv.Itoa(i) + "]", Message: err.Error()})
			src = annex.EvidenceSource{Citation: l.Text}
		}
		t.Sources = append(t.Sources, src)
	}
	return t, errs
}

// parseItemLine reads an item: "description", or "description | kind" or
// "description | kind | param=value, param=value". Values that are numbers
// are float64, true and false are bool, others are text.
func parseItemLine(line string) (annex.ReportItem, error) {
	parts := strings.Split(line, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	const form = `write a description, or "description | kind | param=value, param=value", as "M-11 missiles | rocket_system | range_km=300, payload_kg=500"`
	if len(parts) > 3 || parts[0] == "" || (len(parts) > 1 && parts[1] == "") {
		return annex.ReportItem{}, fmt.Errorf("%s", form)
	}
	it := annex.ReportItem{Description: parts[0]}
	if len(parts) == 1 {
		return it, nil
	}
	it.Item.Kind = parts[1]
	if len(parts) < 3 || parts[2] == "" {
		return it, nil
	}
	it.Item.Params = map[string]any{}
	for pair := range strings.SplitSeq(parts[2], ",") {
		name, value, ok := strings.Cut(pair, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return annex.ReportItem{}, fmt.Errorf("parameter %q: write param=value, as range_km=300", strings.TrimSpace(pair))
		}
		switch value {
		case "true", "false":
			it.Item.Params[name] = value == "true"
		default:
			it.Item.Params[name] = typedNumber(value)
		}
	}
	return it, nil
}

// parseSourceLine reads a source: "GRADE | citation | URL", the URL
// optional, the grade a letter from A to F.
func parseSourceLine(line string) (annex.EvidenceSource, error) {
	parts := strings.Split(line, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	if len(parts) < 2 || len(parts) > 3 || parts[1] == "" {
		return annex.EvidenceSource{}, fmt.Errorf(`write "GRADE | citation | URL", the URL optional, as "B | US statement of 21 November 2000 | https://example.org"`)
	}
	src := annex.EvidenceSource{Reliability: strings.ToUpper(parts[0]), Citation: parts[1]}
	if len(src.Reliability) != 1 || !strings.Contains(annex.ReliabilityGrades, src.Reliability) {
		return annex.EvidenceSource{}, fmt.Errorf("grade %q: must be a letter from A (reliable) to F (cannot be judged)", parts[0])
	}
	if len(parts) == 3 && parts[2] != "" {
		u, err := url.Parse(parts[2])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return annex.EvidenceSource{}, fmt.Errorf("URL %q: must be an http or https address", parts[2])
		}
		src.URL = parts[2]
	}
	return src, nil
}

// transferInputs are the inputs of the transfer form that errors of the
// same path belong to.
var transferInputs = []string{"reference", "title", "date", "supplier_id", "recipient_id", "category", "assessment",
	"substantially_contributed", "authorized_by_adherent"}

// setErrors puts the errors of the report next to their inputs.
func (f *transferForm) setErrors(fields []annex.FieldError) {
	for _, fe := range fields {
		switch {
		case slices.Contains(transferInputs, fe.Field):
			f.add(fe.Field, fe.Message)
		case fe.Field == "supplier" || fe.Field == "recipient":
			f.add(fe.Field+"_id", fe.Message)
		case lineError(&f.formErrors, "items", f.itemLines, fe), lineError(&f.formErrors, "sources", f.sourceLines, fe):
		default:
			f.add("", pathMessage(fe))
		}
	}
}

// transferNewPage returns the page of the form.
func (s *Server) transferNewPage(r *http.Request, f *transferForm) (*transferNewPage, error) {
	es, _, err := s.SanctionService.FindSanctionEntities(r.Context(), annex.SanctionEntityFilter{Limit: maxLimit})
	if err != nil {
		return nil, err
	}
	es = slices.Clone(es)
	slices.SortStableFunc(es, func(a, b *annex.SanctionEntity) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Country, b.Country))
	})
	return &transferNewPage{layout: s.layout(r, "Record a transfer"), Form: f, Entities: es}, nil
}

// handleNewTransferPage handles GET /register/transfers/new.
func (s *Server) handleNewTransferPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.transferNewPage(r, &transferForm{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "register_transfer_new", p)
}

// handleTransferForm handles POST /register/transfers: a transfer reported
// by an analyst. Its items are classified against the control list in
// force, as by the API, and checked with the rest of the report, so that
// every error shows at once; it goes to the report's page.
func (s *Server) handleTransferForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	f := transferFormFrom(r.PostForm)
	status := http.StatusUnprocessableEntity
	t, perrs := f.report()
	fields := withParseErrors(perrs, t.Validate())
	if err := t.Classify(r.Context(), s.ControlListService); err != nil {
		cf := annex.ErrorFields(err)
		if len(cf) == 0 {
			s.error(w, r, err)
			return
		}
		fields = append(fields, cf...)
	}
	var err error
	if len(fields) > 0 {
		err = annex.Invalid(fields...)
	} else {
		err = s.SanctionService.CreateTransferReport(r.Context(), t)
	}
	fields = annex.ErrorFields(err)
	if annex.ErrorCode(err) == annex.ECONFLICT {
		// A reference already in the register.
		fields, status = []annex.FieldError{{Field: "reference", Message: annex.ErrorMessage(err)}}, http.StatusConflict
	}
	if len(fields) > 0 {
		p, perr := s.transferNewPage(r, f)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		f.setErrors(fields)
		s.render(w, r, status, "register_transfer_new", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/register/transfers/"+itoa(t.ID), http.StatusSeeOther)
}

// --- Determining ---------------------------------------------------------

// RulePack is a rule pack the determination form offers: its ID and, for
// people, its title.
type RulePack struct{ ID, Label string }

// determinePacks are the rule packs of the determination form when the
// server is given none (Server.RulePacks).
var determinePacks = []RulePack{
	{"us-missile", "US missile sanctions (AECA §73, EAA §11B)"},
	{"us-inksna", "INKSNA"},
}

// rulePacks returns the packs the determination form offers.
func (s *Server) rulePacks() []RulePack {
	if len(s.RulePacks) > 0 {
		return s.RulePacks
	}
	return determinePacks
}

// determineForm is the form of a determination of a transfer, as typed.
type determineForm struct {
	formErrors
	Date, Note string
	Packs      []string
	offered    []RulePack
}

// Offered lists the rule packs to choose from.
func (f *determineForm) Offered() []RulePack {
	if f.offered != nil {
		return f.offered
	}
	return determinePacks
}

// Chosen reports whether a pack is ticked.
func (f *determineForm) Chosen(id string) bool { return slices.Contains(f.Packs, id) }

// DetermineForm is the blank determination form of the transfer page: on
// the register's day, under the US missile sanctions.
func (p transferPage) DetermineForm() *determineForm {
	return &determineForm{Date: p.Day, Packs: []string{"us-missile"}, offered: p.Packs}
}

// transferFormPage is the transfer page with the determination form as
// posted, when it failed.
type transferFormPage struct {
	transferPage
	determine *determineForm
}

// DetermineForm is the determination form as posted.
func (p transferFormPage) DetermineForm() *determineForm { return p.determine }

// handleDetermineForm handles POST /register/transfers/{id}/determinations:
// a determination of the transfer, made as by the API; it goes to the
// determination on the transfer's page. Errors show on that page.
func (s *Server) handleDetermineForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "transfer report")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	f := &determineForm{Date: strings.TrimSpace(r.PostForm.Get("date")), Note: r.PostForm.Get("note"), Packs: r.PostForm["packs"], offered: s.rulePacks()}
	var d *annex.Determination
	if len(f.Packs) == 0 {
		err = annex.Invalid(annex.FieldError{Field: "packs", Message: "choose at least one rule pack"})
	} else {
		d, err = s.determineTransfer(r.Context(), id, determineRequest{Date: f.Date, Note: f.Note, Packs: f.Packs})
	}
	if fields := annex.ErrorFields(err); len(fields) > 0 {
		rd, derr := s.reportDetail(r.Context(), id)
		if derr != nil {
			s.error(w, r, derr)
			return
		}
		for _, fe := range fields {
			switch {
			case fe.Field == "date" || fe.Field == "note":
				f.add(fe.Field, fe.Message)
			case fe.Field == "packs" || strings.HasPrefix(fe.Field, "packs["):
				f.add("packs", fe.Message)
			default:
				f.add("", pathMessage(fe))
			}
		}
		p := transferFormPage{transferPage: transferPage{layout: s.layout(r, rd.Transfer.Reference), reportDetail: rd, Day: s.today(), Packs: s.rulePacks()}, determine: f}
		s.render(w, r, http.StatusUnprocessableEntity, "register_transfer", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/register/transfers/"+itoa(id)+"#determination-"+itoa(d.ID), http.StatusSeeOther)
}

// --- Waiving -------------------------------------------------------------

// defaultWaiverBasis is the legal basis the waiver form offers.
const defaultWaiverBasis = "AECA §73(e); EAA §11B(b)(5)"

// waiverForm is the form of a waiver of an entity's measures, as typed.
type waiverForm struct {
	formErrors
	Effective, Basis, LegalBasis, NotifiedOn, Reason string
}

// WaiverForm is the blank waiver form of the entity page: a
// national-security waiver from the page's day.
func (p entityPage) WaiverForm() *waiverForm {
	return &waiverForm{Effective: p.Day, Basis: annex.WaiverNationalSecurity, LegalBasis: defaultWaiverBasis}
}

// Waivable reports whether a measure on the entity is not yet waived.
func (p entityPage) Waivable() bool {
	return slices.ContainsFunc(p.Measures, func(m measureView) bool { return m.WaiverID == 0 && m.WaivedFrom == "" })
}

// entityFormPage is the entity page with the waiver form as posted, when
// it failed.
type entityFormPage struct {
	entityPage
	waiver *waiverForm
}

// WaiverForm is the waiver form as posted.
func (p entityFormPage) WaiverForm() *waiverForm { return p.waiver }

// waiverInputs are the inputs of the waiver form; errors on entity_id or
// measure_ids (no measure left to waive) show at the top of the form.
var waiverInputs = []string{"effective", "basis", "legal_basis", "notified_on", "reason", "entity_id"}

// handleWaiverForm handles POST /register/entities/{id}/waivers: a waiver
// of every measure on the entity not yet waived. It goes back to the
// entity's page; errors show there.
func (s *Server) handleWaiverForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "entity")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	v := r.PostForm
	f := &waiverForm{Effective: strings.TrimSpace(v.Get("effective")), Basis: v.Get("basis"), LegalBasis: v.Get("legal_basis"),
		NotifiedOn: strings.TrimSpace(v.Get("notified_on")), Reason: v.Get("reason")}
	wv := annex.Waiver{EntityID: id, Effective: f.Effective, Basis: f.Basis, LegalBasis: strings.TrimSpace(f.LegalBasis),
		NotifiedOn: f.NotifiedOn, Reason: f.Reason}
	err = s.SanctionService.CreateWaiver(r.Context(), &wv)
	if fields := annex.ErrorFields(err); len(fields) > 0 {
		day, derr := s.queryDay(r.URL.Query(), "day")
		if derr != nil {
			day = s.today()
		}
		d, derr := s.entityDetail(r.Context(), id, day)
		if derr != nil {
			s.error(w, r, derr)
			return
		}
		for _, fe := range fields {
			switch {
			case slices.Contains(waiverInputs, fe.Field):
				f.add(fe.Field, fe.Message)
			case fe.Field == "measure_ids" || strings.HasPrefix(fe.Field, "measure_ids["):
				f.add("entity_id", pathMessage(fe))
			default:
				f.add("", pathMessage(fe))
			}
		}
		p := entityFormPage{entityPage: entityPage{layout: s.layout(r, d.Entity.Name), entityDetail: d}, waiver: f}
		s.render(w, r, http.StatusUnprocessableEntity, "register_entity", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/register/entities/"+itoa(id)+"#entity-measures", http.StatusSeeOther)
}
