package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"annex"
)

// The roles of denial notifications and consultations, as the DenialService
// enforces them too: every authority role but customs reads them;
// licensing officers, senior officers and administrators amend and revoke
// this government's denials and answer the partners' consultations.
// Exporters and customs are refused.
var (
	denialReaders = []annex.Role{annex.RoleAdmin, annex.RoleLicensingOfficer, annex.RoleReviewer,
		annex.RoleSeniorOfficer, annex.RoleAnalyst}
	denialWriters = []annex.Role{annex.RoleLicensingOfficer, annex.RoleSeniorOfficer, annex.RoleAdmin}
)

// needDenials answers the routes of denials with ENOTFOUND on a server
// that keeps none (its DenialService is nil), and calls h otherwise.
func (s *Server) needDenials(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.DenialService == nil {
			s.error(w, r, annex.Errorf(annex.ENOTFOUND, "This instance keeps no denial notifications."))
			return
		}
		h(w, r)
	}
}

// denialView is a denial with what it means on a day: whether it binds the
// partners (InForce) and when it comes up for review.
type denialView struct {
	*annex.Denial
	InForce   bool   `json:"in_force"`
	ReviewDue string `json:"review_due"`
}

// newDenialView reads a denial on a day.
func newDenialView(d *annex.Denial, day string) denialView {
	return denialView{Denial: d, InForce: d.InForce(day), ReviewDue: d.ReviewDue()}
}

// DayStatus is the denial's status on the day it is read: revoked, lapsed
// (at its review date) or active.
func (v denialView) DayStatus(day string) string {
	switch {
	case v.Status == annex.DenialRevoked || (v.RevokedOn != "" && v.RevokedOn <= day):
		return "revoked"
	case v.ReviewDue != "" && day >= v.ReviewDue:
		return "lapsed"
	}
	return "active"
}

// denialList is the response of GET /api/v1/denials.
type denialList struct {
	// Day is the day in_force is read on: today.
	Day     string       `json:"day"`
	Total   int          `json:"total"`
	Denials []denialView `json:"denials"`
}

// revokeRequest is the body of POST /api/v1/denials/{id}/revoke.
type revokeRequest struct {
	// Day is the first day the denial no longer stands; empty is today.
	Day string `json:"day"`
}

// consultationList is the response of GET /api/v1/consultations.
type consultationList struct {
	Total         int                   `json:"total"`
	Consultations []*annex.Consultation `json:"consultations"`
}

// answerRequest is the body of POST /api/v1/consultations/{id}/answer.
type answerRequest struct {
	Answer string `json:"answer"`
	// Objects maintains the objection to the transfer.
	Objects bool `json:"objects"`
}

// denialDay returns the day denials are read on: today by the server's
// clock, in UTC.
func (s *Server) denialDay() string { return s.now().UTC().Format(time.DateOnly) }

// denialPathID reads the ID of a denial from the path: the notifying
// government's code and its own number, as "GB-ANX-2026-000001-1".
func denialPathID(r *http.Request) (string, error) {
	id := strings.TrimSpace(r.PathValue("id"))
	if id == "" || len(id) > 100 {
		return "", annex.Errorf(annex.ENOTFOUND, "There is no denial %q.", id)
	}
	return id, nil
}

// queryBool parses an optional boolean query parameter: true or false.
func queryBool(q url.Values, name string) (bool, error) {
	switch q.Get(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, annex.Invalid(annex.FieldError{Field: name, Message: "must be true or false, got " + quoteText(q.Get(name))})
}

// countryCode checks an optional ISO 3166-1 alpha-2 code and returns it in
// capitals.
func countryCode(field, raw string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(raw))
	if c == "" {
		return "", nil
	}
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return "", annex.Invalid(annex.FieldError{Field: field, Message: "must be an ISO 3166-1 alpha-2 code such as PK, got " + quoteText(raw)})
	}
	return c, nil
}

// revokeDay checks the day of a revocation; empty is today. The store
// names its errors revoked_on; they are renamed day, the name of the input.
func (s *Server) revokeDay(raw string) (string, error) {
	return parseDay("day", raw, s.denialDay())
}

// renameFields returns an EINVALID error with the fields named from
// renamed to; any other error is returned as it is.
func renameFields(err error, from, to string) error {
	fields := annex.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	out := make([]annex.FieldError, len(fields))
	for i, f := range fields {
		if f.Field == from {
			f.Field = to
		}
		out[i] = f
	}
	return annex.Invalid(out...)
}

// checkAnswer checks the answer to a consultation.
func checkAnswer(answer string) error {
	if a := strings.TrimSpace(answer); a == "" || len(a) > 5000 {
		return annex.Invalid(annex.FieldError{Field: "answer", Message: "required, at most 5000 characters"})
	}
	return nil
}

// consultationNow returns a copy of the consultation with its status at
// a time: an open one past its due time reads lapsed.
func consultationNow(c *annex.Consultation, now time.Time) *annex.Consultation {
	cc := *c
	cc.Status = c.StatusAt(now)
	return &cc
}

// handleDenials handles GET
// /api/v1/denials?sent=&received=&destination=&offset=&limit=: the denial
// notifications sent by this government, received from its partners, or
// both (neither or both set), newest first, each read on today.
func (s *Server) handleDenials(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "sent", "received", "destination", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	var f annex.DenialFilter
	var err error
	if f.Sent, err = queryBool(q, "sent"); err == nil {
		if f.Received, err = queryBool(q, "received"); err == nil {
			if f.Destination, err = countryCode("destination", q.Get("destination")); err == nil {
				if f.Offset, err = queryInt(q, "offset", 0, 1<<31-1); err == nil {
					f.Limit, err = queryInt(q, "limit", defaultLimit, maxLimit)
				}
			}
		}
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	ds, total, err := s.DenialService.FindDenials(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	day := s.denialDay()
	out := denialList{Day: day, Total: total, Denials: make([]denialView, 0, len(ds))}
	for _, d := range ds {
		out.Denials = append(out.Denials, newDenialView(d, day))
	}
	s.ok(w, r, out)
}

// handleDenial handles GET /api/v1/denials/{id}.
func (s *Server) handleDenial(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := denialPathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DenialService.FindDenialByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, newDenialView(d, s.denialDay()))
}

// handleAmendDenial handles POST /api/v1/denials/{id}/amend: the fields
// set change, one version on, and the partners are notified.
func (s *Server) handleAmendDenial(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := denialPathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var upd annex.DenialUpdate
	if err := decodeJSON(w, r, &upd); err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DenialService.AmendDenial(r.Context(), id, upd)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, newDenialView(d, s.denialDay()))
}

// handleRevokeDenial handles POST /api/v1/denials/{id}/revoke: the denial
// is revoked from the day (today when empty), and the partners notified.
func (s *Server) handleRevokeDenial(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := denialPathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var req revokeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	day, err := s.revokeDay(req.Day)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DenialService.RevokeDenial(r.Context(), id, day)
	if err != nil {
		s.error(w, r, renameFields(err, "revoked_on", "day"))
		return
	}
	s.ok(w, r, newDenialView(d, s.denialDay()))
}

// handleConsultations handles GET /api/v1/consultations: the
// consultations partners asked of this government, oldest first, each
// with its status now. A case's own consultations of partners come with
// the application (GET /api/v1/applications/{id}).
func (s *Server) handleConsultations(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	cs, err := s.DenialService.FindConsultations(r.Context(), 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	out := consultationList{Total: len(cs), Consultations: make([]*annex.Consultation, 0, len(cs))}
	for _, c := range cs {
		out.Consultations = append(out.Consultations, consultationNow(c, now))
	}
	s.ok(w, r, out)
}

// handleAnswerConsultation handles POST /api/v1/consultations/{id}/answer:
// the answer to a partner's consultation, sent to it.
func (s *Server) handleAnswerConsultation(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "consultation")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var req answerRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if err := checkAnswer(req.Answer); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.DenialService.AnswerConsultation(r.Context(), id, strings.TrimSpace(req.Answer), req.Objects)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, consultationNow(c, s.now()))
}
