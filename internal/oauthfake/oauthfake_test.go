package oauthfake_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/internal/oauthfake"
)

var t0 = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// The fake checks the assertion's signature itself, not only which
// certificate the header names: an assertion that names the uploaded
// certificate but is signed by another key is invalid_client, and the
// same assertion signed by the right key gets a token.
func TestClientAssertionSignatureChecked(t *testing.T) {
	as := oauthfake.Start(t)
	as.Now = func() time.Time { return t0 }
	good, other := as.NewCertificate(t), as.NewCertificate(t)
	as.AddCertificateClient(t, "app", good, "u@exempelby.se")
	certDER, _ := pem.Decode(good)
	for _, tt := range []struct {
		name   string
		signer []byte
		status int
	}{{"key of another certificate", other, http.StatusUnauthorized}, {"the certificate's key", good, http.StatusOK}} {
		t.Run(tt.name, func(t *testing.T) {
			sum := sha256.Sum256(certDER.Bytes)
			hdr, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "x5t#S256": b64(sum[:])})
			cl, _ := json.Marshal(map[string]any{"aud": as.TokenURL(), "iss": "app", "sub": "app", "jti": rand.Text(),
				"nbf": t0.Unix(), "exp": t0.Add(5 * time.Minute).Unix()})
			signed := b64(hdr) + "." + b64(cl)
			h := sha256.Sum256([]byte(signed))
			sig, err := rsa.SignPKCS1v15(nil, keyOf(t, tt.signer), crypto.SHA256, h[:])
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.PostForm(as.TokenURL(), url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"},
				"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {signed + "." + b64(sig)}})
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]string
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tt.status {
				t.Fatalf("token endpoint = %d %v, want %d", resp.StatusCode, body, tt.status)
			}
			if tt.status != http.StatusOK && (body["error"] != "invalid_client" || !strings.Contains(body["error_description"], "signature")) {
				t.Errorf("error body = %v, want invalid_client about the signature", body)
			}
		})
	}
}

func keyOf(t *testing.T, pemFile []byte) *rsa.PrivateKey {
	t.Helper()
	_, rest := pem.Decode(pemFile)
	blk, _ := pem.Decode(rest)
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
