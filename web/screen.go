package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// Limits of screening requests.
const (
	// defaultScreenLimit is how many matches a query returns when the
	// request does not say.
	defaultScreenLimit = 10
	// maxScreenLimit caps the matches of one query.
	maxScreenLimit = 100
	// maxBatchQueries caps the queries of one batch.
	maxBatchQueries = 1000
)

// screenParams are the query parameters of GET /api/v1/screen, in the order
// error messages list them.
var screenParams = []string{"name", "type", "country", "dob", "id", "threshold", "limit"}

// screenInput is one screening request as read from a query string or a
// form: the party, the threshold (0: the calibrated default) and how many
// matches to return.
type screenInput struct {
	Query     annex.ScreenQuery
	Threshold float64
	Limit     int
}

// screenBatchRequest is the body of POST /api/v1/screen.
type screenBatchRequest struct {
	Queries []annex.ScreenQuery `json:"queries"`
	// Threshold and Limit apply to every query; zero means the default.
	Threshold float64 `json:"threshold,omitempty"`
	Limit     int     `json:"limit,omitempty"`
}

// screenBatchResponse is the response of POST /api/v1/screen: one result
// per query, in the order of the queries.
type screenBatchResponse struct {
	Results []*annex.ScreenResult `json:"results"`
}

// handleScreen handles GET /api/v1/screen: screen one party against the
// loaded lists. Unknown query parameters are refused, so that a misspelt
// "contry" is not silently ignored.
func (s *Server) handleScreen(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, screenParams...); err != nil {
		s.error(w, r, err)
		return
	}
	in, err := parseScreenValues(q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.ScreenService.Screen(r.Context(), in.Query, in.Threshold, in.Limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// Party names are business secrets, and a list change changes the answer.
	w.Header().Set("Cache-Control", "no-store")
	s.ok(w, r, screenResult(res))
}

// handleScreenBatch handles POST /api/v1/screen: screen up to
// maxBatchQueries parties, answering in their order. One invalid query
// refuses the whole batch, naming its path ("queries[3].name").
func (s *Server) handleScreenBatch(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var req screenBatchRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if err := req.validate(); err != nil {
		s.error(w, r, err)
		return
	}
	limit := req.Limit
	if limit == 0 {
		limit = defaultScreenLimit
	}
	resp := screenBatchResponse{Results: make([]*annex.ScreenResult, len(req.Queries))}
	for i, q := range req.Queries {
		res, err := s.ScreenService.Screen(r.Context(), q, req.Threshold, limit)
		if err != nil {
			s.error(w, r, err)
			return
		}
		resp.Results[i] = screenResult(res)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.ok(w, r, resp)
}

// validate checks the batch and normalises its queries, naming every
// invalid field by its path.
func (req *screenBatchRequest) validate() error {
	var errs []annex.FieldError
	switch n := len(req.Queries); {
	case n == 0:
		errs = append(errs, annex.FieldError{Field: "queries", Message: "required: give at least one query"})
	case n > maxBatchQueries:
		errs = append(errs, annex.FieldError{Field: "queries", Message: fmt.Sprintf("at most %d queries, got %d", maxBatchQueries, n)})
	}
	if !validThreshold(req.Threshold) {
		errs = append(errs, annex.FieldError{Field: "threshold", Message: fmt.Sprintf("must be from 0 to 1, got %v", req.Threshold)})
	}
	if req.Limit < 0 || req.Limit > maxScreenLimit {
		errs = append(errs, annex.FieldError{Field: "limit", Message: fmt.Sprintf("must be from 1 to %d, got %d", maxScreenLimit, req.Limit)})
	}
	if len(req.Queries) <= maxBatchQueries {
		for i := range req.Queries {
			errs = append(errs, checkScreenQuery(&req.Queries[i], fmt.Sprintf("queries[%d].", i))...)
		}
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

// parseScreenValues reads a screening request from query or form values:
// name (required), type, country, dob, id, threshold and limit. Values
// other than those are ignored here; the API refuses them beforehand.
func parseScreenValues(v url.Values) (screenInput, error) {
	in := screenInput{
		Query: annex.ScreenQuery{
			Name:    v.Get("name"),
			Type:    annex.EntityType(strings.TrimSpace(v.Get("type"))),
			Country: v.Get("country"),
			DOB:     v.Get("dob"),
			ID:      v.Get("id"),
		},
		Limit: defaultScreenLimit,
	}
	errs := checkScreenQuery(&in.Query, "")
	if raw := strings.TrimSpace(v.Get("threshold")); raw != "" {
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || !validThreshold(f) {
			errs = append(errs, annex.FieldError{Field: "threshold", Message: fmt.Sprintf("must be a number from 0 to 1, got %q", raw)})
		}
		in.Threshold = f
	}
	if raw := strings.TrimSpace(v.Get("limit")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxScreenLimit {
			errs = append(errs, annex.FieldError{Field: "limit", Message: fmt.Sprintf("must be a whole number from 1 to %d, got %q", maxScreenLimit, raw)})
		}
		in.Limit = n
	}
	if len(errs) > 0 {
		return in, annex.Invalid(errs...)
	}
	return in, nil
}

// validThreshold reports whether f is a threshold: from 0 (the default)
// to 1.
func validThreshold(f float64) bool { return f >= 0 && f <= 1 && !math.IsNaN(f) }

// checkScreenQuery trims the query's fields, upper-cases its country, and
// checks them as the fields of a party are checked, returning the errors
// with their paths under prefix ("queries[3].").
func checkScreenQuery(q *annex.ScreenQuery, prefix string) []annex.FieldError {
	q.Name = strings.TrimSpace(q.Name)
	q.Country = strings.ToUpper(strings.TrimSpace(q.Country))
	q.DOB = strings.TrimSpace(q.DOB)
	q.ID = strings.TrimSpace(q.ID)
	p := annex.Party{Name: q.Name, Type: q.Type, Country: q.Country, DOB: q.DOB, IDNumber: q.ID}
	errs := annex.ErrorFields(p.Validate())
	for i := range errs {
		if errs[i].Field == "id_number" {
			errs[i].Field = "id"
		}
		errs[i].Field = prefix + errs[i].Field
	}
	return errs
}

// screenResult returns the result with empty lists rather than nulls, as
// the API documents them.
func screenResult(res *annex.ScreenResult) *annex.ScreenResult {
	out := *res
	out.Matches = slices.Clone(res.Matches)
	if out.Matches == nil {
		out.Matches = []annex.ScreenMatch{}
	}
	for i := range out.Matches {
		if out.Matches[i].Explanation == nil {
			out.Matches[i].Explanation = []annex.ScorePiece{}
		}
	}
	return &out
}

// handleLists handles GET /api/v1/lists: the active snapshot of each list
// loaded, without its entities.
func (s *Server) handleLists(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	snaps, err := s.activeLists(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, snaps)
}

// activeLists returns the active snapshots, never nil.
func (s *Server) activeLists(r *http.Request) ([]*annex.ListSnapshot, error) {
	snaps, _, err := s.ListStore.FindSnapshots(r.Context(), annex.ListSnapshotFilter{ActiveOnly: true, Limit: maxLimit})
	if err != nil {
		return nil, err
	}
	if snaps == nil {
		snaps = []*annex.ListSnapshot{}
	}
	return snaps, nil
}
