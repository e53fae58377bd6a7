// Package smtpsink owns an in-process SMTP server that accepts mail and keeps
// it in memory, for `synpunkt demo` and for tests that need a real SMTP peer.
//
// What always holds: every message accepted with 250 is in Messages, in the
// order accepted, with its envelope and the exact DATA bytes (dot-unstuffed,
// CRLF as sent). A message answered with an error is never recorded. It
// listens on the address given (use "127.0.0.1:0") and supports plain
// SMTP, STARTTLS and implicit TLS with a self-signed certificate whose pool
// is exposed for clients, optional AUTH PLAIN/LOGIN, an optional SIZE limit,
// and injected failures (at RCPT or the end of DATA), rejected recipients and
// delays.
//
// How it fails: Start returns listener and certificate errors. Once running
// it does not fail; protocol errors are answered to the client. Close stops
// accepting, closes open connections and waits for the serving goroutine.
package smtpsink

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one accepted message.
type Received struct {
	From string   // MAIL FROM address, "" for the null sender
	To   []string // RCPT TO addresses
	Data []byte   // the message as sent after DATA
	At   time.Time
}

// Option configures a Sink.
type Option func(*config)

type config struct {
	user, pass string
	mechs      []string
	tls        string // "", "starttls", "implicit"
	maxSize    int64  // SIZE announced and enforced; 0: none
	// bearer checks an OAuth2 token for XOAUTH2/OAUTHBEARER; nil: not offered.
	bearer func(user, token string) bool
}

// WithAuth requires authentication with username and password before MAIL.
// mechs lists the SASL mechanisms offered ("PLAIN", "LOGIN"); none means
// PLAIN only.
func WithAuth(username, password string, mechs ...string) Option {
	return func(c *config) {
		c.user, c.pass, c.mechs = username, password, mechs
		if len(mechs) == 0 {
			c.mechs = []string{"PLAIN"}
		}
	}
}

// WithOAuth2 offers AUTH XOAUTH2 and OAUTHBEARER (RFC 7628), accepting a
// token for which check(user, token) is true, as Exchange Online and Gmail
// do for SMTP submission.
func WithOAuth2(check func(user, token string) bool) Option {
	return func(c *config) {
		c.bearer = check
		c.mechs = append(c.mechs, "XOAUTH2", "OAUTHBEARER")
		if c.user == "" {
			c.user = "\x00oauth2-only" // AUTH required; no password matches
		}
	}
}

// WithStartTLS offers STARTTLS with a self-signed certificate for localhost
// and 127.0.0.1. AUTH is then only offered after STARTTLS.
func WithStartTLS() Option { return func(c *config) { c.tls = "starttls" } }

// WithImplicitTLS makes the listener speak TLS from the first byte (RFC 8314).
func WithImplicitTLS() Option { return func(c *config) { c.tls = "implicit" } }

// WithMaxSize announces SIZE n in EHLO (RFC 1870) and answers 552 to a
// larger message, as Postfix does with message_size_limit.
func WithMaxSize(n int64) Option { return func(c *config) { c.maxSize = n } }

// Sink is a running SMTP sink. Its methods are safe for concurrent use.
type Sink struct {
	srv  *smtp.Server
	ln   net.Listener
	cfg  config
	pool *x509.CertPool // nil without TLS
	pem  []byte         // the certificate in PEM; nil without TLS
	wg   sync.WaitGroup

	mu      sync.Mutex
	msgs    []Received
	changed chan struct{} // closed and replaced when msgs grows
	fails   []*smtp.SMTPError
	rcpt    []*smtp.SMTPError // failures injected at RCPT
	reject  map[string]int    // recipient -> permanent RCPT reply code
	delay   time.Duration     // before answering the end of DATA
	open    int               // connections not yet ended
}

// Open is how many client connections are open (greeted and not yet
// ended by QUIT or a close).
func (s *Sink) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

// Start listens on addr and serves until Close.
func Start(addr string, opts ...Option) (*Sink, error) {
	s := &Sink{changed: make(chan struct{})}
	for _, o := range opts {
		o(&s.cfg)
	}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.AllowInsecureAuth = s.cfg.tls == ""
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.MaxMessageBytes = s.cfg.maxSize
	ln, err := s.listen(addr, srv)
	if err != nil {
		return nil, err
	}
	s.srv, s.ln = srv, ln
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		srv.Serve(ln) //nolint:errcheck // returns nil or a listener error after Close
	}()
	return s, nil
}

// listen opens the listener and sets up TLS as configured.
func (s *Sink) listen(addr string, srv *smtp.Server) (net.Listener, error) {
	var tlsCfg *tls.Config
	if s.cfg.tls != "" {
		cert, pool, pem, err := selfSigned()
		if err != nil {
			return nil, fmt.Errorf("smtpsink: certificate: %w", err)
		}
		s.pool, s.pem = pool, pem
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtpsink: %w", err)
	}
	switch s.cfg.tls {
	case "implicit":
		return tls.NewListener(ln, tlsCfg), nil
	case "starttls":
		srv.TLSConfig = tlsCfg
	}
	return ln, nil
}

// Addr returns the listening address, e.g. "127.0.0.1:41234".
func (s *Sink) Addr() string { return s.ln.Addr().String() }

// RootCAs returns a pool trusting the sink's certificate, or nil without TLS.
func (s *Sink) RootCAs() *x509.CertPool { return s.pool }

// CertPEM returns the sink's certificate in PEM (a CA file that trusts
// it), or nil without TLS.
func (s *Sink) CertPEM() []byte { return s.pem }

// Close stops the server and waits for it.
func (s *Sink) Close() error {
	err := s.srv.Close()
	s.wg.Wait()
	return err
}

// FailNext makes the next n messages be answered at the end of DATA with
// the given SMTP reply code (e.g. 451 or 550) instead of being accepted.
func (s *Sink) FailNext(n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.fails = append(s.fails, &smtp.SMTPError{
			Code:         code,
			EnhancedCode: smtp.EnhancedCodeNotSet,
			Message:      fmt.Sprintf("smtpsink: injected failure %d", code),
		})
	}
}

// FailNextRcpt makes the next n RCPT commands be answered with code
// (e.g. 450) instead of being accepted.
func (s *Sink) FailNextRcpt(n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.rcpt = append(s.rcpt, &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet,
			Message: fmt.Sprintf("smtpsink: injected failure %d", code)})
	}
}

// RejectRecipient makes every RCPT TO addr be answered with code and the
// text Postfix gives, which names the address:
// "550 5.1.1 <addr>: Recipient address rejected: User unknown". Code 0
// accepts addr again.
func (s *Sink) RejectRecipient(addr string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reject == nil {
		s.reject = map[string]int{}
	}
	if code == 0 {
		delete(s.reject, addr)
		return
	}
	s.reject[addr] = code
}

// SetDelay makes the sink wait d before answering the end of DATA, like a
// slow relay. The message counts as accepted when the answer is sent.
func (s *Sink) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// rcptError returns the failure to answer RCPT TO addr with, or nil.
func (s *Sink) rcptError(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code, ok := s.reject[addr]; ok {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "<" + addr + ">: Recipient address rejected: User unknown in local recipient table"}
	}
	if len(s.rcpt) > 0 {
		err := s.rcpt[0]
		s.rcpt = s.rcpt[1:]
		return err
	}
	return nil
}

func (s *Sink) getDelay() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delay
}

// Messages returns a copy of the accepted messages.
func (s *Sink) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// Wait blocks until at least n messages have been accepted and returns them,
// or returns the context's error.
func (s *Sink) Wait(ctx context.Context, n int) ([]Received, error) {
	for {
		s.mu.Lock()
		msgs, changed := append([]Received(nil), s.msgs...), s.changed
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return msgs, fmt.Errorf("smtpsink: waiting for %d messages, have %d: %w", n, len(msgs), ctx.Err())
		}
	}
}

// deliver either records msg or returns the next injected failure.
func (s *Sink) deliver(msg Received) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.fails) > 0 {
		err := s.fails[0]
		s.fails = s.fails[1:]
		return err
	}
	s.msgs = append(s.msgs, msg)
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}
