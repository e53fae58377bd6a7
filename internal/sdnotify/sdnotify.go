// Package sdnotify speaks systemd's notify protocol (sd_notify(3)) without
// libsystemd: one datagram per state to the unix socket in $NOTIFY_SOCKET.
//
// What it owns: nothing but short-lived sockets; the environment is read,
// never changed.
//
// What always holds: without $NOTIFY_SOCKET (not started by systemd with
// Type=notify) every call does nothing and returns nil, so the daemon runs
// the same anywhere.
//
// How it fails: Notify returns the socket's error wrapped; the caller logs
// it, since a missed READY=1 makes systemd time the start out, which is
// visible there.
package sdnotify

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

// States sent by the daemon.
const (
	Ready    = "READY=1"
	Stopping = "STOPPING=1"
	Watchdog = "WATCHDOG=1"
)

// Notify sends state (e.g. "READY=1") to $NOTIFY_SOCKET. An address
// starting with '@' is in the abstract namespace.
func Notify(state string) error {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return nil
	}
	if addr[0] == '@' {
		addr = "\x00" + addr[1:]
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(state)); err != nil {
		return fmt.Errorf("sd_notify %s: %w", state, err)
	}
	return nil
}

// WatchdogInterval returns half of $WATCHDOG_USEC, the interval at which
// to send WATCHDOG=1, or 0 when systemd expects no pings (unset, or
// $WATCHDOG_PID names another process).
func WatchdogInterval() time.Duration {
	if pid := os.Getenv("WATCHDOG_PID"); pid != "" && pid != strconv.Itoa(os.Getpid()) {
		return 0
	}
	us, err := strconv.ParseInt(os.Getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || us <= 0 {
		return 0
	}
	return time.Duration(us) * time.Microsecond / 2
}

// RunWatchdog sends WATCHDOG=1 every interval while alive() holds, until
// ctx is cancelled. A process whose loops are stuck stops pinging and
// systemd restarts it. interval 0 returns at once.
func RunWatchdog(ctx context.Context, interval time.Duration, alive func() bool) error {
	if interval <= 0 {
		return nil
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if alive == nil || alive() {
				if err := Notify(Watchdog); err != nil {
					return err
				}
			}
		}
	}
}
