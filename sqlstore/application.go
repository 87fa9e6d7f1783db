package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"annex"
)

// DefaultAuthority is the letterhead of decision letters when
// ApplicationService.Authority is empty.
const DefaultAuthority = "Export Control Authority"

// ApplicationService implements annex.ApplicationService: licence
// applications and their case work, the licences issued on approval
// included.
//
// An application's spec, assessment and decisions are stored as JSON; its
// documents, requests for information, advice requests and advice in
// tables of their own; every case action in application_events, the
// history that keeps what the application row no longer shows (a proposal
// sent back by the countersigning officer and why, the grounds of an
// appeal, the decision an appeal replaced).
//
// An exporter user sees and touches only its organisation's applications:
// another organisation's read as not found. Every change is audited in the
// transaction that makes it, and each changes the version; a change made
// against another version than the stored one is refused with ECONFLICT.
type ApplicationService struct {
	db *DB

	// Assess assesses an application on submission and on reassessment,
	// inside the transaction of the action. When it fails the action fails
	// and nothing changes.
	Assess annex.AssessService

	// Authority is the letterhead of decision letters; empty means
	// DefaultAuthority.
	Authority string

	// Holidays are the public holidays, as YYYY-MM-DD, that the case clock
	// (Application.WorkingDays) does not count.
	Holidays []string
}

var _ annex.ApplicationService = (*ApplicationService)(nil)

// NewApplicationService returns an ApplicationService for db. Set Assess
// before applications are submitted.
func NewApplicationService(db *DB) *ApplicationService {
	return &ApplicationService{db: db, Authority: DefaultAuthority}
}

// CreateApplication validates the spec and stores app as a draft of the
// signed-in exporter's organisation, at version 1. It sets the ID, OrgID,
// Status, Version, CreatedBy, CreatedAt and UpdatedAt, and clears the case
// work. AmendmentOf, if set, must name a licence of the organisation. The
// creation is audited as "application.create".
func (s *ApplicationService) CreateApplication(ctx context.Context, app *annex.Application) error {
	if app == nil {
		return annex.Errorf(annex.EINVALID, "application required")
	}
	u, err := exporterUser(ctx, "create applications")
	if err != nil {
		return err
	}
	if err := app.ApplicationSpec.Validate(); err != nil {
		return err
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := s.createApplication(ctx, tx, app, u); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdateApplication replaces the spec of a draft of the signed-in
// exporter's organisation and returns the application. It returns ECONFLICT
// when the application is no longer a draft or when version is not the
// stored version. The change is audited as "application.update" with the
// names of the parts that changed.
func (s *ApplicationService) UpdateApplication(ctx context.Context, id, version int64, spec annex.ApplicationSpec) (*annex.Application, error) {
	u, err := exporterUser(ctx, "change applications")
	if err != nil {
		return nil, err
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	app, err := s.updateApplication(ctx, tx, id, version, spec, u)
	if err != nil {
		return nil, err
	}
	return app, tx.Commit()
}

// FindApplicationByID returns the application with its case work, or
// ENOTFOUND, also when it belongs to another organisation than an exporter
// user's.
func (s *ApplicationService) FindApplicationByID(ctx context.Context, id int64) (*annex.Application, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	app, err := s.findApplicationByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return app, tx.Commit()
}

// FindApplications returns the applications matching the filter, newest
// first, with their case work (documents without their content), and how
// many match in all. An exporter user sees only its organisation's.
func (s *ApplicationService) FindApplications(ctx context.Context, filter annex.ApplicationFilter) ([]*annex.Application, int, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	apps, n, err := s.findApplications(ctx, tx, filter)
	if err != nil {
		return nil, 0, err
	}
	return apps, n, tx.Commit()
}

// AddDocument attaches a file to an application of the signed-in exporter's
// organisation while it is a draft or awaits the exporter's answer. The
// content type is sniffed from the content, never taken from the client,
// and checked with annex.ValidateDocument. It sets doc's ID, ApplicationID,
// ContentType, Size, SHA256, UploadedBy and UploadedAt. The upload is
// audited as "application.add_document", without the content.
func (s *ApplicationService) AddDocument(ctx context.Context, appID int64, doc *annex.Document, content []byte) error {
	if doc == nil {
		return annex.Errorf(annex.EINVALID, "document required")
	}
	u, err := exporterUser(ctx, "attach documents")
	if err != nil {
		return err
	}
	doc.Size = int64(len(content))
	doc.FileName = strings.TrimSpace(doc.FileName)
	if err := annex.ValidateDocument(doc, http.DetectContentType(content)); err != nil {
		return err
	}
	doc.SHA256 = sha256Hex(content)

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := s.addDocument(ctx, tx, appID, doc, content, u); err != nil {
		return err
	}
	return tx.Commit()
}

// FindDocument returns a document's metadata and content, or ENOTFOUND,
// also when its application belongs to another organisation than an
// exporter user's.
func (s *ApplicationService) FindDocument(ctx context.Context, id int64) (*annex.Document, []byte, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()

	doc, content, err := findDocument(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	return doc, content, tx.Commit()
}

// exporterUser returns the signed-in user if it is an exporter user, or
// EUNAUTHORIZED or EFORBIDDEN.
func exporterUser(ctx context.Context, what string) (*annex.User, error) {
	u := annex.UserFromContext(ctx)
	if u == nil {
		return nil, annex.Errorf(annex.EUNAUTHORIZED, "sign in to %s", what)
	} else if !u.Role.IsExporter() {
		return nil, annex.Errorf(annex.EFORBIDDEN, "only exporting organisations %s", what)
	}
	return u, nil
}

// applicationSubject names an application as an audit subject.
func applicationSubject(id int64) string { return "application:" + strconv.FormatInt(id, 10) }

// emptyCaseWork gives an application empty, not nil, lists of case work.
func emptyCaseWork(app *annex.Application) {
	app.Documents, app.Requests = []annex.Document{}, []annex.InformationRequest{}
	app.AdviceRequests, app.Advice = []annex.AdviceRequest{}, []annex.Advice{}
}

func (s *ApplicationService) createApplication(ctx context.Context, tx *Tx, app *annex.Application, u *annex.User) error {
	*app = annex.Application{ApplicationSpec: app.ApplicationSpec, AmendmentOf: strings.TrimSpace(app.AmendmentOf),
		OrgID: u.OrgID, Status: annex.StatusDraft, Version: 1, CreatedBy: u.ID, CreatedAt: tx.now, UpdatedAt: tx.now}
	emptyCaseWork(app)
	if app.AmendmentOf != "" {
		if _, err := findLicenceByNumber(ctx, tx, app.AmendmentOf); annex.ErrorCode(err) == annex.ENOTFOUND {
			return annex.Invalid(annex.FieldError{Field: "amendment_of", Message: "no licence of your organisation has this number"})
		} else if err != nil {
			return err
		}
	}
	spec, err := json.Marshal(app.ApplicationSpec)
	if err != nil {
		return fmt.Errorf("encode application: %w", err)
	}
	now := tx.db.timeArg(tx.now)
	err = tx.QueryRowContext(ctx, `INSERT INTO applications
		(org_id, status, spec, amendment_of, version, created_by, created_at, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		app.OrgID, string(app.Status), string(spec), app.AmendmentOf, app.Version, u.ID, now, u.ID, now,
	).Scan(&app.ID)
	if err != nil {
		return fmt.Errorf("insert application: %w", err)
	}
	if err := insertApplicationEvent(ctx, tx, app, "create", "", u, "", nil); err != nil {
		return err
	}
	return appendAudit(ctx, tx, auditRecord{
		action:  "application.create",
		subject: applicationSubject(app.ID),
		detail: map[string]any{"org_id": app.OrgID, "destination": app.Destination, "lines": len(app.Items),
			"parties": len(app.Parties), "amendment_of": app.AmendmentOf, "version": app.Version},
	})
}

func (s *ApplicationService) updateApplication(ctx context.Context, tx *Tx, id, version int64, spec annex.ApplicationSpec, u *annex.User) (*annex.Application, error) {
	app, err := s.findForChange(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if app.Status != annex.StatusDraft {
		return nil, annex.Errorf(annex.ECONFLICT, "only a draft can be changed; this application is %s", app.Status)
	} else if version != app.Version {
		return nil, staleApplication(ctx, tx, app)
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	changed := specChanges(&app.ApplicationSpec, &spec)
	data, err := json.Marshal(spec)
	if err != nil {
		return nil, fmt.Errorf("encode application: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE applications SET spec = ?, version = ?, updated_by = ?, updated_at = ?
		WHERE id = ? AND version = ?`,
		string(data), app.Version+1, u.ID, tx.db.timeArg(tx.now), id, app.Version)
	if err := checkOneRow(res, err, "update application", id); err != nil {
		return nil, err
	}
	app.ApplicationSpec, app.Version, app.UpdatedAt = spec, app.Version+1, tx.now
	if err := insertApplicationEvent(ctx, tx, app, "update", app.Status, u, "", nil); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, auditRecord{
		action:  "application.update",
		subject: applicationSubject(id),
		detail:  map[string]any{"changed": changed, "version": app.Version},
	}); err != nil {
		return nil, err
	}
	return s.findApplicationByID(ctx, tx, id)
}

// specChanges names the parts of an application's spec that differ, by
// their JSON names.
func specChanges(old, new *annex.ApplicationSpec) []string {
	changed := make([]string, 0)
	for _, f := range []struct {
		name     string
		old, new any
	}{
		{"destination", old.Destination, new.Destination},
		{"end_use", old.EndUse, new.EndUse},
		{"declarations", old.Declarations, new.Declarations},
		{"assurances", old.Assurances, new.Assurances},
		{"parties", old.Parties, new.Parties},
		{"items", old.Items, new.Items},
	} {
		a, _ := json.Marshal(f.old)
		b, _ := json.Marshal(f.new)
		if string(a) != string(b) {
			changed = append(changed, f.name)
		}
	}
	return changed
}

// checkOneRow checks that an UPDATE changed exactly one row; none means
// the row changed under the statement's version condition.
func checkOneRow(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	} else if n != 1 {
		return annex.Errorf(annex.ECONFLICT, "the record was changed since you opened it")
	}
	return nil
}

// staleApplication is the error for a change made against an old version.
// It names who made the stored version, when it can.
func staleApplication(ctx context.Context, tx *Tx, app *annex.Application) error {
	msg := "the application was changed since you opened it"
	var username string
	err := tx.QueryRowContext(ctx, `SELECT u.username FROM applications a JOIN users u ON u.id = a.updated_by
		WHERE a.id = ?`, app.ID).Scan(&username)
	if err == nil {
		msg += fmt.Sprintf(": %s made version %d at %s", username, app.Version, app.UpdatedAt.Format("2006-01-02 15:04 UTC"))
	}
	return annex.Errorf(annex.ECONFLICT, "%s", msg)
}

// lockRow takes the row lock of a row about to change, on PostgreSQL, so
// that concurrent changes of it wait for each other and then read what the
// other committed. SQLite's immediate transactions already serialise.
func lockRow(ctx context.Context, tx *Tx, table, column string, key any) error {
	if tx.db.dialect != DialectPostgres {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM `+table+` WHERE `+column+` = ? FOR UPDATE`, key)
	if err != nil {
		return fmt.Errorf("lock %s: %w", table, err)
	}
	return rows.Close()
}

// findForChange locks the application and returns it as the user in the
// context may see it.
func (s *ApplicationService) findForChange(ctx context.Context, tx *Tx, id int64) (*annex.Application, error) {
	if err := lockRow(ctx, tx, "applications", "id", id); err != nil {
		return nil, err
	}
	return s.findApplicationByID(ctx, tx, id)
}

func (s *ApplicationService) findApplicationByID(ctx context.Context, tx *Tx, id int64) (*annex.Application, error) {
	apps, _, err := s.findApplications(ctx, tx, annex.ApplicationFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(apps) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "application %d not found", id)
	}
	return apps[0], nil
}

const applicationColumns = `id, reference, org_id, status, spec, amendment_of, assessment, assigned_to, proposed,
	decision, licence, version, created_by, created_at, submitted_at, updated_at, decided_at`

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
// the user in the context may see, with their case work. The page is chosen
// in a subquery over the IDs alone, which the indexes answer, so that only
// the rows of the page are read in full.
func (s *ApplicationService) findApplications(ctx context.Context, tx *Tx, filter annex.ApplicationFilter) (_ []*annex.Application, n int, err error) {
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

	rows, err := tx.QueryContext(ctx, `SELECT `+prefixColumns("a.", applicationColumns)+`, p.n
		FROM applications a JOIN (
			SELECT id, COUNT(*) OVER() AS n FROM applications
			WHERE `+strings.Join(where, " AND ")+`
			ORDER BY id DESC `+tx.db.limitOffset(filter.Limit, filter.Offset)+`
		) p ON p.id = a.id
		ORDER BY a.id DESC`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find applications: %w", err)
	}
	defer rows.Close()

	apps := make([]*annex.Application, 0)
	for rows.Next() {
		var app annex.Application
		if err := scanApplication(rows, &app, &n); err != nil {
			return nil, 0, fmt.Errorf("scan application: %w", err)
		}
		emptyCaseWork(&app)
		apps = append(apps, &app)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find applications: %w", err)
	}
	if err := fillCaseWork(ctx, tx, apps); err != nil {
		return nil, 0, err
	}
	for _, app := range apps {
		app.WorkingDays = workingDays(app, tx.now, s.Holidays)
	}
	return apps, n, nil
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
	{"information requests", `SELECT application_id, id, question, asked_by, asked_at, answer, answered_by, answered_at
		FROM information_requests`, func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var r annex.InformationRequest
		var appID int64
		var answeredBy sql.NullInt64
		var answeredAt time.Time
		err := rows.Scan(&appID, &r.ID, &r.Question, &r.AskedBy, scanTime(&r.AskedAt), &r.Answer, &answeredBy,
			scanTime(&answeredAt))
		r.AnsweredBy, r.AnsweredAt = answeredBy.Int64, timePtr(answeredAt)
		return appID, func(app *annex.Application) { app.Requests = append(app.Requests, r) }, err
	}},
	{"advice requests", `SELECT application_id, id, department, note, requested_by, requested_at, answered
		FROM advice_requests`, func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var r annex.AdviceRequest
		var appID int64
		err := rows.Scan(&appID, &r.ID, &r.Department, &r.Note, &r.RequestedBy, scanTime(&r.RequestedAt), &r.Answered)
		return appID, func(app *annex.Application) { app.AdviceRequests = append(app.AdviceRequests, r) }, err
	}},
	{"advice", `SELECT application_id, id, department, subject, type, text, proviso, user_id, username, created_at
		FROM advice`, func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var a annex.Advice
		var appID int64
		err := rows.Scan(&appID, &a.ID, &a.Department, &a.Subject, &a.Type, &a.Text, &a.Proviso, &a.UserID,
			&a.Username, scanTime(&a.CreatedAt))
		return appID, func(app *annex.Application) { app.Advice = append(app.Advice, a) }, err
	}},
}

// maxInList is how many IDs one IN list holds, well within both dialects'
// limits on parameters.
const maxInList = 500

// fillCaseWork loads the documents, requests for information, advice
// requests and advice of the applications: one query per kind and per
// maxInList applications, oldest first.
func fillCaseWork(ctx context.Context, tx *Tx, apps []*annex.Application) error {
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
		for _, q := range caseWorkQueries {
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

// addDocument stores a validated document of an application that the
// exporter user may change.
func (s *ApplicationService) addDocument(ctx context.Context, tx *Tx, appID int64, doc *annex.Document, content []byte, u *annex.User) error {
	app, err := s.findForChange(ctx, tx, appID)
	if err != nil {
		return err
	}
	if app.Status != annex.StatusDraft && app.Status != annex.StatusAwaitingExporter {
		return annex.Errorf(annex.ECONFLICT, "documents are added to a draft, or while a question awaits your answer; this application is %s", app.Status)
	}
	doc.ApplicationID, doc.UploadedBy, doc.UploadedAt = appID, u.ID, tx.now
	err = tx.QueryRowContext(ctx, `INSERT INTO documents
		(application_id, kind, file_name, content_type, size, sha256, uploaded_by, uploaded_at, content)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		appID, doc.Kind, doc.FileName, doc.ContentType, doc.Size, doc.SHA256, u.ID, tx.db.timeArg(tx.now), content,
	).Scan(&doc.ID)
	if err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	return appendAudit(ctx, tx, auditRecord{
		action:  "application.add_document",
		subject: applicationSubject(appID),
		detail: map[string]any{"document_id": doc.ID, "kind": doc.Kind, "file_name": doc.FileName,
			"content_type": doc.ContentType, "size": doc.Size, "sha256": doc.SHA256},
	})
}

func findDocument(ctx context.Context, tx *Tx, id int64) (*annex.Document, []byte, error) {
	where, args := []string{"d.id = ?"}, []any{id}
	if v := orgScope(ctx); v != nil {
		where, args = append(where, "a.org_id = ?"), append(args, *v)
	}
	var d annex.Document
	var content []byte
	err := tx.QueryRowContext(ctx, `SELECT d.id, d.application_id, d.kind, d.file_name, d.content_type, d.size,
			d.sha256, d.uploaded_by, d.uploaded_at, d.content
		FROM documents d JOIN applications a ON a.id = d.application_id
		WHERE `+strings.Join(where, " AND "), args...).Scan(&d.ID, &d.ApplicationID, &d.Kind, &d.FileName,
		&d.ContentType, &d.Size, &d.SHA256, &d.UploadedBy, scanTime(&d.UploadedAt), &content)
	if isNoRows(err) {
		return nil, nil, annex.Errorf(annex.ENOTFOUND, "document %d not found", id)
	} else if err != nil {
		return nil, nil, fmt.Errorf("find document %d: %w", id, err)
	}
	return &d, content, nil
}

// insertApplicationEvent records a change of the application in its
// history: the action, the status before, the application as it now is,
// the reason given and, as JSON, what the action replaced or dropped.
func insertApplicationEvent(ctx context.Context, tx *Tx, app *annex.Application, action string, from annex.ApplicationStatus,
	u *annex.User, reason string, replaced *annex.CaseDecision) error {
	data, err := encodeJSON(replaced)
	if err != nil {
		return fmt.Errorf("encode history: %w", err)
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO application_events
		(application_id, action, from_status, to_status, version, user_id, username, reason, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		app.ID, action, string(from), string(app.Status), app.Version, u.ID, u.Username, reason, data,
		tx.db.timeArg(tx.now)); err != nil {
		return fmt.Errorf("insert application event: %w", err)
	}
	return nil
}
