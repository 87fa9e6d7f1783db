package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"annex"
)

func runControlList(ctx context.Context, e *env, args []string) error {
	sub := map[string]func(context.Context, *env, []string) error{
		"show":     runListShow,
		"search":   runListSearch,
		"versions": runListVersions,
		"kinds":    runListKinds,
		"export":   runListExport,
		"import":   runListImport,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprintln(e.stderr, "Usage: annex controllist show|search|versions|kinds|export|import [flags] [arguments]")
		fmt.Fprintln(e.stderr, "\n  show ID          one entry, with its criteria, rules and sources")
		fmt.Fprintln(e.stderr, "  search [QUERY]   entries by id prefix or words; -param, -kind, -category narrow it")
		fmt.Fprintln(e.stderr, "  versions         the list versions built in")
		fmt.Fprintln(e.stderr, "  kinds            the kinds of item and their parameters")
		fmt.Fprintln(e.stderr, "  export           a version as JSON, the format import reads")
		fmt.Fprintln(e.stderr, "  import FILE      validate a version and store it in the database")
		return errUsage
	}
	return sub[args[0]](ctx, e, args[1:])
}

func runListShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "controllist show", "[-json] [-version ID] ID")
	asJSON := fs.Bool("json", false, "write JSON")
	version := fs.String("version", "", "list version `ID` (default: the version in force)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	svc, err := localControlList("")
	if err != nil {
		return err
	}
	entry, err := svc.FindEntryByID(ctx, *version, fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, entry)
	}
	v, err := svc.FindVersion(ctx, *version)
	if err != nil {
		return err
	}
	writeEntry(e.stdout, v, entry)
	return nil
}

func writeEntry(w io.Writer, v *annex.ListVersion, e *annex.Entry) {
	cat := "reserved"
	if e.Category != "" {
		cat = "Category " + string(e.Category)
	}
	fmt.Fprintf(w, "%s  %s  %s\n", e.ID, cat, e.Title)
	if e.Parent != "" {
		fmt.Fprintf(w, "  under %s\n", e.Parent)
	}
	fmt.Fprintf(w, "\n  %s\n", e.Description)
	for i, m := range e.Match {
		label := ""
		if m.Paragraph != "" {
			label = " (" + m.Paragraph + ")"
		}
		fmt.Fprintf(w, "\n  test %d%s: an item of kind %s", i+1, label, strings.Join(m.Kinds, " or "))
		for _, c := range m.All {
			fmt.Fprintf(w, "\n    with %s", criterionText(c))
		}
		if len(m.Any) > 0 {
			var alts []string
			for _, c := range m.Any {
				alts = append(alts, criterionText(c))
			}
			fmt.Fprintf(w, "\n    with any of: %s", strings.Join(alts, "; "))
		}
		fmt.Fprintln(w)
	}
	if len(e.NotIn) > 0 {
		fmt.Fprintf(w, "\n  unless the item is under %s\n", strings.Join(e.NotIn, " or "))
	}
	for _, r := range e.Rules {
		fmt.Fprintf(w, "\n  rule %s (%s): %s\n", r.ID, r.Effect, r.Text)
		if r.Conditions != "" {
			fmt.Fprintf(w, "    conditions: %s\n", r.Conditions)
		}
	}
	if len(e.Children) > 0 {
		fmt.Fprintf(w, "\n  sub-entries: %s\n", strings.Join(e.Children, ", "))
	}
	if len(e.EU) > 0 {
		fmt.Fprintf(w, "  EU Annex I: %s\n", strings.Join(e.EU, ", "))
	}
	if len(e.China) > 0 {
		fmt.Fprintf(w, "  China 2024 list: %s\n", strings.Join(e.China, ", "))
	}
	fmt.Fprintf(w, "  source: %s (confidence %s); list version %s\n", e.Source, e.Confidence, v.ID)
}

// criterionText writes a criterion with its threshold in SI units.
func criterionText(c annex.Criterion) string {
	switch c.Op {
	case annex.OpIn:
		return fmt.Sprintf("%s one of %s", c.Param, strings.Join(c.Values, ", "))
	case annex.OpUnder:
		return fmt.Sprintf("%s under %s", c.Param, strings.Join(c.Values, " or "))
	}
	unit := ""
	if c.Unit != "" && c.Unit != "1" {
		unit = " " + c.Unit
	}
	return fmt.Sprintf("%s %s %s%s", c.Param, c.Op, expReplacer.Replace(c.Value.String()), unit)
}

// expReplacer shortens exponents: 1.1e+06 becomes 1.1e6.
var expReplacer = strings.NewReplacer("e+0", "e", "e+", "e", "e-0", "e-")

func runListSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "controllist search", "[-json] [-param NAME] [-kind KIND] [-category I|II] [QUERY]")
	asJSON := fs.Bool("json", false, "write JSON")
	var f annex.EntryFilter
	fs.StringVar(&f.Version, "version", "", "list version `ID` (default: the version in force)")
	fs.StringVar(&f.Param, "param", "", "entries with a criterion on parameter `NAME`")
	fs.StringVar(&f.Kind, "kind", "", "entries an item of `KIND` can fall under")
	category := fs.String("category", "", "entries of category I or II")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f.Query = strings.Join(fs.Args(), " ")
	f.Category = annex.Category(*category)
	svc, err := localControlList("")
	if err != nil {
		return err
	}
	entries, total, err := svc.FindEntries(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"total": total, "entries": entries})
	}
	for _, en := range entries {
		cat := "-"
		if en.Category != "" {
			cat = string(en.Category)
		}
		fmt.Fprintf(e.stdout, "%-12s %-3s %s\n", en.ID, cat, en.Title)
	}
	fmt.Fprintf(e.stdout, "%d entries\n", total)
	return nil
}

func runListVersions(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "controllist versions", "[-json]")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	svc, err := localControlList("")
	if err != nil {
		return err
	}
	infos, err := svc.FindVersions(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, infos)
	}
	for _, v := range infos {
		mark := " "
		if v.Current {
			mark = "*"
		}
		fmt.Fprintf(e.stdout, "%s %-12s effective %s  %d entries  sha256 %s\n  %s\n", mark, v.ID, v.EffectiveDate, v.Entries, v.SHA256[:16], v.Title)
	}
	return nil
}

func runListKinds(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "controllist kinds", "[-json] [-version ID]")
	asJSON := fs.Bool("json", false, "write JSON")
	version := fs.String("version", "", "list version `ID` (default: the version in force)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	svc, err := localControlList("")
	if err != nil {
		return err
	}
	v, err := svc.FindVersion(ctx, *version)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, v.Kinds)
	}
	for _, k := range v.Kinds {
		fmt.Fprintf(e.stdout, "%s: %s\n", k.Name, k.Description)
		for _, p := range k.Params {
			unit := ""
			if p.Unit != "" {
				unit = " [" + p.Unit + "]"
			}
			fmt.Fprintf(e.stdout, "  %s (%s%s): %s\n", p.Name, p.Type, unit, p.Description)
		}
	}
	return nil
}

func runListExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "controllist export", "[-version ID]")
	version := fs.String("version", "", "list version `ID` (default: the version in force)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	svc, err := localControlList("")
	if err != nil {
		return err
	}
	v, err := svc.FindVersion(ctx, *version)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, v)
}
