package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"annex"
	"annex/sqlstore"
)

// denialsUsage is the usage of annex denials.
const denialsUsage = `Usage: annex denials list [-sent|-received] [-json] [-data DIR] [-db URL]
       annex denials show [-json] [-data DIR] [-db URL] ID
       annex denials export [-received] [-all] [-data DIR] [-db URL]

  list     the denial notifications sent to partners, or received from them
  show     one denial, with where it came from
  export   the denials in force as the JSON array annex assess -denials reads`

func runDenials(ctx context.Context, e *env, args []string) error {
	sub := map[string]func(context.Context, *env, []string) error{
		"list":   runDenialsList,
		"show":   runDenialsShow,
		"export": runDenialsExport,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprintln(e.stderr, denialsUsage)
		return errUsage
	}
	return sub[args[0]](ctx, e, args[1:])
}

// denialView is a denial with its standing today, as list and show write
// it.
type denialView struct {
	*annex.Denial
	InForce   bool   `json:"in_force"`
	ReviewDue string `json:"review_due"`
}

func viewDenials(ds []*annex.Denial, day string) []denialView {
	out := make([]denialView, len(ds))
	for i, d := range ds {
		out[i] = denialView{Denial: d, InForce: d.InForce(day), ReviewDue: d.ReviewDue()}
	}
	return out
}

func today() string { return time.Now().UTC().Format(time.DateOnly) }

func runDenialsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "denials list", "[-sent|-received] [-json] [-data DIR] [-db URL]")
	sent := fs.Bool("sent", false, "only this government's denials")
	received := fs.Bool("received", false, "only the partners' denials")
	asJSON := fs.Bool("json", false, "write JSON: an array of denials, each with in_force and review_due")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || (*sent && *received) {
		fs.Usage()
		return errUsage
	}
	ds, err := findLocalDenials(ctx, c, annex.DenialFilter{Sent: *sent, Received: *received})
	if err != nil {
		return err
	}
	views := viewDenials(ds, today())
	if *asJSON {
		return writeJSON(e.stdout, views)
	}
	if len(views) == 0 {
		fmt.Fprintln(e.stdout, "no denial")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tGOVERNMENT\tENTRY\tEND USER\tDESTINATION\tDATE\tREVIEW DUE\tSTATUS")
	for _, v := range views {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.NotifyingGovernment, v.Entry, v.EndUser, v.Destination, v.Date, v.ReviewDue, standing(v))
	}
	return tw.Flush()
}

// standing says where a denial stands today.
func standing(v denialView) string {
	switch {
	case v.Status == annex.DenialRevoked || v.RevokedOn != "":
		return "revoked " + v.RevokedOn
	case v.InForce:
		return "in force"
	case v.Date > today():
		return "not yet"
	}
	return "past review"
}

func runDenialsShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "denials show", "[-json] [-data DIR] [-db URL] ID")
	asJSON := fs.Bool("json", false, "write JSON")
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
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	d, err := sqlstore.NewDenialService(db, c.Government).FindDenialByID(ctx, fs.Arg(0))
	db.Close()
	if err != nil {
		return err
	}
	v := viewDenials([]*annex.Denial{d}, today())[0]
	if *asJSON {
		return writeJSON(e.stdout, v)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s\t%s\n", k, v)
		}
	}
	line("Denial", d.ID)
	line("Notified by", d.NotifyingGovernment)
	line("Entry", d.Entry)
	line("Goods", d.ItemDescription)
	line("End user", d.EndUser)
	line("Consignee", d.Consignee)
	line("Destination", d.Destination)
	line("Date", d.Date)
	line("Reason", d.Reason)
	line("Version", fmt.Sprint(d.Version))
	line("Standing", standing(v))
	line("Review due", v.ReviewDue)
	if r := d.Received; r != nil {
		line("Received from", fmt.Sprintf("%s (key %s, sequence %d) on %s", r.Feed, r.KeyID, r.Sequence, r.ReceivedAt.UTC().Format(time.RFC3339)))
	}
	return w.Flush()
}

// runDenialsExport writes the denials in force today as the JSON array
// annex assess -denials reads: by default the partners' (those an
// application is checked against), with -all every one on record.
func runDenialsExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "denials export", "[-all] [-sent] [-data DIR] [-db URL]")
	all := fs.Bool("all", false, "every denial on record, in force or not")
	sent := fs.Bool("sent", false, "this government's denials instead of the partners'")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	ds, err := findLocalDenials(ctx, c, annex.DenialFilter{Sent: *sent, Received: !*sent})
	if err != nil {
		return err
	}
	day := today()
	out := []*annex.Denial{}
	for _, d := range ds {
		if *all || d.InForce(day) {
			x := *d
			x.Received, x.ApplicationID = nil, 0
			out = append(out, &x)
		}
	}
	return writeJSON(e.stdout, out)
}

// findLocalDenials reads the denials of the local database.
func findLocalDenials(ctx context.Context, c *Config, f annex.DenialFilter) ([]*annex.Denial, error) {
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ds, _, err := sqlstore.NewDenialService(db, c.Government).FindDenials(ctx, f)
	return ds, err
}
