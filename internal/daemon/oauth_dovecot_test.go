package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/internal/health"
	"github.com/exempelby/synpunkt/internal/oauthfake"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/internal/testshared"
)

// opsE2E is a daemon that reads a Dovecot mailbox through OAuth2 and
// serves health and metrics on a loopback port.
type opsE2E struct {
	as     *oauthfake.Server
	dc     *dovecottest.Server
	sink   *smtpsink.Sink
	d      *Daemon
	url    string
	logs   *testkit.LogBuffer
	notify *net.UnixConn
}

func startOpsE2E(t *testing.T, mech string) *opsE2E {
	t.Helper()
	e := &opsE2E{as: oauthfake.Start(t), logs: &testkit.LogBuffer{}}
	e.dc = dovecottest.Start(t, dovecottest.WithOAuth2(e.as.IntrospectionURL()))
	e.as.AddClient("synpunkt-app", "app-hemlighet", e.dc.User())
	var err error
	if e.sink, err = smtpsink.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.sink.Close() })
	sock := filepath.Join(t.TempDir(), "notify.sock")
	if e.notify, err = net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.notify.Close() })
	t.Setenv("NOTIFY_SOCKET", sock)
	cfg := testshared.SampleConfig(t)
	cfg.IMAP.Address, cfg.IMAP.TLS, cfg.IMAP.Username, cfg.IMAP.Password = e.dc.Addr(), "none", e.dc.User(), ""
	cfg.IMAP.OAuth2 = &config.OAuth2{Provider: "generic", ClientID: "synpunkt-app", ClientSecret: "app-hemlighet", TokenURL: e.as.TokenURL(), Mechanism: mech}
	cfg.SMTP.Address, cfg.SMTP.TLS = e.sink.Addr(), "none"
	cfg.SMS = nil
	cfg.Operations.AlertTo = "drift@exempelby.se"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.url = "http://" + ln.Addr().String()
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if e.d, err = New(context.Background(), cfg, log, Options{OutboxBackoff: 100 * time.Millisecond, HTTPListener: ln}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run() = %v", err)
		}
		e.d.Close()
		if testing.Verbose() || t.Failed() {
			t.Logf("daemon log:\n%s", e.logs.String())
		}
	})
	return e
}

// readyz fetches /readyz.
func (e *opsE2E) readyz(t *testing.T) (int, health.Readiness) {
	t.Helper()
	resp, err := http.Get(e.url + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	defer resp.Body.Close()
	var r health.Readiness
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	return resp.StatusCode, r
}

func (e *opsE2E) waitReady(t *testing.T, want bool, what string) health.Readiness {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, r := e.readyz(t)
		if r.Ready == want && (code == http.StatusOK) == want {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s /readyz = %d %+v; want ready=%v (%s)", code, r, want, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (e *opsE2E) get(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get(e.url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// The daemon reads the mailbox through Dovecot's oauth2 passdb by XOAUTH2
// and by OAUTHBEARER, tells systemd READY=1 once the first session is up,
// and /readyz, /healthz and /metrics say so; with Dovecot down /readyz is
// 503 with the reason in words, and ready again once it is back.
func TestDaemonOAuth2Dovecot(t *testing.T) {
	for _, mech := range []string{"xoauth2", "oauthbearer"} {
		t.Run(mech, func(t *testing.T) {
			e := startOpsE2E(t, mech)
			_ = e.notify.SetReadDeadline(time.Now().Add(30 * time.Second))
			buf := make([]byte, 64)
			n, err := e.notify.Read(buf)
			if err != nil || string(buf[:n]) != "READY=1" {
				t.Fatalf("sd_notify datagram = %q, %v; want READY=1", buf[:n], err)
			}
			r := e.waitReady(t, true, "after start")
			for _, c := range []string{"imap", "store", "channel_email", "oauth2_imap"} {
				if !r.Checks[c].OK {
					t.Errorf("check %s = %+v, want ok", c, r.Checks[c])
				}
			}
			if got := e.get(t, "/healthz"); got != "ok\n" {
				t.Errorf("/healthz = %q", got)
			}
			// INTERNALDATE has whole seconds: a message appended in the
			// second the daemon started would count as backlog.
			time.Sleep(time.Second)
			e.dc.Append(t, "INBOX", raw("From: medborgare@example.com\nTo: synpunkter@exempelby.se\nSubject: Gatlykta\nMessage-ID: <lykta@example.com>", "Gatlyktan på Storgatan är trasig."))
			testkit.WaitFor(t, "the message in Registrerade", func() bool { return e.dc.Count(t, "Registrerade") == 1 })
			var m string
			testkit.WaitFor(t, "the receipt recorded as sent", func() bool {
				m = e.get(t, "/metrics")
				return strings.Contains(m, `synpunkt_notifications{channel="email",kind="receipt",status="sent"} 1`)
			})
			for _, want := range []string{`synpunkt_intake_messages_total{disposition="case"} 1`, "synpunkt_cases_opened_total{", "synpunkt_intake_latency_seconds_count 1",
				`synpunkt_oauth2_token_fresh{for="imap"} 1`, "synpunkt_imap_connected 1", `synpunkt_notifications{channel="email",kind="receipt",status="sent"} 1`} {
				if !strings.Contains(m, want) {
					t.Errorf("/metrics lacks %q:\n%s", want, grepLines(m, "synpunkt_"))
				}
			}
			if strings.Contains(m, "medborgare") || strings.Contains(m, "Storgatan") {
				t.Errorf("/metrics carries personal data")
			}
			e.dc.Stop()
			r = e.waitReady(t, false, "Dovecot stopped")
			if c := r.Checks["imap"]; c.OK || !strings.Contains(c.Reason, "disconnected") {
				t.Errorf("imap check with Dovecot down = %+v, want disconnected with a reason", c)
			}
			t.Logf("GET /readyz with Dovecot down:\n%s", e.get(t, "/readyz"))
			e.dc.Start()
			e.waitReady(t, true, "Dovecot back")
			t.Logf("GET /readyz with Dovecot back:\n%s", e.get(t, "/readyz"))
			for _, want := range []string{"imap disconnected", "imap connected again"} {
				if n := strings.Count(e.logs.String(), want); n != 1 {
					t.Errorf("log has %q %d times, want once", want, n)
				}
			}
		})
	}
}

// A revoked client secret: the refresh fails with an ERROR, /readyz says
// why, and the operations address is mailed once — while the old token
// still reads the mailbox.
func TestDaemonOAuth2RevokedSecret(t *testing.T) {
	e := startOpsE2E(t, "xoauth2")
	e.waitReady(t, true, "after start")
	e.as.RevokeClient("synpunkt-app")
	src := e.d.Tokens["imap"]
	src.Kick()
	r := e.waitReady(t, false, "secret revoked")
	if c := r.Checks["oauth2_imap"]; c.OK || !strings.Contains(c.Reason, "invalid_client") {
		t.Errorf("oauth2_imap check = %+v, want failing with invalid_client", c)
	}
	src.Kick()
	testkit.WaitFor(t, "the alert mail", func() bool { return len(e.sink.Messages()) >= 1 })
	time.Sleep(300 * time.Millisecond) // a second alert would be queued by now
	var alerts int
	for _, m := range e.sink.Messages() {
		if len(m.To) == 1 && m.To[0] == "drift@exempelby.se" {
			alerts++
			if !bytes.Contains(m.Data, []byte("OAuth2")) || bytes.Contains(m.Data, []byte("app-hemlighet")) {
				t.Errorf("alert mail = %q, want it to name OAuth2 and carry no secret", m.Data)
			}
		}
	}
	if alerts != 1 {
		t.Errorf("%d alert mails to drift@exempelby.se, want 1", alerts)
	}
	log := e.logs.String()
	if n := strings.Count(log, "level=ERROR msg=\"OAuth2 token refresh failed"); n != 1 {
		t.Errorf("%d ERROR lines for the failed refresh, want 1:\n%s", n, log)
	}
	if strings.Contains(log, "app-hemlighet") || strings.Contains(log, "tok-") {
		t.Errorf("log carries the secret or a token")
	}
}

// grepLines returns the lines of s that start with prefix.
func grepLines(s, prefix string) string {
	var out []string
	for l := range strings.Lines(s) {
		if strings.HasPrefix(l, prefix) {
			out = append(out, strings.TrimRight(l, "\n"))
		}
	}
	return strings.Join(out, "\n")
}
