package smtpsend

import (
	"context"
	"errors"
	"net"

	"github.com/emersion/go-smtp"
)

// CheckStep names the step of Check that failed.
type CheckStep string

// Steps of Check.
const (
	CheckConnect  CheckStep = "connect"  // TCP, implicit TLS, greeting, EHLO, STARTTLS handshake
	CheckStartTLS CheckStep = "starttls" // starttls is configured but the server does not offer it
	CheckAuth     CheckStep = "auth"     // AUTH PLAIN or LOGIN refused or impossible
)

// ErrNoStartTLS is the error of Check when starttls is configured and the
// server's EHLO does not offer STARTTLS (RFC 3207).
var ErrNoStartTLS = errors.New("server does not offer STARTTLS")

// CheckError is the error of Check: the step that failed and why.
type CheckError struct {
	Step CheckStep
	Err  error
}

func (e *CheckError) Error() string { return "smtp " + string(e.Step) + ": " + e.Err.Error() }

func (e *CheckError) Unwrap() error { return e.Err }

// Check connects, greets, sets up TLS and authenticates exactly as Send
// does, then quits without sending. Its error is a *CheckError around a
// *notify.Error, whose Code is the server's reply code (535: credentials
// refused) when there was one.
func (s *Sender) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	cn, err := s.connect(ctx)
	if err != nil {
		if s.cfg.TLS == TLSStartTLS && !s.offersStartTLS(ctx) {
			return &CheckError{Step: CheckStartTLS, Err: ErrNoStartTLS}
		}
		return &CheckError{Step: CheckConnect, Err: classify(ctx, string(CheckConnect), err)}
	}
	c := cn.c
	stop := context.AfterFunc(ctx, func() { cn.raw.Close() })
	defer stop()
	defer c.Close()
	if err := s.auth(ctx, c); err != nil {
		return &CheckError{Step: CheckAuth, Err: classify(ctx, string(CheckAuth), err)}
	}
	c.Quit() //nolint:errcheck // the check is done
	return nil
}

// offersStartTLS reports whether a plain EHLO lists STARTTLS; false when
// the server cannot be reached at all.
func (s *Sender) offersStartTLS(ctx context.Context) bool {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Address)
	if err != nil {
		return true // not the cause: report the connect error
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.Hello(s.cfg.HeloName); err != nil {
		return true
	}
	ok, _ := c.Extension("STARTTLS")
	return ok
}
