package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"annex"
	"annex/controllist"
	"annex/sqlstore"
)

// openLocalDB opens the database named by -data/-db (or APP_DATA_DIR and
// APP_DB) for an administrative command, migrating it as serve would.
func openLocalDB(ctx context.Context, c Config) (*sqlstore.DB, error) {
	if c.DB == "" && c.DataDir == "" {
		return nil, annex.Errorf(annex.EINVALID, "-data or -db is required")
	}
	return openDB(ctx, c)
}

// dbFlags registers -data and -db on fs and returns the configuration they fill.
func dbFlags(e *env, fs *flag.FlagSet) (*Config, error) {
	c := DefaultConfig()
	if err := c.load(e, fs, "data", "db"); err != nil {
		return nil, annex.Errorf(annex.EINVALID, "%s", err)
	}
	return &c, nil
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "migrate", "[-data DIR] [-db URL]")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c.Migrate = true
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(e.stdout, "database %s is up to date\n", db.Dialect())
	return nil
}

func runAudit(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(e.stderr, "Usage: annex audit verify [-json] [-data DIR] [-db URL]")
		return errUsage
	}
	fs := newFlagSet(e, "audit verify", "[-json] [-data DIR] [-db URL]")
	asJSON := fs.Bool("json", false, "write JSON")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := sqlstore.NewAuditService(db).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(e.stdout, v); err != nil {
			return err
		}
	} else if v.OK {
		fmt.Fprintf(e.stdout, "audit trail intact: %d events, every link holds\n", v.Events)
	} else {
		fmt.Fprintf(e.stdout, "audit trail BROKEN at event %d: %s (%d events checked)\n", v.BrokenAt, v.Problem, v.Events)
	}
	if !v.OK {
		return annex.Errorf(annex.ECONFLICT, "the audit trail is broken at event %d", v.BrokenAt)
	}
	return nil
}

func runListImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "controllist import", "[-data DIR] [-db URL] FILE")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return annex.Errorf(annex.EINVALID, "cannot read %s: %v", fs.Arg(0), unwrapPath(err))
	}
	v, err := controllist.Parse(b)
	if err != nil {
		return err
	}
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	// The new version must also load beside those present.
	svc, err := loadControlLists(ctx, db)
	if err != nil {
		return err
	}
	if err := svc.Add(v, false); err != nil {
		return err
	}
	if err := sqlstore.NewListVersionStore(db).CreateListVersion(ctx, v); err != nil {
		return err
	}
	sum, _ := controllist.Hash(v)
	fmt.Fprintf(e.stdout, "imported list version %s (effective %s, %d entries, sha256 %s)\n", v.ID, v.EffectiveDate, len(v.Entries), sum)
	return nil
}

func runUsers(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list") {
		fmt.Fprintln(e.stderr, "Usage: annex users create -username NAME -role ROLE [-name TEXT] [-org ID] [-department D] [-data DIR] [-db URL]")
		fmt.Fprintln(e.stderr, "       annex users list [-data DIR] [-db URL]")
		return errUsage
	}
	if args[0] == "list" {
		return runUsersList(ctx, e, args[1:])
	}
	fs := newFlagSet(e, "users create", "-username NAME -role ROLE [-name TEXT] [-org ID]")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	u := &annex.User{MustChangePassword: true}
	fs.StringVar(&u.Username, "username", "", "the user's sign-in `NAME`")
	fs.StringVar(&u.Name, "name", "", "the user's full name")
	role := fs.String("role", "", fmt.Sprintf("`ROLE`: one of %v", annex.Roles))
	fs.Int64Var(&u.OrgID, "org", 0, "organisation `ID` of an exporter user")
	fs.StringVar(&u.Department, "department", "", "advising `DEPARTMENT` of a reviewer: foreign_affairs or defence")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	u.Role = annex.Role(*role)
	if err := u.Validate(); err != nil {
		return err
	}
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	password := newPassword()
	if err := sqlstore.NewUserService(db).CreateUser(ctx, u, password); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %s (id %d, role %s)\none-time password: %s\n", u.Username, u.ID, u.Role, password)
	return nil
}

func runUsersList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "users list", "[-data DIR] [-db URL]")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	users, _, err := sqlstore.NewUserService(db).FindUsers(ctx, annex.UserFilter{})
	if err != nil {
		return err
	}
	for _, u := range users {
		state := ""
		if u.Disabled {
			state = " (disabled)"
		}
		fmt.Fprintf(e.stdout, "%4d  %-20s %-18s %s%s\n", u.ID, u.Username, u.Role, u.Name, state)
	}
	return nil
}

func runOrganisations(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list") {
		fmt.Fprintln(e.stderr, "Usage: annex organisations create [-kind exporter|authority] NAME")
		fmt.Fprintln(e.stderr, "       annex organisations list")
		return errUsage
	}
	fs := newFlagSet(e, "organisations "+args[0], "[-kind exporter|authority] [NAME]")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	kind := fs.String("kind", "exporter", "`KIND` of organisation: exporter or authority")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := sqlstore.NewOrganisationService(db)
	if args[0] == "list" {
		orgs, err := svc.FindOrganisations(ctx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			fmt.Fprintf(e.stdout, "%4d  %-10s %s\n", o.ID, o.Kind, o.Name)
		}
		return nil
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	o := &annex.Organisation{Name: fs.Arg(0), Kind: annex.OrganisationKind(*kind)}
	if err := svc.CreateOrganisation(ctx, o); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created organisation %q (id %d, %s)\n", o.Name, o.ID, o.Kind)
	return nil
}
