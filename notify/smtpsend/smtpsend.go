// Package smtpsend owns delivery of composed e-mail to an SMTP submission
// server (RFC 6409) over plain SMTP, STARTTLS (RFC 3207) or implicit TLS
// (RFC 8314), with optional AUTH PLAIN or LOGIN. It is the only package that
// speaks SMTP as a client; go-smtp stays inside it.
//
// What always holds: Send transmits Outgoing.Payload byte for byte, with
// MAIL FROM Outgoing.From and one RCPT TO Outgoing.To, on a fresh connection
// per message; it never renders or changes a message. A message counts as
// sent only when the server has answered 250 to the end of DATA. The
// context's deadline and cancellation interrupt any step; Config.Timeout
// bounds the whole exchange.
//
// How it fails: every error is a *notify.Error. SMTP replies keep their
// code: 4xx is temporary, 5xx permanent (so a 535 authentication failure is
// permanent). Dial, network and timeout errors are temporary. TLS
// certificate verification failures are permanent: retrying the same
// message against the same server will fail the same way until someone
// fixes the certificate or the configuration, and the outbox should surface
// that rather than retry quietly. A server without a supported AUTH
// mechanism, or a bad Config, is also permanent. A server that does not
// offer STARTTLS when starttls is configured fails the send (temporary:
// go-smtp reports it untyped); plaintext is never used as a fallback.
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

// Send delivers o, which must be an e-mail.
func (s *Sender) Send(ctx context.Context, o *notify.Outgoing) error {
	if o.Channel != notify.ChannelEmail {
		return notify.Permanent(fmt.Errorf("smtpsend: %w: %q", notify.ErrWrongChannel, o.Channel))
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := s.send(ctx, o); err != nil {
		return classify(ctx, fmt.Errorf("smtpsend: %s to %s: %w", o.Kind, s.cfg.Address, err))
	}
	return nil
}

func (s *Sender) send(ctx context.Context, o *notify.Outgoing) error {
	c, err := s.connect(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := s.auth(c); err != nil {
		return err
	}
	if err := c.SendMail(o.From, []string{o.To}, bytesReader(o.Payload)); err != nil {
		return err
	}
	c.Quit() //nolint:errcheck // the message is accepted; a failed QUIT changes nothing
	return nil
}

// connect dials, sets up TLS as configured and greets the server. The
// connection is closed when ctx ends, which interrupts any blocked step.
func (s *Sender) connect(ctx context.Context) (*smtp.Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Address)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	c, err := s.handshake(ctx, conn)
	if err != nil {
		stop()
		conn.Close()
		return nil, err
	}
	return c, nil
}

func (s *Sender) handshake(ctx context.Context, conn net.Conn) (*smtp.Client, error) {
	tlsCfg, err := s.tlsConfig()
	if err != nil {
		return nil, err
	}
	var c *smtp.Client
	switch s.cfg.TLS {
	case TLSImplicit:
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		c = smtp.NewClient(tc)
	case TLSStartTLS:
		// go-smtp greets as "localhost" before STARTTLS; HeloName is
		// used for the EHLO that follows (RFC 3207 §4.2).
		if c, err = smtp.NewClientStartTLS(conn, tlsCfg); err != nil {
			return nil, err
		}
	case TLSNone:
		c = smtp.NewClient(conn)
	default:
		return nil, notify.Permanent(fmt.Errorf("tls: must be one of implicit, starttls, none, not %q", s.cfg.TLS))
	}
	c.CommandTimeout, c.SubmissionTimeout = s.cfg.Timeout, s.cfg.Timeout
	return c, c.Hello(s.cfg.HeloName)
}

func (s *Sender) tlsConfig() (*tls.Config, error) {
	host, _, err := net.SplitHostPort(s.cfg.Address)
	if err != nil {
		return nil, notify.Permanent(fmt.Errorf("address: %w", err))
	}
	return &tls.Config{
		ServerName:         host,
		RootCAs:            s.cfg.RootCAs,
		InsecureSkipVerify: s.cfg.InsecureSkipVerify, //nolint:gosec // explicit opt-in for tests
		MinVersion:         tls.VersionTLS12,
	}, nil
}

// auth authenticates with PLAIN, or LOGIN when that is all the server
// offers (RFC 4954). Without a username it does nothing.
func (s *Sender) auth(c *smtp.Client) error {
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
		return notify.Permanent(errors.New("server offers neither AUTH PLAIN nor AUTH LOGIN"))
	}
	return c.Auth(mech)
}
