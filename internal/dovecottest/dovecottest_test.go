package dovecottest

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"
)

const testMsg = "From: a@example.org\r\nTo: b@example.org\r\nSubject: hej\r\n\r\nHej!\r\n"

func TestEncodeUTF7(t *testing.T) {
	for in, want := range map[string]string{"Karantän": "Karant&AOQ-n", "INBOX": "INBOX", "a&b": "a&-b", "Ärende/Öppet": "&AMQ-rende/&ANY-ppet"} {
		if got := encodeUTF7(in); got != want {
			t.Errorf("encodeUTF7(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAppendListCountRestart(t *testing.T) {
	s := Start(t)
	s.Append(t, "INBOX", []byte(testMsg))
	s.Append(t, "Karantän", []byte(testMsg))
	if n := s.Count(t, "INBOX"); n != 1 {
		t.Fatalf("Count(INBOX) = %d, want 1", n)
	}
	if got := s.List(t, "Karantän"); len(got) != 1 || !bytes.Equal(got[0], []byte(testMsg)) {
		t.Fatalf("List(Karantän) = %q, want [%q]", got, testMsg)
	}
	if !slices.Contains(s.Mailboxes(t), "Karantän") {
		t.Fatalf("Mailboxes() = %q, want it to contain %q", s.Mailboxes(t), "Karantän")
	}
	if n := s.Count(t, "Saknas"); n != 0 {
		t.Fatalf("Count(Saknas) = %d, want 0", n)
	}
	addr := s.Addr()
	s.Restart()
	if s.Addr() != addr {
		t.Fatalf("Addr() after Restart = %q, want %q", s.Addr(), addr)
	}
	if n := s.Count(t, "INBOX"); n != 1 {
		t.Fatalf("Count(INBOX) after Restart = %d, want 1", n)
	}
}

func TestResetUIDValidity(t *testing.T) {
	s := Start(t)
	s.Append(t, "INBOX", []byte(testMsg))
	s.Append(t, "Karantän", []byte(testMsg))
	s.ResetUIDValidity(t, "INBOX")
	s.ResetUIDValidity(t, "Karantän")
}

func TestTLS(t *testing.T) {
	s := Start(t, WithTLS())
	opt := &imapclient.Options{TLSConfig: s.TLSConfig()}
	for _, tt := range []struct {
		name string
		dial func() (*imapclient.Client, error)
	}{
		{"implicit TLS", func() (*imapclient.Client, error) { return imapclient.DialTLS(s.TLSAddr(), opt) }},
		{"STARTTLS", func() (*imapclient.Client, error) { return imapclient.DialStartTLS(s.Addr(), opt) }},
	} {
		c, err := tt.dial()
		if err != nil {
			t.Fatalf("dial with %s = %v", tt.name, err)
		}
		defer c.Close()
		if err := c.Login(s.User(), s.Password()).Wait(); err != nil {
			t.Fatalf("Login() with %s = %v", tt.name, err)
		}
	}
}

// skipRecorder records Skip and Fatal instead of stopping the test.
type skipRecorder struct {
	testing.TB
	skipped, fatal string
}

func (r *skipRecorder) Helper()                           {}
func (r *skipRecorder) Skip(args ...any)                  { r.skipped = fmt.Sprint(args...) }
func (r *skipRecorder) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }

func TestMissingBinarySkipsUnlessRequired(t *testing.T) {
	old := binaries
	binaries = []string{"/nonexistent/dovecot"}
	defer func() { binaries = old }()

	t.Setenv(RequireEnv, "")
	r := &skipRecorder{TB: t}
	lookBinary(r)
	if !strings.Contains(r.skipped, "apt-get install dovecot-imapd") || r.fatal != "" {
		t.Errorf("without %s: skipped %q, fatal %q; want a visible skip", RequireEnv, r.skipped, r.fatal)
	}
	t.Setenv(RequireEnv, "1")
	r = &skipRecorder{TB: t}
	lookBinary(r)
	if r.fatal == "" || r.skipped != "" {
		t.Errorf("with %s=1: skipped %q, fatal %q; want a failure", RequireEnv, r.skipped, r.fatal)
	}
}
