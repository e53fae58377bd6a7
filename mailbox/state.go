package mailbox

import (
	"context"
	"errors"
	"net"
	"sync"
	"syscall"
	"time"
)

// State is the intake's connection state, for health checks and metrics.
type State struct {
	// Connected is true from the first wait for new mail of a session
	// (logged in, mailbox selected, backlog handled) until it ends.
	Connected bool
	// Since is when Connected last changed; zero before the first session.
	Since time.Time
	// LastErr says why the last session ended; "" when none has.
	LastErr string
	// LastWait is when a pass last finished and the intake began to wait
	// (IDLE accepted, or a poll sleep): the last proof the mailbox is read.
	LastWait time.Time
	// Reconnects counts sessions ended by a failure.
	Reconnects uint64
}

// connState guards State and decides what is logged: one line per change
// of connectedness, not one per retry.
type connState struct {
	mu    sync.Mutex
	st    State
	ever  bool // a session has been up at least once
	onUp  func()
	clock func() time.Time
}

// State returns the current connection state.
func (in *Intake) State() State {
	in.conn.mu.Lock()
	defer in.conn.mu.Unlock()
	return in.conn.st
}

// up records a finished pass; the first of a session logs the connection
// (INFO) and calls Config.OnConnected.
func (in *Intake) up() {
	c := &in.conn
	c.mu.Lock()
	now := c.clock()
	c.st.LastWait = now
	changed := !c.st.Connected
	was, ever, down := c.st.Since, c.ever, c.st.LastErr
	if changed {
		c.st.Connected, c.st.Since, c.ever = true, now, true
	}
	c.mu.Unlock()
	if !changed {
		return
	}
	switch {
	case !ever:
		in.log.Info("imap connected", keyAddr, in.cfg.Address)
	default:
		in.log.Info("imap connected again", keyAddr, in.cfg.Address, "down_for", now.Sub(was).Round(time.Second), "was", down)
	}
	if in.cfg.OnConnected != nil {
		in.cfg.OnConnected()
	}
}

// down records a session that ended with err; only the change from
// connected (or the first failure ever) is logged at WARN, every retry
// after it at DEBUG.
func (in *Intake) down(err error, retryIn time.Duration) {
	c := &in.conn
	c.mu.Lock()
	reason := Reason(err)
	first := c.st.Connected || (!c.ever && c.st.LastErr == "")
	c.st.Reconnects++
	c.st.LastErr = reason
	if c.st.Connected {
		c.st.Connected, c.st.Since = false, c.clock()
	}
	c.mu.Unlock()
	if first {
		in.log.Warn("imap disconnected; reconnecting with backoff until it works", keyAddr, in.cfg.Address, "reason", reason, keyErr, err)
		return
	}
	in.log.Debug("imap reconnect failed", "reason", reason, keyErr, err, keyDelay, retryIn)
}

// Reason words why an IMAP session failed, for an administrator.
func Reason(err error) string {
	var ne net.Error
	var imapErr, refused = isServerRefusal(err)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the server refuses connections (is it running, is imap.address right?)"
	case errors.Is(err, ErrConnClosed), errors.Is(err, syscall.ECONNRESET), errors.Is(err, net.ErrClosed):
		return "the server closed the connection"
	case errors.Is(err, ErrNoAuth):
		return "the server offers no login mechanism synpunkt can use"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "the server did not answer in time"
	case refused && imapErr.Code == "AUTHENTICATIONFAILED":
		return "login refused: wrong credentials or an expired or revoked token"
	case refused:
		return "the server refused a command: " + imapErr.Text
	}
	return err.Error()
}
