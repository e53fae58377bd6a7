package oauth_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is the SHA-1 thumbprint
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/internal/oauth"
	"github.com/exempelby/synpunkt/internal/oauthfake"
)

const certUser = "synpunkter@exempelby.se"

func certConfig(tokenURL string, certPEM []byte) oauth.Config {
	return oauth.Config{Provider: oauth.ProviderMicrosoft, Tenant: "exempelby.onmicrosoft.com", ClientID: "entra-cert-app",
		ClientCertificatePEM: certPEM, TokenURL: tokenURL, Username: certUser}
}

func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// Entra ID certificate credentials: the token endpoint verifies the
// client assertion against the uploaded certificate and issues a token;
// each refresh carries a new assertion (a replayed jti would be refused).
func TestCertificateCredentialsFetchTokens(t *testing.T) {
	as := oauthfake.Start(t)
	as.Now = clockAt(t0)
	cert := as.NewCertificate(t)
	as.AddCertificateClient(t, "entra-cert-app", cert, certUser)
	src, err := oauth.New("imap", certConfig(as.TokenURL(), cert), oauth.Options{Now: clockAt(t0)}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	as.CheckToken(t, src, certUser)
	if err := src.Refresh(context.Background()); err != nil {
		t.Fatalf("second Refresh() = %v, want a token for a fresh assertion", err)
	}
	if as.Issued() != 2 {
		t.Errorf("tokens issued = %d, want 2", as.Issued())
	}
}

// The token request and its assertion, field by field, as the Microsoft
// identity platform documents them: the form carries no client secret;
// the JWT is RS256, names the certificate by x5t#S256 (and x5t), is for
// this token endpoint, from and about the client ID, valid from now for
// ten minutes on the injected clock, with a jti never repeated.
func TestClientAssertionRequest(t *testing.T) {
	as := oauthfake.Start(t)
	cert := as.NewCertificate(t)
	var mu sync.Mutex
	var forms []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		forms = append(forms, r.PostForm)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}`))
	}))
	t.Cleanup(srv.Close)
	tokenURL := srv.URL + "/exempelby.onmicrosoft.com/oauth2/v2.0/token"
	src, err := oauth.New("smtp", certConfig(tokenURL, cert), oauth.Options{Now: clockAt(t0)}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	for range 2 {
		if err := src.Refresh(context.Background()); err != nil {
			t.Fatalf("Refresh() = %v", err)
		}
	}
	if len(forms) != 2 {
		t.Fatalf("%d token requests, want 2", len(forms))
	}
	want := map[string]string{"grant_type": "client_credentials", "client_id": "entra-cert-app",
		"scope": oauth.ScopeMicrosoft, "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
	for k, v := range want {
		if got := forms[0].Get(k); got != v {
			t.Errorf("form %s = %q, want %q", k, got, v)
		}
	}
	if forms[0].Has("client_secret") {
		t.Errorf("form has client_secret, want none with a certificate")
	}
	certBlock, _ := pem.Decode(cert)
	x509Cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	s256, s1 := sha256.Sum256(certBlock.Bytes), sha1.Sum(certBlock.Bytes) //nolint:gosec // x5t
	var hdr map[string]string
	var claims map[string]any
	parts := splitJWT(t, forms[0].Get("client_assertion"), &hdr, &claims)
	wantHdr := map[string]string{"alg": "RS256", "typ": "JWT", "x5t#S256": b64(s256[:]), "x5t": b64(s1[:])}
	for k, v := range wantHdr {
		if hdr[k] != v {
			t.Errorf("header %s = %q, want %q", k, hdr[k], v)
		}
	}
	wantClaims := map[string]any{"aud": tokenURL, "iss": "entra-cert-app", "sub": "entra-cert-app",
		"nbf": float64(t0.Unix()), "iat": float64(t0.Unix()), "exp": float64(t0.Add(10 * time.Minute).Unix())}
	for k, v := range wantClaims {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	sum := sha256.Sum256([]byte(string(parts[0]) + "." + string(parts[1])))
	if err := rsa.VerifyPKCS1v15(x509Cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, sum[:], parts[2]); err != nil {
		t.Errorf("assertion signature does not verify with the certificate: %v", err)
	}
	var claims2 map[string]any
	splitJWT(t, forms[1].Get("client_assertion"), &hdr, &claims2)
	if claims["jti"] == "" || claims["jti"] == claims2["jti"] {
		t.Errorf("jti = %v then %v, want two different non-empty IDs", claims["jti"], claims2["jti"])
	}
}

func splitJWT(t *testing.T, jwt string, hdr, claims any) [3][]byte {
	t.Helper()
	p := strings.Split(jwt, ".")
	if len(p) != 3 {
		t.Fatalf("client_assertion has %d parts, want 3", len(p))
	}
	var out [3][]byte
	for i, s := range p {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("client_assertion part %d is not base64url: %v", i, err)
		}
		out[i] = b
	}
	if json.Unmarshal(out[0], hdr) != nil || json.Unmarshal(out[1], claims) != nil {
		t.Fatalf("client_assertion header or claims are not JSON: %s %s", out[0], out[1])
	}
	out[0], out[1] = []byte(p[0]), []byte(p[1]) // the signed input
	return out
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// An assertion the token endpoint refuses — signed by a key it does not
// know, made on a clock an hour behind so it has expired, or made for
// another endpoint (a proxy in between) — is a failed refresh with
// invalid_client and the server's reason; neither the error nor the log
// carries the private key, the certificate or the assertion.
func TestClientAssertionRejected(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, as *oauthfake.Server) (cfg oauth.Config, now time.Time)
		reason string
	}{
		{"wrong key", func(t *testing.T, as *oauthfake.Server) (oauth.Config, time.Time) {
			as.AddCertificateClient(t, "entra-cert-app", as.NewCertificate(t), certUser)
			return certConfig(as.TokenURL(), as.NewCertificate(t)), t0 // another certificate than the uploaded one
		}, "x5t#S256 names no certificate"},
		{"expired", func(t *testing.T, as *oauthfake.Server) (oauth.Config, time.Time) {
			cert := as.NewCertificate(t)
			as.AddCertificateClient(t, "entra-cert-app", cert, certUser)
			return certConfig(as.TokenURL(), cert), t0.Add(-time.Hour)
		}, "client assertion expired"},
		{"wrong audience", func(t *testing.T, as *oauthfake.Server) (oauth.Config, time.Time) {
			cert := as.NewCertificate(t)
			as.AddCertificateClient(t, "entra-cert-app", cert, certUser)
			target, _ := url.Parse(as.URL)
			proxy := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
			t.Cleanup(proxy.Close)
			return certConfig(proxy.URL+"/token", cert), t0
		}, "aud is not this token endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := oauthfake.Start(t)
			as.Now = clockAt(t0)
			cfg, now := tt.setup(t, as)
			var logs bytes.Buffer
			src, err := oauth.New("imap", cfg, oauth.Options{Now: clockAt(now)}, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatalf("New() = %v", err)
			}
			_, err = src.Token(context.Background())
			if err == nil || !strings.Contains(err.Error(), "invalid_client") || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("Token() error = %v, want invalid_client: %s", err, tt.reason)
			}
			if st := src.Status(); st.Fresh || st.Err == "" {
				t.Errorf("Status() = %+v, want not fresh with the error", st)
			}
			if !strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("no ERROR logged:\n%s", logs.String())
			}
			assertNoKeyMaterial(t, cfg.ClientCertificatePEM, err.Error()+logs.String())
		})
	}
}

// assertNoKeyMaterial fails when out carries any line of the PEM file's
// base64 (key or certificate), a PEM header, or a JWT.
func assertNoKeyMaterial(t *testing.T, pemFile []byte, out string) {
	t.Helper()
	for _, line := range strings.Split(string(pemFile), "\n") {
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(out, line) {
			t.Errorf("output carries a line of the PEM file %q:\n%s", line, out)
		}
	}
	for _, bad := range []string{"-----BEGIN", "eyJ"} {
		if strings.Contains(out, bad) {
			t.Errorf("output carries %q:\n%s", bad, out)
		}
	}
}

// A certificate file that cannot work is refused when the Source is made,
// or, once the certificate has expired, before any request, with a reason
// an administrator can act on and no key material.
func TestClientCertificateFileProblems(t *testing.T) {
	as := oauthfake.Start(t)
	as.Now = clockAt(t0)
	good, other := as.NewCertificate(t), as.NewCertificate(t)
	certOf := func(p []byte) []byte { b, _ := pem.Decode(p); return pem.EncodeToMemory(b) }
	keyOf := func(p []byte) []byte { _, rest := pem.Decode(p); return rest }
	withSecret := certConfig(as.TokenURL(), good)
	withSecret.ClientSecret = "s3cret"
	tests := []struct {
		name string
		cfg  oauth.Config
		want string
	}{
		{"secret and certificate", withSecret, "not both"},
		{"no key", certConfig(as.TokenURL(), certOf(good)), "no PRIVATE KEY block"},
		{"no certificate", certConfig(as.TokenURL(), keyOf(good)), "no CERTIFICATE block"},
		{"key of another certificate", certConfig(as.TokenURL(), append(certOf(good), keyOf(other)...)), "does not belong to the certificate"},
		{"not PEM", certConfig(as.TokenURL(), []byte("client-secret-by-mistake")), "no CERTIFICATE block"},
		{"encrypted key", certConfig(as.TokenURL(), append(certOf(good), pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1, 2}})...)), "encrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := oauth.New("imap", tt.cfg, oauth.Options{}, slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New() error = %v, want %q", err, tt.want)
			}
			assertNoKeyMaterial(t, good, err.Error())
			assertNoKeyMaterial(t, other, err.Error())
		})
	}
	t.Run("expired certificate", func(t *testing.T) {
		as.AddCertificateClient(t, "entra-cert-app", good, certUser)
		src, err := oauth.New("imap", certConfig(as.TokenURL(), good), oauth.Options{Now: clockAt(t0.AddDate(2, 0, 0))}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatalf("New() = %v", err)
		}
		_, err = src.Token(context.Background())
		if !errors.Is(err, oauth.ErrClientCertificate) || !strings.Contains(err.Error(), "expired on") {
			t.Fatalf("Token() error = %v, want the certificate expired", err)
		}
		if as.Issued() != 0 {
			t.Errorf("tokens issued = %d, want none", as.Issued())
		}
	})
}
