package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"annex"
	"annex/lists"
	"annex/sqlstore"
)

// screenFlags are the flags of annex screen.
type screenFlags struct {
	asJSON    bool
	listFiles string
	batch     string
	threshold float64
	limit     int
	q         annex.ScreenQuery
}

func runScreen(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "screen", "[-json] [-lists FILE[,FILE...]] [-threshold T] NAME...\n       annex screen -batch FILE.csv [-lists FILE[,FILE...]] [-threshold T]")
	var f screenFlags
	fs.BoolVar(&f.asJSON, "json", false, "write JSON: one result object per name, one per line")
	fs.StringVar(&f.listFiles, "lists", "", "screen against these list `FILE`s (comma-separated; formats detected) instead of the lists loaded in the database")
	fs.StringVar(&f.batch, "batch", "", "screen every row of `FILE.csv` (columns name, and optionally type, country, dob, id), writing one JSON line per row")
	fs.Float64Var(&f.threshold, "threshold", 0, "score at or above which a result is a match, 0 to 1 (default: the calibrated threshold)")
	fs.IntVar(&f.limit, "limit", 10, "at most `N` results per name")
	fs.StringVar((*string)(&f.q.Type), "type", "", "party type: person, organization, vessel or aircraft")
	fs.StringVar(&f.q.Country, "country", "", "party country, ISO 3166-1 alpha-2")
	fs.StringVar(&f.q.DOB, "dob", "", "date of birth or incorporation: YYYY, YYYY-MM or YYYY-MM-DD")
	fs.StringVar(&f.q.ID, "id", "", "passport, registration or IMO number")
	c, err := dbFlags(e, fs)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (f.batch == "") == (fs.NArg() == 0) {
		fmt.Fprintln(e.stderr, "annex screen: give one or more NAMEs, or -batch FILE.csv")
		fs.Usage()
		return errUsage
	}
	sc, err := loadScreener(ctx, *c, f.listFiles)
	if err != nil {
		return err
	}
	if f.batch != "" {
		return screenBatch(ctx, e, sc, f)
	}
	for _, name := range fs.Args() {
		q := f.q
		q.Name = name
		r, err := sc.Screen(ctx, q, f.threshold, f.limit)
		if err != nil {
			return err
		}
		if f.asJSON {
			if err := writeJSONLine(e.stdout, r); err != nil {
				return err
			}
		} else {
			writeScreenResult(e.stdout, r)
		}
	}
	return nil
}

// loadScreener builds the index from list files, or from the lists stored
// in the local database.
func loadScreener(ctx context.Context, c Config, listFiles string) (*screener, error) {
	sc := &screener{}
	if listFiles != "" {
		var files []lists.File
		for _, name := range strings.Split(listFiles, ",") {
			name = strings.TrimSpace(name)
			b, err := os.ReadFile(name)
			if err != nil {
				return nil, annex.Errorf(annex.EINVALID, "cannot read %s: %v", name, unwrapPath(err))
			}
			files = append(files, lists.File{Name: name, Data: b})
		}
		results, err := lists.ParseAll(files...)
		if err != nil {
			return nil, err
		}
		var snaps []*annex.ListSnapshot
		var ents [][]*annex.ListEntity
		for _, r := range results {
			snaps, ents = append(snaps, r.Snapshot), append(ents, r.Entities)
		}
		sc.load(snaps, ents)
		return sc, nil
	}
	db, err := openLocalDB(ctx, c)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	snaps, ents, err := sqlstore.NewListStore(db).ActiveLists(ctx)
	if err != nil {
		return nil, err
	}
	// The sanctions register's entities with a measure in force today
	// screen as the list annex-register, as annex serve screens them.
	reg, err := registerList(ctx, sqlstore.NewSanctionService(db), time.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	if len(snaps) == 0 && len(reg) == 0 {
		return nil, annex.Errorf(annex.ECONFLICT, "no list is loaded in %s: run annex lists import FILE... or annex lists update, or give -lists", c.DSN())
	}
	sc.load(snaps, append(ents, reg))
	return sc, nil
}

// batchRow is one line of batch output: the row number and its result.
type batchRow struct {
	Row int `json:"row"`
	*annex.ScreenResult
	Error string `json:"error,omitempty"`
}

// screenBatch screens every row of a CSV file on every CPU and writes the
// results in row order, one JSON line each. Workers run at most a window of
// chunks ahead of the writer, so memory stays bounded for any file size.
func screenBatch(ctx context.Context, e *env, sc *screener, f screenFlags) error {
	in, err := openInput(e, f.batch)
	if err != nil {
		return err
	}
	defer in.Close()
	queries, err := readBatch(in, f.batch)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(e.stdout, 1<<16)
	defer out.Flush()
	progress := newProgress(e.stderr, len(queries))

	const chunk = 128
	workers := runtime.GOMAXPROCS(0)
	nchunks := (len(queries) + chunk - 1) / chunk
	results := make([]batchRow, len(queries))
	done := make([]chan struct{}, nchunks)
	for i := range done {
		done[i] = make(chan struct{})
	}
	window := make(chan struct{}, 4*workers)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range jobs {
				for i := c * chunk; i < min((c+1)*chunk, len(queries)); i++ {
					results[i] = screenRow(ctx, sc, queries[i], i+2, f)
				}
				close(done[c])
			}
		})
	}
	// On an early return, cancel stops the feeder, which closes jobs, so
	// that the workers end before wg.Wait returns.
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(jobs)
		for c := range nchunks {
			select {
			case window <- struct{}{}:
				jobs <- c
			case <-ctx.Done():
				return
			}
		}
	}()
	for c := range nchunks {
		select {
		case <-done[c]:
		case <-ctx.Done():
			return ctx.Err()
		}
		for i := c * chunk; i < min((c+1)*chunk, len(queries)); i++ {
			if err := writeJSONLine(out, results[i]); err != nil {
				return err
			}
			results[i] = batchRow{}
		}
		<-window
		progress.set(min((c+1)*chunk, len(queries)))
	}
	progress.done()
	return nil
}

// screenRow screens one batch row; an invalid row gives its error in the
// output instead of stopping the batch.
func screenRow(ctx context.Context, sc *screener, q annex.ScreenQuery, row int, f screenFlags) batchRow {
	r, err := sc.Screen(ctx, q, f.threshold, f.limit)
	if err != nil {
		return batchRow{Row: row, ScreenResult: &annex.ScreenResult{Query: q.Name, Matches: []annex.ScreenMatch{}}, Error: annex.ErrorMessage(err)}
	}
	return batchRow{Row: row, ScreenResult: r}
}

// readBatch reads the batch CSV: a header with a name column, and optional
// type, country, dob and id columns.
func readBatch(r io.Reader, name string) ([]annex.ScreenQuery, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, annex.Errorf(annex.EINVALID, "%s: cannot read the header: %v", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["name"]; !ok {
		return nil, annex.Invalid(annex.FieldError{Field: name + ":1", Message: "the header has no name column"})
	}
	get := func(rec []string, key string) string {
		if i, ok := col[key]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var qs []annex.ScreenQuery
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return qs, nil
		} else if err != nil {
			return nil, annex.Invalid(annex.FieldError{Field: fmt.Sprintf("%s:%d", name, line), Message: err.Error()})
		}
		q := annex.ScreenQuery{Name: get(rec, "name"), Type: annex.EntityType(get(rec, "type")), Country: strings.ToUpper(get(rec, "country")), DOB: get(rec, "dob"), ID: get(rec, "id")}
		if q.Name == "" {
			return nil, annex.Invalid(annex.FieldError{Field: fmt.Sprintf("%s:%d", name, line), Message: "the name is empty"})
		}
		qs = append(qs, q)
	}
}

// writeJSONLine writes v as one line of JSON without HTML escaping.
func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeScreenResult writes a screening result for people.
func writeScreenResult(w io.Writer, r *annex.ScreenResult) {
	matches := 0
	for _, m := range r.Matches {
		if m.Match {
			matches++
		}
	}
	fmt.Fprintf(w, "%s: %d match(es), %d result(s)\n", r.Query, matches, len(r.Matches))
	for _, m := range r.Matches {
		verdict := "     "
		if m.Match {
			verdict = "MATCH"
		}
		fmt.Fprintf(w, "  %.3f %s %s %s  %s", m.Score, verdict, m.Source, m.SourceID, m.Name)
		if m.MatchedName != "" && m.MatchedName != m.Name {
			fmt.Fprintf(w, " (as %s)", m.MatchedName)
		}
		fmt.Fprintln(w)
		if m.Match {
			for _, p := range m.Explanation {
				fmt.Fprintf(w, "      %-14s %+.3f  %s\n", p.Factor, p.Score, p.Detail)
			}
		}
	}
}

// progress draws a progress line on a terminal, and nothing elsewhere.
type progress struct {
	w     io.Writer
	total int
	on    bool
	last  time.Time
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) set(n int) {
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && n < p.total) {
		return
	}
	p.last = time.Now()
	width := 30
	filled := width * n / max(p.total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), n, p.total)
}

func (p *progress) done() {
	if p.on {
		fmt.Fprintln(p.w)
	}
}
