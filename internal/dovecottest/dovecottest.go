// Package dovecottest runs a real Dovecot IMAP server for tests.
//
// What it owns: one dovecot master process per Start, its configuration, its
// sockets, its log and its maildir, all inside t.TempDir(). Nothing outside
// that directory is read or written apart from the dovecot binary itself.
//
// What always holds: the server listens on 127.0.0.1 only; the port, the
// user, the password and the maildir stay the same across Stop/Start and
// Restart, so a client can reconnect to the same address and find the same
// mail. The process is stopped by t.Cleanup, and Dovecot's log is written
// to the test log when the test has failed.
//
// How it fails: when no dovecot binary is installed the test is skipped with
// a visible message, unless SYNPUNKT_REQUIRE_DOVECOT=1 is set, in which case
// it fails so CI never skips silently. Any other problem (config rejected,
// port never answering, IMAP command failing) fails the test with t.Fatal.
//
// Root quirks: Dovecot refuses to run imap-login as root and refuses mail
// processes with uid 0. Under root, login processes run as dovenull (or
// nobody), mail processes as nobody, and the temp directory is opened up so
// those users can reach it. Under any other user, every Dovecot process runs
// as that user and chroots are turned off.
package dovecottest

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// RequireEnv is the environment variable that turns a missing dovecot binary
// from a skip into a failure.
const RequireEnv = "SYNPUNKT_REQUIRE_DOVECOT"

// LogEnv is the environment variable that, set to 1, writes Dovecot's log to
// the test log even when the test passed.
const LogEnv = "SYNPUNKT_DOVECOT_LOG"

const (
	defaultUser     = "synpunkt"
	defaultPassword = "hemligt-lösen"
	startTimeout    = 15 * time.Second
	stopTimeout     = 10 * time.Second
)

// Option changes how Start configures the server.
type Option func(*options)

type options struct {
	tls      bool
	user     string
	password string
	caps     string
	// introspectionURL turns on the oauth2 passdb; "" without WithOAuth2.
	introspectionURL string
}

// WithTLS enables SSL with a generated self-signed certificate: STARTTLS on
// Addr and implicit TLS on TLSAddr. Use Server.TLSConfig to trust it.
func WithTLS() Option { return func(o *options) { o.tls = true } }

// WithUser sets the test user's name and password.
func WithUser(name, password string) Option {
	return func(o *options) { o.user, o.password = name, password }
}

// WithCapability overrides the capability list Dovecot advertises after login
// (imap_capability), e.g. "IMAP4rev1 UIDPLUS" to hide IDLE and MOVE.
func WithCapability(caps string) Option { return func(o *options) { o.caps = caps } }

// WithOAuth2 adds Dovecot's oauth2 passdb for the XOAUTH2 and OAUTHBEARER
// mechanisms: a token is good when the RFC 7662 introspection endpoint at
// url (POST token=…) says it is active, and names the user in "username".
// PLAIN and LOGIN with the password keep working beside it.
func WithOAuth2(url string) Option { return func(o *options) { o.introspectionURL = url } }

// Server is a running (or stopped) Dovecot instance.
type Server struct {
	t    testing.TB
	opts options
	dir  string // immutable; root of everything Dovecot uses
	conf string // immutable; path of dovecot.conf
	port int    // immutable after Start
	// tlsPort is 0 without WithTLS; immutable after Start.
	tlsPort int
	// tlsConfig trusts the generated certificate; nil without WithTLS.
	tlsConfig *tls.Config

	mu   sync.Mutex
	cmd  *exec.Cmd     // nil when stopped
	done chan struct{} // closed when cmd has exited
}

// Start writes a configuration, starts Dovecot and waits until it greets.
// It registers t.Cleanup to stop it.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	bin := lookBinary(t)
	s := &Server{t: t, opts: options{user: defaultUser, password: defaultPassword}}
	for _, o := range opts {
		o(&s.opts)
	}
	s.dir = t.TempDir()
	s.conf = filepath.Join(s.dir, "dovecot.conf")
	t.Cleanup(s.dumpLogOnFailure)
	if err := s.prepareDirs(); err != nil {
		t.Fatalf("dovecottest: prepare dirs: %v", err)
	}
	if s.opts.tls {
		s.tlsConfig = s.writeCert(t)
	}
	s.startFresh(t, bin)
	t.Cleanup(s.Stop)
	return s
}

// startFresh picks free ports and starts, retrying when another process took
// a port between picking and binding.
func (s *Server) startFresh(t testing.TB, bin string) {
	t.Helper()
	var err error
	for range 3 {
		s.port, s.tlsPort = freePort(t), 0
		if s.opts.tls {
			s.tlsPort = freePort(t)
		}
		if err = s.writeConfig(); err != nil {
			t.Fatalf("dovecottest: write config: %v", err)
		}
		if err = s.start(bin); err == nil {
			return
		}
	}
	t.Fatalf("dovecottest: start: %v", err)
}

// binaries are tried in order; /usr/sbin is often not on a user's PATH.
var binaries = []string{"dovecot", "/usr/sbin/dovecot"}

func lookBinary(t testing.TB) string {
	t.Helper()
	for _, name := range binaries {
		if bin, err := exec.LookPath(name); err == nil {
			return bin
		}
	}
	const msg = "dovecot not installed (apt-get install dovecot-imapd): skipping Dovecot test"
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s=1 but %s", RequireEnv, strings.TrimSuffix(msg, ": skipping Dovecot test"))
		return ""
	}
	t.Skip(msg)
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("dovecottest: find free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Addr is the plain (and STARTTLS, with WithTLS) IMAP address, host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", fmt.Sprint(s.port)) }

// TLSAddr is the implicit-TLS (imaps) address; empty without WithTLS.
func (s *Server) TLSAddr() string {
	if s.tlsPort == 0 {
		return ""
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(s.tlsPort))
}

// TLSConfig returns a client config that trusts the server's certificate;
// nil without WithTLS. Each call returns a fresh clone.
func (s *Server) TLSConfig() *tls.Config {
	if s.tlsConfig == nil {
		return nil
	}
	return s.tlsConfig.Clone()
}

// User is the test user's login name.
func (s *Server) User() string { return s.opts.user }

// Password is the test user's password.
func (s *Server) Password() string { return s.opts.password }

// Dir is the root of the server's files (config, log, mail).
func (s *Server) Dir() string { return s.dir }

// MailDir is the maildir root of the test user.
func (s *Server) MailDir() string { return filepath.Join(s.dir, "mail", s.opts.user) }

// LogPath is the path of Dovecot's log file.
func (s *Server) LogPath() string { return filepath.Join(s.dir, "dovecot.log") }

// Start starts a stopped server on the same port with the same maildir.
// Starting a running server does nothing.
func (s *Server) Start() {
	s.t.Helper()
	s.mu.Lock()
	running := s.cmd != nil
	s.mu.Unlock()
	if running {
		return
	}
	if err := s.start(lookBinary(s.t)); err != nil {
		s.t.Fatalf("dovecottest: start: %v", err)
	}
}

// Restart stops and starts the server; clients see their connections drop.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.Start()
}

// Stop stops the server (SIGTERM, then SIGKILL of its process group after
// 10s) and waits for it to exit. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(stopTimeout):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	// The master is gone, but an imap process serving an IDLE session
	// can outlive it by half a minute on a loaded machine, keeping its
	// client's connection up: a stopped server ends them all.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	s.waitPortClosed()
}

// waitPortClosed waits until the listener is gone, so that a following
// Start can bind the same port.
func (s *Server) waitPortClosed() {
	deadline := time.Now().Add(stopTimeout)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *Server) start(bin string) error {
	stderr, err := os.OpenFile(filepath.Join(s.dir, "stderr.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer stderr.Close()
	cmd := exec.Command(bin, "-F", "-c", s.conf)
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = stderr, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", bin, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	if err := s.waitReady(done); err != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return err
	}
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	return nil
}

// waitReady waits until every listener greets with a ready OK.
func (s *Server) waitReady(done <-chan struct{}) error {
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return fmt.Errorf("dovecot exited during startup (see %s)", s.LogPath())
		default:
		}
		if s.probe() == nil {
			return nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("dovecot did not greet on %s within %v", s.Addr(), startTimeout)
}

func (s *Server) probe() error {
	if err := probeConn(net.DialTimeout("tcp", s.Addr(), time.Second)); err != nil {
		return err
	}
	if s.tlsPort == 0 {
		return nil
	}
	d := &net.Dialer{Timeout: time.Second}
	return probeConn(tls.DialWithDialer(d, "tcp", s.TLSAddr(), s.TLSConfig()))
}

// probeConn reads the greeting; Dovecot first says "Waiting for
// authentication process" when auth is not up yet, which is not ready.
func probeConn(c net.Conn, err error) error {
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "* OK") || strings.Contains(line, "Waiting for authentication") {
		return errors.New("not ready: " + strings.TrimSpace(line))
	}
	_, _ = c.Write([]byte("a LOGOUT\r\n"))
	return nil
}

func (s *Server) dumpLogOnFailure() {
	if !s.t.Failed() && os.Getenv(LogEnv) != "1" {
		return
	}
	for _, name := range []string{"dovecot.log", "stderr.log"} {
		b, err := os.ReadFile(filepath.Join(s.dir, name))
		if err == nil && len(b) > 0 {
			s.t.Logf("dovecottest: %s:\n%s", name, b)
		}
	}
}

// Kick ends every IMAP session of the test user (doveadm kick), as a
// server does when the credential a session was opened with expires.
// Dovecot keeps running and accepts new logins.
func (s *Server) Kick(t testing.TB) {
	t.Helper()
	out, err := exec.Command("doveadm", "-c", s.conf, "kick", s.opts.user).CombinedOutput()
	if err != nil {
		t.Fatalf("dovecottest: doveadm kick: %v: %s", err, out)
	}
}
