package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"annex"
)

// organisationRequest is the body of POST /api/v1/organisations.
type organisationRequest struct {
	Name string                 `json:"name"`
	Kind annex.OrganisationKind `json:"kind"`
}

// organisationList is the response of GET /api/v1/organisations.
type organisationList struct {
	Total         int                   `json:"total"`
	Organisations []*annex.Organisation `json:"organisations"`
}

// userRequest is the body of POST /api/v1/users.
type userRequest struct {
	Username   string     `json:"username"`
	Name       string     `json:"name"`
	Role       annex.Role `json:"role"`
	OrgID      int64      `json:"org_id,omitempty"`
	Department string     `json:"department,omitempty"`
}

// newUserResponse is the response of POST /api/v1/users: the user and the
// one-time password to give them, which they must change when they first
// sign in. The password is shown once and stored only as a hash.
type newUserResponse struct {
	User     *annex.User `json:"user"`
	Password string      `json:"password"`
}

// userList is the response of GET /api/v1/users.
type userList struct {
	Total int           `json:"total"`
	Users []*annex.User `json:"users"`
}

// handleCreateOrganisation handles POST /api/v1/organisations.
func (s *Server) handleCreateOrganisation(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var req organisationRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	o, err := s.createOrganisation(r.Context(), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, "application/json", o)
}

// createOrganisation checks and creates an organisation.
func (s *Server) createOrganisation(ctx context.Context, req organisationRequest) (*annex.Organisation, error) {
	o := &annex.Organisation{Name: strings.TrimSpace(req.Name), Kind: req.Kind}
	var errs []annex.FieldError
	if o.Name == "" || len(o.Name) > 200 {
		errs = append(errs, annex.FieldError{Field: "name", Message: "required, at most 200 characters"})
	}
	if o.Kind != annex.OrgExporter && o.Kind != annex.OrgAuthority {
		errs = append(errs, annex.FieldError{Field: "kind", Message: "must be exporter or authority"})
	}
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	if err := s.OrganisationService.CreateOrganisation(ctx, o); err != nil {
		return nil, err
	}
	return o, nil
}

// handleOrganisations handles GET /api/v1/organisations.
func (s *Server) handleOrganisations(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	orgs, err := s.OrganisationService.FindOrganisations(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if orgs == nil {
		orgs = []*annex.Organisation{}
	}
	s.ok(w, r, organisationList{Total: len(orgs), Organisations: orgs})
}

// handleCreateUser handles POST /api/v1/users: an administrator, or an
// exporter administrator in its own organisation, creates a user with a
// one-time password.
func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var req userRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	resp, err := s.createUser(r.Context(), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusCreated, "application/json", resp)
}

// createUser checks and creates a user with a new one-time password.
func (s *Server) createUser(ctx context.Context, req userRequest) (*newUserResponse, error) {
	if err := checkOwnUser(annex.UserFromContext(ctx), &req); err != nil {
		return nil, err
	}
	u := &annex.User{Username: strings.TrimSpace(req.Username), Name: strings.TrimSpace(req.Name), Role: req.Role,
		OrgID: req.OrgID, Department: req.Department, MustChangePassword: true}
	if !u.Role.IsExporter() && u.OrgID != 0 {
		return nil, annex.Invalid(annex.FieldError{Field: "org_id", Message: "only exporter users belong to an organisation"})
	}
	if u.Role != annex.RoleReviewer && u.Department != "" {
		return nil, annex.Invalid(annex.FieldError{Field: "department", Message: "only reviewers belong to a department"})
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	password := oneTimePassword()
	if err := s.UserService.CreateUser(ctx, u, password); err != nil {
		return nil, err
	}
	return &newUserResponse{User: u, Password: password}, nil
}

// checkOwnUser confines the user that an exporter administrator creates to
// its own organisation and the exporter roles: the organisation is the
// creator's when the request names none, and another organisation or role
// is refused by field. The UserService refuses them too; this check names
// the fields. Other creators pass unchanged.
func checkOwnUser(creator *annex.User, req *userRequest) error {
	if creator == nil || creator.Role != annex.RoleExporterAdmin {
		return nil
	}
	var errs []annex.FieldError
	if !req.Role.IsExporter() {
		errs = append(errs, annex.FieldError{Field: "role", Message: fmt.Sprintf("must be %s or %s", annex.RoleExporterUser, annex.RoleExporterAdmin)})
	}
	switch req.OrgID {
	case 0:
		req.OrgID = creator.OrgID
	case creator.OrgID:
	default:
		errs = append(errs, annex.FieldError{Field: "org_id", Message: fmt.Sprintf("must be your own organisation (%d)", creator.OrgID)})
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

// oneTimePassword returns a random password of 26 base32 characters (130
// bits).
func oneTimePassword() string { return rand.Text() }

// handleUsers handles GET /api/v1/users: the users, by ID, optionally of
// one organisation. An exporter administrator sees only its organisation's
// users, and none of another organisation it asks for.
func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "org_id", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	var f annex.UserFilter
	if raw := q.Get("org_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			s.error(w, r, annex.Invalid(annex.FieldError{Field: "org_id", Message: fmt.Sprintf("must be an organisation ID, got %q", raw)}))
			return
		}
		f.OrgID = &id
	}
	var err error
	if f.Offset, f.Limit, err = paging(q); err != nil {
		s.error(w, r, err)
		return
	}
	if !scopeUsers(annex.UserFromContext(r.Context()), &f) {
		s.ok(w, r, userList{Users: []*annex.User{}})
		return
	}
	users, total, err := s.UserService.FindUsers(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if users == nil {
		users = []*annex.User{}
	}
	s.ok(w, r, userList{Total: total, Users: users})
}

// scopeUsers confines the filter of an exporter to its organisation's
// users, as the UserService does, and reports false when the filter asks
// for another organisation's, of which the exporter sees none.
func scopeUsers(u *annex.User, f *annex.UserFilter) bool {
	if !isExporter(u) {
		return true
	}
	if f.OrgID != nil && *f.OrgID != u.OrgID {
		return false
	}
	f.OrgID = &u.OrgID
	return true
}
