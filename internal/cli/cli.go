// Package cli owns synpunkt's command line: parsing arguments, loading the
// config, and running one command from the command table (table.go: name,
// synopsis, summary, arguments and their count, and the flags and body —
// Run parses the flags and checks the count; usage and --help come from it).
// cmd/synpunkt only calls Run. Every command reads the time from one clock, set with WithNow.
//
// What always holds: a command prints its result to stdout and its logs and
// errors to stderr, and returns exit status 0 on success, 1 when it could
// not do its job, 2 for a usage error.
//
// How it fails: errors are printed with their context (for a bad config,
// the offending key) and turned into the exit status; nothing panics.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/report"
)

// Run runs the command in args and returns the exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	cmd, ok := lookup(args[0])
	if !ok {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(stdout, usage())
			return 0
		}
		fmt.Fprintf(stderr, "synpunkt: unknown command %q\n\n%s", args[0], usage())
		return 2
	}
	err := cmd.run(ctx, args[1:], stdout, stderr)
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp): // --help asked for the usage
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "synpunkt %s: %s\n", args[0], report.Text(err.Error()))
		return 2
	default:
		// An error may quote a server's reply or a message: escaped.
		fmt.Fprintf(stderr, "synpunkt %s: %s\n", args[0], report.Text(err.Error()))
		return 1
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// flags returns a FlagSet with the common --config flag.
func flags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs)
	path := fs.String("config", os.Getenv("SYNPUNKT_CONFIG"), "config file (or SYNPUNKT_CONFIG)")
	return fs, path
}

// parse parses flags wherever they stand among the arguments, so both
// `close --note X NUMBER` and `close NUMBER --note X` work.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(permute(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err // the usage is printed; Run exits 0
		}
		return usageError{err.Error()}
	}
	return nil
}

// permute moves flags (with their values) before the positional arguments.
func permute(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // fs.Parse reports it
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !(ok && b.IsBoolFlag()) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return nil, usageError{config.ErrNoConfig.Error()}
	}
	return config.Load(path)
}

// loadConfigReadOnly loads the config without its secrets, for commands
// that only read the database.
func loadConfigReadOnly(path string) (*config.Config, error) {
	if path == "" {
		return nil, usageError{config.ErrNoConfig.Error()}
	}
	return config.LoadWithoutSecrets(path)
}

func cmdCheckConfig(fs *flag.FlagSet) body {
	connect := fs.Bool("connect", false, "also log in to IMAP, SMTP and Twilio (sends nothing)")
	return func(ctx context.Context, call call) error {
		c, err := loadConfig(call.config)
		if err != nil {
			return err
		}
		for _, w := range c.Warnings() {
			fmt.Fprintf(call.stderr, "WARNING: %s\n", w)
		}
		if err := printAreas(c, call.stdout, call.stderr); err != nil {
			return err
		}
		fmt.Fprintf(call.stdout, "config OK: %s, %d units, default unit %q\n", c.Organisation.Name, len(c.Units), c.Units.Default().Name)
		if !*connect {
			return nil
		}
		return printProbes(call.stdout, checkConnections(ctx, c))
	}
}

// printAreas lists the built-in topic areas each unit got from its name,
// keywords or committee, and warns for a unit with none: it is routed to
// only by its own name and keywords.
func printAreas(c *config.Config, stdout, stderr io.Writer) error {
	cl, err := classify.New(classify.OptionsFrom(c))
	if err != nil {
		return err
	}
	if !c.Classify.Builtin {
		return nil
	}
	for _, ua := range cl.Areas() {
		if len(ua.Areas) == 0 {
			fmt.Fprintf(stderr, "WARNING: units %q: no built-in topic area found in its name, keywords or committee; only its own name and keywords route mail to it (add keywords or an alias naming an area)\n", ua.Unit)
			continue
		}
		fmt.Fprintf(stdout, "unit %q: areas %s (from %s)\n", ua.Unit, strings.Join(ua.Areas, ", "), ua.Source)
	}
	return nil
}
