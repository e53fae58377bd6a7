package mailbox

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/internal/testkit"
)

func dovecotConfig(s *dovecottest.Server) Config {
	return Config{Address: s.Addr(), TLS: TLSNone, Username: s.User(), Password: s.Password()}
}

// wantCount fails the test unless the Dovecot mailbox holds want messages.
func wantCount(t *testing.T, s *dovecottest.Server, mailbox string, want int) {
	t.Helper()
	if got := s.Count(t, mailbox); got != want {
		t.Fatalf("%s holds %d messages, want %d", mailbox, got, want)
	}
}

// Backlog first, then a message delivered while the intake idles is
// handled promptly; messages are moved with MOVE and never marked \Seen.
func TestDovecotBacklogThenIdle(t *testing.T) {
	s := dovecottest.Start(t)
	s.Append(t, "INBOX", testMessage("gammal1"))
	s.Append(t, "INBOX", testMessage("gammal2"))
	h := &recorder{}
	r := startIntake(t, dovecotConfig(s), h, nil)
	r.waitIdle(t)
	wantCount(t, s, "Registrerade", 2)
	s.Append(t, "INBOX", testMessage("ny"))
	testkit.WaitFor(t, "new message in Registrerade", func() bool { return s.Count(t, "Registrerade") == 3 })
	wantCount(t, s, "INBOX", 0)
	if got := s.List(t, "Registrerade"); !bytes.Equal(got[2], testMessage("ny")) {
		t.Errorf("moved message = %q, want it unchanged", got[2])
	}
	if n := s.Seen(t, "Registrerade"); n != 0 { // BODY.PEEK[] leaves \Seen unset
		t.Errorf("%d messages in Registrerade have \\Seen, want none", n)
	}
	if v, last := r.cp.get("INBOX"); v != s.UIDValidity(t, "INBOX") || last != 3 {
		t.Errorf("checkpoint = (%d, %d), want (%d, 3)", v, last, s.UIDValidity(t, "INBOX"))
	}
}

// Quarantined messages land in "Karantän", sent as modified UTF-7 and
// listed back as the same UTF-8 name.
func TestDovecotQuarantine(t *testing.T) {
	s := dovecottest.Start(t)
	s.Append(t, "INBOX", testMessage("skräp"))
	h := &recorder{decide: func(string, int) (Disposition, error) { return Quarantined, nil }}
	r := startIntake(t, dovecotConfig(s), h, nil)
	r.waitIdle(t)
	if !slices.Contains(s.Mailboxes(t), "Karantän") {
		t.Errorf("Mailboxes() = %q, want %q among them", s.Mailboxes(t), "Karantän")
	}
	if got := s.List(t, "Karantän"); len(got) != 1 || !bytes.Equal(got[0], testMessage("skräp")) {
		t.Errorf("List(Karantän) = %q, want the quarantined message", got)
	}
}

// A kept message and a failing one stay in INBOX and are retried, while
// the message after them is registered at once.
func TestDovecotKeepAndErrorRetried(t *testing.T) {
	s := dovecottest.Start(t)
	for _, id := range []string{"vanta", "trasig", "bra"} {
		s.Append(t, "INBOX", testMessage(id))
	}
	h := &recorder{decide: func(id string, attempt int) (Disposition, error) {
		switch {
		case id == "vanta" && attempt < 3:
			return Keep, nil
		case id == "trasig" && attempt < 3:
			return Keep, errors.New("database is locked")
		}
		return Registered, nil
	}}
	r := startIntake(t, dovecotConfig(s), h, nil)
	testkit.WaitFor(t, "bra registered", func() bool { return h.callsFor("bra") == 1 })
	testkit.WaitFor(t, "all three registered", func() bool { return s.Count(t, "Registrerade") == 3 })
	for _, id := range []string{"vanta", "trasig"} {
		if n := h.callsFor(id); n != 3 {
			t.Errorf("%s offered %d times, want 3", id, n)
		}
	}
	testkit.WaitFor(t, "checkpoint at 3", func() bool { _, last := r.cp.get("INBOX"); return last == 3 })
}

// After Dovecot restarts the intake reconnects and handles new mail.
func TestDovecotReconnectAfterRestart(t *testing.T) {
	s := dovecottest.Start(t)
	h := &recorder{}
	r := startIntake(t, dovecotConfig(s), h, nil)
	r.waitIdle(t)
	s.Restart()
	s.Append(t, "INBOX", testMessage("efter-omstart"))
	testkit.WaitFor(t, "message after restart moved", func() bool { return s.Count(t, "Registrerade") == 1 })
	if n := h.callsFor("efter-omstart"); n != 1 {
		t.Errorf("message offered %d times, want 1", n)
	}
}

// When UIDVALIDITY changes, messages still in INBOX are offered again from
// UID 0 even though their new UIDs are at or below the old checkpoint; the
// idempotent handler recognises the one it already registered.
func TestDovecotUIDValidityChange(t *testing.T) {
	s := dovecottest.Start(t)
	for _, id := range []string{"m1", "m2", "m3"} {
		s.Append(t, "INBOX", testMessage(id))
	}
	// m2 was registered by an earlier run that crashed before moving it;
	// m2 and m3 are held back for now.
	h := &recorder{
		registered: map[string]Disposition{"m2": Registered},
		held:       map[string]bool{"m2": true, "m3": true},
	}
	r := startIntake(t, dovecotConfig(s), h, nil)
	testkit.WaitFor(t, "m1 moved", func() bool { return s.Count(t, "Registrerade") == 1 })
	r.stop()
	oldV, oldLast := r.cp.get("INBOX")
	if oldLast != 1 {
		t.Fatalf("checkpoint last UID = %d, want 1", oldLast)
	}
	// Make the old checkpoint cover every new UID: without the reset to 0,
	// m2 and m3 (new UIDs 1 and 2) would never be offered.
	r.cp.SaveCheckpoint(t.Context(), "INBOX", oldV, 100)

	s.ResetUIDValidity(t, "INBOX")
	newV := s.UIDValidity(t, "INBOX")
	h.mu.Lock()
	h.held = nil
	h.mu.Unlock()
	r2 := startIntake(t, dovecotConfig(s), h, r.cp)
	r2.waitIdle(t)
	wantCount(t, s, "INBOX", 0)
	wantCount(t, s, "Registrerade", 3)
	h.mu.Lock()
	newRegs := h.newRegs
	h.mu.Unlock()
	if newRegs != 2 {
		t.Errorf("handler registered %d new messages, want 2 (m1, m3; m2 recognised)", newRegs)
	}
	var m2 []uint32
	for _, c := range h.snapshot() {
		if c.MessageID == "m2" {
			m2 = append(m2, c.UIDValidity)
		}
	}
	if len(m2) < 2 || m2[len(m2)-1] != newV || m2[0] != oldV {
		t.Errorf("m2 offered under UIDVALIDITY %v, want first %d and last %d", m2, oldV, newV)
	}
	if v, last := r.cp.get("INBOX"); v != newV || last != 2 {
		t.Errorf("checkpoint = (%d, %d), want (%d, 2)", v, last, newV)
	}
}

// STARTTLS and implicit TLS, each with AUTH=PLAIN.
func TestDovecotTLS(t *testing.T) {
	s := dovecottest.Start(t, dovecottest.WithTLS())
	for _, tc := range []struct {
		mode TLSMode
		addr string
	}{{TLSStartTLS, s.Addr()}, {TLSImplicit, s.TLSAddr()}} {
		t.Run(string(tc.mode), func(t *testing.T) {
			id := "tls-" + string(tc.mode)
			s.Append(t, "INBOX", testMessage(id))
			cfg := dovecotConfig(s)
			cfg.Address, cfg.TLS, cfg.TLSConfig = tc.addr, tc.mode, s.TLSConfig()
			h := &recorder{}
			r := startIntake(t, cfg, h, nil)
			r.waitIdle(t)
			if n := h.callsFor(id); n != 1 {
				t.Errorf("message offered %d times over %s, want 1", n, tc.mode)
			}
			wantCount(t, s, "INBOX", 0)
		})
	}
}

// A wrong certificate is refused; the intake keeps retrying, handles
// nothing, and still stops cleanly.
func TestDovecotTLSRejectsUntrustedCert(t *testing.T) {
	s := dovecottest.Start(t, dovecottest.WithTLS())
	s.Append(t, "INBOX", testMessage("hemlig"))
	cfg := dovecotConfig(s)
	cfg.Address, cfg.TLS = s.TLSAddr(), TLSImplicit // system roots: untrusted
	h := &recorder{}
	r := startIntake(t, cfg, h, nil)
	time.Sleep(300 * time.Millisecond) // a negative check: give it a few attempts
	r.stop()
	if r.Passes() != 0 || s.Count(t, "INBOX") != 1 {
		t.Errorf("Passes() = %d, INBOX count = %d; want 0 passes and the message untouched", r.Passes(), s.Count(t, "INBOX"))
	}
	if n := len(h.snapshot()); n != 0 {
		t.Errorf("handler called %d times over an untrusted connection, want 0", n)
	}
}

// Without IDLE and MOVE advertised, the intake polls with NOOP and moves
// with UID COPY + STORE + UID EXPUNGE.
func TestDovecotPollingWithoutIdleOrMove(t *testing.T) {
	s := dovecottest.Start(t, dovecottest.WithCapability("IMAP4rev1 UIDPLUS LITERAL+"))
	s.Append(t, "INBOX", testMessage("p1"))
	h := &recorder{}
	r := startIntake(t, dovecotConfig(s), h, nil)
	r.waitIdle(t)
	wantCount(t, s, "Registrerade", 1)
	for i := range 3 {
		s.Append(t, "INBOX", testMessage(fmt.Sprintf("p%d", i+2)))
	}
	testkit.WaitFor(t, "polled messages moved", func() bool { return s.Count(t, "Registrerade") == 4 })
	wantCount(t, s, "INBOX", 0)
}
