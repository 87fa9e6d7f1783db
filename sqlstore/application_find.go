package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"annex"
)

const applicationColumns = `id, reference, org_id, status, spec, amendment_of, assessment, assigned_to, proposed,
	decision, licence, version, created_by, created_at, submitted_at, updated_at, decided_at`

// summaryColumns are the applicationColumns of a summary, from the table
// "a": no assessment or proposed decision to decode, and after them the
// assessment's headline, which a summary keeps.
const summaryColumns = `a.id, a.reference, a.org_id, a.status, a.spec, a.amendment_of, NULL, a.assigned_to, NULL,
	a.decision, a.licence, a.version, a.created_by, a.created_at, a.submitted_at, a.updated_at, a.decided_at,
	a.recommendation, a.presumption, a.category, a.licence_required`

// scanApplication scans the applicationColumns of a row, then extra.
func scanApplication(row interface{ Scan(...any) error }, app *annex.Application, extra ...any) error {
	var reference, assessment, proposed, decision, licence sql.NullString
	var spec string
	var assignedTo sql.NullInt64
	var submittedAt, decidedAt time.Time
	dest := []any{&app.ID, &reference, &app.OrgID, &app.Status, &spec, &app.AmendmentOf, &assessment, &assignedTo,
		&proposed, &decision, &licence, &app.Version, &app.CreatedBy, scanTime(&app.CreatedAt),
		scanTime(&submittedAt), scanTime(&app.UpdatedAt), scanTime(&decidedAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	app.Reference, app.Licence, app.AssignedTo = reference.String, licence.String, assignedTo.Int64
	app.SubmittedAt, app.DecidedAt = timePtr(submittedAt), timePtr(decidedAt)
	if err := json.Unmarshal([]byte(spec), &app.ApplicationSpec); err != nil {
		return fmt.Errorf("decode spec of application %d: %w", app.ID, err)
	}
	var err error
	if app.Assessment, err = decodeJSON[annex.Assessment](assessment); err != nil {
		return fmt.Errorf("decode assessment of application %d: %w", app.ID, err)
	}
	if app.Proposed, err = decodeJSON[annex.CaseDecision](proposed); err != nil {
		return fmt.Errorf("decode proposed decision of application %d: %w", app.ID, err)
	}
	if app.Decision, err = decodeJSON[annex.CaseDecision](decision); err != nil {
		return fmt.Errorf("decode decision of application %d: %w", app.ID, err)
	}
	return nil
}

// timePtr returns nil for the zero time (a NULL column), else &t.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// nullTime is an optional time as a query argument: nil is NULL.
func (db *DB) nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return db.timeArg(*t)
}

// decodeJSON decodes a nullable JSON column: NULL is nil.
func decodeJSON[T any](s sql.NullString) (*T, error) {
	if !s.Valid {
		return nil, nil
	}
	var v T
	if err := json.Unmarshal([]byte(s.String), &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// encodeJSON encodes a value for a nullable JSON column: nil is NULL.
func encodeJSON[T any](v *T) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// findApplications returns the applications that match the filter and that
// the user in the context may see, with their case work.
func (s *ApplicationService) findApplications(ctx context.Context, tx *Tx, filter annex.ApplicationFilter) (_ []*annex.Application, n int, err error) {
	query, args := applicationsQuery(ctx, tx.db, filter)
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find applications: %w", err)
	}
	defer rows.Close()

	apps := make([]*annex.Application, 0)
	for rows.Next() {
		var app annex.Application
		var head annex.Assessment
		extra := []any{&n}
		if filter.Summary {
			extra = []any{&head.Recommendation, &head.Presumption, &head.Category, &head.LicenceRequired, &n}
		}
		if err := scanApplication(rows, &app, extra...); err != nil {
			return nil, 0, fmt.Errorf("scan application: %w", err)
		}
		if filter.Summary && head.Recommendation != "" {
			head.Reasons, head.Factors = []annex.Reason{}, []annex.Factor{}
			app.Assessment = &head
		}
		emptyCaseWork(&app)
		apps = append(apps, &app)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find applications: %w", err)
	}
	queries := caseWorkQueries
	if filter.Summary {
		// The clock needs the requests for information; nothing else.
		queries = []caseWorkQuery{informationRequestsQuery}
	}
	if err := fillCaseWork(ctx, tx, apps, queries); err != nil {
		return nil, 0, err
	}
	for _, app := range apps {
		app.WorkingDays = workingDays(app, tx.now, s.Holidays)
	}
	return apps, n, nil
}

// applicationsQuery returns the query of the applications that match the
// filter and that the user in the context may see, newest first, with how
// many match in all, and its arguments. The page is chosen in a subquery
// over the IDs alone, which the indexes answer, so that only the rows of
// the page are read in full.
func applicationsQuery(ctx context.Context, db *DB, filter annex.ApplicationFilter) (string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	if v := filter.ID; v != nil {
		where, args = append(where, "id = ?"), append(args, *v)
	}
	if v := filter.OrgID; v != nil {
		where, args = append(where, "org_id = ?"), append(args, *v)
	}
	if v := orgScope(ctx); v != nil {
		where, args = append(where, "org_id = ?"), append(args, *v)
	}
	if len(filter.Status) > 0 {
		where = append(where, "status IN ("+placeholders(len(filter.Status))+")")
		for _, st := range filter.Status {
			args = append(args, string(st))
		}
	}
	if v := filter.AssignedTo; v != nil {
		where, args = append(where, "assigned_to = ?"), append(args, *v)
	}
	if v := filter.Department; v != nil {
		where = append(where, `id IN (SELECT application_id FROM advice_requests WHERE department = ? AND answered = ?)`)
		args = append(args, *v, false)
	}
	columns := prefixColumns("a.", applicationColumns)
	if filter.Summary {
		columns = summaryColumns
	}
	return `SELECT ` + columns + `, p.n
		FROM applications a JOIN (
			SELECT id, COUNT(*) OVER() AS n FROM applications
			WHERE ` + strings.Join(where, " AND ") + `
			ORDER BY id DESC ` + db.limitOffset(filter.Limit, filter.Offset) + `
		) p ON p.id = a.id
		ORDER BY a.id DESC`, args
}

// placeholders returns n comma-separated question marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// workingDays is the case clock: the working days from submission to the
// decision (or the withdrawal, or now), less the days a question waited on
// the exporter.
func workingDays(app *annex.Application, now time.Time, holidays []string) int {
	if app.SubmittedAt == nil {
		return 0
	}
	end := now
	if app.DecidedAt != nil {
		end = *app.DecidedAt
	} else if app.Status == annex.StatusWithdrawn {
		end = app.UpdatedAt
	}
	pauses := make([]annex.Interval, 0, len(app.Requests))
	for _, r := range app.Requests {
		p := annex.Interval{From: r.AskedAt}
		if r.AnsweredAt != nil {
			p.To = *r.AnsweredAt
		}
		pauses = append(pauses, p)
	}
	return annex.WorkingDays(*app.SubmittedAt, end, pauses, holidays)
}

// caseWorkQuery loads one kind of case work. scan reads a row and returns
// the ID of its application and a function that adds the row to it.
type caseWorkQuery struct {
	what  string
	query string // selects application_id first
	scan  func(rows *sql.Rows) (appID int64, add func(*annex.Application), err error)
}

// caseWorkQueries load the lists of case work. Documents come without
// their content.
var caseWorkQueries = []caseWorkQuery{
	{"documents", `SELECT application_id, id, kind, file_name, content_type, size, sha256, uploaded_by, uploaded_at
		FROM documents`, func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var d annex.Document
		err := rows.Scan(&d.ApplicationID, &d.ID, &d.Kind, &d.FileName, &d.ContentType, &d.Size, &d.SHA256,
			&d.UploadedBy, scanTime(&d.UploadedAt))
		return d.ApplicationID, func(app *annex.Application) { app.Documents = append(app.Documents, d) }, err
	}},
	informationRequestsQuery,
	{"advice requests", `SELECT application_id, id, department, note, requested_by, requested_at, answered
		FROM advice_requests`, func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var r annex.AdviceRequest
		var appID int64
		err := rows.Scan(&appID, &r.ID, &r.Department, &r.Note, &r.RequestedBy, scanTime(&r.RequestedAt), &r.Answered)
		return appID, func(app *annex.Application) { app.AdviceRequests = append(app.AdviceRequests, r) }, err
	}},
	{"appeals", `SELECT application_id, action FROM application_events`, func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var appID int64
		var action string
		err := rows.Scan(&appID, &action)
		return appID, func(app *annex.Application) { app.Appealed = app.Appealed || action == string(annex.ActAppeal) }, err
	}},
	{"advice", `SELECT application_id, id, department, subject, type, text, proviso, user_id, username, created_at
		FROM advice`, func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var a annex.Advice
		var appID int64
		err := rows.Scan(&appID, &a.ID, &a.Department, &a.Subject, &a.Type, &a.Text, &a.Proviso, &a.UserID,
			&a.Username, scanTime(&a.CreatedAt))
		return appID, func(app *annex.Application) { app.Advice = append(app.Advice, a) }, err
	}},
	consultationsQuery, // denial.go
}

// informationRequestsQuery loads the requests for information, which the
// case clock needs.
var informationRequestsQuery = caseWorkQuery{"information requests", `SELECT application_id, id, question, asked_by, asked_at, answer, answered_by, answered_at
		FROM information_requests`, func(rows *sql.Rows) (int64, func(*annex.Application), error) {
	var r annex.InformationRequest
	var appID int64
	var answeredBy sql.NullInt64
	var answeredAt time.Time
	err := rows.Scan(&appID, &r.ID, &r.Question, &r.AskedBy, scanTime(&r.AskedAt), &r.Answer, &answeredBy,
		scanTime(&answeredAt))
	r.AnsweredBy, r.AnsweredAt = answeredBy.Int64, timePtr(answeredAt)
	return appID, func(app *annex.Application) { app.Requests = append(app.Requests, r) }, err
}}

// maxInList is how many IDs one IN list holds, well within both dialects'
// limits on parameters.
const maxInList = 500

// fillCaseWork loads the documents, requests for information, advice
// requests and advice of the applications: one query per kind and per
// maxInList applications, oldest first.
func fillCaseWork(ctx context.Context, tx *Tx, apps []*annex.Application, queries []caseWorkQuery) error {
	byID := make(map[int64]*annex.Application, len(apps))
	for _, app := range apps {
		byID[app.ID] = app
	}
	for start := 0; start < len(apps); start += maxInList {
		chunk := apps[start:min(start+maxInList, len(apps))]
		ids := make([]any, len(chunk))
		for i, app := range chunk {
			ids[i] = app.ID
		}
		for _, q := range queries {
			if err := loadCaseWork(ctx, tx, q, byID, ids); err != nil {
				return err
			}
		}
	}
	return nil
}

func loadCaseWork(ctx context.Context, tx *Tx, q caseWorkQuery, byID map[int64]*annex.Application, ids []any) error {
	rows, err := tx.QueryContext(ctx, q.query+` WHERE application_id IN (`+placeholders(len(ids))+`) ORDER BY id`, ids...)
	if err != nil {
		return fmt.Errorf("find %s: %w", q.what, err)
	}
	defer rows.Close()
	for rows.Next() {
		appID, add, err := q.scan(rows)
		if err != nil {
			return fmt.Errorf("scan %s: %w", q.what, err)
		}
		add(byID[appID])
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find %s: %w", q.what, err)
	}
	return nil
}
