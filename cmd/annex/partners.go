package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"annex/policy"
)

func runPartners(ctx context.Context, e *env, args []string) error {
	sub := map[string]func(context.Context, *env, []string) error{
		"list": runPartnersList,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprintln(e.stderr, "Usage: annex partners list [-json]")
		fmt.Fprintln(e.stderr, "\n  list   the MTCR partners with the year each joined, then the unilateral adherents")
		return errUsage
	}
	return sub[args[0]](ctx, e, args[1:])
}

// partnerJSON is one line of annex partners list -json. Scripts depend on
// name, iso2 and joined (the year, for a partner); an adherent has
// adherent true and no joined.
type partnerJSON struct {
	Name       string `json:"name"`
	ISO2       string `json:"iso2"`
	Joined     int    `json:"joined,omitempty"`
	Adherent   bool   `json:"adherent,omitempty"`
	Note       string `json:"note,omitempty"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
}

func runPartnersList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "partners list", "[-json]")
	asJSON := fs.Bool("json", false, "write JSON: an array of partners ({name, iso2, joined, source, confidence}), then adherents ({name, iso2, adherent: true, ...})")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	d, err := policy.BuiltInDestinations()
	if err != nil {
		return err
	}
	adherents := slices.Clone(d.Adherents)
	slices.SortFunc(adherents, func(a, b policy.Adherent) int { return cmp.Compare(a.Name, b.Name) })
	if *asJSON {
		out := make([]partnerJSON, 0, len(d.Partners)+len(adherents))
		for _, p := range d.Partners {
			out = append(out, partnerJSON{Name: p.Name, ISO2: p.ISO2, Joined: p.Joined, Note: p.Note, Source: p.Source, Confidence: p.Confidence})
		}
		for _, a := range adherents {
			out = append(out, partnerJSON{Name: a.Name, ISO2: a.ISO2, Adherent: true, Source: a.Source, Confidence: a.Confidence})
		}
		return writeJSON(e.stdout, out)
	}
	writePartners(e.stdout, d, adherents)
	return nil
}

// writePartners writes the partners and adherents for people, with the
// sources they cite.
func writePartners(w io.Writer, d *policy.Destinations, adherents []policy.Adherent) {
	fmt.Fprintf(w, "MTCR partners (%d):\n", len(d.Partners))
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tISO\tJOINED\tSOURCE\tCONFIDENCE\tNOTE")
	for _, p := range d.Partners {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\n", p.Name, p.ISO2, p.Joined, p.Source, p.Confidence, p.Note)
	}
	tw.Flush()
	// A partner without a note would end in the padding of its last column.
	for line := range strings.Lines(b.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
	fmt.Fprintf(w, "\nUnilateral adherents (%d):\n", len(adherents))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tISO\tSOURCE\tCONFIDENCE")
	for _, a := range adherents {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Name, a.ISO2, a.Source, a.Confidence)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nSources:")
	for _, s := range d.Sources {
		url := ""
		if s.URL != "" {
			url = " <" + s.URL + ">"
		}
		fmt.Fprintf(w, "  %-5s %s%s\n", s.Key, s.Title, url)
	}
	fmt.Fprintln(w, "\nConfidence: V verified in a primary text, P partly verified (an excerpt or secondary sources), M from general knowledge, to be checked.")
}
