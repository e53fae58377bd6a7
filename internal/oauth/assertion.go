package oauth

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as the SHA-1 thumbprint; it names the certificate, it does not secure anything
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"time"
)

// ClientAssertionType is the client_assertion_type of a JWT that
// authenticates a client (RFC 7523 §2.2).
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// AssertionTTL is how long a client assertion is valid after it is made.
const AssertionTTL = 10 * time.Minute

// ErrClientCertificate is wrapped by every error about the client
// certificate file's content. Its messages never quote the file.
var ErrClientCertificate = errors.New("oauth2: client certificate")

// clientCert is an application's certificate and the RSA key that signs
// its client assertions (Microsoft identity platform "certificate
// credentials"). Immutable.
type clientCert struct {
	key      *rsa.PrivateKey
	x5tS256  string // base64url SHA-256 of the certificate's DER
	x5t      string // base64url SHA-1 of the same, for tenants that still want it
	notAfter time.Time
}

// parseClientCert reads a PEM file holding the certificate (the first
// CERTIFICATE block, the leaf) and its unencrypted private key (PKCS #8
// or PKCS #1), as `openssl req -x509 -newkey rsa:2048 -nodes` writes them.
func parseClientCert(b []byte) (*clientCert, error) {
	var cert *x509.Certificate
	var key any
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		var err error
		switch blk.Type {
		case "CERTIFICATE":
			if cert == nil {
				cert, err = x509.ParseCertificate(blk.Bytes)
			}
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, fmt.Errorf("%w: the private key is encrypted; write it without a passphrase (openssl -nodes) and protect the file instead", ErrClientCertificate)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s block cannot be parsed", ErrClientCertificate, blk.Type)
		}
	}
	if cert == nil {
		return nil, fmt.Errorf("%w: no CERTIFICATE block in the PEM file", ErrClientCertificate)
	}
	if key == nil {
		return nil, fmt.Errorf("%w: no PRIVATE KEY block in the PEM file", ErrClientCertificate)
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: the key is %T, want RSA (client assertions are signed RS256)", ErrClientCertificate, key)
	}
	if pub, ok := cert.PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(&rk.PublicKey) {
		return nil, fmt.Errorf("%w: the private key does not belong to the certificate", ErrClientCertificate)
	}
	s256, s1 := sha256.Sum256(cert.Raw), sha1.Sum(cert.Raw) //nolint:gosec // see import
	return &clientCert{key: rk, x5tS256: b64(s256[:]), x5t: b64(s1[:]), notAfter: cert.NotAfter}, nil
}

type assertionHeader struct {
	Alg     string `json:"alg"`
	Typ     string `json:"typ"`
	X5tS256 string `json:"x5t#S256"`
	X5t     string `json:"x5t,omitempty"`
}

// assertionClaims are the claims of a client assertion (RFC 7523 §3).
type assertionClaims struct {
	Aud string `json:"aud"` // the token endpoint's URL
	Iss string `json:"iss"` // the client ID
	Sub string `json:"sub"` // the client ID
	Jti string `json:"jti"` // random, never reused
	Nbf int64  `json:"nbf"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
}

// assertion makes a fresh RS256 client assertion for clientID at the token
// endpoint aud, valid from now for AssertionTTL.
func (c *clientCert) assertion(clientID, aud string, now time.Time) (string, error) {
	if now.After(c.notAfter) {
		return "", fmt.Errorf("%w: expired on %s; make a new one and upload it to the app registration",
			ErrClientCertificate, c.notAfter.UTC().Format(time.DateOnly))
	}
	h, err := json.Marshal(assertionHeader{Alg: "RS256", Typ: "JWT", X5tS256: c.x5tS256, X5t: c.x5t})
	if err != nil {
		return "", fmt.Errorf("client assertion header: %w", err)
	}
	cl, err := json.Marshal(assertionClaims{Aud: aud, Iss: clientID, Sub: clientID, Jti: rand.Text(),
		Nbf: now.Unix(), Iat: now.Unix(), Exp: now.Add(AssertionTTL).Unix()})
	if err != nil {
		return "", fmt.Errorf("client assertion claims: %w", err)
	}
	signed := b64(h) + "." + b64(cl)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(nil, c.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("sign client assertion: %w", err)
	}
	return signed + "." + b64(sig), nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
