package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"annex"
)

// casePageSize is how many applications the lists show at a time.
const casePageSize = 50

// applicationsPage is the data of /applications: the exporter's
// organisation's applications, newest first.
type applicationsPage struct {
	layout
	Apps  []*annex.Application
	Total int
	pager
}

// pager numbers the records of a list page and links its neighbours.
type pager struct {
	// From and To number the records shown, from 1; Prev and Next link
	// the neighbouring pages, if any.
	From, To   int
	Prev, Next string
}

// newPager pages a list: base is the page's URL with its query, without
// the offset.
func newPager(base url.Values, path string, offset, shown, total, size int) pager {
	var p pager
	if shown > 0 {
		p.From, p.To = offset+1, offset+shown
	}
	link := func(off int) string {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		v.Set("offset", strconv.Itoa(off))
		return path + "?" + v.Encode()
	}
	if offset > 0 {
		p.Prev = link(max(offset-size, 0))
	}
	if offset+shown < total {
		p.Next = link(offset + shown)
	}
	return p
}

// handleApplicationsPage handles GET /applications.
func (s *Server) handleApplicationsPage(w http.ResponseWriter, r *http.Request) {
	offset, err := queryInt(r.URL.Query(), "offset", 0, math.MaxInt32)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := annex.UserFromContext(r.Context())
	apps, total, err := s.ApplicationService.FindApplications(r.Context(), annex.ApplicationFilter{OrgID: &u.OrgID, Offset: offset, Limit: casePageSize, Summary: true})
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := applicationsPage{layout: s.layout(r, "Your applications"), Total: total}
	for _, app := range apps {
		if visible(u, app) {
			p.Apps = append(p.Apps, app)
		}
	}
	p.pager = newPager(nil, "/applications", offset, len(apps), total, casePageSize)
	s.render(w, r, http.StatusOK, "applications", p)
}

// applicationFormPage is the data of /applications/new and
// /applications/{id}/edit.
type applicationFormPage struct {
	layout
	Form  *applicationForm
	Kinds []*annex.Kind
	// Stale says that the draft changed since the form was opened.
	Stale string
}

// formPage returns the form page for a form.
func (s *Server) formPage(r *http.Request, f *applicationForm) (applicationFormPage, error) {
	title := "New application"
	if f.ID != 0 {
		title = "Edit the application"
	}
	v, err := s.ControlListService.FindVersion(r.Context(), "")
	if err != nil {
		return applicationFormPage{}, err
	}
	return applicationFormPage{layout: s.layout(r, title), Form: f, Kinds: v.Kinds}, nil
}

// handleNewApplicationPage handles GET /applications/new; with
// ?amendment_of=NUMBER the form starts from the application of that
// licence, to amend it.
func (s *Server) handleNewApplicationPage(w http.ResponseWriter, r *http.Request) {
	f := newApplicationForm("/applications", nil)
	if number := strings.TrimSpace(r.URL.Query().Get("amendment_of")); number != "" {
		l, err := s.LicenceService.FindLicenceByNumber(r.Context(), number)
		if err != nil {
			s.error(w, r, err)
			return
		}
		app, err := s.ApplicationService.FindApplicationByID(r.Context(), l.ApplicationID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		f = newApplicationForm("/applications", app)
		f.ID, f.Version, f.AmendmentOf = 0, 0, l.Number
	}
	p, err := s.formPage(r, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "application_form", p)
}

// handleEditApplicationPage handles GET /applications/{id}/edit.
func (s *Server) handleEditApplicationPage(w http.ResponseWriter, r *http.Request) {
	app, err := s.findApplication(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if app.Status != annex.StatusDraft {
		http.Redirect(w, r, fmt.Sprintf("/applications/%d", app.ID), http.StatusSeeOther)
		return
	}
	p, err := s.formPage(r, newApplicationForm(fmt.Sprintf("/applications/%d/edit", app.ID), app))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "application_form", p)
}

// handleCreateApplicationForm handles POST /applications: save a new
// draft, then show it.
func (s *Server) handleCreateApplicationForm(w http.ResponseWriter, r *http.Request) {
	s.saveApplicationForm(w, r, nil)
}

// handleUpdateApplicationForm handles POST /applications/{id}/edit.
func (s *Server) handleUpdateApplicationForm(w http.ResponseWriter, r *http.Request) {
	app, err := s.findApplication(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveApplicationForm(w, r, app)
}

// saveApplicationForm saves the posted form as a new draft (app nil) or
// over a draft. A form with errors, or posted to add a row, is shown again
// as typed; a draft changed since the form was opened is not overwritten:
// the form comes back with what was typed and the new version, to save
// again on purpose.
func (s *Server) saveApplicationForm(w http.ResponseWriter, r *http.Request, app *annex.Application) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	action := "/applications"
	if app != nil {
		action = fmt.Sprintf("/applications/%d/edit", app.ID)
	}
	f := applicationFormFrom(action, r.PostForm)
	if app != nil {
		f.ID = app.ID
	}
	status := http.StatusOK
	var err error
	if r.PostForm.Get("add") == "" {
		var saved *annex.Application
		saved, err = s.saveDraft(r, f, app)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/applications/%d", saved.ID), http.StatusSeeOther)
			return
		}
		status = ErrorStatusCode(annex.ErrorCode(err))
	}
	p, perr := s.formPage(r, f)
	switch {
	case perr != nil:
		s.error(w, r, perr)
		return
	case err == nil:
	case annex.ErrorCode(err) == annex.ECONFLICT && app != nil:
		cur, ferr := s.ApplicationService.FindApplicationByID(r.Context(), app.ID)
		if ferr != nil {
			s.error(w, r, ferr)
			return
		}
		if cur.Status != annex.StatusDraft {
			http.Redirect(w, r, fmt.Sprintf("/applications/%d", app.ID), http.StatusSeeOther)
			return
		}
		p.Stale = "This draft was changed since you opened it. What you typed is below; the draft as it now stands is at its page. Save again to replace it with what you typed."
		f.Version = cur.Version
	case annex.ErrorCode(err) == annex.EINVALID:
		f.setErrors(err)
	default:
		s.error(w, r, err)
		return
	}
	s.render(w, r, status, "application_form", p)
}

// saveDraft decodes the form and creates or updates the draft.
func (s *Server) saveDraft(r *http.Request, f *applicationForm, app *annex.Application) (*annex.Application, error) {
	spec, err := f.spec()
	if err != nil {
		return nil, err
	}
	if err := s.checkItems(r.Context(), spec, ""); err != nil {
		return nil, f.rowPaths(err)
	}
	if app == nil {
		created := &annex.Application{ApplicationSpec: *spec, AmendmentOf: f.AmendmentOf}
		return created, s.ApplicationService.CreateApplication(r.Context(), created)
	}
	return s.ApplicationService.UpdateApplication(r.Context(), app.ID, f.Version, *spec)
}

// applicationPage is the data of /applications/{id}, the exporter's view
// of an application.
type applicationPage struct {
	layout
	App        *annex.Application
	Assessment *assessmentView
	Actions    actionForm
	// OpenRequest is the question that awaits the exporter's answer.
	OpenRequest *annex.InformationRequest
	// AppealUntil is the last day to appeal a refusal.
	AppealUntil time.Time
	// CanUpload is set while documents may be added.
	CanUpload bool
	Upload    uploadForm
	// Stale says that the application changed since the page was opened.
	Stale string
}

// uploadForm is the document form after a failed upload.
type uploadForm struct {
	Kind    string
	Errors  map[string]string
	Message string
}

// exporterActions are the steps an exporter takes on its page.
var exporterActions = []annex.ActionType{annex.ActSubmit, annex.ActAnswerInformation, annex.ActWithdraw, annex.ActAppeal}

// applicationPage builds the exporter's page of an application.
func (s *Server) applicationPage(r *http.Request, app *annex.Application) applicationPage {
	u := annex.UserFromContext(r.Context())
	app = redact(u, app)
	p := applicationPage{layout: s.layout(r, app.Reference), App: app,
		Actions:   probeActions(app, u, s.now(), exporterActions...),
		CanUpload: app.Status == annex.StatusDraft || app.Status == annex.StatusAwaitingExporter}
	if app.Reference == "" {
		p.Title = fmt.Sprintf("Application %d", app.ID)
	}
	if app.Assessment != nil {
		p.Assessment = newAssessmentView(app, false)
	}
	for i := range app.Requests {
		if app.Requests[i].AnsweredAt == nil {
			p.OpenRequest = &app.Requests[i]
		}
	}
	if app.DecidedAt != nil {
		p.AppealUntil = app.DecidedAt.AddDate(0, 0, annex.AppealDays)
	}
	return p
}

// handleApplicationPage handles GET /applications/{id}.
func (s *Server) handleApplicationPage(w http.ResponseWriter, r *http.Request) {
	app, err := s.findApplication(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "application", s.applicationPage(r, app))
}

// handleApplicationActionForm handles POST /applications/{id}/actions, the
// exporter's forms: submit, answer, withdraw, appeal.
func (s *Server) handleApplicationActionForm(w http.ResponseWriter, r *http.Request) {
	app, act, status, err := s.actFromForm(w, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if status == http.StatusSeeOther {
		http.Redirect(w, r, fmt.Sprintf("/applications/%d", app.ID), http.StatusSeeOther)
		return
	}
	p := s.applicationPage(r, app)
	p.Actions.setError(act.act, r.PostForm, act.err)
	if status == http.StatusConflict && act.stale {
		p.Stale = "This application was changed since you opened it; here it is as it now stands. What you typed is kept below: check it, then send it again."
	}
	s.render(w, r, status, "application", p)
}

// postedAction is a case action posted from a page and what came of it.
type postedAction struct {
	act *annex.CaseAction
	err error
	// stale is set when the action was refused because the application
	// moved on from the version the page showed.
	stale bool
}

// actFromForm reads a case action from a page's form and takes it. It
// returns the application as it now stands and the status of the answer:
// 303 when the action was taken, or the status of its error, which the
// page shows next to the form. Errors other than those of the action
// (not found, internal) are returned.
func (s *Server) actFromForm(w http.ResponseWriter, r *http.Request) (*annex.Application, postedAction, int, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return nil, postedAction{}, 0, bodyError(err)
	}
	app, err := s.findApplication(r)
	if err != nil {
		return nil, postedAction{}, 0, err
	}
	pa := postedAction{act: caseActionFromForm(r.PostForm)}
	_, pa.err = s.ApplicationService.Act(r.Context(), app.ID, pa.act)
	switch annex.ErrorCode(pa.err) {
	case "":
		return app, pa, http.StatusSeeOther, nil
	case annex.EINVALID, annex.ECONFLICT, annex.EFORBIDDEN:
	default:
		return nil, pa, 0, pa.err
	}
	cur, err := s.findApplication(r)
	if err != nil {
		return nil, pa, 0, err
	}
	pa.stale = annex.ErrorCode(pa.err) == annex.ECONFLICT && cur.Version != pa.act.Version
	return cur, pa, ErrorStatusCode(annex.ErrorCode(pa.err)), nil
}

// handleDocumentForm handles POST /applications/{id}/documents, the upload
// form of the exporter's page.
func (s *Server) handleDocumentForm(w http.ResponseWriter, r *http.Request) {
	app, err := s.findApplication(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	up, err := readUpload(w, r)
	var doc *annex.Document
	if err == nil {
		doc, err = newDocument(up)
	}
	if err == nil {
		err = s.ApplicationService.AddDocument(r.Context(), app.ID, doc, up.Content)
	}
	switch annex.ErrorCode(err) {
	case "":
		http.Redirect(w, r, fmt.Sprintf("/applications/%d#documents", app.ID), http.StatusSeeOther)
		return
	case annex.EINVALID, annex.ECONFLICT, annex.EFORBIDDEN:
	default:
		s.error(w, r, err)
		return
	}
	p := s.applicationPage(r, app)
	p.Upload.Errors = map[string]string{}
	if up != nil {
		p.Upload.Kind = up.Kind
	}
	for _, fe := range annex.ErrorFields(err) {
		if fe.Field == "kind" || fe.Field == "file" {
			p.Upload.Errors[fe.Field] = fe.Message
		} else {
			p.Upload.Message = fe.String()
		}
	}
	if len(annex.ErrorFields(err)) == 0 {
		p.Upload.Message = annex.ErrorMessage(err)
	}
	s.render(w, r, ErrorStatusCode(annex.ErrorCode(err)), "application", p)
}
