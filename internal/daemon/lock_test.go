package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
)

func sampleDaemon(t *testing.T, path string) *Daemon {
	t.Helper()
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store.Path = path
	d, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
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
