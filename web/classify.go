package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// handleClassify handles POST /api/v1/classify. The body is one item or an
// array of items, as the CLI reads them; the response is one classification
// or an array, to match.
func (s *Server) handleClassify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "version"); err != nil {
		s.error(w, r, err)
		return
	}
	items, single, err := annex.DecodeItems(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		if annex.ErrorCode(err) == annex.EINTERNAL {
			err = bodyError(err)
		}
		s.error(w, r, err)
		return
	}
	cls, err := s.ControlListService.Classify(r.Context(), q.Get("version"), items)
	switch {
	case err != nil:
		s.error(w, r, err)
	case len(cls) != len(items):
		s.error(w, r, annex.Errorf(annex.EINTERNAL, "classify: %d classifications for %d items", len(cls), len(items)))
	case single:
		s.ok(w, r, cls[0])
	default:
		s.ok(w, r, cls)
	}
}

// classifyPage is the data of /classify: the form, and the results of a
// submission.
type classifyPage struct {
	layout
	Kinds []*annex.Kind
	// Kind is the chosen kind, whose parameters the form shows.
	Kind   *annex.Kind
	Name   string
	Fields []paramField
	// KindError is the error about the kind, if any.
	KindError string
	// JSON is the pasted items; JSONMode is set when they were submitted.
	JSON     string
	JSONMode bool
	// Message summarises a failed submission; Errors lists the errors that
	// belong to no input of the form.
	Message string
	Errors  []annex.FieldError
	Results []resultView
}

// paramField is one parameter input of the classify form.
type paramField struct {
	Param *annex.Param
	// ID is the input's id; Name is its form name, the parameter's path in
	// an item ("params.total_impulse_ns"), which error fields name too.
	ID, Name, Value, Error string
	// Options are the choices of a boolean or enumerated parameter.
	Options []string
}

// handleClassifyPage handles GET /classify: the form, for ?kind= if given.
func (s *Server) handleClassifyPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.ControlListService.FindVersion(r.Context(), "")
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.classifyPage(r, v, r.URL.Query().Get("kind"), nil)
	status := http.StatusOK
	if name := r.URL.Query().Get("kind"); name != "" && p.Kind == nil {
		p.KindError, status = "unknown kind "+strconv.Quote(name), http.StatusNotFound
	}
	s.render(w, r, status, "classify", p)
}

// handleClassifyForm handles POST /classify: classify the item of the form,
// or the pasted JSON, and show the results or the errors.
func (s *Server) handleClassifyForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	v, err := s.ControlListService.FindVersion(r.Context(), "")
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := r.PostForm
	p := s.classifyPage(r, v, form.Get("kind"), form)
	var items []annex.Item
	if form.Has("json") {
		p.JSON, p.JSONMode = form.Get("json"), true
		items, _, err = annex.DecodeItems(strings.NewReader(p.JSON))
	} else {
		items, err = formItems(form, p.Kind)
	}
	var cls []*annex.Classification
	if err == nil {
		cls, err = s.ControlListService.Classify(r.Context(), v.ID, items)
	}
	if annex.ErrorCode(err) == annex.EINVALID {
		p.setErrors(err)
		s.render(w, r, http.StatusUnprocessableEntity, "classify", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	p.Results = resultViews(cls, items)
	s.render(w, r, http.StatusOK, "classify", p)
}

// classifyPage builds the form for a kind, filled from form values if given.
func (s *Server) classifyPage(r *http.Request, v *annex.ListVersion, kind string, form url.Values) classifyPage {
	p := classifyPage{layout: s.layout(r, "Classify an item"), Kinds: v.Kinds, Name: form.Get("name")}
	i := slices.IndexFunc(v.Kinds, func(k *annex.Kind) bool { return k.Name == kind })
	if i < 0 {
		return p
	}
	p.Kind = v.Kinds[i]
	for _, prm := range p.Kind.Params {
		f := paramField{Param: prm, ID: "param-" + prm.Name, Name: "params." + prm.Name, Value: form.Get("params." + prm.Name)}
		switch {
		case prm.Type == annex.TypeBool:
			f.Options = []string{"", "true", "false"}
		case len(prm.Enum) > 0:
			f.Options = append([]string{""}, prm.Enum...)
		}
		p.Fields = append(p.Fields, f)
	}
	return p
}

// setErrors puts each field error next to its input, or in the list of
// errors when no input has its path.
func (p *classifyPage) setErrors(err error) {
	p.Message = "The item could not be classified: correct the fields marked below."
	for _, fe := range annex.ErrorFields(err) {
		i := slices.IndexFunc(p.Fields, func(f paramField) bool { return f.Name == fe.Field })
		switch {
		case p.JSONMode || fe.Field == "":
			p.Errors = append(p.Errors, fe)
		case fe.Field == "kind":
			p.KindError = fe.Message
		case i >= 0:
			p.Fields[i].Error = fe.Message
		default:
			p.Errors = append(p.Errors, fe)
		}
	}
	if len(annex.ErrorFields(err)) == 0 {
		p.Message = annex.ErrorMessage(err)
	}
}

// formItems reads the item of the classify form. Empty inputs are left out.
// Numbers and booleans are parsed here, so that a mistyped number is named
// as such; the classifier checks everything else, unknown parameters
// included.
func formItems(form url.Values, k *annex.Kind) ([]annex.Item, error) {
	it := annex.Item{Name: strings.TrimSpace(form.Get("name")), Kind: form.Get("kind")}
	var errs []annex.FieldError
	for key, vs := range form {
		name, ok := strings.CutPrefix(key, "params.")
		raw := strings.TrimSpace(vs[0])
		if !ok || raw == "" {
			continue
		}
		if it.Params == nil {
			it.Params = make(map[string]any)
		}
		var prm *annex.Param
		if k != nil {
			prm = findParam([]*annex.Kind{k}, name)
		}
		switch {
		case prm == nil || prm.Type == annex.TypeString:
			it.Params[name] = raw
		case prm.Type == annex.TypeNumber:
			f, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				errs = append(errs, annex.FieldError{Field: key, Message: "must be a number, as 1.2e6 or 1200000"})
				continue
			}
			it.Params[name] = f
		case prm.Type == annex.TypeBool:
			b, err := strconv.ParseBool(raw)
			if err != nil {
				errs = append(errs, annex.FieldError{Field: key, Message: "must be true or false"})
				continue
			}
			it.Params[name] = b
		}
	}
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b annex.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return nil, annex.Invalid(errs...)
	}
	return []annex.Item{it}, nil
}
