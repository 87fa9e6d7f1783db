package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"annex"
	"annex/lists"
	"annex/monitor"
	"annex/sqlstore"
)

func runLists(ctx context.Context, e *env, args []string) error {
	sub := map[string]func(context.Context, *env, []string) error{
		"import": runListsImport,
		"update": runListsUpdate,
		"list":   runListsList,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprintln(e.stderr, "Usage: annex lists import|update|list [flags] [FILE...]")
		fmt.Fprintln(e.stderr, "\n  import FILE...   load list files (formats detected) into the database")
		fmt.Fprintln(e.stderr, "  update           fetch the official lists and load those that changed")
		fmt.Fprintln(e.stderr, "  list             the lists loaded")
		return errUsage
	}
	return sub[args[0]](ctx, e, args[1:])
}

func runListsImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "lists import", "[-data DIR] [-db URL] FILE...")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	var files []lists.File
	for _, name := range fs.Args() {
		b, err := os.ReadFile(name)
		if err != nil {
			return annex.Errorf(annex.EINVALID, "cannot read %s: %v", name, unwrapPath(err))
		}
		files = append(files, lists.File{Name: name, Data: b})
	}
	// Parse everything before storing anything: a bad file stores nothing.
	results, err := lists.ParseAll(files...)
	if err != nil {
		return err
	}
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	changed := 0
	for _, r := range results {
		stored, err := storeList(ctx, sqlstore.NewListStore(db), r)
		if err != nil {
			return err
		}
		if stored {
			changed++
		}
		fmt.Fprintf(e.stdout, "%s\n", describeSnapshot(r.Snapshot, stored))
	}
	if changed > 0 {
		return rescreen(ctx, e, db)
	}
	return nil
}

// storeList stores a parsed list unless the active snapshot of its source
// has the same content.
func storeList(ctx context.Context, store *sqlstore.ListStore, r lists.Result) (bool, error) {
	active, err := store.ActiveSnapshot(ctx, r.Snapshot.Source)
	if err == nil && active.SHA256 == r.Snapshot.SHA256 {
		*r.Snapshot = *active
		return false, nil
	} else if err != nil && annex.ErrorCode(err) != annex.ENOTFOUND {
		return false, err
	}
	return true, store.CreateSnapshot(ctx, r.Snapshot, r.Entities)
}

func describeSnapshot(s *annex.ListSnapshot, stored bool) string {
	state := "loaded"
	if !stored {
		state = "unchanged"
	}
	published := ""
	if s.Published != "" {
		published = ", published " + s.Published
	}
	return fmt.Sprintf("%-14s %-9s %6d entities, %6d names (%s%s; sha256 %s)", s.Source, state, s.Entities, s.Names, strings.Join(s.Files, ", "), published, s.SHA256[:12])
}

// rescreen screens the stored parties against the lists now active and
// reports the new alerts, then assesses every open case again and reports
// those whose assessment changed.
func rescreen(ctx context.Context, e *env, db *sqlstore.DB) error {
	snaps, ents, err := sqlstore.NewListStore(db).ActiveLists(ctx)
	if err != nil {
		return err
	}
	// The register's entities with a measure in force today screen as the
	// list annex-register, as annex serve screens them.
	reg, err := registerList(ctx, sqlstore.NewSanctionService(db), time.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return err
	}
	sc := &screener{}
	sc.load(snaps, append(ents, reg))
	m := &monitor.Monitor{Parties: sqlstore.NewPartyService(db), Screener: sc}
	res, err := m.Rescreen(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "re-screened %d stored parties: %d new alert(s)\n", res.Parties, len(res.Alerts))
	for _, a := range res.Alerts {
		fmt.Fprintf(e.stdout, "  alert %d: party %q matches %s %s %q (score %.3f)\n", a.ID, a.PartyName, a.Source, a.SourceID, a.EntityName, a.Score)
	}
	return reassessOpen(ctx, e, db, sc)
}

// reassessOpen assesses the open cases again against the lists sc holds,
// with the control lists annex serve uses: built in and imported.
func reassessOpen(ctx context.Context, e *env, db *sqlstore.DB, sc *screener) error {
	cl, err := loadControlLists(ctx, db)
	if err != nil {
		return err
	}
	assess, err := newPolicy(cl, sc)
	if err != nil {
		return err
	}
	assess.Holds = holdsOf(sqlstore.NewSanctionService(db))
	assess.Denials = receivedDenials(sqlstore.NewDenialService(db, ""), time.Now)
	apps := sqlstore.NewApplicationService(db)
	apps.Assess = assess
	res, err := apps.ReassessOpen(ctx)
	if res != nil {
		fmt.Fprintf(e.stdout, "reassessed %d open case(s): %d changed\n", res.Open, len(res.Changed))
		for _, app := range res.Changed {
			a := app.Assessment
			cat := "no category"
			if a.Category != "" {
				cat = "Category " + string(a.Category)
			}
			fmt.Fprintf(e.stdout, "  %s (%s): now %s, %s\n", app.Reference, app.Status, strings.ToUpper(string(a.Recommendation)), cat)
		}
	}
	if err != nil {
		return fmt.Errorf("reassess open cases: %w", err)
	}
	return nil
}

func runListsUpdate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "lists update", "[-data DIR] [-db URL] [-sources un,ofac-sdn,...]")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	only := fs.String("sources", "", "comma-separated `SOURCES` to fetch (default: every source with official addresses)")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up on a list after this long")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d := &lists.Downloader{Client: &http.Client{Timeout: *timeout}, Sources: lists.DefaultURLs()}
	if v, ok := e.getenv("APP_LIST_URLS"); ok {
		// APP_LIST_URLS=un=URL,ofac-sdn=URL|URL overrides the addresses, for
		// mirrors and tests.
		d.Sources = parseListURLs(v)
	}
	db, err := openLocalDB(ctx, *c)
	if err != nil {
		return err
	}
	defer db.Close()
	var failed []string
	changed := 0
	for _, src := range annex.ListSources {
		if len(d.Sources[src]) == 0 || (*only != "" && !contains(strings.Split(*only, ","), string(src))) {
			continue
		}
		stored, err := updateList(ctx, d, sqlstore.NewListStore(db), src, e)
		if err != nil {
			failed = append(failed, string(src))
			fmt.Fprintf(e.stderr, "%-14s FAILED, the list already loaded stays: %s\n", src, describe(err))
			continue
		}
		if stored {
			changed++
		}
	}
	if changed > 0 {
		if err := rescreen(ctx, e, db); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d list(s) could not be updated: %s", len(failed), strings.Join(failed, ", "))
	}
	return nil
}

// updateList fetches, parses and stores one list; any failure stores nothing.
func updateList(ctx context.Context, d *lists.Downloader, store *sqlstore.ListStore, src annex.ListSource, e *env) (bool, error) {
	files, err := d.Fetch(ctx, src)
	if err != nil {
		return false, err
	}
	snap, ents, err := lists.Parse(files...)
	if err != nil {
		return false, err
	}
	if snap.Source != src {
		return false, errors.New("the files fetched are a " + string(snap.Source) + " list")
	}
	stored, err := storeList(ctx, store, lists.Result{Snapshot: snap, Entities: ents})
	if err != nil {
		return false, err
	}
	fmt.Fprintln(e.stdout, describeSnapshot(snap, stored))
	return stored, nil
}

func parseListURLs(v string) map[annex.ListSource][]string {
	out := map[annex.ListSource][]string{}
	for _, part := range strings.Split(v, ",") {
		src, urls, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			out[annex.ListSource(src)] = strings.Split(urls, "|")
		}
	}
	return out
}

func runListsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "lists list", "[-json] [-data DIR] [-db URL]")
	asJSON := fs.Bool("json", false, "write JSON")
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
	snaps, _, err := sqlstore.NewListStore(db).FindSnapshots(ctx, annex.ListSnapshotFilter{ActiveOnly: true})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, snaps)
	}
	if len(snaps) == 0 {
		fmt.Fprintln(e.stdout, "no list is loaded")
	}
	for _, s := range snaps {
		fmt.Fprintf(e.stdout, "%s, at %s\n", describeSnapshot(s, true), s.LoadedAt.Format(time.RFC3339))
	}
	return nil
}
