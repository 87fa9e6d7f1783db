package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"annex"
)

// organisationsPage is the data of /admin/organisations.
type organisationsPage struct {
	layout
	Organisations []*annex.Organisation
	Kinds         []annex.OrganisationKind
	// Form is the creation form after a failed post.
	Form    organisationRequest
	Errors  map[string]string
	Message string
}

// organisationsPage builds the page of the organisations.
func (s *Server) organisationsPage(r *http.Request) (organisationsPage, error) {
	orgs, err := s.OrganisationService.FindOrganisations(r.Context())
	return organisationsPage{layout: s.layout(r, "Organisations"), Organisations: orgs,
		Kinds: []annex.OrganisationKind{annex.OrgExporter, annex.OrgAuthority}, Form: organisationRequest{Kind: annex.OrgExporter}}, err
}

// handleOrganisationsPage handles GET /admin/organisations.
func (s *Server) handleOrganisationsPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.organisationsPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "organisations", p)
}

// handleOrganisationForm handles POST /admin/organisations.
func (s *Server) handleOrganisationForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	req := organisationRequest{Name: r.PostForm.Get("name"), Kind: annex.OrganisationKind(r.PostForm.Get("kind"))}
	_, err := s.createOrganisation(r.Context(), req)
	switch annex.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/admin/organisations", http.StatusSeeOther)
		return
	case annex.EINVALID, annex.ECONFLICT:
	default:
		s.error(w, r, err)
		return
	}
	p, perr := s.organisationsPage(r)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	p.Form, p.Errors, p.Message = req, fieldErrors(err), annex.ErrorMessage(err)
	s.render(w, r, ErrorStatusCode(annex.ErrorCode(err)), "organisations", p)
}

// fieldErrors maps an error's invalid fields to their messages.
func fieldErrors(err error) map[string]string {
	m := map[string]string{}
	for _, fe := range annex.ErrorFields(err) {
		m[fe.Field] = fe.Message
	}
	return m
}

// usersPage is the data of /admin/users.
type usersPage struct {
	layout
	Users []*annex.User
	Total int
	// Own is the organisation of an exporter administrator, whose users
	// the page lists and to which its form adds; nil for an
	// administrator, who sees every user.
	Own *annex.Organisation
	// Exporters are the exporting organisations, for the organisation
	// select; OrgNames names every organisation by ID.
	Exporters []*annex.Organisation
	OrgNames  map[int64]string
	// Roles are the roles the form offers.
	Roles []annex.Role
	// Form is the creation form after a failed post.
	Form    userRequest
	Errors  map[string]string
	Message string
	// Created is the user just created, with its one-time password, shown
	// this once.
	Created *newUserResponse
}

// usersPage builds the page of the users: every user for an
// administrator, an exporter administrator's own organisation's for it.
func (s *Server) usersPage(r *http.Request) (usersPage, error) {
	p := usersPage{layout: s.layout(r, "Users"), Roles: annex.Roles, OrgNames: map[int64]string{}}
	u := annex.UserFromContext(r.Context())
	f := annex.UserFilter{Limit: maxLimit}
	scopeUsers(u, &f)
	users, total, err := s.UserService.FindUsers(r.Context(), f)
	if err != nil {
		return p, err
	}
	p.Users, p.Total = users, total
	orgs, err := s.OrganisationService.FindOrganisations(r.Context())
	if err != nil {
		return p, err
	}
	for _, o := range orgs {
		if isExporter(u) && o.ID != u.OrgID {
			continue
		}
		p.OrgNames[o.ID] = o.Name
		if o.Kind == annex.OrgExporter {
			p.Exporters = append(p.Exporters, o)
		}
	}
	if isExporter(u) {
		p.Roles = exporterRoles
		p.Own = &annex.Organisation{ID: u.OrgID, Name: p.OrgNames[u.OrgID], Kind: annex.OrgExporter}
		if p.Own.Name == "" {
			p.Own.Name = fmt.Sprintf("organisation %d", u.OrgID)
		}
		p.Title = "Users of " + p.Own.Name
	}
	return p, nil
}

// handleUsersPage handles GET /admin/users.
func (s *Server) handleUsersPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.usersPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "users", p)
}

// handleUserForm handles POST /admin/users: create the user and show its
// one-time password, once. The page is not redirected to, so that the
// password is never in a URL or a history entry.
func (s *Server) handleUserForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	f := r.PostForm
	req := userRequest{Username: f.Get("username"), Name: f.Get("name"), Role: annex.Role(f.Get("role")), Department: f.Get("department")}
	if raw := strings.TrimSpace(f.Get("org_id")); raw != "" {
		req.OrgID, _ = strconv.ParseInt(raw, 10, 64)
	}
	created, err := s.createUser(r.Context(), req)
	switch annex.ErrorCode(err) {
	case "", annex.EINVALID, annex.ECONFLICT:
	default:
		s.error(w, r, err)
		return
	}
	p, perr := s.usersPage(r)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	status := http.StatusOK
	if err != nil {
		p.Form, p.Errors, p.Message, status = req, fieldErrors(err), annex.ErrorMessage(err), ErrorStatusCode(annex.ErrorCode(err))
	} else {
		p.Created = created
	}
	s.render(w, r, status, "users", p)
}
