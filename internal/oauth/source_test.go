package oauth_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/internal/oauth"
	"github.com/exempelby/synpunkt/internal/oauthfake"
)

var t0 = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

func TestProvidersFetchTokens(t *testing.T) {
	as := oauthfake.Start(t)
	as.AddClient("entra-app", "s3cret", "synpunkter@exempelby.se")
	key := as.AddServiceAccount(t, "synpunkt@projekt.iam.gserviceaccount.com", "synpunkter@exempelby.se")
	tests := []struct {
		name string
		cfg  oauth.Config
	}{
		{"microsoft client credentials", oauth.Config{Provider: oauth.ProviderMicrosoft, Tenant: "exempelby.onmicrosoft.com",
			ClientID: "entra-app", ClientSecret: "s3cret", TokenURL: as.TokenURL()}},
		{"google service account (JWT bearer, RFC 7523)", oauth.Config{Provider: oauth.ProviderGoogle, ServiceAccountJSON: key,
			Subject: "synpunkter@exempelby.se"}},
		{"generic", oauth.Config{Provider: oauth.ProviderGeneric, ClientID: "entra-app", ClientSecret: "s3cret", TokenURL: as.TokenURL()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Username = "synpunkter@exempelby.se"
			src, err := oauth.New("imap", tt.cfg, oauth.Options{}, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatalf("New() = %v", err)
			}
			as.CheckToken(t, src, "synpunkter@exempelby.se")
		})
	}
}

// A revoked client secret: the refresh fails, is logged once at ERROR
// without the secret, OnFailure is told once for the streak, Status says
// the token is not fresh; once the secret is valid again the next refresh
// clears it, logged at INFO.
func TestRefreshFailureAndRecovery(t *testing.T) {
	as := oauthfake.Start(t)
	as.AddClient("app", "gammal-hemlighet", "u@exempelby.se")
	var logs bytes.Buffer
	var failures, recoveries int
	now := t0
	src, err := oauth.New("imap", oauth.Config{Provider: oauth.ProviderGeneric, ClientID: "app", ClientSecret: "gammal-hemlighet", TokenURL: as.TokenURL()},
		oauth.Options{Now: func() time.Time { return now }, OnFailure: func(error) { failures++ }, OnRecover: func() { recoveries++ }},
		slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(context.Background())
	if err != nil {
		t.Fatalf("Token() = %v", err)
	}
	if st := src.Status(); !st.Fresh || st.Err != "" {
		t.Errorf("Status() = %+v, want fresh", st)
	}
	as.RevokeClient("app")
	for range 3 {
		if err := src.Refresh(context.Background()); err == nil {
			t.Fatalf("Refresh() with a revoked secret = nil, want an error")
		}
	}
	st := src.Status()
	if st.Fresh || !strings.Contains(st.Err, "invalid_client") || !st.FailingSince.Equal(t0) {
		t.Errorf("Status() = %+v, want not fresh, invalid_client, failing since %v", st, t0)
	}
	if failures != 1 {
		t.Errorf("OnFailure called %d times, want once per streak", failures)
	}
	out := logs.String()
	if n := strings.Count(out, "level=ERROR"); n != 1 {
		t.Errorf("%d ERROR lines, want 1:\n%s", n, out)
	}
	if strings.Contains(out, "gammal-hemlighet") || strings.Contains(out, tok) {
		t.Errorf("log carries the secret or the token:\n%s", out)
	}
	as.AddClient("app", "gammal-hemlighet", "u@exempelby.se") // the administrator restores the secret
	if err := src.Refresh(context.Background()); err != nil {
		t.Fatalf("Refresh() after the fix = %v", err)
	}
	if recoveries != 1 || !src.Status().Fresh || !strings.Contains(logs.String(), "works again") {
		t.Errorf("after the fix: recoveries %d, Status %+v; want 1 and fresh, logged", recoveries, src.Status())
	}
}

// Token refreshes ahead of expiry: a token within a minute of expiring is
// not handed out again.
func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	as := oauthfake.Start(t)
	as.AddClient("app", "s", "u")
	now := t0
	as.Now = func() time.Time { return now }
	src, _ := oauth.New("smtp", oauth.Config{Provider: oauth.ProviderGeneric, ClientID: "app", ClientSecret: "s", TokenURL: as.TokenURL()},
		oauth.Options{Now: func() time.Time { return now }}, slog.New(slog.DiscardHandler))
	first, err := src.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(30 * time.Minute)
	if again, _ := src.Token(context.Background()); again != first {
		t.Errorf("Token() half-way through the hour fetched a new one")
	}
	now = now.Add(29*time.Minute + 30*time.Second)
	if late, _ := src.Token(context.Background()); late == first {
		t.Errorf("Token() 30s before expiry = the old token, want a new one")
	}
}
