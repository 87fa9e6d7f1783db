package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"

	"annex"
)

// queue is a tab of /cases: a saved filter of the authority's cases.
type queue struct {
	ID, Label string
	// Roles may open the queue.
	Roles []annex.Role
	// filter returns the queue's filter for a user.
	filter func(u *annex.User) annex.ApplicationFilter
}

// openStatuses are the statuses of cases an officer still works on.
var openStatuses = []annex.ApplicationStatus{annex.StatusUnderReview, annex.StatusAwaitingExporter,
	annex.StatusAwaitingCountersign, annex.StatusUnderAppeal}

// queues are the tabs of /cases, in order.
var queues = []queue{
	{"unassigned", "Unassigned", officerRoles, func(*annex.User) annex.ApplicationFilter {
		return annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusSubmitted}}
	}},
	{"mine", "Mine", officerRoles, func(u *annex.User) annex.ApplicationFilter {
		return annex.ApplicationFilter{AssignedTo: &u.ID, Status: openStatuses}
	}},
	{"countersign", "Awaiting countersignature", []annex.Role{annex.RoleSeniorOfficer}, func(*annex.User) annex.ApplicationFilter {
		return annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusAwaitingCountersign}}
	}},
	{"appeals", "Appeals", []annex.Role{annex.RoleSeniorOfficer}, func(*annex.User) annex.ApplicationFilter {
		return annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusUnderAppeal}}
	}},
	{"advice", "Advice requested", []annex.Role{annex.RoleReviewer}, func(u *annex.User) annex.ApplicationFilter {
		return annex.ApplicationFilter{Department: &u.Department}
	}},
	{"all", "All", caseRoles, func(*annex.User) annex.ApplicationFilter {
		return annex.ApplicationFilter{Status: slices.DeleteFunc(slices.Clone(annex.ApplicationStatuses),
			func(s annex.ApplicationStatus) bool { return s == annex.StatusDraft })}
	}},
}

// defaultQueue is the tab a role opens first.
func defaultQueue(r annex.Role) string {
	switch r {
	case annex.RoleLicensingOfficer:
		return "unassigned"
	case annex.RoleSeniorOfficer:
		return "countersign"
	case annex.RoleReviewer:
		return "advice"
	}
	return "all"
}

// casesPage is the data of /cases.
type casesPage struct {
	layout
	Tabs  []tabView
	Queue string
	Rows  []caseRow
	Total int
	pager
}

// tabView is a queue's tab.
type tabView struct {
	ID, Label, Href string
	Current         bool
}

// caseRow is a case of a queue with its exporter's name.
type caseRow struct {
	*annex.Application
	Exporter string
}

// handleCasesPage handles GET /cases: the cases of a queue, newest first.
func (s *Server) handleCasesPage(w http.ResponseWriter, r *http.Request) {
	u := annex.UserFromContext(r.Context())
	q := r.URL.Query()
	id := q.Get("queue")
	if id == "" {
		id = defaultQueue(u.Role)
	}
	p := casesPage{layout: s.layout(r, "Cases"), Queue: id}
	var current *queue
	for i, qu := range queues {
		if !slices.Contains(qu.Roles, u.Role) {
			continue
		}
		p.Tabs = append(p.Tabs, tabView{ID: qu.ID, Label: qu.Label, Href: "/cases?queue=" + qu.ID, Current: qu.ID == id})
		if qu.ID == id {
			current = &queues[i]
		}
	}
	if current == nil {
		s.error(w, r, annex.Errorf(annex.ENOTFOUND, "There is no queue %q for a %s.", id, roleTitle(u.Role)))
		return
	}
	offset, err := queryInt(q, "offset", 0, math.MaxInt32)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := current.filter(u)
	f.Offset, f.Limit, f.Summary = offset, casePageSize, true
	apps, total, err := s.ApplicationService.FindApplications(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	orgs, err := s.organisationNames(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, app := range apps {
		name := orgs[app.OrgID]
		if name == "" {
			name = fmt.Sprintf("organisation %d", app.OrgID)
		}
		p.Rows = append(p.Rows, caseRow{Application: app, Exporter: name})
	}
	p.Total = total
	p.pager = newPager(url.Values{"queue": {id}}, "/cases", offset, len(apps), total, casePageSize)
	s.render(w, r, http.StatusOK, "cases", p)
}

// organisationNames returns the names of the organisations by ID.
func (s *Server) organisationNames(r *http.Request) (map[int64]string, error) {
	orgs, err := s.OrganisationService.FindOrganisations(r.Context())
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	return names, nil
}

// casePage is the data of /cases/{id}: the case in full, and the forms of
// the steps the user may take now.
type casePage struct {
	layout
	App        *annex.Application
	Exporter   string
	Assessment *assessmentView
	Actions    actionForm
	// Names are the names of the users the case names, by ID.
	Names map[int64]string
	// Subjects are what advice may be about; Criteria what a refusal may
	// cite.
	Subjects    []option
	Criteria    []option
	AdviceTypes []option
	// Stale says that the case changed since the page was opened.
	Stale string
	// Consultations are the partners consulted on their denials, with
	// their status now.
	Consultations []consultationRow
}

// consultationRow is a no-undercut consultation with its status now.
type consultationRow struct {
	annex.Consultation
	Now annex.ConsultationStatus
}

// Name returns the name of a user the case names.
func (p casePage) Name(id int64) string {
	if n, ok := p.Names[id]; ok {
		return n
	}
	return fmt.Sprintf("user %d", id)
}

// officerActions are the steps the authority takes on a case, in the order
// the page offers them.
var officerActions = []annex.ActionType{annex.ActAssign, annex.ActRequestInformation, annex.ActRequestAdvice,
	annex.ActGiveAdvice, annex.ActProposeDecision, annex.ActCountersign, annex.ActRejectCountersign,
	annex.ActDecideAppeal, annex.ActReassess}

// casePage builds the case page of an application.
func (s *Server) casePage(r *http.Request, app *annex.Application) (casePage, error) {
	u := annex.UserFromContext(r.Context())
	var consultations []consultationRow
	for _, c := range app.Consultations {
		consultations = append(consultations, consultationRow{Consultation: c, Now: c.StatusAt(s.now())})
	}
	p := casePage{layout: s.layout(r, "Case "+app.Reference), App: app, Names: s.userNames(r.Context(), caseUserIDs(app)...), Consultations: consultations,
		Actions: probeActions(app, u, s.now(), officerActions...), Subjects: adviceSubjects(app), AdviceTypes: adviceTypes}
	if app.AssignedTo == u.ID {
		// The officer in charge has taken the case already.
		p.Actions.Allowed = slices.DeleteFunc(p.Actions.Allowed, func(t annex.ActionType) bool { return t == annex.ActAssign })
	}
	if app.Assessment != nil {
		p.Assessment = newAssessmentView(app, true)
	}
	p.Criteria = refusalCriteria(app.Assessment)
	if o, err := s.OrganisationService.FindOrganisationByID(r.Context(), app.OrgID); err == nil {
		p.Exporter = o.Name
	} else if annex.ErrorCode(err) != annex.ENOTFOUND {
		return p, err
	}
	return p, nil
}

// handleCasePage handles GET /cases/{id}.
func (s *Server) handleCasePage(w http.ResponseWriter, r *http.Request) {
	app, err := s.findCase(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.casePage(r, app)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case", p)
}

// findCase returns the case of the request's path. A draft is the
// exporter's own: it is not a case yet.
func (s *Server) findCase(r *http.Request) (*annex.Application, error) {
	app, err := s.findApplication(r)
	if err != nil {
		return nil, err
	}
	if app.Status == annex.StatusDraft {
		return nil, notFound(app.ID)
	}
	return app, nil
}

// handleCaseActionForm handles POST /cases/{id}/actions, every form of the
// case page. A step taken goes back to the case; a step refused shows the
// case again with the refusal next to its form and what was typed kept. A
// case changed by someone else since the page was opened (409) is shown as
// it now stands, with the form as the user filled it, to send again if it
// still holds.
func (s *Server) handleCaseActionForm(w http.ResponseWriter, r *http.Request) {
	app, act, status, err := s.actFromForm(w, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if status == http.StatusSeeOther {
		next := fmt.Sprintf("/cases/%d", app.ID)
		if act.act.Type == annex.ActAssign {
			next += "#actions"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p, err := s.casePage(r, app)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Actions.setError(act.act, r.PostForm, act.err)
	if act.stale {
		p.Stale = "This case was changed by someone else since you opened it; here it is as it now stands. What you typed is kept in its form below: check it against the case, then send it again."
		p.Actions.Message = ""
	}
	s.render(w, r, status, "case", p)
}

// decisionFormView is the decision form of a case: the officer's decision,
// or the senior officer's on an appeal.
type decisionFormView struct {
	Type, Action, Heading, Button string
	Version                       int64
	// Countersign says who will countersign the decision, if anyone.
	Countersign string
	Actions     actionForm
	Types       []option
	Criteria    []option
}

// DecisionForm returns the decision form of an action: decide or
// decide_appeal.
func (p casePage) DecisionForm(t string) decisionFormView {
	f := decisionFormView{Type: t, Action: fmt.Sprintf("/cases/%d/actions", p.App.ID), Version: p.App.Version,
		Actions: p.Actions, Types: decisionTypes, Criteria: p.Criteria, Heading: "Decide", Button: "Decide"}
	if annex.ActionType(t) == annex.ActDecideAppeal {
		f.Heading, f.Button = "Decide the appeal", "Decide the appeal"
		return f
	}
	if p.App.Assessment != nil && annex.NeedsCountersign(annex.DecisionApprove, p.App.Assessment.Category) {
		f.Countersign = "This is a Category I case: a senior officer countersigns any decision on it before it takes effect."
	} else {
		f.Countersign = "A refusal goes to a senior officer for countersignature before it takes effect."
	}
	return f
}
