// Package oauthfake is a small OAuth2 authorization server for tests: a
// token endpoint (client credentials, RFC 6749 §4.4, and the JWT bearer
// grant Google service accounts use, RFC 7523) and a token introspection
// endpoint (RFC 7662) that Dovecot's oauth2 passdb asks whether a token is
// good and whose it is.
//
// What it owns: an httptest server on 127.0.0.1, its registered clients and
// service accounts, and the tokens it issued.
//
// What always holds: a token is active until it expires (TTL after issue,
// on the server's clock), is expired by ExpireAll, or its client is revoked;
// introspection then says {"active": false}. A client whose secret was
// revoked gets 401 invalid_client from the token endpoint. A client
// registered by certificate is let in only by a client assertion (RFC 7523
// §2.2) signed with that certificate's key, naming it by x5t#S256, for this
// token endpoint, issued and subject the client, within nbf..exp on the
// server's clock, and with a jti not seen before; anything else gets 401
// invalid_client with the reason in error_description.
//
// How it fails: requests it does not understand get 400 with an OAuth2
// error body; nothing panics on client input.
package oauthfake

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	grantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	assertionType  = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
)

// Server is a running fake authorization server.
type Server struct {
	URL string // base URL; immutable
	// TTL is the lifetime of issued tokens; set before use. Default 1h.
	TTL time.Duration
	// Now is the server's clock; set before use. Default time.Now.
	Now func() time.Time

	srv    *httptest.Server
	issued atomic.Int64

	mu       sync.Mutex
	clients  map[string]*client  // by client_id
	accounts map[string]*account // by client_email
	tokens   map[string]*token
	jtis     map[string]bool // client assertion IDs seen
}

type client struct {
	secret  string         // "" for a client registered by certificate
	cert    *rsa.PublicKey // the registered certificate's key; nil for a secret
	x5t     string         // base64url SHA-256 of the certificate's DER
	user    string         // the mailbox this app may open
	revoked bool
}

type account struct {
	key   *rsa.PublicKey
	users map[string]bool // delegated subjects
}

type token struct {
	user    string
	owner   string // client_id or client_email
	expires time.Time
}

// Start starts a server; t.Cleanup closes it.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{TTL: time.Hour, Now: time.Now, clients: map[string]*client{}, accounts: map[string]*account{}, tokens: map[string]*token{}, jtis: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", s.token)
	mux.HandleFunc("POST /introspect", s.introspect)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// TokenURL is the token endpoint.
func (s *Server) TokenURL() string { return s.URL + "/token" }

// IntrospectionURL is the introspection endpoint (RFC 7662).
func (s *Server) IntrospectionURL() string { return s.URL + "/introspect" }

// AddClient registers a confidential client whose tokens open user's mailbox.
func (s *Server) AddClient(id, secret, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[id] = &client{secret: secret, user: user}
}

// RevokeClient revokes a client's secret: no new tokens, and the tokens
// it has stop being active.
func (s *Server) RevokeClient(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.clients[id]; c != nil {
		c.revoked = true
	}
}

// ExpireAll makes every token issued so far inactive.
func (s *Server) ExpireAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	for _, tk := range s.tokens {
		tk.expires = now
	}
}

// Issued is how many tokens the server has issued.
func (s *Server) Issued() int64 { return s.issued.Load() }

// AddServiceAccount registers a Google-style service account delegated to
// act as users, and returns its key file (JSON), whose token_uri is this
// server.
func (s *Server) AddServiceAccount(t testing.TB, email string, users ...string) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("oauthfake: generate key: %v", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("oauthfake: marshal key: %v", err)
	}
	a := &account{key: &key.PublicKey, users: map[string]bool{}}
	for _, u := range users {
		a.users[u] = true
	}
	s.mu.Lock()
	s.accounts[email] = a
	s.mu.Unlock()
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "client_email": email, "private_key_id": "k1", "client_id": "1",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "token_uri": s.TokenURL(),
	})
	return b
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	var user, owner, why string
	var status int
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
		if !r.PostForm.Has("client_assertion") {
			user, owner, status = s.checkClient(r)
			break
		}
		status = http.StatusOK
		if user, owner, why = s.checkClientAssertion(r); why != "" {
			status = http.StatusUnauthorized
		}
	case grantJWTBearer:
		user, owner, status = s.checkAssertion(r.PostForm.Get("assertion"))
	default:
		status = http.StatusBadRequest
	}
	if status != http.StatusOK {
		oauthError(w, status, map[int]string{http.StatusBadRequest: "unsupported_grant_type", http.StatusUnauthorized: "invalid_client"}[status], why)
		return
	}
	writeJSON(w, map[string]any{"access_token": s.issue(user, owner), "token_type": "Bearer", "expires_in": int(s.TTL.Seconds())})
}

func (s *Server) checkClient(r *http.Request) (user, owner string, status int) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[id]
	if c == nil || c.revoked || c.secret == "" || c.secret != secret {
		return "", "", http.StatusUnauthorized
	}
	return c.user, id, http.StatusOK
}

// checkClientAssertion verifies a client assertion (RFC 7523 §2.2 and §3)
// as Entra ID does for certificate credentials; why says what was wrong.
func (s *Server) checkClientAssertion(r *http.Request) (user, owner, why string) {
	if r.PostForm.Get("client_assertion_type") != assertionType {
		return "", "", "client_assertion_type is not " + assertionType
	}
	if r.PostForm.Has("client_secret") {
		return "", "", "both a client secret and a client assertion"
	}
	var hdr struct {
		Alg     string `json:"alg"`
		X5tS256 string `json:"x5t#S256"`
	}
	var cl struct {
		Aud, Iss, Sub, Jti string
		Exp, Nbf           int64
	}
	parts := strings.Split(r.PostForm.Get("client_assertion"), ".")
	if len(parts) != 3 || decodeJSON(parts[0], &hdr) != nil || decodeJSON(parts[1], &cl) != nil {
		return "", "", "client assertion is not a JWT"
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "", "", "client assertion signature is not base64url"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[cl.Iss]
	now := s.Now().Unix()
	switch {
	case c == nil || c.cert == nil:
		return "", "", "no client with a certificate has that iss"
	case c.revoked:
		return "", "", "client revoked"
	case cl.Sub != cl.Iss || (r.PostForm.Has("client_id") && r.PostForm.Get("client_id") != cl.Iss):
		return "", "", "sub and client_id must be the iss"
	case hdr.X5tS256 != c.x5t:
		return "", "", "x5t#S256 names no certificate of this client"
	case !verify(hdr.Alg, c.cert, parts[0]+"."+parts[1], sig):
		return "", "", "signature does not verify with the client's certificate"
	case cl.Aud != s.TokenURL():
		return "", "", "aud is not this token endpoint"
	case cl.Exp <= now:
		return "", "", "client assertion expired"
	case cl.Nbf > now:
		return "", "", "client assertion not yet valid"
	case cl.Jti == "" || s.jtis[cl.Jti]:
		return "", "", "jti missing or replayed"
	}
	s.jtis[cl.Jti] = true
	return c.user, cl.Iss, ""
}

func verify(alg string, pub *rsa.PublicKey, signed string, sig []byte) bool {
	h := sha256.Sum256([]byte(signed))
	switch alg {
	case "RS256":
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) == nil
	case "PS256":
		return rsa.VerifyPSS(pub, crypto.SHA256, h[:], sig, nil) == nil
	}
	return false
}

func decodeJSON(part string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// NewCertificate makes a self-signed certificate and its RSA key, valid
// for a year from an hour before the server's clock, and returns both in
// one PEM file as `openssl req -x509 -newkey rsa:2048 -nodes` writes
// them. The server does not know it until AddCertificateClient.
func (s *Server) NewCertificate(t testing.TB) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("oauthfake: generate key: %v", err)
	}
	now := s.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: "synpunkt"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("oauthfake: create certificate: %v", err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("oauthfake: marshal key: %v", err)
	}
	return append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})...)
}

// AddCertificateClient registers a client that authenticates with the
// certificate in certPEM (its public part, as an administrator uploads it
// to an Entra app registration) and whose tokens open user's mailbox.
func (s *Server) AddCertificateClient(t testing.TB, id string, certPEM []byte, user string) {
	t.Helper()
	var der []byte
	for rest := certPEM; der == nil; {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			t.Fatalf("oauthfake: no CERTIFICATE in the PEM")
		} else if blk.Type == "CERTIFICATE" {
			der = blk.Bytes
		}
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("oauthfake: parse certificate: %v", err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("oauthfake: certificate key is %T, want RSA", cert.PublicKey)
	}
	sum := sha256.Sum256(der)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[id] = &client{cert: pub, x5t: base64.RawURLEncoding.EncodeToString(sum[:]), user: user}
}

// checkAssertion verifies an RS256 JWT from a registered service account
// and returns its subject (RFC 7523 §3).
func (s *Server) checkAssertion(jwt string) (user, owner string, status int) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "", "", http.StatusBadRequest
	}
	var claims struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		return "", "", http.StatusBadRequest
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "", "", http.StatusBadRequest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[claims.Iss]
	if a == nil || !a.users[claims.Sub] || claims.Exp < s.Now().Unix() {
		return "", "", http.StatusUnauthorized
	}
	h := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(a.key, crypto.SHA256, h[:], sig) != nil {
		return "", "", http.StatusUnauthorized
	}
	return claims.Sub, claims.Iss, http.StatusOK
}

func (s *Server) issue(user, owner string) string {
	var b [16]byte
	rand.Read(b[:]) //nolint:errcheck // crypto/rand.Read never fails
	tok := "tok-" + hex.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[tok] = &token{user: user, owner: owner, expires: s.Now().Add(s.TTL)}
	s.mu.Unlock()
	s.issued.Add(1)
	return tok
}

// introspect answers RFC 7662 §2.2; Dovecot posts token=… (introspection_mode = post).
func (s *Server) introspect(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	s.mu.Lock()
	tk := s.tokens[r.PostForm.Get("token")]
	active := tk != nil && s.Now().Before(tk.expires) && !s.revokedLocked(tk.owner)
	s.mu.Unlock()
	if !active {
		writeJSON(w, map[string]any{"active": false})
		return
	}
	writeJSON(w, map[string]any{"active": true, "username": tk.user, "exp": tk.expires.Unix()})
}

func (s *Server) revokedLocked(owner string) bool {
	c := s.clients[owner]
	return c != nil && c.revoked
}

// oauthError writes an RFC 6749 §5.2 error; desc may be "".
func oauthError(w http.ResponseWriter, status int, code string, desc ...string) {
	body := map[string]string{"error": code}
	if len(desc) > 0 && desc[0] != "" {
		body["error_description"] = desc[0]
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// Active reports whether token is an active token of user, as the
// introspection endpoint would, for test servers other than Dovecot.
func (s *Server) Active(user, token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	tk := s.tokens[token]
	return tk != nil && tk.user == user && s.Now().Before(tk.expires) && !s.revokedLocked(tk.owner)
}

// TokenSource is what CheckToken asks for a token: an oauth.Source.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// CheckToken fetches a token from src and fails the test unless it is an
// active token of user.
func (s *Server) CheckToken(t testing.TB, src TokenSource, user string) {
	t.Helper()
	tok, err := src.Token(context.Background())
	if err != nil {
		t.Fatalf("Token() = %v", err)
	}
	if !s.Active(user, tok) {
		t.Errorf("Token() = a token the server does not know as the mailbox user's")
	}
}
