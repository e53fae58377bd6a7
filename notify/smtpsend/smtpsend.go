// Package smtpsend owns delivery of composed e-mail to an SMTP submission
// server (RFC 6409) over plain SMTP, STARTTLS (RFC 3207) or implicit TLS
// (RFC 8314), with optional AUTH PLAIN or LOGIN. It is the only package that
// speaks SMTP as a client; go-smtp stays inside it.
//
// What always holds: Send transmits the complete message byte for byte (Notification.Payload, or a detached forward's pieces in turn), with
// MAIL FROM Notification.From and one RCPT TO Notification.To; it never
// renders or changes a message. A message counts as sent only when the
// server has answered 250 to the end of DATA. The context's deadline and
// cancellation interrupt any step; Config.Timeout bounds the whole
// exchange.
//
// Connections: a connection is set up (TLS, EHLO, AUTH) once and kept open
// for the next message, so a stream of messages costs one handshake, not
// one each. It carries one message at a time: a Send takes an idle
// connection for itself, or opens one, and hands it back when the server
// has accepted the message; concurrent Sends use connections of their
// own. A connection is kept only after a message went through (the
// server's transaction is then over, so no RSET is needed before the next
// MAIL FROM), or when a message too large for the server's SIZE was
// refused before anything was sent; after any other error, or when the
// context ends, it is closed (with QUIT when the server refused the
// message and still listens) and the next Send connects afresh. One idle
// for Config.IdleTimeout is closed with QUIT, as are all idle ones by
// Close. A kept connection the server has meanwhile closed (or answers
// with 421) fails before MAIL FROM is accepted, when nothing of the
// message has gone out: Send then tries once more on a fresh connection,
// and only that attempt's error counts.
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
	"slices"
	"sync"
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

// DefaultIdleTimeout is how long a connection is kept open for the next
// message when Config.IdleTimeout is zero: long enough for a stream of
// notifications, well below the five minutes a server waits for a
// command (RFC 5321 §4.5.3.2.7).
const DefaultIdleTimeout = 30 * time.Second

// maxIdle is how many connections are kept open at most; the outbox sends
// one message at a time, so it uses one.
const maxIdle = 2

// quitTimeout bounds the QUIT that closes an idle connection.
const quitTimeout = 5 * time.Second

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
	// IdleTimeout is how long a connection is kept open after a message
	// for the next one; 0 means DefaultIdleTimeout, a negative value a new
	// connection for every message.
	IdleTimeout time.Duration
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

// Sender sends e-mail over SMTP. It is safe for concurrent use; a
// connection carries one message at a time (see the package comment).
type Sender struct {
	cfg Config // immutable
	// afterIdle starts the idle timer of a connection, calling f after d
	// unless the returned stop is called first (and reports true):
	// time.AfterFunc, or a test's fake clock. Immutable.
	afterIdle func(d time.Duration, f func()) (stop func() bool)

	mu   sync.Mutex
	idle []*conn // open between messages, the most recently used last
}

// conn is an open, greeted and authenticated connection.
type conn struct {
	c    *smtp.Client
	text *wire    // see connect
	raw  net.Conn // closed to interrupt a step when the context ends
	// While idle (guarded by Sender.mu): stop stops its timer; gen tells a
	// timer that fires late from the one of the current idle spell.
	stop func() bool
	gen  uint64
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
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	return &Sender{cfg: cfg, afterIdle: func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }}
}

// Close closes the connections kept open for the next message, with QUIT.
// The Sender stays usable: the next Send connects again.
func (s *Sender) Close() error {
	s.mu.Lock()
	idle := s.idle
	s.idle = nil
	for _, cn := range idle {
		cn.stop()
	}
	s.mu.Unlock()
	for _, cn := range idle {
		cn.quit()
	}
	return nil
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

// send sends o on an idle connection, or on a new one, and returns the
// step that failed. An idle connection the server has closed meanwhile
// fails before anything of o went out (stale); o is then sent once more
// on a new connection.
func (s *Sender) send(ctx context.Context, o *synpunkt.Notification) (string, error) {
	if cn := s.takeIdle(); cn != nil {
		op, err := s.transact(ctx, cn, o)
		if err == nil || !stale(ctx, op, err) {
			return op, err
		}
	}
	cn, op, err := s.open(ctx)
	if err != nil {
		return op, err
	}
	return s.transact(ctx, cn, o)
}

// transact runs the SMTP transaction for o on cn, which it owns, and
// returns the step that failed. cn is kept for the next message when the
// transaction left it clean (see the package comment), else closed.
func (s *Sender) transact(ctx context.Context, cn *conn, o *synpunkt.Notification) (string, error) {
	stop := context.AfterFunc(ctx, func() { cn.raw.Close() })
	op, err, clean := s.transaction(cn, o)
	if !stop() { // the context ended: cn is closed, maybe mid-step
		cn.c.Close()
		return op, err
	}
	var se *smtp.SMTPError
	switch {
	case clean:
		s.putIdle(cn)
	case errors.As(err, &se) && se.Code != 421:
		cn.quit() // the server refused the message and still listens
	default:
		cn.c.Close()
	}
	return op, err
}

// transaction sends o on cn: MAIL FROM, RCPT TO, DATA. clean reports
// whether the connection is between transactions and healthy afterwards:
// after a message accepted, or one refused for its size before MAIL FROM.
func (s *Sender) transaction(cn *conn, o *synpunkt.Notification) (op string, err error, clean bool) {
	c := cn.c
	size := int64(o.Size())
	if limit, ok := c.MaxMessageSize(); ok && limit > 0 && size > int64(limit) {
		return opMail, &notify.TooLargeError{Size: size, Limit: int64(limit)}, true
	}
	if err := c.Mail(o.From, &smtp.MailOptions{Size: size}); err != nil {
		return opMail, tooLarge(err, size, c), false
	}
	if err := c.Rcpt(o.To, nil); err != nil {
		return opRcpt, err, false
	}
	if err := s.data(c, cn.text, o); err != nil {
		return opData, tooLarge(err, size, c), false
	}
	return "", nil, true
}

// stale reports whether err, at step op on a connection that had been
// idle, means the server had closed it, or was closing it (421), before
// it took MAIL FROM: nothing of the message has gone out, and a fresh
// connection may well succeed. A reply other than 421, or a size refused
// before MAIL FROM, is the server's word on this message and stands.
func stale(ctx context.Context, op string, err error) bool {
	if op != opMail || ctx.Err() != nil {
		return false
	}
	var (
		se *smtp.SMTPError
		tl *notify.TooLargeError
	)
	if errors.As(err, &tl) {
		return false
	}
	return !errors.As(err, &se) || se.Code == 421
}

// open connects, greets and authenticates, and returns the step that
// failed. The context interrupts every step.
func (s *Sender) open(ctx context.Context) (*conn, string, error) {
	cn, err := s.connect(ctx)
	if err != nil {
		return nil, opConnect, err
	}
	stop := context.AfterFunc(ctx, func() { cn.raw.Close() })
	err = s.auth(ctx, cn.c)
	if !stop() && err == nil {
		err = net.ErrClosed // the context ended just now
	}
	if err != nil {
		cn.c.Close()
		return nil, opAuth, err
	}
	return cn, "", nil
}

// takeIdle returns the most recently used idle connection, now the
// caller's alone, or nil.
func (s *Sender) takeIdle() *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.idle) == 0 {
		return nil
	}
	cn := s.idle[len(s.idle)-1]
	s.idle = s.idle[:len(s.idle)-1]
	cn.stop()
	return cn
}

// putIdle keeps cn for the next message until it has been idle for
// Config.IdleTimeout, or closes it when connections are not kept or
// maxIdle already are.
func (s *Sender) putIdle(cn *conn) {
	s.mu.Lock()
	if s.cfg.IdleTimeout < 0 || len(s.idle) >= maxIdle {
		s.mu.Unlock()
		cn.quit()
		return
	}
	cn.gen++
	gen := cn.gen
	cn.stop = s.afterIdle(s.cfg.IdleTimeout, func() { s.expire(cn, gen) })
	s.idle = append(s.idle, cn)
	s.mu.Unlock()
}

// expire closes cn when it is still in the idle spell gen, i.e. no Send
// took it since.
func (s *Sender) expire(cn *conn, gen uint64) {
	s.mu.Lock()
	i := slices.Index(s.idle, cn)
	if i < 0 || cn.gen != gen {
		s.mu.Unlock()
		return
	}
	s.idle = slices.Delete(s.idle, i, i+1)
	s.mu.Unlock()
	cn.quit()
}

// quit says QUIT, waiting quitTimeout at most for the reply, and closes.
func (cn *conn) quit() {
	cn.c.CommandTimeout = quitTimeout
	cn.c.Quit() //nolint:errcheck // closing anyway
	cn.c.Close()
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
// connection is closed when ctx ends before it is set up, which
// interrupts any blocked step. Writes go through a wire (few large
// writes); text is the wire that carries the plain SMTP text, nil with
// STARTTLS, where go-smtp puts TLS over it.
func (s *Sender) connect(ctx context.Context) (*conn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", s.cfg.Address)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	c, text, err := s.handshake(ctx, raw)
	if !stop() && err == nil {
		err = net.ErrClosed // the context ended just now
	}
	if err != nil {
		raw.Close()
		return nil, err
	}
	return &conn{c: c, text: text, raw: raw}, nil
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
