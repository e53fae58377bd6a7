package mailbox

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/internal/oauth"
	"github.com/exempelby/synpunkt/internal/oauthfake"
)

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
	if got := s.Count(t, "Registrerade"); got != 1 {
		t.Fatalf("Registrerade count = %d, want 1", got)
	}
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
	if err := src.Refresh(context.Background()); err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("Refresh() after the app was revoked = %v, want invalid_client", err)
	}
}
