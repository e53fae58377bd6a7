package smtpsend_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/exempelby/synpunkt/internal/oauth"
	"github.com/exempelby/synpunkt/internal/oauthfake"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smtpsend"
)

// Submission with an OAuth2 token by XOAUTH2 and OAUTHBEARER (RFC 7628),
// as Exchange Online's SMTP AUTH with SMTP.SendAsApp takes it; a token the
// server no longer accepts (at the login of a new connection) is a channel
// fault, and the next send fetches a new one and goes through.
func TestSendOAuth2(t *testing.T) {
	for _, mech := range []string{oauth.MechXOAUTH2, oauth.MechOAuthBearer} {
		t.Run(mech, func(t *testing.T) {
			as := oauthfake.Start(t)
			as.AddClient("app", "hemlighet", "synpunkter@exempelby.se")
			sink := mustSink(t, smtpsink.WithOAuth2(as.Active))
			src, err := oauth.New("smtp", oauth.Config{Provider: oauth.ProviderGeneric, ClientID: "app", ClientSecret: "hemlighet",
				TokenURL: as.TokenURL(), Mechanism: mech, Username: "synpunkter@exempelby.se"}, oauth.Options{}, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatalf("oauth.New() = %v", err)
			}
			s := smtpsend.New(smtpsend.Config{Address: sink.Addr(), TLS: smtpsend.TLSNone, Auth: src})
			if err := s.Send(context.Background(), testMessage()); err != nil {
				t.Fatalf("Send() = %v", err)
			}
			wantDelivered(t, sink, testMessage())

			as.ExpireAll()
			// A connection logs in once and the one kept open stays logged
			// in; a new one must log in with the token now refused.
			s.Close()
			err = s.Send(context.Background(), testMessage())
			var ne *notify.Error
			if !errors.As(err, &ne) || !ne.Channel {
				t.Fatalf("Send() with an expired token = %v, want a channel fault", err)
			}
			if err := s.Send(context.Background(), testMessage()); err != nil {
				t.Fatalf("Send() after the refusal = %v, want a new token and delivery", err)
			}
			if as.Issued() != 2 {
				t.Errorf("tokens issued = %d, want 2", as.Issued())
			}
		})
	}
}
