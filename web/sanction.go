package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"annex"
)

// The roles of the sanctions register: analysts record transfers, make
// determinations, waivers and holds, as senior officers and administrators
// may; every authority role reads it. Exporters meet the register only
// through screening.
var (
	registerReaders = []annex.Role{annex.RoleAdmin, annex.RoleLicensingOfficer, annex.RoleReviewer,
		annex.RoleSeniorOfficer, annex.RoleAnalyst, annex.RoleCustoms}
	registerWriters = []annex.Role{annex.RoleAnalyst, annex.RoleSeniorOfficer, annex.RoleAdmin}
)

// entityList is the response of GET /api/v1/sanctions/entities.
type entityList struct {
	Total    int                     `json:"total"`
	Entities []*annex.SanctionEntity `json:"entities"`
}

// entityDetail is the response of GET /api/v1/sanctions/entities/{id}: the
// entity, its measures with their status on the day, and the transfers it
// took part in.
type entityDetail struct {
	Entity    *annex.SanctionEntity   `json:"entity"`
	Day       string                  `json:"day"`
	Measures  []measureView           `json:"measures"`
	Transfers []*annex.TransferReport `json:"transfers"`
}

// measureView is a measure with its status on a day.
type measureView struct {
	*annex.Measure
	Status annex.MeasureStatus `json:"status"`
}

// measureList is the response of GET /api/v1/sanctions/measures.
type measureList struct {
	Day      string        `json:"day"`
	Total    int           `json:"total"`
	Measures []measureView `json:"measures"`
}

// reportList is the response of GET /api/v1/sanctions/transfers.
type reportList struct {
	Total     int                     `json:"total"`
	Transfers []*annex.TransferReport `json:"transfers"`
}

// reportDetail is the response of GET /api/v1/sanctions/transfers/{id}.
type reportDetail struct {
	Transfer       *annex.TransferReport  `json:"transfer"`
	Determinations []*annex.Determination `json:"determinations"`
}

// determineRequest is the body of POST
// /api/v1/sanctions/transfers/{id}/determinations.
type determineRequest struct {
	// Date is the day of the determination; empty is today.
	Date  string   `json:"date"`
	Note  string   `json:"note"`
	Packs []string `json:"packs"`
}

// holdEnd is the body of POST /api/v1/sanctions/holds/{id}/end.
type holdEnd struct {
	Until string `json:"until"`
}

// today returns the server's day, YYYY-MM-DD.
func (s *Server) today() string {
	if s.AsOf != nil {
		return s.AsOf().UTC().Format(time.DateOnly)
	}
	return s.now().UTC().Format(time.DateOnly)
}

// queryDay reads an optional day parameter; empty is today.
func (s *Server) queryDay(q url.Values, name string) (string, error) {
	return parseDay(name, q.Get(name), s.today())
}

// parseDay reads a day written YYYY-MM-DD, given as the field; empty is
// def. Anything else is EINVALID naming the field.
func parseDay(field, raw, def string) (string, error) {
	day := strings.TrimSpace(raw)
	if day == "" {
		return def, nil
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", annex.Invalid(annex.FieldError{Field: field, Message: "must be a date written YYYY-MM-DD, got " + quoteText(day)})
	}
	return day, nil
}

func quoteText(s string) string { return `"` + s + `"` }

// handleDetermine handles POST /api/v1/sanctions/determine: the contract of
// annex sanctions determine, stored nowhere.
func (s *Server) handleDetermine(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	in, err := annex.DecodeDeterminationInput(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if annex.ErrorCode(err) == annex.EINTERNAL {
		err = bodyError(err)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.DeterminationService.Determine(r.Context(), *in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if res.Measures == nil {
		res.Measures = []annex.Measure{} // the contract's empty list, never null
	}
	w.Header().Set("Cache-Control", "no-store")
	s.ok(w, r, res)
}

// handleSanctionEntities handles GET /api/v1/sanctions/entities?q=&country=.
func (s *Server) handleSanctionEntities(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "q", "country", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	f := annex.SanctionEntityFilter{Query: q.Get("q"), Country: strings.ToUpper(q.Get("country"))}
	var err error
	if f.Offset, err = queryInt(q, "offset", 0, 1<<31-1); err == nil {
		f.Limit, err = queryInt(q, "limit", defaultLimit, maxLimit)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	es, total, err := s.SanctionService.FindSanctionEntities(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if es == nil {
		es = []*annex.SanctionEntity{}
	}
	s.ok(w, r, entityList{Total: total, Entities: es})
}

// handleCreateSanctionEntity handles POST /api/v1/sanctions/entities.
func (s *Server) handleCreateSanctionEntity(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var e annex.SanctionEntity
	if err := decodeJSON(w, r, &e); err != nil {
		s.error(w, r, err)
		return
	}
	e.ID = 0
	if err := s.SanctionService.CreateSanctionEntity(r.Context(), &e); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/sanctions/entities/"+itoa(e.ID))
	s.writeJSON(w, r, http.StatusCreated, "application/json", &e)
}

// handleSanctionEntity handles GET /api/v1/sanctions/entities/{id}?day=.
func (s *Server) handleSanctionEntity(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "day"); err != nil {
		s.error(w, r, err)
		return
	}
	day, err := s.queryDay(q, "day")
	if err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "entity")
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.entityDetail(r.Context(), id, day)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, d)
}

func (s *Server) entityDetail(ctx context.Context, id int64, day string) (*entityDetail, error) {
	e, err := s.SanctionService.FindSanctionEntityByID(ctx, id)
	if err != nil {
		return nil, err
	}
	ms, _, err := s.SanctionService.FindMeasures(ctx, annex.MeasureFilter{EntityID: id})
	if err != nil {
		return nil, err
	}
	ts, _, err := s.SanctionService.FindTransferReports(ctx, annex.TransferReportFilter{EntityID: id})
	if err != nil {
		return nil, err
	}
	if ts == nil {
		ts = []*annex.TransferReport{}
	}
	return &entityDetail{Entity: e, Day: day, Measures: measureViews(ms, day), Transfers: ts}, nil
}

func measureViews(ms []*annex.Measure, day string) []measureView {
	out := make([]measureView, len(ms))
	for i, m := range ms {
		out[i] = measureView{Measure: m, Status: m.Status(day)}
	}
	return out
}

// handleMeasures handles GET /api/v1/sanctions/measures?entity_id=&status=&day=:
// the register's measures, with their status on the day (today by default).
func (s *Server) handleMeasures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "entity_id", "determination_id", "status", "day", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	day, err := s.queryDay(q, "day")
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := annex.MeasureFilter{Day: day, Status: annex.MeasureStatus(q.Get("status"))}
	switch f.Status {
	case "", annex.MeasurePending, annex.MeasureActive, annex.MeasureExpired, annex.MeasureWaived:
	default:
		s.error(w, r, annex.Invalid(annex.FieldError{Field: "status", Message: "must be pending, active, expired or waived"}))
		return
	}
	var eid, did int
	if eid, err = queryInt(q, "entity_id", 0, 1<<31-1); err == nil {
		if did, err = queryInt(q, "determination_id", 0, 1<<31-1); err == nil {
			if f.Offset, err = queryInt(q, "offset", 0, 1<<31-1); err == nil {
				f.Limit, err = queryInt(q, "limit", defaultLimit, maxLimit)
			}
		}
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	f.EntityID, f.DeterminationID = int64(eid), int64(did)
	ms, total, err := s.SanctionService.FindMeasures(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, measureList{Day: day, Total: total, Measures: measureViews(ms, day)})
}

// handleTransfers handles GET /api/v1/sanctions/transfers?q=&entity_id=&from=&until=.
func (s *Server) handleTransfers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "q", "entity_id", "from", "until", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	f := annex.TransferReportFilter{Query: q.Get("q")}
	var err error
	var eid int
	if f.From, err = parseDay("from", q.Get("from"), ""); err == nil {
		f.Until, err = parseDay("until", q.Get("until"), "")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if eid, err = queryInt(q, "entity_id", 0, 1<<31-1); err == nil {
		if f.Offset, err = queryInt(q, "offset", 0, 1<<31-1); err == nil {
			f.Limit, err = queryInt(q, "limit", defaultLimit, maxLimit)
		}
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	f.EntityID = int64(eid)
	ts, total, err := s.SanctionService.FindTransferReports(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if ts == nil {
		ts = []*annex.TransferReport{}
	}
	s.ok(w, r, reportList{Total: total, Transfers: ts})
}

// handleCreateTransfer handles POST /api/v1/sanctions/transfers: the items
// are classified by the control list, and the report's category is the
// strictest of theirs (or the analyst's, where it is stricter or the items
// cannot be described).
func (s *Server) handleCreateTransfer(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var t annex.TransferReport
	if err := decodeJSON(w, r, &t); err != nil {
		s.error(w, r, err)
		return
	}
	t.ID = 0
	// Every field error at once: the report's, then the classifier's.
	fields := annex.ErrorFields(t.Validate())
	if err := t.Classify(r.Context(), s.ControlListService); err != nil {
		f := annex.ErrorFields(err)
		if len(f) == 0 {
			s.error(w, r, err)
			return
		}
		fields = append(fields, f...)
	}
	if len(fields) > 0 {
		s.error(w, r, annex.Invalid(fields...))
		return
	}
	if err := s.SanctionService.CreateTransferReport(r.Context(), &t); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/sanctions/transfers/"+itoa(t.ID))
	s.writeJSON(w, r, http.StatusCreated, "application/json", &t)
}

// handleTransfer handles GET /api/v1/sanctions/transfers/{id}.
func (s *Server) handleTransfer(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "transfer report")
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.reportDetail(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, d)
}

func (s *Server) reportDetail(ctx context.Context, id int64) (*reportDetail, error) {
	t, err := s.SanctionService.FindTransferReportByID(ctx, id)
	if err != nil {
		return nil, err
	}
	ds, err := s.SanctionService.FindDeterminations(ctx, id)
	if err != nil {
		return nil, err
	}
	if ds == nil {
		ds = []*annex.Determination{}
	}
	return &reportDetail{Transfer: t, Determinations: ds}, nil
}

// handleDetermineTransfer handles POST
// /api/v1/sanctions/transfers/{id}/determinations: it determines what the
// law requires of the reported transfer and records the determination, its
// measures entering the register at once.
func (s *Server) handleDetermineTransfer(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "transfer report")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var req determineRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.determineTransfer(r.Context(), id, req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/sanctions/determinations/"+itoa(d.ID))
	s.writeJSON(w, r, http.StatusCreated, "application/json", d)
}

func (s *Server) determineTransfer(ctx context.Context, id int64, req determineRequest) (*annex.Determination, error) {
	t, err := s.SanctionService.FindTransferReportByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if req.Date == "" {
		req.Date = s.today()
	}
	in := t.DeterminationInput(req.Date)
	in.Packs = req.Packs
	res, err := s.DeterminationService.Determine(ctx, in)
	if err != nil {
		return nil, err
	}
	if res.Measures == nil {
		res.Measures = []annex.Measure{}
	}
	res.LinkEntities(in)
	d := &annex.Determination{ReportID: t.ID, Input: in, Result: *res, Note: strings.TrimSpace(req.Note)}
	if err := s.SanctionService.CreateDetermination(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// handleDetermination handles GET /api/v1/sanctions/determinations/{id}.
func (s *Server) handleDetermination(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "determination")
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.SanctionService.FindDeterminationByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, d)
}

// handleWaivers handles GET /api/v1/sanctions/waivers.
func (s *Server) handleWaivers(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	ws, err := s.SanctionService.FindWaivers(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if ws == nil {
		ws = []*annex.Waiver{}
	}
	s.ok(w, r, map[string]any{"waivers": ws})
}

// handleCreateWaiver handles POST /api/v1/sanctions/waivers.
func (s *Server) handleCreateWaiver(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var wv annex.Waiver
	if err := decodeJSON(w, r, &wv); err != nil {
		s.error(w, r, err)
		return
	}
	wv.ID = 0
	if err := s.SanctionService.CreateWaiver(r.Context(), &wv); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/sanctions/waivers")
	s.writeJSON(w, r, http.StatusCreated, "application/json", &wv)
}

// handleHolds handles GET /api/v1/sanctions/holds.
func (s *Server) handleHolds(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	hs, err := s.SanctionService.FindHolds(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if hs == nil {
		hs = []*annex.Hold{}
	}
	s.ok(w, r, map[string]any{"holds": hs})
}

// handleCreateHold handles POST /api/v1/sanctions/holds.
func (s *Server) handleCreateHold(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var h annex.Hold
	if err := decodeJSON(w, r, &h); err != nil {
		s.error(w, r, err)
		return
	}
	h.ID = 0
	if err := s.SanctionService.CreateHold(r.Context(), &h); err != nil {
		s.error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, "application/json", &h)
}

// handleEndHold handles POST /api/v1/sanctions/holds/{id}/end: processing
// resumes after the day given.
func (s *Server) handleEndHold(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "hold")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var req holdEnd
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	h, err := s.SanctionService.EndHold(r.Context(), id, req.Until)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, h)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
