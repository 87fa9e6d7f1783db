package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"annex"
)

// Act takes one step of the case work on the application and returns the
// application as it then is. Everything happens in one transaction: the
// application is locked and read; act.Version must be its version
// (ECONFLICT, naming who made the stored version, otherwise);
// annex.NextStatus decides whether the signed-in user may take the step and
// which status it leads to; then the step's effects are stored, the version
// increases, the step is added to the application's history and audited as
// "application.<type>" (and an issued licence as "licence.issue"). When any
// part fails, assessment and audit included, nothing of the step is stored.
//
// Submitting gives the application its reference and assessment; a
// decision on a Category I case or a refusal is kept as proposed until a
// senior officer countersigns it; a final decision is dated, gets its
// letter and, when it approves, issues the licence.
func (s *ApplicationService) Act(ctx context.Context, id int64, act *annex.CaseAction) (*annex.Application, error) {
	if act == nil {
		return nil, annex.Errorf(annex.EINVALID, "action required")
	}
	u := annex.UserFromContext(ctx)
	if u == nil {
		return nil, annex.Errorf(annex.EUNAUTHORIZED, "sign in to work on applications")
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	app, err := s.act(ctx, tx, id, act, u)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	redact(ctx, app)
	return app, nil
}

// caseStep is a case action being applied: the application changed in
// place, and what the history and the audit trail record of it.
type caseStep struct {
	app  *annex.Application
	act  *annex.CaseAction
	user *annex.User
	from annex.ApplicationStatus
	// reason is the reason the history keeps: the grounds of an appeal,
	// why a proposal went back, why the exporter withdrew.
	reason string
	// replaced is the decision the step dropped or replaced, kept in the
	// history.
	replaced *annex.CaseDecision
	// detail is the audit detail of the step.
	detail map[string]any
}

func (s *ApplicationService) act(ctx context.Context, tx *Tx, id int64, act *annex.CaseAction, u *annex.User) (*annex.Application, error) {
	app, err := s.findForChange(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if act.Version != app.Version {
		return nil, staleApplication(ctx, tx, app)
	}
	next, err := annex.NextStatus(app, act, u, tx.now)
	if err != nil {
		return nil, err
	}

	step := &caseStep{app: app, act: act, user: u, from: app.Status, detail: map[string]any{}}
	app.Status = next
	if err := s.apply(ctx, tx, step); err != nil {
		return nil, err
	}
	if err := saveCaseStep(ctx, tx, step); err != nil {
		return nil, err
	}
	return s.findApplicationByID(ctx, tx, id)
}

// apply makes the effects of the step, other than its new status.
func (s *ApplicationService) apply(ctx context.Context, tx *Tx, step *caseStep) error {
	app, act := step.app, step.act
	switch act.Type {
	case annex.ActSubmit:
		return s.submit(ctx, tx, step)
	case annex.ActWithdraw:
		step.reason = strings.TrimSpace(act.Reason)
		step.detail["reason"] = step.reason
	case annex.ActAssign:
		return assign(ctx, tx, step)
	case annex.ActRequestInformation:
		return requestInformation(ctx, tx, step)
	case annex.ActAnswerInformation:
		return answerInformation(ctx, tx, step)
	case annex.ActRequestAdvice:
		return requestAdvice(ctx, tx, step)
	case annex.ActGiveAdvice:
		return giveAdvice(ctx, tx, step)
	case annex.ActProposeDecision:
		d := newDecision(act.Decision, step.user, tx.now)
		if app.Status == annex.StatusAwaitingCountersign {
			app.Proposed = d
			decisionDetail(step, d, false)
			return nil
		}
		return s.finalise(ctx, tx, step, d)
	case annex.ActCountersign:
		d := *app.Proposed
		d.CountersignedBy, d.CountersignedAt = step.user.ID, &tx.now
		app.Proposed = nil
		return s.finalise(ctx, tx, step, &d)
	case annex.ActRejectCountersign:
		step.reason, step.replaced = strings.TrimSpace(act.Reason), app.Proposed
		step.detail["reason"], step.detail["dropped"] = step.reason, app.Proposed.Type
		step.detail["proposed_by"] = app.Proposed.DecidedBy
		app.Proposed = nil
	case annex.ActAppeal:
		step.reason = strings.TrimSpace(act.Reason)
		step.detail["grounds"] = step.reason
	case annex.ActDecideAppeal:
		step.reason, step.replaced = strings.TrimSpace(act.Reason), app.Decision
		if app.Decision != nil {
			step.detail["replaced"] = app.Decision.Type
		}
		return s.finalise(ctx, tx, step, newDecision(act.Decision, step.user, tx.now))
	case annex.ActReassess:
		a, err := s.assess(ctx, app)
		if err != nil {
			return err
		}
		app.Assessment = a
		assessmentDetail(step.detail, a)
		return s.consultPartners(ctx, tx, step)
	}
	return nil
}

// saveCaseStep stores the application as the step left it, one version
// on, with the step in its history, and audits the step last. A step
// without a user is Annex's own.
func saveCaseStep(ctx context.Context, tx *Tx, step *caseStep) error {
	app := step.app
	assessment, err := encodeJSON(app.Assessment)
	if err != nil {
		return fmt.Errorf("encode assessment: %w", err)
	}
	proposed, err := encodeJSON(app.Proposed)
	if err != nil {
		return fmt.Errorf("encode proposed decision: %w", err)
	}
	decision, err := encodeJSON(app.Decision)
	if err != nil {
		return fmt.Errorf("encode decision: %w", err)
	}
	var head annex.Assessment
	if app.Assessment != nil {
		head = *app.Assessment
	}
	var by sql.NullInt64
	if step.user != nil {
		by = nullID(step.user.ID)
	}
	res, err := tx.ExecContext(ctx, `UPDATE applications SET reference = ?, status = ?, assessment = ?, assigned_to = ?,
			proposed = ?, decision = ?, licence = ?, version = ?, submitted_at = ?, updated_by = ?, updated_at = ?,
			decided_at = ?, recommendation = ?, presumption = ?, category = ?, licence_required = ?
		WHERE id = ? AND version = ?`,
		nullString(app.Reference), string(app.Status), assessment, nullID(app.AssignedTo), proposed, decision,
		nullString(app.Licence), app.Version+1, tx.db.nullTime(app.SubmittedAt), by, tx.db.timeArg(tx.now),
		tx.db.nullTime(app.DecidedAt), string(head.Recommendation), string(head.Presumption), string(head.Category),
		head.LicenceRequired, app.ID, app.Version)
	if err := checkOneRow(res, err, "update application", app.ID); err != nil {
		return err
	}
	app.Version++
	if err := insertApplicationEvent(ctx, tx, app, string(step.act.Type), step.from, step.user, step.reason, step.replaced); err != nil {
		return err
	}
	step.detail["from"], step.detail["to"], step.detail["version"] = step.from, app.Status, app.Version
	return appendAudit(ctx, tx, auditRecord{
		action:  "application." + string(step.act.Type),
		subject: applicationSubject(app.ID),
		detail:  step.detail,
	})
}

// nullString stores an optional text: empty is NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// assess runs the assessment service on the application's spec.
func (s *ApplicationService) assess(ctx context.Context, app *annex.Application) (*annex.Assessment, error) {
	if s.Assess == nil {
		return nil, fmt.Errorf("assess application %d: no assessment service", app.ID)
	}
	spec := app.ApplicationSpec
	a, err := s.Assess.Assess(ctx, &spec)
	if err != nil {
		return nil, fmt.Errorf("assess application %d: %w", app.ID, err)
	}
	return a, nil
}

func assessmentDetail(detail map[string]any, a *annex.Assessment) {
	detail["recommendation"], detail["category"] = a.Recommendation, a.Category
	detail["licence_required"], detail["list_version"] = a.LicenceRequired, a.ListVersion
}

// submit assesses the application, then gives it the next reference of the
// year: the counter's row stays locked until the transaction ends, so the
// assessment runs first.
func (s *ApplicationService) submit(ctx context.Context, tx *Tx, step *caseStep) error {
	app := step.app
	a, err := s.assess(ctx, app)
	if err != nil {
		return err
	}
	n, err := nextNumber(ctx, tx, "application", tx.now.Year())
	if err != nil {
		return err
	}
	app.Assessment, app.SubmittedAt = a, &tx.now
	app.Reference = fmt.Sprintf("ANX-%d-%06d", tx.now.Year(), n)
	step.detail["reference"] = app.Reference
	assessmentDetail(step.detail, a)
	// Partners whose denials the application repeats are consulted
	// (denial.go).
	return s.consultPartners(ctx, tx, step)
}

// nextNumber returns the next serial number of a kind of reference in a
// year, from 1. The upsert holds the counter's row until the transaction
// ends, so that concurrent transactions, of any instance, get different
// numbers and a rolled-back one leaves no gap.
func nextNumber(ctx context.Context, tx *Tx, kind string, year int) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO reference_counters (kind, year, last) VALUES (?, ?, 1)
		ON CONFLICT (kind, year) DO UPDATE SET last = reference_counters.last + 1
		RETURNING last`, kind, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next %s number: %w", kind, err)
	}
	return n, nil
}

// assign puts the case in the hands of the assignee, or of the actor.
func assign(ctx context.Context, tx *Tx, step *caseStep) error {
	to := step.act.Assignee
	if to == 0 {
		to = step.user.ID
	}
	if to != step.user.ID {
		u, err := findUserByID(ctx, tx, to)
		if annex.ErrorCode(err) == annex.ENOTFOUND {
			return annex.Invalid(annex.FieldError{Field: "assignee", Message: "no such user"})
		} else if err != nil {
			return err
		} else if (u.Role != annex.RoleLicensingOfficer && u.Role != annex.RoleSeniorOfficer) || u.Disabled {
			return annex.Invalid(annex.FieldError{Field: "assignee", Message: "cases go to licensing or senior officers"})
		}
	}
	step.detail["assigned_to"], step.detail["previous"] = to, step.app.AssignedTo
	step.app.AssignedTo = to
	return nil
}

func requestInformation(ctx context.Context, tx *Tx, step *caseStep) error {
	question := strings.TrimSpace(step.act.Question)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO information_requests (application_id, question, asked_by, asked_at)
		VALUES (?, ?, ?, ?)
		RETURNING id`, step.app.ID, question, step.user.ID, tx.db.timeArg(tx.now)).Scan(&id)
	if err != nil {
		return fmt.Errorf("insert information request: %w", err)
	}
	step.detail["request_id"], step.detail["question"] = id, question
	return nil
}

// answerInformation answers the open request for information.
func answerInformation(ctx context.Context, tx *Tx, step *caseStep) error {
	var id int64
	err := tx.QueryRowContext(ctx, `UPDATE information_requests SET answer = ?, answered_by = ?, answered_at = ?
		WHERE application_id = ? AND answered_at IS NULL
		RETURNING id`,
		strings.TrimSpace(step.act.Answer), step.user.ID, tx.db.timeArg(tx.now), step.app.ID).Scan(&id)
	if isNoRows(err) {
		return annex.Errorf(annex.ECONFLICT, "no question is open")
	} else if err != nil {
		return fmt.Errorf("answer information request: %w", err)
	}
	step.detail["request_id"] = id
	return nil
}

// requestAdvice asks a department for advice, unless it is already asked.
func requestAdvice(ctx context.Context, tx *Tx, step *caseStep) error {
	dept := step.act.Department
	for _, r := range step.app.AdviceRequests {
		if r.Department == dept && !r.Answered {
			return annex.Errorf(annex.ECONFLICT, "advice from %s is already requested", strings.ReplaceAll(dept, "_", " "))
		}
	}
	var id int64
	note := strings.TrimSpace(step.act.Note)
	err := tx.QueryRowContext(ctx, `INSERT INTO advice_requests
		(application_id, department, note, requested_by, requested_at, answered)
		VALUES (?, ?, ?, ?, ?, ?)
		RETURNING id`, step.app.ID, dept, note, step.user.ID, tx.db.timeArg(tx.now), false).Scan(&id)
	if err != nil {
		return fmt.Errorf("insert advice request: %w", err)
	}
	step.detail["request_id"], step.detail["department"], step.detail["note"] = id, dept, note
	return nil
}

// giveAdvice stores the reviewer's advice for the reviewer's department
// and marks the department's open requests answered.
func giveAdvice(ctx context.Context, tx *Tx, step *caseStep) error {
	a, u := step.act.Advice, step.user
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO advice
		(application_id, department, subject, type, text, proviso, user_id, username, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		step.app.ID, u.Department, a.Subject, string(a.Type), strings.TrimSpace(a.Text), strings.TrimSpace(a.Proviso),
		u.ID, u.Username, tx.db.timeArg(tx.now)).Scan(&id)
	if err != nil {
		return fmt.Errorf("insert advice: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE advice_requests SET answered = ?
		WHERE application_id = ? AND department = ? AND answered = ?`, true, step.app.ID, u.Department, false); err != nil {
		return fmt.Errorf("answer advice requests: %w", err)
	}
	step.detail["advice_id"], step.detail["department"] = id, u.Department
	step.detail["subject"], step.detail["type"] = a.Subject, a.Type
	return nil
}

// newDecision is the decision the user takes now: a copy of what the
// action carries, without what the store sets.
func newDecision(in *annex.CaseDecision, u *annex.User, now time.Time) *annex.CaseDecision {
	d := *in
	d.Provisos, d.Criteria = trimAll(in.Provisos), trimAll(in.Criteria)
	d.Reasons = strings.TrimSpace(in.Reasons)
	d.Letter, d.DecidedBy, d.DecidedAt, d.CountersignedBy, d.CountersignedAt = "", u.ID, now, 0, nil
	if d.Type != annex.DecisionApprove && d.Type != annex.DecisionApproveProvisos {
		d.ValidMonths = 0
	}
	return &d
}

// trimAll returns the trimmed non-empty strings, or nil.
func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func decisionDetail(step *caseStep, d *annex.CaseDecision, final bool) {
	step.detail["decision"], step.detail["final"], step.detail["reasons"] = d.Type, final, d.Reasons
	if len(d.Criteria) > 0 {
		step.detail["criteria"] = d.Criteria
	}
	if len(d.Provisos) > 0 {
		step.detail["provisos"] = d.Provisos
	}
	if d.ValidMonths > 0 {
		step.detail["valid_months"] = d.ValidMonths
	}
	if d.CountersignedBy != 0 {
		step.detail["decided_by"] = d.DecidedBy
	}
}

// finalise makes d the application's final decision: dated now, with its
// letter and, for an approval, the licence it issues.
func (s *ApplicationService) finalise(ctx context.Context, tx *Tx, step *caseStep, d *annex.CaseDecision) error {
	app := step.app
	app.Decision, app.DecidedAt = d, &tx.now
	var l *annex.Licence
	if d.Type == annex.DecisionApprove || d.Type == annex.DecisionApproveProvisos {
		var err error
		if l, err = issueLicence(ctx, tx, app, d); err != nil {
			return err
		}
		app.Licence = l.Number
		step.detail["licence"] = l.Number
	}
	// The letter is dated the day the decision becomes final, which is
	// the countersignature's day for a countersigned decision.
	dated := *d
	dated.DecidedAt = tx.now
	d.Letter = annex.DecisionLetter(app, &dated, l, s.authority())
	decisionDetail(step, d, true)
	// A refusal is notified to the partners as denials; an appeal that
	// overturns it revokes them (denial.go).
	return s.notifyDecision(ctx, tx, step, d)
}

func (s *ApplicationService) authority() string {
	if s.Authority == "" {
		return DefaultAuthority
	}
	return s.Authority
}

// insertApplicationEvent records a change of the application in its
// history: the action, the status before, the application as it now is,
// the reason given and, as JSON, what the action replaced or dropped. A
// nil user is Annex itself.
func insertApplicationEvent(ctx context.Context, tx *Tx, app *annex.Application, action string, from annex.ApplicationStatus,
	u *annex.User, reason string, replaced *annex.CaseDecision) error {
	data, err := encodeJSON(replaced)
	if err != nil {
		return fmt.Errorf("encode history: %w", err)
	}
	userID, username := sql.NullInt64{}, annexActor
	if u != nil {
		userID, username = nullID(u.ID), u.Username
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO application_events
		(application_id, action, from_status, to_status, version, user_id, username, reason, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		app.ID, action, string(from), string(app.Status), app.Version, userID, username, reason, data,
		tx.db.timeArg(tx.now)); err != nil {
		return fmt.Errorf("insert application event: %w", err)
	}
	return nil
}
