package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// applicationList is the response of GET /api/v1/applications.
type applicationList struct {
	Total        int                  `json:"total"`
	Applications []*annex.Application `json:"applications"`
}

// applicationUpdate is the body of PUT /api/v1/applications/{id}: the
// version of the draft the exporter saw, and the new content.
type applicationUpdate struct {
	Version     int64           `json:"version"`
	Application json.RawMessage `json:"application"`
}

// handleAssess handles POST /api/v1/assess: assess an application without
// storing it. It is public, like classification: an exporter can check an
// application before applying, and nothing is kept.
func (s *Server) handleAssess(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	spec, err := decodeApplication(w, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.AssessService.Assess(r.Context(), spec)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// The endpoint is public: only the authority reads partners' denials.
	if u := annex.UserFromContext(r.Context()); u == nil || u.Role.IsExporter() {
		a.RedactDenials()
	}
	w.Header().Set("Cache-Control", "no-store")
	s.ok(w, r, a)
}

// decodeApplication reads an application from the request body, capped at
// maxBodyBytes.
func decodeApplication(w http.ResponseWriter, r *http.Request) (*annex.ApplicationSpec, error) {
	spec, err := annex.DecodeApplication(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if annex.ErrorCode(err) == annex.EINTERNAL {
		return nil, bodyError(err)
	}
	return spec, err
}

// checkItems classifies the goods lines of an application, so that an item
// the control list cannot read (an unknown kind or parameter, a number
// where a word belongs) is named when the draft is saved rather than when
// it is submitted. Errors name their path under prefix+"items".
func (s *Server) checkItems(ctx context.Context, spec *annex.ApplicationSpec, prefix string) error {
	items := make([]annex.Item, len(spec.Items))
	for i, l := range spec.Items {
		items[i] = l.Item
	}
	if len(items) == 0 {
		return nil
	}
	_, err := s.ControlListService.Classify(ctx, "", items)
	fields := annex.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	out := make([]annex.FieldError, len(fields))
	for i, f := range fields {
		switch {
		case strings.HasPrefix(f.Field, "["):
			f.Field = "items" + f.Field
		case len(items) == 1:
			f.Field = "items[0]." + f.Field
		}
		f.Field = prefix + f.Field
		out[i] = f
	}
	return annex.Invalid(out...)
}

// prefixFields moves the field paths of an EINVALID error under a prefix.
func prefixFields(err error, prefix string) error {
	fields := annex.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	out := make([]annex.FieldError, len(fields))
	for i, f := range fields {
		if f.Field == "" {
			f.Field = strings.TrimSuffix(prefix, ".")
		} else {
			f.Field = prefix + f.Field
		}
		out[i] = f
	}
	return annex.Invalid(out...)
}

// handleCreateApplication handles POST /api/v1/applications: an exporter
// creates a draft for its organisation. The body is an application, as
// POST /api/v1/assess takes it; ?amendment_of= names a licence to amend.
func (s *Server) handleCreateApplication(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "amendment_of"); err != nil {
		s.error(w, r, err)
		return
	}
	spec, err := decodeApplication(w, r)
	if err == nil {
		err = s.checkItems(r.Context(), spec, "")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	app := &annex.Application{ApplicationSpec: *spec, AmendmentOf: strings.TrimSpace(q.Get("amendment_of"))}
	if err := s.ApplicationService.CreateApplication(r.Context(), app); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/applications/%d", app.ID))
	s.writeJSON(w, r, http.StatusCreated, "application/json", redact(annex.UserFromContext(r.Context()), app))
}

// handleApplications handles GET /api/v1/applications: the applications
// the user may see, filtered by status (repeatable), assigned_to ("me" or
// a user ID) and department (the cases awaiting a department's advice).
// An exporter sees only its organisation's.
func (s *Server) handleApplications(w http.ResponseWriter, r *http.Request) {
	f, err := applicationFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// A list gives summaries; GET /api/v1/applications/{id} gives a case in
	// full.
	f.Summary = true
	apps, total, err := s.ApplicationService.FindApplications(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := annex.UserFromContext(r.Context())
	out := make([]*annex.Application, 0, len(apps))
	for _, app := range apps {
		if visible(u, app) {
			out = append(out, redact(u, app))
		}
	}
	s.ok(w, r, applicationList{Total: total, Applications: out})
}

// applicationFilter reads the query of GET /api/v1/applications.
func applicationFilter(r *http.Request) (annex.ApplicationFilter, error) {
	q := r.URL.Query()
	single := url.Values{}
	for k, vs := range q {
		if k != "status" {
			single[k] = vs
		}
	}
	var f annex.ApplicationFilter
	if err := checkQuery(single, "status", "assigned_to", "department", "offset", "limit"); err != nil {
		return f, err
	}
	var errs []annex.FieldError
	for _, raw := range q["status"] {
		st := annex.ApplicationStatus(raw)
		if !slices.Contains(annex.ApplicationStatuses, st) {
			errs = append(errs, annex.FieldError{Field: "status", Message: fmt.Sprintf("unknown status %q", raw)})
			continue
		}
		f.Status = append(f.Status, st)
	}
	u := annex.UserFromContext(r.Context())
	if raw := q.Get("assigned_to"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		switch {
		case raw == "me":
			f.AssignedTo = &u.ID
		case err != nil || id <= 0:
			errs = append(errs, annex.FieldError{Field: "assigned_to", Message: fmt.Sprintf(`must be "me" or a user ID, got %q`, raw)})
		default:
			f.AssignedTo = &id
		}
	}
	if q.Has("department") {
		d := q.Get("department")
		if d != annex.DeptForeignAffairs && d != annex.DeptDefence {
			errs = append(errs, annex.FieldError{Field: "department", Message: fmt.Sprintf("must be foreign_affairs or defence, got %q", d)})
		}
		f.Department = &d
	}
	var err error
	if f.Offset, f.Limit, err = paging(q); err != nil {
		errs = append(errs, annex.ErrorFields(err)...)
	}
	if len(errs) > 0 {
		return f, annex.Invalid(errs...)
	}
	if isExporter(u) {
		f.OrgID = &u.OrgID
	}
	return f, nil
}

// handleApplication handles GET /api/v1/applications/{id}.
func (s *Server) handleApplication(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	app, err := s.findApplication(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, redact(annex.UserFromContext(r.Context()), app))
}

// findApplication returns the application of the request's path, or
// ENOTFOUND when there is none or the user may not see it.
func (s *Server) findApplication(r *http.Request) (*annex.Application, error) {
	id, err := pathID(r, "application")
	if err != nil {
		return nil, err
	}
	app, err := s.ApplicationService.FindApplicationByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !visible(annex.UserFromContext(r.Context()), app) {
		return nil, notFound(id)
	}
	return app, nil
}

// notFound is the error of an application that does not exist, or that
// the user may not see: the two read the same, so that an exporter learns
// nothing of another organisation's applications.
func notFound(id int64) error {
	return annex.Errorf(annex.ENOTFOUND, "There is no application %d.", id)
}

// visible reports whether the user may see the application: an exporter
// sees only its own organisation's. The store enforces this too; the check
// here keeps a store fault from showing one exporter another's case.
func visible(u *annex.User, app *annex.Application) bool {
	return !isExporter(u) || app.OrgID == u.OrgID
}

// redact returns the application as the user may read it. The advice of
// the authority's departments, the requests for it, a decision awaiting
// countersignature and the officer in charge are internal to the
// authority (annex.Application.RedactForExporter): an exporter sees the
// questions put to it, the decision and its letter, and the licence. The
// store redacts too; the web makes sure.
func redact(u *annex.User, app *annex.Application) *annex.Application {
	if !isExporter(u) {
		return app
	}
	c := *app
	c.RedactForExporter()
	return &c
}

// handleUpdateApplication handles PUT /api/v1/applications/{id}: replace
// a draft's content. The version is the one the exporter read; a draft
// changed since is refused with 409.
func (s *Server) handleUpdateApplication(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "application")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var req applicationUpdate
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if len(bytes.TrimSpace(req.Application)) == 0 || string(bytes.TrimSpace(req.Application)) == "null" {
		s.error(w, r, annex.Invalid(annex.FieldError{Field: "application", Message: "required"}))
		return
	}
	spec, err := annex.DecodeApplication(bytes.NewReader(req.Application))
	if err != nil {
		s.error(w, r, prefixFields(err, "application."))
		return
	}
	if err := s.checkItems(r.Context(), spec, "application."); err != nil {
		s.error(w, r, err)
		return
	}
	app, err := s.ApplicationService.UpdateApplication(r.Context(), id, req.Version, *spec)
	if err != nil {
		s.error(w, r, s.staleError(r.Context(), err, id, req.Version))
		return
	}
	s.ok(w, r, redact(annex.UserFromContext(r.Context()), app))
}

// staleError explains an ECONFLICT of a change made against a version:
// when the application has moved on since that version, the change was
// refused because someone else changed it first. Other errors, and
// conflicts of another kind (advice still awaited), are returned as they
// are.
func (s *Server) staleError(ctx context.Context, err error, id, version int64) error {
	if annex.ErrorCode(err) != annex.ECONFLICT {
		return err
	}
	cur, ferr := s.ApplicationService.FindApplicationByID(ctx, id)
	if ferr != nil || cur.Version == version {
		return err
	}
	return &annex.Error{Code: annex.ECONFLICT, Err: err, Message: fmt.Sprintf(
		"The application was changed since you opened it: it is at version %d, and you sent version %d. Read it again, then decide.", cur.Version, version)}
}

// handleAct handles POST /api/v1/applications/{id}/actions: take one step
// of the case work (see annex.NextStatus for who may take which).
func (s *Server) handleAct(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "application")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var act annex.CaseAction
	if err := decodeJSON(w, r, &act); err != nil {
		s.error(w, r, err)
		return
	}
	app, err := s.ApplicationService.Act(r.Context(), id, &act)
	if err != nil {
		s.error(w, r, actionFieldPaths(&act, s.staleError(r.Context(), err, id, act.Version)))
		return
	}
	s.ok(w, r, redact(annex.UserFromContext(r.Context()), app))
}
