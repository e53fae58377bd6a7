// Package testkit holds the small helpers tests in several packages share:
// a log buffer the daemon's goroutines can write to, a wait for a
// condition that another goroutine makes true, a server that never
// answers and an address that refuses, and local times named in words.
//
// What always holds: nothing here reads the clock for anything but a
// timeout; helpers that can fail take a testing.TB and call t.Fatalf
// themselves, so a test reads as its steps.
//
// How it fails: WaitFor and LogBuffer.WaitFor fail the test after Timeout
// with what they waited for (and, for the log, what it held).
package testkit

import (
	"bytes"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeout is how long WaitFor waits before it fails the test: long enough
// for a loaded CI machine running Dovecot.
const Timeout = 30 * time.Second

// poll is how often WaitFor asks again.
const poll = 20 * time.Millisecond

// WaitFor polls cond until it holds, and fails the test naming what after
// Timeout.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", Timeout, what)
		}
		time.Sleep(poll)
	}
}

// LogBuffer collects log output; it is safe for several goroutines. The
// zero value is ready to use.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Logger returns a text logger at debug level writing to b.
func (b *LogBuffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// WaitFor waits until the log holds want, and fails the test with the log
// after Timeout.
func (b *LogBuffer) WaitFor(t testing.TB, want string) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log never showed %q:\n%s", want, b.String())
		}
		time.Sleep(poll)
	}
}

// SilentServer listens on 127.0.0.1, accepts connections and never says
// a word: the server a client's timeouts are tested against. It returns
// the address; the listener and the connections close at cleanup.
func SilentServer(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return ln.Addr().String()
}

// ClosedAddr returns an address on 127.0.0.1 that nothing listens on
// (a port just listened on and closed): the server a client's
// connection-refused handling is tested against.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// At parses a wall-clock time "2026-01-14 10:00" in loc, failing the test
// on a typo; tests name their instants this way instead of reading the
// clock.
func At(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// Clock is a settable clock, safe to read from the daemon's goroutines
// while the test moves it; its Now method serves as an injected clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock that stands at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Tool finds an external checking tool (veraPDF, xmllint …) on PATH, or
// skips the test saying which package installs it; with
// SYNPUNKT_REQUIRE_ARCHIVE_TOOLS=1 (CI) a missing tool fails it.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SYNPUNKT_REQUIRE_ARCHIVE_TOOLS") == "1" {
			t.Fatalf("%s missing and SYNPUNKT_REQUIRE_ARCHIVE_TOOLS=1 (apt-get install %s; .ci/run installs it)", name, pkg)
		}
		t.Skipf("SKIP: %s missing: apt-get install %s", name, pkg)
	}
	return p
}
