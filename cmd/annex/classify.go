package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"annex"
	"annex/controllist"
)

func runClassify(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "classify", "[-json] [-version ID] [-list FILE] FILE|-")
	asJSON := fs.Bool("json", false, "write JSON: one classification, or an array for an array of items")
	version := fs.String("version", "", "control-list version `ID` (default: the version in force)")
	listFile := fs.String("list", "", "classify against the list version in `FILE` (JSON, as exported) instead of the built-in list")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var single bool
	items, err := decodeFileArg(e, fs, "one FILE", func(r io.Reader) ([]annex.Item, error) {
		items, one, err := annex.DecodeItems(r)
		single = one
		return items, err
	})
	if err != nil {
		return err
	}
	svc, err := localControlList(*listFile)
	if err != nil {
		return err
	}
	cls, err := svc.Classify(ctx, *version, items)
	if err != nil {
		return err
	}
	if *asJSON {
		var v any = cls
		if single {
			v = cls[0]
		}
		if err := writeJSON(e.stdout, v); err != nil {
			return err
		}
	} else {
		for i, cl := range cls {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			writeClassification(e.stdout, cl, "")
		}
	}
	for _, cl := range cls {
		if cl.Status == annex.StatusIncomplete {
			return errIncomplete
		}
	}
	return nil
}

// decodeFileArg decodes the command's one argument, a FILE or "-" for
// standard input, with decode. Any other number of arguments is a usage
// error that says what is wanted ("one FILE").
func decodeFileArg[T any](e *env, fs *flag.FlagSet, want string, decode func(io.Reader) (T, error)) (T, error) {
	var zero T
	if fs.NArg() != 1 {
		fmt.Fprintf(e.stderr, "%s: want %s, or - for standard input\n", fs.Name(), want)
		fs.Usage()
		return zero, errUsage
	}
	in, err := openInput(e, fs.Arg(0))
	if err != nil {
		return zero, err
	}
	defer in.Close()
	return decode(in)
}

// openInput opens a named file, or standard input for "-".
func openInput(e *env, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(e.stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, annex.Errorf(annex.EINVALID, "cannot read %s: %v", name, unwrapPath(err))
	}
	return f, nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// localControlList returns a control-list service over the built-in
// versions, or over the version in listFile when one is given.
func localControlList(listFile string) (*controllist.Service, error) {
	if listFile != "" {
		b, err := os.ReadFile(listFile)
		if err != nil {
			return nil, annex.Errorf(annex.EINVALID, "cannot read %s: %v", listFile, unwrapPath(err))
		}
		v, err := controllist.Parse(b)
		if err != nil {
			return nil, err
		}
		return controllist.NewService(v)
	}
	vs, err := controllist.BuiltIn()
	if err != nil {
		return nil, fmt.Errorf("load built-in control list: %w", err)
	}
	return controllist.NewService(vs...)
}

// writeJSON writes v as indented JSON without HTML escaping.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeClassification writes a classification for people.
func writeClassification(w io.Writer, cl *annex.Classification, indent string) {
	name := cl.Kind
	if cl.Name != "" {
		name = cl.Name + " (" + cl.Kind + ")"
	}
	fmt.Fprintf(w, "%s%s: %s\n", indent, name, cl.Summary)
	for _, m := range cl.Entries {
		para := ""
		if m.Paragraph != "" {
			para = ", paragraph " + m.Paragraph
		}
		via := ""
		if m.Via != "" {
			via = " via " + m.Via
		}
		fmt.Fprintf(w, "%s  %s  Category %s  %s%s%s\n", indent, m.ID, m.Category, m.Title, para, via)
		fmt.Fprintf(w, "%s      because %s\n", indent, m.Reason)
		for _, r := range m.Rules {
			if r.Conditions != "" {
				fmt.Fprintf(w, "%s      rule %s: %s Conditions: %s.\n", indent, r.ID, r.Text, r.Conditions)
			}
		}
		if len(m.EU) > 0 {
			fmt.Fprintf(w, "%s      EU Annex I: %s\n", indent, strings.Join(m.EU, ", "))
		}
	}
	for _, n := range cl.NearMisses {
		fmt.Fprintf(w, "%s  near miss: %s\n", indent, n.Note)
	}
	for _, n := range cl.Notes {
		fmt.Fprintf(w, "%s  note: %s\n", indent, n.Text)
	}
	for i, sub := range cl.Components {
		fmt.Fprintf(w, "%s  components[%d]:\n", indent, i)
		writeClassification(w, sub, indent+"    ")
	}
	fmt.Fprintf(w, "%s  list version: %s\n", indent, cl.ListVersion)
}
