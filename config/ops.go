package config

import (
	"net"
	"os"
	"strings"
)

// OAuth2 logs in to IMAP or SMTP with OAuth2 tokens instead of a password
// ([imap.oauth2], [smtp.oauth2]). Exchange Online and Google Workspace
// need it: basic authentication is switched off there.
type OAuth2 struct {
	// Provider is "microsoft" (Entra ID client credentials), "google"
	// (service account with domain-wide delegation) or "generic" (any
	// token_url, e.g. an on-premises Keycloak).
	Provider string `toml:"provider"`
	ClientID string `toml:"client_id"` // microsoft, generic
	// ClientSecretEnv / ClientSecretFile name the client secret (microsoft,
	// generic); never the secret itself.
	ClientSecretEnv  string `toml:"client_secret_env"`
	ClientSecretFile string `toml:"client_secret_file"`
	// ClientCertificateFile is a PEM file holding the app's certificate
	// and its unencrypted private key, instead of a client secret
	// (microsoft, generic): each token request is then signed with it.
	ClientCertificateFile string `toml:"client_certificate_file"`
	Tenant                string `toml:"tenant"` // microsoft: tenant ID or domain
	// ServiceAccountFile is the google service account's JSON key file.
	ServiceAccountFile string `toml:"service_account_file"`
	Subject            string `toml:"subject"` // google: the mailbox user to act as
	// TokenURL is required for generic; for the others it overrides the
	// provider's endpoint.
	TokenURL string `toml:"token_url"`
	// Scopes: required for generic; default https://outlook.office365.com/.default
	// (microsoft) and https://mail.google.com/ (google).
	Scopes    []string `toml:"scopes"`
	Mechanism string   `toml:"mechanism"` // xoauth2 (default) | oauthbearer

	ClientSecret       string `toml:"-"` // resolved secret
	ServiceAccountJSON []byte `toml:"-"` // resolved key file
	// ClientCertificatePEM is client_certificate_file's content; never logged.
	ClientCertificatePEM []byte `toml:"-"`
}

// HTTP is the daemon's HTTP listener for health, readiness and metrics.
type HTTP struct {
	// Listen is host:port, e.g. "127.0.0.1:9180", for /healthz, /readyz,
	// /metrics, the web view and the public diary (behind a TLS-terminating
	// proxy); empty: no listener.
	Listen string `toml:"listen"`
	// InsecureCookies drops the Secure cookie attribute of the web view,
	// for plain http on loopback without a proxy only.
	InsecureCookies bool `toml:"insecure_cookies"`
}

// Operations is about running synpunkt itself.
type Operations struct {
	// AlertTo receives mail when the daemon needs an administrator, e.g. an
	// OAuth2 token that can no longer be refreshed. Empty: deadlines.digest_to,
	// else the default unit's manager.
	AlertTo string `toml:"alert_to"`
}

// AlertAddress is where operational alerts go.
func (c *Config) AlertAddress() string {
	switch {
	case c.Operations.AlertTo != "":
		return c.Operations.AlertTo
	case c.Deadlines.DigestTo != "":
		return c.Deadlines.DigestTo
	}
	return c.Units.Default().Manager
}

func (o *OAuth2) resolve(section string) error {
	if o == nil {
		return nil
	}
	var err error
	if o.ClientSecret, err = secret(section+".oauth2.client_secret", o.ClientSecretEnv, o.ClientSecretFile); err != nil {
		return err
	}
	if o.ServiceAccountFile != "" {
		if o.ServiceAccountJSON, err = os.ReadFile(o.ServiceAccountFile); err != nil {
			return unreadableFile(section+".oauth2.service_account", o.ServiceAccountFile, err)
		}
	}
	if o.ClientCertificateFile != "" {
		if o.ClientCertificatePEM, err = os.ReadFile(o.ClientCertificateFile); err != nil {
			return unreadableFile(section+".oauth2.client_certificate", o.ClientCertificateFile, err)
		}
	}
	return nil
}

func (o *OAuth2) validate(section string) error {
	if o == nil {
		return nil
	}
	key := section + ".oauth2."
	switch o.Provider {
	case "microsoft":
		if o.Tenant == "" && o.TokenURL == "" {
			return bad(key+"tenant", "must be set for provider microsoft")
		}
		if o.ClientID == "" {
			return bad(key+"client_id", "must be set for provider microsoft")
		}
		if err := o.validateCredential(key); err != nil {
			return err
		}
	case "google":
		if o.ServiceAccountFile == "" || o.Subject == "" {
			return bad(key+"service_account_file", "provider google needs service_account_file and subject")
		}
	case "generic":
		if o.TokenURL == "" || o.ClientID == "" {
			return bad(key+"token_url", "provider generic needs token_url and client_id")
		}
		if o.ClientCertificateFile != "" && o.hasSecret() {
			return bad(key+"client_certificate_file", "set either a client secret or client_certificate_file, not both")
		}
	default:
		return bad(key+"provider", "must be one of microsoft, google, generic (got %q)", o.Provider)
	}
	switch strings.ToLower(o.Mechanism) {
	case "", "xoauth2", "oauthbearer":
	default:
		return bad(key+"mechanism", "must be xoauth2 or oauthbearer (got %q)", o.Mechanism)
	}
	return nil
}

func (o *OAuth2) hasSecret() bool { return o.ClientSecretEnv != "" || o.ClientSecretFile != "" }

// validateCredential: a microsoft client proves itself by exactly one of a
// client secret and a certificate.
func (o *OAuth2) validateCredential(key string) error {
	switch {
	case o.ClientCertificateFile != "" && o.hasSecret():
		return bad(key+"client_certificate_file", "set either client_secret_env/client_secret_file or client_certificate_file, not both")
	case o.ClientCertificateFile == "" && !o.hasSecret():
		return bad(key+"client_secret_env", "provider microsoft needs client_secret_env, client_secret_file or client_certificate_file")
	}
	return nil
}

func (c *Config) validateOps() error {
	if err := c.IMAP.OAuth2.validate("imap"); err != nil {
		return err
	}
	if err := c.SMTP.OAuth2.validate("smtp"); err != nil {
		return err
	}
	if c.HTTP.Listen != "" {
		if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
			return bad("http.listen", "%q is not host:port", c.HTTP.Listen)
		}
	}
	if c.Operations.AlertTo != "" {
		return checkAddr("operations.alert_to", c.Operations.AlertTo)
	}
	return nil
}
