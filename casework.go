package annex

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ApplicationStatus is where an application stands in its case work.
type ApplicationStatus string

// Application statuses. An application is a draft until submitted; an
// officer takes it under review; it waits on the exporter while a request
// for information is open (the clock pauses) and on a senior officer while a
// decision awaits countersignature; it ends approved, refused, found to need
// no licence, or withdrawn; a refusal may go under appeal.
const (
	StatusDraft               ApplicationStatus = "draft"
	StatusSubmitted           ApplicationStatus = "submitted"
	StatusUnderReview         ApplicationStatus = "under_review"
	StatusAwaitingExporter    ApplicationStatus = "awaiting_exporter"
	StatusAwaitingCountersign ApplicationStatus = "awaiting_countersign"
	StatusApproved            ApplicationStatus = "approved"
	StatusRefused             ApplicationStatus = "refused"
	StatusNoLicenceRequired   ApplicationStatus = "no_licence_required"
	StatusWithdrawn           ApplicationStatus = "withdrawn"
	StatusUnderAppeal         ApplicationStatus = "under_appeal"
)

// ApplicationStatuses are every status, in the order of the case.
var ApplicationStatuses = []ApplicationStatus{StatusDraft, StatusSubmitted, StatusUnderReview,
	StatusAwaitingExporter, StatusAwaitingCountersign, StatusApproved, StatusRefused,
	StatusNoLicenceRequired, StatusWithdrawn, StatusUnderAppeal}

// Open reports whether the case awaits a decision: submitted and not ended.
func (s ApplicationStatus) Open() bool { return s != StatusDraft && !s.Final() }

// Final reports whether the status ends the case (an appeal may reopen a
// refusal).
func (s ApplicationStatus) Final() bool {
	switch s {
	case StatusApproved, StatusRefused, StatusNoLicenceRequired, StatusWithdrawn:
		return true
	}
	return false
}

// Document is a file attached to an application, such as the end-user
// certificate. Its content is stored apart.
type Document struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	Kind          string    `json:"kind"`
	FileName      string    `json:"file_name"`
	ContentType   string    `json:"content_type"`
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
	UploadedBy    int64     `json:"uploaded_by"`
	UploadedAt    time.Time `json:"uploaded_at"`
}

// Document kinds and limits.
const (
	DocEndUserCertificate = "end_user_certificate"
	DocOther              = "other"
	MaxDocumentSize       = 10 << 20
)

// DocumentTypes are the content types a document may have, as sniffed from
// its first bytes.
var DocumentTypes = []string{"application/pdf", "image/png", "image/jpeg"}

// ValidateDocument checks a document's kind, name, size and sniffed content
// type.
func ValidateDocument(d *Document, sniffed string) error {
	var errs []FieldError
	if d.Kind != DocEndUserCertificate && d.Kind != DocOther {
		errs = append(errs, FieldError{"kind", "must be end_user_certificate or other"})
	}
	if strings.TrimSpace(d.FileName) == "" || len(d.FileName) > 200 {
		errs = append(errs, FieldError{"file", "a file name of at most 200 characters is required"})
	}
	switch {
	case d.Size == 0:
		errs = append(errs, FieldError{"file", "the file is empty"})
	case d.Size > MaxDocumentSize:
		errs = append(errs, FieldError{"file", fmt.Sprintf("the file is %d bytes; at most %d MB", d.Size, MaxDocumentSize>>20)})
	}
	if !slices.Contains(DocumentTypes, sniffed) {
		errs = append(errs, FieldError{"file", "must be a PDF, PNG or JPEG file, not " + sniffed})
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	d.ContentType = sniffed
	return nil
}

// InformationRequest is a question an officer puts to the exporter. While
// it is open the case waits on the exporter and its clock stops.
type InformationRequest struct {
	ID         int64      `json:"id"`
	Question   string     `json:"question"`
	AskedBy    int64      `json:"asked_by"`
	AskedAt    time.Time  `json:"asked_at"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredBy int64      `json:"answered_by,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// Departments that advise on cases.
const (
	DeptForeignAffairs = "foreign_affairs"
	DeptDefence        = "defence"
)

// AdviceType is what a department advises.
type AdviceType string

// Advice types.
const (
	AdviceApprove AdviceType = "approve"
	AdviceProviso AdviceType = "proviso"
	AdviceRefuse  AdviceType = "refuse"
)

// Advice is a department's advice on a line, a party, the destination or
// the whole case. Subject is "case", "line:N", "party:N" or "country:XX".
type Advice struct {
	ID         int64      `json:"id"`
	Department string     `json:"department"`
	Subject    string     `json:"subject"`
	Type       AdviceType `json:"type"`
	Text       string     `json:"text"`
	Proviso    string     `json:"proviso,omitempty"`
	UserID     int64      `json:"user_id"`
	Username   string     `json:"username"`
	CreatedAt  time.Time  `json:"created_at"`
}

// AdviceRequest asks a department for advice.
type AdviceRequest struct {
	ID          int64     `json:"id"`
	Department  string    `json:"department"`
	Note        string    `json:"note"`
	RequestedBy int64     `json:"requested_by"`
	RequestedAt time.Time `json:"requested_at"`
	// Answered is true once the department has advised.
	Answered bool `json:"answered"`
}

// DecisionType is the outcome an officer decides.
type DecisionType string

// Decision types.
const (
	DecisionApprove           DecisionType = "approve"
	DecisionApproveProvisos   DecisionType = "approve_with_provisos"
	DecisionRefuse            DecisionType = "refuse"
	DecisionNoLicenceRequired DecisionType = "no_licence_required"
)

// CaseDecision is an officer's decision on a case, with the letter to the
// exporter.
type CaseDecision struct {
	Type DecisionType `json:"type"`
	// Provisos are the conditions of an approval with provisos.
	Provisos []string `json:"provisos,omitempty"`
	// Criteria are the grounds of a refusal: assessment rule IDs or the
	// Guidelines' factors ("factor-A" ... "factor-F").
	Criteria []string `json:"criteria,omitempty"`
	Reasons  string   `json:"reasons"`
	// ValidMonths is the validity of the licence an approval issues.
	ValidMonths     int        `json:"valid_months,omitempty"`
	Letter          string     `json:"letter"`
	DecidedBy       int64      `json:"decided_by"`
	DecidedAt       time.Time  `json:"decided_at"`
	CountersignedBy int64      `json:"countersigned_by,omitempty"`
	CountersignedAt *time.Time `json:"countersigned_at,omitempty"`
}

// Validate checks a proposed decision.
func (d *CaseDecision) Validate() error {
	var errs []FieldError
	switch d.Type {
	case DecisionApprove, DecisionNoLicenceRequired:
	case DecisionApproveProvisos:
		if len(d.Provisos) == 0 {
			errs = append(errs, FieldError{"provisos", "an approval with provisos needs at least one proviso"})
		}
	case DecisionRefuse:
		if len(d.Criteria) == 0 {
			errs = append(errs, FieldError{"criteria", "a refusal must cite at least one criterion"})
		}
	default:
		errs = append(errs, FieldError{"type", "must be approve, approve_with_provisos, refuse or no_licence_required"})
	}
	if strings.TrimSpace(d.Reasons) == "" {
		errs = append(errs, FieldError{"reasons", "required"})
	}
	if (d.Type == DecisionApprove || d.Type == DecisionApproveProvisos) && (d.ValidMonths < 1 || d.ValidMonths > 36) {
		errs = append(errs, FieldError{"valid_months", "a licence is valid for 1 to 36 months"})
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// NeedsCountersign reports whether a decision needs a senior officer's
// countersignature: every refusal, and any decision on a Category I case.
func NeedsCountersign(d DecisionType, category Category) bool {
	return d == DecisionRefuse || category == CategoryI
}

// Application is an exporter's application with its case work.
type Application struct {
	ID int64 `json:"id"`
	// Reference is the authority's reference, as "ANX-2026-000123".
	Reference string            `json:"reference"`
	OrgID     int64             `json:"org_id"`
	Status    ApplicationStatus `json:"status"`
	ApplicationSpec
	// AmendmentOf is the licence this application asks to amend.
	AmendmentOf string      `json:"amendment_of,omitempty"`
	Assessment  *Assessment `json:"assessment,omitempty"`
	AssignedTo  int64       `json:"assigned_to,omitempty"`
	Documents   []Document  `json:"documents"`
	// Requests are the requests for information, oldest first.
	Requests       []InformationRequest `json:"requests"`
	AdviceRequests []AdviceRequest      `json:"advice_requests"`
	Advice         []Advice             `json:"advice"`
	// Consultations are the no-undercut consultations of partners whose
	// denials the application matches; it cannot be approved while one is
	// open.
	Consultations []Consultation `json:"consultations,omitempty"`
	Decision      *CaseDecision  `json:"decision,omitempty"`
	// Proposed is a decision awaiting countersignature.
	Proposed *CaseDecision `json:"proposed,omitempty"`
	Licence  string        `json:"licence,omitempty"`
	// Appealed is set once the exporter has appealed a refusal: a decision
	// may be appealed once.
	Appealed bool `json:"appealed"`
	// Version increases with every change; a change made against an older
	// version is refused, so that two officers cannot overwrite each other.
	Version     int64      `json:"version"`
	CreatedBy   int64      `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	UpdatedAt   time.Time  `json:"updated_at"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	// WorkingDays is the number of working days the case has run, not
	// counting days the exporter held a question.
	WorkingDays int `json:"working_days"`
}

// RedactForExporter removes what the authority keeps to itself from an
// application before an exporter sees it: the departments' advice and the
// requests for it, a decision awaiting countersignature, and the officer in
// charge. The automatic assessment stays: it rests on the exporter's own
// data and the public rules.
func (a *Application) RedactForExporter() {
	a.Advice = []Advice{}
	a.AdviceRequests = []AdviceRequest{}
	a.Proposed = nil
	a.AssignedTo = 0
	// Partners share their denials with governments only: the exporter
	// learns that a partner is consulted, not whose denial, on what.
	a.Consultations = nil
	if a.Assessment != nil {
		a.Assessment.RedactDenials()
	}
}

// undercutNotice is what an exporter reads of a no-undercut finding.
const undercutNotice = "The application resembles a transfer that a partner government refused; the authority consults that government before it decides."

// RedactDenials replaces what the assessment says of partners' denials,
// which governments share only with each other, with a notice that a
// partner is consulted: the no-undercut reasons' details and references,
// and the factor findings that name a denial they cite. It changes copies
// of the reasons and factors, never the slices it was given.
func (a *Assessment) RedactDenials() {
	var refs []string
	reasons := slices.Clone(a.Reasons)
	for i := range reasons {
		if reasons[i].Rule == RuleNoUndercut {
			if reasons[i].Ref != "" {
				refs = append(refs, reasons[i].Ref)
			}
			reasons[i].Detail, reasons[i].Ref = undercutNotice, ""
		}
	}
	a.Reasons = reasons
	if len(refs) == 0 {
		return
	}
	names := func(f string) bool {
		return slices.ContainsFunc(refs, func(id string) bool { return strings.Contains(f, id) })
	}
	factors := slices.Clone(a.Factors)
	for i := range factors {
		if !slices.ContainsFunc(factors[i].Findings, names) {
			continue
		}
		kept := slices.DeleteFunc(slices.Clone(factors[i].Findings), names)
		factors[i].Findings = append(kept, undercutNotice)
	}
	a.Factors = factors
}

// RuleNoUndercut is the assessment rule of a partner's denial that an
// application matches.
const RuleNoUndercut = "no-undercut"

// ActionType names a step of the case work.
type ActionType string

// Case actions.
const (
	ActSubmit             ActionType = "submit"
	ActWithdraw           ActionType = "withdraw"
	ActAssign             ActionType = "assign"
	ActRequestInformation ActionType = "request_information"
	ActAnswerInformation  ActionType = "answer_information"
	ActRequestAdvice      ActionType = "request_advice"
	ActGiveAdvice         ActionType = "give_advice"
	ActProposeDecision    ActionType = "decide"
	ActCountersign        ActionType = "countersign"
	ActRejectCountersign  ActionType = "reject_countersign"
	ActAppeal             ActionType = "appeal"
	ActDecideAppeal       ActionType = "decide_appeal"
	ActReassess           ActionType = "reassess"
)

// CaseAction is one step of the case work with what it carries.
type CaseAction struct {
	Type ActionType `json:"type"`
	// Version is the application version the actor saw.
	Version int64 `json:"version"`
	// Assignee is the officer to assign; zero assigns the actor.
	Assignee   int64         `json:"assignee,omitempty"`
	Question   string        `json:"question,omitempty"`
	Answer     string        `json:"answer,omitempty"`
	Department string        `json:"department,omitempty"`
	Note       string        `json:"note,omitempty"`
	Advice     *Advice       `json:"advice,omitempty"`
	Decision   *CaseDecision `json:"decision,omitempty"`
	Reason     string        `json:"reason,omitempty"`
}

// AppealDays is how long after a refusal the exporter may appeal.
const AppealDays = 28

// NextStatus checks that a user may take an action on an application now,
// and returns the status it leads to. It is the whole state machine of the
// case work; stores apply it inside their transactions.
func NextStatus(app *Application, act *CaseAction, u *User, now time.Time) (ApplicationStatus, error) {
	if u == nil {
		return "", Errorf(EUNAUTHORIZED, "sign in to work on applications")
	}
	exporter := u.Role.IsExporter() && u.OrgID == app.OrgID
	officer := u.Role == RoleLicensingOfficer || u.Role == RoleSeniorOfficer
	mine := app.AssignedTo == u.ID || u.Role == RoleSeniorOfficer
	deny := func(why string) (ApplicationStatus, error) {
		return "", Errorf(EFORBIDDEN, "you cannot %s: %s", strings.ReplaceAll(string(act.Type), "_", " "), why)
	}
	state := func(ok ...ApplicationStatus) bool { return slices.Contains(ok, app.Status) }
	switch act.Type {
	case ActSubmit:
		if !exporter {
			return deny("only the exporting organisation submits its application")
		}
		if !state(StatusDraft) {
			return deny("the application is already submitted")
		}
		return StatusSubmitted, nil
	case ActWithdraw:
		if !exporter {
			return deny("only the exporting organisation withdraws its application")
		}
		if !state(StatusDraft, StatusSubmitted, StatusUnderReview, StatusAwaitingExporter) {
			return deny("the case is " + string(app.Status))
		}
		return StatusWithdrawn, nil
	case ActAssign:
		if !officer {
			return deny("only licensing officers take cases")
		}
		if u.Role != RoleSeniorOfficer && act.Assignee != 0 && act.Assignee != u.ID {
			return deny("only a senior officer assigns a case to someone else")
		}
		if !state(StatusSubmitted, StatusUnderReview) {
			return deny("the case is " + string(app.Status))
		}
		return StatusUnderReview, nil
	case ActRequestInformation:
		if !officer || !mine {
			return deny("only the officer in charge asks the exporter")
		}
		if !state(StatusUnderReview) {
			return deny("the case is " + string(app.Status))
		}
		if len(strings.TrimSpace(act.Question)) < 5 {
			return "", Invalid(FieldError{"question", "ask a question"})
		}
		return StatusAwaitingExporter, nil
	case ActAnswerInformation:
		if !exporter {
			return deny("only the exporting organisation answers")
		}
		if !state(StatusAwaitingExporter) {
			return deny("no question is open")
		}
		if strings.TrimSpace(act.Answer) == "" {
			return "", Invalid(FieldError{"answer", "required"})
		}
		return StatusUnderReview, nil
	case ActRequestAdvice:
		if !officer || !mine {
			return deny("only the officer in charge asks for advice")
		}
		if !state(StatusUnderReview, StatusAwaitingExporter) {
			return deny("the case is " + string(app.Status))
		}
		if act.Department != DeptForeignAffairs && act.Department != DeptDefence {
			return "", Invalid(FieldError{"department", "must be foreign_affairs or defence"})
		}
		return app.Status, nil
	case ActGiveAdvice:
		return adviceStatus(app, act, u)
	case ActProposeDecision:
		if act.Decision != nil && approves(act.Decision.Type) {
			if err := openConsultation(app, now); err != nil {
				return "", err
			}
		}
		return decideStatus(app, act, u, officer && mine)
	case ActCountersign, ActRejectCountersign:
		if u.Role != RoleSeniorOfficer {
			return deny("only a senior officer countersigns")
		}
		if !state(StatusAwaitingCountersign) || app.Proposed == nil {
			return deny("no decision awaits countersignature")
		}
		if app.Proposed.DecidedBy == u.ID {
			return deny("the officer who proposed a decision cannot countersign it")
		}
		if act.Type == ActRejectCountersign {
			if strings.TrimSpace(act.Reason) == "" {
				return "", Invalid(FieldError{"reason", "say why the decision goes back"})
			}
			return StatusUnderReview, nil
		}
		if approves(app.Proposed.Type) {
			if err := openConsultation(app, now); err != nil {
				return "", err
			}
		}
		return decidedStatus(app.Proposed.Type), nil
	case ActAppeal:
		if !exporter {
			return deny("only the exporting organisation appeals")
		}
		if !state(StatusRefused) || app.DecidedAt == nil {
			return deny("only a refusal can be appealed")
		}
		if app.Appealed {
			return deny("the refusal was already appealed and the appeal decided")
		}
		if now.After(app.DecidedAt.AddDate(0, 0, AppealDays)) {
			return deny(fmt.Sprintf("the %d days to appeal have passed", AppealDays))
		}
		if strings.TrimSpace(act.Reason) == "" {
			return "", Invalid(FieldError{"reason", "give the grounds of the appeal"})
		}
		return StatusUnderAppeal, nil
	case ActDecideAppeal:
		if u.Role != RoleSeniorOfficer {
			return deny("only a senior officer decides an appeal")
		}
		if !state(StatusUnderAppeal) {
			return deny("no appeal is open")
		}
		if act.Decision == nil {
			return "", Invalid(FieldError{"decision", "required"})
		}
		if err := act.Decision.Validate(); err != nil {
			return "", err
		}
		if approves(act.Decision.Type) {
			if err := openConsultation(app, now); err != nil {
				return "", err
			}
		}
		return decidedStatus(act.Decision.Type), nil
	case ActReassess:
		if !officer {
			return deny("only officers reassess")
		}
		if !app.Status.Open() {
			return deny("the case is " + string(app.Status))
		}
		return app.Status, nil
	}
	return "", Invalid(FieldError{"type", "unknown action " + quote(string(act.Type))})
}

// approves reports whether a decision approves the transfer.
func approves(d DecisionType) bool { return d == DecisionApprove || d == DecisionApproveProvisos }

// openConsultation returns ECONFLICT when a no-undercut consultation of the
// application is still open at now: the partner has neither answered nor
// let the clock run out, and the transfer may not be approved before.
func openConsultation(app *Application, now time.Time) error {
	for _, c := range app.Consultations {
		if c.StatusAt(now) == ConsultationOpen {
			return Errorf(ECONFLICT, "the application cannot be approved yet: %s has not answered the consultation on its denial %s, open until %s (MTCR no-undercut)",
				c.Partner, c.DenialID, c.DueAt.UTC().Format(time.DateOnly))
		}
	}
	return nil
}

func adviceStatus(app *Application, act *CaseAction, u *User) (ApplicationStatus, error) {
	if u.Role != RoleReviewer {
		return "", Errorf(EFORBIDDEN, "only reviewers of the advising departments give advice")
	}
	pending := false
	for _, r := range app.AdviceRequests {
		pending = pending || (r.Department == u.Department && !r.Answered)
	}
	if !pending {
		return "", Errorf(EFORBIDDEN, "no advice is requested from your department on this case")
	}
	if act.Advice == nil {
		return "", Invalid(FieldError{"advice", "required"})
	}
	a := act.Advice
	var errs []FieldError
	if a.Type != AdviceApprove && a.Type != AdviceProviso && a.Type != AdviceRefuse {
		errs = append(errs, FieldError{"advice.type", "must be approve, proviso or refuse"})
	}
	if !validSubject(a.Subject, app) {
		errs = append(errs, FieldError{"advice.subject", "must be case, line:N, party:N or country:XX of this application"})
	}
	if strings.TrimSpace(a.Text) == "" {
		errs = append(errs, FieldError{"advice.text", "required"})
	}
	if a.Type == AdviceProviso && strings.TrimSpace(a.Proviso) == "" {
		errs = append(errs, FieldError{"advice.proviso", "state the proviso"})
	}
	if len(errs) > 0 {
		return "", Invalid(errs...)
	}
	return app.Status, nil
}

func validSubject(s string, app *Application) bool {
	kind, rest, _ := strings.Cut(s, ":")
	var n int
	switch kind {
	case "case":
		return rest == ""
	case "country":
		return countryRE.MatchString(rest)
	case "line":
		_, err := fmt.Sscanf(rest, "%d", &n)
		return err == nil && n >= 0 && n < len(app.Items)
	case "party":
		_, err := fmt.Sscanf(rest, "%d", &n)
		return err == nil && n >= 0 && n < len(app.Parties)
	}
	return false
}

func decideStatus(app *Application, act *CaseAction, u *User, inCharge bool) (ApplicationStatus, error) {
	if !inCharge {
		return "", Errorf(EFORBIDDEN, "only the officer in charge decides the case")
	}
	if app.Status != StatusUnderReview {
		return "", Errorf(EFORBIDDEN, "you cannot decide: the case is %s", app.Status)
	}
	for _, r := range app.AdviceRequests {
		if !r.Answered {
			return "", Errorf(ECONFLICT, "advice from %s is still awaited", strings.ReplaceAll(r.Department, "_", " "))
		}
	}
	if act.Decision == nil {
		return "", Invalid(FieldError{"decision", "required"})
	}
	if err := act.Decision.Validate(); err != nil {
		return "", err
	}
	category := Category("")
	if app.Assessment != nil {
		category = app.Assessment.Category
	}
	if NeedsCountersign(act.Decision.Type, category) {
		return StatusAwaitingCountersign, nil
	}
	return decidedStatus(act.Decision.Type), nil
}

func decidedStatus(t DecisionType) ApplicationStatus {
	switch t {
	case DecisionRefuse:
		return StatusRefused
	case DecisionNoLicenceRequired:
		return StatusNoLicenceRequired
	}
	return StatusApproved
}

// Interval is a span of time; an open interval has a zero To.
type Interval struct {
	From time.Time
	To   time.Time
}

// WorkingDays counts the working days (Monday to Friday, except holidays
// given as YYYY-MM-DD) from the day after start up to and including end,
// leaving out days that fall within a pause: the days the exporter held a
// question. It is the case's clock.
func WorkingDays(start, end time.Time, pauses []Interval, holidays []string) int {
	n := 0
	for d := start.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1); !d.After(end.UTC()); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday || slices.Contains(holidays, d.Format(time.DateOnly)) {
			continue
		}
		paused := false
		for _, p := range pauses {
			to := p.To
			if to.IsZero() {
				to = end
			}
			paused = paused || (!d.Before(p.From.UTC().Truncate(24*time.Hour)) && d.Before(to.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)))
		}
		if !paused {
			n++
		}
	}
	return n
}

// ApplicationFilter selects applications. Nil fields are not filtered on.
type ApplicationFilter struct {
	ID         *int64
	OrgID      *int64
	Status     []ApplicationStatus
	AssignedTo *int64
	// Department selects cases awaiting advice from the department.
	Department *string
	// Summary leaves out what a list does not show: documents, advice,
	// proposed decisions and the assessment's detail. The assessment keeps
	// its recommendation, presumption, category and whether a licence is
	// required.
	Summary bool
	Offset  int
	Limit   int
}

// ApplicationService keeps applications and their case work. Exporters see
// and touch only their own organisation's applications; every change is
// audited; a change against an old version is refused with ECONFLICT.
type ApplicationService interface {
	// CreateApplication stores a draft for the signed-in exporter's
	// organisation.
	CreateApplication(ctx context.Context, app *Application) error
	// UpdateApplication replaces a draft's content.
	UpdateApplication(ctx context.Context, id, version int64, spec ApplicationSpec) (*Application, error)
	FindApplicationByID(ctx context.Context, id int64) (*Application, error)
	FindApplications(ctx context.Context, filter ApplicationFilter) ([]*Application, int, error)
	// Act takes one step of the case work (see NextStatus). Submitting and
	// reassessing run the assessment.
	Act(ctx context.Context, id int64, act *CaseAction) (*Application, error)
	AddDocument(ctx context.Context, appID int64, doc *Document, content []byte) error
	FindDocument(ctx context.Context, id int64) (*Document, []byte, error)
}
