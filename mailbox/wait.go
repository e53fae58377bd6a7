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
	select {
	case <-ctx.Done():
	case <-s.newMail:
	case <-s.in.kick:
	case <-retryC:
	case <-restart.C:
	case <-s.c.Closed():
		return ErrConnClosed
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("end idle: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	return nil
}

// poll waits interval (or a kick or retry), then sends NOOP, which both
// fetches pending EXISTS and proves the connection is alive.
func (s *session) poll(ctx context.Context, retryC <-chan time.Time, interval time.Duration) error {
	s.in.onIdle()
	t := time.NewTimer(interval)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil
	case <-s.newMail:
	case <-s.in.kick:
	case <-retryC:
	case <-t.C:
	case <-s.c.Closed():
		return ErrConnClosed
	}
	if err := s.c.Noop().Wait(); err != nil {
		return fmt.Errorf("noop: %w", err)
	}
	return nil
}

func (in *Intake) onIdle() {
	in.up()
	if in.cfg.OnIdle != nil {
		in.cfg.OnIdle()
	}
}
