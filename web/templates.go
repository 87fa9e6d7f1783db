package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"annex"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageNames lists the page templates; each is parsed with layout.html.
var pageNames = []string{"home", "control_list", "entry", "classify", "capability", "login", "password", "error"}

// templates holds the parsed pages by name.
type templates struct {
	pages map[string]*template.Template
}

// mustParseTemplates parses every page with the layout, and panics if one
// is missing or broken.
func mustParseTemplates() *templates {
	t := &templates{pages: make(map[string]*template.Template, len(pageNames))}
	for _, name := range pageNames {
		p, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
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
}

func (s *Server) layout(r *http.Request, title string) layout {
	return layout{Title: title, User: annex.UserFromContext(r.Context()), Path: r.URL.Path}
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
	"result":     newResultView,
	"capVerdict": capabilityVerdict,
	"kepler":     keplerDifference,
	"payload300": payloadAt300Text,
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

// resultView is one classification on the classify page. The first result
// carries the id "verdict", later ones "verdict-1", "verdict-2" and so on;
// components carry none.
type resultView struct {
	C         *annex.Classification
	VerdictID string
}

func newResultView(i int, cl *annex.Classification) resultView {
	switch {
	case i < 0:
		return resultView{C: cl}
	case i == 0:
		return resultView{C: cl, VerdictID: "verdict"}
	}
	return resultView{C: cl, VerdictID: "verdict-" + strconv.Itoa(i)}
}
