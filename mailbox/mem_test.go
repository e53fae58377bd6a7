package mailbox

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/exempelby/synpunkt/internal/testkit"
)

var (
	capsRev1UIDPlus = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}} // no MOVE
	capsRev1        = imap.CapSet{imap.CapIMAP4rev1: {}}                      // no MOVE, no UIDPLUS
	capsRev2        = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
)

// The backlog is handled in UID order and moved by disposition, with
// COPY+STORE+EXPUNGE when the server lacks MOVE.
func TestBacklogMovesByDisposition(t *testing.T) {
	for name, caps := range map[string]imap.CapSet{"move": capsRev2, "copy+uid-expunge": capsRev1UIDPlus, "copy+expunge": capsRev1} {
		t.Run(name, func(t *testing.T) {
			srv := startMemServer(t, caps)
			srv.appendInbox(t, 5)
			h := quarantining("m2", "m4")
			cfg := srv.config()
			cfg.FetchBatch = 2
			r := startIntake(t, cfg, h, nil)
			r.waitIdle(t)

			if got, want := srv.count(t, "INBOX"), 0; got != want {
				t.Errorf("INBOX count = %d, want %d", got, want)
			}
			if got, want := srv.count(t, "Registrerade"), 3; got != want {
				t.Errorf("Registrerade count = %d, want %d", got, want)
			}
			if got, want := srv.count(t, "Karantän"), 2; got != want {
				t.Errorf("Karantän count = %d, want %d", got, want)
			}
			var uids []uint32
			for _, c := range h.snapshot() {
				uids = append(uids, c.UID)
			}
			if want := []uint32{1, 2, 3, 4, 5}; !slices.Equal(uids, want) {
				t.Errorf("handled UIDs = %v, want %v", uids, want)
			}
			r.wantLast(t, 5)
		})
	}
}

// Each fetch batch is moved with one command per disposition, after every
// message in it was handled.
func TestOneMovePerDispositionPerBatch(t *testing.T) {
	onBatchMoveServers(t, func(t *testing.T, srv *memServer, hooks *moveHooks) {
		srv.appendInbox(t, 6)
		cfg := srv.config()
		cfg.FetchBatch = 3
		r := startIntake(t, cfg, quarantining("m2", "m5"), nil)
		r.waitIdle(t)
		// Each batch alone, or both together when the second was
		// committed while the first was being moved (mover).
		alone := []string{"Registrerade:1,3", "Karantän:2", "Registrerade:4,6", "Karantän:5"}
		together := []string{"Registrerade:1,3:4,6", "Karantän:2,5"}
		if got := hooks.commands(); !slices.Equal(got, alone) && !slices.Equal(got, together) {
			t.Errorf("move commands = %q, want %q or %q", got, alone, together)
		}
		r.wantLast(t, 6)
	})
}

// When the server refuses a batched move, the messages are moved one by
// one: the refused one stays, holds back the checkpoint and is retried,
// the others are moved at once.
func TestRefusedBatchMoveFallsBackToSingleMoves(t *testing.T) {
	onBatchMoveServers(t, func(t *testing.T, srv *memServer, hooks *moveHooks) {
		hooks.setRefuse(func(set imap.UIDSet) error {
			if set.Contains(2) {
				return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "quota exceeded"}
			}
			return nil
		})
		srv.appendInbox(t, 4)
		h := &recorder{}
		r := startIntake(t, srv.config(), h, nil)
		testkit.WaitFor(t, "refused message retried", func() bool { return h.callsFor("m2") >= 2 })
		if got := hooks.commands()[:5]; !slices.Equal(got, []string{"Registrerade:1:4", "Registrerade:1", "Registrerade:2", "Registrerade:3", "Registrerade:4"}) {
			t.Errorf("first move commands = %q, want the batch, then one by one", got)
		}
		if got := srv.count(t, "Registrerade"); got != 3 {
			t.Errorf("Registrerade count = %d, want 3", got)
		}
		r.wantLast(t, 1) // UID 2 is unmoved
		hooks.setRefuse(nil)
		testkit.WaitFor(t, "refused message moved after recovery", func() bool { return srv.count(t, "INBOX") == 0 })
		testkit.WaitFor(t, "checkpoint advanced", func() bool { _, last := r.cp.get("INBOX"); return last == 4 })
		if n := h.callsFor("m3"); n != 1 {
			t.Errorf("m3 offered %d times, want 1", n)
		}
	})
}

// On shutdown the message in hand is finished and what was committed is
// moved before logout; the rest of the batch is left for the next run.
func TestShutdownMovesCommitted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error // what the Handler returns for m2 after the cancel
		moved int
	}{
		{"committed", nil, 2},
		{"failed", context.Canceled, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startMemServer(t, capsRev2)
			srv.appendInbox(t, 4)
			started, cancelled := make(chan *running, 1), make(chan struct{})
			h := &recorder{decide: func(id string, _ int) (Disposition, error) {
				if id == "m2" {
					(<-started).cancel()
					close(cancelled)
					return Registered, tc.err
				}
				return Registered, nil
			}}
			r := startIntake(t, srv.config(), h, nil)
			started <- r
			select {
			case <-cancelled:
			case <-time.After(waitTimeout):
				t.Fatalf("m2 not offered within %v", waitTimeout)
			}
			r.stop()
			if got := srv.count(t, "Registrerade"); got != tc.moved {
				t.Errorf("Registrerade count = %d, want %d", got, tc.moved)
			}
			if n := h.callsFor("m3"); n != 0 {
				t.Errorf("m3 offered %d times after cancel, want 0", n)
			}
			r.wantLast(t, uint32(tc.moved))
		})
	}
}

// (Arrival during IDLE is tested against Dovecot only: imapmemserver sends
// the IDLE continuation before it subscribes to updates, so a message
// appended in that window is only reported with the next update.)

// The checkpoint is honoured: messages at or below it are not offered.
func TestResumeFromCheckpoint(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	srv.appendInbox(t, 3)
	c := imapSession(t, srv.addr, testUser, testPassword)
	sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("Select() = %v", err)
	}
	cp := &fakeCheckpoints{m: map[string][2]uint32{"INBOX": {sel.UIDValidity, 2}}}
	h := &recorder{}
	r := startIntake(t, srv.config(), h, cp)
	r.waitIdle(t)
	if got := h.snapshot(); len(got) != 1 || got[0].MessageID != "m3" {
		t.Errorf("handled %v, want only m3", got)
	}
	if got, want := srv.count(t, "INBOX"), 2; got != want {
		t.Errorf("INBOX count = %d, want %d (m1, m2 are below the checkpoint)", got, want)
	}
}

// A kept or failing message holds back the checkpoint and is retried with
// backoff, while later messages are handled at once.
func TestKeepAndErrorAreRetriedWithoutBlockingOthers(t *testing.T) {
	for name, fail := range map[string]func() (Disposition, error){
		"keep":  func() (Disposition, error) { return Keep, nil },
		"error": func() (Disposition, error) { return Keep, errors.New("database is down") },
		"panic": func() (Disposition, error) { panic("handler bug") },
	} {
		t.Run(name, func(t *testing.T) {
			srv := startMemServer(t, capsRev2)
			for _, id := range []string{"bad", "good1", "good2"} {
				srv.append(t, "INBOX", testMessage(id))
			}
			release := make(chan struct{})
			h := &recorder{decide: func(id string, attempt int) (Disposition, error) {
				if id != "bad" {
					return Registered, nil
				}
				select {
				case <-release:
					return Registered, nil
				default:
					return fail()
				}
			}}
			cfg := srv.config()
			r := startIntakeRecover(t, cfg, h, nil, name == "panic")
			testkit.WaitFor(t, "later messages moved", func() bool { return srv.count(t, "Registrerade") == 2 })
			testkit.WaitFor(t, "bad message retried", func() bool { return h.callsFor("bad") >= 3 })
			r.wantLast(t, 0) // UID 1 is unhandled
			if got := srv.count(t, "INBOX"); got != 1 {
				t.Errorf("INBOX count = %d, want 1 (the bad message stays)", got)
			}
			close(release)
			testkit.WaitFor(t, "bad message moved after recovery", func() bool { return srv.count(t, "INBOX") == 0 })
			testkit.WaitFor(t, "checkpoint advanced", func() bool { _, last := r.cp.get("INBOX"); return last == 3 })
			if n := h.callsFor("good1"); n != 1 {
				t.Errorf("good1 offered %d times, want 1", n)
			}
		})
	}
}

// Retries back off: with a 100ms..400ms backoff a kept message is not
// offered more than a handful of times in a second.
func TestKeepBacksOff(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	srv.append(t, "INBOX", testMessage("kept"))
	h := &recorder{decide: func(string, int) (Disposition, error) { return Keep, nil }}
	cfg := srv.config()
	cfg.MinBackoff, cfg.MaxBackoff = 100*time.Millisecond, 400*time.Millisecond
	startIntake(t, cfg, h, nil)
	time.Sleep(time.Second) // measuring a rate needs a fixed window
	if n := h.callsFor("kept"); n < 2 || n > 8 {
		t.Errorf("kept message offered %d times in 1s, want 2..8", n)
	}
}

// Kick triggers a pass; Passes counts them.
func TestKickRunsPass(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	r := startIntake(t, srv.config(), &recorder{}, nil)
	r.waitIdle(t)
	before := r.Passes()
	r.Kick()
	testkit.WaitFor(t, "a pass after Kick", func() bool { return r.Passes() > before })
}

// A failing checkpoint store does not stop intake.
func TestCheckpointSaveFailureIsNotFatal(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	srv.append(t, "INBOX", testMessage("m1"))
	cp := &fakeCheckpoints{saveErr: func() error { return errors.New("disk full") }}
	h := &recorder{}
	startIntake(t, srv.config(), h, cp)
	testkit.WaitFor(t, "message moved", func() bool { return srv.count(t, "Registrerade") == 1 })
}

// Run returns nil promptly on cancel, also while the server is unreachable.
func TestRunStopsWhileReconnecting(t *testing.T) {
	cfg := Config{Address: "127.0.0.1:1", TLS: TLSNone, MinBackoff: time.Hour, MaxBackoff: time.Hour}
	in := New(cfg, &recorder{}, &fakeCheckpoints{}, testLogger(t))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := in.Run(ctx); err != nil {
		t.Fatalf("Run() = %v, want nil", err)
	}
}

func TestValidate(t *testing.T) {
	base := Config{Address: "imap.exempelby.se:993"}
	for _, tc := range []struct {
		name   string
		mutate func(*Config)
		want   string // prefix of the error; empty for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"no port", func(c *Config) { c.Address = "imap.exempelby.se" }, "imap.address:"},
		{"bad tls", func(c *Config) { c.TLS = "ssl" }, "imap.tls:"},
		{"same mailbox", func(c *Config) { c.RegisteredMailbox = "INBOX" }, "imap.registered_mailbox:"},
		{"idle too long", func(c *Config) { c.IdleRestart = 30 * time.Minute }, "imap.idle_restart:"},
		{"backoff inverted", func(c *Config) { c.MinBackoff, c.MaxBackoff = time.Minute, time.Second }, "imap.poll_interval:"},
	} {
		cfg := base
		tc.mutate(&cfg)
		err := cfg.withDefaults().Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: Validate() = %v, want nil", tc.name, err)
		case tc.want != "" && (err == nil || len(err.Error()) < len(tc.want) || err.Error()[:len(tc.want)] != tc.want):
			t.Errorf("%s: Validate() = %v, want prefix %q", tc.name, err, tc.want)
		}
	}
}

func TestBackoffDelay(t *testing.T) {
	b := backoff{min: time.Second, max: time.Minute}
	for _, tc := range []struct {
		n        int
		lo, high time.Duration
	}{
		{1, time.Second, time.Second},
		{2, time.Second, 2 * time.Second},
		{4, 4 * time.Second, 8 * time.Second},
		{30, 30 * time.Second, time.Minute},
	} {
		for range 50 {
			if d := b.delay(tc.n); d < tc.lo || d > tc.high {
				t.Fatalf("delay(%d) = %v, want in [%v, %v]", tc.n, d, tc.lo, tc.high)
			}
		}
	}
}
