package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"annex"
)

// pageSize is how many parties /parties shows at a time.
const pageSize = 100

// partiesPage is the data of /parties.
type partiesPage struct {
	layout
	Parties []*annex.Party
	Total   int
	// From and To number the parties shown, from 1; Prev and Next link the
	// neighbouring pages, if any.
	From, To   int
	Prev, Next string
}

// handlePartiesPage handles GET /parties: the stored parties the user may
// see, by ID.
func (s *Server) handlePartiesPage(w http.ResponseWriter, r *http.Request) {
	offset, err := queryInt(r.URL.Query(), "offset", 0, math.MaxInt32)
	if err != nil {
		s.error(w, r, err)
		return
	}
	parties, total, err := s.PartyService.FindParties(r.Context(), annex.PartyFilter{Offset: offset, Limit: pageSize})
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := partiesPage{layout: s.layout(r, "Parties"), Parties: parties, Total: total}
	if len(parties) > 0 {
		p.From, p.To = offset+1, offset+len(parties)
	}
	if offset > 0 {
		p.Prev = "/parties?offset=" + strconv.Itoa(max(offset-pageSize, 0))
	}
	if offset+len(parties) < total {
		p.Next = "/parties?offset=" + strconv.Itoa(offset+len(parties))
	}
	s.render(w, r, http.StatusOK, "parties", p)
}

// partyPage is the data of /parties/{id}: the party, its screening now
// with the decisions on each hit, and every decision taken.
type partyPage struct {
	layout
	Party       *annex.Party
	Result      *annex.ScreenResult
	Hits        []hitView
	Unavailable string
	History     []historyRow
	// Message tells of a decision that was not recorded, when its hit is
	// not among the results.
	Message string
}

// historyRow is a decision of the party's history, with whether it holds
// for the entry as listed now.
type historyRow struct {
	*annex.Adjudication
	HitID string
	// Version is "current" when the entry is among the hits with the same
	// hash, "earlier" when it is there with another, and "" otherwise.
	Version string
}

// handlePartyPage handles GET /parties/{id}.
func (s *Server) handlePartyPage(w http.ResponseWriter, r *http.Request) {
	party, adjs, err := s.findParty(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.partyPage(r, party, adjs)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "party", p)
}

// partyPage screens the party and builds its page. A screening that cannot
// run (no list loaded) leaves the page without hits and says why.
func (s *Server) partyPage(r *http.Request, party *annex.Party, adjs []*annex.Adjudication) (partyPage, error) {
	p := partyPage{layout: s.layout(r, party.Name), Party: party}
	res, err := s.ScreenService.Screen(r.Context(), party.Query(), 0, defaultScreenLimit)
	switch annex.ErrorCode(err) {
	case "":
		p.Result = screenResult(res)
	case annex.ECONFLICT:
		p.Unavailable = annex.ErrorMessage(err)
	default:
		return p, err
	}
	if p.Result != nil {
		p.Hits = hitViews(p.Result.Matches, adjs)
		action := fmt.Sprintf("/parties/%d/adjudications", party.ID)
		for i := range p.Hits {
			p.Hits[i].Form = newAdjudicateForm(&p.Hits[i], action, nil)
		}
	}
	hashes := make(map[string]string, len(p.Hits))
	for _, h := range p.Hits {
		hashes[h.ID] = h.EntityHash
	}
	for _, a := range adjs {
		row := historyRow{Adjudication: a, HitID: hitID(a.Source, a.SourceID)}
		if hash, ok := hashes[row.HitID]; ok {
			row.Version = "earlier"
			if hash == a.EntityHash {
				row.Version = "current"
			}
		}
		p.History = append(p.History, row)
	}
	return p, nil
}

// handleAdjudicateForm handles POST /parties/{id}/adjudications, the
// decision forms of the party page and the alerts page: record the
// decision, then go to the form's "next" page, or back to the hit on the
// party page. A decision with errors shows the party page with them.
func (s *Server) handleAdjudicateForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	party, adjs, err := s.findParty(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	a := adjudicationFromForm(r.PostForm)
	a.PartyID = party.ID
	err = s.PartyService.Adjudicate(r.Context(), a)
	switch annex.ErrorCode(err) {
	case "":
		next := fmt.Sprintf("/parties/%d#hit-%s", party.ID, hitID(a.Source, a.SourceID))
		if n := r.PostForm.Get("next"); n != "" {
			next = localPath(n)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	case annex.EINVALID:
	default:
		s.error(w, r, err)
		return
	}
	p, perr := s.partyPage(r, party, adjs)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	p.Message = setAdjudicationErrors(p.Hits, a, err)
	s.render(w, r, http.StatusUnprocessableEntity, "party", p)
}

// alertsPage is the data of /alerts.
type alertsPage struct {
	layout
	// Status is the status filtered on; "" shows every alert, the open
	// ones first.
	Status   string
	Statuses []annex.AlertStatus
	Alerts   []alertView
	Total    int
}

// alertView is an alert with the form that decides on its hit.
type alertView struct {
	*annex.Alert
	HitID string
	// Form is the decision form of an open alert.
	Form *adjudicateForm
}

// handleAlertsPage handles GET /alerts: the newest alerts the user may
// see, of one status or all, open ones first. Deciding on an open alert's
// hit closes it.
func (s *Server) handleAlertsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status, err := alertStatus(q.Get("status"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	alerts, total, err := s.PartyService.FindAlerts(r.Context(), annex.AlertFilter{Status: status, Limit: maxLimit})
	if err != nil {
		s.error(w, r, err)
		return
	}
	slices.SortStableFunc(alerts, func(a, b *annex.Alert) int {
		return boolRank(a.Status != annex.AlertOpen) - boolRank(b.Status != annex.AlertOpen)
	})
	p := alertsPage{layout: s.layout(r, "Alerts"), Status: q.Get("status"), Total: total,
		Statuses: []annex.AlertStatus{annex.AlertOpen, annex.AlertConfirmed, annex.AlertDismissed}}
	next := "/alerts"
	if q.Get("status") != "" {
		next += "?" + url.Values{"status": {q.Get("status")}}.Encode()
	}
	for _, a := range alerts {
		v := alertView{Alert: a, HitID: hitID(a.Source, a.SourceID)}
		if a.Status == annex.AlertOpen {
			v.Form = &adjudicateForm{
				ID:     "adjudicate-alert-" + strconv.FormatInt(a.ID, 10),
				Action: fmt.Sprintf("/parties/%d/adjudications", a.PartyID),
				Hidden: hiddenInputs(url.Values{"source": {string(a.Source)}, "source_id": {a.SourceID},
					"entity_hash": {a.EntityHash}, "next": {next}}),
			}
		}
		p.Alerts = append(p.Alerts, v)
	}
	s.render(w, r, http.StatusOK, "alerts", p)
}

// boolRank is 1 for true and 0 for false.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
