package sqlstore_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/sqlstore"
)

// testTime is the frozen clock of the tests: not UTC, with nanoseconds, to
// show that stored times are UTC and truncated to microseconds.
var testTime = time.Date(2025, 3, 1, 13, 0, 0, 123456789, time.FixedZone("CET", 3600))

// testTimeStored is testTime as the store records it.
var testTimeStored = time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)

const testPassword = "correct horse battery"

func TestUserService_CreateUser(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		SetClock(db, testTime)
		s := NewUserService(db)
		org := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")

		u := &annex.User{Username: "jdoe", Name: "Jane Doe", Role: annex.RoleExporterUser, OrgID: org, MustChangePassword: true}
		if err := s.CreateUser(ctx, u, testPassword); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if u.ID == 0 {
			t.Fatalf("ID=%d, want non-zero", u.ID)
		}
		want := annex.User{ID: u.ID, Username: "jdoe", Name: "Jane Doe", Role: annex.RoleExporterUser, OrgID: org,
			MustChangePassword: true, CreatedAt: testTimeStored, UpdatedAt: testTimeStored}
		if diff := cmp.Diff(&want, u); diff != "" {
			t.Fatalf("created user (-want +got):\n%s", diff)
		}
		got, err := s.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatalf("FindUserByID: %v", err)
		} else if diff := cmp.Diff(&want, got); diff != "" {
			t.Fatalf("FindUserByID (-want +got):\n%s", diff)
		}

		t.Run("duplicate username", func(t *testing.T) {
			err := s.CreateUser(ctx, &annex.User{Username: "jdoe", Role: annex.RoleAnalyst}, testPassword)
			if code := annex.ErrorCode(err); code != annex.ECONFLICT {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.ECONFLICT)
			}
		})
	})
}

func TestUserService_CreateUser_department(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		SetClock(db, testTime)
		s := NewUserService(db)
		u := MustCreateUser(t, ctx, db, annex.User{Username: "rita", Role: annex.RoleReviewer, Department: annex.DeptDefence}, testPassword)
		want := &annex.User{ID: u.ID, Username: "rita", Role: annex.RoleReviewer, Department: annex.DeptDefence,
			CreatedAt: testTimeStored, UpdatedAt: testTimeStored}
		got, err := s.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatalf("FindUserByID: %v", err)
		} else if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("FindUserByID (-want +got):\n%s", diff)
		}
		if got, err := s.Authenticate(ctx, "rita", testPassword); err != nil {
			t.Fatalf("Authenticate: %v", err)
		} else if got.Department != annex.DeptDefence {
			t.Fatalf("Department=%q, want %q", got.Department, annex.DeptDefence)
		}
	})
}

func TestUserService_CreateUser_invalid(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := NewUserService(db)
		authority := MustCreateOrganisation(t, ctx, db, "Export Control Office", "authority")
		tests := []struct {
			name     string
			user     annex.User
			password string
			fields   []string
		}{
			{"bad username", annex.User{Username: "J Doe", Role: annex.RoleAnalyst}, testPassword, []string{"username"}},
			{"unknown role", annex.User{Username: "jdoe", Role: "pilot"}, testPassword, []string{"role"}},
			{"exporter without organisation", annex.User{Username: "jdoe", Role: annex.RoleExporterUser}, testPassword, []string{"org_id"}},
			{"short password", annex.User{Username: "jdoe", Role: annex.RoleAnalyst}, "short", []string{"password"}},
			{"everything", annex.User{Username: "-", Role: "pilot"}, "", []string{"username", "role", "password"}},
			{"unknown organisation", annex.User{Username: "jdoe", Role: annex.RoleExporterUser, OrgID: 999}, testPassword, []string{"org_id"}},
			{"exporter in the authority", annex.User{Username: "jdoe", Role: annex.RoleExporterAdmin, OrgID: authority}, testPassword, []string{"org_id"}},
			{"reviewer without department", annex.User{Username: "jdoe", Role: annex.RoleReviewer}, testPassword, []string{"department"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.CreateUser(ctx, &tt.user, tt.password)
				if code := annex.ErrorCode(err); code != annex.EINVALID {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
				}
				var got []string
				for _, f := range annex.ErrorFields(err) {
					got = append(got, f.Field)
				}
				if diff := cmp.Diff(tt.fields, got); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
			})
		}
		if _, n, err := s.FindUsers(ctx, annex.UserFilter{}); err != nil {
			t.Fatalf("FindUsers: %v", err)
		} else if n != 0 {
			t.Fatalf("users stored=%d, want 0", n)
		}
	})
}

func TestUserService_FindUsers(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := NewUserService(db)
		org := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
		admin := MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword)
		ann := MustCreateUser(t, ctx, db, annex.User{Username: "ann", Role: annex.RoleExporterAdmin, OrgID: org}, testPassword)
		bob := MustCreateUser(t, ctx, db, annex.User{Username: "bob", Role: annex.RoleExporterUser, OrgID: org}, testPassword)

		tests := []struct {
			name   string
			filter annex.UserFilter
			want   []string
			total  int
		}{
			{"all", annex.UserFilter{}, []string{"admin", "ann", "bob"}, 3},
			{"by ID", annex.UserFilter{ID: new(bob.ID)}, []string{"bob"}, 1},
			{"by username", annex.UserFilter{Username: new("ann")}, []string{"ann"}, 1},
			{"unknown username", annex.UserFilter{Username: new("nobody")}, nil, 0},
			{"by organisation", annex.UserFilter{OrgID: new(org)}, []string{"ann", "bob"}, 2},
			{"limit", annex.UserFilter{Limit: 2}, []string{"admin", "ann"}, 3},
			{"offset", annex.UserFilter{Offset: 1}, []string{"ann", "bob"}, 3},
			{"limit and offset", annex.UserFilter{Offset: 1, Limit: 1}, []string{"ann"}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				users, total, err := s.FindUsers(ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindUsers: %v", err)
				}
				var got []string
				for _, u := range users {
					got = append(got, u.Username)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("usernames (-want +got):\n%s", diff)
				}
				if total != tt.total {
					t.Errorf("total=%d, want %d", total, tt.total)
				}
			})
		}

		t.Run("not found", func(t *testing.T) {
			_, err := s.FindUserByID(ctx, admin.ID+ann.ID+bob.ID)
			if code := annex.ErrorCode(err); code != annex.ENOTFOUND {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.ENOTFOUND)
			}
		})
	})
}

func TestUserService_UpdateUser(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		advance := SetClock(db, testTime)
		s := NewUserService(db)
		u := MustCreateUser(t, ctx, db, annex.User{Username: "jdoe", Name: "J", Role: annex.RoleAnalyst}, testPassword)
		advance(time.Hour)

		got, err := s.UpdateUser(ctx, u.ID, annex.UserUpdate{Name: new("Jane Doe"), Role: new(annex.RoleSeniorOfficer), Disabled: new(true)})
		if err != nil {
			t.Fatalf("UpdateUser: %v", err)
		}
		want := *u
		want.Name, want.Role, want.Disabled, want.UpdatedAt = "Jane Doe", annex.RoleSeniorOfficer, true, testTimeStored.Add(time.Hour)
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Fatalf("UpdateUser (-want +got):\n%s", diff)
		}
		if found, err := s.FindUserByID(ctx, u.ID); err != nil {
			t.Fatalf("FindUserByID: %v", err)
		} else if diff := cmp.Diff(&want, found); diff != "" {
			t.Fatalf("stored user (-want +got):\n%s", diff)
		}

		tests := []struct {
			name string
			id   int64
			upd  annex.UserUpdate
			code string
		}{
			{"not found", u.ID + 100, annex.UserUpdate{Name: new("X")}, annex.ENOTFOUND},
			{"unknown role", u.ID, annex.UserUpdate{Role: new(annex.Role("pilot"))}, annex.EINVALID},
			{"exporter role without organisation", u.ID, annex.UserUpdate{Role: new(annex.RoleExporterUser)}, annex.EINVALID},
			{"no change", u.ID, annex.UserUpdate{Name: new("Jane Doe")}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.UpdateUser(ctx, tt.id, tt.upd)
				if code := annex.ErrorCode(err); code != tt.code {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, tt.code)
				}
			})
		}
		// Only the creation and the one real update are audited.
		if n := MustVerifyAudit(t, ctx, db); n != 2 {
			t.Fatalf("audit events=%d, want 2", n)
		}
	})
}

func TestUserService_SetPassword(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := NewUserService(db)
		u := MustCreateUser(t, ctx, db, annex.User{Username: "jdoe", Role: annex.RoleAnalyst, MustChangePassword: true}, testPassword)

		tests := []struct {
			name     string
			id       int64
			password string
			code     string
		}{
			{"too short", u.ID, "short", annex.EINVALID},
			{"not found", u.ID + 100, "a new long password", annex.ENOTFOUND},
			{"ok", u.ID, "a new long password", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.SetPassword(ctx, tt.id, tt.password)
				if code := annex.ErrorCode(err); code != tt.code {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, tt.code)
				}
			})
		}

		if _, err := s.Authenticate(ctx, "jdoe", testPassword); annex.ErrorCode(err) != annex.EUNAUTHORIZED {
			t.Fatalf("Authenticate with old password: %v, want %s", err, annex.EUNAUTHORIZED)
		}
		got, err := s.Authenticate(ctx, "jdoe", "a new long password")
		if err != nil {
			t.Fatalf("Authenticate with new password: %v", err)
		} else if got.MustChangePassword {
			t.Fatalf("MustChangePassword=%v, want false", got.MustChangePassword)
		}
	})
}

func TestUserService_Authenticate(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := NewUserService(db)
		jdoe := MustCreateUser(t, ctx, db, annex.User{Username: "jdoe", Role: annex.RoleAnalyst}, testPassword)
		MustCreateUser(t, ctx, db, annex.User{Username: "gone", Role: annex.RoleAnalyst, Disabled: true}, testPassword)

		tests := []struct {
			name, username, password string
			wantID                   int64
		}{
			{"ok", "jdoe", testPassword, jdoe.ID},
			{"wrong password", "jdoe", "not the password", 0},
			{"empty password", "jdoe", "", 0},
			{"unknown user", "nobody", testPassword, 0},
			{"disabled user", "gone", testPassword, 0},
		}
		var messages []string
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u, err := s.Authenticate(ctx, tt.username, tt.password)
				if tt.wantID != 0 {
					if err != nil {
						t.Fatalf("Authenticate: %v", err)
					} else if u.ID != tt.wantID {
						t.Fatalf("ID=%d, want %d", u.ID, tt.wantID)
					}
					return
				}
				if code := annex.ErrorCode(err); code != annex.EUNAUTHORIZED {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EUNAUTHORIZED)
				}
				messages = append(messages, annex.ErrorMessage(err))
			})
		}
		// The answer must not tell which part was wrong.
		for _, m := range messages[1:] {
			if m != messages[0] {
				t.Fatalf("messages differ: %q and %q", messages[0], m)
			}
		}
	})
}

func TestUserService_Authenticate_defaultParams(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := MustOpenDB(t)
	s := sqlstore.NewUserService(db)
	if err := s.CreateUser(ctx, &annex.User{Username: "jdoe", Role: annex.RoleAdmin}, testPassword); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if _, err := s.Authenticate(ctx, "jdoe", testPassword); err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	hash, err := sqlstore.HashPasswordForTest(testPasswordParams, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	other, err := sqlstore.HashPasswordForTest(testPasswordParams, testPassword)
	if err != nil {
		t.Fatal(err)
	} else if hash == other {
		t.Fatalf("two hashes of one password are equal (%s); the salt must differ", hash)
	}
	tests := []struct {
		name, encoded, password string
		ok, wantErr             bool
	}{
		{"match", hash, testPassword, true, false},
		{"mismatch", hash, testPassword + "!", false, false},
		{"not argon2id", "$2a$10$abcdefghijklmnopqrstuv", testPassword, false, true},
		{"garbage", "plain text", testPassword, false, true},
		{"bad params", "$argon2id$v=19$m=x,t=1,p=1$c2FsdA$a2V5", testPassword, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := sqlstore.CheckPasswordForTest(tt.encoded, tt.password)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err=%v, want error %v", err, tt.wantErr)
			} else if ok != tt.ok {
				t.Fatalf("ok=%v, want %v", ok, tt.ok)
			}
		})
	}
}

// TestUserService_CreateUser_byRole checks who may create whom: the system
// and an administrator anyone, an exporter administrator only exporter users
// and administrators of its own organisation, every other user nobody.
func TestUserService_CreateUser_byRole(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := NewUserService(db)
		acme := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
		rival := MustCreateOrganisation(t, ctx, db, "Rival Exports", "exporter")
		admin := MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword)
		ann := MustCreateUser(t, ctx, db, annex.User{Username: "ann", Role: annex.RoleExporterAdmin, OrgID: acme}, testPassword)
		bob := MustCreateUser(t, ctx, db, annex.User{Username: "bob", Role: annex.RoleExporterUser, OrgID: acme}, testPassword)
		as := func(role annex.Role) context.Context {
			return annex.NewContextWithUser(ctx, &annex.User{ID: admin.ID, Username: string(role), Role: role})
		}
		annCtx := annex.NewContextWithUser(ctx, ann)

		tests := []struct {
			name string
			ctx  context.Context
			user annex.User
			code string
		}{
			{"system", ctx, annex.User{Username: "sys1", Role: annex.RoleAnalyst}, ""},
			{"admin", annex.NewContextWithUser(ctx, admin), annex.User{Username: "adm1", Role: annex.RoleExporterUser, OrgID: rival}, ""},
			{"exporter admin, own organisation", annCtx, annex.User{Username: "acme1", Role: annex.RoleExporterUser, OrgID: acme}, ""},
			{"exporter admin, another exporter admin", annCtx, annex.User{Username: "acme2", Role: annex.RoleExporterAdmin, OrgID: acme}, ""},
			{"exporter admin, another organisation", annCtx, annex.User{Username: "rival1", Role: annex.RoleExporterUser, OrgID: rival}, annex.EFORBIDDEN},
			{"exporter admin, no organisation", annCtx, annex.User{Username: "acme3", Role: annex.RoleExporterUser}, annex.EFORBIDDEN},
			{"exporter admin, an authority role", annCtx, annex.User{Username: "off1", Role: annex.RoleLicensingOfficer}, annex.EFORBIDDEN},
			{"exporter admin, an administrator", annCtx, annex.User{Username: "adm2", Role: annex.RoleAdmin}, annex.EFORBIDDEN},
			{"exporter admin, an authority role in its organisation", annCtx, annex.User{Username: "acme4", Role: annex.RoleAnalyst, OrgID: acme}, annex.EFORBIDDEN},
			{"exporter admin without organisation", annex.NewContextWithUser(ctx, &annex.User{ID: ann.ID, Username: "ann", Role: annex.RoleExporterAdmin}),
				annex.User{Username: "acme5", Role: annex.RoleExporterUser, OrgID: acme}, annex.EFORBIDDEN},
			{"exporter user", annex.NewContextWithUser(ctx, bob), annex.User{Username: "acme6", Role: annex.RoleExporterUser, OrgID: acme}, annex.EFORBIDDEN},
			{"licensing officer", as(annex.RoleLicensingOfficer), annex.User{Username: "x1", Role: annex.RoleAnalyst}, annex.EFORBIDDEN},
			{"senior officer", as(annex.RoleSeniorOfficer), annex.User{Username: "x2", Role: annex.RoleLicensingOfficer}, annex.EFORBIDDEN},
			{"reviewer", as(annex.RoleReviewer), annex.User{Username: "x3", Role: annex.RoleExporterUser, OrgID: acme}, annex.EFORBIDDEN},
			{"analyst", as(annex.RoleAnalyst), annex.User{Username: "x4", Role: annex.RoleAnalyst}, annex.EFORBIDDEN},
			{"customs", as(annex.RoleCustoms), annex.User{Username: "x5", Role: annex.RoleCustoms}, annex.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.CreateUser(tt.ctx, &tt.user, testPassword)
				if code := annex.ErrorCode(err); code != tt.code {
					t.Fatalf("ErrorCode=%q (%v), want %q", code, err, tt.code)
				}
				_, n, err := s.FindUsers(ctx, annex.UserFilter{Username: &tt.user.Username})
				if err != nil {
					t.Fatalf("FindUsers: %v", err)
				}
				if stored := tt.code == ""; (n == 1) != stored {
					t.Fatalf("%d users named %s stored, want stored=%v", n, tt.user.Username, stored)
				}
			})
		}

		t.Run("audit", func(t *testing.T) {
			// The exporter administrator's creation is audited as its own.
			subject := "user:" + strconv.FormatInt(mustFindUser(t, ctx, s, "acme1").ID, 10)
			events, _, err := sqlstore.NewAuditService(db).FindAuditEvents(ctx, annex.AuditFilter{Subject: &subject})
			if err != nil {
				t.Fatalf("FindAuditEvents: %v", err)
			}
			if len(events) != 1 || events[0].Action != "user.create" || events[0].ActorID != ann.ID || events[0].Actor != "ann" {
				t.Fatalf("events=%+v, want one user.create by ann", events)
			}
		})
	})
}

// mustFindUser returns the user with the username.
func mustFindUser(tb testing.TB, ctx context.Context, s *sqlstore.UserService, username string) *annex.User {
	tb.Helper()
	users, _, err := s.FindUsers(ctx, annex.UserFilter{Username: &username})
	if err != nil || len(users) != 1 {
		tb.Fatalf("FindUsers(%s)=%v, %v; want one user", username, users, err)
	}
	return users[0]
}

// TestUserService_FindUsers_scope checks that an exporter user or
// administrator finds only its organisation's users, whatever the filter,
// while an administrator and an officer find everyone.
func TestUserService_FindUsers_scope(t *testing.T) {
	t.Parallel()
	ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		s := NewUserService(db)
		acme := MustCreateOrganisation(t, ctx, db, "Acme Rockets", "exporter")
		rival := MustCreateOrganisation(t, ctx, db, "Rival Exports", "exporter")
		admin := MustCreateUser(t, ctx, db, annex.User{Username: "admin", Role: annex.RoleAdmin}, testPassword)
		officer := MustCreateUser(t, ctx, db, annex.User{Username: "officer", Role: annex.RoleLicensingOfficer}, testPassword)
		ann := MustCreateUser(t, ctx, db, annex.User{Username: "ann", Role: annex.RoleExporterAdmin, OrgID: acme}, testPassword)
		bob := MustCreateUser(t, ctx, db, annex.User{Username: "bob", Role: annex.RoleExporterUser, OrgID: acme}, testPassword)
		rita := MustCreateUser(t, ctx, db, annex.User{Username: "rita", Role: annex.RoleExporterAdmin, OrgID: rival}, testPassword)
		annCtx, bobCtx, ritaCtx := annex.NewContextWithUser(ctx, ann), annex.NewContextWithUser(ctx, bob), annex.NewContextWithUser(ctx, rita)

		tests := []struct {
			name   string
			ctx    context.Context
			filter annex.UserFilter
			want   []string
			total  int
		}{
			{"system", ctx, annex.UserFilter{}, []string{"admin", "officer", "ann", "bob", "rita"}, 5},
			{"admin", annex.NewContextWithUser(ctx, admin), annex.UserFilter{}, []string{"admin", "officer", "ann", "bob", "rita"}, 5},
			{"officer", annex.NewContextWithUser(ctx, officer), annex.UserFilter{OrgID: &rival}, []string{"rita"}, 1},
			{"exporter admin", annCtx, annex.UserFilter{}, []string{"ann", "bob"}, 2},
			{"exporter admin, own organisation", annCtx, annex.UserFilter{OrgID: &acme}, []string{"ann", "bob"}, 2},
			{"exporter admin, another organisation", annCtx, annex.UserFilter{OrgID: &rival}, nil, 0},
			{"exporter admin, a user of another organisation by ID", annCtx, annex.UserFilter{ID: &rita.ID}, nil, 0},
			{"exporter admin, an authority user by username", annCtx, annex.UserFilter{Username: new("admin")}, nil, 0},
			{"exporter admin, paged", annCtx, annex.UserFilter{Offset: 1, Limit: 1}, []string{"bob"}, 2},
			{"exporter user", bobCtx, annex.UserFilter{}, []string{"ann", "bob"}, 2},
			{"other exporter admin", ritaCtx, annex.UserFilter{}, []string{"rita"}, 1},
			{"other exporter admin, the first organisation", ritaCtx, annex.UserFilter{OrgID: &acme}, nil, 0},
			{"exporter without organisation", annex.NewContextWithUser(ctx, &annex.User{ID: ann.ID, Username: "ann", Role: annex.RoleExporterAdmin}),
				annex.UserFilter{}, nil, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				users, total, err := s.FindUsers(tt.ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindUsers: %v", err)
				}
				var got []string
				for _, u := range users {
					got = append(got, u.Username)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("usernames (-want +got):\n%s", diff)
				}
				if total != tt.total {
					t.Errorf("total=%d, want %d", total, tt.total)
				}
				if users == nil {
					t.Errorf("users=nil, want an empty list")
				}
			})
		}
	})
}
