package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"annex"
)

// The groups of roles that the routes of case work admit. A route open to
// a group still leaves the finer decisions to the domain: NextStatus says
// which step of a case a user may take, NextLicenceStatus which change of a
// licence, and the stores show an exporter only its own organisation's
// records.
var (
	// exporterRoles prepare, submit and follow their organisation's
	// applications.
	exporterRoles = []annex.Role{annex.RoleExporterUser, annex.RoleExporterAdmin}
	// caseRoles read the authority's cases: officers work them, reviewers
	// advise on them, analysts study them.
	caseRoles = []annex.Role{annex.RoleLicensingOfficer, annex.RoleSeniorOfficer, annex.RoleReviewer, annex.RoleAnalyst}
	// applicationRoles read applications through the API: the exporters'
	// own, and the authority's case workers.
	applicationRoles = append(slices.Clone(exporterRoles), caseRoles...)
	// caseActors take the authority's steps of the case work.
	caseActors = []annex.Role{annex.RoleLicensingOfficer, annex.RoleSeniorOfficer, annex.RoleReviewer}
	// actionRoles take steps of the case work.
	actionRoles = append(slices.Clone(exporterRoles), annex.RoleLicensingOfficer, annex.RoleSeniorOfficer, annex.RoleReviewer)
	// officerRoles change licences.
	officerRoles = []annex.Role{annex.RoleLicensingOfficer, annex.RoleSeniorOfficer}
	// licenceRoles read licences: their holders, the officers who issue
	// them, customs who check them and analysts.
	licenceRoles = append(slices.Clone(exporterRoles), annex.RoleLicensingOfficer, annex.RoleSeniorOfficer, annex.RoleCustoms, annex.RoleAnalyst)
	// customsRoles record shipments.
	customsRoles = []annex.Role{annex.RoleCustoms}
	// adminRoles manage organisations and users.
	adminRoles = []annex.Role{annex.RoleAdmin}
	// userAdminRoles manage users: administrators everyone, exporter
	// administrators the exporter users and administrators of their own
	// organisation, which the UserService enforces too.
	userAdminRoles = []annex.Role{annex.RoleAdmin, annex.RoleExporterAdmin}
)

// roleTitles name the roles for people.
var roleTitles = map[annex.Role]string{
	annex.RoleAdmin:            "administrator",
	annex.RoleLicensingOfficer: "licensing officer",
	annex.RoleReviewer:         "reviewer",
	annex.RoleSeniorOfficer:    "senior officer",
	annex.RoleAnalyst:          "analyst",
	annex.RoleCustoms:          "customs officer",
	annex.RoleExporterUser:     "exporter",
	annex.RoleExporterAdmin:    "exporter administrator",
}

// roleTitle names a role for people.
func roleTitle(r annex.Role) string {
	if t, ok := roleTitles[r]; ok {
		return t
	}
	return string(r)
}

// only admits to a handler the signed-in users of the roles given, and
// refuses everyone else with EFORBIDDEN (EUNAUTHORIZED when signed out).
// It stands in the route table, so that the table says who may use each
// route.
func (s *Server) only(roles []annex.Role, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := annex.UserFromContext(r.Context())
		switch {
		case u == nil:
			s.error(w, r, annex.Errorf(annex.EUNAUTHORIZED, "Sign in first."))
		case !slices.Contains(roles, u.Role):
			titles := make([]string, len(roles))
			for i, role := range roles {
				titles[i] = roleTitle(role) + "s"
			}
			s.error(w, r, annex.Errorf(annex.EFORBIDDEN, "This is for %s; you are signed in as a %s.", joinWords(titles), roleTitle(u.Role)))
		default:
			h(w, r)
		}
	}
}

// joinWords joins words as people list them: "a, b and c".
func joinWords(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// isExporter reports whether the user belongs to an exporting organisation.
func isExporter(u *annex.User) bool { return u != nil && u.Role.IsExporter() }

// pathID reads the numeric ID of a path; anything else is not found.
func pathID(r *http.Request, what string) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, annex.Errorf(annex.ENOTFOUND, "There is no %s %q.", what, raw)
	}
	return id, nil
}

// now returns the time of the server's clock.
func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
