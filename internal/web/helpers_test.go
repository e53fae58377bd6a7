package web

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/internal/testshared"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smtpsend"
	"github.com/exempelby/synpunkt/store"
)

// The personal data planted in the citizen's message; no public page may
// ever show any of it.
var planted = []string{"Astrid Lindqvist", "astrid.lindqvist@example.org", "0701234567", "070-123 45 67", "Solrosvägen 14", "Lindqvist"}

const testPassword = "korrekt häst batteri"

var testHash = func() string {
	h, err := HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
}()

type env struct {
	t      *testing.T
	d      *daemon.Daemon
	sink   *smtpsink.Sink
	srv    *httptest.Server
	gata   string // case number in Gatu- och parkenheten (with planted PII)
	va     string // case number in VA-enheten
	secret string // sensitive case

	clock *testkit.Clock // the env's injected time, read by the outbox worker too
}

// newEnv wires a real daemon (SQLite, composer, outbox to an SMTP sink)
// with a fixed clock, registers three cases, adds users klara
// (kontaktcenter), erik (enhet, Gatu- och parkenheten), rut (registrator)
// and ada (admin), and serves the web view over TLS.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, clock: testkit.NewClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))}
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtpsink.Start: %v", err)
	}
	t.Cleanup(func() { sink.Close() })
	e.sink = sink
	cfg := testshared.SampleConfig(t)
	senders := map[synpunkt.Medium]notify.Sender{synpunkt.MediumEmail: smtpsend.New(smtpsend.Config{Address: sink.Addr(), TLS: "none", Timeout: 5 * time.Second})}
	log := slog.New(slog.DiscardHandler)
	d, err := daemon.New(context.Background(), cfg, log, daemon.Options{Senders: senders, Now: e.clock.Now, OutboxBackoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	e.d = d
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Outbox.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	e.gata = e.register(casework.Registration{Channel: "telefon", Subject: "Trasig gatlampa",
		Text:  "Hej, jag heter Astrid Lindqvist och bor på Solrosvägen 14. Gatlampan utanför är trasig sedan en vecka. Ring mig på 070-123 45 67.",
		Email: "astrid.lindqvist@example.org"}, "Gatu- och parkenheten")
	e.va = e.register(casework.Registration{Channel: "brev", Subject: "Vattnet", Text: "Vattnet är brunt i kranen på morgonen.", Email: "bo@example.net"}, "VA-enheten")
	e.secret = e.register(casework.Registration{Channel: "besök", Subject: "Min son",
		Text: "Min son Kalle Lindqvist har diagnosen ADHD och får inget stöd i skolan, personnummer 201203041234.", Anonymous: true}, "Kontaktcenter")

	units := make([]string, 0, len(cfg.Units))
	for _, u := range cfg.Units {
		units = append(units, u.Name)
	}
	web, err := New(Options{Store: d.Store, Casework: d.Casework, Intake: d.Pipeline, Units: units, Kick: d.Outbox.Kick,
		Now: e.clock.Now, Log: log, MaxFailures: 3, DiaryName: "Exempelby kommun"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.User{{Name: "klara", Role: RoleKontaktcenter}, {Name: "erik", Role: RoleEnhet, Units: []string{"Gatu- och parkenheten"}},
		{Name: "rut", Role: RoleRegistrator}, {Name: "ada", Role: RoleAdmin}} {
		u.PasswordHash = testHash
		if _, err := d.Store.AddUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	e.srv = httptest.NewTLSServer(web)
	t.Cleanup(e.srv.Close)
	return e
}

// register registers r and routes the case to unit, returning its number.
func (e *env) register(r casework.Registration, unit string) string {
	e.t.Helper()
	ctx := context.Background()
	r.Clerk = "test"
	res, err := e.d.Pipeline.Register(ctx, r)
	if err != nil || res.Case == "" {
		e.t.Fatalf("Register(%q) = %+v, %v", r.Subject, res, err)
	}
	c, err := e.d.Store.CaseByNumber(ctx, res.Case)
	if err != nil {
		e.t.Fatal(err)
	}
	if c.Unit != unit {
		if _, err := e.d.Casework.Route(ctx, res.Case, unit, "test"); err != nil {
			e.t.Fatalf("Route(%s, %s) = %v", res.Case, unit, err)
		}
	}
	return res.Case
}

// client is a browser-like HTTP client with a cookie jar that does not
// follow redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := e.srv.Client()
	c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the test server's own certificate
	return &http.Client{Jar: jar, Transport: c.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *env) get(c *http.Client, path string) (int, string) {
	e.t.Helper()
	resp, err := c.Get(e.srv.URL + path)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *env) post(c *http.Client, path string, form url.Values) (int, string, string) {
	e.t.Helper()
	resp, err := c.PostForm(e.srv.URL+path, form)
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// login logs in and returns the client and the CSRF token of its session.
func (e *env) login(name string) (*http.Client, string) {
	e.t.Helper()
	c := e.client()
	code, _, loc := e.post(c, "/login", url.Values{"anvandare": {name}, "losenord": {testPassword}})
	if code != http.StatusSeeOther || loc == "/login" {
		e.t.Fatalf("login %s = %d → %q, want 303", name, code, loc)
	}
	_, body := e.get(c, "/diarium")
	_ = body
	_, page := e.get(c, loc)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		e.t.Fatalf("no CSRF token on %s", loc)
	}
	return c, m[1]
}

func containsAny(s string, subs []string) string {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return x
		}
	}
	return ""
}
