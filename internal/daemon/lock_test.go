package daemon

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/testshared"
)

// openDaemon wires cfg's daemon with opt and a silent log; it is closed
// at cleanup.
func openDaemon(t *testing.T, cfg *config.Config, opt Options) *Daemon {
	t.Helper()
	d, err := New(context.Background(), cfg, slog.New(slog.DiscardHandler), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// sampleDaemon is the sample municipality's daemon on the database at path.
func sampleDaemon(t *testing.T, path string) *Daemon {
	t.Helper()
	cfg := testshared.SampleConfig(t)
	cfg.Store.Path = path
	return openDaemon(t, cfg, Options{})
}

// A second daemon on the same database refuses to start, naming the lock
// and the process holding it; once the first is gone it may start.
func TestSecondDaemonRefusesToStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	first, err := AcquireLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if running, err := Running(path); !running || err != nil {
		t.Errorf("Running = %v, %v; want true", running, err)
	}
	d := sampleDaemon(t, path)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = d.Run(ctx)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path+".lock") || !strings.Contains(err.Error(), "process") {
		t.Fatalf("second Run = %v, want ErrLocked naming the lock file and its holder", err)
	}
	t.Logf("second daemon: %v", err)
	if !strings.Contains(err.Error(), strconv.Itoa(pid())) {
		t.Errorf("error %q does not name the holder's pid", err)
	}
	first.Release()
	if running, err := Running(path); running || err != nil {
		t.Errorf("Running after release = %v, %v; want false", running, err)
	}
	l, err := AcquireLock(path)
	if err != nil {
		t.Fatalf("AcquireLock after release: %v", err)
	}
	l.Release()
}

// Flush leaves what a command queued to a running daemon.
func TestFlushLeavesItToARunningDaemon(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	d := sampleDaemon(t, path)
	l, err := AcquireLock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	fl, err := d.Flush(context.Background(), 0, nil)
	if err != nil || !fl.ToDaemon || fl.Sent != 0 {
		t.Errorf("Flush beside a daemon = %+v, %v; want ToDaemon", fl, err)
	}
}

func pid() int { return os.Getpid() }

// The daemon's start warns when organisation.authserv_id is unset: staff
// mail is then recognised by a forgeable From address.
func TestRunWarnsWithoutAuthservID(t *testing.T) {
	for _, tt := range []struct {
		authservID string
		warn       bool
	}{{"", true}, {"mx.exempelby.se", false}} {
		cfg := testshared.SampleConfig(t)
		cfg.Organisation.AuthservID = tt.authservID
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		fixed := func() time.Time { return time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC) }
		d, err := New(context.Background(), cfg, log, Options{Now: fixed})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		d.Run(ctx) // returns at once: only the start is looked at
		d.Close()
		got := strings.Contains(logs.String(), "level=WARN msg=\"UNSAFE CONFIGURATION\" warning=\"organisation.authserv_id: not set")
		if got != tt.warn {
			t.Errorf("authserv_id %q: warned = %v, want %v; log:\n%s", tt.authservID, got, tt.warn, logs.String())
		}
	}
}
