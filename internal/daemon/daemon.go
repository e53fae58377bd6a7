// Package daemon owns the wiring of a running synpunkt: from a loaded
// config it opens the store, builds the options of each part once (the
// classifier's, casework's), the redactor, the composer, the senders,
// casework (Intake and Service), the outbox worker and the IMAP intake,
// and runs them until it is told to stop.
//
// What always holds: components are started in dependency order and stopped
// in reverse: on shutdown, intake stops taking messages first (finishing the
// one in hand), then the outbox worker finishes its current send, then the
// store is closed. Nothing is acknowledged to the IMAP server before the
// store has committed it.
//
// One daemon per database: Run holds an exclusive instance lock (flock on
// "<database>.lock") and a second one refuses to start with ErrLocked.
// Commands beside it queue their notifications and leave the sending to it
// (Flush); without a running daemon they send what they queued themselves.
//
// How it fails: New returns a wrapped error for a bad template directory, an
// unopenable database or an SMS configuration twilio-go rejects; Run
// returns ErrLocked when another daemon holds the database, and otherwise
// only when ctx is cancelled, since intake and outbox retry their own
// failures with backoff.
package daemon

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/casework/retention"
	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/classify/pii"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/health"
	"github.com/exempelby/synpunkt/internal/oauth"
	"github.com/exempelby/synpunkt/internal/report"
	"github.com/exempelby/synpunkt/internal/sdnotify"
	"github.com/exempelby/synpunkt/mailbox"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/outbox"
	"github.com/exempelby/synpunkt/notify/smssend"
	"github.com/exempelby/synpunkt/notify/smtpsend"
	"github.com/exempelby/synpunkt/store"
)

// Daemon is a wired synpunkt.
type Daemon struct {
	Config   *config.Config
	Store    *store.Store
	Pipeline *casework.Intake
	Casework *casework.Service
	Outbox   *outbox.Worker
	Reports  *report.Schedule // the [[reports]] to committees
	log      *slog.Logger
	now      func() time.Time
	obOpt    outbox.Options // to rebuild the worker once secrets are read
	ownSends bool           // senders come from Options, not the config
	// built are the senders built from the config, closed by Close (the
	// SMTP sender's idle connection is ended with QUIT).
	built []notify.Sender
	// Tokens are the OAuth2 token sources by section (imap, smtp); empty
	// without [imap.oauth2] and [smtp.oauth2].
	Tokens map[string]*oauth.Source
	// Health serves /healthz, /readyz and /metrics; set by Run. More
	// handlers (the web view) can be mounted on it with Handle.
	Health *health.Server
	// Web, when set before Run, is served on the same listener at "/"
	// (the web view and the public diary); the health paths win.
	Web          http.Handler
	composer     *notify.Composer
	httpListener net.Listener // from Options; may be nil
}

// Options adjust New for tests and the demo.
type Options struct {
	Now func() time.Time // nil: time.Now
	// Senders replaces the senders built from the config (may be nil).
	Senders map[synpunkt.Medium]notify.Sender
	// OutboxBackoff overrides outbox.min_backoff (tests).
	OutboxBackoff time.Duration
	// ReadOnly wires for a command that only reads (cases, deadlines
	// --dry-run) from a config loaded without secrets: no senders are
	// built and the thread key is a throw-away one, since nothing is sent.
	ReadOnly bool
	// HTTPListener serves health and metrics instead of listening on
	// http.listen (tests); may be nil.
	HTTPListener net.Listener
}

// New wires a daemon from cfg.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger, opt Options) (*Daemon, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	st, err := store.Open(ctx, cfg.Store.Path, store.Options{CaseNumberFormat: cfg.Organisation.CaseNumberFormat, Now: opt.Now, AllowGroupRead: cfg.Store.AllowGroupRead})
	if err != nil {
		return nil, err
	}
	// Spool files of transactions a crash cut short (a file is written
	// before the commit of the row that refers to it).
	if n, err := st.SweepSpool(ctx); err != nil {
		st.Close()
		return nil, err
	} else if n > 0 {
		log.Info("removed spool files no ledger row refers to", "count", n)
	}
	d, err := wire(ctx, cfg, st, log, opt)
	if err != nil {
		st.Close()
		return nil, err
	}
	return d, nil
}

func wire(ctx context.Context, cfg *config.Config, st *store.Store, log *slog.Logger, opt Options) (*Daemon, error) {
	composer, err := buildComposer(cfg)
	if err != nil {
		return nil, err
	}
	composer.Now = opt.Now
	d := &Daemon{Config: cfg, Store: st, log: log, now: opt.Now, composer: composer, Tokens: map[string]*oauth.Source{}, httpListener: opt.HTTPListener}
	if !opt.ReadOnly {
		if err := d.buildTokens(); err != nil {
			return nil, err
		}
	}
	cl, err := classify.New(classify.OptionsFrom(cfg))
	if err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	key, err := threadKey(ctx, cfg, st, opt.ReadOnly)
	if err != nil {
		return nil, err
	}
	senders := opt.Senders
	if senders == nil && opt.ReadOnly {
		senders = map[synpunkt.Medium]notify.Sender{}
	}
	if senders == nil {
		if senders, err = buildSenders(cfg, smtpAuth(d.Tokens["smtp"])); err != nil {
			return nil, err
		}
		d.keepSenders(senders)
	}
	policy, err := lifecycle.NewPolicy(cfg.Deadlines, cfg.Units)
	if err != nil {
		return nil, fmt.Errorf("deadlines: %w", err)
	}
	threads := casework.NewThreads(cfg.Organisation.MailboxAddress, key, cfg.Organisation.CaseNumberFormat)
	cwo := caseworkOptions(cfg)
	work := casework.New(casework.Deps{Options: cwo, Store: st, Composer: composer, Threads: threads, Policy: policy, Now: opt.Now, Log: log})
	p := casework.NewIntake(casework.IntakeDeps{Options: cwo, Store: st, Composer: composer, Classifier: cl, Redactor: pii.New(), Threads: threads,
		Casework: work, Policy: policy, Now: opt.Now, Log: log})
	ob := outbox.Options{MaxAttempts: cfg.Outbox.MaxAttempts, MinBackoff: cfg.Outbox.MinBackoff.Duration, MaxBackoff: cfg.Outbox.MaxBackoff.Duration, Now: opt.Now}
	if opt.OutboxBackoff > 0 {
		ob.MinBackoff, ob.MaxBackoff = opt.OutboxBackoff, 4*opt.OutboxBackoff
	}
	ob.OnFailed = alertFailed(cfg, st, composer, log)
	w := outbox.New(st, senders, ob, log)
	p.OnCommit, work.OnCommit = w.Kick, w.Kick
	reports := report.NewSchedule(report.ScheduleDeps{Store: st, Composer: composer, Reports: cfg.Reports, Organisation: cfg.Organisation.Name,
		Calendar: policy.Calendar(), Now: opt.Now, Log: log, OnCommit: w.Kick})
	d.Pipeline, d.Casework, d.Outbox, d.Reports, d.obOpt, d.ownSends = p, work, w, reports, ob, opt.Senders != nil
	return d, nil
}

// caseworkOptions picks what casework reads out of the config, once.
func caseworkOptions(cfg *config.Config) casework.Options {
	return casework.Options{
		OrgName: cfg.Organisation.Name, MailboxAddress: cfg.Organisation.MailboxAddress,
		Domains: cfg.Organisation.Domains, AuthservID: cfg.Organisation.AuthservID, Units: cfg.Units,
		MaxMessageSize: cfg.Intake.MaxMessageSize, OldMessageAge: cfg.Intake.OldMessageAge.Duration,
		MaxReceiptsPerSenderPerDay: cfg.Receipts.MaxPerSenderPerDay,
		DigestTime:                 cfg.Deadlines.DigestTime, DigestTo: cfg.Deadlines.DigestTo,
		ReceiptLanguages: cfg.Receipts.Languages,
	}
}

// threadKey returns the key that signs reply addresses: the configured one,
// else the one kept in the store (made on first use). A read-only daemon
// sends nothing and reads no secret, so it gets a throw-away key.
func threadKey(ctx context.Context, cfg *config.Config, st *store.Store, readOnly bool) ([]byte, error) {
	if readOnly {
		key := make([]byte, 32)
		rand.Read(key) //nolint:errcheck // crypto/rand.Read never fails
		return key, nil
	}
	key, err := cfg.ThreadKey()
	if err != nil || key != nil {
		return key, err
	}
	return st.Secret(ctx, "thread_key", 32)
}

func buildComposer(cfg *config.Config) (*notify.Composer, error) {
	t, err := notify.LoadTemplates(cfg.Templates.Dir)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	_, domain, _ := strings.Cut(cfg.Organisation.MailboxAddress, "@")
	org := notify.Org{Name: cfg.Organisation.Name, MailboxAddress: cfg.Organisation.MailboxAddress, FromHeader: cfg.SMTP.From, Domain: domain}
	if cfg.SMS != nil {
		org.SMSFrom = cfg.SMS.From
	}
	return notify.NewComposer(org, t)
}

func buildSenders(cfg *config.Config, auth smtpsend.Authenticator) (map[synpunkt.Medium]notify.Sender, error) {
	s := map[synpunkt.Medium]notify.Sender{
		synpunkt.MediumEmail: smtpsend.New(smtpsend.Config{
			Address: cfg.SMTP.Address, TLS: cfg.SMTP.TLS, Username: cfg.SMTP.Username, Password: cfg.SMTP.Password,
			InsecureSkipVerify: cfg.SMTP.InsecureSkipVerify, RootCAs: cfg.SMTP.RootCAs, Auth: auth,
		}),
	}
	if cfg.SMS != nil {
		sms, err := smssend.New(smssend.Config{AccountSID: cfg.SMS.AccountSID, AuthToken: cfg.SMS.AuthToken, From: cfg.SMS.From, BaseURL: cfg.SMS.BaseURL})
		if err != nil {
			return nil, fmt.Errorf("sms: %w", err)
		}
		s[synpunkt.MediumSMS] = sms
	}
	return s, nil
}

// keepSenders notes senders built from the config, for Close.
func (d *Daemon) keepSenders(senders map[synpunkt.Medium]notify.Sender) {
	for _, s := range senders {
		d.built = append(d.built, s)
	}
}

// Close closes the senders built from the config (those of Options are
// the caller's) and the store.
func (d *Daemon) Close() error {
	var errs []error
	for _, s := range d.built {
		if c, ok := s.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	d.built = nil
	errs = append(errs, d.Store.Close())
	return errors.Join(errs...)
}

// Run runs IMAP intake and the outbox worker until ctx is cancelled, then
// shuts down in order: intake first, then the outbox.
func (d *Daemon) Run(ctx context.Context) error {
	for _, w := range d.Config.Warnings() {
		d.log.Warn("UNSAFE CONFIGURATION", "warning", w)
	}
	lock, err := AcquireLock(d.Config.Store.Path)
	if err != nil {
		return err
	}
	defer lock.Release()
	if n, err := outbox.ReleaseStale(ctx, d.Store); err != nil {
		return err
	} else if n > 0 {
		d.log.Warn("released the outbox leases of a process that is gone; the send it had in flight may be repeated", "leases", n)
	}
	_, lastUID, err := d.Store.LoadCheckpoint(ctx, d.Config.IMAP.Mailbox)
	if err != nil {
		return err
	}
	h := &Handler{P: d.Pipeline, FirstStart: lastUID == 0, Started: d.now(), Now: d.now}
	mc := IntakeConfig(d.Config)
	mc.Auth, mc.OnConnected, mc.Now = d.imapAuth(), d.notifyReady(), d.now
	in := mailbox.New(mc, h, d.Store, d.log)
	// A backlog is registered first, its notifications sent after it
	// (bounded: mailbox.Config.BacklogHold).
	d.Outbox.GiveWayTo(in.GiveWay)
	waitOps, err := d.runOps(ctx, in)
	if err != nil {
		return err
	}
	h.Observe = d.Health.ObserveIntake
	obCtx, stopOutbox := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		d.Outbox.Run(obCtx)
	}()
	go func() {
		defer wg.Done()
		d.Casework.RunScheduler(ctx, d.Config.Deadlines.CheckInterval.Duration)
	}()
	go func() {
		defer wg.Done()
		d.Reports.Loop(ctx, d.Config.Deadlines.CheckInterval.Duration)
	}()
	if at := d.Config.Retention.PurgeTime; at != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			retention.New(d.Store, d.Config.Retention, d.now, d.log).RunDaily(ctx, at)
		}()
	}
	err = in.Run(ctx)
	_ = sdnotify.Notify(sdnotify.Stopping)
	d.log.Info("intake stopped; flushing outbox")
	stopOutbox()
	wg.Wait()
	waitOps()
	return err
}
