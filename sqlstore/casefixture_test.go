package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"annex"
	"annex/sqlstore"
)

// caseTime is the clock of the case-work tests: Monday 2 March 2026, 09:00
// UTC, so that WorkingDays can be counted by hand.
var caseTime = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// testPDF is a tiny document that sniffs as application/pdf.
var testPDF = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")

// testPNG is the start of a PNG file, which sniffs as image/png.
var testPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")

// fakeAssess is an annex.AssessService whose behaviour the test sets.
type fakeAssess struct {
	AssessFn func(ctx context.Context, spec *annex.ApplicationSpec) (*annex.Assessment, error)
}

func (f *fakeAssess) Assess(ctx context.Context, spec *annex.ApplicationSpec) (*annex.Assessment, error) {
	return f.AssessFn(ctx, spec)
}

// testSpec is an application for two goods lines to a research institute.
func testSpec() annex.ApplicationSpec {
	return annex.ApplicationSpec{
		Destination: "IN",
		EndUse:      "Guidance of sounding rockets for atmospheric research",
		Assurances:  annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true},
		Parties: []annex.ApplicationParty{
			{Role: annex.RoleEndUser, Name: "Vikram Sarabhai Space Centre", Country: "IN", Address: "Thiruvananthapuram"},
			{Role: annex.RoleConsignee, Name: "Bharat Freight Ltd", Country: "IN"},
		},
		Items: []annex.ApplicationLine{
			{Item: annex.Item{Name: "IMU-300 inertial unit", Kind: "inertial_measurement_unit",
				Params: map[string]any{"bias_stability_deg_h": 0.5}}, Quantity: 10, Unit: "units", Value: 100000},
			{Item: annex.Item{Kind: "composite_propellant"}, Quantity: 500, Unit: "kg", Value: 20000},
		},
	}
}

// testAssessment is what fakeAssess finds: a licence is required, with
// the strictest category given.
func testAssessment(cat annex.Category) *annex.Assessment {
	return &annex.Assessment{
		LicenceRequired: true,
		Recommendation:  annex.RecommendRefer,
		Presumption:     annex.PresumptionCaseByCase,
		Category:        cat,
		Reasons:         []annex.Reason{{Rule: "mtcr-cat2", Outcome: annex.RecommendRefer, Detail: "Category II item"}},
		Destination:     annex.DestinationStatus{Country: "IN", Name: "India", Partner: true},
		Lines: []annex.LineAssessment{
			{Line: 0, Classification: &annex.Classification{Kind: "inertial_measurement_unit", Controlled: true,
				Category: cat, Entries: []annex.Match{{ID: "9.A.3", Category: cat}, {ID: "9.A.8", Category: cat}}}},
			{Line: 1, Classification: &annex.Classification{Kind: "composite_propellant", Controlled: true,
				Category: annex.CategoryII, Entries: []annex.Match{{ID: "4.C.2.c", Category: annex.CategoryII}}}},
		},
		ListVersion: "mtcr-2025",
		AssessedAt:  caseTime,
	}
}

// caseFixture is a database with the people of the case work: two
// exporting organisations with a user each, officers, reviewers of both
// departments and a customs officer.
type caseFixture struct {
	db       *sqlstore.DB
	apps     *sqlstore.ApplicationService
	licences *sqlstore.LicenceService
	advance  func(time.Duration)
	// category is the category the fake assessment finds.
	category annex.Category

	acme, other                      int64
	ann, olga                        *annex.User // exporters of acme and other
	officer, officer2, senior, sally *annex.User // licensing and senior officers
	dave, fay                        *annex.User // reviewers of defence and foreign affairs
	carl                             *annex.User // customs
}

func newCaseFixture(t *testing.T, db *sqlstore.DB) *caseFixture {
	t.Helper()
	ctx := t.Context()
	f := &caseFixture{db: db, advance: SetClock(db, caseTime), category: annex.CategoryII}
	f.apps = sqlstore.NewApplicationService(db)
	f.apps.Authority = "Annex Test Authority"
	f.apps.Assess = &fakeAssess{AssessFn: func(ctx context.Context, spec *annex.ApplicationSpec) (*annex.Assessment, error) {
		return testAssessment(f.category), nil
	}}
	f.licences = sqlstore.NewLicenceService(db)
	f.acme = MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
	f.other = MustCreateOrganisation(t, ctx, db, "Other Exports", "exporter")
	user := func(name string, role annex.Role, org int64, dept string) *annex.User {
		return MustCreateUser(t, ctx, db, annex.User{Username: name, Role: role, OrgID: org, Department: dept}, testPassword)
	}
	f.ann = user("ann", annex.RoleExporterUser, f.acme, "")
	f.olga = user("olga", annex.RoleExporterAdmin, f.other, "")
	f.officer = user("officer", annex.RoleLicensingOfficer, 0, "")
	f.officer2 = user("officer2", annex.RoleLicensingOfficer, 0, "")
	f.senior = user("senior", annex.RoleSeniorOfficer, 0, "")
	f.sally = user("sally", annex.RoleSeniorOfficer, 0, "")
	f.dave = user("dave", annex.RoleReviewer, 0, annex.DeptDefence)
	f.fay = user("fay", annex.RoleReviewer, 0, annex.DeptForeignAffairs)
	f.carl = user("carl", annex.RoleCustoms, 0, "")
	return f
}

// as returns a context signed in as u.
func (f *caseFixture) as(ctx context.Context, u *annex.User) context.Context {
	return annex.NewContextWithUser(ctx, u)
}

// mustCreate creates a draft of testSpec as ann.
func (f *caseFixture) mustCreate(t *testing.T) *annex.Application {
	t.Helper()
	app := &annex.Application{ApplicationSpec: testSpec()}
	if err := f.apps.CreateApplication(f.as(t.Context(), f.ann), app); err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	return app
}

// mustAct takes the action as u on the application at its version and
// returns the application after it.
func (f *caseFixture) mustAct(t *testing.T, u *annex.User, app *annex.Application, act annex.CaseAction) *annex.Application {
	t.Helper()
	act.Version = app.Version
	got, err := f.apps.Act(f.as(t.Context(), u), app.ID, &act)
	if err != nil {
		t.Fatalf("Act(%s as %s): %v", act.Type, u.Username, err)
	}
	if got.Version != app.Version+1 {
		t.Fatalf("Version=%d, want %d", got.Version, app.Version+1)
	}
	return got
}

// mustUnderReview creates, submits and assigns to the officer an
// application.
func (f *caseFixture) mustUnderReview(t *testing.T) *annex.Application {
	t.Helper()
	app := f.mustCreate(t)
	app = f.mustAct(t, f.ann, app, annex.CaseAction{Type: annex.ActSubmit})
	return f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActAssign})
}

// approval is a decision to approve for a year.
func approval(reasons string) *annex.CaseDecision {
	return &annex.CaseDecision{Type: annex.DecisionApprove, Reasons: reasons, ValidMonths: 12}
}

// refusal is a decision to refuse on factor A.
func refusal(reasons string) *annex.CaseDecision {
	return &annex.CaseDecision{Type: annex.DecisionRefuse, Criteria: []string{"factor-A"}, Reasons: reasons}
}

// mustApprove takes a Category II application through to approval and
// returns it with its licence.
func (f *caseFixture) mustApprove(t *testing.T) (*annex.Application, *annex.Licence) {
	t.Helper()
	app := f.mustUnderReview(t)
	app = f.mustAct(t, f.officer, app, annex.CaseAction{Type: annex.ActProposeDecision, Decision: approval("fine")})
	if app.Status != annex.StatusApproved {
		t.Fatalf("Status=%v, want %v", app.Status, annex.StatusApproved)
	}
	l, err := f.licences.FindLicenceByNumber(f.as(t.Context(), f.officer), app.Licence)
	if err != nil {
		t.Fatalf("FindLicenceByNumber: %v", err)
	}
	return app, l
}

// wantCode fails the test unless err has the code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := annex.ErrorCode(err); got != code {
		t.Fatalf("%s: ErrorCode=%q (%v), want %q", what, got, err, code)
	}
}

// auditActions returns the actions of the audit events of a subject.
func auditActions(t *testing.T, db *sqlstore.DB, subject string) []string {
	t.Helper()
	events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(t.Context(), annex.AuditFilter{Subject: &subject})
	if err != nil {
		t.Fatalf("FindAuditEvents: %v", err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	return actions
}

// countRows returns how many rows of a table match the condition.
func countRows(t *testing.T, db *sqlstore.DB, table, cond string, args ...any) string {
	t.Helper()
	if cond == "" {
		cond = "1 = 1"
	}
	n, err := db.QueryStringForTest(t.Context(), `SELECT CAST(COUNT(*) AS TEXT) FROM `+table+` WHERE `+cond, args...)
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return strings.TrimSpace(n)
}
