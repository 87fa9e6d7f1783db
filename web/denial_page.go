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

// The pages of denial notifications: /denials lists the denials this
// government sent and those its partners sent it, /denials/{id} shows one
// (and, to the writers, the forms to amend or revoke an own denial), and
// /consultations the consultations partners asked of this government, with
// the form to answer an open one. The forms post to routes only
// denialWriters may use; a form that fails comes back with 422, the values
// as typed and each error next to its input.

// DenialWriter reports whether the signed-in user may amend and revoke
// denials and answer consultations, for the pages to show the forms.
func (l layout) DenialWriter() bool {
	return l.User != nil && slices.Contains(denialWriters, l.User.Role)
}

// denialTab is a tab of the denial pages.
type denialTab struct {
	ID, Label, Href string
	Current         bool
}

// denialTabs are the tabs of the denial pages, the one given current.
func denialTabs(current string) []denialTab {
	tabs := []denialTab{
		{ID: "sent", Label: "Sent by this government", Href: "/denials"},
		{ID: "received", Label: "Received from partners", Href: "/denials?view=received"},
		{ID: "consultations", Label: "Consultations asked of us", Href: "/consultations"},
	}
	for i := range tabs {
		tabs[i].Current = tabs[i].ID == current
	}
	return tabs
}

// denialRow is a denial of a list, read on the page's day.
type denialRow struct {
	denialView
	// Standing is active, revoked or lapsed (at the review date).
	Standing string
}

// denialsPage is the data of /denials.
type denialsPage struct {
	layout
	Tabs []denialTab
	// View is sent or received.
	View string
	Day  string
	// Destination filters the list; DestinationError says why it cannot.
	Destination, DestinationError string
	Rows                          []denialRow
	Total                         int
	pager
}

// handleDenialsPage handles GET /denials?view=sent|received&destination=&offset=.
func (s *Server) handleDenialsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	view := q.Get("view")
	switch view {
	case "":
		view = "sent"
	case "sent", "received":
	default:
		s.error(w, r, annex.Invalid(annex.FieldError{Field: "view", Message: "must be sent or received"}))
		return
	}
	offset, err := queryInt(q, "offset", 0, math.MaxInt32)
	if err != nil {
		s.error(w, r, err)
		return
	}
	title := "Denials sent"
	if view == "received" {
		title = "Denials received"
	}
	p := denialsPage{layout: s.layout(r, title), Tabs: denialTabs(view), View: view, Day: s.denialDay(),
		Destination: strings.TrimSpace(q.Get("destination"))}
	dest, err := countryCode("destination", p.Destination)
	if err != nil {
		p.DestinationError = annex.ErrorFields(err)[0].Message
		s.render(w, r, http.StatusUnprocessableEntity, "denials", p)
		return
	}
	p.Destination = dest
	f := annex.DenialFilter{Sent: view == "sent", Received: view == "received", Destination: dest, Offset: offset, Limit: casePageSize}
	ds, total, err := s.DenialService.FindDenials(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, d := range ds {
		v := newDenialView(d, p.Day)
		p.Rows = append(p.Rows, denialRow{denialView: v, Standing: v.DayStatus(p.Day)})
	}
	p.Total = total
	base := url.Values{}
	if view != "sent" {
		base.Set("view", view)
	}
	if dest != "" {
		base.Set("destination", dest)
	}
	p.pager = newPager(base, "/denials", offset, len(ds), total, casePageSize)
	s.render(w, r, http.StatusOK, "denials", p)
}

// amendForm is the form to amend a denial, as typed.
type amendForm struct {
	formErrors
	Reason, Entry, EndUser, Consignee, ItemDescription string
}

// revokeForm is the form to revoke a denial, as typed.
type revokeForm struct {
	formErrors
	Day string
}

// denialPage is the data of /denials/{id}.
type denialPage struct {
	layout
	Tabs []denialTab
	Day  string
	D    denialRow
	// Own is set for a denial of this government; CaseLink for a user who
	// may open its case.
	Own      bool
	CaseLink bool
	// Amend and Revoke are the forms: blank, or as posted when they
	// failed.
	Amend  *amendForm
	Revoke *revokeForm
}

// CanChange reports whether the user may amend and revoke the denial now:
// a writer, on an own denial not revoked.
func (p denialPage) CanChange() bool {
	return p.DenialWriter() && p.Own && p.D.Status != annex.DenialRevoked
}

// denialPage returns the page of a denial, its forms blank.
func (s *Server) denialPage(r *http.Request, id string) (*denialPage, error) {
	d, err := s.DenialService.FindDenialByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	day := s.denialDay()
	v := newDenialView(d, day)
	u := annex.UserFromContext(r.Context())
	return &denialPage{layout: s.layout(r, "Denial "+d.ID), Tabs: denialTabs(""), Day: day,
		D: denialRow{denialView: v, Standing: v.DayStatus(day)}, Own: d.Received == nil,
		CaseLink: d.ApplicationID != 0 && u != nil && slices.Contains(caseRoles, u.Role),
		Amend: &amendForm{Reason: d.Reason, Entry: d.Entry, EndUser: d.EndUser, Consignee: d.Consignee,
			ItemDescription: d.ItemDescription},
		Revoke: &revokeForm{Day: day}}, nil
}

// handleDenialPage handles GET /denials/{id}.
func (s *Server) handleDenialPage(w http.ResponseWriter, r *http.Request) {
	id, err := denialPathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.denialPage(r, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "denial", p)
}

// amendInputs are the inputs of the amendment form, by the JSON names of
// the fields the domain's errors name.
var amendInputs = []string{"reason", "entry", "end_user", "consignee", "item_description"}

// handleAmendDenialForm handles POST /denials/{id}/amend: the fields of
// the form that differ from the denial change, and the partners are
// notified. It goes back to the denial's page; errors show there.
func (s *Server) handleAmendDenialForm(w http.ResponseWriter, r *http.Request) {
	id, err := denialPathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	v := r.PostForm
	f := &amendForm{Reason: v.Get("reason"), Entry: v.Get("entry"), EndUser: v.Get("end_user"),
		Consignee: v.Get("consignee"), ItemDescription: v.Get("item_description")}
	var upd annex.DenialUpdate
	for _, in := range []struct {
		name string
		dst  **string
		val  *string
	}{{"reason", &upd.Reason, &f.Reason}, {"entry", &upd.Entry, &f.Entry}, {"end_user", &upd.EndUser, &f.EndUser},
		{"consignee", &upd.Consignee, &f.Consignee}, {"item_description", &upd.ItemDescription, &f.ItemDescription}} {
		if v.Has(in.name) {
			*in.dst = in.val
		}
	}
	_, err = s.DenialService.AmendDenial(r.Context(), id, upd)
	if annex.ErrorCode(err) == annex.EINVALID {
		p, perr := s.denialPage(r, id)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		for _, fe := range annex.ErrorFields(err) {
			switch {
			case slices.Contains(amendInputs, fe.Field):
				f.add(fe.Field, fe.Message)
			default:
				f.add("", pathMessage(fe))
			}
		}
		if !f.Failed() {
			// An error of no field: "the amendment changes nothing".
			f.add("", annex.ErrorMessage(err))
		}
		p.Amend = f
		s.render(w, r, http.StatusUnprocessableEntity, "denial", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/denials/"+url.PathEscape(id), http.StatusSeeOther)
}

// handleRevokeDenialForm handles POST /denials/{id}/revoke: the denial is
// revoked from the day typed (today when empty), and the partners are
// notified. It goes back to the denial's page; errors show there.
func (s *Server) handleRevokeDenialForm(w http.ResponseWriter, r *http.Request) {
	id, err := denialPathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	f := &revokeForm{Day: strings.TrimSpace(r.PostForm.Get("day"))}
	day, err := s.revokeDay(f.Day)
	if err == nil {
		_, err = s.DenialService.RevokeDenial(r.Context(), id, day)
		err = renameFields(err, "revoked_on", "day")
	}
	if annex.ErrorCode(err) == annex.EINVALID {
		p, perr := s.denialPage(r, id)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		for _, fe := range annex.ErrorFields(err) {
			if fe.Field == "day" {
				f.add("day", fe.Message)
			} else {
				f.add("", pathMessage(fe))
			}
		}
		if !f.Failed() {
			f.add("", annex.ErrorMessage(err))
		}
		p.Revoke = f
		s.render(w, r, http.StatusUnprocessableEntity, "denial", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/denials/"+url.PathEscape(id), http.StatusSeeOther)
}

// answerForm is the form to answer a consultation, as typed.
type answerForm struct {
	formErrors
	Answer  string
	Objects bool
}

// incomingRow is a consultation asked of this government, with its
// status now, the denial it is about (nil when the denial is not held) and
// the form to answer it.
type incomingRow struct {
	*annex.Consultation
	Now    annex.ConsultationStatus
	Denial *annex.Denial
	Form   *answerForm
}

// Answerable reports whether the consultation may still be answered: it is
// open, or lapsed unanswered (a late answer is still sent).
func (c incomingRow) Answerable() bool { return c.Status == annex.ConsultationOpen }

// consultationsPage is the data of /consultations.
type consultationsPage struct {
	layout
	Tabs []denialTab
	Rows []incomingRow
}

// consultationsPage returns the page of the consultations asked of this
// government, with blank forms.
func (s *Server) consultationsPage(r *http.Request) (*consultationsPage, error) {
	ctx := r.Context()
	cs, err := s.DenialService.FindConsultations(ctx, 0)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &consultationsPage{layout: s.layout(r, "Consultations"), Tabs: denialTabs("consultations")}
	denials := map[string]*annex.Denial{}
	for _, c := range cs {
		d, ok := denials[c.DenialID]
		if !ok {
			d, err = s.DenialService.FindDenialByID(ctx, c.DenialID)
			switch annex.ErrorCode(err) {
			case "":
			case annex.ENOTFOUND:
				// A consultation on a denial not held here: shown without
				// the denial's facts.
				d = nil
			default:
				return nil, err
			}
			denials[c.DenialID] = d
		}
		p.Rows = append(p.Rows, incomingRow{Consultation: c, Now: c.StatusAt(now), Denial: d, Form: &answerForm{}})
	}
	// The open ones first, each group oldest first.
	slices.SortStableFunc(p.Rows, func(a, b incomingRow) int {
		ao, bo := a.Answerable(), b.Answerable()
		switch {
		case ao && !bo:
			return -1
		case !ao && bo:
			return 1
		}
		return 0
	})
	return p, nil
}

// handleConsultationsPage handles GET /consultations.
func (s *Server) handleConsultationsPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.consultationsPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "consultations", p)
}

// handleAnswerConsultationForm handles POST /consultations/{id}/answer:
// the answer is recorded and sent to the asking government. It goes back
// to the consultation on /consultations; errors show there.
func (s *Server) handleAnswerConsultationForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "consultation")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	f := &answerForm{Answer: r.PostForm.Get("answer"), Objects: checked(r.PostForm, "objects")}
	err = checkAnswer(f.Answer)
	if err == nil {
		_, err = s.DenialService.AnswerConsultation(r.Context(), id, strings.TrimSpace(f.Answer), f.Objects)
	}
	if annex.ErrorCode(err) == annex.EINVALID {
		p, perr := s.consultationsPage(r)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		i := slices.IndexFunc(p.Rows, func(c incomingRow) bool { return c.ID == id })
		if i < 0 {
			s.error(w, r, annex.Errorf(annex.ENOTFOUND, "There is no consultation %d.", id))
			return
		}
		for _, fe := range annex.ErrorFields(err) {
			if fe.Field == "answer" {
				f.add("answer", fe.Message)
			} else {
				f.add("", pathMessage(fe))
			}
		}
		if !f.Failed() {
			f.add("", annex.ErrorMessage(err))
		}
		p.Rows[i].Form = f
		s.render(w, r, http.StatusUnprocessableEntity, "consultations", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/consultations#consultation-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
