// Command annex is Annex's single binary: the server (annex serve) and the
// command-line tools that classify items, browse the control list, and
// administer a local installation.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"annex"
)

// Exit statuses. A decided item, controlled or not, exits 0.
const (
	exitOK         = 0
	exitFailure    = 1 // an operation failed, or an item could not be decided
	exitBadInput   = 2 // bad flags, arguments or input
	exitIncomplete = 3 // an item lacks a parameter needed to decide it
)

// env is what a command may touch of the process: its standard streams and
// environment. Tests substitute their own.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) (string, bool)
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"serve":         {"run the Annex server", runServe},
		"classify":      {"classify items against the MTCR Annex", runClassify},
		"assess":        {"assess a licence application against the MTCR Guidelines", runAssess},
		"capability":    {"range/payload capability of a missile from its stages, and its MTCR category", runCapability},
		"controllist":   {"browse, export and import control-list versions", runControlList},
		"screen":        {"screen parties against sanctions and denied-party lists", runScreen},
		"lists":         {"import, update and show the screening lists", runLists},
		"sanctions":     {"determine missile sanctions, show the rule packs and the register", runSanctions},
		"denials":       {"list, show and export the denial notifications sent to and received from partners", runDenials},
		"partners":      {"list the MTCR partners with the year each joined, and the unilateral adherents", runPartners},
		"users":         {"create and list users", runUsers},
		"organisations": {"create and list organisations (exporters)", runOrganisations},
		"audit":         {"verify the audit trail", runAudit},
		"migrate":       {"apply database migrations", runMigrate},
		"version":       {"print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.LookupEnv}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// run runs the subcommand named by args[0] and returns the exit status.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitBadInput
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "annex: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return exitBadInput
	}
	err := cmd.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errIncomplete):
		return exitIncomplete
	case errors.Is(err, errUsage):
		return exitBadInput
	}
	fmt.Fprintf(e.stderr, "annex %s: %s\n", args[0], describe(err))
	if annex.ErrorCode(err) == annex.EINVALID {
		return exitBadInput
	}
	return exitFailure
}

// describe formats an error for the terminal: the application message, or
// the whole chain for an internal error (the operator needs the cause).
func describe(err error) string {
	if annex.ErrorCode(err) == annex.EINTERNAL {
		return err.Error()
	}
	if fields := annex.ErrorFields(err); len(fields) > 1 {
		s := "invalid input:"
		for _, f := range fields {
			s += "\n  " + f.String()
		}
		return s
	}
	return annex.ErrorMessage(err)
}

var (
	// errUsage reports bad flags or arguments, already explained on stderr.
	errUsage = errors.New("usage")
	// errIncomplete reports that some item could not be decided.
	errIncomplete = errors.New("incomplete")
)

func usage(w io.Writer) {
	fmt.Fprintln(w, "Annex: export control for missile technology.")
	fmt.Fprintln(w, "\nUsage: annex <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'annex <command> -h' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors on the command's stderr
// instead of exiting.
func newFlagSet(e *env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet("annex "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: annex %s %s\n\nFlags:\n", name, usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping a parse failure to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fmt.Fprintln(e.stdout, "annex", annex.Version)
	return nil
}
