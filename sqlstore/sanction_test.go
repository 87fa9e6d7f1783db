package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// registerFixture is a sanctions register with its users: an analyst who
// keeps it, a licensing officer who reads it and an exporter kept out.
type registerFixture struct {
	db                         *sqlstore.DB
	s                          *sqlstore.SanctionService
	analyst, officer, exporter *annex.User
	// ctx carries the analyst.
	ctx context.Context
	// advance moves the clock on.
	advance func(time.Duration)
}

func newRegisterFixture(t *testing.T, db *sqlstore.DB) *registerFixture {
	t.Helper()
	ctx := t.Context()
	f := &registerFixture{db: db, s: sqlstore.NewSanctionService(db), advance: SetClock(db, testTime)}
	org := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
	f.analyst = MustCreateUser(t, ctx, db, annex.User{Username: "ana", Role: annex.RoleAnalyst}, testPassword)
	f.officer = MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
	f.exporter = MustCreateUser(t, ctx, db, annex.User{Username: "ann", Role: annex.RoleExporterUser, OrgID: org}, testPassword)
	f.ctx = annex.NewContextWithUser(ctx, f.analyst)
	return f
}

// entity creates the entity as the analyst.
func (f *registerFixture) entity(t *testing.T, e annex.SanctionEntity) *annex.SanctionEntity {
	t.Helper()
	if err := f.s.CreateSanctionEntity(f.ctx, &e); err != nil {
		t.Fatalf("CreateSanctionEntity(%q): %v", e.Name, err)
	}
	return &e
}

// report creates a report of a Category I transfer as the analyst.
func (f *registerFixture) report(t *testing.T, ref, title, date string, supplier, recipient int64) *annex.TransferReport {
	t.Helper()
	r := &annex.TransferReport{Reference: ref, Title: title, Date: date, SupplierID: supplier, RecipientID: recipient,
		Category: annex.CategoryI, Sources: []annex.EvidenceSource{{Citation: "58 FR 45352", Reliability: "B"}}}
	if err := f.s.CreateTransferReport(f.ctx, r); err != nil {
		t.Fatalf("CreateTransferReport(%q): %v", ref, err)
	}
	return r
}

// determination creates a determination with the measures as the analyst.
func (f *registerFixture) determination(t *testing.T, reportID int64, measures ...annex.Measure) *annex.Determination {
	t.Helper()
	d := testDetermination(reportID, measures...)
	if err := f.s.CreateDetermination(f.ctx, d); err != nil {
		t.Fatalf("CreateDetermination: %v", err)
	}
	return d
}

func testDetermination(reportID int64, measures ...annex.Measure) *annex.Determination {
	return &annex.Determination{
		ReportID: reportID,
		Input: annex.DeterminationInput{Date: "2025-03-01",
			Supplier:  annex.TransferParty{Name: "CPMIEC", Country: "CN", Role: annex.TransferSupplier},
			Recipient: annex.TransferParty{Name: "KRL", Country: "PK", Role: annex.TransferRecipient},
			Category:  annex.CategoryI, SubstantiallyContributed: true},
		Result: annex.DeterminationResult{Measures: measures, Category: annex.CategoryI,
			Reasons: []string{"Category I item transferred: AECA §73(a)(2)(B)"}, Packs: []string{"us-mtcr@2025"}},
		Note: "Second M-11 determination.",
	}
}

// testMeasure is a measure on the entity from 2025-03-01 to end ("" for none).
func testMeasure(e *annex.SanctionEntity, kind annex.MeasureKind, end string) annex.Measure {
	return annex.Measure{Entity: e.Name, Country: e.Country, Role: annex.TransferSupplier, Measure: kind,
		LegalBasis: "AECA §73(a)(2)(B)(ii)", Description: "No licences for USML items.", Pack: "us-mtcr",
		Start: "2025-03-01", End: end, Minimum: true, EntityID: e.ID}
}

// errorFieldNames returns the fields an error names.
func errorFieldNames(err error) []string {
	var fields []string
	for _, f := range annex.ErrorFields(err) {
		fields = append(fields, f.Field)
	}
	return fields
}

// entityNames returns the names of the entities, in order.
func entityNames(es []*annex.SanctionEntity) []string {
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
	}
	return names
}

// measureIDs returns the IDs of the measures, in order.
func measureIDs(ms []*annex.Measure) []int64 {
	var ids []int64
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

// registerEvents returns "action subject by actor" of the audit events of
// the sanctions register, oldest first.
func registerEvents(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(t.Context(), annex.AuditFilter{})
	if err != nil {
		t.Fatalf("FindAuditEvents: %v", err)
	}
	var out []string
	for _, e := range events {
		kind, _, _ := strings.Cut(e.Action, ".")
		switch kind {
		case "sanction_entity", "transfer_report", "determination", "waiver", "hold":
			out = append(out, e.Action+" "+e.Subject+" by "+e.Actor)
		}
	}
	return out
}

func TestSanctionService_SanctionEntities(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		e := &annex.SanctionEntity{Name: " China Precision Machinery Import-Export Corporation ", Aliases: []string{" CPMIEC "},
			Type: annex.EntityOrganization, Country: "cn", SubUnits: true,
			ListRefs: []annex.ListRef{{Source: annex.SourceUSCSL, SourceID: "csl-1234"}}, Notes: "M-11 supplier."}
		if err := f.s.CreateSanctionEntity(f.ctx, e); err != nil {
			t.Fatalf("CreateSanctionEntity: %v", err)
		}
		want := &annex.SanctionEntity{ID: e.ID, Name: "China Precision Machinery Import-Export Corporation",
			Aliases: []string{"CPMIEC"}, Type: annex.EntityOrganization, Country: "CN", SubUnits: true,
			ListRefs: []annex.ListRef{{Source: annex.SourceUSCSL, SourceID: "csl-1234"}}, Notes: "M-11 supplier.",
			CreatedAt: testTimeStored, UpdatedAt: testTimeStored}
		if diff := cmp.Diff(want, e); diff != "" {
			t.Fatalf("created entity (-want +got):\n%s", diff)
		}
		if got, err := f.s.FindSanctionEntityByID(f.ctx, e.ID); err != nil {
			t.Fatalf("FindSanctionEntityByID: %v", err)
		} else if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("found entity (-want +got):\n%s", diff)
		}
		_, err := f.s.FindSanctionEntityByID(f.ctx, e.ID+100)
		wantCode(t, "FindSanctionEntityByID(unknown)", err, annex.ENOTFOUND)
		err = f.s.CreateSanctionEntity(f.ctx, &annex.SanctionEntity{Name: "No Country"})
		wantCode(t, "CreateSanctionEntity(no country)", err, annex.EINVALID)

		f.entity(t, annex.SanctionEntity{Name: "Khan Research Laboratories", Aliases: []string{"KRL", "A.Q. Khan Research Laboratories"}, Country: "PK"})
		f.entity(t, annex.SanctionEntity{Name: "Korea Mining Development Trading Corporation", Aliases: []string{"KOMID", "Ch'anggwang Sinyong"}, Country: "KP"})
		f.entity(t, annex.SanctionEntity{Name: "Shahid Hemmat Industrial Group", Aliases: []string{"SHIG", "100%_Group"}, Country: "IR"})

		tests := []struct {
			name   string
			filter annex.SanctionEntityFilter
			want   []string
			total  int
		}{
			{"all", annex.SanctionEntityFilter{}, []string{want.Name, "Khan Research Laboratories",
				"Korea Mining Development Trading Corporation", "Shahid Hemmat Industrial Group"}, 4},
			{"alias, ignoring case", annex.SanctionEntityFilter{Query: "komid"}, []string{"Korea Mining Development Trading Corporation"}, 1},
			{"part of an alias", annex.SanctionEntityFilter{Query: "Q. KHAN"}, []string{"Khan Research Laboratories"}, 1},
			{"part of a name", annex.SanctionEntityFilter{Query: "corporation"}, []string{want.Name, "Korea Mining Development Trading Corporation"}, 2},
			{"apostrophe", annex.SanctionEntityFilter{Query: "ch'ang"}, []string{"Korea Mining Development Trading Corporation"}, 1},
			{"wildcards are literal", annex.SanctionEntityFilter{Query: "0%_g"}, []string{"Shahid Hemmat Industrial Group"}, 1},
			{"percent alone", annex.SanctionEntityFilter{Query: "%"}, []string{"Shahid Hemmat Industrial Group"}, 1},
			{"across name and alias", annex.SanctionEntityFilter{Query: "laboratories krl"}, nil, 0},
			{"country", annex.SanctionEntityFilter{Country: "pk"}, []string{"Khan Research Laboratories"}, 1},
			{"query and country", annex.SanctionEntityFilter{Query: "corporation", Country: "KP"}, []string{"Korea Mining Development Trading Corporation"}, 1},
			{"page", annex.SanctionEntityFilter{Limit: 2, Offset: 1}, []string{"Khan Research Laboratories", "Korea Mining Development Trading Corporation"}, 4},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := f.s.FindSanctionEntities(annex.NewContextWithUser(t.Context(), f.officer), tt.filter)
				if err != nil {
					t.Fatalf("FindSanctionEntities: %v", err)
				}
				if diff := cmp.Diff(tt.want, entityNames(got)); diff != "" || total != tt.total {
					t.Fatalf("total=%d, want %d; names (-want +got):\n%s", total, tt.total, diff)
				}
			})
		}
	})
}

func TestSanctionService_TransferReports(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		cpmiec := f.entity(t, annex.SanctionEntity{Name: "CPMIEC", Country: "CN"})
		krl := f.entity(t, annex.SanctionEntity{Name: "Khan Research Laboratories", Country: "PK"})
		shig := f.entity(t, annex.SanctionEntity{Name: "Shahid Hemmat Industrial Group", Country: "IR"})

		r := &annex.TransferReport{Reference: " TR-1993-001 ", Title: "M-11 launchers to Pakistan", Date: "1992-11-20",
			SupplierID: cpmiec.ID, RecipientID: krl.ID,
			Items:    []annex.ReportItem{{Description: "M-11 transporter-erector-launchers", Quantity: 4, Item: annex.Item{Kind: "rocket_system"}}},
			Category: annex.CategoryI,
			Sources: []annex.EvidenceSource{{Citation: "58 FR 45352", URL: "https://www.federalregister.gov/", Reliability: "A"},
				{Citation: "Press report", Reliability: "C"}},
			Assessment: "Substantial contribution to a Category I system.", SubstantiallyContributed: true}
		if err := f.s.CreateTransferReport(f.ctx, r); err != nil {
			t.Fatalf("CreateTransferReport: %v", err)
		}
		want := *r
		want.Reference, want.CreatedBy, want.CreatedAt, want.UpdatedAt = "TR-1993-001", f.analyst.ID, testTimeStored, testTimeStored
		want.Supplier, want.Recipient = cpmiec, krl
		if diff := cmp.Diff(&want, r); diff != "" || r.ID == 0 {
			t.Fatalf("created report ID=%d (-want +got):\n%s", r.ID, diff)
		}
		if got, err := f.s.FindTransferReportByID(f.ctx, r.ID); err != nil {
			t.Fatalf("FindTransferReportByID: %v", err)
		} else if diff := cmp.Diff(&want, got); diff != "" {
			t.Fatalf("found report (-want +got):\n%s", diff)
		}
		_, err := f.s.FindTransferReportByID(f.ctx, r.ID+100)
		wantCode(t, "FindTransferReportByID(unknown)", err, annex.ENOTFOUND)

		f.advance(time.Hour)
		f.report(t, "TR-1998-002", "Ghauri components", "1998-04-06", krl.ID, shig.ID)
		f.report(t, "TR-2000-003", "Shahab-3 motors", "2000-06-01", cpmiec.ID, shig.ID)

		errTests := []struct {
			name   string
			r      annex.TransferReport
			code   string
			fields []string
		}{
			{"duplicate reference", annex.TransferReport{Reference: "TR-1998-002", SupplierID: cpmiec.ID, RecipientID: krl.ID}, annex.ECONFLICT, nil},
			{"unknown supplier", annex.TransferReport{SupplierID: 999, RecipientID: krl.ID}, annex.EINVALID, []string{"supplier_id"}},
			{"unknown parties", annex.TransferReport{SupplierID: 998, RecipientID: 999}, annex.EINVALID, []string{"supplier_id", "recipient_id"}},
			{"unknown recipient", annex.TransferReport{SupplierID: krl.ID, RecipientID: 999}, annex.EINVALID, []string{"recipient_id"}},
			{"invalid", annex.TransferReport{Reference: "TR-X", SupplierID: krl.ID, RecipientID: krl.ID, Date: "1998-13-01"}, annex.EINVALID,
				[]string{"title", "date", "recipient_id", "items", "sources"}},
		}
		for _, tt := range errTests {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.r
				if r.Reference == "" {
					r.Reference = "TR-" + tt.name
				}
				if r.Date == "" {
					r.Title, r.Date, r.Category = "A title", "1999-01-01", annex.CategoryII
					r.Sources = []annex.EvidenceSource{{Citation: "x", Reliability: "F"}}
				}
				err := f.s.CreateTransferReport(f.ctx, &r)
				wantCode(t, "CreateTransferReport", err, tt.code)
				if diff := cmp.Diff(tt.fields, errorFieldNames(err)); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
			})
		}

		tests := []struct {
			name   string
			filter annex.TransferReportFilter
			want   []string
			total  int
		}{
			{"all, latest first", annex.TransferReportFilter{}, []string{"TR-2000-003", "TR-1998-002", "TR-1993-001"}, 3},
			{"reference", annex.TransferReportFilter{Query: "tr-1998"}, []string{"TR-1998-002"}, 1},
			{"title", annex.TransferReportFilter{Query: "SHAHAB"}, []string{"TR-2000-003"}, 1},
			{"entity as supplier or recipient", annex.TransferReportFilter{EntityID: krl.ID}, []string{"TR-1998-002", "TR-1993-001"}, 2},
			{"from", annex.TransferReportFilter{From: "1998-04-06"}, []string{"TR-2000-003", "TR-1998-002"}, 2},
			{"until", annex.TransferReportFilter{Until: "1998-04-06"}, []string{"TR-1998-002", "TR-1993-001"}, 2},
			{"range", annex.TransferReportFilter{From: "1993-01-01", Until: "1999-12-31"}, []string{"TR-1998-002"}, 1},
			{"entity and range", annex.TransferReportFilter{EntityID: shig.ID, Until: "1999-12-31"}, []string{"TR-1998-002"}, 1},
			{"page", annex.TransferReportFilter{Limit: 1, Offset: 1}, []string{"TR-1998-002"}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := f.s.FindTransferReports(f.ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindTransferReports: %v", err)
				}
				var refs []string
				for _, r := range got {
					refs = append(refs, r.Reference)
					if r.Supplier == nil || r.Supplier.ID != r.SupplierID || r.Recipient == nil || r.Recipient.ID != r.RecipientID {
						t.Errorf("%s: Supplier=%v Recipient=%v, want the entities", r.Reference, r.Supplier, r.Recipient)
					}
				}
				if diff := cmp.Diff(tt.want, refs); diff != "" || total != tt.total {
					t.Fatalf("total=%d, want %d; references (-want +got):\n%s", total, tt.total, diff)
				}
			})
		}
		_, _, err = f.s.FindTransferReports(f.ctx, annex.TransferReportFilter{From: "1998"})
		wantCode(t, "FindTransferReports(From: 1998)", err, annex.EINVALID)
	})
}

func TestSanctionService_CreateDetermination(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		cpmiec := f.entity(t, annex.SanctionEntity{Name: "CPMIEC", Country: "CN"})
		krl := f.entity(t, annex.SanctionEntity{Name: "Khan Research Laboratories", Country: "PK"})
		r := f.report(t, "TR-1", "M-11", "1992-11-20", cpmiec.ID, krl.ID)

		d := testDetermination(r.ID, testMeasure(cpmiec, annex.MeasureDenyAllUSMLLicences, "2027-03-01"),
			testMeasure(krl, annex.MeasureImportBan, ""))
		if err := f.s.CreateDetermination(f.ctx, d); err != nil {
			t.Fatalf("CreateDetermination: %v", err)
		}
		want := testDetermination(r.ID, testMeasure(cpmiec, annex.MeasureDenyAllUSMLLicences, "2027-03-01"),
			testMeasure(krl, annex.MeasureImportBan, ""))
		want.ID, want.CreatedBy, want.CreatedAt = d.ID, f.analyst.ID, testTimeStored
		for i := range want.Result.Measures {
			want.Result.Measures[i].ID, want.Result.Measures[i].DeterminationID = d.Result.Measures[i].ID, d.ID
		}
		if d.ID == 0 || d.Result.Measures[0].ID == 0 || d.Result.Measures[1].ID == d.Result.Measures[0].ID {
			t.Fatalf("IDs: determination %d, measures %d and %d, want distinct non-zero", d.ID, d.Result.Measures[0].ID, d.Result.Measures[1].ID)
		}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Fatalf("created determination (-want +got):\n%s", diff)
		}
		if got, err := f.s.FindDeterminationByID(f.ctx, d.ID); err != nil {
			t.Fatalf("FindDeterminationByID: %v", err)
		} else if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("found determination (-want +got):\n%s", diff)
		}

		// A determination without report or measures.
		none := testDetermination(0)
		if err := f.s.CreateDetermination(f.ctx, none); err != nil {
			t.Fatalf("CreateDetermination(no measures): %v", err)
		}
		for _, tt := range []struct {
			reportID int64
			want     []int64
		}{{r.ID, []int64{d.ID}}, {0, []int64{d.ID, none.ID}}} {
			ds, err := f.s.FindDeterminations(f.ctx, tt.reportID)
			if err != nil {
				t.Fatalf("FindDeterminations(%d): %v", tt.reportID, err)
			}
			var ids []int64
			for _, d := range ds {
				ids = append(ids, d.ID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" {
				t.Fatalf("FindDeterminations(%d) IDs (-want +got):\n%s", tt.reportID, diff)
			}
			if diff := cmp.Diff(want, ds[0]); diff != "" {
				t.Fatalf("FindDeterminations(%d)[0] (-want +got):\n%s", tt.reportID, diff)
			}
		}
		if ds, err := f.s.FindDeterminations(f.ctx, 0); err == nil && (ds[1].Result.Measures == nil || len(ds[1].Result.Measures) != 0) {
			t.Fatalf("Measures of a determination without any=%#v, want empty", ds[1].Result.Measures)
		}
		_, err := f.s.FindDeterminations(f.ctx, r.ID+100)
		wantCode(t, "FindDeterminations(unknown report)", err, annex.ENOTFOUND)
		_, err = f.s.FindDeterminationByID(f.ctx, none.ID+100)
		wantCode(t, "FindDeterminationByID(unknown)", err, annex.ENOTFOUND)

		bad := testMeasure(krl, annex.MeasureDenyMissileLicences, "2025-01-01") // ends before it starts
		unknown := testMeasure(krl, annex.MeasureDenyMissileContracts, "")
		unknown.EntityID = 999
		tests := []struct {
			name   string
			d      *annex.Determination
			fields []string
		}{
			{"bad measure", testDetermination(r.ID, testMeasure(cpmiec, annex.MeasureImportBan, ""), bad), []string{"result.measures[1].end"}},
			{"measure without entity", testDetermination(0, annex.Measure{Start: "2025-03-01", Measure: annex.MeasureImportBan}),
				[]string{"result.measures[0].entity", "result.measures[0].entity_id"}},
			{"unknown entity", testDetermination(r.ID, testMeasure(cpmiec, annex.MeasureImportBan, ""), testMeasure(krl, annex.MeasureImportBan, ""), unknown),
				[]string{"result.measures[2].entity_id"}},
			{"unknown report", testDetermination(r.ID+100, testMeasure(cpmiec, annex.MeasureImportBan, "")), []string{"report_id"}},
			{"bad input", func() *annex.Determination {
				d := testDetermination(r.ID)
				d.Input.Date, d.Input.Recipient.Country = "", "Pakistan"
				return d
			}(), []string{"input.date", "input.recipient.country"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.s.CreateDetermination(f.ctx, tt.d)
				wantCode(t, "CreateDetermination", err, annex.EINVALID)
				if diff := cmp.Diff(tt.fields, errorFieldNames(err)); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
				if n := countRows(t, db, "determinations", ""); n != "2" {
					t.Fatalf("determinations=%s, want 2", n)
				}
				if n := countRows(t, db, "sanction_measures", ""); n != "2" {
					t.Fatalf("measures=%s, want 2", n)
				}
			})
		}

		// The audit records the measures.
		events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(f.ctx, annex.AuditFilter{Subject: new(fmt.Sprintf("determination:%d", d.ID))})
		if err != nil {
			t.Fatalf("FindAuditEvents: %v", err)
		}
		if len(events) != 1 || events[0].Action != "determination.create" ||
			!strings.Contains(events[0].Detail, `"measure":"deny_all_usml_licences"`) || !strings.Contains(events[0].Detail, `"measure":"import_ban"`) {
			t.Fatalf("audit events=%+v, want one determination.create listing both measures", events)
		}
		MustVerifyAudit(t, f.ctx, db)
	})
}

func TestSanctionService_FindMeasures(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		cpmiec := f.entity(t, annex.SanctionEntity{Name: "CPMIEC", Country: "CN"})
		krl := f.entity(t, annex.SanctionEntity{Name: "Khan Research Laboratories", Country: "PK"})
		d1 := f.determination(t, 0, testMeasure(cpmiec, annex.MeasureDenyAllUSMLLicences, "2027-03-01"), testMeasure(krl, annex.MeasureImportBan, ""))
		later := testMeasure(krl, annex.MeasureDenyAllContracts, "2028-01-01")
		later.Start = "2026-01-01"
		d2 := f.determination(t, 0, later)
		ended, open, late := d1.Result.Measures[0].ID, d1.Result.Measures[1].ID, d2.Result.Measures[0].ID

		tests := []struct {
			name   string
			filter annex.MeasureFilter
			want   []int64
			total  int
		}{
			{"all", annex.MeasureFilter{}, []int64{ended, open, late}, 3},
			{"entity", annex.MeasureFilter{EntityID: krl.ID}, []int64{open, late}, 2},
			{"determination", annex.MeasureFilter{DeterminationID: d2.ID}, []int64{late}, 1},
			{"pending the day before", annex.MeasureFilter{Status: annex.MeasurePending, Day: "2025-02-28"}, []int64{ended, open, late}, 3},
			{"active on the first day", annex.MeasureFilter{Status: annex.MeasureActive, Day: "2025-03-01"}, []int64{ended, open}, 2},
			{"active later", annex.MeasureFilter{Status: annex.MeasureActive, Day: "2026-06-01"}, []int64{ended, open, late}, 3},
			{"expired on the end day", annex.MeasureFilter{Status: annex.MeasureExpired, Day: "2027-03-01"}, []int64{ended}, 1},
			{"active on the end day", annex.MeasureFilter{Status: annex.MeasureActive, Day: "2027-03-01"}, []int64{open, late}, 2},
			{"entity and status", annex.MeasureFilter{EntityID: krl.ID, Status: annex.MeasurePending, Day: "2025-06-01"}, []int64{late}, 1},
			{"none waived", annex.MeasureFilter{Status: annex.MeasureWaived, Day: "2030-01-01"}, nil, 0},
			{"page", annex.MeasureFilter{Limit: 1, Offset: 2}, []int64{late}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := f.s.FindMeasures(annex.NewContextWithUser(t.Context(), f.officer), tt.filter)
				if err != nil {
					t.Fatalf("FindMeasures: %v", err)
				}
				if diff := cmp.Diff(tt.want, measureIDs(got)); diff != "" || total != tt.total {
					t.Fatalf("total=%d, want %d; IDs (-want +got):\n%s", total, tt.total, diff)
				}
				for _, m := range got {
					if tt.filter.Status != "" && m.Status(tt.filter.Day) != tt.filter.Status {
						t.Errorf("measure %d: Status(%s)=%s, want %s", m.ID, tt.filter.Day, m.Status(tt.filter.Day), tt.filter.Status)
					}
				}
			})
		}
		for _, filter := range []annex.MeasureFilter{{Status: annex.MeasureActive}, {Status: "lifted", Day: "2025-01-01"}, {Day: "1 May"}} {
			_, _, err := f.s.FindMeasures(f.ctx, filter)
			wantCode(t, fmt.Sprintf("FindMeasures(%+v)", filter), err, annex.EINVALID)
		}
	})
}

func TestSanctionService_CreateWaiver(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		cpmiec := f.entity(t, annex.SanctionEntity{Name: "CPMIEC", Country: "CN"})
		krl := f.entity(t, annex.SanctionEntity{Name: "Khan Research Laboratories", Country: "PK"})
		d := f.determination(t, 0, testMeasure(cpmiec, annex.MeasureDenyAllUSMLLicences, "2027-03-01"),
			testMeasure(cpmiec, annex.MeasureImportBan, "2027-03-01"), testMeasure(krl, annex.MeasureImportBan, ""))
		m0, m1, m2 := d.Result.Measures[0].ID, d.Result.Measures[1].ID, d.Result.Measures[2].ID
		waiver := func(entityID int64, ids ...int64) *annex.Waiver {
			return &annex.Waiver{EntityID: entityID, MeasureIDs: ids, Effective: "2026-01-01", Basis: annex.WaiverNationalSecurity,
				LegalBasis: "AECA §73(e)", NotifiedOn: "2025-12-01", Reason: "Essential to the national security."}
		}

		// The hook sees the measures, and its error stops everything.
		errHook := annex.Errorf(annex.EINVALID, "the notice period has not passed")
		var seen []int64
		f.s.CheckWaiver = func(w *annex.Waiver, ms []*annex.Measure) error {
			seen = measureIDs(ms)
			return errHook
		}
		if err := f.s.CreateWaiver(f.ctx, waiver(cpmiec.ID)); !errors.Is(err, errHook) {
			t.Fatalf("CreateWaiver with a failing check=%v, want %v", err, errHook)
		}
		if diff := cmp.Diff([]int64{m0, m1}, seen); diff != "" {
			t.Fatalf("measures checked (-want +got):\n%s", diff)
		}
		if n := countRows(t, db, "sanction_waivers", ""); n != "0" {
			t.Fatalf("waivers after a failed check=%s, want 0", n)
		}
		if n := countRows(t, db, "sanction_measures", "waiver_id IS NOT NULL OR waived_from IS NOT NULL"); n != "0" {
			t.Fatalf("waived measures after a failed check=%s, want 0", n)
		}
		f.s.CheckWaiver = nil

		// By measure, then by entity: the rest of the entity's.
		byMeasure := waiver(0, m1)
		if err := f.s.CreateWaiver(f.ctx, byMeasure); err != nil {
			t.Fatalf("CreateWaiver(measure %d): %v", m1, err)
		}
		byEntity := waiver(cpmiec.ID)
		byEntity.Effective = "2026-02-01"
		if err := f.s.CreateWaiver(f.ctx, byEntity); err != nil {
			t.Fatalf("CreateWaiver(entity): %v", err)
		}
		wantWaivers := []*annex.Waiver{waiver(0, m1), waiver(cpmiec.ID, m0)}
		wantWaivers[0].ID, wantWaivers[1].ID, wantWaivers[1].Effective = byMeasure.ID, byEntity.ID, "2026-02-01"
		for _, w := range wantWaivers {
			w.CreatedBy, w.CreatedAt = f.analyst.ID, testTimeStored
		}
		if diff := cmp.Diff(wantWaivers, []*annex.Waiver{byMeasure, byEntity}); diff != "" {
			t.Fatalf("created waivers (-want +got):\n%s", diff)
		}
		if got, err := f.s.FindWaivers(f.ctx); err != nil {
			t.Fatalf("FindWaivers: %v", err)
		} else if diff := cmp.Diff(wantWaivers, got); diff != "" {
			t.Fatalf("found waivers (-want +got):\n%s", diff)
		}

		statuses := []struct {
			day    string
			status annex.MeasureStatus
			want   []int64
		}{
			{"2025-12-31", annex.MeasureActive, []int64{m0, m1, m2}},
			{"2025-12-31", annex.MeasureWaived, nil},
			{"2026-01-01", annex.MeasureWaived, []int64{m1}},
			{"2026-01-01", annex.MeasureActive, []int64{m0, m2}},
			{"2026-02-01", annex.MeasureWaived, []int64{m0, m1}},
			{"2026-02-01", annex.MeasureActive, []int64{m2}},
			{"2027-03-01", annex.MeasureExpired, nil}, // waived, not expired
		}
		for _, tt := range statuses {
			got, total, err := f.s.FindMeasures(f.ctx, annex.MeasureFilter{Status: tt.status, Day: tt.day})
			if err != nil {
				t.Fatalf("FindMeasures: %v", err)
			}
			if diff := cmp.Diff(tt.want, measureIDs(got)); diff != "" || total != len(tt.want) {
				t.Fatalf("%s on %s: total=%d (-want +got):\n%s", tt.status, tt.day, total, diff)
			}
		}
		if got, err := f.s.FindDeterminationByID(f.ctx, d.ID); err != nil {
			t.Fatalf("FindDeterminationByID: %v", err)
		} else if m := got.Result.Measures[1]; m.WaiverID != byMeasure.ID || m.WaivedFrom != "2026-01-01" {
			t.Fatalf("waived measure WaiverID=%d WaivedFrom=%q, want %d and 2026-01-01", m.WaiverID, m.WaivedFrom, byMeasure.ID)
		}

		tests := []struct {
			name   string
			w      *annex.Waiver
			fields []string
		}{
			{"waived already", waiver(0, m2, m1), []string{"measure_ids[1]"}},
			{"unknown measure", waiver(0, 999), []string{"measure_ids[0]"}},
			{"twice", waiver(0, m2, m2), []string{"measure_ids[1]"}},
			{"on another entity", waiver(cpmiec.ID, m2), []string{"measure_ids[0]"}},
			{"unknown entity", waiver(999), []string{"entity_id"}},
			{"nothing left on the entity", waiver(cpmiec.ID), []string{"entity_id"}},
			{"neither entity nor measures", waiver(0), []string{"entity_id"}},
			{"notified after", func() *annex.Waiver { w := waiver(krl.ID); w.NotifiedOn = "2026-02-01"; return w }(), []string{"notified_on"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.s.CreateWaiver(f.ctx, tt.w)
				wantCode(t, "CreateWaiver", err, annex.EINVALID)
				if diff := cmp.Diff(tt.fields, errorFieldNames(err)); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
				if n := countRows(t, db, "sanction_waivers", ""); n != "2" {
					t.Fatalf("waivers=%s, want 2", n)
				}
			})
		}
		if diff := cmp.Diff([]string{"waiver.create"}, auditActions(t, db, fmt.Sprintf("waiver:%d", byEntity.ID))); diff != "" {
			t.Fatalf("audit actions (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, f.ctx, db)
	})
}

func TestSanctionService_Holds(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		later := &annex.Hold{Country: "cn", Class: "satellite_launch", Reason: " Satellite-launch licences suspended. ",
			From: "2000-02-01", Effect: annex.RecommendDeny}
		earlier := &annex.Hold{Country: "PK", Reason: "Nuclear tests.", From: "1998-05-30", Until: "2001-09-22", Effect: annex.RecommendRefer}
		for _, h := range []*annex.Hold{later, earlier} {
			if err := f.s.CreateHold(f.ctx, h); err != nil {
				t.Fatalf("CreateHold: %v", err)
			}
		}
		want := []*annex.Hold{
			{ID: earlier.ID, Country: "PK", Reason: "Nuclear tests.", From: "1998-05-30", Until: "2001-09-22", Effect: annex.RecommendRefer},
			{ID: later.ID, Country: "CN", Class: "satellite_launch", Reason: "Satellite-launch licences suspended.", From: "2000-02-01", Effect: annex.RecommendDeny},
		}
		if got, err := f.s.FindHolds(f.ctx); err != nil {
			t.Fatalf("FindHolds: %v", err)
		} else if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("holds by first day (-want +got):\n%s", diff)
		}
		err := f.s.CreateHold(f.ctx, &annex.Hold{Country: "IR", Reason: "x", From: "2001-01-01", Until: "2000-01-01", Effect: annex.RecommendDeny})
		wantCode(t, "CreateHold(until before from)", err, annex.EINVALID)

		f.advance(time.Hour)
		ended, err := f.s.EndHold(f.ctx, later.ID, "2001-03-01")
		if err != nil {
			t.Fatalf("EndHold: %v", err)
		}
		want[1].Until = "2001-03-01"
		if diff := cmp.Diff(want[1], ended); diff != "" {
			t.Fatalf("ended hold (-want +got):\n%s", diff)
		}
		if got, err := f.s.FindHolds(f.ctx); err != nil {
			t.Fatalf("FindHolds: %v", err)
		} else if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("holds after the end (-want +got):\n%s", diff)
		}

		tests := []struct {
			name   string
			id     int64
			until  string
			code   string
			fields []string
		}{
			{"before from", later.ID, "2000-01-31", annex.EINVALID, []string{"until"}},
			{"not a date", later.ID, "March 2001", annex.EINVALID, []string{"until"}},
			{"unknown", later.ID + 100, "2001-03-01", annex.ENOTFOUND, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.s.EndHold(f.ctx, tt.id, tt.until)
				wantCode(t, "EndHold", err, tt.code)
				if diff := cmp.Diff(tt.fields, errorFieldNames(err)); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
			})
		}
		if got, err := f.s.FindHolds(f.ctx); err != nil || got[1].Until != "2001-03-01" {
			t.Fatalf("FindHolds after failed ends: %v, %v; want until unchanged", got, err)
		}
		if diff := cmp.Diff([]string{"hold.create", "hold.end"}, auditActions(t, db, fmt.Sprintf("hold:%d", later.ID))); diff != "" {
			t.Fatalf("audit actions (-want +got):\n%s", diff)
		}
	})
}

func TestSanctionService_access(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		ctx := t.Context()
		org := MustCreateOrganisation(t, ctx, db, "Beta Exports", "exporter")
		users := map[annex.Role]*annex.User{
			annex.RoleAnalyst:          f.analyst,
			annex.RoleLicensingOfficer: f.officer,
			annex.RoleExporterUser:     f.exporter,
			annex.RoleAdmin:            MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword),
			annex.RoleSeniorOfficer:    MustCreateUser(t, ctx, db, annex.User{Username: "senior", Role: annex.RoleSeniorOfficer}, testPassword),
			annex.RoleReviewer:         MustCreateUser(t, ctx, db, annex.User{Username: "rev", Role: annex.RoleReviewer, Department: annex.DeptDefence}, testPassword),
			annex.RoleCustoms:          MustCreateUser(t, ctx, db, annex.User{Username: "carl", Role: annex.RoleCustoms}, testPassword),
			annex.RoleExporterAdmin:    MustCreateUser(t, ctx, db, annex.User{Username: "bea", Role: annex.RoleExporterAdmin, OrgID: org}, testPassword),
		}
		cpmiec := f.entity(t, annex.SanctionEntity{Name: "CPMIEC", Country: "CN"})
		krl := f.entity(t, annex.SanctionEntity{Name: "KRL", Country: "PK"})
		r := f.report(t, "TR-1", "M-11", "1992-11-20", cpmiec.ID, krl.ID)
		d := f.determination(t, r.ID, testMeasure(cpmiec, annex.MeasureImportBan, ""))
		n := 0

		ops := []struct {
			name  string
			write bool
			call  func(ctx context.Context) error
		}{
			{"CreateSanctionEntity", true, func(ctx context.Context) error {
				return f.s.CreateSanctionEntity(ctx, &annex.SanctionEntity{Name: "Another", Country: "IR"})
			}},
			{"FindSanctionEntityByID", false, func(ctx context.Context) error { _, err := f.s.FindSanctionEntityByID(ctx, cpmiec.ID); return err }},
			{"FindSanctionEntities", false, func(ctx context.Context) error {
				_, _, err := f.s.FindSanctionEntities(ctx, annex.SanctionEntityFilter{})
				return err
			}},
			{"CreateTransferReport", true, func(ctx context.Context) error {
				n++
				return f.s.CreateTransferReport(ctx, &annex.TransferReport{Reference: fmt.Sprintf("TR-A%d", n), Title: "t", Date: "1999-01-01",
					SupplierID: cpmiec.ID, RecipientID: krl.ID, Category: annex.CategoryII, Sources: []annex.EvidenceSource{{Citation: "c", Reliability: "E"}}})
			}},
			{"FindTransferReportByID", false, func(ctx context.Context) error { _, err := f.s.FindTransferReportByID(ctx, r.ID); return err }},
			{"FindTransferReports", false, func(ctx context.Context) error {
				_, _, err := f.s.FindTransferReports(ctx, annex.TransferReportFilter{})
				return err
			}},
			{"CreateDetermination", true, func(ctx context.Context) error {
				return f.s.CreateDetermination(ctx, testDetermination(r.ID, testMeasure(krl, annex.MeasureImportBan, "")))
			}},
			{"FindDeterminationByID", false, func(ctx context.Context) error { _, err := f.s.FindDeterminationByID(ctx, d.ID); return err }},
			{"FindDeterminations", false, func(ctx context.Context) error { _, err := f.s.FindDeterminations(ctx, 0); return err }},
			{"FindMeasures", false, func(ctx context.Context) error {
				_, _, err := f.s.FindMeasures(ctx, annex.MeasureFilter{})
				return err
			}},
			{"CreateWaiver", true, func(ctx context.Context) error {
				d := testDetermination(0, testMeasure(krl, annex.MeasureImportBan, ""))
				if err := f.s.CreateDetermination(f.ctx, d); err != nil {
					return fmt.Errorf("create measure to waive: %w", err)
				}
				return f.s.CreateWaiver(ctx, &annex.Waiver{MeasureIDs: []int64{d.Result.Measures[0].ID}, Effective: "2026-01-01",
					Basis: annex.WaiverSoleSource, Reason: "r"})
			}},
			{"FindWaivers", false, func(ctx context.Context) error { _, err := f.s.FindWaivers(ctx); return err }},
			{"CreateHold", true, func(ctx context.Context) error {
				return f.s.CreateHold(ctx, &annex.Hold{Country: "CN", Reason: "r", From: "2000-01-01", Effect: annex.RecommendRefer})
			}},
			{"FindHolds", false, func(ctx context.Context) error { _, err := f.s.FindHolds(ctx); return err }},
			{"EndHold", true, func(ctx context.Context) error {
				h := &annex.Hold{Country: "CN", Reason: "r", From: "2000-01-01", Effect: annex.RecommendRefer}
				if err := f.s.CreateHold(f.ctx, h); err != nil {
					return fmt.Errorf("create hold to end: %w", err)
				}
				_, err := f.s.EndHold(ctx, h.ID, "2000-12-31")
				return err
			}},
			{"Changed", false, func(ctx context.Context) error { _, err := f.s.Changed(ctx); return err }},
		}
		readers := []annex.Role{annex.RoleLicensingOfficer, annex.RoleReviewer, annex.RoleCustoms}
		writers := []annex.Role{annex.RoleAnalyst, annex.RoleSeniorOfficer, annex.RoleAdmin}
		for _, role := range annex.Roles {
			u := users[role]
			t.Run(string(role), func(t *testing.T) {
				for _, op := range ops {
					var want string
					switch {
					case role.IsExporter():
						want = annex.EFORBIDDEN
					case op.write && !slices.Contains(writers, role):
						want = annex.EFORBIDDEN
					case !slices.Contains(writers, role) && !slices.Contains(readers, role):
						t.Fatalf("role %s is neither reader nor writer", role)
					}
					err := op.call(annex.NewContextWithUser(ctx, u))
					if got := annex.ErrorCode(err); got != want {
						t.Errorf("%s: ErrorCode=%q (%v), want %q", op.name, got, err, want)
					}
				}
			})
		}
		t.Run("system", func(t *testing.T) {
			for _, op := range ops {
				if err := op.call(ctx); err != nil {
					t.Errorf("%s: %v", op.name, err)
				}
			}
		})
	})
}

func TestSanctionService_audit(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		senior := MustCreateUser(t, t.Context(), db, annex.User{Username: "senior", Role: annex.RoleSeniorOfficer}, testPassword)
		cpmiec := f.entity(t, annex.SanctionEntity{Name: "CPMIEC", Country: "CN"})
		krl := f.entity(t, annex.SanctionEntity{Name: "KRL", Country: "PK"})
		r := f.report(t, "TR-1", "M-11", "1992-11-20", cpmiec.ID, krl.ID)
		d := f.determination(t, r.ID, testMeasure(cpmiec, annex.MeasureImportBan, ""))
		w := &annex.Waiver{EntityID: cpmiec.ID, Effective: "2026-01-01", Basis: annex.WaiverNationalSecurity, Reason: "r"}
		if err := f.s.CreateWaiver(annex.NewContextWithUser(t.Context(), senior), w); err != nil {
			t.Fatalf("CreateWaiver: %v", err)
		}
		h := &annex.Hold{Country: "CN", Reason: "r", From: "2000-01-01", Effect: annex.RecommendDeny}
		if err := f.s.CreateHold(t.Context(), h); err != nil {
			t.Fatalf("CreateHold: %v", err)
		}
		if _, err := f.s.EndHold(f.ctx, h.ID, "2001-01-01"); err != nil {
			t.Fatalf("EndHold: %v", err)
		}
		// Failures leave no trace.
		wantCode(t, "CreateSanctionEntity(invalid)", f.s.CreateSanctionEntity(f.ctx, &annex.SanctionEntity{}), annex.EINVALID)
		wantCode(t, "CreateHold(officer)", f.s.CreateHold(annex.NewContextWithUser(t.Context(), f.officer), h), annex.EFORBIDDEN)

		want := []string{
			fmt.Sprintf("sanction_entity.create sanction_entity:%d by ana", cpmiec.ID),
			fmt.Sprintf("sanction_entity.create sanction_entity:%d by ana", krl.ID),
			fmt.Sprintf("transfer_report.create transfer_report:%d by ana", r.ID),
			fmt.Sprintf("determination.create determination:%d by ana", d.ID),
			fmt.Sprintf("waiver.create waiver:%d by senior", w.ID),
			fmt.Sprintf("hold.create hold:%d by system", h.ID),
			fmt.Sprintf("hold.end hold:%d by ana", h.ID),
		}
		if diff := cmp.Diff(want, registerEvents(t, db)); diff != "" {
			t.Fatalf("audit events (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, f.ctx, db)
	})
}

func TestSanctionService_Changed(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newRegisterFixture(t, db)
		seen := make(map[string]string)
		check := func(step string) {
			t.Helper()
			fp, err := f.s.Changed(f.ctx)
			if err != nil {
				t.Fatalf("Changed after %s: %v", step, err)
			}
			if again, err := f.s.Changed(f.ctx); err != nil || again != fp {
				t.Fatalf("Changed again after %s=%q, %v; want %q", step, again, err, fp)
			}
			if prev, ok := seen[fp]; ok {
				t.Fatalf("Changed after %s=%q, as after %s", step, fp, prev)
			}
			seen[fp] = step
		}
		check("nothing")
		cpmiec := f.entity(t, annex.SanctionEntity{Name: "CPMIEC", Country: "CN"})
		check("entity")
		krl := f.entity(t, annex.SanctionEntity{Name: "KRL", Country: "PK"})
		r := f.report(t, "TR-1", "M-11", "1992-11-20", cpmiec.ID, krl.ID)
		check("report")
		d := f.determination(t, r.ID, testMeasure(cpmiec, annex.MeasureImportBan, ""), testMeasure(krl, annex.MeasureImportBan, ""))
		check("determination")
		w := &annex.Waiver{MeasureIDs: []int64{d.Result.Measures[0].ID}, Effective: "2026-01-01", Basis: annex.WaiverSoleSource, Reason: "r"}
		if err := f.s.CreateWaiver(f.ctx, w); err != nil {
			t.Fatalf("CreateWaiver: %v", err)
		}
		check("waiver")
		h := &annex.Hold{Country: "CN", Reason: "r", From: "2000-01-01", Effect: annex.RecommendDeny}
		if err := f.s.CreateHold(f.ctx, h); err != nil {
			t.Fatalf("CreateHold: %v", err)
		}
		check("hold")
		if _, err := f.s.EndHold(f.ctx, h.ID, "2001-01-01"); err != nil {
			t.Fatalf("EndHold: %v", err)
		}
		check("end of the hold")
		f.advance(time.Minute)
		if _, err := f.s.EndHold(f.ctx, h.ID, "2000-06-01"); err != nil {
			t.Fatalf("EndHold again: %v", err)
		}
		check("new end of the hold")
		_, err := f.s.Changed(annex.NewContextWithUser(t.Context(), f.exporter))
		wantCode(t, "Changed(exporter)", err, annex.EFORBIDDEN)
	})
}
