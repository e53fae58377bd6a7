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
	"syscall"

	"github.com/exempelby/synpunkt/config"
)

const usage = `synpunkt — the municipal feedback mailbox daemon

Usage:
  synpunkt run          --config FILE           run the daemon (IMAP intake, outbox)
  synpunkt demo                                 run the whole flow on an embedded mailbox and SMTP sink
  synpunkt import       --config FILE [--no-notify] [--json] PATH...
                                                register .eml files, Maildir folders and mbox files
  synpunkt cases        --config FILE [--json] [--open]
                                                list cases
  synpunkt case         --config FILE NUMBER    show one case, its documents, events and outbox
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

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	return nil
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
	fmt.Fprintf(stdout, "config OK: %s, %d units, default unit %q\n", c.Organisation.Name, len(c.Units), c.DefaultUnit().Name)
	return nil
}
