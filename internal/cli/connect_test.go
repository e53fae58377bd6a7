package cli

import (
	"bytes"
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/internal/memimap"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/internal/testcert"
	"github.com/exempelby/synpunkt/internal/twiliofake"
)

const (
	imapUser = "synpunkter@exempelby.se"
	imapPass = "imap-secret"
	smtpPass = "smtp-secret"
)

// startIMAP runs an in-memory IMAP server with INBOX for imapUser, with
// implicit TLS when cert is not nil, and returns its address.
func startIMAP(t *testing.T, cert *testcert.Cert) string {
	t.Helper()
	opt := memimap.Options{User: imapUser, Password: imapPass, Logger: memimap.Discard}
	if cert != nil {
		opt.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	}
	return startMem(t, opt)
}

// startMem runs a memimap server, closed at cleanup, and returns its address.
func startMem(t *testing.T, opt memimap.Options) string {
	t.Helper()
	srv, err := memimap.Start(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Addr()
}

// connectEnv are the servers check-config --connect is tested against.
type connectEnv struct {
	dir, imapAddr, imapTLSAddr, caFile string
	sink, plainSink                    *smtpsink.Sink
	twilio                             *twiliofake.Server
}

func startConnectEnv(t *testing.T) *connectEnv {
	t.Helper()
	e := &connectEnv{dir: t.TempDir()}
	cert, err := testcert.New("imap")
	if err != nil {
		t.Fatal(err)
	}
	e.imapAddr, e.imapTLSAddr = startIMAP(t, nil), startIMAP(t, cert)
	e.caFile = filepath.Join(e.dir, "imap-ca.pem")
	os.WriteFile(e.caFile, cert.CertPEM, 0o644)
	if e.sink, err = smtpsink.Start("127.0.0.1:0", smtpsink.WithStartTLS(), smtpsink.WithAuth(imapUser, smtpPass)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.sink.Close() })
	os.WriteFile(filepath.Join(e.dir, "smtp-ca.pem"), e.sink.CertPEM(), 0o644)
	if e.plainSink, err = smtpsink.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.plainSink.Close() })
	e.twilio = twiliofake.StartWithCredentials("AC00000000000000000000000000000000", "token0123456789")
	t.Cleanup(e.twilio.Close)
	t.Setenv("SYNPUNKT_TEST_IMAP_PASSWORD", imapPass)
	t.Setenv("SYNPUNKT_TEST_SMTP_PASSWORD", smtpPass)
	t.Setenv("SYNPUNKT_TEST_TWILIO_TOKEN", e.twilio.AuthToken())
	return e
}

// config writes a config for the good servers and credentials, with edits
// (old → new replacements) applied.
func (e *connectEnv) config(t *testing.T, edits ...string) string {
	t.Helper()
	conf := `[organisation]
name = "Exempelby kommun"
domains = ["exempelby.se"]
mailbox_address = "synpunkter@exempelby.se"
[imap]
address = "` + e.imapAddr + `"
tls = "none"
username = "` + imapUser + `"
password_env = "SYNPUNKT_TEST_IMAP_PASSWORD"
[smtp]
address = "` + e.sink.Addr() + `"
tls = "starttls"
tls_ca_file = "` + filepath.Join(e.dir, "smtp-ca.pem") + `"
username = "` + imapUser + `"
password_env = "SYNPUNKT_TEST_SMTP_PASSWORD"
from = "Exempelby kommun <synpunkter@exempelby.se>"
[sms]
provider = "twilio"
account_sid = "AC00000000000000000000000000000000"
auth_token_env = "SYNPUNKT_TEST_TWILIO_TOKEN"
from = "+46700000000"
base_url = "` + e.twilio.URL() + `"
[store]
path = "` + filepath.Join(e.dir, "s.db") + `"
[[units]]
name = "Kontaktcenter"
committee = "Kommunstyrelsen"
manager = "kc@exempelby.se"
default = true
`
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(conf, edits[i]) {
			t.Fatalf("config has no %q", edits[i])
		}
		conf = strings.Replace(conf, edits[i], edits[i+1], 1)
	}
	p := filepath.Join(e.dir, "c.toml")
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckConfigConnect: check-config --connect logs in to IMAP, SMTP
// (EHLO, STARTTLS, AUTH) and Twilio, and says for each what failed in words
// an administrator acts on.
func TestCheckConfigConnect(t *testing.T) {
	e := startConnectEnv(t)
	tests := []struct {
		name  string
		edits []string
		code  int
		want  []string // lines of the output
	}{
		{"all good", nil, 0, []string{
			`IMAP  ok    logged in to ` + e.imapAddr + ` as synpunkter@exempelby.se; mailbox "INBOX" exists; "Registrerade" and "Karantän" will be created`,
			"SMTP  ok    logged in to " + e.sink.Addr() + " as synpunkter@exempelby.se (tls = starttls)",
			"SMS   ok    Twilio account AC00000000000000000000000000000000 at " + e.twilio.URL() + " is active"}},
		{"imap implicit TLS with tls_ca_file", []string{`address = "` + e.imapAddr + `"` + "\ntls = \"none\"", `address = "` + e.imapTLSAddr + `"` + "\ntls = \"implicit\"\ntls_ca_file = \"" + e.caFile + `"`}, 0, []string{
			"IMAP  ok    logged in to " + e.imapTLSAddr}},
		{"imap certificate not trusted", []string{`address = "` + e.imapAddr + `"` + "\ntls = \"none\"", `address = "` + e.imapTLSAddr + `"` + "\ntls = \"implicit\""}, 1, []string{
			"IMAP  FAIL  the certificate of " + e.imapTLSAddr + " is not trusted", "set imap.tls_ca_file"}},
		{"imap wrong password", []string{`password_env = "SYNPUNKT_TEST_IMAP_PASSWORD"`, `password_env = "SYNPUNKT_TEST_SMTP_PASSWORD"`}, 1, []string{
			"IMAP  FAIL  IMAP login refused for synpunkter@exempelby.se: wrong password or basic auth disabled (Microsoft 365 needs OAuth2)", "SMTP  ok", "SMS   ok"}},
		{"imap mailbox missing", []string{"tls = \"none\"\n", "tls = \"none\"\nmailbox = \"Synpunkter\"\n"}, 1, []string{
			`IMAP  FAIL  logged in as synpunkter@exempelby.se, but mailbox "Synpunkter" does not exist: check imap.mailbox`}},
		{"imap unreachable", []string{`address = "` + e.imapAddr + `"`, `address = "127.0.0.1:1"`}, 1, []string{
			`IMAP  FAIL  cannot connect to 127.0.0.1:1 with tls = "none"`, "check imap.address and imap.tls"}},
		{"smtp wrong password", []string{`password_env = "SYNPUNKT_TEST_SMTP_PASSWORD"`, `password_env = "SYNPUNKT_TEST_IMAP_PASSWORD"`}, 1, []string{
			"SMTP  FAIL  SMTP AUTH refused for synpunkter@exempelby.se: wrong password, or SMTP AUTH disabled for the mailbox"}},
		{"smtp without STARTTLS", []string{`address = "` + e.sink.Addr() + `"`, `address = "` + e.plainSink.Addr() + `"`}, 1, []string{
			"SMTP  FAIL  " + e.plainSink.Addr() + ` does not offer STARTTLS: use smtp.tls = "implicit" for port 465`}},
		{"smtp certificate not trusted", []string{`tls_ca_file = "` + filepath.Join(e.dir, "smtp-ca.pem") + `"` + "\n", ""}, 1, []string{
			"SMTP  FAIL  the certificate of " + e.sink.Addr() + " is not trusted", "set smtp.tls_ca_file"}},
		{"twilio wrong token", []string{`auth_token_env = "SYNPUNKT_TEST_TWILIO_TOKEN"`, `auth_token_env = "SYNPUNKT_TEST_WRONG_TOKEN"`}, 1, []string{
			"SMS   FAIL  Twilio refused account AC00000000000000000000000000000000 with this auth token: check sms.account_sid"}},
	}
	t.Setenv("SYNPUNKT_TEST_WRONG_TOKEN", "wrongtoken0123")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := e.config(t, tt.edits...)
			var out, errb bytes.Buffer
			code := Run(testCtx(), []string{"check-config", "--connect", "--config", cfg}, &out, &errb)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stdout:\n%s\nstderr: %s", code, tt.code, out.String(), errb.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if strings.Contains(out.String()+errb.String(), imapPass) || strings.Contains(out.String()+errb.String(), smtpPass) {
				t.Errorf("output shows a password:\n%s%s", out.String(), errb.String())
			}
		})
	}
}
