package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/classify/pii"
	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/demo"
)

// newLogger builds the structured logger from the config's [log] section.
func newLogger(c config.Log, w io.Writer) *slog.Logger {
	log, _ := newLevelLogger(c, w)
	return log
}

// newLevelLogger is newLogger with its level in a LevelVar, so that SIGHUP
// can change it while the daemon runs.
func newLevelLogger(c config.Log, w io.Writer) (*slog.Logger, *slog.LevelVar) {
	lv := new(slog.LevelVar)
	lv.UnmarshalText([]byte(c.Level)) //nolint:errcheck // validated by config
	opts := &slog.HandlerOptions{Level: lv}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), lv
	}
	return slog.New(slog.NewTextHandler(w, opts)), lv
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

// reloadOnHUP re-reads the config at path on every SIGHUP until ctx ends
// or stop is called, and applies its log.level. Nothing else is reloaded: templates, servers
// and units take effect on the next start, which the log says. A config
// that no longer loads is logged and the running one kept.
func reloadOnHUP(ctx context.Context, path string, lv *slog.LevelVar, log *slog.Logger) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-quit:
				return
			case <-ch:
				reloadLogLevel(path, lv, log)
			}
		}
	}()
	return func() { signal.Stop(ch); close(quit); <-done }
}

func reloadLogLevel(path string, lv *slog.LevelVar, log *slog.Logger) {
	cfg, err := config.LoadWithoutSecrets(path)
	if err != nil {
		log.Error("SIGHUP: config not reloaded; keeping the running one", "err", err)
		return
	}
	if err := lv.UnmarshalText([]byte(cfg.Log.Level)); err != nil {
		log.Error("SIGHUP: bad log.level; keeping the running one", "err", err)
		return
	}
	log.Info("SIGHUP: log level reloaded; other settings (templates, servers, units) take effect on restart", "level", lv.Level().String())
}

func printVersion(_ context.Context, c call) error {
	fmt.Fprintln(c.stdout, version())
	return nil
}

// version describes the build: the module version, the VCS revision and
// time when built from a checkout, and the Go version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "synpunkt (unknown build)"
	}
	s := "synpunkt " + info.Main.Version
	var rev, at, dirty string
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			at = kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				dirty = "+modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		s += " (" + rev + dirty + " " + at + ")"
	}
	return s + " " + info.GoVersion
}

func cmdDemo(fs *flag.FlagSet) body {
	db := fs.String("db", "", "keep the demo database at this path (default: a temporary file)")
	verbose := fs.Bool("v", false, "show the daemon's logs")
	timeout := fs.Duration("timeout", 60*time.Second, "give up after this long")
	metrics := fs.Bool("metrics", false, "print the daemon's synpunkt_* metrics (as /metrics serves them) after the run, to stderr")
	return func(ctx context.Context, c call) error {
		opt := demo.Options{DBPath: *db, Timeout: *timeout}
		if *verbose {
			opt.Log = c.stderr
		}
		if *metrics {
			opt.Metrics = c.stderr
		}
		return demo.Run(ctx, c.stdout, opt)
	}
}

func evalPII(_ context.Context, c call) error {
	rep, err := pii.Evaluate(pii.New(), c.args[0])
	if err != nil {
		return err
	}
	fmt.Fprint(c.stdout, rep.String())
	return nil
}

func evalRouting(_ context.Context, c call) error {
	var cfg *config.Config
	var err error
	if c.config != "" {
		cfg, err = loadConfig(c.config)
	} else {
		cfg, err = config.Parse(sample.Municipality)
	}
	if err != nil {
		return err
	}
	cl, err := classify.New(classify.OptionsFrom(cfg))
	if err != nil {
		return err
	}
	rep, err := classify.Evaluate(cl, c.args[0])
	if err != nil {
		return err
	}
	fmt.Fprint(c.stdout, rep.String())
	return nil
}
