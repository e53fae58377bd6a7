package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// ErrNoAuth is returned when the server offers neither AUTH=PLAIN nor LOGIN.
var ErrNoAuth = errors.New("server offers no usable authentication (LOGINDISABLED without AUTH=PLAIN)")

// dial connects according to cfg.TLS and waits for the greeting, all
// within DialTimeout.
func (in *Intake) dial(ctx context.Context, opts *imapclient.Options) (*imapclient.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, in.cfg.DialTimeout)
	defer cancel()
	c, err := in.connect(ctx, opts)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop() // runs before cancel
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return nil, fmt.Errorf("greeting: %w", err)
	}
	return c, nil
}

// connect opens the TCP connection and does TLS per cfg.TLS.
func (in *Intake) connect(ctx context.Context, opts *imapclient.Options) (*imapclient.Client, error) {
	tlsConfig, err := in.tlsConfig()
	if err != nil {
		return nil, err
	}
	nd := &net.Dialer{} // TCP keep-alive on: a dead peer is noticed during IDLE
	if in.cfg.TLS == TLSImplicit {
		conn, err := (&tls.Dialer{NetDialer: nd, Config: tlsConfig}).DialContext(ctx, "tcp", in.cfg.Address)
		if err != nil {
			return nil, fmt.Errorf("dial (implicit TLS): %w", err)
		}
		return imapclient.New(conn, opts), nil
	}
	conn, err := nd.DialContext(ctx, "tcp", in.cfg.Address)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	if in.cfg.TLS != TLSStartTLS {
		return imapclient.New(conn, opts), nil
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() }) // bound the handshake
	defer stop()
	o := *opts
	o.TLSConfig = tlsConfig
	c, err := imapclient.NewStartTLS(conn, &o) // RFC 9051 §6.2.1
	if err != nil {
		return nil, fmt.Errorf("starttls: %w", err)
	}
	return c, nil
}

// tlsConfig clones cfg.TLSConfig and sets ServerName from the address.
func (in *Intake) tlsConfig() (*tls.Config, error) {
	tc := &tls.Config{}
	if in.cfg.TLSConfig != nil {
		tc = in.cfg.TLSConfig.Clone()
	}
	if tc.ServerName == "" {
		host, _, err := net.SplitHostPort(in.cfg.Address)
		if err != nil {
			return nil, fmt.Errorf("imap.address: %w", err)
		}
		tc.ServerName = host
	}
	if tc.NextProtos == nil && in.cfg.TLS == TLSImplicit {
		tc.NextProtos = []string{"imap"}
	}
	return tc, nil
}

// login authenticates with cfg.Auth when set, else with AUTH=PLAIN
// (RFC 4616) when offered, else LOGIN. Nothing is done when no Username
// is configured.
func (in *Intake) login(ctx context.Context, c *imapclient.Client) error {
	if in.cfg.Auth != nil {
		return in.loginSASL(ctx, c)
	}
	if in.cfg.Username == "" {
		return nil
	}
	caps := c.Caps()
	switch {
	case caps.Has(imap.Cap("AUTH=PLAIN")):
		if err := c.Authenticate(sasl.NewPlainClient("", in.cfg.Username, in.cfg.Password)); err != nil {
			return fmt.Errorf("authenticate PLAIN: %w", err)
		}
	case !caps.Has(imap.CapLoginDisabled):
		if err := c.Login(in.cfg.Username, in.cfg.Password).Wait(); err != nil {
			return fmt.Errorf("login: %w", err)
		}
	default:
		return ErrNoAuth
	}
	return nil
}

// loginSASL authenticates with the Authenticator's mechanism. A refused
// credential (an expired or revoked token) is dropped and one fresh one is
// tried on the same connection, so a token that lapsed while the session
// was down costs no reconnect.
func (in *Intake) loginSASL(ctx context.Context, c *imapclient.Client) error {
	var err error
	for attempt := range 2 {
		var mech sasl.Client
		if mech, err = in.cfg.Auth.SASLClient(ctx); err != nil {
			return fmt.Errorf("get credential: %w", err)
		}
		name, _, _ := mech.Start()
		if err = c.Authenticate(mech); err == nil {
			return nil
		}
		err = fmt.Errorf("authenticate %s: %w", name, err)
		if _, refused := isServerRefusal(err); !refused || attempt == 1 {
			break
		}
		in.cfg.Auth.Invalidate()
	}
	return err
}

// ensureMailboxes creates the registered and quarantine mailboxes when
// missing. Names go on the wire in modified UTF-7 (go-imap encodes them).
func (in *Intake) ensureMailboxes(c *imapclient.Client) error {
	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		return fmt.Errorf("list mailboxes: %w", err)
	}
	have := make([]string, 0, len(list))
	for _, l := range list {
		have = append(have, l.Mailbox)
	}
	for _, name := range []string{in.cfg.RegisteredMailbox, in.cfg.QuarantineMailbox} {
		if slices.Contains(have, name) {
			continue
		}
		err := c.Create(name, nil).Wait()
		var imapErr *imap.Error
		if err != nil && !(errors.As(err, &imapErr) && imapErr.Code == imap.ResponseCodeAlreadyExists) {
			return fmt.Errorf("create mailbox %q: %w", name, err)
		}
		in.log.Info("created mailbox", keyMailbox, name)
	}
	return nil
}
