package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	fs := newFlagSet(e, "assess", "[-json] [-lists FILE[,FILE...]] [-denials FILE] [-clock DATE] FILE|-")
	asJSON := fs.Bool("json", false, "write JSON")
	listFiles := fs.String("lists", "", "screen the parties against these list `FILE`s (comma-separated) instead of the lists loaded in the database")
	denialsFile := fs.String("denials", "", "apply the no-undercut rule against the partners' denial notifications in `FILE`: a JSON array of {id, notifying_government, entry, end_user, destination, date, reason}")
	c := DefaultConfig()
	if err := c.load(e, fs, "data", "db", "clock"); err != nil {
		return annex.Errorf(annex.EINVALID, "%s", err)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// The day of the assessment decides which holds and denials are in
	// force: -clock assesses as of another day.
	var clk clock
	if err := clk.Set(c.Clock); err != nil {
		return err
	}
	spec, err := decodeFileArg(e, fs, "one application FILE", annex.DecodeApplication)
	if err != nil {
		return err
	}
	var denials []annex.Denial
	if *denialsFile != "" {
		if denials, err = readDenials(*denialsFile); err != nil {
			return err
		}
	}
	svc, err := assessService(ctx, c, *listFiles)
	if err != nil {
		return err
	}
	svc.Now = clk.Now
	if *denialsFile != "" {
		svc.Denials = func(context.Context) ([]annex.Denial, error) { return denials, nil }
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

// readDenials reads a file of denial notifications: a JSON array of
// annex.Denial, decoded strictly (unknown fields are errors) and each
// validated. Errors are EINVALID and name the notification's index and
// field, as "[2].date"; two notifications with one ID are an error.
func readDenials(name string) ([]annex.Denial, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, annex.Errorf(annex.EINVALID, "cannot read %s: %v", name, unwrapPath(err))
	}
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '[' {
		return nil, annex.Errorf(annex.EINVALID, "%s: must be a JSON array of denial notifications", name)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, annex.Errorf(annex.EINVALID, "%s: malformed JSON: %v", name, err)
	}
	denials := make([]annex.Denial, len(raws))
	seen := make(map[string]int, len(raws))
	var errs []annex.FieldError
	for i, raw := range raws {
		at := fmt.Sprintf("[%d]", i)
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&denials[i]); err != nil {
			errs = append(errs, denialJSONError(at, err))
			continue
		}
		if err := denials[i].Validate(); err != nil {
			for _, f := range annex.ErrorFields(err) {
				errs = append(errs, annex.FieldError{Field: at + "." + f.Field, Message: f.Message})
			}
			continue
		}
		if j, dup := seen[denials[i].ID]; dup {
			errs = append(errs, annex.FieldError{Field: at + ".id", Message: fmt.Sprintf("%q is also the id of [%d]", denials[i].ID, j)})
			continue
		}
		seen[denials[i].ID] = i
	}
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	return denials, nil
}

// denialJSONError describes the failure to decode the notification at
// index at (as "[2]").
func denialJSONError(at string, err error) annex.FieldError {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		field := at
		if typ.Field != "" {
			field += "." + typ.Field
		}
		return annex.FieldError{Field: field, Message: "must be a " + typ.Type.String() + ", got " + typ.Value}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return annex.FieldError{Field: at + "." + strings.Trim(name, `"`), Message: "unknown field"}
	}
	return annex.FieldError{Field: at, Message: "must be a denial notification object: " + err.Error()}
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
