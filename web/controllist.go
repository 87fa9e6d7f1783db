package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"

	"annex"
)

// entryList is the response of GET /api/v1/control-list.
type entryList struct {
	Version *annex.ListVersionInfo `json:"version"`
	Total   int                    `json:"total"`
	Entries []*annex.Entry         `json:"entries"`
}

// kindList is the response of GET /api/v1/kinds.
type kindList struct {
	Version string        `json:"version"`
	Kinds   []*annex.Kind `json:"kinds"`
}

// handleEntries handles GET /api/v1/control-list: search the entries.
func (s *Server) handleEntries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "q", "param", "kind", "category", "version", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	f, err := entryFilter(q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	entries, total, err := s.ControlListService.FindEntries(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	info, err := s.versionInfo(r.Context(), f.Version)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if entries == nil {
		entries = []*annex.Entry{}
	}
	s.ok(w, r, entryList{Version: info, Total: total, Entries: entries})
}

// entryFilter parses the query of an entry search.
func entryFilter(q url.Values) (annex.EntryFilter, error) {
	f := annex.EntryFilter{
		Version:  q.Get("version"),
		Query:    q.Get("q"),
		Param:    q.Get("param"),
		Kind:     q.Get("kind"),
		Category: annex.Category(q.Get("category")),
	}
	switch f.Category {
	case "", annex.CategoryI, annex.CategoryII:
	default:
		return f, annex.Invalid(annex.FieldError{Field: "category", Message: fmt.Sprintf("must be I or II, got %q", f.Category)})
	}
	var err error
	if f.Offset, err = queryInt(q, "offset", 0, math.MaxInt32); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(q, "limit", defaultLimit, maxLimit); err != nil {
		return f, err
	}
	if f.Limit == 0 {
		f.Limit = defaultLimit
	}
	return f, nil
}

// versionInfo describes a version by ID, or the version in force for "".
func (s *Server) versionInfo(ctx context.Context, id string) (*annex.ListVersionInfo, error) {
	infos, err := s.ControlListService.FindVersions(ctx)
	if err != nil {
		return nil, err
	}
	for _, info := range infos {
		if (id == "" && info.Current) || (id != "" && info.ID == id) {
			return info, nil
		}
	}
	if id == "" {
		return nil, annex.Errorf(annex.ENOTFOUND, "No control list is in force.")
	}
	return nil, annex.Errorf(annex.ENOTFOUND, "List version %q not found.", id)
}

// handleEntry handles GET /api/v1/control-list/{id}.
func (s *Server) handleEntry(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "version"); err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.ControlListService.FindEntryByID(r.Context(), q.Get("version"), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, e)
}

// handleVersions handles GET /api/v1/control-list/versions.
func (s *Server) handleVersions(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	infos, err := s.ControlListService.FindVersions(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if infos == nil {
		infos = []*annex.ListVersionInfo{}
	}
	s.ok(w, r, infos)
}

// handleKinds handles GET /api/v1/kinds: the kinds of item a version knows,
// with their parameters.
func (s *Server) handleKinds(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "version"); err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.ControlListService.FindVersion(r.Context(), q.Get("version"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	kinds := v.Kinds
	if kinds == nil {
		kinds = []*annex.Kind{}
	}
	s.ok(w, r, kindList{Version: v.ID, Kinds: kinds})
}

// controlListPage is the data of /control-list: the whole list as a tree,
// and the results of a search.
type controlListPage struct {
	layout
	Version *annex.ListVersion
	Items   []*treeNode
	Params  []string
	Search  entrySearch
	// Searched is set when the query asked for a search.
	Searched bool
	Results  []*annex.Entry
	Total    int
	Err      string
}

// entrySearch is the search form of /control-list.
type entrySearch struct {
	Q, Param, Category string
}

// handleControlListPage handles GET /control-list.
func (s *Server) handleControlListPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, err := s.ControlListService.FindVersion(r.Context(), q.Get("version"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := controlListPage{
		layout:  s.layout(r, "Control list"),
		Version: v,
		Items:   buildTree(v.Entries),
		Params:  paramNames(v.Kinds),
		Search:  entrySearch{Q: q.Get("q"), Param: q.Get("param"), Category: q.Get("category")},
	}
	p.Searched = p.Search != entrySearch{}
	status := http.StatusOK
	if p.Searched {
		p.Results, p.Total, err = s.ControlListService.FindEntries(r.Context(), annex.EntryFilter{
			Version: v.ID, Query: p.Search.Q, Param: p.Search.Param,
			Category: annex.Category(p.Search.Category), Limit: maxLimit,
		})
		switch annex.ErrorCode(err) {
		case "":
		case annex.EINVALID:
			p.Err, status = annex.ErrorMessage(err), http.StatusUnprocessableEntity
		default:
			s.error(w, r, err)
			return
		}
	}
	s.render(w, r, status, "control_list", p)
}

// entryPage is the data of /control-list/{id}.
type entryPage struct {
	layout
	Version *annex.ListVersion
	Entry   *annex.Entry
	// Trail lists the entry's ancestors, the item first; Parent is the
	// last of them.
	Trail    []*annex.Entry
	Parent   *annex.Entry
	Children []*annex.Entry
	Matchers []matcherView
	Rules    []ruleView
	// Kinds are the kinds of item that can fall under the entry.
	Kinds   []*annex.Kind
	Sources []annex.Source
}

// handleEntryPage handles GET /control-list/{id}.
func (s *Server) handleEntryPage(w http.ResponseWriter, r *http.Request) {
	version := r.URL.Query().Get("version")
	e, err := s.ControlListService.FindEntryByID(r.Context(), version, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.ControlListService.FindVersion(r.Context(), version)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := entryPage{layout: s.layout(r, e.ID+" "+e.Title), Version: v, Entry: e}
	byID := make(map[string]*annex.Entry, len(v.Entries))
	for _, x := range v.Entries {
		byID[x.ID] = x
	}
	for id := e.Parent; id != "" && byID[id] != nil; id = byID[id].Parent {
		p.Trail = append([]*annex.Entry{byID[id]}, p.Trail...)
	}
	if len(p.Trail) > 0 {
		p.Parent = p.Trail[len(p.Trail)-1]
	}
	for _, id := range e.Children {
		if c := byID[id]; c != nil {
			p.Children = append(p.Children, c)
		}
	}
	kinds := kindIndex(v.Kinds)
	p.Matchers, p.Kinds = matcherViews(e, kinds)
	p.Rules = ruleViews(e, kinds)
	p.Sources = citedSources(e.Source, v.Sources)
	s.render(w, r, http.StatusOK, "entry", p)
}
