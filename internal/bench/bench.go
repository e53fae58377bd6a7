// Package bench owns `synpunkt-bench`: it measures the daemon against a
// real Dovecot on loopback and an SMTP sink, from outside, in one run —
// the raw bulk FETCH rate of the mailbox, the daemon's backlog intake rate
// and their ratio, APPEND→receipt latency at steady arrival rates, peak
// and steady RSS, and bytes on disk per case.
//
// What always holds: every figure is measured on this run's servers and
// messages (a seeded generator, so two binaries compared with -bin get the
// same mail); the daemon is the real binary in its own process, so RSS is
// its own; nothing outside the run's temporary directories is written
// except the profiles asked for.
//
// How it fails: a server that does not start, a daemon that exits early or
// a phase that does not finish by its deadline ends the run with an error
// naming the phase.
package bench

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/internal/mailgen"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/store"
)

// Env names the daemon reads (internal/cli): profiles written at exit.
const (
	CPUProfileEnv = "SYNPUNKT_CPUPROFILE"
	MemProfileEnv = "SYNPUNKT_MEMPROFILE"
	passwordEnv   = "SYNPUNKT_BENCH_IMAP_PASSWORD"
)

type options struct {
	n                    int
	rates                []float64
	seconds              float64
	attachMin, attachMax int
	seed                 uint64
	bins                 []namedBin
	cpuProfile           string
	memProfile           string
	timeout              time.Duration
	recheck              time.Duration // imap.recheck_interval; 0: IDLE only, the default
	cases                int           // synthetic open cases in the store before the daemon starts
	daemonLog            string        // keep the daemon's log here, at level debug; "" none
	big                  int           // bytes of the one big attachment of the last phase; 0: none
	sink                 string        // "lean" (leanSink) or "go-smtp" (smtpsink)
	holdSends            bool          // the sink greets no one until the INBOX is empty
	benchCPUProfile      string        // the bench process's own CPU profile over each daemon run; "" none
}

type namedBin struct{ name, path string }

// Result is one binary's figures.
type Result struct {
	Name       string
	Messages   int
	Bytes      int64
	FetchRate  float64 // msgs/s, raw bulk FETCH BODY.PEEK[] of the INBOX, the fastest of rawFetchRuns
	IntakeRate float64 // msgs/s, daemon start → INBOX empty
	DrainSecs  float64 // daemon start → every receipt accepted by the sink
	// CPU seconds from daemon start until every receipt was accepted: the
	// daemon's (utime+stime) and the bench process's own (its SMTP sink,
	// the INBOX polling; Dovecot is not counted), and the bytes the sink
	// accepted by then.
	DaemonCPU, BenchCPU float64
	SunkBytes           int64
	Latency             []LatencyResult
	SteadyRSS           int64 // bytes, after the latency phases
	PeakRSS             int64 // bytes, VmHWM of the daemon
	Cases               int
	DBBytes             int64
	Big                 BigResult
}

// BigResult is the daemon's memory while it takes in one message with a
// big attachment: from APPEND until its forward is accepted by the sink.
type BigResult struct {
	Bytes    int   // the attachment
	Before   int64 // VmRSS before the APPEND, bytes
	PeakRSS  int64 // VmHWM after the peak was reset before the APPEND
	PeakHeap int64 // largest heap at a GC start during the phase (GODEBUG=gctrace=1); 0 if unknown
	Elapsed  time.Duration
	gcFrom   int64 // offset in the daemon's log where the phase began
}

// LatencyResult is APPEND accepted → receipt accepted, at one rate.
type LatencyResult struct {
	Rate          float64
	N, Missing    int
	P50, P90, P99 time.Duration
}

// Run parses args, runs the bench once per binary and prints the figures.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	var results []Result
	for _, b := range o.bins {
		r, err := runOne(ctx, o, b, stderr)
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		results = append(results, r)
		print(stdout, o, r)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("synpunkt-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := options{}
	fs.IntVar(&o.n, "n", 1000, "messages in the backlog")
	rates := fs.String("rates", "4,50", "arrival rates (msgs/s) for the latency phases")
	fs.Float64Var(&o.seconds, "seconds", 15, "length of each latency phase")
	fs.IntVar(&o.attachMin, "attach-min", 100_000, "smallest attachment, bytes")
	fs.IntVar(&o.attachMax, "attach-max", 2_000_000, "largest attachment, bytes")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed")
	bins := fs.String("bin", "", "synpunkt binaries to measure, NAME=PATH,...; default: build ./cmd/synpunkt")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the daemon's CPU profile to this file (suffixed with the binary's name when several)")
	fs.StringVar(&o.memProfile, "memprofile", "", "write the daemon's heap profile at exit to this file")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up after this long per phase")
	fs.DurationVar(&o.recheck, "recheck", 0, "the daemon's imap.recheck_interval (0: IDLE only, the default; Dovecot delays IDLE's notice by 500 ms)")
	fs.IntVar(&o.cases, "cases", 0, "synthetic open cases written to the store (SQL, SeedCases) before the daemon starts")
	fs.StringVar(&o.daemonLog, "daemon-log", "", "write the daemon's log at level debug to this file (suffixed with the binary's name when several): where each batch's time goes")
	fs.StringVar(&o.sink, "sink", "lean", "the SMTP sink: lean (keeps envelope and size, reads DATA a line at a time) or go-smtp (internal/smtpsink: go-smtp's server, keeps every byte)")
	fs.BoolVar(&o.holdSends, "hold-sends", false, "the sink greets no connection until the INBOX is empty: intake with nothing sent during it (lean sink only)")
	fs.StringVar(&o.benchCPUProfile, "bench-cpuprofile", "", "write the bench process's own CPU profile (its SMTP sink among the rest) over each daemon run to this file (suffixed with the binary's name when several)")
	fs.IntVar(&o.big, "big", 0, "last, take in one message with an attachment of this many bytes and print the daemon's peak RSS and Go heap during it (e.g. 25000000)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.sink != "lean" && o.sink != "go-smtp" {
		return o, fmt.Errorf("-sink: %q is neither lean nor go-smtp", o.sink)
	}
	if o.holdSends && o.sink != "lean" {
		return o, errors.New("-hold-sends needs -sink lean")
	}
	for _, s := range strings.Split(*rates, ",") {
		if strings.TrimSpace(s) == "" {
			continue // -rates "": no latency phase
		}
		r, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || r <= 0 {
			return o, fmt.Errorf("-rates: %q is not a positive number", s)
		}
		o.rates = append(o.rates, r)
	}
	for _, s := range strings.Split(*bins, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		name, path, ok := strings.Cut(s, "=")
		if !ok {
			name, path = filepath.Base(s), s
		}
		o.bins = append(o.bins, namedBin{name, path})
	}
	if len(o.bins) == 0 {
		path, err := build(stderr)
		if err != nil {
			return o, err
		}
		o.bins = []namedBin{{"synpunkt", path}}
	}
	return o, nil
}

// build builds ./cmd/synpunkt of the module in the working directory.
func build(stderr io.Writer) (string, error) {
	dir, err := os.MkdirTemp("", "synpunkt-bench-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "synpunkt")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/synpunkt")
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/synpunkt (run from the module root or pass -bin): %w", err)
	}
	return bin, nil
}

func runOne(ctx context.Context, o options, b namedBin, stderr io.Writer) (res Result, err error) {
	h := &harness{logf: func(f string, a ...any) { fmt.Fprintf(stderr, f+"\n", a...) }}
	defer h.cleanup()
	defer catch(&err)
	logf := func(f string, a ...any) { fmt.Fprintf(stderr, "[%s] "+f+"\n", append([]any{b.name}, a...)...) }
	res = Result{Name: b.name, Messages: o.n}
	dc := dovecottest.Start(h)
	var (
		sink sink
		lean *leanSink
	)
	if o.sink == "go-smtp" {
		gs, err := smtpsink.Start("127.0.0.1:0")
		if err != nil {
			return res, fmt.Errorf("smtp sink: %w", err)
		}
		sink = goSMTPSink{gs}
	} else {
		if lean, err = startLeanSink(o.holdSends); err != nil {
			return res, err
		}
		sink = lean
	}
	defer sink.Close()

	gen := &generator{rng: rand.New(rand.NewPCG(o.seed, 7)), prefix: "b", attachMin: o.attachMin, attachMax: o.attachMax,
		date: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	logf("appending %d messages", o.n)
	backlogAddrs := map[string]bool{}
	if res.Bytes, err = appendBacklog(dc, gen, o.n, backlogAddrs); err != nil {
		return res, err
	}
	for range rawFetchRuns {
		rate, err := rawFetch(dc, o.n)
		if err != nil {
			return res, err
		}
		res.FetchRate = max(res.FetchRate, rate)
	}
	logf("raw FETCH %.0f msgs/s; starting the daemon", res.FetchRate)

	dir := h.TempDir()
	dbPath := filepath.Join(dir, "db", "synpunkt.db")
	cfgPath := filepath.Join(dir, "synpunkt.toml")
	if err := os.WriteFile(cfgPath, configTOML(dc, sink.Addr(), dbPath, o.recheck, o.daemonLog != ""), 0o600); err != nil {
		return res, err
	}
	if err := seedStore(ctx, dbPath, o.cases, logf); err != nil {
		return res, err
	}
	if o.benchCPUProfile != "" {
		stop, err := startBenchProfile(o.benchCPUProfile + suffix(o, b))
		if err != nil {
			return res, err
		}
		defer stop()
	}
	benchCPU0 := selfCPU()
	d, err := startDaemon(b, cfgPath, dir, o, dc)
	if err != nil {
		return res, err
	}
	defer d.kill()

	mon, err := dial(dc)
	if err != nil {
		return res, err
	}
	defer mon.Close()
	deadline := d.start.Add(o.timeout)
	if err := waitFor(deadline, d, func() (bool, error) {
		st, err := mon.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
		return err == nil && *st.NumMessages == 0, err
	}); err != nil {
		return res, fmt.Errorf("backlog intake: %w", err)
	}
	res.IntakeRate = float64(o.n) / time.Since(d.start).Seconds()
	logf("backlog intake %.1f msgs/s", res.IntakeRate)
	if lean != nil {
		lean.release()
	}
	if err := waitFor(deadline, d, func() (bool, error) {
		return receiptsFor(sink, backlogAddrs) >= countReceiptable(backlogAddrs), nil
	}); err != nil {
		return res, fmt.Errorf("backlog receipts: %w", err)
	}
	res.DrainSecs = time.Since(d.start).Seconds()
	res.DaemonCPU, res.BenchCPU = d.cpu(), selfCPU()-benchCPU0
	for _, m := range sink.Messages() {
		res.SunkBytes += int64(m.Size)
	}

	for _, rate := range o.rates {
		lr, err := latency(dc, sink, gen, rate, o.seconds, d)
		if err != nil {
			return res, fmt.Errorf("latency at %g msgs/s: %w", rate, err)
		}
		logf("latency at %g msgs/s: p50 %v p99 %v", rate, lr.P50, lr.P99)
		res.Latency = append(res.Latency, lr)
	}
	res.SteadyRSS, res.PeakRSS = d.rss()
	if o.big > 0 {
		if res.Big, err = bigPhase(dc, sink, gen, o.big, d, deadline); err != nil {
			return res, fmt.Errorf("big attachment: %w", err)
		}
		logf("%d-byte attachment: peak RSS %.1f MiB", o.big, float64(res.Big.PeakRSS)/(1<<20))
	}
	if err := d.stop(); err != nil {
		return res, err
	}
	if o.big > 0 {
		res.Big.PeakHeap = peakHeap(d.logPath, res.Big.gcFrom)
	}
	res.Cases, res.DBBytes, err = diskPerCase(ctx, dbPath)
	return res, err
}

// seedStore writes n synthetic open cases into a new store at path,
// none due at the time of the run.
func seedStore(ctx context.Context, path string, n int, logf func(string, ...any)) error {
	if n == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	t0 := time.Now()
	if err := SeedCases(ctx, st, n, time.Now()); err != nil {
		return err
	}
	logf("seeded %d open cases in %v", n, time.Since(t0).Round(time.Second))
	return nil
}

// countReceiptable is how many backlog messages get a receipt: all of
// them (none is older than old_message_age, none is machine-made).
func countReceiptable(addrs map[string]bool) int { return len(addrs) }

func appendBacklog(dc *dovecottest.Server, gen *generator, n int, addrs map[string]bool) (int64, error) {
	c, err := dial(dc)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	var total int64
	for range n {
		raw, addr := gen.next()
		addrs[addr] = true
		total += int64(len(raw))
		if err := mailgen.Append(c, "INBOX", raw); err != nil {
			return total, err
		}
	}
	return total, nil
}

func dial(dc *dovecottest.Server) (*imapclient.Client, error) {
	c, err := imapclient.DialInsecure(dc.Addr(), nil)
	if err != nil {
		return nil, fmt.Errorf("dial dovecot: %w", err)
	}
	if err := c.Login(dc.User(), dc.Password()).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("login: %w", err)
	}
	return c, nil
}

// rawFetchRuns is how many times the raw FETCH is measured; the fastest
// counts, as the limit the intake is compared with. One measurement, two
// seconds long just after the backlog was appended, varied from 1,560 to
// 2,800 msgs/s between runs of the same command on a quiet machine.
const rawFetchRuns = 3

// rawFetch is what a minimal client does: SELECT, one UID FETCH 1:*
// BODY.PEEK[] streamed to nowhere. It returns messages per second.
func rawFetch(dc *dovecottest.Server, n int) (float64, error) {
	c, err := dial(dc)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	start := time.Now()
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return 0, fmt.Errorf("select: %w", err)
	}
	set := imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}
	cmd := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}})
	got := 0
	for m := cmd.Next(); m != nil; m = cmd.Next() {
		for it := m.Next(); it != nil; it = m.Next() {
			if b, ok := it.(imapclient.FetchItemDataBodySection); ok {
				io.Copy(io.Discard, b.Literal)
				got++
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return 0, fmt.Errorf("fetch: %w", err)
	}
	if got != n {
		return 0, fmt.Errorf("raw fetch: got %d messages, want %d", got, n)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// configTOML is the sample municipality pointed at dc and the sink.
func configTOML(dc *dovecottest.Server, sinkAddr, dbPath string, recheck time.Duration, debug bool) []byte {
	s := string(sample.Municipality)
	s = strings.Replace(s, "[imap]\naddress = \"127.0.0.1:1\"\ntls = \"none\"\n",
		fmt.Sprintf("[imap]\naddress = %q\ntls = \"none\"\nusername = %q\npassword_env = %q\nrecheck_interval = %q\n", dc.Addr(), dc.User(), passwordEnv, recheck.String()), 1)
	s = strings.Replace(s, "[smtp]\naddress = \"127.0.0.1:1\"\n", fmt.Sprintf("[smtp]\naddress = %q\n", sinkAddr), 1)
	level := "warn"
	if debug {
		level = "debug"
	}
	s += fmt.Sprintf("\n[store]\npath = %q\n\n[outbox]\nmin_backoff = \"1s\"\nmax_backoff = \"5s\"\n\n[log]\nlevel = %q\n", dbPath, level)
	return []byte(s)
}

// daemon is the synpunkt process under measurement.
type daemon struct {
	logPath string
	cmd     *exec.Cmd
	start   time.Time
	exited  chan struct{}
	err     error
}

func startDaemon(b namedBin, cfgPath, dir string, o options, dc *dovecottest.Server) (*daemon, error) {
	cmd := exec.Command(b.path, "run", "--config", cfgPath)
	cmd.Env = append(os.Environ(), passwordEnv+"="+dc.Password())
	if o.big > 0 {
		cmd.Env = append(cmd.Env, "GODEBUG=gctrace=1") // the heap at each GC, for the big phase
	}
	suffix := suffix(o, b)
	if o.cpuProfile != "" {
		cmd.Env = append(cmd.Env, CPUProfileEnv+"="+abs(o.cpuProfile+suffix))
	}
	if o.memProfile != "" {
		cmd.Env = append(cmd.Env, MemProfileEnv+"="+abs(o.memProfile+suffix))
	}
	logPath := filepath.Join(dir, "daemon.log")
	if o.daemonLog != "" {
		logPath = abs(o.daemonLog + suffix)
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	d := &daemon{cmd: cmd, exited: make(chan struct{}), logPath: logPath}
	d.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", b.path, err)
	}
	go func() {
		d.err = cmd.Wait()
		logf.Close()
		close(d.exited)
	}()
	return d, nil
}

// suffix is what names b's files when several binaries are measured.
func suffix(o options, b namedBin) string {
	if len(o.bins) > 1 {
		return "." + b.name
	}
	return ""
}

// startBenchProfile profiles the bench process itself into path until
// the returned stop.
func startBenchProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// selfCPU is the bench process's user+system CPU seconds so far.
func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// cpu is the daemon's user+system CPU seconds so far (/proc/PID/stat,
// fields 14 and 15, in clock ticks of 1/100 s).
func (d *daemon) cpu() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", d.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(b, []byte(") ")) // after the command name, which may hold spaces
	if !ok {
		return 0
	}
	f := strings.Fields(string(rest)) // f[0] is field 3
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// rss reads VmRSS and VmHWM of the daemon.
func (d *daemon) rss() (cur, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", d.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			cur = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return cur, peak
}

// resetPeak resets the daemon's VmHWM to its current RSS (clear_refs 5).
func (d *daemon) resetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", d.cmd.Process.Pid), []byte("5"), 0)
}

// bigPhase appends one message with an attachment of size bytes and
// waits until its forward (carrying the original, so larger than size)
// is accepted by the sink, with the daemon's peak RSS reset just before.
func bigPhase(dc *dovecottest.Server, sink sink, gen *generator, size int, d *daemon, deadline time.Time) (BigResult, error) {
	br := BigResult{Bytes: size}
	c, err := dial(dc)
	if err != nil {
		return br, err
	}
	defer c.Close()
	g := *gen
	g.prefix, g.attachMin, g.attachMax = "big-", size, size
	raw, _ := g.message(kindAttachment)
	gen.n = g.n
	before := len(sink.Messages())
	if fi, err := os.Stat(d.logPath); err == nil {
		br.gcFrom = fi.Size()
	}
	br.Before, _ = d.rss()
	if err := d.resetPeak(); err != nil {
		return br, fmt.Errorf("reset peak RSS: %w", err)
	}
	start := time.Now()
	if err := mailgen.Append(c, "INBOX", raw); err != nil {
		return br, err
	}
	raw = nil
	if err := waitFor(deadline, d, func() (bool, error) {
		for _, m := range sink.Messages()[before:] {
			if m.Size > size {
				return true, nil
			}
		}
		return false, nil
	}); err != nil {
		return br, err
	}
	br.Elapsed = time.Since(start)
	_, br.PeakRSS = d.rss()
	return br, nil
}

// peakHeap is the largest heap at the start of a GC the daemon's
// gctrace lines report after offset from ("gc 7 @1.2s 0%: ... 12->13->6 MB").
func peakHeap(path string, from int64) int64 {
	b, err := os.ReadFile(path)
	if err != nil || from > int64(len(b)) {
		return 0
	}
	var peak int64
	for _, line := range strings.Split(string(b[from:]), "\n") {
		if !strings.HasPrefix(line, "gc ") {
			continue
		}
		for _, f := range strings.Fields(line) {
			if a, _, ok := strings.Cut(f, "->"); ok {
				if mb, err := strconv.ParseInt(a, 10, 64); err == nil {
					peak = max(peak, mb<<20)
				}
				break
			}
		}
	}
	return peak
}

// stop sends SIGTERM and waits for a clean exit.
func (d *daemon) stop() error {
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(time.Minute):
		d.kill()
		return errors.New("daemon did not stop within a minute of SIGTERM")
	}
	if d.err != nil {
		return fmt.Errorf("daemon exited: %w (log: %s)", d.err, d.cmd.Args[0])
	}
	return nil
}

func (d *daemon) kill() {
	select {
	case <-d.exited:
	default:
		d.cmd.Process.Kill()
		<-d.exited
	}
}

// waitFor polls done every 10 ms until it is true, the daemon exits, or
// the deadline passes.
func waitFor(deadline time.Time, d *daemon, done func() (bool, error)) error {
	for {
		ok, err := done()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-d.exited:
			return fmt.Errorf("daemon exited: %v", d.err)
		default:
		}
		if time.Now().After(deadline) {
			return errors.New("not done by the deadline")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// receiptsFor counts sink messages to one of addrs.
func receiptsFor(sink sink, addrs map[string]bool) int {
	n := 0
	for _, m := range sink.Messages() {
		if addrs[m.To] {
			n++
		}
	}
	return n
}

// latency appends short text messages at rate for seconds, timing each
// from APPEND accepted to its receipt accepted by the sink.
func latency(dc *dovecottest.Server, sink sink, gen *generator, rate, seconds float64, d *daemon) (LatencyResult, error) {
	lr := LatencyResult{Rate: rate}
	c, err := dial(dc)
	if err != nil {
		return lr, err
	}
	defer c.Close()
	gen.prefix = fmt.Sprintf("lat%g-", rate)
	n := int(rate * seconds)
	sent := make(map[string]time.Time, n)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	for i := range n {
		time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		raw, addr := gen.message(kindText)
		if err := mailgen.Append(c, "INBOX", raw); err != nil {
			return lr, err
		}
		sent[addr] = time.Now()
	}
	var lat []time.Duration
	deadline := time.Now().Add(2 * time.Minute)
	for {
		lat = lat[:0]
		for _, m := range sink.Messages() {
			if at, ok := sent[m.To]; ok {
				lat = append(lat, m.At.Sub(at))
			}
		}
		if len(lat) >= n || time.Now().After(deadline) {
			break
		}
		select {
		case <-d.exited:
			return lr, fmt.Errorf("daemon exited: %v", d.err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	slices.Sort(lat)
	lr.N, lr.Missing = len(lat), n-len(lat)
	if len(lat) > 0 {
		q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		lr.P50, lr.P90, lr.P99 = q(0.50), q(0.90), q(0.99)
	}
	return lr, nil
}

// diskPerCase opens the stopped daemon's database and returns its cases
// and the bytes of the database files, its spool of large originals
// included.
func diskPerCase(ctx context.Context, dbPath string) (int, int64, error) {
	var size int64
	for _, suf := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(dbPath + suf); err == nil {
			size += fi.Size()
		}
	}
	filepath.WalkDir(store.SpoolDir(dbPath), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
		}
		return nil
	})
	st, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		return 0, size, err
	}
	defer st.Close()
	var n int
	if err := st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM cases").Scan(&n); err != nil {
		return 0, size, fmt.Errorf("count cases: %w", err)
	}
	return n, size, nil
}

func print(w io.Writer, o options, r Result) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "== %s: %d messages, %.1f MB (attachments %d–%d B), seed %d\n", r.Name, r.Messages, float64(r.Bytes)/1e6, o.attachMin, o.attachMax, o.seed)
	fmt.Fprintf(&b, "raw FETCH           %10.0f msgs/s  (fastest of %d)\n", r.FetchRate, rawFetchRuns)
	fmt.Fprintf(&b, "backlog intake      %10.1f msgs/s  (start → INBOX empty)\n", r.IntakeRate)
	fmt.Fprintf(&b, "ratio               %10.3f\n", r.IntakeRate/r.FetchRate)
	fmt.Fprintf(&b, "backlog drained     %10.1f s      (start → every receipt accepted)\n", r.DrainSecs)
	if r.SunkBytes > 0 {
		fmt.Fprintf(&b, "CPU until drained   %10.1f s daemon, %.1f s bench (%s sink, %.1f MB accepted: %.1f ms bench CPU per MB)\n",
			r.DaemonCPU, r.BenchCPU, o.sink, float64(r.SunkBytes)/1e6, 1e3*r.BenchCPU/(float64(r.SunkBytes)/1e6))
	}
	for _, l := range r.Latency {
		fmt.Fprintf(&b, "APPEND→receipt @%-4g msgs/s  p50 %v  p90 %v  p99 %v  (%d receipts, %d missing)\n",
			l.Rate, l.P50.Round(time.Millisecond), l.P90.Round(time.Millisecond), l.P99.Round(time.Millisecond), l.N, l.Missing)
	}
	fmt.Fprintf(&b, "RSS                 %10.1f MiB steady, %.1f MiB peak\n", float64(r.SteadyRSS)/(1<<20), float64(r.PeakRSS)/(1<<20))
	if g := r.Big; g.Bytes > 0 {
		fmt.Fprintf(&b, "big attachment      %10.1f MB: RSS %.1f MiB before, peak %.1f MiB (%.1f× the attachment), Go heap peak %d MiB, forward out in %v\n",
			float64(g.Bytes)/1e6, float64(g.Before)/(1<<20), float64(g.PeakRSS)/(1<<20), float64(g.PeakRSS)/float64(g.Bytes), g.PeakHeap>>20, g.Elapsed.Round(time.Millisecond))
	}
	if r.Cases > 0 {
		fmt.Fprintf(&b, "disk                %10.1f KB per case (%d cases, %.1f MB)\n", float64(r.DBBytes)/1e3/float64(r.Cases), r.Cases, float64(r.DBBytes)/1e6)
	}
	w.Write(b.Bytes())
}
