package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

func TestOrganisationService(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		SetClock(db, testTime)
		s := sqlstore.NewOrganisationService(db)
		admin := MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword)
		officer := MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
		adminCtx := annex.NewContextWithUser(ctx, admin)

		acme := &annex.Organisation{Name: "  Acme Rockets ", Kind: annex.OrgExporter}
		if err := s.CreateOrganisation(adminCtx, acme); err != nil {
			t.Fatalf("CreateOrganisation: %v", err)
		}
		want := &annex.Organisation{ID: acme.ID, Name: "Acme Rockets", Kind: annex.OrgExporter, CreatedAt: testTimeStored}
		if diff := cmp.Diff(want, acme); diff != "" {
			t.Fatalf("created organisation (-want +got):\n%s", diff)
		}
		office := &annex.Organisation{Name: "Export Control Office", Kind: annex.OrgAuthority}
		if err := s.CreateOrganisation(ctx, office); err != nil { // the system
			t.Fatalf("CreateOrganisation as the system: %v", err)
		}
		ann := MustCreateUser(t, ctx, db, annex.User{Username: "ann", Role: annex.RoleExporterAdmin, OrgID: acme.ID}, testPassword)

		tests := []struct {
			name string
			ctx  context.Context
			org  *annex.Organisation
			code string
		}{
			{"officer", annex.NewContextWithUser(ctx, officer), &annex.Organisation{Name: "Beta", Kind: annex.OrgExporter}, annex.EFORBIDDEN},
			{"exporter admin", annex.NewContextWithUser(ctx, ann), &annex.Organisation{Name: "Beta", Kind: annex.OrgExporter}, annex.EFORBIDDEN},
			{"duplicate name", adminCtx, &annex.Organisation{Name: "Acme Rockets", Kind: annex.OrgExporter}, annex.ECONFLICT},
			{"no name", adminCtx, &annex.Organisation{Name: " ", Kind: annex.OrgExporter}, annex.EINVALID},
			{"unknown kind", adminCtx, &annex.Organisation{Name: "Gamma", Kind: "broker"}, annex.EINVALID},
			{"nil", adminCtx, nil, annex.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.CreateOrganisation(tt.ctx, tt.org)
				if code := annex.ErrorCode(err); code != tt.code {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, tt.code)
				}
			})
		}

		t.Run("find", func(t *testing.T) {
			all, err := s.FindOrganisations(adminCtx)
			if err != nil {
				t.Fatalf("FindOrganisations: %v", err)
			}
			if diff := cmp.Diff([]*annex.Organisation{want, office}, all); diff != "" {
				t.Fatalf("FindOrganisations (-want +got):\n%s", diff)
			}
			annCtx := annex.NewContextWithUser(ctx, ann)
			if got, err := s.FindOrganisations(annCtx); err != nil {
				t.Fatalf("FindOrganisations as exporter: %v", err)
			} else if diff := cmp.Diff([]*annex.Organisation{want}, got); diff != "" {
				t.Fatalf("FindOrganisations as exporter (-want +got):\n%s", diff)
			}
			if _, err := s.FindOrganisationByID(annCtx, office.ID); annex.ErrorCode(err) != annex.ENOTFOUND {
				t.Fatalf("FindOrganisationByID(other)=%v, want %s", err, annex.ENOTFOUND)
			}
			if got, err := s.FindOrganisationByID(annCtx, acme.ID); err != nil {
				t.Fatalf("FindOrganisationByID: %v", err)
			} else if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("FindOrganisationByID (-want +got):\n%s", diff)
			}
		})

		events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(ctx, annex.AuditFilter{Action: new("organisation.create")})
		if err != nil {
			t.Fatalf("FindAuditEvents: %v", err)
		}
		wantEvents := []auditSummary{
			{admin.ID, "admin", "organisation.create", fmt.Sprintf("organisation:%d", acme.ID)},
			{0, "system", "organisation.create", fmt.Sprintf("organisation:%d", office.ID)},
		}
		if diff := cmp.Diff(wantEvents, summarize(events)); diff != "" {
			t.Fatalf("audit events (-want +got):\n%s", diff)
		}
		MustVerifyAudit(t, ctx, db)
	})
}
