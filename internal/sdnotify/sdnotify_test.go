package sdnotify

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func listen(t *testing.T) *net.UnixConn {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return c
}

func read(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b := make([]byte, 256)
	n, err := c.Read(b)
	if err != nil {
		t.Fatalf("read datagram: %v", err)
	}
	return string(b[:n])
}

func TestNotifySendsDatagram(t *testing.T) {
	c := listen(t)
	if err := Notify(Ready); err != nil {
		t.Fatalf("Notify() = %v", err)
	}
	if got := read(t, c); got != "READY=1" {
		t.Errorf("datagram = %q, want READY=1", got)
	}
}

func TestNotifyWithoutSocketDoesNothing(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	if err := Notify(Ready); err != nil {
		t.Errorf("Notify() without NOTIFY_SOCKET = %v, want nil", err)
	}
}

func TestWatchdog(t *testing.T) {
	c := listen(t)
	t.Setenv("WATCHDOG_USEC", "40000")
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	iv := WatchdogInterval()
	if iv != 20*time.Millisecond {
		t.Fatalf("WatchdogInterval() = %v, want 20ms (half of WATCHDOG_USEC)", iv)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go RunWatchdog(ctx, iv, func() bool { return true }) //nolint:errcheck
	if got := read(t, c); got != "WATCHDOG=1" {
		t.Errorf("datagram = %q, want WATCHDOG=1", got)
	}
	t.Setenv("WATCHDOG_PID", "1")
	if WatchdogInterval() != 0 {
		t.Errorf("WatchdogInterval() for another PID = %v, want 0", WatchdogInterval())
	}
}
