package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"annex"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageNames lists the page templates; each is parsed with layout.html.
var pageNames = []string{"home", "control_list", "entry", "classify", "capability", "login", "password", "error",
	"screen", "lists", "parties", "party", "alerts", "applications", "application_form", "application", "cases", "case",
	"licences", "licence", "organisations", "users", "register", "register_entity", "register_transfer", "register_transfer_new", "sanctions_report",
	"denials", "denial", "consultations"}

// pagePartials names the templates, other than the layout, that a page
// uses: screening.html draws hits, decisions and decision forms;
// classification.html a classification; casework.html the assessment and
// the history of a case.
var pagePartials = map[string][]string{
	"screen":      {"screening"},
	"party":       {"screening"},
	"alerts":      {"screening"},
	"classify":    {"classification"},
	"application": {"classification", "casework"},
	"case":        {"classification", "casework"},
}

// templates holds the parsed pages by name.
type templates struct {
	pages map[string]*template.Template
}

// mustParseTemplates parses every page with the layout, and panics if one
// is missing or broken.
func mustParseTemplates() *templates {
	t := &templates{pages: make(map[string]*template.Template, len(pageNames))}
	for _, name := range pageNames {
		files := []string{"templates/layout.html"}
		for _, partial := range pagePartials[name] {
			files = append(files, "templates/"+partial+".html")
		}
		p, err := template.New(name).Funcs(funcs).ParseFS(templateFS, append(files, "templates/"+name+".html")...)
		if err != nil {
			panic(fmt.Sprintf("web: parse template %s: %v", name, err))
		}
		t.pages[name] = p
	}
	return t
}

// layout is the data the shared layout needs; every page struct embeds it.
type layout struct {
	Title string
	User  *annex.User
	// Path is the request path, to mark the current navigation link.
	Path string
	// Nav are the links of the user's role.
	Nav []navLink
}

// navLink is a link of the navigation; it is current on the pages whose
// path starts with Href.
type navLink struct{ Href, Label string }

func (s *Server) layout(r *http.Request, title string) layout {
	u := annex.UserFromContext(r.Context())
	return layout{Title: title, User: u, Path: r.URL.Path, Nav: roleNav(u)}
}

// roleNav returns the links of case work for the user's role.
func roleNav(u *annex.User) []navLink {
	if u == nil || u.MustChangePassword {
		return nil
	}
	var nav []navLink
	switch {
	case isExporter(u):
		nav = append(nav, navLink{"/applications", "Applications"})
	case slices.Contains(caseRoles, u.Role):
		nav = append(nav, navLink{"/cases", "Cases"})
	}
	if slices.Contains(licenceRoles, u.Role) {
		nav = append(nav, navLink{"/licences", "Licences"})
	}
	if slices.Contains(registerReaders, u.Role) {
		nav = append(nav, navLink{"/register", "Register"})
	}
	if slices.Contains(denialReaders, u.Role) {
		nav = append(nav, navLink{"/denials", "Denials"})
	}
	switch {
	case slices.Contains(adminRoles, u.Role):
		nav = append(nav, navLink{"/admin/organisations", "Organisations"}, navLink{"/admin/users", "Users"})
	case slices.Contains(userAdminRoles, u.Role):
		// An exporter administrator's own organisation's users.
		nav = append(nav, navLink{"/admin/users", "Users"})
	}
	return nav
}

// render executes a page into a buffer and writes it only on success, so a
// failed render never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	t := s.pages.pages[name]
	if t == nil {
		panic("web: no page template " + name)
	}
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.logger().ErrorContext(r.Context(), "render page",
			slog.String("page", name), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// handleStatic serves the embedded stylesheet and script. Directories are
// not listed.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/") {
		s.error(w, r, annex.Errorf(annex.ENOTFOUND, "There is nothing at %s.", r.URL.Path))
		return
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		s.error(w, r, fmt.Errorf("static files: %w", err))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	http.StripPrefix("/static/", http.FileServerFS(sub)).ServeHTTP(w, r)
}

// funcs are the helpers templates may call.
var funcs = template.FuncMap{
	"num":        annex.FormatNumber,
	"value":      annex.FormatValue,
	"si":         fmtSI,
	"op":         annex.Op.Symbol,
	"verdict":    verdict,
	"catClass":   catClass,
	"effect":     effectText,
	"conf":       confidenceText,
	"join":       func(s []string) string { return strings.Join(s, ", ") },
	"hasPrefix":  strings.HasPrefix,
	"capVerdict": capabilityVerdict,
	"kepler":     keplerDifference,
	"payload300": payloadAt300Text,
	"noteLabel":  noteLabel,
	"score":      scoreText,
	"piece":      pieceText,
	"shortHash":  shortHash,
	"decided":    decisionText,
	"datetime":   datetimeText,
	"sourceName": sourceName,
	"status":     statusText,
	"rec":        recommendationText,
	"recClass":   recClass,
	"presume":    presumptionText,
	"dept":       departmentText,
	"decision":   decisionTypeText,
	"adviceType": adviceTypeText,
	"licStatus":  licenceStatusText,
	"role":       roleTitle,
	"date":       dateText,
	"plusOne":    plusOne,
	"subject":    subjectText,
	"lines":      func(s []string) string { return strings.Join(s, "\n") },
	"field":      textInput,
	"check":      checkInput,
	"cell":       cellInput,
	"area":       areaInput,
	"shipField":  shipmentInput,
}

// datetimeText formats a time in UTC to the minute: "2026-11-27 09:00 UTC".
func datetimeText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }

// sourceNames are the names of the screening lists, for people.
var sourceNames = map[annex.ListSource]string{
	annex.SourceUN:            "UN Security Council consolidated list",
	annex.SourceOFACSDN:       "OFAC Specially Designated Nationals",
	annex.SourceUSCSL:         "US Consolidated Screening List",
	annex.SourceBISDPL:        "BIS Denied Persons List",
	annex.SourceEU:            "EU consolidated financial sanctions",
	annex.SourceUK:            "UK sanctions list",
	annex.SourceOpenSanctions: "OpenSanctions",
	annex.SourceRegister:      "Annex sanctions register",
}

// sourceName names a list for people, or returns its code.
func sourceName(s annex.ListSource) string {
	if name, ok := sourceNames[s]; ok {
		return name
	}
	return string(s)
}

// fmtSI formats an optional SI value.
func fmtSI(v *float64, unit string) string {
	if v == nil {
		return ""
	}
	return annex.FormatValue(annex.Number(*v), unit)
}

// verdict names the outcome of a classification.
func verdict(cl *annex.Classification) string {
	switch cl.Status {
	case annex.StatusControlled:
		return "Controlled: Category " + string(cl.Category)
	case annex.StatusIncomplete:
		return "Incomplete"
	}
	return "Not listed"
}

// catClass is the CSS class of a category badge.
func catClass(c annex.Category) string {
	switch c {
	case annex.CategoryI:
		return "cat cat-1"
	case annex.CategoryII:
		return "cat cat-2"
	}
	return "cat cat-none"
}

// effectText describes what a rule does.
func effectText(e annex.RuleEffect) string {
	switch e {
	case annex.EffectExclude:
		return "Exclusion"
	case annex.EffectCategoryII:
		return "Exception: may be treated as Category II"
	case annex.EffectAdvisory:
		return "Advisory"
	}
	return string(e)
}

// noteLabel names the type of a note on a classification.
func noteLabel(t annex.NoteType) string {
	switch t {
	case annex.NoteAdvisory:
		return "Advisory"
	case annex.NoteExcluded:
		return "Excluded"
	case annex.NoteUntested:
		return "Not tested"
	case annex.NoteUndecided:
		return "Undecided"
	case annex.NoteIncorporation:
		return "Incorporated item"
	case annex.NoteCatchAll:
		return "Catch-all"
	case annex.NoteAssumed:
		return "Assumed value"
	case annex.NoteCapability:
		return "Flight model"
	}
	return string(t)
}

// resultView is one classification on the classify page, with what the
// page needs of the item classified.
type resultView struct {
	C *annex.Classification
	// VerdictID is the id of the verdict: "verdict" for the first result,
	// "verdict-1", "verdict-2" and so on for later ones, none for
	// components.
	VerdictID string
	// Missile is the item's missile spec as JSON, which the link to the
	// full capability analysis posts; empty when the item gave none.
	Missile    string
	Components []resultView
}

// resultViews pairs classifications with the items they classify.
func resultViews(cls []*annex.Classification, items []annex.Item) []resultView {
	out := make([]resultView, len(cls))
	for i, cl := range cls {
		id := "verdict"
		if i > 0 {
			id += "-" + strconv.Itoa(i)
		}
		var it *annex.Item
		if i < len(items) {
			it = &items[i]
		}
		out[i] = newResultView(cl, it, id)
	}
	return out
}

// newResultView pairs a classification with its item, which may be nil, and
// its components with the item's components.
func newResultView(cl *annex.Classification, it *annex.Item, verdictID string) resultView {
	v := resultView{C: cl, VerdictID: verdictID}
	if it != nil && it.Missile != nil {
		if b, err := json.Marshal(it.Missile); err == nil {
			v.Missile = string(b)
		}
	}
	for i, sub := range cl.Components {
		var si *annex.Item
		if it != nil && i < len(it.Components) {
			si = &it.Components[i]
		}
		v.Components = append(v.Components, newResultView(sub, si, ""))
	}
	return v
}
