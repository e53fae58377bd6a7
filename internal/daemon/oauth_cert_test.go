package daemon

import (
	"log/slog"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/oauthfake"
)

// [imap.oauth2] with client_certificate_file reaches the token source: the
// daemon's IMAP token comes from a client assertion signed with the
// configured certificate.
func TestOAuthSourceWithCertificate(t *testing.T) {
	as := oauthfake.Start(t)
	now := func() time.Time { return time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) }
	as.Now = now
	cert := as.NewCertificate(t)
	as.AddCertificateClient(t, "synpunkt-entra-app", cert, "synpunkter@exempelby.se")
	cfg := &config.Config{}
	cfg.IMAP.Username = "synpunkter@exempelby.se"
	cfg.IMAP.OAuth2 = &config.OAuth2{Provider: "microsoft", Tenant: "exempelby.onmicrosoft.com", ClientID: "synpunkt-entra-app",
		TokenURL: as.TokenURL(), ClientCertificatePEM: cert}
	src, err := OAuthSource(cfg, "imap", slog.New(slog.DiscardHandler), now, nil)
	if err != nil {
		t.Fatalf("OAuthSource() = %v", err)
	}
	as.CheckToken(t, src, "synpunkter@exempelby.se")
}
