package mailbox

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/exempelby/synpunkt/internal/memimap"
	"github.com/exempelby/synpunkt/internal/testkit"
)

// idleCounter counts the IDLE commands a memimap server receives.
type idleCounter struct {
	imapserver.SessionIMAP4rev2
	n *atomic.Int64
}

func (s idleCounter) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	s.n.Add(1)
	return s.SessionIMAP4rev2.Idle(w, stop)
}

// startIdleCounting starts a memimap server that counts the IDLE commands
// it receives.
func startIdleCounting(t *testing.T) (*memServer, *atomic.Int64) {
	t.Helper()
	idles := new(atomic.Int64)
	srv, err := memimap.Start(memimap.Options{User: testUser, Password: testPassword, Caps: capsRev2, Logger: memimap.Discard,
		Wrap: func(s imapserver.Session) imapserver.Session {
			return idleCounter{s.(imapserver.SessionIMAP4rev2), idles}
		}})
	if err != nil {
		t.Fatalf("memimap.Start() = %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return &memServer{addr: srv.Addr()}, idles
}

// After new mail the intake looks for more with NOOP, never entering IDLE
// (whose notice Dovecot holds back 500 ms), and it takes mail that arrives
// meanwhile; once the window since the last new mail has closed (by the
// injected clock) it goes back to IDLE, and mail is still taken there.
func TestBurstPollsAfterMailThenIdles(t *testing.T) {
	m, idles := startIdleCounting(t)
	m.append(t, "INBOX", testMessage("b1"))
	clock := testkit.NewClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	cfg := m.config()
	cfg.BurstInterval, cfg.BurstWindow, cfg.Now = 5*time.Millisecond, time.Minute, clock.Now
	startIntake(t, cfg, &recorder{}, nil)
	testkit.WaitFor(t, "backlog moved", func() bool { return m.count(t, "Registrerade") == 1 })
	m.append(t, "INBOX", testMessage("b2"))
	testkit.WaitFor(t, "mail taken while bursting", func() bool { return m.count(t, "Registrerade") == 2 })
	if n := idles.Load(); n != 0 {
		t.Errorf("%d IDLE commands within the burst window, want 0 (NOOP polling)", n)
	}
	clock.Advance(2 * time.Minute) // the window closes
	testkit.WaitFor(t, "IDLE after the window", func() bool { return idles.Load() > 0 })
	m.append(t, "INBOX", testMessage("b3"))
	testkit.WaitFor(t, "mail taken in IDLE", func() bool { return m.count(t, "Registrerade") == 3 })
}

// With the burst off, the intake waits in IDLE right after a pass.
func TestBurstOffIdlesAtOnce(t *testing.T) {
	m, idles := startIdleCounting(t)
	m.append(t, "INBOX", testMessage("o1"))
	cfg := m.config()
	cfg.BurstInterval = -1
	startIntake(t, cfg, &recorder{}, nil)
	testkit.WaitFor(t, "backlog moved", func() bool { return m.count(t, "Registrerade") == 1 })
	testkit.WaitFor(t, "IDLE right after mail", func() bool { return idles.Load() > 0 })
}
