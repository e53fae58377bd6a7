package mailbox

import (
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/internal/oauth"
	"github.com/exempelby/synpunkt/internal/oauthfake"
	"github.com/exempelby/synpunkt/internal/testkit"
)

// oauthDovecot starts the fake authorization server and a Dovecot whose
// oauth2 passdb asks it about tokens, with one app registration allowed to
// open the test user's mailbox.
func oauthDovecot(t *testing.T) (*oauthfake.Server, *dovecottest.Server) {
	t.Helper()
	as := oauthfake.Start(t)
	s := dovecottest.Start(t, dovecottest.WithOAuth2(as.IntrospectionURL()))
	as.AddClient("synpunkt-app", "app-hemlighet", s.User())
	return as, s
}

func oauthSource(t *testing.T, as *oauthfake.Server, user, mech string, log *slog.Logger) *oauth.Source {
	t.Helper()
	src, err := oauth.New("imap", oauth.Config{Provider: oauth.ProviderGeneric, ClientID: "synpunkt-app", ClientSecret: "app-hemlighet",
		TokenURL: as.TokenURL(), Mechanism: mech, Username: user}, oauth.Options{}, log)
	if err != nil {
		t.Fatalf("oauth.New() = %v", err)
	}
	return src
}

// The intake reads a Dovecot mailbox logging in with a token from the
// client-credentials flow, by XOAUTH2 and by OAUTHBEARER (RFC 7628); no
// password is configured.
func TestDovecotOAuth2Login(t *testing.T) {
	for _, mech := range []string{oauth.MechXOAUTH2, oauth.MechOAuthBearer} {
		t.Run(mech, func(t *testing.T) {
			as, s := oauthDovecot(t)
			s.Append(t, "INBOX", testMessage("oauth-"+mech))
			cfg := Config{Address: s.Addr(), TLS: TLSNone, Username: s.User(), Auth: oauthSource(t, as, s.User(), mech, testLogger(t))}
			r := startIntake(t, cfg, &recorder{}, nil)
			r.waitIdle(t)
			wantCount(t, s, "Registrerade", 1)
			if as.Issued() != 1 {
				t.Errorf("tokens issued = %d, want 1", as.Issued())
			}
			log, err := os.ReadFile(s.LogPath())
			if want := "method=" + strings.ToUpper(mech); err != nil || !strings.Contains(string(log), want) {
				t.Errorf("dovecot log (err %v) has no login with %s:\n%s", err, want, log)
			}
		})
	}
}

// A token that expires while a session is up: the server drops the
// session, the intake's login with the old token is refused, it fetches a
// new token, logs in again and goes on reading mail — logged once as a
// disconnect and once as a reconnect.
func TestDovecotOAuth2TokenExpiresMidSession(t *testing.T) {
	for _, mech := range []string{oauth.MechXOAUTH2, oauth.MechOAuthBearer} {
		t.Run(mech, func(t *testing.T) { testTokenExpiresMidSession(t, mech) })
	}
}

func testTokenExpiresMidSession(t *testing.T, mech string) {
	as, s := oauthDovecot(t)
	s.Append(t, "INBOX", testMessage("vor"))
	logs := &testkit.LogBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cfg := Config{Address: s.Addr(), TLS: TLSNone, Username: s.User(), Auth: oauthSource(t, as, s.User(), mech, log)}
	r := startIntakeLog(t, cfg, &recorder{}, nil, false, log)
	r.waitIdle(t)
	as.ExpireAll()
	s.Kick(t) // the server ends the sessions of expired tokens
	s.Append(t, "INBOX", testMessage("efter"))
	testkit.WaitFor(t, "the message after the token expired in Registrerade", func() bool { return s.Count(t, "Registrerade") == 2 })
	if as.Issued() != 2 {
		t.Errorf("tokens issued = %d, want 2 (the first, then one after the refusal)", as.Issued())
	}
	out := logs.String()
	for _, want := range []string{"imap disconnected", "refused the access token", "imap connected again"} {
		if n := strings.Count(out, want); n != 1 {
			t.Errorf("log has %q %d times, want once:\n%s", want, n, out)
		}
	}
	if st := r.State(); !st.Connected || st.Reconnects != 1 {
		t.Errorf("State() = %+v, want connected after 1 reconnect", st)
	}
	if strings.Contains(out, "tok-") {
		t.Errorf("log carries a token:\n%s", out)
	}
}

// The intake reads a Dovecot mailbox with a token that the Entra-style
// client-credentials flow issued for a certificate (a signed client
// assertion, no client secret): Dovecot's oauth2 passdb accepts it by
// introspection, the message is registered and moved.
func TestDovecotOAuth2CertificateLogin(t *testing.T) {
	as := oauthfake.Start(t)
	s := dovecottest.Start(t, dovecottest.WithOAuth2(as.IntrospectionURL()))
	cert := as.NewCertificate(t)
	as.AddCertificateClient(t, "synpunkt-entra-app", cert, s.User())
	src, err := oauth.New("imap", oauth.Config{Provider: oauth.ProviderMicrosoft, Tenant: "exempelby.onmicrosoft.com",
		ClientID: "synpunkt-entra-app", ClientCertificatePEM: cert, TokenURL: as.TokenURL(), Username: s.User()},
		oauth.Options{}, testLogger(t))
	if err != nil {
		t.Fatalf("oauth.New() = %v", err)
	}
	s.Append(t, "INBOX", testMessage("certifikat"))
	r := startIntake(t, Config{Address: s.Addr(), TLS: TLSNone, Username: s.User(), Auth: src}, &recorder{}, nil)
	r.waitIdle(t)
	wantCount(t, s, "Registrerade", 1)
	if as.Issued() != 1 {
		t.Errorf("tokens issued = %d, want 1", as.Issued())
	}
	if st := src.Status(); !st.Fresh {
		t.Errorf("token Status() = %+v, want fresh", st)
	}
	log, err := os.ReadFile(s.LogPath())
	if err != nil || !strings.Contains(string(log), "method=XOAUTH2") {
		t.Errorf("dovecot log (err %v) has no XOAUTH2 login:\n%s", err, log)
	}
	// Once the app registration is revoked, its certificate gets no token.
	as.RevokeClient("synpunkt-entra-app")
	if err := src.Refresh(t.Context()); err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("Refresh() after the app was revoked = %v, want invalid_client", err)
	}
}
