package smtpsend

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/testcert"
	"github.com/exempelby/synpunkt/notify"
)

// reuseServer is go-smtp's server in process, counting at its listener
// and in its sessions what reusing connections is about: connections
// accepted, logins, TLS handshakes and QUITs seen. It can drop every open
// connection, as a server does that closes idle ones, and answer the next
// MAIL FROMs with 421.
type reuseServer struct {
	srv  *smtp.Server
	ln   net.Listener
	cert *testcert.Cert

	mu                            sync.Mutex
	open                          []net.Conn
	accepted, logins, tlss, quits int
	mail421                       int // MAIL FROMs still to answer with 421
	msgs                          []string
	mailFrom, rcptTo              []string
}

// startReuseServer starts a server with AUTH PLAIN (user svc, password
// hemligt) and the given TLS mode, announcing SIZE maxSize unless 0.
func startReuseServer(t *testing.T, mode string, maxSize ...int64) *reuseServer {
	t.Helper()
	cert, err := testcert.New("localhost")
	if err != nil {
		t.Fatal(err)
	}
	rs := &reuseServer{cert: cert}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &reuseSession{rs: rs}, nil }))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if len(maxSize) > 0 {
		srv.MaxMessageBytes = maxSize[0]
	}
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert.TLS}, MinVersion: tls.VersionTLS12,
		GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { rs.count(&rs.tlss); return nil, nil }}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rs.ln = &countingListener{Listener: ln, rs: rs}
	switch mode {
	case TLSImplicit:
		rs.ln = tls.NewListener(rs.ln, tlsCfg)
	case TLSStartTLS:
		srv.TLSConfig = tlsCfg
	}
	rs.srv = srv
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(rs.ln) }() //nolint:errcheck // nil or a listener error after Close
	t.Cleanup(func() { srv.Close(); <-done })
	return rs
}

func (rs *reuseServer) count(n *int) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	*n++
}

// counts returns the connections accepted, logins, TLS handshakes, QUITs
// and messages so far.
func (rs *reuseServer) counts() (accepted, logins, tlss, quits, msgs int) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.accepted, rs.logins, rs.tlss, rs.quits, len(rs.msgs)
}

// dropAll closes every open connection from the server's side.
func (rs *reuseServer) dropAll() {
	rs.mu.Lock()
	open := rs.open
	rs.open = nil
	rs.mu.Unlock()
	for _, c := range open {
		c.Close()
	}
}

func (rs *reuseServer) sender(mode string) *Sender {
	return New(Config{Address: rs.ln.Addr().String(), TLS: mode, Username: "svc", Password: "hemligt", RootCAs: rs.cert.Pool, Timeout: 5 * time.Second})
}

type countingListener struct {
	net.Listener
	rs *reuseServer
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.rs.mu.Lock()
	l.rs.accepted++
	l.rs.open = append(l.rs.open, c)
	l.rs.mu.Unlock()
	return &sniffConn{Conn: c, rs: l.rs}, nil
}

// sniffConn counts the QUITs a plain connection reads.
type sniffConn struct {
	net.Conn
	rs *reuseServer
}

func (c *sniffConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if bytes.HasPrefix(p[:n], []byte("QUIT\r\n")) {
		c.rs.count(&c.rs.quits)
	}
	return n, err
}

type reuseSession struct {
	rs     *reuseServer
	authed bool
	from   string
	to     []string
}

func (s *reuseSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *reuseSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "svc" || pass != "hemligt" {
			return smtp.ErrAuthFailed
		}
		s.rs.count(&s.rs.logins)
		s.authed = true
		return nil
	}), nil
}

func (s *reuseSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.rs.mu.Lock()
	defer s.rs.mu.Unlock()
	if s.rs.mail421 > 0 {
		s.rs.mail421--
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "idle too long, closing"}
	}
	s.from = from
	return nil
}

func (s *reuseSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "okand") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "user unknown"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *reuseSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.rs.mu.Lock()
	defer s.rs.mu.Unlock()
	s.rs.msgs = append(s.rs.msgs, string(b))
	s.rs.mailFrom, s.rs.rcptTo = append(s.rs.mailFrom, s.from), append(s.rs.rcptTo, strings.Join(s.to, ","))
	return nil
}

func (s *reuseSession) Reset()        { s.from, s.to = "", nil }
func (s *reuseSession) Logout() error { return nil }

// message returns notification i, its body naming i.
func message(i int) *synpunkt.Notification {
	return &synpunkt.Notification{Channel: synpunkt.MediumEmail, Kind: synpunkt.KindReceipt, From: "synpunkter@exempelby.se",
		To: fmt.Sprintf("medborgare%d@example.com", i), Payload: []byte(fmt.Sprintf("Subject: Kvitto %d\r\n\r\n.Tack %d\r\n", i, i))}
}

// Many messages go out on one connection, set up once: one TLS handshake,
// one login, in every TLS mode; each arrives whole with its own envelope.
func TestMessagesShareOneConnection(t *testing.T) {
	for _, mode := range []string{TLSNone, TLSStartTLS, TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			rs := startReuseServer(t, mode)
			s := rs.sender(mode)
			const n = 5
			for i := range n {
				if err := s.Send(t.Context(), message(i)); err != nil {
					t.Fatalf("Send %d: %v", i, err)
				}
			}
			accepted, logins, tlss, _, msgs := rs.counts()
			wantTLS := map[string]int{TLSNone: 0, TLSStartTLS: 1, TLSImplicit: 1}[mode]
			if accepted != 1 || logins != 1 || tlss != wantTLS || msgs != n {
				t.Errorf("%d messages: %d connections, %d logins, %d TLS handshakes, %d delivered; want 1, 1, %d, %d",
					n, accepted, logins, tlss, msgs, wantTLS, n)
			}
			rs.mu.Lock()
			defer rs.mu.Unlock()
			for i, m := range rs.msgs {
				if want := message(i); m != string(want.Payload) || rs.mailFrom[i] != want.From || rs.rcptTo[i] != want.To {
					t.Errorf("message %d: %q from %q to %q, want %q from %q to %q", i, m, rs.mailFrom[i], rs.rcptTo[i], want.Payload, want.From, want.To)
				}
			}
		})
	}
}

// A server that closed the kept connection between two messages: the next
// message goes out on a new one, set up and logged in afresh, and Send
// reports no error.
func TestDroppedConnectionIsReplaced(t *testing.T) {
	for _, mode := range []string{TLSNone, TLSStartTLS, TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			rs := startReuseServer(t, mode)
			s := rs.sender(mode)
			for i := range 3 {
				rs.dropAll()
				if err := s.Send(t.Context(), message(i)); err != nil {
					t.Fatalf("Send %d after the server dropped the connection: %v", i, err)
				}
			}
			wantTLS := map[string]int{TLSNone: 0, TLSStartTLS: 3, TLSImplicit: 3}[mode]
			if accepted, logins, tlss, _, msgs := rs.counts(); accepted != 3 || logins != 3 || tlss != wantTLS || msgs != 3 {
				t.Errorf("3 messages, each after a drop: %d connections, %d logins, %d TLS handshakes, %d delivered; want 3, 3, %d, 3",
					accepted, logins, tlss, msgs, wantTLS)
			}
		})
	}
}

// A 421 to MAIL FROM on a kept connection (a server closing idle ones
// says so) is retried once on a new connection; a second 421 there is
// the server's answer and reported as before: a channel fault at mail.
func TestIdle421IsRetriedOnce(t *testing.T) {
	rs := startReuseServer(t, TLSNone)
	s := rs.sender(TLSNone)
	if err := s.Send(t.Context(), message(0)); err != nil {
		t.Fatal(err)
	}
	rs.mu.Lock()
	rs.mail421 = 1
	rs.mu.Unlock()
	if err := s.Send(t.Context(), message(1)); err != nil {
		t.Fatalf("Send after a 421 on the kept connection: %v", err)
	}
	if accepted, _, _, _, msgs := rs.counts(); accepted != 2 || msgs != 2 {
		t.Fatalf("%d connections, %d delivered; want 2, 2", accepted, msgs)
	}
	rs.mu.Lock()
	rs.mail421 = 2
	rs.mu.Unlock()
	err := s.Send(t.Context(), message(2))
	var ne *notify.Error
	if !errors.As(err, &ne) || ne.Op != opMail || ne.Code != 421 || !ne.Channel || !ne.Temporary {
		t.Fatalf("Send with 421 on the kept and the new connection = %v, want a temporary channel fault at mail, code 421", err)
	}
	if accepted, _, _, _, msgs := rs.counts(); accepted != 3 || msgs != 2 {
		t.Errorf("%d connections, %d delivered; want 3 (one retry, not more), 2", accepted, msgs)
	}
	// A 421 on a new connection is not retried.
	rs.mu.Lock()
	rs.mail421 = 1
	rs.mu.Unlock()
	if err := s.Send(t.Context(), message(3)); !errors.As(err, &ne) || ne.Code != 421 {
		t.Fatalf("Send with 421 on a new connection = %v, want the 421", err)
	}
	if accepted, _, _, _, _ := rs.counts(); accepted != 4 {
		t.Errorf("%d connections, want 4", accepted)
	}
}

// After a refused recipient the connection is closed with QUIT and the
// next message connects again.
func TestConnectionAfterRefusal(t *testing.T) {
	rs := startReuseServer(t, TLSNone)
	s := rs.sender(TLSNone)
	o := message(0)
	o.To = "okand@example.com"
	err := s.Send(t.Context(), o)
	var ne *notify.Error
	if !errors.As(err, &ne) || ne.Op != opRcpt || ne.Code != 550 || ne.Temporary || ne.Channel {
		t.Fatalf("Send to an unknown recipient = %v, want a permanent error at rcpt, code 550", err)
	}
	if err := s.Send(t.Context(), message(1)); err != nil {
		t.Fatal(err)
	}
	if accepted, _, _, quits, _ := rs.counts(); accepted != 2 || quits != 1 {
		t.Fatalf("after a 550: %d connections, %d QUITs; want a new connection (2), the old one quit (1)", accepted, quits)
	}
}

// A message refused for its size before MAIL FROM (nothing was sent)
// leaves the connection in use.
func TestConnectionAfterTooLarge(t *testing.T) {
	rs := startReuseServer(t, TLSNone, 100)
	s := rs.sender(TLSNone)
	if err := s.Send(t.Context(), message(0)); err != nil {
		t.Fatal(err)
	}
	big := message(1)
	big.Payload = bytes.Repeat([]byte("x"), 200)
	var (
		tl *notify.TooLargeError
		ne *notify.Error
	)
	if err := s.Send(t.Context(), big); !errors.As(err, &tl) || !errors.As(err, &ne) || ne.Op != opMail {
		t.Fatalf("Send of 200 bytes to SIZE 100 = %v, want a TooLargeError at mail", err)
	}
	if err := s.Send(t.Context(), message(2)); err != nil {
		t.Fatal(err)
	}
	if accepted, _, _, _, msgs := rs.counts(); accepted != 1 || msgs != 2 {
		t.Errorf("around a size refused before MAIL FROM: %d connections, %d delivered; want 1, 2", accepted, msgs)
	}
}

// fakeTimers stands in for time.AfterFunc: the test fires a timer.
type fakeTimers struct {
	mu     sync.Mutex
	timers []*fakeTimer
}

type fakeTimer struct {
	d       time.Duration
	f       func()
	stopped bool
}

func (ft *fakeTimers) afterFunc(d time.Duration, f func()) func() bool {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	t := &fakeTimer{d: d, f: f}
	ft.timers = append(ft.timers, t)
	return func() bool {
		ft.mu.Lock()
		defer ft.mu.Unlock()
		was := t.stopped
		t.stopped = true
		return !was
	}
}

// last returns the timer started last.
func (ft *fakeTimers) last() *fakeTimer {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.timers[len(ft.timers)-1]
}

// A connection idle for IdleTimeout is closed with QUIT, and the next
// message connects again; a timer that fires after a Send took the
// connection (its stop came too late) leaves it open.
func TestIdleConnectionIsClosed(t *testing.T) {
	rs := startReuseServer(t, TLSNone)
	s := rs.sender(TLSNone)
	s.cfg.IdleTimeout = 42 * time.Second
	var ft fakeTimers
	s.afterIdle = ft.afterFunc
	if err := s.Send(t.Context(), message(0)); err != nil {
		t.Fatal(err)
	}
	first := ft.last()
	if first.d != 42*time.Second {
		t.Fatalf("idle timer set to %v, want IdleTimeout", first.d)
	}
	if err := s.Send(t.Context(), message(1)); err != nil {
		t.Fatal(err)
	}
	first.f() // late: the connection was taken and is idle again
	if err := s.Send(t.Context(), message(2)); err != nil {
		t.Fatal(err)
	}
	if accepted, _, _, quits, _ := rs.counts(); accepted != 1 || quits != 0 {
		t.Fatalf("after a late timer: %d connections, %d QUITs; want 1, 0", accepted, quits)
	}
	ft.last().f()
	if _, _, _, quits, _ := rs.counts(); quits != 1 {
		t.Fatalf("idle timeout: %d QUITs, want 1", quits)
	}
	if err := s.Send(t.Context(), message(3)); err != nil {
		t.Fatal(err)
	}
	if accepted, logins, _, _, msgs := rs.counts(); accepted != 2 || logins != 2 || msgs != 4 {
		t.Errorf("after the idle timeout: %d connections, %d logins, %d delivered; want 2, 2, 4", accepted, logins, msgs)
	}
}

// Concurrent Sends never share a connection: every message arrives whole
// with its own envelope, and no more connections are opened than Sends
// run at once.
func TestConcurrentSendsUseOwnConnections(t *testing.T) {
	rs := startReuseServer(t, TLSNone)
	s := rs.sender(TLSNone)
	const workers, each = 4, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if err := s.Send(t.Context(), message(w*each+i)); err != nil {
					t.Errorf("Send %d: %v", w*each+i, err)
				}
			}
		})
	}
	wg.Wait()
	accepted, _, _, _, msgs := rs.counts()
	if msgs != workers*each {
		t.Fatalf("%d delivered, want %d", msgs, workers*each)
	}
	t.Logf("%d Sends from %d goroutines on %d connections", msgs, workers, accepted)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for k, m := range rs.msgs {
		var i int
		if _, err := fmt.Sscanf(m, "Subject: Kvitto %d", &i); err != nil || m != string(message(i).Payload) || rs.rcptTo[k] != message(i).To {
			t.Errorf("message %d arrived as %q to %q", k, m, rs.rcptTo[k])
		}
	}
}
