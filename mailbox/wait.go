package mailbox

import (
	"context"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
)

// wait blocks until there may be something to do: new mail, a kick, a
// message due for retry, the IDLE restart, or ctx. A nil error with ctx
// cancelled means shut down.
func (s *session) wait(ctx context.Context) error {
	var retryC <-chan time.Time
	if at, ok := s.in.retries.next(); ok {
		t := time.NewTimer(time.Until(at))
		defer t.Stop()
		retryC = t.C
	}
	if s.in.cfg.RecheckInterval > 0 {
		return s.poll(ctx, retryC, s.in.cfg.RecheckInterval)
	}
	if s.bursting() {
		return s.burst(ctx, retryC)
	}
	if s.c.Caps().Has(imap.CapIdle) {
		return s.idle(ctx, retryC)
	}
	return s.poll(ctx, retryC, s.in.cfg.PollInterval)
}

// idle waits in IDLE (RFC 2177). The server reports new mail with EXISTS,
// which the unilateral data handler turns into a newMail signal. IDLE is
// ended after IdleRestart so the server's 30-minute timeout never hits,
// and the pass that follows doubles as a liveness check.
func (s *session) idle(ctx context.Context, retryC <-chan time.Time) error {
	cmd, err := s.c.Idle()
	if err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	s.in.onIdle()
	restart := time.NewTimer(s.in.cfg.IdleRestart)
	defer restart.Stop()
	if _, err := s.block(ctx, retryC, restart.C); err != nil {
		return err
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("end idle: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	return nil
}

// bursting reports whether mail arrived within the last BurstWindow: the
// intake then looks for more with NOOP every BurstInterval instead of
// waiting in IDLE, whose notice Dovecot holds back 500 ms after a delivery
// (NOTIFY_DELAY_MSECS in src/lib-storage/mailbox-watch.c).
func (s *session) bursting() bool {
	return s.in.cfg.BurstInterval > 0 && !s.lastMail.IsZero() &&
		s.in.cfg.Now().Sub(s.lastMail) < s.in.cfg.BurstWindow
}

// burst sends NOOP every BurstInterval until one reports new mail (EXISTS),
// the window since the last mail closes, or a kick, retry or ctx ends the
// wait. It returns to the pass at once when new mail was reported during
// the pass before it, so whatever arrived meanwhile is taken in the next
// pass as one batch rather than trickling in one wake-up at a time.
func (s *session) burst(ctx context.Context, retryC <-chan time.Time) error {
	s.in.onIdle()
	select {
	case <-s.newMail: // EXISTS during the last pass: go straight back
		return nil
	default:
	}
	t := time.NewTimer(s.in.cfg.BurstInterval)
	defer t.Stop()
	for {
		if woke, err := s.block(ctx, retryC, t.C); err != nil || woke != wokeTimer {
			return err
		}
		if err := s.c.Noop().Wait(); err != nil {
			return fmt.Errorf("noop: %w", err)
		}
		select {
		case <-s.newMail:
			return nil
		default:
		}
		if !s.bursting() {
			return nil // one more pass, then IDLE
		}
		t.Reset(s.in.cfg.BurstInterval)
	}
}

// poll waits interval (or a kick or retry), then sends NOOP, which both
// fetches pending EXISTS and proves the connection is alive.
func (s *session) poll(ctx context.Context, retryC <-chan time.Time, interval time.Duration) error {
	s.in.onIdle()
	t := time.NewTimer(interval)
	defer t.Stop()
	if woke, err := s.block(ctx, retryC, t.C); err != nil || woke == wokeDone {
		return err
	}
	if err := s.c.Noop().Wait(); err != nil {
		return fmt.Errorf("noop: %w", err)
	}
	return nil
}

// woke says what ended a block.
type woke int

const (
	wokeDone  woke = iota // ctx was cancelled
	wokeEvent             // new mail, a kick or a retry falling due
	wokeTimer             // the caller's timer fired
)

// block waits for ctx, new mail, a kick, a retry falling due (retryC) or
// the caller's timer, and says which; it returns ErrConnClosed when the
// connection closes first.
func (s *session) block(ctx context.Context, retryC, timer <-chan time.Time) (woke, error) {
	select {
	case <-ctx.Done():
		return wokeDone, nil
	case <-s.newMail:
		return wokeEvent, nil
	case <-s.in.kick:
		return wokeEvent, nil
	case <-retryC:
		return wokeEvent, nil
	case <-timer:
		return wokeTimer, nil
	case <-s.c.Closed():
		return 0, ErrConnClosed
	}
}

func (in *Intake) onIdle() {
	in.up()
	if in.cfg.OnIdle != nil {
		in.cfg.OnIdle()
	}
}
