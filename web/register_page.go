package web

import (
	"bytes"
	"cmp"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"annex"
)

// registerPage is the data of /register: the measures with their status on
// the day, the policy holds, the waivers and the transfer reports.
type registerPage struct {
	layout
	Day string
	// Status filters the measures; empty shows all.
	Status   string
	Statuses []annex.MeasureStatus
	Measures []measureRow
	Holds    []holdView
	Waivers  []*annex.Waiver
	// Query searches the entities; Entities are the results.
	Query    string
	Entities []*annex.SanctionEntity
	// FoundTransfers are the transfer reports whose reference or title
	// matches the query.
	FoundTransfers []*annex.TransferReport
	Searched       bool
	Transfers      []*annex.TransferReport
	Periods        []string
	CanWrite       bool
	// HoldForm is the hold being entered when it failed validation.
	HoldForm   annex.Hold
	HoldErrors map[string]string
	Message    string
}

// measureRow is a line of the register page: the measures of the same
// kind on the same entity, over the same days and with the same status,
// from one determination or several (a supplier of several transfers).
type measureRow struct {
	measureView
	Determinations int
}

// measureRows groups the measures into the page's lines, in their order.
func measureRows(ms []measureView) []measureRow {
	type key struct {
		entity                 int64
		name                   string
		kind                   annex.MeasureKind
		start, end, waivedFrom string
		status                 annex.MeasureStatus
	}
	var rows []measureRow
	at := map[key]int{}
	for _, m := range ms {
		k := key{m.EntityID, m.Entity, m.Measure.Measure, m.Start, m.End, m.WaivedFrom, m.Status}
		if i, ok := at[k]; ok {
			rows[i].Determinations++
			continue
		}
		at[k] = len(rows)
		rows = append(rows, measureRow{measureView: m, Determinations: 1})
	}
	// Those in force first, then by entity and measure.
	slices.SortStableFunc(rows, func(a, b measureRow) int {
		return cmp.Or(cmp.Compare(slices.Index(measureStatuses, a.Status), slices.Index(measureStatuses, b.Status)),
			cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.Measure.Measure, b.Measure.Measure), cmp.Compare(a.Start, b.Start))
	})
	return rows
}

// holdView is a hold with whether it is in force on the day.
type holdView struct {
	*annex.Hold
	InForce bool
}

var measureStatuses = []annex.MeasureStatus{annex.MeasureActive, annex.MeasurePending, annex.MeasureWaived, annex.MeasureExpired}

// handleRegisterPage handles GET /register?status=&q=&day=.
func (s *Server) handleRegisterPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.registerPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "register", p)
}

func (s *Server) registerPage(r *http.Request) (*registerPage, error) {
	q := r.URL.Query()
	day, err := s.queryDay(q, "day")
	if err != nil {
		return nil, err
	}
	u := annex.UserFromContext(r.Context())
	p := &registerPage{layout: s.layout(r, "Sanctions register"), Day: day, Statuses: measureStatuses,
		Status: q.Get("status"), Query: strings.TrimSpace(q.Get("q")), CanWrite: u != nil && slices.Contains(registerWriters, u.Role)}
	if p.Status != "" && !slices.Contains(measureStatuses, annex.MeasureStatus(p.Status)) {
		return nil, annex.Invalid(annex.FieldError{Field: "status", Message: "must be active, pending, waived or expired"})
	}
	ctx := r.Context()
	ms, _, err := s.SanctionService.FindMeasures(ctx, annex.MeasureFilter{Day: day, Status: annex.MeasureStatus(p.Status), Limit: maxLimit})
	if err != nil {
		return nil, err
	}
	p.Measures = measureRows(measureViews(ms, day))
	hs, err := s.SanctionService.FindHolds(ctx)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		p.Holds = append(p.Holds, holdView{Hold: h, InForce: h.Active(day)})
	}
	if p.Waivers, err = s.SanctionService.FindWaivers(ctx); err != nil {
		return nil, err
	}
	if p.Query != "" {
		p.Searched = true
		if p.Entities, _, err = s.SanctionService.FindSanctionEntities(ctx, annex.SanctionEntityFilter{Query: p.Query, Limit: 50}); err != nil {
			return nil, err
		}
		if p.FoundTransfers, _, err = s.SanctionService.FindTransferReports(ctx, annex.TransferReportFilter{Query: p.Query, Limit: 50}); err != nil {
			return nil, err
		}
	}
	if p.Transfers, _, err = s.SanctionService.FindTransferReports(ctx, annex.TransferReportFilter{Limit: 50}); err != nil {
		return nil, err
	}
	p.Periods = reportPeriods(day, p.Transfers)
	return p, nil
}

// reportPeriods lists the half-years to offer reports for: the current one
// and those of the transfers on record, newest first.
func reportPeriods(day string, ts []*annex.TransferReport) []string {
	seen := map[string]bool{}
	add := func(d string) {
		if len(d) < 7 {
			return
		}
		h := "H1"
		if d[5:7] > "06" {
			h = "H2"
		}
		seen[d[:4]+h] = true
	}
	add(day)
	for _, t := range ts {
		add(t.Date)
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// entityPage is the data of /register/entities/{id}.
type entityPage struct {
	layout
	*entityDetail
}

// handleEntityPage handles GET /register/entities/{id}?day=.
func (s *Server) handleEntityPage(w http.ResponseWriter, r *http.Request) {
	day, err := s.queryDay(r.URL.Query(), "day")
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
	s.render(w, r, http.StatusOK, "register_entity", entityPage{layout: s.layout(r, d.Entity.Name), entityDetail: d})
}

// transferPage is the data of /register/transfers/{id}.
type transferPage struct {
	layout
	*reportDetail
	Day string
	// Packs are the rule packs the determination form offers.
	Packs []RulePack
}

// handleTransferPage handles GET /register/transfers/{id}.
func (s *Server) handleTransferPage(w http.ResponseWriter, r *http.Request) {
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
	s.render(w, r, http.StatusOK, "register_transfer", transferPage{layout: s.layout(r, d.Transfer.Reference), reportDetail: d, Day: s.today(), Packs: s.rulePacks()})
}

// buildSanctionsReport builds the half-yearly report of a period, as
// "2000H2", from the whole register: every record is read, with no page
// limit, so that the report is never cut short.
func (s *Server) buildSanctionsReport(ctx context.Context, period string) (*annex.SanctionsReport, error) {
	ts, _, err := s.SanctionService.FindTransferReports(ctx, annex.TransferReportFilter{})
	if err != nil {
		return nil, err
	}
	es, _, err := s.SanctionService.FindSanctionEntities(ctx, annex.SanctionEntityFilter{})
	if err != nil {
		return nil, err
	}
	ms, _, err := s.SanctionService.FindMeasures(ctx, annex.MeasureFilter{})
	if err != nil {
		return nil, err
	}
	ws, err := s.SanctionService.FindWaivers(ctx)
	if err != nil {
		return nil, err
	}
	hs, err := s.SanctionService.FindHolds(ctx)
	if err != nil {
		return nil, err
	}
	return annex.BuildSanctionsReport(period, s.today(), ts, es, ms, ws, hs)
}

// reportPage is the data of /register/report.
type reportPage struct {
	layout
	Report *annex.SanctionsReport
	Period string
	Chart  template.HTML
	Query  string
}

// handleSanctionsReportPage handles GET /register/report?period=2000H2&format=:
// the half-yearly report of transfers and sanctions as a page with its
// timeline chart, or as CSV or PDF.
func (s *Server) handleSanctionsReportPage(w http.ResponseWriter, r *http.Request) {
	s.sanctionsReport(w, r, "html")
}

// handleSanctionsReport handles GET /api/v1/sanctions/report?period=&format=:
// the report as JSON (default), CSV or PDF.
func (s *Server) handleSanctionsReport(w http.ResponseWriter, r *http.Request) {
	s.sanctionsReport(w, r, "json")
}

func (s *Server) sanctionsReport(w http.ResponseWriter, r *http.Request, def string) {
	q := r.URL.Query()
	if err := checkQuery(q, "period", "format"); err != nil {
		s.error(w, r, err)
		return
	}
	period := strings.TrimSpace(q.Get("period"))
	if period == "" {
		period = reportPeriods(s.today(), nil)[0]
	}
	format := q.Get("format")
	if format == "" {
		format = def
	}
	// The page offers html, the API json; both offer csv and pdf.
	if !slices.Contains([]string{def, "csv", "pdf"}, format) {
		s.error(w, r, annex.Invalid(annex.FieldError{Field: "format", Message: "must be " + def + ", csv or pdf"}))
		return
	}
	rep, err := s.buildSanctionsReport(r.Context(), period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	name := "annex-sanctions-" + strings.ReplaceAll(rep.Period, " ", "-")
	switch format {
	case "json":
		s.ok(w, r, rep)
	case "csv":
		var buf bytes.Buffer
		if err := rep.WriteCSV(&buf); err != nil {
			s.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		w.Write(buf.Bytes())
	case "pdf":
		var buf bytes.Buffer
		if err := WriteReportPDF(&buf, rep, "Annex export-control authority"); err != nil {
			s.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
		w.Write(buf.Bytes())
	default:
		p := reportPage{layout: s.layout(r, "Transfers and sanctions, "+rep.Period), Report: rep, Period: period,
			Chart: TimelineSVG(rep.TimelineEvents(), rep.From, rep.Until), Query: url.QueryEscape(period)}
		s.render(w, r, http.StatusOK, "sanctions_report", p)
	}
}

// handleHoldForm handles POST /register/holds: a policy hold entered by an
// analyst; errors show on the register page by field.
func (s *Server) handleHoldForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	h := annex.Hold{Country: r.PostForm.Get("country"), Class: strings.TrimSpace(r.PostForm.Get("class")),
		Reason: r.PostForm.Get("reason"), From: r.PostForm.Get("from"), Until: r.PostForm.Get("until"),
		Effect: annex.Recommendation(r.PostForm.Get("effect"))}
	err := s.SanctionService.CreateHold(r.Context(), &h)
	if fields := annex.ErrorFields(err); len(fields) > 0 {
		p, perr := s.registerPage(r)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		p.HoldForm, p.HoldErrors = h, map[string]string{}
		for _, f := range fields {
			p.HoldErrors[f.Field] = f.Message
		}
		s.render(w, r, http.StatusUnprocessableEntity, "register", p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/register#holds", http.StatusSeeOther)
}

// handleEndHoldForm handles POST /register/holds/{id}/end.
func (s *Server) handleEndHoldForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "hold")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	until := r.PostForm.Get("until")
	if until == "" {
		until = s.today()
	}
	if _, err := s.SanctionService.EndHold(r.Context(), id, until); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/register#holds", http.StatusSeeOther)
}
