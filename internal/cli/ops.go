package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/exempelby/synpunkt/config"
)

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

func cmdVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, _ := flags("version", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, version())
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
