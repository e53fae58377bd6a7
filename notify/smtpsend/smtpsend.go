// Package smtpsend owns delivery of composed e-mail to an SMTP submission
// server (RFC 6409) over plain SMTP, STARTTLS (RFC 3207) or implicit TLS
// (RFC 8314), with optional AUTH PLAIN or LOGIN. It is the only package that
// speaks SMTP as a client; go-smtp stays inside it.
//
// What always holds: Send transmits the complete message byte for byte (Notification.Payload, or a detached forward's pieces in turn), with
// MAIL FROM Notification.From and one RCPT TO Notification.To, on a fresh connection
// per message; it never renders or changes a message. A message counts as
// sent only when the server has answered 250 to the end of DATA. The
// context's deadline and cancellation interrupt any step; Config.Timeout
// bounds the whole exchange.
//
// How it fails: every error is a *notify.Error carrying the SMTP step
// that failed (Op) and the reply code. Whose fault it is decides the class:
// anything before the message's own recipient (dial, TLS and certificate
// verification, greeting, EHLO, AUTH such as 535, MAIL FROM), network
// errors and 421 anywhere are channel faults — the server's or our
// configuration's, the same for every message — so the outbox pauses the
// channel and retries until someone fixes it. At RCPT a 4xx is temporary
// and a 5xx permanent for this message (550 unknown recipient); at DATA a
// 4xx is the server's trouble (channel fault) and a 5xx permanent. A
// message larger than the SIZE the server announced in EHLO (RFC 1870) is
// not sent at all and fails permanently with a *notify.TooLargeError, as
// does a 552 reply to MAIL or DATA. A bad Config is a channel fault.
// A server that does not offer STARTTLS when starttls is configured fails
// the send; plaintext is never used as a fallback.
package smtpsend

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/notify"
)

// TLS modes for Config.TLS.
const (
	TLSImplicit = "implicit" // TLS from the first byte, usually port 465
	TLSStartTLS = "starttls" // plain connect, then STARTTLS, usually port 587
	TLSNone     = "none"     // no encryption; only for a local relay or tests
)

// DefaultTimeout bounds one send when Config.Timeout is zero.
const DefaultTimeout = time.Minute

// Config configures a Sender.
type Config struct {
	Address            string         // host:port of the submission server
	TLS                string         // implicit, starttls or none; "" means starttls
	Username           string         // empty: do not authenticate
	Password           string         // used with Username
	HeloName           string         // EHLO name after TLS is up; "" means "localhost"
	InsecureSkipVerify bool           // accept any server certificate; tests only
	RootCAs            *x509.CertPool // may be nil: the system pool
	Timeout            time.Duration  // whole exchange; 0 means DefaultTimeout
	// Auth, if set, authenticates with the SASL mechanism it supplies
	// (OAuth2: XOAUTH2 or OAUTHBEARER) instead of Username/Password; may
	// be nil.
	Auth Authenticator
}

// Authenticator supplies the SASL client for each login, e.g. an OAuth2
// token source. Safe for concurrent use.
type Authenticator interface {
	// SASLClient returns a client carrying a currently valid credential.
	SASLClient(ctx context.Context) (sasl.Client, error)
	// Invalidate drops the credential the server just refused.
	Invalidate()
}

// Sender sends e-mail over SMTP. It is safe for concurrent use; each Send
// uses its own connection.
type Sender struct {
	cfg Config // immutable
}

var _ notify.Sender = (*Sender)(nil)

// New returns a Sender for cfg. It does not connect.
func New(cfg Config) *Sender {
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.HeloName == "" {
		cfg.HeloName = "localhost"
	}
	return &Sender{cfg: cfg}
}

// SendsDetached reports that Send takes a detached forward
// (notify.DetachedSender): the original is written into DATA after the
// payload's first part, never joined with it in memory.
func (s *Sender) SendsDetached() bool { return true }

var _ notify.DetachedSender = (*Sender)(nil)

// Send delivers o, which must be an e-mail.
func (s *Sender) Send(ctx context.Context, o *synpunkt.Notification) error {
	if o.Channel != synpunkt.MediumEmail {
		return notify.Permanent(fmt.Errorf("smtpsend: %w: %q", notify.ErrWrongChannel, o.Channel))
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if op, err := s.send(ctx, o); err != nil {
		return classify(ctx, op, fmt.Errorf("smtpsend: %s to %s: %w", o.Kind, s.cfg.Address, err))
	}
	return nil
}

// SMTP steps, for notify.Error.Op and classification.
const (
	opConnect = "connect"
	opAuth    = "auth"
	opMail    = "mail"
	opRcpt    = "rcpt"
	opData    = "data"
)

// send runs the SMTP transaction and returns the step that failed.
func (s *Sender) send(ctx context.Context, o *synpunkt.Notification) (string, error) {
	c, text, err := s.connect(ctx)
	if err != nil {
		return opConnect, err
	}
	defer c.Close()
	if err := s.auth(ctx, c); err != nil {
		return opAuth, err
	}
	size := int64(o.Size())
	if limit, ok := c.MaxMessageSize(); ok && limit > 0 && size > int64(limit) {
		return opMail, &notify.TooLargeError{Size: size, Limit: int64(limit)}
	}
	if err := c.Mail(o.From, &smtp.MailOptions{Size: size}); err != nil {
		return opMail, tooLarge(err, size, c)
	}
	if err := c.Rcpt(o.To, nil); err != nil {
		return opRcpt, err
	}
	if err := s.data(c, text, o); err != nil {
		return opData, tooLarge(err, size, c)
	}
	c.Quit() //nolint:errcheck // the message is accepted; a failed QUIT changes nothing
	return "", nil
}

// data sends the message after DATA; the reply to its end is the verdict.
// A detached forward is written piece by piece (payload, original,
// payload), never joined. With text, the wire that carries the plain SMTP
// text, the body is dot-stuffed a line at a time straight into it (the
// same bytes go-smtp's DATA writer would send, see dotStuffer), and that
// writer's Close only reads the reply.
func (s *Sender) data(c *smtp.Client, text *wire, o *synpunkt.Notification) error {
	w, err := c.Data()
	if err != nil {
		return err
	}
	if text == nil {
		if _, err := o.WriteTo(w); err != nil {
			return err
		}
		return w.Close()
	}
	d := newDotStuffer(text)
	if _, err := o.WriteTo(d); err != nil {
		return err
	}
	if err := d.Close(); err != nil {
		return err
	}
	text.expectTerminator()
	return w.Close()
}

// tooLarge turns a 552 reply (RFC 1870 §6.1, RFC 5321 §4.2.3) into a
// *notify.TooLargeError, keeping the reply in the chain.
func tooLarge(err error, size int64, c *smtp.Client) error {
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 552 {
		return err
	}
	limit, _ := c.MaxMessageSize()
	return errors.Join(&notify.TooLargeError{Size: size, Limit: int64(limit)}, err)
}

// connect dials, sets up TLS as configured and greets the server. The
// connection is closed when ctx ends, which interrupts any blocked step.
// Writes go through a wire (few large writes); text is the wire that
// carries the plain SMTP text, nil with STARTTLS, where go-smtp puts TLS
// over it.
func (s *Sender) connect(ctx context.Context) (c *smtp.Client, text *wire, err error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Address)
	if err != nil {
		return nil, nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	c, text, err = s.handshake(ctx, conn)
	if err != nil {
		stop()
		conn.Close()
		return nil, nil, err
	}
	return c, text, nil
}

func (s *Sender) handshake(ctx context.Context, conn net.Conn) (*smtp.Client, *wire, error) {
	tlsCfg, err := s.tlsConfig()
	if err != nil {
		return nil, nil, err
	}
	var (
		c    *smtp.Client
		text *wire
	)
	switch s.cfg.TLS {
	case TLSImplicit:
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, nil, err
		}
		text = newWire(tc)
		c = smtp.NewClient(text)
	case TLSStartTLS:
		// go-smtp greets as "localhost" before STARTTLS; HeloName is
		// used for the EHLO that follows (RFC 3207 §4.2).
		if c, err = smtp.NewClientStartTLS(newWire(conn), tlsCfg); err != nil {
			return nil, nil, err
		}
	case TLSNone:
		text = newWire(conn)
		c = smtp.NewClient(text)
	default:
		return nil, nil, notify.ChannelFault(fmt.Errorf("tls: must be one of implicit, starttls, none, not %q", s.cfg.TLS))
	}
	c.CommandTimeout, c.SubmissionTimeout = s.cfg.Timeout, s.cfg.Timeout
	return c, text, c.Hello(s.cfg.HeloName)
}

func (s *Sender) tlsConfig() (*tls.Config, error) {
	host, _, err := net.SplitHostPort(s.cfg.Address)
	if err != nil {
		return nil, notify.ChannelFault(fmt.Errorf("address: %w", err))
	}
	return &tls.Config{
		ServerName:         host,
		RootCAs:            s.cfg.RootCAs,
		InsecureSkipVerify: s.cfg.InsecureSkipVerify, //nolint:gosec // explicit opt-in for tests
		MinVersion:         tls.VersionTLS12,
	}, nil
}

// auth authenticates with Config.Auth when set, else with PLAIN, or LOGIN
// when that is all the server offers (RFC 4954). Without a username it
// does nothing.
func (s *Sender) auth(ctx context.Context, c *smtp.Client) error {
	if s.cfg.Auth != nil {
		return s.authSASL(ctx, c)
	}
	if s.cfg.Username == "" {
		return nil
	}
	var mech sasl.Client
	switch {
	case c.SupportsAuth("PLAIN"):
		mech = sasl.NewPlainClient("", s.cfg.Username, s.cfg.Password)
	case c.SupportsAuth("LOGIN"):
		mech = sasl.NewLoginClient(s.cfg.Username, s.cfg.Password)
	default:
		return notify.ChannelFault(errors.New("server offers neither AUTH PLAIN nor AUTH LOGIN"))
	}
	return c.Auth(mech)
}

// authSASL authenticates with the Authenticator's mechanism. A refused
// token is dropped, so the outbox's next attempt fetches a fresh one; the
// refusal itself is a channel fault like a wrong password.
func (s *Sender) authSASL(ctx context.Context, c *smtp.Client) error {
	mech, err := s.cfg.Auth.SASLClient(ctx)
	if err != nil {
		return notify.ChannelFault(fmt.Errorf("get credential: %w", err))
	}
	name, _, _ := mech.Start()
	if !c.SupportsAuth(name) {
		return notify.ChannelFault(fmt.Errorf("server does not offer AUTH %s", name))
	}
	if err := c.Auth(mech); err != nil {
		var se *smtp.SMTPError // 535 from Exchange and Gmail, 454 from others
		if errors.As(err, &se) {
			s.cfg.Auth.Invalidate()
		}
		return err
	}
	return nil
}
