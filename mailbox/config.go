package mailbox

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-sasl"
)

// TLSMode says how the IMAP connection is protected.
type TLSMode string

// TLS modes.
const (
	TLSImplicit TLSMode = "implicit" // TLS from the first byte (imaps, port 993)
	TLSStartTLS TLSMode = "starttls" // plain, then STARTTLS (RFC 9051 §6.2.1)
	TLSNone     TLSMode = "none"     // no encryption; tests and local servers only
)

// Config configures an Intake. The zero value of a field means its default.
type Config struct {
	// Address is the server's host:port.
	Address string
	// TLS is the TLS mode; default implicit.
	TLS TLSMode
	// Username and Password log in; no login when Username is empty.
	// Password is never logged.
	Username, Password string
	// Auth, if set, logs in with the SASL mechanism it supplies (OAuth2)
	// instead of Password; may be nil.
	Auth Authenticator
	// Mailbox is the watched mailbox; default "INBOX".
	Mailbox string
	// RegisteredMailbox receives registered messages; default "Registrerade".
	// Created when missing.
	RegisteredMailbox string
	// QuarantineMailbox receives quarantined messages; default "Karantän".
	// Created when missing; sent as modified UTF-7 (RFC 3501 §5.1.3).
	QuarantineMailbox string
	// PollInterval is the NOOP poll interval when the server lacks IDLE;
	// default 1m.
	PollInterval time.Duration
	// IdleRestart re-issues IDLE before the server's 30-minute inactivity
	// timeout (RFC 2177); default 25m.
	IdleRestart time.Duration
	// RecheckInterval, when positive, looks for new mail with NOOP at this
	// interval instead of waiting in IDLE: Dovecot holds back IDLE's EXISTS
	// for 500 ms after a delivery (NOTIFY_DELAY_MSECS), which a receipt
	// within 100 ms cannot afford. 0: IDLE (or PollInterval without it).
	RecheckInterval time.Duration
	// BurstInterval, when positive, looks for more mail with NOOP at this
	// interval for BurstWindow after a pass found some, before going back
	// to IDLE: Dovecot holds back IDLE's EXISTS 500 ms after a delivery,
	// while a citizen's receipt should go out within 100 ms. Mail that
	// arrives during a pass is taken in the next pass at once, as one
	// batch. Default 50ms; negative: off (IDLE only).
	BurstInterval time.Duration
	// BurstWindow is how long after the last new mail the intake keeps
	// looking with NOOP; default 30s.
	BurstWindow time.Duration
	// TLSConfig is used for implicit TLS and STARTTLS; may be nil. Its
	// ServerName defaults to the host of Address.
	TLSConfig *tls.Config
	// MinBackoff and MaxBackoff bound the exponential backoff (with jitter)
	// for reconnects and for retrying a kept or failed message; default 1s
	// and 1m.
	MinBackoff, MaxBackoff time.Duration
	// DialTimeout bounds connecting and the TLS handshake; default 30s.
	DialTimeout time.Duration
	// FetchBatch is how many messages are fetched whole (and registered in
	// one commit) at most at once; default 100. A pass starts with batches
	// of at most FirstFetchBatch and doubles them while the backlog lasts.
	FetchBatch int
	// FirstFetchBatch is the first batch of a pass, at most FetchBatch;
	// default 10: the first messages of a backlog, or a lone new one, are
	// committed and moved without waiting for a large batch.
	FirstFetchBatch int
	// FetchBatchBytes caps the summed size in memory of one batch (a
	// single larger message is still fetched alone); default 8 MiB: a
	// batch of large messages stays small in memory, and one commit per
	// 8 MiB costs little. A message fetched into a file (SpoolDir) counts
	// at 64 KiB when the Handler is a Preparer (its Lean copy is dropped
	// once prepared), and the Lean copies awaiting Prepare are held to
	// this cap too. Up to three batches are held at once (one being
	// registered, two fetched ahead; a batch with a message of 16 MiB or
	// more alone), so a backlog holds up to three times this.
	FetchBatchBytes int64
	// BacklogHold is the longest GiveWay holds other work back while a
	// backlog is drained, from the start of the pass; default 60s,
	// negative: never.
	BacklogHold time.Duration
	// MaxMessageSize: a message whose RFC822.SIZE exceeds it is fetched
	// header only and offered with Delivery.HeaderOnly, so its body never
	// enters memory; 0: no limit.
	MaxMessageSize int64
	// SpoolDir, when not "", is where a message of at least SpoolMin bytes
	// is streamed while it is fetched, instead of read into memory: a
	// temporary file (a name holding ".tmp-", removed after its batch)
	// offered in Delivery.File with its SHA-256 and a Lean copy to parse.
	SpoolDir string
	SpoolMin int64
	// OnIdle, if set, is called each time a pass has finished and the intake
	// waits for new mail (after the server accepted IDLE, or before a poll
	// sleep). For tests; may be nil. It must not block.
	OnIdle func()
	// OnConnected, if set, is called when a session has handled the
	// backlog and waits for mail for the first time: the mailbox is read.
	// It must not block. May be nil.
	OnConnected func()
	// Now is the clock of State's times; default time.Now.
	Now func() time.Time
	// DontRecover lets a panicking Handler crash the process instead of
	// being recovered into a handler error. For tests.
	DontRecover bool
}

// Authenticator supplies the SASL client for each login, e.g. an OAuth2
// token source presenting XOAUTH2 or OAUTHBEARER. Its methods may be
// called from Run's goroutine at any time.
type Authenticator interface {
	// SASLClient returns a client carrying a currently valid credential.
	SASLClient(ctx context.Context) (sasl.Client, error)
	// Invalidate drops the credential the server just refused, so the
	// next SASLClient fetches a new one.
	Invalidate()
}

// Default values.
const (
	DefaultMailbox           = "INBOX"
	DefaultRegisteredMailbox = "Registrerade"
	DefaultQuarantineMailbox = "Karantän"
	DefaultBurstInterval     = 50 * time.Millisecond
	DefaultBurstWindow       = 30 * time.Second
	DefaultBacklogHold       = 60 * time.Second
)

// DefaultConfig returns a Config with every default filled in and no
// address or credentials.
func DefaultConfig() Config {
	return Config{
		TLS:               TLSImplicit,
		Mailbox:           DefaultMailbox,
		RegisteredMailbox: DefaultRegisteredMailbox,
		QuarantineMailbox: DefaultQuarantineMailbox,
		PollInterval:      time.Minute,
		IdleRestart:       25 * time.Minute,
		MinBackoff:        time.Second,
		MaxBackoff:        time.Minute,
		DialTimeout:       30 * time.Second,
		FetchBatch:        100,
		FirstFetchBatch:   10,
		FetchBatchBytes:   8 << 20,
		BacklogHold:       DefaultBacklogHold,
		BurstInterval:     DefaultBurstInterval,
		BurstWindow:       DefaultBurstWindow,
	}
}

// withDefaults returns cfg with zero fields set to their defaults.
func (cfg Config) withDefaults() Config {
	d := DefaultConfig()
	setDefault(&cfg.TLS, d.TLS)
	setDefault(&cfg.Mailbox, d.Mailbox)
	setDefault(&cfg.RegisteredMailbox, d.RegisteredMailbox)
	setDefault(&cfg.QuarantineMailbox, d.QuarantineMailbox)
	setDefault(&cfg.PollInterval, d.PollInterval)
	setDefault(&cfg.IdleRestart, d.IdleRestart)
	setDefault(&cfg.MinBackoff, d.MinBackoff)
	setDefault(&cfg.MaxBackoff, d.MaxBackoff)
	setDefault(&cfg.DialTimeout, d.DialTimeout)
	setDefault(&cfg.FetchBatch, d.FetchBatch)
	setDefault(&cfg.FirstFetchBatch, d.FirstFetchBatch)
	setDefault(&cfg.FetchBatchBytes, d.FetchBatchBytes)
	setDefault(&cfg.BacklogHold, d.BacklogHold)
	setDefault(&cfg.BurstInterval, d.BurstInterval)
	setDefault(&cfg.BurstWindow, d.BurstWindow)
	if cfg.BurstInterval < 0 {
		cfg.BurstInterval = 0 // off
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

func setDefault[T comparable](field *T, def T) {
	var zero T
	if *field == zero {
		*field = def
	}
}

// Validate checks a Config after defaults; errors name the config key.
func (cfg Config) Validate() error {
	if _, _, err := net.SplitHostPort(cfg.Address); err != nil {
		return fmt.Errorf("imap.address: must be host:port: %w", err)
	}
	switch cfg.TLS {
	case TLSImplicit, TLSStartTLS, TLSNone:
	default:
		return fmt.Errorf("imap.tls: must be one of implicit, starttls, none (got %q)", cfg.TLS)
	}
	if cfg.RegisteredMailbox == cfg.Mailbox || cfg.QuarantineMailbox == cfg.Mailbox {
		return fmt.Errorf("imap.registered_mailbox: registered and quarantine mailboxes must differ from imap.mailbox")
	}
	if cfg.IdleRestart <= 0 || cfg.IdleRestart >= 29*time.Minute {
		return fmt.Errorf("imap.idle_restart: must be between 0 and 29m (RFC 2177)")
	}
	if cfg.PollInterval <= 0 || cfg.MinBackoff <= 0 || cfg.MaxBackoff < cfg.MinBackoff {
		return fmt.Errorf("imap.poll_interval: intervals must be positive and min backoff ≤ max backoff")
	}
	if cfg.FetchBatch < 1 || cfg.FetchBatchBytes < 1 {
		return fmt.Errorf("imap.fetch_batch: must be positive")
	}
	if cfg.BurstInterval > 0 && (cfg.BurstWindow < cfg.BurstInterval || cfg.BurstInterval > time.Minute) {
		return fmt.Errorf("imap.burst_interval: must be at most 1m and at most imap.burst_window")
	}
	if cfg.MaxMessageSize < 0 {
		return fmt.Errorf("intake.max_message_size: must not be negative")
	}
	return nil
}
