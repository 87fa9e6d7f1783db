package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"annex"
)

// entityTypes are the choices of the type inputs, "" (unknown) first.
var entityTypes = []annex.EntityType{"", annex.EntityPerson, annex.EntityOrganization, annex.EntityVessel, annex.EntityAircraft}

// screenPage is the data of /screen: the form, and the results of a
// screening with the decisions of the matching stored party.
type screenPage struct {
	layout
	Form  screenForm
	Types []annex.EntityType
	// Searched is set when a name was screened. Result and Hits are then
	// the screening, unless Unavailable says why there is none (no list
	// loaded).
	Searched    bool
	Result      *annex.ScreenResult
	Hits        []hitView
	Unavailable string
	// Party is the stored party with the details screened, when the user is
	// signed in and there is one; the hits show its decisions.
	Party *annex.Party
	// Message tells of a decision that was not recorded, when its hit is
	// no longer among the results.
	Message string
	// LoginURL signs a signed-out user in and comes back to the results.
	LoginURL string
}

// screenForm is the screening form as submitted, with its errors by input
// name.
type screenForm struct {
	Name, Type, Country, DOB, ID, Threshold, Limit string
	Errors                                         map[string]string
}

// newScreenPage returns the page with its form filled from the values.
func (s *Server) newScreenPage(r *http.Request, v url.Values) screenPage {
	p := screenPage{
		layout: s.layout(r, "Screen a party"),
		Types:  entityTypes,
		Form: screenForm{Name: v.Get("name"), Type: v.Get("type"), Country: v.Get("country"), DOB: v.Get("dob"),
			ID: v.Get("id"), Threshold: v.Get("threshold"), Limit: v.Get("limit")},
	}
	if v.Has("name") {
		p.Searched = true
		p.LoginURL = "/login?next=" + url.QueryEscape("/screen?"+v.Encode())
	}
	return p
}

// setErrors puts the errors of a screening request next to its inputs.
func (f *screenForm) setErrors(err error) {
	f.Errors = make(map[string]string)
	for _, fe := range annex.ErrorFields(err) {
		f.Errors[fe.Field] = fe.Message
	}
}

// handleScreenPage handles GET /screen: the form, and with ?name= the
// results. It works signed out; signed in, each hit carries the decisions
// of the stored party with the same details, and a form to decide.
func (s *Server) handleScreenPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	p := s.newScreenPage(r, v)
	if p.User != nil {
		w.Header().Set("Cache-Control", "no-store")
	}
	if !p.Searched {
		s.render(w, r, http.StatusOK, "screen", p)
		return
	}
	in, err := parseScreenValues(v)
	if annex.ErrorCode(err) == annex.EINVALID {
		p.Form.setErrors(err)
		p.Searched = false
		s.render(w, r, http.StatusUnprocessableEntity, "screen", p)
		return
	}
	status, err := s.runScreen(r, &p, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, status, "screen", p)
}

// handleScreenAdjudicate handles POST /screen, the decision form of a hit:
// it saves the party screened, or reuses the stored party with the same
// details, records the decision, and shows the results again. A decision
// with errors saves nothing and shows them at the hit's form.
func (s *Server) handleScreenAdjudicate(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	form := r.PostForm
	p := s.newScreenPage(r, form)
	in, err := parseScreenValues(form)
	if annex.ErrorCode(err) == annex.EINVALID {
		p.Form.setErrors(err)
		p.Searched = false
		s.render(w, r, http.StatusUnprocessableEntity, "screen", p)
		return
	}
	a := adjudicationFromForm(form)
	err = checkAdjudication(a)
	if err == nil {
		err = s.adjudicateQuery(r.Context(), in.Query, a)
	}
	switch annex.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/screen?"+in.values().Encode()+"#hit-"+hitID(a.Source, a.SourceID), http.StatusSeeOther)
		return
	case annex.EINVALID:
	default:
		s.error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if _, serr := s.runScreen(r, &p, in); serr != nil {
		s.error(w, r, serr)
		return
	}
	p.Message = setAdjudicationErrors(p.Hits, a, err)
	s.render(w, r, http.StatusUnprocessableEntity, "screen", p)
}

// adjudicateQuery records a decision on a hit of the party screened: the
// stored party with the same details, or a new one.
func (s *Server) adjudicateQuery(ctx context.Context, q annex.ScreenQuery, a *annex.Adjudication) error {
	party, err := s.matchingParty(ctx, q)
	if annex.ErrorCode(err) == annex.ENOTFOUND {
		party = &annex.Party{Name: q.Name, Type: q.Type, Country: q.Country, DOB: q.DOB, IDNumber: q.ID}
		err = s.PartyService.CreateParty(ctx, party)
	}
	if err != nil {
		return err
	}
	a.PartyID = party.ID
	return s.PartyService.Adjudicate(ctx, a)
}

// matchingParty returns the first stored party of the user's organisation
// (the authority's own parties for an authority user) with the query's name
// (ignoring case), type, country, date of birth and identifier, or
// ENOTFOUND. An officer's decision thus never lands on an exporter's party
// that happens to have the same details.
func (s *Server) matchingParty(ctx context.Context, q annex.ScreenQuery) (*annex.Party, error) {
	var orgID int64
	if u := annex.UserFromContext(ctx); u != nil {
		orgID = u.OrgID
	}
	name := q.Name
	parties, _, err := s.PartyService.FindParties(ctx, annex.PartyFilter{Name: &name, Limit: maxLimit})
	if err != nil {
		return nil, err
	}
	for _, p := range parties {
		if p.OrgID == orgID && p.Type == q.Type && p.Country == q.Country && p.DOB == q.DOB && p.IDNumber == q.ID {
			return p, nil
		}
	}
	return nil, annex.Errorf(annex.ENOTFOUND, "No party named %q is stored with these details.", q.Name)
}

// runScreen screens the page's query and fills in the results, with the
// decisions of the matching party and the decision forms when the user is
// signed in. It returns the page's status: 409 when no list is loaded.
func (s *Server) runScreen(r *http.Request, p *screenPage, in screenInput) (int, error) {
	ctx := r.Context()
	res, err := s.ScreenService.Screen(ctx, in.Query, in.Threshold, in.Limit)
	switch annex.ErrorCode(err) {
	case "":
	case annex.ECONFLICT:
		p.Unavailable = annex.ErrorMessage(err)
		return http.StatusConflict, nil
	default:
		return 0, err
	}
	p.Result = screenResult(res)
	var adjs []*annex.Adjudication
	if p.User != nil {
		party, err := s.matchingParty(ctx, in.Query)
		switch annex.ErrorCode(err) {
		case "":
			p.Party = party
			if adjs, _, err = s.PartyService.FindAdjudications(ctx, annex.AdjudicationFilter{PartyID: &party.ID, Limit: maxLimit}); err != nil {
				return 0, err
			}
		case annex.ENOTFOUND:
		default:
			return 0, err
		}
	}
	p.Hits = hitViews(p.Result.Matches, adjs)
	if p.User != nil {
		for i := range p.Hits {
			p.Hits[i].Form = newAdjudicateForm(&p.Hits[i], "/screen", in.values())
		}
	}
	return http.StatusOK, nil
}

// values returns the request as form values, leaving out what is empty or
// the default, for links and hidden inputs.
func (in screenInput) values() url.Values {
	v := url.Values{"name": {in.Query.Name}}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("type", string(in.Query.Type))
	set("country", in.Query.Country)
	set("dob", in.Query.DOB)
	set("id", in.Query.ID)
	if in.Threshold != 0 {
		v.Set("threshold", strconv.FormatFloat(in.Threshold, 'g', -1, 64))
	}
	if in.Limit != defaultScreenLimit {
		v.Set("limit", strconv.Itoa(in.Limit))
	}
	return v
}

// listsPage is the data of /lists.
type listsPage struct {
	layout
	Lists []*annex.ListSnapshot
}

// handleListsPage handles GET /lists: the lists screened against.
func (s *Server) handleListsPage(w http.ResponseWriter, r *http.Request) {
	snaps, err := s.activeLists(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "lists", listsPage{layout: s.layout(r, "Screening lists"), Lists: snaps})
}
