// Package cli owns synpunkt's command line: parsing arguments, loading the
// config, and running one command (run, demo, import, cases, case,
// check-config, eval-pii, eval-routing). cmd/synpunkt only calls Run.
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
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/config"
)

const usage = `synpunkt — the municipal feedback mailbox daemon

Usage:
  synpunkt run          --config FILE           run the daemon (IMAP intake, outbox)
  synpunkt demo                                 run the whole flow on an embedded mailbox and SMTP sink
  synpunkt import       --config FILE [--no-notify] [--json] PATH...
                                                register .eml files, Maildir folders and mbox files
  synpunkt cases        --config FILE [--json] [--open] [--overdue]
                                                list cases
  synpunkt case         --config FILE NUMBER    show one case, its documents, events and outbox
  synpunkt close        --config FILE [--note TEXT] NUMBER
                                                close a case and tell the citizen
  synpunkt reopen       --config FILE NUMBER    reopen a closed case
  synpunkt note         --config FILE NUMBER TEXT
                                                add an action note
  synpunkt route        --config FILE --unit NAME NUMBER
                                                move a case to another unit
  synpunkt forward      --config FILE [--at TIME] NUMBER...
                                                forward never-forwarded cases (a backlog) now and start their deadlines
  synpunkt resend       --config FILE (NUMBER | --failed)
                                                send again what failed (one case's, or all)
  synpunkt deadlines    --config FILE [--at TIME] [--dry-run] [--json]
                                                send (or list) due reminders and escalations
  synpunkt register     --config FILE --channel telefon|besök|brev|e-tjänst
                        [--from ADDRESS|--phone NUMBER|--anonymous] [--received TIME]
                        --subject S --text T
                                                register a synpunkt taken by phone, at a visit or by letter
  synpunkt stats        --config FILE [--from DAY] [--to DAY]
                                                statistics per committee and unit, exclusions
  synpunkt check-config --config FILE           validate a config
  synpunkt eval-pii     DIR                     precision/recall of personal-data redaction on a corpus
  synpunkt eval-routing DIR                     accuracy of classification and routing on a corpus

The config path may also come from SYNPUNKT_CONFIG.
`

// Run runs the command in args and returns the exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"run": cmdRun, "demo": cmdDemo, "import": cmdImport, "cases": cmdCases, "case": cmdCase,
		"check-config": cmdCheckConfig, "eval-pii": cmdEvalPII, "eval-routing": cmdEvalRouting,
		"close": cmdClose, "reopen": cmdReopen, "note": cmdNote, "route": cmdRoute, "deadlines": cmdDeadlines, "stats": cmdStats,
		"register": cmdRegister,
		"forward":  cmdForward,
		"resend":   cmdResend,
	}
	f, ok := cmds[args[0]]
	if !ok {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "synpunkt: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := f(ctx, args[1:], stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue), errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stderr, "synpunkt %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(stderr, "synpunkt %s: %v\n", args[0], err)
		return 1
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// flags returns a FlagSet with the common --config flag.
func flags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", os.Getenv("SYNPUNKT_CONFIG"), "config file (or SYNPUNKT_CONFIG)")
	return fs, path
}

// parse parses flags wherever they stand among the arguments, so both
// `close --note X NUMBER` and `close NUMBER --note X` work.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(permute(fs, args)); err != nil {
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

// newLogger builds the structured logger from the config's [log] section.
func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// signalContext is cancelled by the first SIGINT/SIGTERM; a second one
// exits at once.
func signalContext(ctx context.Context, log *slog.Logger) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			log.Info("shutting down; a second signal forces exit", "signal", s.String())
			cancel()
		case <-ctx.Done():
			return
		}
		<-ch
		log.Error("second signal: exiting now")
		os.Exit(1)
	}()
	return ctx, func() { signal.Stop(ch); cancel() }
}

func cmdCheckConfig(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("check-config", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := loadConfig(*path)
	if err != nil {
		return err
	}
	for _, w := range c.Warnings() {
		fmt.Fprintf(stderr, "WARNING: %s\n", w)
	}
	if err := printAreas(c, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "config OK: %s, %d units, default unit %q\n", c.Organisation.Name, len(c.Units), c.DefaultUnit().Name)
	return nil
}

// printAreas lists the built-in topic areas each unit got from its name,
// keywords or committee, and warns for a unit with none: it is routed to
// only by its own name and keywords.
func printAreas(c *config.Config, stdout, stderr io.Writer) error {
	cl, err := classify.New(c)
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
