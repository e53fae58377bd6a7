package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/store"
)

// benchMessagesEnv overrides how many messages one benchmark iteration
// registers (default 1000).
const benchMessagesEnv = "SYNPUNKT_BENCH_MESSAGES"

// BenchmarkDovecotIntake measures how many messages per second the daemon
// registers from Dovecot on this machine. Each iteration appends N messages
// (default 1000, see SYNPUNKT_BENCH_MESSAGES) to an empty INBOX, starts the
// daemon in-process (daemon.New and Run, an SMTP sink as the mail server)
// on an empty store, and times the run until all N are in the intake
// ledger (msgs/s) and until the outbox has nothing pending (drain-s, with
// forward and receipt sent for every case). Appending and wiring are not
// timed. Run:
//
//	go test -run '^$' -bench BenchmarkDovecotIntake -benchtime 1x ./e2e/
//
// Add -cpuprofile cpu.out to see where the time goes.
func BenchmarkDovecotIntake(b *testing.B) {
	n := benchMessages(b)
	dc := dovecottest.Start(b)
	sink := startSink(b)
	gen := &citizenMail{rng: rand.New(rand.NewPCG(1, 2)), prefix: "bench"}
	var register, drain time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		msgs := make([][]byte, n)
		for j := range msgs {
			msgs[j], _ = gen.next()
		}
		appendAll(b, dc, msgs)
		d := newBenchDaemon(b, dc, sink.Addr())
		b.StartTimer()
		r, dr := runUntilDrained(b, d, n)
		b.StopTimer()
		register, drain = register+r, drain+dr
	}
	b.ReportMetric(float64(n*b.N)/register.Seconds(), "msgs/s")
	b.ReportMetric(drain.Seconds()/float64(b.N), "drain-s")
	b.ReportMetric(0, "ns/op")
}

func benchMessages(b *testing.B) int {
	b.Helper()
	s := os.Getenv(benchMessagesEnv)
	if s == "" {
		return 1000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number", benchMessagesEnv, s)
	}
	return n
}

// newBenchDaemon wires a daemon on a fresh store for dc and the sink.
func newBenchDaemon(b *testing.B, dc *dovecottest.Server, sinkAddr string) *daemon.Daemon {
	b.Helper()
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		b.Fatalf("config.Parse(sample.Municipality): %v", err)
	}
	cfg.IMAP.Address, cfg.IMAP.TLS, cfg.IMAP.Username, cfg.IMAP.Password = dc.Addr(), "none", dc.User(), dc.Password()
	cfg.SMTP.Address, cfg.SMTP.TLS = sinkAddr, "none"
	cfg.Store.Path = filepath.Join(b.TempDir(), "synpunkt.db")
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	d, err := daemon.New(context.Background(), cfg, log, daemon.Options{OutboxBackoff: time.Second})
	if err != nil {
		b.Fatalf("daemon.New: %v", err)
	}
	return d
}

// runUntilDrained runs d until n messages are in the ledger and the outbox
// is empty, stops it and returns both durations from the start.
func runUntilDrained(b *testing.B, d *daemon.Daemon, n int) (register, drain time.Duration) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("daemon.Run: %v", err)
		}
		d.Close()
	}()
	deadline := time.Now().Add(time.Duration(n)*50*time.Millisecond + time.Minute)
	register = poll(b, deadline, func() (bool, string) {
		got := ledgerRows(b, d.Store)
		return got >= n, fmt.Sprintf("%d of %d registered", got, n)
	}).Sub(start)
	drain = poll(b, deadline, func() (bool, string) {
		p := pendingRows(b, d.Store)
		return p == 0, fmt.Sprintf("%d sends pending", p)
	}).Sub(start)
	return register, drain
}

// poll calls done every 5 ms until it reports true and returns when; past
// the deadline it fails with done's description.
func poll(b *testing.B, deadline time.Time, done func() (bool, string)) time.Time {
	b.Helper()
	for {
		ok, what := done()
		if ok {
			return time.Now()
		}
		if time.Now().After(deadline) {
			b.Fatalf("not done by the deadline: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func ledgerRows(b *testing.B, st *store.Store) int {
	b.Helper()
	m, err := st.IntakeCounts(context.Background())
	if err != nil {
		b.Fatalf("IntakeCounts: %v", err)
	}
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func pendingRows(b *testing.B, st *store.Store) int {
	b.Helper()
	var n int
	err := st.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM outbox WHERE status = ?", store.OutboxPending).Scan(&n)
	if err != nil {
		b.Fatalf("count pending: %v", err)
	}
	return n
}
