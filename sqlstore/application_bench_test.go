package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"annex"
	"annex/sqlstore"
)

// benchAssessment is an assessment of about the size the policy writes:
// reasons, the six factors with findings, classified lines with notes and
// screened parties.
func benchAssessment() *annex.Assessment {
	a := testAssessment(annex.CategoryII)
	for i := range 6 {
		a.Factors = append(a.Factors, annex.Factor{ID: fmt.Sprintf("factor-%c", 'A'+i),
			Title: "Concerns about the proliferation of weapons of mass destruction",
			Findings: []string{"The destination is an MTCR partner with an export-control system in force.",
				"No screening match for any party; the end user is a known research institute."}})
		a.Reasons = append(a.Reasons, annex.Reason{Rule: fmt.Sprintf("rule-%d", i), Outcome: annex.RecommendRefer,
			Detail: "Category II item to a partner: case-by-case review under the Guidelines, paragraph 3."})
	}
	for _, la := range a.Lines {
		la.Classification.Summary = "Controlled under the entries listed: Category II, case-by-case review."
		la.Classification.Notes = []annex.Note{{Type: "advisory", Text: strings.Repeat("An exception could not be tested. ", 6)}}
	}
	for i, p := range testSpec().Parties {
		a.Parties = append(a.Parties, annex.PartyScreening{Party: i, Role: p.Role, Name: p.Name,
			Result: &annex.ScreenResult{Query: p.Name, Threshold: 0.9, Matches: []annex.ScreenMatch{}}})
	}
	return a
}

// seedApplications stores n applications spread over 50 organisations and
// the statuses of case work, each with an 8 KB document and a third with
// a request for information, as one transaction per table.
func seedApplications(tb testing.TB, db *sqlstore.DB, n int) (officer *annex.User) {
	tb.Helper()
	ctx := tb.Context()
	officer = MustCreateUser(tb, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
	var orgs []int64
	for i := range 50 {
		orgs = append(orgs, MustCreateOrganisation(tb, ctx, db, fmt.Sprintf("Exporter %02d", i), "exporter"))
	}
	exporter := MustCreateUser(tb, ctx, db, annex.User{Username: "exporter", Role: annex.RoleExporterUser, OrgID: orgs[0]}, testPassword)
	spec, _ := json.Marshal(testSpec())
	assessment, _ := json.Marshal(benchAssessment())
	statuses := []annex.ApplicationStatus{annex.StatusDraft, annex.StatusSubmitted, annex.StatusUnderReview,
		annex.StatusAwaitingExporter, annex.StatusAwaitingCountersign, annex.StatusApproved, annex.StatusApproved,
		annex.StatusRefused, annex.StatusWithdrawn, annex.StatusApproved}
	content := append(append([]byte{}, testPDF...), make([]byte, 8<<10)...)

	var apps, docs, requests [][]any
	for i := range n {
		at := caseTime.Add(time.Duration(i) * time.Minute)
		st := statuses[i%len(statuses)]
		var ref, assess, assigned any
		if st != annex.StatusDraft {
			ref, assess, assigned = fmt.Sprintf("ANX-2026-%06d", i+1), string(assessment), officer.ID
		}
		apps = append(apps, []any{i + 1, ref, orgs[i%len(orgs)], string(st), string(spec), assess, assigned, exporter.ID, at, exporter.ID, at})
		docs = append(docs, []any{i + 1, "end_user_certificate", "euc.pdf", "application/pdf", len(content), "0", exporter.ID, at, content})
		if i%3 == 0 {
			requests = append(requests, []any{i + 1, "Who operates the launch site?", officer.ID, at})
		}
	}
	overriding := "" // PostgreSQL generates IDs unless told otherwise
	if db.Dialect() == sqlstore.DialectPostgres {
		overriding = "OVERRIDING SYSTEM VALUE"
	}
	for _, seed := range []struct {
		query string
		rows  [][]any
	}{
		{`INSERT INTO applications (id, reference, org_id, status, spec, assessment, assigned_to, version, created_by,
			created_at, updated_by, updated_at) ` + overriding + ` VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`, apps},
		{`INSERT INTO documents (application_id, kind, file_name, content_type, size, sha256, uploaded_by, uploaded_at,
			content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, docs},
		{`INSERT INTO information_requests (application_id, question, asked_by, asked_at) VALUES (?, ?, ?, ?)`, requests},
	} {
		if err := db.ExecManyForTest(ctx, seed.query, seed.rows); err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	return officer
}

// caseList is an officer's list of open cases: the first page of 50.
var caseList = annex.ApplicationFilter{Status: []annex.ApplicationStatus{annex.StatusSubmitted, annex.StatusUnderReview,
	annex.StatusAwaitingExporter}, Limit: 50}

// TestFindApplications_queryPlan checks that SQLite answers the case list
// from the indexes and reads documents by application without their
// content.
func TestFindApplications_queryPlan(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	ctx := t.Context()
	dept := annex.DeptDefence
	officer := int64(1)
	for _, tt := range []struct {
		name   string
		filter annex.ApplicationFilter
		index  string
	}{
		{"status", caseList, "applications_status"},
		{"assigned", annex.ApplicationFilter{AssignedTo: &officer, Limit: 50}, "applications_assigned_to"},
		{"department", annex.ApplicationFilter{Department: &dept, Limit: 50}, "advice_requests_open"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			list, docs, err := db.ExplainFindApplicationsForTest(ctx, tt.filter)
			if err != nil {
				t.Fatalf("explain: %v", err)
			}
			plan := strings.Join(list, "\n")
			if !strings.Contains(plan, tt.index) || strings.Contains(plan, "SCAN a") {
				t.Fatalf("list plan uses no %s or scans the table:\n%s", tt.index, plan)
			}
			if plan := strings.Join(docs, "\n"); !strings.Contains(plan, "documents_application_id") {
				t.Fatalf("documents plan uses no index:\n%s", plan)
			}
		})
	}
}

// BenchmarkFindApplications times an officer's case list page (50 open
// cases, newest first, with their case work) over 5,000 applications on
// SQLite: one request at a time, and 50 users at once, reporting the
// latencies the web's target (p99 at most 100 ms with 50 concurrent users)
// is about.
func BenchmarkFindApplications(b *testing.B) {
	db := MustOpenDB(b)
	officer := seedApplications(b, db, 5000)
	SetClock(db, caseTime.Add(30*day))
	s := sqlstore.NewApplicationService(db)
	ctx := annex.NewContextWithUser(b.Context(), officer)
	if apps, n, err := s.FindApplications(ctx, caseList); err != nil || len(apps) != 50 || n != 1500 {
		b.Fatalf("FindApplications: %d applications, n=%d, err=%v, want 50 of 1500", len(apps), n, err)
	}

	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := s.FindApplications(ctx, caseList); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("users=50", func(b *testing.B) {
		const users = 50
		page := func() time.Duration {
			start := time.Now()
			if _, _, err := s.FindApplications(ctx, caseList); err != nil {
				b.Error(err)
			}
			return time.Since(start)
		}
		// Warm up: open the pool's connections before the clock runs.
		var warm sync.WaitGroup
		for range users {
			warm.Go(func() { page() })
		}
		warm.Wait()

		var mu sync.Mutex
		var latencies []time.Duration
		work := make(chan struct{})
		var wg sync.WaitGroup
		for range users {
			wg.Go(func() {
				for range work {
					d := page()
					mu.Lock()
					latencies = append(latencies, d)
					mu.Unlock()
				}
			})
		}
		for b.Loop() {
			work <- struct{}{}
		}
		close(work)
		wg.Wait()
		slices.Sort(latencies)
		pct := func(p float64) float64 {
			return float64(latencies[int(p*float64(len(latencies)-1))]) / float64(time.Millisecond)
		}
		b.ReportMetric(pct(0.50), "p50-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
	})
}
