// Package config owns synpunkt's configuration: the TOML file municipal IT
// edits, its defaults, its validation and the reading of secrets from the
// environment or files.
//
// What always holds: a *Config returned by Load has passed Validate, every
// default is filled in, and secrets (passwords, tokens, keys) are never read
// from the file itself, only from the environment variable or file the
// config names.
//
// How it fails: Load returns a *ValidationError naming the offending key
// (for example "smtp.tls: must be one of implicit, starttls, none"), or a
// TOML syntax error with its line and key, or an error for a key the program
// does not know, so a typo never silently falls back to a default. No error
// quotes a value that could be a secret (redact.go).
package config

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/exempelby/synpunkt"
)

// Config is the whole configuration of the daemon.
type Config struct {
	Organisation Organisation   `toml:"organisation"`
	IMAP         IMAP           `toml:"imap"`
	SMTP         SMTP           `toml:"smtp"`
	SMS          *SMS           `toml:"sms"` // may be nil: no SMS receipts
	Store        Store          `toml:"store"`
	Intake       Intake         `toml:"intake"`
	Receipts     Receipts       `toml:"receipts"`
	Outbox       Outbox         `toml:"outbox"`
	Templates    Templates      `toml:"templates"`
	Log          Log            `toml:"log"`
	Units        synpunkt.Units `toml:"units"`
	// Classify tunes classification, routing and exclusions (classify.go).
	Classify ClassifySettings `toml:"classify"`
	// Deadlines sets the routine's clocks, reminders and escalation (deadlines.go).
	Deadlines Deadlines `toml:"deadlines"`
	// HTTP serves /healthz, /readyz and /metrics (ops.go).
	HTTP HTTP `toml:"http"`
	// Operations says whom to alert about the daemon itself (ops.go).
	Operations Operations `toml:"operations"`
	// Reports are the statistics sent to committees on a schedule (reports.go).
	Reports []Report `toml:"reports"`
	// Retention sets purging and preservation (retention.go).
	Retention Retention `toml:"retention"`
}

// Organisation describes the municipality that runs the mailbox.
type Organisation struct {
	// Name is shown to citizens in receipts, e.g. "Exempelby kommun".
	Name string `toml:"name"`
	// Domains are the organisation's own mail domains; mail from them is
	// staff mail (a reply is registered as Svar).
	Domains synpunkt.Domains `toml:"domains"`
	// MailboxAddress is the public address of the synpunkt mailbox; replies
	// are threaded through its plus-addresses (synpunkter+<case>@...).
	MailboxAddress string `toml:"mailbox_address"`
	// CaseNumberFormat is the case number pattern: {year} and {seq} with an
	// optional width, e.g. "SYN-{year}-{seq:5}" → SYN-2026-00042. The
	// sequence restarts every year.
	CaseNumberFormat string `toml:"case_number_format"`
	// ThreadKeyEnv / ThreadKeyFile name the secret used to sign reply
	// plus-addresses. If neither is set a random key is generated once and
	// kept in the database.
	ThreadKeyEnv  string `toml:"thread_key_env"`
	ThreadKeyFile string `toml:"thread_key_file"`
	// AuthservID is the authserv-id of the organisation's own incoming mail
	// server in Authentication-Results headers (RFC 8601), e.g.
	// "mx.exempelby.se". When set, mail counts as staff mail (Svar, obeyed
	// #commands) only when that server reports dmarc=pass or dkim=pass for
	// an own domain, so a forged From is not trusted. Empty: the From
	// address decides.
	AuthservID string `toml:"authserv_id"`
}

// IMAP is the intake mailbox.
type IMAP struct {
	Address           string   `toml:"address"`  // host:port
	TLS               string   `toml:"tls"`      // implicit | starttls | none
	Username          string   `toml:"username"` // empty: no authentication (test servers)
	PasswordEnv       string   `toml:"password_env"`
	PasswordFile      string   `toml:"password_file"`
	Mailbox           string   `toml:"mailbox"`            // default INBOX
	RegisteredMailbox string   `toml:"registered_mailbox"` // default Registrerade
	QuarantineMailbox string   `toml:"quarantine_mailbox"` // default Karantän
	PollInterval      Duration `toml:"poll_interval"`      // only without IDLE; default 1m
	IdleRestart       Duration `toml:"idle_restart"`       // default 25m (RFC 2177: < 29m)
	// RecheckInterval, when set, looks for new mail with NOOP this often
	// instead of waiting in IDLE, whose notification Dovecot delays by
	// 500 ms. Default 0: IDLE only — a NOOP every 100 ms against a hosted
	// mailbox (Exchange Online, Gmail) is the slow polling the design avoids
	// and invites throttling; set it only for a Dovecot on the same host.
	RecheckInterval Duration `toml:"recheck_interval"`
	// BurstInterval: after new mail, look for more with NOOP this often for
	// BurstWindow before going back to IDLE (Dovecot delays IDLE's notice
	// by 500 ms). Default 50ms; "0s" turns it off.
	BurstInterval      Duration `toml:"burst_interval"`
	BurstWindow        Duration `toml:"burst_window"`         // default 30s
	InsecureSkipVerify bool     `toml:"insecure_skip_verify"` // tests only
	// TLSCAFile is a PEM file of CA certificates trusted for the server's
	// certificate instead of the system's (an internal CA). Empty: system.
	TLSCAFile string `toml:"tls_ca_file"`
	// RootCAs is TLSCAFile's certificates, nil for the system's pool.
	RootCAs *x509.CertPool `toml:"-"`
	// OAuth2 logs in with tokens instead of the password; may be nil.
	OAuth2 *OAuth2 `toml:"oauth2"`

	Password string `toml:"-"` // resolved secret
}

// SMTP is the outgoing mail server.
type SMTP struct {
	Address            string `toml:"address"`
	TLS                string `toml:"tls"`
	Username           string `toml:"username"`
	PasswordEnv        string `toml:"password_env"`
	PasswordFile       string `toml:"password_file"`
	From               string `toml:"from"` // From header, e.g. "Exempelby kommun <synpunkter@exempelby.se>"
	InsecureSkipVerify bool   `toml:"insecure_skip_verify"`
	// TLSCAFile is a PEM file of CA certificates trusted for the server's
	// certificate instead of the system's (an internal CA). Empty: system.
	TLSCAFile string `toml:"tls_ca_file"`
	// RootCAs is TLSCAFile's certificates, nil for the system's pool.
	RootCAs *x509.CertPool `toml:"-"`
	// OAuth2 logs in with tokens instead of the password; may be nil.
	OAuth2 *OAuth2 `toml:"oauth2"`

	Password string `toml:"-"` // resolved secret
}

// SMS is the optional SMS channel for receipts and notices.
type SMS struct {
	Provider      string `toml:"provider"` // "twilio"
	AccountSID    string `toml:"account_sid"`
	AuthTokenEnv  string `toml:"auth_token_env"`
	AuthTokenFile string `toml:"auth_token_file"`
	From          string `toml:"from"`     // sender number (E.164) or alphanumeric sender ID
	BaseURL       string `toml:"base_url"` // API base URL override (tests)

	AuthToken string `toml:"-"` // resolved secret
}

// Store is the case database.
type Store struct {
	Path string `toml:"path"` // SQLite file; created 0600 (its directory 0700)
	// AllowGroupRead lets the database file's group read it (e.g. a
	// reporting account). Without it synpunkt refuses to start when anyone
	// but the owner can read the database; others never may.
	AllowGroupRead bool `toml:"allow_group_read"`
}

// Intake tunes how incoming mail is treated.
type Intake struct {
	// OldMessageAge: messages older than this found on first start are
	// registered without receipts. Default 7 days.
	OldMessageAge Duration `toml:"old_message_age"`
	// MaxMessageSize: larger messages are quarantined unparsed. Default 50 MiB.
	MaxMessageSize int64 `toml:"max_message_size"`
}

// Receipts tunes receipts to citizens.
type Receipts struct {
	// MaxPerSenderPerDay caps automatic replies (receipts, replies to
	// excluded mail) to one address, without case or +tag, per day (loops,
	// floods). Default 10.
	MaxPerSenderPerDay int `toml:"max_per_sender_per_day"`
	// Languages are the languages (ISO 639 codes) receipts are written
	// in: a message detected in one of them is answered in it, any other
	// in Swedish. Each needs its templates (receipt_LANG.tmpl and
	// receipt_sms_LANG.tmpl, embedded for sv, en and fi, or in
	// templates.dir). Default ["sv", "en", "fi"].
	Languages []string `toml:"languages"`
}

// Outbox tunes the notification worker.
type Outbox struct {
	MaxAttempts int      `toml:"max_attempts"` // default 12
	MinBackoff  Duration `toml:"min_backoff"`  // default 30s
	MaxBackoff  Duration `toml:"max_backoff"`  // default 1h
}

// Templates points at a directory of template overrides.
type Templates struct {
	Dir string `toml:"dir"` // empty: embedded Swedish defaults
}

// Log configures logging.
type Log struct {
	Level  string `toml:"level"`  // debug | info | warn | error; default info
	Format string `toml:"format"` // text | json; default text
}

// Duration is a time.Duration that reads from TOML strings like "48h".
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := parseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }

// parseDuration accepts Go durations plus a "d" suffix for days ("7d").
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "d") {
		var n int
		if _, err := fmt.Sscanf(s, "%dd", &n); err == nil && fmt.Sprintf("%dd", n) == s {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	return time.ParseDuration(s)
}

// ValidationError names the offending key of a bad config.
type ValidationError struct {
	Field string // e.g. "smtp.tls"
	Msg   string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Msg }

// DefaultConfig returns a config with every default filled in and no
// servers or units.
func DefaultConfig() *Config {
	return &Config{
		Organisation: Organisation{CaseNumberFormat: "SYN-{year}-{seq:5}"},
		IMAP: IMAP{
			TLS: "implicit", Mailbox: "INBOX", RegisteredMailbox: "Registrerade",
			QuarantineMailbox: "Karantän",
			PollInterval:      Duration{time.Minute}, IdleRestart: Duration{25 * time.Minute},
			BurstInterval: Duration{50 * time.Millisecond}, BurstWindow: Duration{30 * time.Second},
		},
		SMTP:      SMTP{TLS: "starttls"},
		Store:     Store{Path: "synpunkt.db"},
		Intake:    Intake{OldMessageAge: Duration{7 * 24 * time.Hour}, MaxMessageSize: 50 << 20},
		Receipts:  Receipts{MaxPerSenderPerDay: 10, Languages: []string{"sv", "en", "fi"}},
		Outbox:    Outbox{MaxAttempts: 12, MinBackoff: Duration{30 * time.Second}, MaxBackoff: Duration{time.Hour}},
		Log:       Log{Level: "info", Format: "text"},
		Classify:  DefaultClassifySettings(),
		Deadlines: DefaultDeadlines(),
		Retention: DefaultRetention(),
	}
}

// Load reads, defaults, resolves secrets of and validates the config at path.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(b)
}

// LoadWithoutSecrets is Load without reading the secrets (passwords,
// tokens), for commands that may leave sending to the running daemon, so a
// clerk's shell needs none; call ResolveSecrets before using them.
func LoadWithoutSecrets(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return parse(b, false)
}

// ResolveSecrets reads the secrets from their environment variables or
// files, and checks them; a config from Load has them already.
func (c *Config) ResolveSecrets() error {
	if err := c.resolveSecrets(); err != nil {
		return err
	}
	return c.Validate()
}

// Parse decodes TOML on top of DefaultConfig, resolves secrets and validates.
func Parse(b []byte) (*Config, error) { return parse(b, true) }

func parse(b []byte, secrets bool) (*Config, error) {
	c := DefaultConfig()
	md, err := toml.Decode(string(b), c)
	if err != nil {
		return nil, parseError(err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, &ValidationError{Field: und[0].String(), Msg: "unknown key"}
	}
	if secrets {
		if err := c.resolveSecrets(); err != nil {
			return nil, err
		}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.IMAP.RootCAs, _ = CertPool(c.IMAP.TLSCAFile) // checked by Validate
	c.SMTP.RootCAs, _ = CertPool(c.SMTP.TLSCAFile)
	return c, nil
}

// secret reads a secret from the named environment variable or file.
func secret(field, env, file string) (string, error) {
	switch {
	case env != "" && file != "":
		return "", &ValidationError{Field: field + "_env", Msg: "set either " + field + "_env or " + field + "_file, not both"}
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok {
			return "", missingEnv(field, env)
		}
		return v, nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", unreadableFile(field, file, err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", nil
}

func (c *Config) resolveSecrets() error {
	var err error
	if c.IMAP.Password, err = secret("imap.password", c.IMAP.PasswordEnv, c.IMAP.PasswordFile); err != nil {
		return err
	}
	if c.SMTP.Password, err = secret("smtp.password", c.SMTP.PasswordEnv, c.SMTP.PasswordFile); err != nil {
		return err
	}
	if err := c.IMAP.OAuth2.resolve("imap"); err != nil {
		return err
	}
	if err := c.SMTP.OAuth2.resolve("smtp"); err != nil {
		return err
	}
	if c.SMS != nil {
		if c.SMS.AuthToken, err = secret("sms.auth_token", c.SMS.AuthTokenEnv, c.SMS.AuthTokenFile); err != nil {
			return err
		}
	}
	return nil
}

// ThreadKey returns the configured reply-address signing key, or nil when
// none is configured (the store then keeps a generated one).
func (c *Config) ThreadKey() ([]byte, error) {
	s, err := secret("organisation.thread_key", c.Organisation.ThreadKeyEnv, c.Organisation.ThreadKeyFile)
	if err != nil || s == "" {
		return nil, err
	}
	return []byte(s), nil
}

// Validate checks the config and returns a *ValidationError naming the
// first offending key.
func (c *Config) Validate() error {
	checks := []func() error{c.validateOrganisation, c.validateIMAP, c.validateSMTP, c.validateSMS, c.validateMisc, c.validateUnits, c.validateClassify, c.validateDeadlines, c.validateOps, c.validateReports, c.validateRetention}
	for _, f := range checks {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

func bad(field, format string, args ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func (c *Config) validateOrganisation() error {
	o := c.Organisation
	if strings.TrimSpace(o.Name) == "" {
		return bad("organisation.name", "must be set")
	}
	if len(o.Domains) == 0 {
		return bad("organisation.domains", "must list at least one domain")
	}
	for i, d := range o.Domains {
		if d == "" || strings.ContainsAny(d, "@ ") {
			return bad(fmt.Sprintf("organisation.domains[%d]", i), "%q is not a domain", d)
		}
	}
	if err := checkAddr("organisation.mailbox_address", o.MailboxAddress); err != nil {
		return err
	}
	if !strings.Contains(o.CaseNumberFormat, "{seq") {
		return bad("organisation.case_number_format", "must contain {seq} or {seq:N}")
	}
	return nil
}

func checkAddr(field, s string) error {
	if s == "" {
		return bad(field, "must be set")
	}
	if _, err := mail.ParseAddress(s); err != nil {
		return bad(field, "%q is not a mail address", s)
	}
	return nil
}

func checkHostPort(field, s string) error {
	if s == "" {
		return bad(field, "must be set (host:port)")
	}
	if _, _, err := net.SplitHostPort(s); err != nil {
		return bad(field, "%q is not host:port", s)
	}
	return nil
}

func checkTLS(field, s string) error {
	switch s {
	case "implicit", "starttls", "none":
		return nil
	}
	return bad(field, "must be one of implicit, starttls, none (got %q)", s)
}

// checkServer checks what the [imap] and [smtp] sections share: the
// server's address, its TLS mode and CA file, and a password source for a
// username (unless OAuth2 logs in).
func checkServer(section, address, tls, caFile, username, passwordEnv, passwordFile string, oauth2 bool) error {
	if err := checkHostPort(section+".address", address); err != nil {
		return err
	}
	if err := checkTLS(section+".tls", tls); err != nil {
		return err
	}
	if err := checkCAFile(section+".tls_ca_file", caFile); err != nil {
		return err
	}
	if username != "" && passwordEnv == "" && passwordFile == "" && !oauth2 {
		return bad(section+".password_env", "a username needs password_env or password_file")
	}
	return nil
}

func (c *Config) validateIMAP() error {
	m := c.IMAP
	if err := checkServer("imap", m.Address, m.TLS, m.TLSCAFile, m.Username, m.PasswordEnv, m.PasswordFile, m.OAuth2 != nil); err != nil {
		return err
	}
	if m.Mailbox == "" || m.RegisteredMailbox == "" || m.QuarantineMailbox == "" {
		return bad("imap.mailbox", "mailbox, registered_mailbox and quarantine_mailbox must not be empty")
	}
	if m.RegisteredMailbox == m.Mailbox || m.QuarantineMailbox == m.Mailbox {
		return bad("imap.registered_mailbox", "must differ from imap.mailbox")
	}
	if m.IdleRestart.Duration <= 0 || m.IdleRestart.Duration >= 29*time.Minute {
		return bad("imap.idle_restart", "must be between 0 and 29m (RFC 2177)")
	}
	if m.PollInterval.Duration < time.Second {
		return bad("imap.poll_interval", "must be at least 1s")
	}
	if m.RecheckInterval.Duration < 0 || m.RecheckInterval.Duration > time.Minute {
		return bad("imap.recheck_interval", "must be between 0 (IDLE only) and 1m")
	}
	if m.BurstInterval.Duration < 0 || m.BurstInterval.Duration > time.Minute {
		return bad("imap.burst_interval", "must be between 0 (off) and 1m")
	}
	if m.BurstInterval.Duration > 0 && (m.BurstWindow.Duration < m.BurstInterval.Duration || m.BurstWindow.Duration > time.Hour) {
		return bad("imap.burst_window", "must be at least imap.burst_interval and at most 1h")
	}
	return nil
}

func (c *Config) validateSMTP() error {
	s := c.SMTP
	if err := checkServer("smtp", s.Address, s.TLS, s.TLSCAFile, s.Username, s.PasswordEnv, s.PasswordFile, s.OAuth2 != nil); err != nil {
		return err
	}
	return checkAddr("smtp.from", s.From)
}

func (c *Config) validateSMS() error {
	s := c.SMS
	if s == nil {
		return nil
	}
	if s.Provider != "twilio" {
		return bad("sms.provider", "must be \"twilio\" (got %q)", s.Provider)
	}
	if !strings.HasPrefix(s.AccountSID, "AC") {
		return bad("sms.account_sid", "must be a Twilio account SID (AC...)")
	}
	if s.AuthTokenEnv == "" && s.AuthTokenFile == "" {
		return bad("sms.auth_token_env", "the auth token must come from auth_token_env or auth_token_file")
	}
	for _, r := range s.AuthToken {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return bad("sms.auth_token_env", "the auth token must be letters and digits only (twilio-go rejects others)")
		}
	}
	if s.From == "" {
		return bad("sms.from", "must be set")
	}
	return nil
}

func (c *Config) validateMisc() error {
	if c.Store.Path == "" {
		return bad("store.path", "must be set")
	}
	if c.Intake.OldMessageAge.Duration < 0 {
		return bad("intake.old_message_age", "must not be negative")
	}
	if c.Intake.MaxMessageSize < 1<<16 {
		return bad("intake.max_message_size", "must be at least 65536")
	}
	if c.Receipts.MaxPerSenderPerDay < 1 {
		return bad("receipts.max_per_sender_per_day", "must be at least 1")
	}
	if c.Outbox.MaxAttempts < 1 {
		return bad("outbox.max_attempts", "must be at least 1")
	}
	if c.Outbox.MinBackoff.Duration <= 0 || c.Outbox.MaxBackoff.Duration < c.Outbox.MinBackoff.Duration {
		return bad("outbox.max_backoff", "need 0 < min_backoff <= max_backoff")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "must be one of debug, info, warn, error")
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return bad("log.format", "must be text or json")
	}
	return nil
}

func (c *Config) validateUnits() error {
	if len(c.Units) == 0 {
		return bad("units", "at least one [[units]] entry is needed")
	}
	defaults := 0
	seen := map[string]bool{}
	for i, u := range c.Units {
		f := fmt.Sprintf("units[%d]", i)
		if strings.TrimSpace(u.Name) == "" {
			return bad(f+".name", "must be set")
		}
		if seen[strings.ToLower(u.Name)] {
			return bad(f+".name", "duplicate unit %q", u.Name)
		}
		seen[strings.ToLower(u.Name)] = true
		if u.Committee == "" {
			return bad(f+".committee", "must be set")
		}
		if err := checkAddr(f+".manager", u.Manager); err != nil {
			return err
		}
		if u.Handler != "" {
			if err := checkAddr(f+".handler", u.Handler); err != nil {
				return err
			}
		}
		for j, e := range u.EscalateTo {
			if err := checkAddr(fmt.Sprintf("%s.escalate_to[%d]", f, j), e); err != nil {
				return err
			}
		}
		for j, t := range u.Topics {
			if err := checkAddr(fmt.Sprintf("%s.topics[%d].handler", f, j), t.Handler); err != nil {
				return err
			}
		}
		if u.Default {
			defaults++
		}
	}
	if defaults != 1 {
		return bad("units", "exactly one unit must have default = true (found %d)", defaults)
	}
	return nil
}

// Warnings lists settings that are valid but unsafe in production, each
// naming its key. check-config prints them and the daemon logs them at
// start.
func (c *Config) Warnings() []string {
	var w []string
	if strings.TrimSpace(c.Organisation.AuthservID) == "" {
		w = append(w, "organisation.authserv_id: not set, so staff mail is recognised by its From address alone, "+
			"which anyone can forge: a forged From is registered as the unit's Svar, and with a case's signed reply "+
			"address (which the case's citizen has) its #commands close, reopen and forward the case. "+
			"Set it to the authserv-id of your incoming mail server's Authentication-Results")
	}
	return w
}

// ErrNoConfig is returned when no config path was given.
var ErrNoConfig = errors.New("no config: pass --config FILE or set SYNPUNKT_CONFIG")
