package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"annex"
)

// partyRequest is the body of POST /api/v1/parties.
type partyRequest struct {
	Name     string           `json:"name"`
	Type     annex.EntityType `json:"type,omitempty"`
	Country  string           `json:"country,omitempty"`
	DOB      string           `json:"dob,omitempty"`
	IDNumber string           `json:"id_number,omitempty"`
}

// partyDetail is a party with its screening against the lists loaded now
// and the decisions taken on its hits, newest first: the response of GET
// /api/v1/parties/{id}, and of POST /api/v1/parties (with no decisions
// yet).
type partyDetail struct {
	Party     *annex.Party        `json:"party"`
	Screening *annex.ScreenResult `json:"screening"`
	// ScreeningError says why the party could not be screened now, as when
	// no list is loaded; Screening is then null. The party is stored all
	// the same, and screened again when a list is loaded.
	ScreeningError string                `json:"screening_error,omitempty"`
	Adjudications  []*annex.Adjudication `json:"adjudications"`
}

// partyList is the response of GET /api/v1/parties.
type partyList struct {
	Total   int            `json:"total"`
	Parties []*annex.Party `json:"parties"`
}

// adjudicationRequest is the body of POST /api/v1/parties/{id}/adjudications.
type adjudicationRequest struct {
	Source     annex.ListSource `json:"source"`
	SourceID   string           `json:"source_id"`
	EntityHash string           `json:"entity_hash"`
	Decision   annex.Decision   `json:"decision"`
	Reason     string           `json:"reason"`
}

// alertList is the response of GET /api/v1/alerts.
type alertList struct {
	Total  int            `json:"total"`
	Alerts []*annex.Alert `json:"alerts"`
}

// handleCreateParty handles POST /api/v1/parties: store a party, then
// screen it. The party is owned by the user's organisation when the user is
// an exporter (the store sees to it).
func (s *Server) handleCreateParty(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var req partyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	p := &annex.Party{Name: req.Name, Type: req.Type, Country: strings.ToUpper(strings.TrimSpace(req.Country)),
		DOB: strings.TrimSpace(req.DOB), IDNumber: strings.TrimSpace(req.IDNumber)}
	if err := s.PartyService.CreateParty(r.Context(), p); err != nil {
		s.error(w, r, err)
		return
	}
	d := s.screenParty(r, p)
	d.Adjudications = []*annex.Adjudication{}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/parties/%d", p.ID))
	s.writeJSON(w, r, http.StatusCreated, "application/json", d)
}

// screenParty screens a stored party. A failure to screen is told in the
// detail, not returned: the party exists whatever the lists say. Internal
// errors are logged and read "Internal error.".
func (s *Server) screenParty(r *http.Request, p *annex.Party) *partyDetail {
	d := &partyDetail{Party: p}
	res, err := s.ScreenService.Screen(r.Context(), p.Query(), 0, defaultScreenLimit)
	if err != nil {
		if annex.ErrorCode(err) == annex.EINTERNAL {
			s.logError(r, err)
		}
		d.ScreeningError = annex.ErrorMessage(err)
		return d
	}
	d.Screening = screenResult(res)
	return d
}

// handleParties handles GET /api/v1/parties: the parties the user may see,
// by ID, optionally with a name (whole, ignoring case).
func (s *Server) handleParties(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "name", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	var f annex.PartyFilter
	var err error
	if f.Offset, f.Limit, err = paging(q); err != nil {
		s.error(w, r, err)
		return
	}
	if q.Has("name") {
		name := q.Get("name")
		f.Name = &name
	}
	parties, total, err := s.PartyService.FindParties(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if parties == nil {
		parties = []*annex.Party{}
	}
	s.ok(w, r, partyList{Total: total, Parties: parties})
}

// handleParty handles GET /api/v1/parties/{id}: the party, its screening
// now, and the decisions on its hits.
func (s *Server) handleParty(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	p, adjs, err := s.findParty(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := s.screenParty(r, p)
	d.Adjudications = adjs
	s.ok(w, r, d)
}

// findParty returns the party with the ID of a path and its adjudications,
// newest first (never nil). An ID that is not a number is not found.
func (s *Server) findParty(ctx context.Context, rawID string) (*annex.Party, []*annex.Adjudication, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, annex.Errorf(annex.ENOTFOUND, "There is no party %q.", rawID)
	}
	p, err := s.PartyService.FindPartyByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	adjs, _, err := s.PartyService.FindAdjudications(ctx, annex.AdjudicationFilter{PartyID: &id, Limit: maxLimit})
	if err != nil {
		return nil, nil, err
	}
	if adjs == nil {
		adjs = []*annex.Adjudication{}
	}
	return p, adjs, nil
}

// handleAdjudicate handles POST /api/v1/parties/{id}/adjudications: record
// a decision on a hit of the party, as the user. The store closes the open
// alerts of the pair for the same entity hash.
func (s *Server) handleAdjudicate(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.error(w, r, annex.Errorf(annex.ENOTFOUND, "There is no party %q.", r.PathValue("id")))
		return
	}
	var req adjudicationRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	a := &annex.Adjudication{PartyID: id, Source: req.Source, SourceID: strings.TrimSpace(req.SourceID),
		EntityHash: strings.TrimSpace(req.EntityHash), Decision: req.Decision, Reason: req.Reason}
	if err := s.PartyService.Adjudicate(r.Context(), a); err != nil {
		s.error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, "application/json", a)
}

// handleAlerts handles GET /api/v1/alerts: the alerts the user may see,
// newest first, optionally of one status.
func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "status", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	var f annex.AlertFilter
	var err error
	if f.Status, err = alertStatus(q.Get("status")); err != nil {
		s.error(w, r, err)
		return
	}
	if f.Offset, f.Limit, err = paging(q); err != nil {
		s.error(w, r, err)
		return
	}
	alerts, total, err := s.PartyService.FindAlerts(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if alerts == nil {
		alerts = []*annex.Alert{}
	}
	s.ok(w, r, alertList{Total: total, Alerts: alerts})
}

// alertStatus parses an alert status filter; "" is no filter.
func alertStatus(raw string) (*annex.AlertStatus, error) {
	st := annex.AlertStatus(raw)
	switch st {
	case "":
		return nil, nil
	case annex.AlertOpen, annex.AlertConfirmed, annex.AlertDismissed:
		return &st, nil
	}
	return nil, annex.Invalid(annex.FieldError{Field: "status", Message: fmt.Sprintf("must be open, confirmed or dismissed, got %q", raw)})
}

// paging reads the offset and limit of a list query.
func paging(q url.Values) (offset, limit int, err error) {
	if offset, err = queryInt(q, "offset", 0, math.MaxInt32); err != nil {
		return 0, 0, err
	}
	if limit, err = queryInt(q, "limit", defaultLimit, maxLimit); err != nil {
		return 0, 0, err
	}
	if limit == 0 {
		limit = defaultLimit
	}
	return offset, limit, nil
}
