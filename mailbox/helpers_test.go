package mailbox

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/exempelby/synpunkt/internal/memimap"
)

const (
	testUser     = "synpunkt"
	testPassword = "hemligt"
	waitTimeout  = 20 * time.Second
)

// fakeCheckpoints is an in-memory CheckpointStore.
type fakeCheckpoints struct {
	mu sync.Mutex
	m  map[string][2]uint32
	// saveErr, if set, makes SaveCheckpoint fail.
	saveErr func() error
}

func (f *fakeCheckpoints) LoadCheckpoint(_ context.Context, mailbox string) (uint32, uint32, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.m[mailbox]
	return v[0], v[1], nil
}

func (f *fakeCheckpoints) SaveCheckpoint(_ context.Context, mailbox string, uidValidity, lastUID uint32) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.saveErr != nil {
		if err := f.saveErr(); err != nil {
			return err
		}
	}
	if f.m == nil {
		f.m = make(map[string][2]uint32)
	}
	f.m[mailbox] = [2]uint32{uidValidity, lastUID}
	return nil
}

func (f *fakeCheckpoints) get(mailbox string) (uint32, uint32) {
	v, l, _ := f.LoadCheckpoint(context.Background(), mailbox)
	return v, l
}

// seen is one call of the recording handler.
type seen struct {
	UIDValidity, UID uint32
	MessageID        string
}

// recorder is an idempotent Handler that records every call. It "registers"
// a message by its Message-ID and, offered it again, answers with the same
// disposition without registering it twice. decide picks the disposition of
// a new message and the attempt number (1-based) for that Message-ID.
type recorder struct {
	mu         sync.Mutex
	calls      []seen
	registered map[string]Disposition // Message-ID → verdict
	attempts   map[string]int
	newRegs    int                                                  // registrations of messages not seen before
	held       map[string]bool                                      // Message-IDs answered with Keep before anything else
	decide     func(msgID string, attempt int) (Disposition, error) // may be nil: Registered
}

// quarantining is a recorder that quarantines the messages of the given
// Message-IDs and registers the others.
func quarantining(ids ...string) *recorder {
	return &recorder{decide: func(id string, _ int) (Disposition, error) {
		if slices.Contains(ids, id) {
			return Quarantined, nil
		}
		return Registered, nil
	}}
}

var msgIDRe = regexp.MustCompile(`(?im)^Message-ID:\s*<([^>]+)>`)

func (r *recorder) Handle(_ context.Context, d Delivery) (Disposition, error) {
	id := ""
	if m := msgIDRe.FindSubmatch(d.Raw); m != nil {
		id = string(m[1])
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, seen{d.UIDValidity, d.UID, id})
	if r.held[id] {
		return Keep, nil
	}
	if disp, ok := r.registered[id]; ok {
		return disp, nil
	}
	if r.attempts == nil {
		r.attempts = map[string]int{}
	}
	if r.registered == nil {
		r.registered = map[string]Disposition{}
	}
	r.attempts[id]++
	disp, err := Registered, error(nil)
	if r.decide != nil {
		disp, err = r.decide(id, r.attempts[id])
	}
	if err == nil && disp != Keep {
		r.registered[id] = disp
		r.newRegs++
	}
	return disp, err
}

func (r *recorder) snapshot() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.calls...)
}

// callsFor counts how often the message with msgID was offered.
func (r *recorder) callsFor(msgID string) int {
	n := 0
	for _, c := range r.snapshot() {
		if c.MessageID == msgID {
			n++
		}
	}
	return n
}

func (r *recorder) numRegistered() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.registered)
}

func testMessage(id string) []byte {
	return fmt.Appendf(nil, "From: medborgare@example.org\r\nTo: synpunkt@exempelby.se\r\n"+
		"Subject: Synpunkt %s\r\nMessage-ID: <%s>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\n\r\nHej, gatlyktan är trasig.\r\n", id, id)
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// running is an Intake started by startIntake.
type running struct {
	*Intake
	idle   chan struct{} // signalled by OnIdle
	cp     *fakeCheckpoints
	cancel context.CancelFunc // cancels Run without waiting
	stop   func()             // cancels Run and waits for it; idempotent
}

// fastConfig is cfg with test-friendly timings.
func fastConfig(cfg Config) Config {
	setDefault(&cfg.MinBackoff, 20*time.Millisecond)
	setDefault(&cfg.MaxBackoff, 200*time.Millisecond)
	setDefault(&cfg.PollInterval, 100*time.Millisecond)
	setDefault(&cfg.DialTimeout, 5*time.Second)
	return cfg
}

// startIntake runs an Intake until the test ends. Handler panics are not
// recovered, so bugs are not hidden.
func startIntake(t *testing.T, cfg Config, h Handler, cp *fakeCheckpoints) *running {
	t.Helper()
	return startIntakeRecover(t, cfg, h, cp, false)
}

func startIntakeRecover(t *testing.T, cfg Config, h Handler, cp *fakeCheckpoints, recoverPanics bool) *running {
	t.Helper()
	return startIntakeLog(t, cfg, h, cp, recoverPanics, testLogger(t))
}

func startIntakeLog(t *testing.T, cfg Config, h Handler, cp *fakeCheckpoints, recoverPanics bool, log *slog.Logger) *running {
	t.Helper()
	if cp == nil {
		cp = &fakeCheckpoints{}
	}
	r := &running{idle: make(chan struct{}, 1), cp: cp}
	cfg = fastConfig(cfg)
	cfg.DontRecover = !recoverPanics
	cfg.OnIdle = func() { signal(r.idle) }
	r.Intake = New(cfg, h, cp, log)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run() = %v, want nil after cancel", err)
				}
			case <-time.After(waitTimeout):
				t.Errorf("Run() did not return within %v of cancel", waitTimeout)
			}
		})
	}
	t.Cleanup(r.stop)
	return r
}

// waitIdle waits until the intake has finished a pass and waits for mail.
func (r *running) waitIdle(t *testing.T) {
	t.Helper()
	select {
	case <-r.idle:
	case <-time.After(waitTimeout):
		t.Fatalf("intake did not go idle within %v", waitTimeout)
	}
}

// wantLast checks the last UID the intake's INBOX checkpoint holds.
func (r *running) wantLast(t *testing.T, want uint32) {
	t.Helper()
	if _, last := r.cp.get("INBOX"); last != want {
		t.Errorf("checkpoint last UID = %d, want %d", last, want)
	}
}

// memServer is go-imap's in-memory server on 127.0.0.1:0.
type memServer struct {
	addr string
}

func startMemServer(t *testing.T, caps imap.CapSet) *memServer {
	t.Helper()
	return startHookedMemServer(t, caps, nil)
}

// onBatchMoveServers runs test on a hooked memServer of each kind that
// moves a batch of UIDs in one command: with MOVE, and with COPY and
// UID EXPUNGE.
func onBatchMoveServers(t *testing.T, test func(t *testing.T, srv *memServer, hooks *moveHooks)) {
	for name, caps := range map[string]imap.CapSet{"move": capsRev2, "copy+uid-expunge": capsRev1UIDPlus} {
		t.Run(name, func(t *testing.T) {
			hooks := &moveHooks{}
			test(t, startHookedMemServer(t, caps, hooks), hooks)
		})
	}
}

// moveHooks records the MOVE and COPY commands a memServer receives, as
// "dest:uids", and can refuse them.
type moveHooks struct {
	mu   sync.Mutex
	cmds []string
	// refuse, if set, is asked before each MOVE or COPY; a non-nil error
	// is the server's NO.
	refuse func(set imap.UIDSet) error
}

func (h *moveHooks) record(numSet imap.NumSet, dest string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cmds = append(h.cmds, dest+":"+numSet.String())
	set, _ := numSet.(imap.UIDSet)
	if h.refuse != nil {
		return h.refuse(set)
	}
	return nil
}

func (h *moveHooks) setRefuse(f func(imap.UIDSet) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refuse = f
}

func (h *moveHooks) commands() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.cmds...)
}

// hookedSession passes MOVE and COPY through moveHooks.
type hookedSession struct {
	imapserver.SessionIMAP4rev2
	hooks *moveHooks
}

func (s hookedSession) Move(w *imapserver.MoveWriter, numSet imap.NumSet, dest string) error {
	if err := s.hooks.record(numSet, dest); err != nil {
		return err
	}
	return s.SessionIMAP4rev2.Move(w, numSet, dest)
}

func (s hookedSession) Copy(numSet imap.NumSet, dest string) (*imap.CopyData, error) {
	if err := s.hooks.record(numSet, dest); err != nil {
		return nil, err
	}
	return s.SessionIMAP4rev2.Copy(numSet, dest)
}

// startHookedMemServer is startMemServer with MOVE and COPY passed through
// hooks, which may be nil.
func startHookedMemServer(t *testing.T, caps imap.CapSet, hooks *moveHooks) *memServer {
	t.Helper()
	opt := memimap.Options{User: testUser, Password: testPassword, Caps: caps, Logger: memimap.Discard}
	if hooks != nil {
		opt.Wrap = func(s imapserver.Session) imapserver.Session {
			return hookedSession{s.(imapserver.SessionIMAP4rev2), hooks}
		}
	}
	srv, err := memimap.Start(opt)
	if err != nil {
		t.Fatalf("memimap.Start() = %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return &memServer{addr: srv.Addr()}
}

func (m *memServer) config() Config {
	return Config{Address: m.addr, TLS: TLSNone, Username: testUser, Password: testPassword}
}

// imapSession is a plain test client, logged in, closed at cleanup.
func imapSession(t *testing.T, addr, user, pass string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatalf("DialInsecure(%s) = %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatalf("Login() = %v", err)
	}
	return c
}

func (m *memServer) append(t *testing.T, mailbox string, raw []byte) {
	t.Helper()
	c := imapSession(t, m.addr, testUser, testPassword)
	defer c.Logout()
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	cmd.Write(raw)
	cmd.Close()
	if _, err := cmd.Wait(); err != nil {
		t.Fatalf("Append(%q) = %v", mailbox, err)
	}
}

// appendInbox appends n test messages, m1 to mn, to INBOX (UIDs 1 to n
// in a fresh server).
func (m *memServer) appendInbox(t *testing.T, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		m.append(t, "INBOX", testMessage(fmt.Sprintf("m%d", i)))
	}
}

// count returns the number of messages in mailbox, 0 when it is missing.
func (m *memServer) count(t *testing.T, mailbox string) int {
	t.Helper()
	c := imapSession(t, m.addr, testUser, testPassword)
	defer c.Logout()
	st, err := c.Status(mailbox, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return 0
	}
	return int(*st.NumMessages)
}
