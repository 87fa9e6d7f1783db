package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"annex"
	"annex/sanction"
)

// sanctionsCommand is one subcommand of annex sanctions.
type sanctionsCommand struct {
	usage string
	run   func(ctx context.Context, e *env, args []string) error
}

// sanctionsCommands are the subcommands of annex sanctions; add one by
// adding an entry.
var sanctionsCommands = map[string]sanctionsCommand{
	"determine": {"determine [-json] [-packs ID,ID] [-pack-dir DIR] FILE|-   the measures a transfer calls for", runSanctionsDetermine},
	"packs":     {"packs [-json] [-pack-dir DIR]             the rule packs, with their windows and sources", runSanctionsPacks},
	"list":      {"list [-json] [-on DATE] [-status S] [-data DIR] [-db URL]   the register's measures and their status", runSanctionsList},
}

func runSanctions(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		sanctionsUsage(e.stderr)
		return errUsage
	}
	sub, ok := sanctionsCommands[args[0]]
	if !ok {
		if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
			sanctionsUsage(e.stderr)
			return nil
		}
		fmt.Fprintf(e.stderr, "annex sanctions: unknown subcommand %q\n", args[0])
		sanctionsUsage(e.stderr)
		return errUsage
	}
	return sub.run(ctx, e, args[1:])
}

func sanctionsUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: annex sanctions <subcommand> [flags] [arguments]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(sanctionsCommands))
	for n := range sanctionsCommands {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintln(w, "  "+sanctionsCommands[n].usage)
	}
}

// newSanctionsEngine returns the determination engine over the built-in
// rule packs and those of packDir, the built-in control list for items, and
// the MTCR partners and adherents of the built-in destination data.
func newSanctionsEngine(packDir string) (*sanction.Engine, error) {
	cl, err := localControlList("")
	if err != nil {
		return nil, err
	}
	return newEngine(cl, packDir)
}

// packDirFlag registers -pack-dir, defaulting to $APP_SANCTION_PACKS.
func packDirFlag(e *env, fs *flag.FlagSet) *string {
	def, _ := e.getenv("APP_SANCTION_PACKS")
	return fs.String("pack-dir", def, "add the rule packs (*.json) of `DIR` to those built in (default $APP_SANCTION_PACKS)")
}

func runSanctionsDetermine(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "sanctions determine", "[-json] [-packs ID,ID] [-pack-dir DIR] FILE|-")
	asJSON := fs.Bool("json", false, `write the contract's JSON: {"measures": [...]} with the category, reasons and packs`)
	packDir := packDirFlag(e, fs)
	packs := fs.String("packs", "", "apply the rule packs `ID,ID` instead of those the input names (default: us-missile)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	input, err := decodeFileArg(e, fs, "one FILE", annex.DecodeDeterminationInput)
	if err != nil {
		return err
	}
	if *packs != "" {
		input.Packs = strings.Split(*packs, ",")
	}
	engine, err := newSanctionsEngine(*packDir)
	if err != nil {
		return err
	}
	res, err := engine.Determine(*input)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	return writeDetermination(e.stdout, input, res)
}

// writeDetermination writes a determination for people: a table of the
// measures, then the reasons.
func writeDetermination(w io.Writer, in *annex.DeterminationInput, res *annex.DeterminationResult) error {
	cat := "no category"
	if res.Category != "" {
		cat = "Category " + string(res.Category)
	}
	fmt.Fprintf(w, "Determination of %s: %s transfer from %s (%s) to %s (%s); packs %s\n",
		in.Date, cat, in.Supplier.Name, in.Supplier.Country, in.Recipient.Name, in.Recipient.Country, strings.Join(res.Packs, ", "))
	if len(res.Measures) == 0 {
		fmt.Fprintln(w, "\nNo measures.")
	} else {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ENTITY\tCOUNTRY\tROLE\tMEASURE\tFROM\tUNTIL\tLEGAL BASIS")
		for _, m := range res.Measures {
			until := m.End
			if m.Minimum {
				until += " at least"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Entity, m.Country, m.Role, m.Measure, m.Start, until, m.LegalBasis)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(res.Reasons) > 0 {
		fmt.Fprintln(w, "\nReasons:")
		for _, r := range res.Reasons {
			fmt.Fprintln(w, "  - "+r)
		}
	}
	return nil
}

func runSanctionsPacks(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "sanctions packs", "[-json] [-pack-dir DIR]")
	asJSON := fs.Bool("json", false, "write the packs as JSON, in the format a pack file has")
	packDir := packDirFlag(e, fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	packs, err := loadPacks(*packDir)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, packs)
	}
	for i, p := range packs {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		writePack(e.stdout, p)
	}
	return nil
}

// writePack writes a rule pack for people.
func writePack(w io.Writer, p *sanction.Pack) {
	var flags []string
	if p.ForeignPersonsOnly {
		flags = append(flags, "foreign persons only")
	}
	if p.Discretionary {
		flags = append(flags, "discretionary")
	}
	fmt.Fprintf(w, "%s  %s\n  %s; %s", p.Ref(), p.Title, p.Country, p.Window())
	if len(flags) > 0 {
		fmt.Fprintf(w, "; %s", strings.Join(flags, ", "))
	}
	if p.Confidence != "" {
		fmt.Fprintf(w, "; confidence %s", p.Confidence)
	}
	fmt.Fprintln(w)
	for _, rc := range p.RecipientCountries {
		fmt.Fprintf(w, "  transfers to %s from %s (%s)%s\n", rc.Country, rc.From, rc.Law, confidenceTag(rc.Confidence))
	}
	for _, x := range p.Exemptions {
		fmt.Fprintf(w, "  exemption %s (%s)\n", x.Kind, x.LegalBasis)
	}
	for _, n := range p.WaiverNotices {
		fmt.Fprintf(w, "  waiver notice %d working days (%s)\n", n.WorkingDays, n.Provision)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range p.Rules {
		cats := make([]string, len(r.Condition.Categories))
		for i, c := range r.Condition.Categories {
			cats[i] = string(c)
		}
		when := "Category " + strings.Join(cats, "/")
		if r.Condition.SubstantiallyContributed {
			when += ", substantially contributed"
		}
		term := fmt.Sprintf("%d years", r.Years)
		if r.Minimum {
			term = "at least " + term
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Measure, when, term, r.LegalBasis)
	}
	tw.Flush()
	fmt.Fprintln(w, "  sources:")
	for _, s := range p.Sources {
		url := ""
		if s.URL != "" {
			url = " <" + s.URL + ">"
		}
		fmt.Fprintf(w, "    %s %s%s%s\n", s.Key, s.Citation, url, confidenceTag(s.Confidence))
	}
}

func confidenceTag(c annex.Confidence) string {
	if c == "" {
		return ""
	}
	return " [" + string(c) + "]"
}
