package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"annex"
	"annex/policy"
	"annex/sqlstore"
)

func runAssess(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "assess", "[-json] [-lists FILE[,FILE...]] FILE|-")
	asJSON := fs.Bool("json", false, "write JSON")
	listFiles := fs.String("lists", "", "screen the parties against these list `FILE`s (comma-separated) instead of the lists loaded in the database")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "annex assess: want one application FILE, or - for standard input")
		fs.Usage()
		return errUsage
	}
	in, err := openInput(e, fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()
	spec, err := annex.DecodeApplication(in)
	if err != nil {
		return err
	}
	svc, err := assessService(ctx, *c, *listFiles)
	if err != nil {
		return err
	}
	a, err := svc.Assess(ctx, spec)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, a)
	}
	writeAssessment(e.stdout, spec, a)
	return nil
}

// assessService builds the assessment from the built-in control list, and
// screens against list files, or the lists of an existing local database,
// or nothing. Policy holds come with the sanctions register.
func assessService(ctx context.Context, c Config, listFiles string) (*policy.Service, error) {
	cl, err := localControlList("")
	if err != nil {
		return nil, err
	}
	svc, err := newPolicy(cl, nil)
	if err != nil {
		return nil, err
	}
	if listFiles != "" || c.DB != "" || dbExists(c) {
		sc, err := loadScreener(ctx, c, listFiles)
		if err != nil && annex.ErrorCode(err) != annex.ECONFLICT {
			return nil, err
		}
		if err == nil {
			svc.Screener = sc
		}
	}
	if listFiles == "" && (c.DB != "" || dbExists(c)) {
		// The policy holds of the sanctions register act on the assessment,
		// as in annex serve.
		db, err := openLocalDB(ctx, c)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		holds, err := holdsOf(sqlstore.NewSanctionService(db))(ctx)
		if err != nil {
			return nil, fmt.Errorf("read policy holds: %w", err)
		}
		svc.Holds = func(context.Context) ([]annex.Hold, error) { return holds, nil }
	}
	return svc, nil
}

// newPolicy returns the assessment over the control list cl and the
// built-in destinations, screening the parties with sc (nil: they are
// reported as not screened).
func newPolicy(cl annex.ControlListService, sc annex.ScreenService) (*policy.Service, error) {
	dest, err := policy.BuiltInDestinations()
	if err != nil {
		return nil, err
	}
	return &policy.Service{ControlList: cl, Screener: sc, Destinations: dest, Now: time.Now}, nil
}

// dbExists reports whether the default SQLite database of the data
// directory exists, so that a command can use it without creating one.
func dbExists(c Config) bool {
	_, err := os.Stat(c.DSN())
	return c.DB == "" && err == nil
}

// writeAssessment writes an assessment for people.
func writeAssessment(w io.Writer, spec *annex.ApplicationSpec, a *annex.Assessment) {
	lic := "no licence required"
	if a.LicenceRequired {
		lic = "licence required"
	}
	fmt.Fprintf(w, "Recommendation: %s (%s; presumption %s)\n", strings.ToUpper(string(a.Recommendation)), lic, a.Presumption)
	fmt.Fprintf(w, "Destination: %s (%s)\n\nReasons:\n", a.Destination.Name, a.Destination.Country)
	for _, r := range a.Reasons {
		fmt.Fprintf(w, "  %-6s %-30s %s\n", r.Outcome, r.Rule, r.Detail)
	}
	fmt.Fprintln(w, "\nLines:")
	for _, l := range a.Lines {
		if l.Classification != nil {
			fmt.Fprintf(w, "  %d. %s\n", l.Line+1, l.Classification.Summary)
		}
	}
	fmt.Fprintln(w, "\nParties:")
	for _, p := range a.Parties {
		state := "not screened"
		if p.Result != nil {
			state = "no match"
			if len(p.Result.Matches) > 0 {
				best := p.Result.Matches[0]
				state = fmt.Sprintf("best %s %s %q at %.2f", best.Source, best.SourceID, best.Name, best.Score)
				if best.Match {
					state = "MATCH: " + state
				}
			}
		}
		fmt.Fprintf(w, "  %s %q (%s): %s\n", strings.ReplaceAll(string(p.Role), "_", " "), p.Name, spec.Parties[p.Party].Country, state)
	}
	fmt.Fprintln(w, "\nThe six factors (Guidelines para. 3):")
	for _, f := range a.Factors {
		fmt.Fprintf(w, "  %s. %s\n", f.ID, f.Title)
		for _, x := range f.Findings {
			fmt.Fprintf(w, "     - %s\n", x)
		}
	}
}
