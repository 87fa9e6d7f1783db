package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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

	// Government is this government's ISO 3166-1 alpha-2 code: the
	// notifying government of the denials a final refusal makes and the
	// sender of the consultations a submission starts. Empty means
	// DefaultGovernment; it must be the Government of the DenialService.
	Government string
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
	redact(ctx, app)
	return app, tx.Commit()
}

// redact removes the authority's internal case work from applications an
// exporter user reads.
func redact(ctx context.Context, apps ...*annex.Application) {
	if u := annex.UserFromContext(ctx); u != nil && u.Role.IsExporter() {
		for _, app := range apps {
			app.RedactForExporter()
		}
	}
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
	redact(ctx, apps...)
	return apps, n, tx.Commit()
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
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(u.username, ?) FROM applications a
		LEFT JOIN users u ON u.id = a.updated_by WHERE a.id = ?`, annexActor+" (reassessment after a change of the lists, the register or the partners' denials)", app.ID).Scan(&username)
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
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE `+column+` = ? FOR UPDATE`, key).Scan(&id)
	if err != nil && !isNoRows(err) { // a missing row is the caller's ENOTFOUND
		return fmt.Errorf("lock %s: %w", table, err)
	}
	return nil
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
