package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/store"
)

// SeedEnv replays TestCrashSIGKILL's random choices (kill moments, how many
// messages arrive between kills, the messages themselves).
const seedEnv = "SYNPUNKT_CRASH_SEED"

// logEnv, set to 1, writes the daemon's log to the test log even when the
// test passed.
const logEnv = "SYNPUNKT_E2E_LOG"

// Bounds of TestCrashSIGKILL.
const (
	crashInitial    = 250 // messages in the inbox before the first start
	crashKills      = 16  // SIGKILLs
	crashMaxPerKill = 4   // messages appended during each run
	crashBurst      = 40  // messages appended before each start: a backlog to register
	crashMinRun     = 30 * time.Millisecond
	crashMaxRun     = 400 * time.Millisecond
	crashStartup    = 30 * time.Second  // for the daemon to take its instance lock
	crashFinish     = 120 * time.Second // the last run must finish within this
	crashStop       = 20 * time.Second  // SIGTERM to exit
)

// TestCrashSIGKILL is the design's promise under test: "Killing the daemon
// with SIGKILL at any moment and starting it again loses no message and
// sends no notification twice except inside the unavoidable window between
// the server accepting it and the outbox marking it sent."
//
// It runs the real binary (`synpunkt run --config FILE`) against Dovecot and
// an SMTP sink, kills it crashKills times at random moments (30–400 ms after
// it took its instance lock, so in its intake, not while it loads) while
// messages keep arriving (a burst before each start, a few during it),
// restarts it, lets the last run drain
// inbox and outbox, stops it with SIGTERM and checks the store, Dovecot and
// the sink. Run with -v to see the figures:
//
//	go test -v -run TestCrashSIGKILL ./e2e/
func TestCrashSIGKILL(t *testing.T) {
	begin := time.Now()
	bin := buildDaemon(t)
	t.Logf("built cmd/synpunkt in %v", time.Since(begin).Round(time.Millisecond))
	begin = time.Now()
	dc := dovecottest.Start(t)
	sink := startSink(t)
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "synpunkt.db"), filepath.Join(dir, "synpunkt.toml")
	if err := os.WriteFile(cfgPath, configTOML(t, dc, sink.Addr(), dbPath), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(imapPasswordEnv, dc.Password()) // inherited by the daemon
	if _, err := config.Load(cfgPath); err != nil {
		t.Fatalf("config.Load(%s): %v", cfgPath, err)
	}
	seed := crashSeed(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	in := &inbox{t: t, dc: dc, gen: &citizenMail{rng: rand.New(rand.NewPCG(seed, 2)), prefix: fmt.Sprintf("e2e-%x", seed)}, want: map[string]bool{}}
	in.add(crashInitial)

	d := &daemonRunner{t: t, bin: bin, cfg: cfgPath, log: filepath.Join(dir, "daemon.log")}
	var phases killPhases
	for k := 1; k <= crashKills; k++ {
		if k > 1 {
			in.add(rng.IntN(crashBurst + 1))
		}
		p := d.start()
		waitLocked(t, p, dbPath)
		run := crashMinRun + time.Duration(rng.Int64N(int64(crashMaxRun-crashMinRun)))
		before := time.Duration(rng.Int64N(int64(run)))
		time.Sleep(before)
		in.add(rng.IntN(crashMaxPerKill + 1)) // arrives while the daemon runs: IDLE
		time.Sleep(run - before)
		p.kill()
		phases.record(t, k, run, dc, dbPath, len(sink.Messages()), len(in.want))
	}

	last := time.Now()
	p := d.start()
	// The daemon takes the instance lock after it listens for SIGTERM:
	// when the runs before left nothing to do, the state below is final
	// at once, and a SIGTERM sent before the daemon listens would kill it.
	waitLocked(t, p, dbPath)
	waitFinished(t, p, dc, dbPath, len(in.want))
	t.Logf("last run finished inbox and outbox in %v", time.Since(last).Round(time.Millisecond))
	if err := p.stop(crashStop); err != nil {
		d.dumpLog()
		t.Fatalf("after SIGTERM: %v, want exit status 0", err)
	}

	l := readLedger(t, dbPath)
	checkRegistered(t, l, in.want)
	checkSpool(t, dbPath)
	checkMailboxes(t, dc, len(in.want))
	f := checkNotifications(t, l, deliveries(t, sink.Messages()))
	t.Logf("seed %d: %d messages, %d kills (%d with inbox work left, %d with sends pending), %d cases", seed, len(in.want), crashKills, phases.intake, phases.sending, l.cases)
	t.Logf("forwards: %d rows, %d delivered; receipts: %d rows, %d delivered; duplicate deliveries: %d (%d forwards, %d receipts) for %d kills; wall time %v without the build",
		f.rows[0], f.delivered[0], f.rows[1], f.delivered[1], f.dups[0]+f.dups[1], f.dups[0], f.dups[1], crashKills, time.Since(begin).Round(time.Millisecond))
	if f.rows[2] > 0 {
		t.Logf("other notifications: %d rows, %d delivered, %d duplicates", f.rows[2], f.delivered[2], f.dups[2])
	}
	if dups := f.dups[0] + f.dups[1] + f.dups[2]; dups > crashKills {
		t.Errorf("%d duplicate deliveries after %d kills; want at most one per kill (the send in flight)", dups, crashKills)
	}
	if t.Failed() || os.Getenv(logEnv) == "1" {
		d.dumpLog()
	}
}

// checkSpool checks that the big messages (every seventh) were kept in the
// spool and that no temporary file (of a fetch or a write a kill cut
// short) outlived the last run, which swept them at start.
func checkSpool(t *testing.T, dbPath string) {
	t.Helper()
	var kept, tmp int
	filepath.WalkDir(store.SpoolDir(dbPath), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if strings.Contains(d.Name(), ".tmp-") {
				tmp++
			} else {
				kept++
			}
		}
		return nil
	})
	t.Logf("spool: %d files kept, %d temporary", kept, tmp)
	if kept == 0 || tmp > 0 {
		t.Errorf("spool: %d files kept, %d temporary; want the big messages and no temporary file", kept, tmp)
	}
}

func crashSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(seedEnv); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", seedEnv, s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay the choices with %s=%d)", seed, seedEnv, seed)
	return seed
}

// inbox appends generated messages and remembers their Message-IDs.
type inbox struct {
	t    *testing.T
	dc   *dovecottest.Server
	gen  *citizenMail
	want map[string]bool // Message-IDs appended
}

func (in *inbox) add(n int) {
	in.t.Helper()
	if n == 0 {
		return
	}
	msgs := make([][]byte, n)
	for i := range msgs {
		raw, id := in.gen.next()
		msgs[i], in.want[id] = raw, true
	}
	appendAll(in.t, in.dc, msgs)
}

// killPhases counts what the daemon had left to do when it was killed.
type killPhases struct{ intake, sending int }

func (kp *killPhases) record(t *testing.T, k int, run time.Duration, dc *dovecottest.Server, dbPath string, sunk, appended int) {
	t.Helper()
	inboxLeft := dc.Count(t, "INBOX")
	var rows, pending int
	if _, err := os.Stat(dbPath); err == nil { // a kill before Open leaves no file
		l := readLedger(t, dbPath)
		rows, pending = l.total(), l.pending()
	}
	if inboxLeft > 0 {
		kp.intake++
	}
	if pending > 0 {
		kp.sending++
	}
	t.Logf("kill %2d after %3dms: %d/%d registered, %d left in INBOX, %d sends pending, %d accepted by SMTP so far",
		k, run.Milliseconds(), rows, appended, inboxLeft, pending, sunk)
}

// waitFinished waits until every appended message has left INBOX (so its
// case is committed) and then until the outbox has nothing pending.
func waitFinished(t *testing.T, p *daemonProc, dc *dovecottest.Server, dbPath string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), crashFinish)
	defer cancel()
	for {
		if p.exited() {
			p.r.dumpLog()
			t.Fatalf("daemon exited on its own: %v", p.err)
		}
		if dc.Count(t, "INBOX") == 0 && dc.Count(t, "Registrerade") >= n {
			pending, err := countPending(ctx, dbPath)
			if err == nil && pending == 0 {
				return
			}
		}
		select {
		case <-ctx.Done():
			p.r.dumpLog()
			t.Fatalf("daemon did not finish within %v: INBOX %d, Registrerade %d of %d", crashFinish, dc.Count(t, "INBOX"), dc.Count(t, "Registrerade"), n)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// checkRegistered: every appended message is one ledger row, one case and
// one document, and nothing else was registered.
func checkRegistered(t *testing.T, l ledger, want map[string]bool) {
	t.Helper()
	if l.cases != len(want) || l.outcomes[store.OutcomeCase] != len(want) || l.total() != len(want) {
		t.Errorf("cases %d, ledger %v; want %d cases and %d ledger rows, all %q", l.cases, l.outcomes, len(want), len(want), store.OutcomeCase)
	}
	missing, twice := 0, 0
	for id := range want {
		switch n := l.docs[id]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
			t.Errorf("Message-ID %s registered %d times, want once", id, n)
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d appended messages not registered", missing, len(want))
	}
	if len(l.docs) != len(want) {
		t.Errorf("documents carry %d distinct Message-IDs, want the %d appended", len(l.docs), len(want))
	}
}

func checkMailboxes(t *testing.T, dc *dovecottest.Server, n int) {
	t.Helper()
	for mbox, want := range map[string]int{"INBOX": 0, "Registrerade": n, "Karantän": 0} {
		if got := dc.Count(t, mbox); got != want {
			t.Errorf("Count(%q) = %d, want %d", mbox, got, want)
		}
	}
}

// kindIndex indexes notificationFigures and ledger.byCase.
var kindIndex = map[string]int{synpunkt.KindForward: 0, synpunkt.KindReceipt: 1}

// notificationFigures are indexed 0 for forwards, 1 for receipts, 2 for
// any other kind.
type notificationFigures struct {
	rows, delivered, dups [3]int
}

// checkNotifications: each case has exactly one forward row and at most
// one receipt row; every row, whatever its kind, is sent and reached the
// sink at least once; the sink holds nothing else.
func checkNotifications(t *testing.T, l ledger, got map[string]int) notificationFigures {
	t.Helper()
	var f notificationFigures
	if len(l.byCase) != l.cases {
		t.Errorf("%d cases have notifications, want all %d", len(l.byCase), l.cases)
	}
	for caseID, rows := range l.byCase {
		if len(rows[0]) != 1 || len(rows[1]) > 1 {
			t.Errorf("case %d: %d forward rows and %d receipt rows, want 1 and at most 1", caseID, len(rows[0]), len(rows[1]))
		}
	}
	known := map[string]bool{}
	for _, o := range l.outbox {
		known[o.MessageID] = true
		i, ok := kindIndex[o.Kind]
		if !ok {
			i = 2 // e.g. a reminder: not expected here, but no send may repeat either
		}
		n := got[o.MessageID]
		f.rows[i]++
		f.delivered[i] += n
		f.dups[i] += max(n-1, 0)
		if o.Status != store.OutboxSent || n == 0 {
			t.Errorf("%s %d of case %d: status %q, delivered %d times; want sent and delivered", o.Kind, o.ID, o.CaseID, o.Status, n)
		}
	}
	for id, n := range got {
		if !known[id] {
			t.Errorf("SMTP sink got %d message(s) with Message-ID %q that is in no outbox row", n, id)
		}
	}
	return f
}

// daemonRunner starts the binary, all runs logging to one file.
type daemonRunner struct {
	t        *testing.T
	bin, cfg string
	log      string // the daemon's stderr, all runs
	runs     int
}

// daemonProc is one run of the daemon.
type daemonProc struct {
	r    *daemonRunner
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has been waited for
	err  error         // valid after done
}

func (r *daemonRunner) start() *daemonProc {
	r.t.Helper()
	r.runs++
	f, err := os.OpenFile(r.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		r.t.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "=== run %d\n", r.runs)
	cmd := exec.Command(r.bin, "run", "--config", r.cfg)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("start %s: %v", r.bin, err)
	}
	p := &daemonProc{r: r, cmd: cmd, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	r.t.Cleanup(func() { _ = cmd.Process.Kill(); <-p.done })
	return p
}

func (p *daemonProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *daemonProc) kill() {
	p.r.t.Helper()
	if p.exited() {
		p.r.dumpLog()
		p.r.t.Fatalf("daemon exited before it was killed: %v", p.err)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		p.r.t.Fatalf("SIGKILL: %v", err)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.r.t.Fatalf("daemon still running 10s after SIGKILL")
	}
}

// stop sends SIGTERM and returns the exit error (nil: status 0); after
// timeout it kills the process and fails.
func (p *daemonProc) stop(timeout time.Duration) error {
	p.r.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("still running %v after SIGTERM", timeout)
	}
}

// dumpLog writes the tail of the daemon's log to the test log.
func (r *daemonRunner) dumpLog() {
	b, err := os.ReadFile(r.log)
	if err != nil {
		r.t.Logf("daemon log: %v", err)
		return
	}
	if len(b) > 16<<10 {
		b = b[len(b)-16<<10:]
		b = b[bytes.IndexByte(b, '\n')+1:]
	}
	r.t.Logf("daemon log (tail):\n%s", b)
}

// waitLocked waits until the daemon p holds the store's instance lock: it
// has loaded its config, classifier and store and begun its work.
func waitLocked(t *testing.T, p *daemonProc, dbPath string) {
	t.Helper()
	deadline := time.Now().Add(crashStartup)
	for {
		running, err := daemon.Running(dbPath)
		if err != nil {
			t.Fatalf("instance lock: %v", err)
		}
		if running {
			return
		}
		if p.exited() {
			p.r.dumpLog()
			t.Fatalf("the daemon exited before it took its instance lock: %v", p.err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the daemon did not take its instance lock within %v", crashStartup)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
