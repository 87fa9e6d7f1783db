package web

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// licencesPage is the data of /licences.
type licencesPage struct {
	layout
	Licences []licenceRow
	Total    int
	// Number is the licence number searched for, not found.
	Number, NotFound string
	pager
}

// licenceRow is a licence of the list with its status now.
type licenceRow struct {
	*annex.Licence
	Now annex.LicenceStatus
}

// handleLicencesPage handles GET /licences: the licences the user may see,
// newest first; ?number= opens a licence by its number.
func (s *Server) handleLicencesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := licencesPage{layout: s.layout(r, "Licences"), Number: strings.TrimSpace(q.Get("number"))}
	status := http.StatusOK
	if p.Number != "" {
		_, err := s.findLicence(r.Context(), p.Number)
		switch annex.ErrorCode(err) {
		case "":
			http.Redirect(w, r, "/licences/"+url.PathEscape(p.Number), http.StatusSeeOther)
			return
		case annex.ENOTFOUND:
			p.NotFound, status = "There is no licence "+p.Number+".", http.StatusNotFound
		default:
			s.error(w, r, err)
			return
		}
	}
	offset, err := queryInt(q, "offset", 0, math.MaxInt32)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := annex.LicenceFilter{Offset: offset, Limit: casePageSize}
	u := annex.UserFromContext(r.Context())
	if isExporter(u) {
		f.OrgID = &u.OrgID
	}
	ls, total, err := s.LicenceService.FindLicences(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	for _, l := range ls {
		if !isExporter(u) || l.OrgID == u.OrgID {
			p.Licences = append(p.Licences, licenceRow{Licence: l, Now: l.StatusAt(now)})
		}
	}
	p.Total = total
	p.pager = newPager(nil, "/licences", offset, len(ls), total, casePageSize)
	s.render(w, r, status, "licences", p)
}

// licencePage is the data of /licences/{number}.
type licencePage struct {
	layout
	licenceDetail
	Lines     []licenceLineView
	Shipments []*annex.Shipment
	// CaseURL links the application the licence was issued on.
	CaseURL string
	// CanShip is set for customs; Changes are the changes the user may make
	// now (suspend, reinstate, revoke).
	CanShip bool
	// CanAmend is set for the exporter of a licence in force or suspended:
	// it may apply to amend it.
	CanAmend bool
	Changes  []annex.LicenceActionType
	// Shipment and Change are the forms after a failed post.
	Shipment licenceForm
	Change   licenceForm
	// Stale says that the licence changed since the page was opened.
	Stale string
}

// licenceLineView is a licence line with its balance.
type licenceLineView struct {
	annex.LicenceLine
	LeftQuantity, LeftValue float64
}

// licenceForm is a form of the licence page after a failed post: the
// values typed, the errors by input name and what else went wrong.
type licenceForm struct {
	Values  url.Values
	Errors  map[string]string
	Message string
}

// Val returns a value typed into the form.
func (f licenceForm) Val(name string) string { return f.Values.Get(name) }

// licencePage builds the page of a licence.
func (s *Server) licencePage(r *http.Request, l *annex.Licence) (licencePage, error) {
	u := annex.UserFromContext(r.Context())
	now := s.now()
	p := licencePage{layout: s.layout(r, "Licence "+l.Number), licenceDetail: newLicenceDetail(l, now),
		CanShip: u.Role == annex.RoleCustoms}
	for _, ll := range l.Lines {
		p.Lines = append(p.Lines, licenceLineView{LicenceLine: ll, LeftQuantity: ll.Quantity - ll.UsedQuantity, LeftValue: ll.Value - ll.UsedValue})
	}
	switch {
	case isExporter(u):
		p.CaseURL = "/applications/" + strconv.FormatInt(l.ApplicationID, 10)
		st := l.StatusAt(now)
		p.CanAmend = st == annex.LicenceIssued || st == annex.LicenceSuspended
	case slices.Contains(caseRoles, u.Role):
		p.CaseURL = "/cases/" + strconv.FormatInt(l.ApplicationID, 10)
	}
	for _, t := range []annex.LicenceActionType{annex.LicenceSuspend, annex.LicenceReinstate, annex.LicenceRevoke} {
		if _, err := annex.NextLicenceStatus(l, &annex.LicenceAction{Type: t, Reason: "?"}, u, now); err == nil {
			p.Changes = append(p.Changes, t)
		}
	}
	ships, err := s.LicenceService.FindShipments(r.Context(), l.Number)
	if err != nil {
		return p, err
	}
	p.Shipments = ships
	return p, nil
}

// handleLicencePage handles GET /licences/{number}.
func (s *Server) handleLicencePage(w http.ResponseWriter, r *http.Request) {
	l, err := s.findLicence(r.Context(), r.PathValue("number"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.licencePage(r, l)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "licence", p)
}

// handleShipmentForm handles POST /licences/{number}/shipments, the
// customs form: record a shipment, or show why not (an over-draw, 409)
// with the values kept.
func (s *Server) handleShipmentForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	number := r.PathValue("number")
	form := r.PostForm
	sh := &annex.Shipment{CustomsRef: strings.TrimSpace(form.Get("customs_ref"))}
	var errs []annex.FieldError
	var err error
	if sh.Line, err = strconv.Atoi(form.Get("line")); err != nil {
		errs = append(errs, annex.FieldError{Field: "line", Message: "choose a line"})
	}
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"quantity", &sh.Quantity}, {"value", &sh.Value}} {
		if *f.dst, err = strconv.ParseFloat(strings.TrimSpace(form.Get(f.name)), 64); err != nil {
			errs = append(errs, annex.FieldError{Field: f.name, Message: "must be a number"})
		}
	}
	if sh.CustomsRef == "" {
		errs = append(errs, annex.FieldError{Field: "customs_ref", Message: "give the customs declaration's reference"})
	}
	if len(errs) > 0 {
		err = annex.Invalid(errs...)
	} else {
		_, err = s.LicenceService.RecordShipment(r.Context(), number, sh)
	}
	s.licenceFormResult(w, r, number, err, func(p *licencePage, f licenceForm) { p.Shipment = f }, "#shipments")
}

// handleLicenceChangeForm handles POST /licences/{number}/actions, the
// officers' form: suspend, reinstate or revoke.
func (s *Server) handleLicenceChangeForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	number := r.PathValue("number")
	act := &annex.LicenceAction{Type: annex.LicenceActionType(r.PostForm.Get("type")), Reason: r.PostForm.Get("reason")}
	act.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	_, err := s.LicenceService.ChangeLicence(r.Context(), number, act)
	stale := false
	if annex.ErrorCode(err) == annex.ECONFLICT {
		if cur, ferr := s.LicenceService.FindLicenceByNumber(r.Context(), number); ferr == nil && cur.Version != act.Version {
			stale = true
		}
	}
	s.licenceFormResult(w, r, number, err, func(p *licencePage, f licenceForm) {
		p.Change = f
		if stale {
			p.Stale = "This licence was changed by someone else since you opened it; here it is as it now stands. What you typed is kept below."
			p.Change.Message = ""
		}
	}, "")
}

// licenceFormResult ends a post of a licence form: to the licence on
// success, or to the licence page with the form's errors.
func (s *Server) licenceFormResult(w http.ResponseWriter, r *http.Request, number string, err error, set func(*licencePage, licenceForm), anchor string) {
	switch annex.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/licences/"+url.PathEscape(number)+anchor, http.StatusSeeOther)
		return
	case annex.EINVALID, annex.ECONFLICT, annex.EFORBIDDEN:
	default:
		s.error(w, r, err)
		return
	}
	l, ferr := s.findLicence(r.Context(), number)
	if ferr != nil {
		s.error(w, r, ferr)
		return
	}
	p, perr := s.licencePage(r, l)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	f := licenceForm{Values: r.PostForm, Errors: map[string]string{}}
	for _, fe := range annex.ErrorFields(err) {
		f.Errors[fe.Field] = fe.Message
	}
	if len(f.Errors) == 0 {
		f.Message = annex.ErrorMessage(err)
	}
	set(&p, f)
	s.render(w, r, ErrorStatusCode(annex.ErrorCode(err)), "licence", p)
}

// shipmentInput describes an input of the shipment form.
func shipmentInput(f licenceForm, name, label string) inputView {
	return inputView{ID: "shipment-" + strings.ReplaceAll(name, "_", "-"), Name: name, Label: label, Value: f.Val(name), Error: f.Errors[name]}
}
