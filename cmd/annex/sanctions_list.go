package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"annex"
	"annex/sqlstore"
)

// registerRow is one measure of annex sanctions list -json: the measure
// with its status on the day asked.
type registerRow struct {
	*annex.Measure
	Status annex.MeasureStatus `json:"status"`
}

// runSanctionsList prints the register's measures with their status on a
// day (today by default), optionally of one status, and the policy holds.
func runSanctionsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "sanctions list", "[-json] [-on DATE] [-status active|pending|waived|expired] [-data DIR] [-db URL]")
	asJSON := fs.Bool("json", false, `write JSON: {"day", "measures": [...], "holds": [...]}`)
	on := fs.String("on", "", "read the status on `DATE` (YYYY-MM-DD; default today)")
	status := fs.String("status", "", "show only the measures of this `STATUS`: active, pending, waived or expired")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	day := *on
	if day == "" {
		day = time.Now().UTC().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, day); err != nil {
		return annex.Invalid(annex.FieldError{Field: "on", Message: "must be a date written YYYY-MM-DD, got " + fmt.Sprintf("%q", day)})
	}
	switch annex.MeasureStatus(*status) {
	case "", annex.MeasureActive, annex.MeasurePending, annex.MeasureWaived, annex.MeasureExpired:
	default:
		return annex.Invalid(annex.FieldError{Field: "status", Message: "must be active, pending, waived or expired"})
	}
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := sqlstore.NewSanctionService(db)
	ms, _, err := svc.FindMeasures(ctx, annex.MeasureFilter{Day: day, Status: annex.MeasureStatus(*status)})
	if err != nil {
		return err
	}
	hs, err := svc.FindHolds(ctx)
	if err != nil {
		return err
	}
	rows := make([]registerRow, len(ms))
	for i, m := range ms {
		rows[i] = registerRow{Measure: m, Status: m.Status(day)}
	}
	if *asJSON {
		if hs == nil {
			hs = []*annex.Hold{}
		}
		return writeJSON(e.stdout, map[string]any{"day": day, "measures": rows, "holds": hs})
	}
	fmt.Fprintf(e.stdout, "Sanctions register on %s: %d measure(s)\n", day, len(rows))
	if len(rows) > 0 {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ENTITY\tCOUNTRY\tMEASURE\tFROM\tUNTIL\tSTATUS\tLEGAL BASIS")
		for _, r := range rows {
			until := r.End
			if r.Minimum {
				until += " (at least)"
			}
			st := string(r.Status)
			if r.Status == annex.MeasureWaived {
				st += " from " + r.WaivedFrom
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Entity, r.Country, r.Measure.Measure, r.Start, until, st, r.LegalBasis)
		}
		tw.Flush()
	}
	if len(hs) > 0 {
		fmt.Fprintf(e.stdout, "\nPolicy holds: %d\n", len(hs))
		for _, h := range hs {
			class, until := h.Class, h.Until
			if class == "" {
				class = "all licences"
			}
			if until == "" {
				until = "further notice"
			}
			state := "ended"
			if h.Active(day) {
				state = "in force"
			} else if day < h.From {
				state = "not yet"
			}
			fmt.Fprintf(e.stdout, "  %s, %s: %s from %s until %s (%s): %s\n", h.Country, class, h.Effect, h.From, until, state, h.Reason)
		}
	}
	return nil
}
