package oauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/oauth2/google"
)

// Providers for Config.Provider.
const (
	ProviderMicrosoft = "microsoft"
	ProviderGoogle    = "google"
	ProviderGeneric   = "generic"
)

// Default scopes per provider.
const (
	ScopeMicrosoft = "https://outlook.office365.com/.default"
	ScopeGoogle    = "https://mail.google.com/"
)

// Config says where tokens come from and how they are presented.
type Config struct {
	Provider string // microsoft | google | generic
	ClientID string // microsoft, generic
	// ClientSecret is the client secret (microsoft, generic); never logged.
	ClientSecret string
	// ClientCertificatePEM is the app's certificate and its private key
	// (microsoft, generic), instead of ClientSecret: each token request
	// then carries a fresh signed client assertion (RFC 7523 §2.2). Never
	// logged.
	ClientCertificatePEM []byte
	Tenant               string // microsoft: the directory (tenant) ID or domain
	// ServiceAccountJSON is the google service account key file's content.
	ServiceAccountJSON []byte
	Subject            string   // google: the mailbox user to act as
	TokenURL           string   // generic: required; others: override
	Scopes             []string // empty: the provider's default
	Mechanism          string   // xoauth2 (default) | oauthbearer
	Username           string   // the mailbox user presented in SASL
	// HTTPClient fetches tokens; nil: http.DefaultClient.
	HTTPClient *http.Client
}

// Options tune a Source. Zero fields take their defaults.
type Options struct {
	Now        func() time.Time // default time.Now
	Early      time.Duration    // refresh this long before expiry; default 5m
	MinBackoff time.Duration    // default 5s
	MaxBackoff time.Duration    // default 5m
	// OnFailure is called once at the start of a streak of failed
	// refreshes; may be nil. It must not block long.
	OnFailure func(err error)
	// OnRecover is called at the first success after a streak; may be nil.
	OnRecover func()
}

// Status is a Source's state, for health checks.
type Status struct {
	Fresh        bool      // a token is held, not expired, and the last refresh worked
	Expiry       time.Time // of the token held; zero without one
	Err          string    // the last refresh's error; "" when it worked
	FailingSince time.Time // start of the current failure streak; zero when none
}

// Source holds one access token and keeps it fresh. Safe for concurrent use.
type Source struct {
	cfg   Config // immutable
	opt   Options
	fetch func(ctx context.Context) (*oauth2.Token, error) // immutable
	log   *slog.Logger
	kick  chan struct{}

	mu           sync.Mutex
	tok          *oauth2.Token // nil: none or invalidated
	err          error
	failingSince time.Time
	failures     int
}

// New returns a Source for cfg; it fetches nothing yet. name ("imap",
// "smtp") goes into its log lines.
func New(name string, cfg Config, opt Options, log *slog.Logger) (*Source, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	fetch, err := fetcher(cfg, opt.Now)
	if err != nil {
		return nil, err
	}
	if _, err := NewSASLClient(cfg.Mechanism, cfg.Username, ""); err != nil {
		return nil, err
	}
	if opt.Early <= 0 {
		opt.Early = 5 * time.Minute
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 5 * time.Second
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(5*time.Minute, opt.MinBackoff)
	}
	l := log.With("component", "oauth2", "for", name, "provider", cfg.Provider, "token_host", tokenHost(cfg))
	return &Source{cfg: cfg, opt: opt, fetch: fetch, log: l, kick: make(chan struct{}, 1)}, nil
}

// fetcher builds the token request for cfg's provider; now is the clock
// of client assertions.
func fetcher(cfg Config, now func() time.Time) (func(context.Context) (*oauth2.Token, error), error) {
	switch cfg.Provider {
	case ProviderMicrosoft, ProviderGeneric:
		cc, err := clientCredentials(cfg)
		if err != nil {
			return nil, err
		}
		if cfg.ClientCertificatePEM != nil {
			return certificateFetcher(cfg, cc, now)
		}
		return func(ctx context.Context) (*oauth2.Token, error) { return cc.Token(withClient(ctx, cfg)) }, nil
	case ProviderGoogle:
		jc, err := google.JWTConfigFromJSON(cfg.ServiceAccountJSON, scopes(cfg, ScopeGoogle)...)
		if err != nil {
			return nil, fmt.Errorf("oauth2: google service account: %w", err)
		}
		jc.Subject = cfg.Subject
		if cfg.TokenURL != "" {
			jc.TokenURL = cfg.TokenURL
		}
		return func(ctx context.Context) (*oauth2.Token, error) { return jc.TokenSource(withClient(ctx, cfg)).Token() }, nil
	}
	return nil, fmt.Errorf("oauth2: unknown provider %q (want microsoft, google or generic)", cfg.Provider)
}

// clientCredentials is the RFC 6749 §4.4 flow; Microsoft's endpoint is
// derived from the tenant.
func clientCredentials(cfg Config) (*clientcredentials.Config, error) {
	cc := &clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.TokenURL,
		AuthStyle: oauth2.AuthStyleInParams}
	if cfg.Provider == ProviderMicrosoft {
		if cc.TokenURL == "" {
			cc.TokenURL = "https://login.microsoftonline.com/" + url.PathEscape(cfg.Tenant) + "/oauth2/v2.0/token"
		}
		cc.Scopes = scopes(cfg, ScopeMicrosoft)
	} else {
		cc.Scopes = cfg.Scopes
	}
	if cc.TokenURL == "" || cc.ClientID == "" {
		return nil, errors.New("oauth2: token URL and client ID are required")
	}
	return cc, nil
}

// certificateFetcher authenticates the client by a signed assertion
// instead of a secret: a fresh one per request, since the endpoint may
// refuse a jti it has seen.
func certificateFetcher(cfg Config, cc *clientcredentials.Config, now func() time.Time) (func(context.Context) (*oauth2.Token, error), error) {
	if cfg.ClientSecret != "" {
		return nil, errors.New("oauth2: a client secret or a client certificate, not both")
	}
	cert, err := parseClientCert(cfg.ClientCertificatePEM)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (*oauth2.Token, error) {
		a, err := cert.assertion(cc.ClientID, cc.TokenURL, now())
		if err != nil {
			return nil, err
		}
		req, err := clientCredentials(cfg) // a fresh one per request: EndpointParams differ
		if err != nil {
			return nil, err
		}
		req.EndpointParams = url.Values{"client_assertion_type": {ClientAssertionType}, "client_assertion": {a}}
		return req.Token(withClient(ctx, cfg))
	}, nil
}

func scopes(cfg Config, def string) []string {
	if len(cfg.Scopes) > 0 {
		return cfg.Scopes
	}
	return []string{def}
}

func withClient(ctx context.Context, cfg Config) context.Context {
	if cfg.HTTPClient == nil {
		return ctx
	}
	return context.WithValue(ctx, oauth2.HTTPClient, cfg.HTTPClient)
}

func tokenHost(cfg Config) string {
	u := cfg.TokenURL
	switch {
	case u == "" && cfg.Provider == ProviderMicrosoft:
		return "login.microsoftonline.com"
	case u == "" && cfg.Provider == ProviderGoogle:
		return "oauth2.googleapis.com"
	}
	if p, err := url.Parse(u); err == nil {
		return p.Host
	}
	return ""
}

// Token returns a valid access token, fetching one when none is held or
// the one held expires within a minute.
func (s *Source) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	tok := s.tok
	s.mu.Unlock()
	if tok != nil && s.opt.Now().Add(time.Minute).Before(tok.Expiry) {
		return tok.AccessToken, nil
	}
	if err := s.Refresh(ctx); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok == nil {
		return "", errors.New("oauth2: no token")
	}
	return s.tok.AccessToken, nil
}

// SASLClient returns a SASL client presenting a valid token.
func (s *Source) SASLClient(ctx context.Context) (sasl.Client, error) {
	tok, err := s.Token(ctx)
	if err != nil {
		return nil, err
	}
	return NewSASLClient(s.cfg.Mechanism, s.cfg.Username, tok)
}

// Invalidate drops the token held, after a server refused it, so that the
// next Token fetches a new one.
func (s *Source) Invalidate() {
	s.mu.Lock()
	s.tok = nil
	s.mu.Unlock()
	s.log.Info("the server refused the access token; fetching a new one")
}

// Refresh fetches a new token now and records the outcome.
func (s *Source) Refresh(ctx context.Context) error {
	start := s.opt.Now()
	tok, err := s.fetch(ctx)
	if err == nil && tok.AccessToken == "" {
		err = errors.New("token endpoint returned no access token")
	}
	if err == nil {
		tok.Expiry = s.expiry(start, tok)
	}
	if err != nil {
		err = fmt.Errorf("oauth2: refresh token: %w", err)
		s.failed(err)
		return err
	}
	s.succeeded(tok)
	return nil
}

// expiry puts the token's expiry on the Source's clock: x/oauth2 computes
// it from expires_in on the wall clock.
func (s *Source) expiry(start time.Time, tok *oauth2.Token) time.Time {
	switch {
	case tok.ExpiresIn > 0:
		return start.Add(time.Duration(tok.ExpiresIn) * time.Second)
	case tok.Expiry.IsZero():
		return start.Add(time.Hour) // no expires_in: assume an hour
	}
	return start.Add(time.Until(tok.Expiry))
}

func (s *Source) failed(err error) {
	s.mu.Lock()
	first := s.err == nil
	s.err = err
	s.failures++
	if first {
		s.failingSince = s.opt.Now()
	}
	var expiry time.Time
	if s.tok != nil {
		expiry = s.tok.Expiry
	}
	s.mu.Unlock()
	if !first {
		s.log.Debug("token refresh still failing", "err", err)
		return
	}
	s.log.Error("OAuth2 token refresh failed; retrying with backoff. Mail cannot be read or sent once the current token expires",
		"err", err, "token_expires", expiry)
	if s.opt.OnFailure != nil {
		s.opt.OnFailure(err)
	}
}

func (s *Source) succeeded(tok *oauth2.Token) {
	s.mu.Lock()
	recovered := s.err != nil
	s.tok, s.err, s.failingSince, s.failures = tok, nil, time.Time{}, 0
	s.mu.Unlock()
	s.log.Debug("token refreshed", "expires", tok.Expiry)
	if recovered {
		s.log.Info("OAuth2 token refresh works again", "expires", tok.Expiry)
		if s.opt.OnRecover != nil {
			s.opt.OnRecover()
		}
	}
}

// Status reports the Source's state.
func (s *Source) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{FailingSince: s.failingSince}
	if s.err != nil {
		st.Err = s.err.Error()
	}
	if s.tok != nil {
		st.Expiry = s.tok.Expiry
	}
	st.Fresh = s.tok != nil && s.err == nil && s.opt.Now().Before(s.tok.Expiry)
	return st
}

// Run refreshes the token Early before it expires, and after a failure
// with backoff, until ctx is cancelled.
func (s *Source) Run(ctx context.Context) {
	for {
		t := time.NewTimer(s.nextRefresh())
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.kick:
		case <-t.C:
		}
		t.Stop()
		_ = s.Refresh(ctx) // recorded and logged by Refresh
	}
}

// Kick asks Run to refresh now. It never blocks.
func (s *Source) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// nextRefresh is the wait until the next refresh: backoff while failing,
// else Early before the token's expiry.
func (s *Source) nextRefresh() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		d := s.opt.MinBackoff
		for i := 1; i < s.failures && d < s.opt.MaxBackoff; i++ {
			d *= 2
		}
		return min(d, s.opt.MaxBackoff)
	}
	if s.tok == nil {
		return 0
	}
	return max(s.tok.Expiry.Sub(s.opt.Now())-s.opt.Early, 0)
}

// RedactedError is err's text with s's secrets removed, for mail to
// people; token endpoints rarely echo secrets, but the mail must never
// carry one.
func (s *Source) RedactedError(err error) string {
	msg := err.Error()
	if s.cfg.ClientSecret != "" {
		msg = strings.ReplaceAll(msg, s.cfg.ClientSecret, "[hemlig]")
	}
	return msg
}
