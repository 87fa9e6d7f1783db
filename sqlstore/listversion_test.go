package sqlstore_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// testListVersion returns a small control-list version that exercises the
// custom JSON encodings of criteria and values.
func testListVersion(id, effective string) *annex.ListVersion {
	return &annex.ListVersion{
		ID:            id,
		Title:         "MTCR Annex (test)",
		EffectiveDate: effective,
		Source:        "test data",
		Sources:       []annex.Source{{Key: "mtcr", Title: "MTCR Equipment, Software and Technology Annex"}},
		Entries: []*annex.Entry{
			{ID: "1", Category: "I", Title: "Complete delivery systems", Source: "mtcr",
				Confidence: annex.ConfidenceVerified},
			{ID: "1.A.1", Parent: "1", Category: "I", Title: "Rocket systems", Description: "capable of delivering at least a 500 kg payload",
				Match: []annex.Matcher{{Kinds: []string{"rocket_system"}, Condition: annex.Condition{All: []annex.Criterion{
					{Param: "range_m", Op: annex.OpGE, Value: annex.Number(300000), Unit: "m"},
					{Param: "payload_kg", Op: annex.OpGE, Value: annex.Number(500), Unit: "kg"},
					{Param: "role", Op: annex.OpIn, Values: []string{"ballistic", "space_launch"}},
				}}}},
				Source: "mtcr", Confidence: annex.ConfidencePartial},
		},
	}
}

func TestListVersionStore(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewListVersionStore(db)
		admin := MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword)
		adminCtx := annex.NewContextWithUser(ctx, admin)

		if got, err := s.FindListVersions(ctx); err != nil {
			t.Fatalf("FindListVersions on empty store: %v", err)
		} else if len(got) != 0 {
			t.Fatalf("versions=%d, want 0", len(got))
		}

		newer, older := testListVersion("mtcr-2024", "2024-06-01"), testListVersion("mtcr-2023", "2023-05-01")
		for _, v := range []*annex.ListVersion{newer, older} {
			if err := s.CreateListVersion(adminCtx, v); err != nil {
				t.Fatalf("CreateListVersion(%s): %v", v.ID, err)
			}
		}
		got, err := s.FindListVersions(ctx)
		if err != nil {
			t.Fatalf("FindListVersions: %v", err)
		}
		if diff := cmp.Diff([]*annex.ListVersion{older, newer}, got); diff != "" {
			t.Fatalf("FindListVersions (-want +got):\n%s", diff)
		}

		events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(ctx, annex.AuditFilter{Subject: new("control_list:mtcr-2024")})
		if err != nil {
			t.Fatalf("FindAuditEvents: %v", err)
		}
		if diff := cmp.Diff([]auditSummary{{admin.ID, "admin", "control_list.import", "control_list:mtcr-2024"}}, summarize(events)); diff != "" {
			t.Fatalf("audit events (-want +got):\n%s", diff)
		}
	})
}

func TestListVersionStore_errors(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := sqlstore.NewListVersionStore(db)
		adminCtx := annex.NewContextWithUser(ctx, MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword))
		for _, id := range []string{"mtcr-2023", "mtcr-2024"} {
			if err := s.CreateListVersion(adminCtx, testListVersion(id, "2024-01-01")); err != nil {
				t.Fatalf("CreateListVersion(%s): %v", id, err)
			}
		}

		tests := []struct {
			name string
			v    *annex.ListVersion
			code string
		}{
			{"duplicate ID", testListVersion("mtcr-2024", "2025-01-01"), annex.ECONFLICT},
			{"no ID", testListVersion("", "2025-01-01"), annex.EINVALID},
			{"nil", nil, annex.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.CreateListVersion(adminCtx, tt.v)
				if code := annex.ErrorCode(err); code != tt.code {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, tt.code)
				}
			})
		}

		t.Run("tampered data", func(t *testing.T) {
			if _, err := db.ExecForTest(ctx, `UPDATE control_list_versions SET data = REPLACE(data, '500', '600') WHERE id = ?`, "mtcr-2023"); err != nil {
				t.Fatalf("tamper: %v", err)
			}
			if _, err := s.FindListVersions(ctx); err == nil {
				t.Fatalf("FindListVersions of tampered data: nil error, want a sha256 mismatch")
			}
		})
	})
}
