package daemon

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"time"

	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/mailbox"
	"github.com/exempelby/synpunkt/store"
)

// Handler adapts casework's Intake to IMAP intake.
type Handler struct {
	P *casework.Intake
	// FirstStart is true when the mailbox had no checkpoint: messages that
	// were already there when the daemon started are backlog.
	FirstStart bool
	Started    time.Time
	// Now is the clock of Observe; may be nil when Observe is.
	Now func() time.Time
	// Observe, if set, hears how long a new (not backlog) message took
	// from its arrival at the server to its registration.
	Observe func(time.Duration)
}

var _ mailbox.Handler = (*Handler)(nil)

// source describes where a delivery comes from.
func (h *Handler) source(d mailbox.Delivery) casework.Source {
	src := casework.Source{
		Name:       fmt.Sprintf("imap:%s/%d/%d", d.Mailbox, d.UIDValidity, d.UID),
		ReceivedAt: d.InternalDate,
		Backlog:    h.FirstStart && d.InternalDate.Before(h.Started),
		File:       d.File, // a big message fetched into a file, nil otherwise
	}
	if d.HeaderOnly {
		src.Oversize = d.Size
	}
	return src
}

var _ mailbox.Preparer = (*Handler)(nil)

// Prepare parses a delivery ahead of Handle, off the store's write lock.
func (h *Handler) Prepare(d mailbox.Delivery) any {
	if pre := h.P.Prepare(h.source(d), d.Raw); pre != nil {
		return pre
	}
	return nil // not a typed nil in the interface
}

// Handle registers one delivery and says where the message goes.
func (h *Handler) Handle(ctx context.Context, d mailbox.Delivery) (mailbox.Disposition, error) {
	src := h.source(d)
	pre, _ := d.Prepared.(*casework.Prepared)
	res, err := h.P.HandlePrepared(ctx, src, d.Raw, pre)
	if err != nil {
		return mailbox.Keep, err
	}
	if res.Outcome == casework.Quarantined {
		return mailbox.Quarantined, nil
	}
	if h.Observe != nil && !src.Backlog {
		h.Observe(h.Now().Sub(d.InternalDate))
	}
	return mailbox.Registered, nil
}

// IntakeConfig maps the config's [imap] section to the intake's config.
func IntakeConfig(c *config.Config) mailbox.Config {
	m := c.IMAP
	mc := mailbox.Config{
		Address: m.Address, TLS: mailbox.TLSMode(m.TLS), Username: m.Username, Password: m.Password,
		Mailbox: m.Mailbox, RegisteredMailbox: m.RegisteredMailbox, QuarantineMailbox: m.QuarantineMailbox,
		PollInterval: m.PollInterval.Duration, IdleRestart: m.IdleRestart.Duration,
		RecheckInterval: m.RecheckInterval.Duration,
		BurstInterval:   m.BurstInterval.Duration, BurstWindow: m.BurstWindow.Duration,
		MaxMessageSize: c.Intake.MaxMessageSize,
		// A big message is fetched into a file in the store's spool
		// directory, which the store links into the spool at commit.
		SpoolDir: store.SpoolDir(c.Store.Path), SpoolMin: store.DefaultSpoolThreshold,
	}
	if mc.BurstInterval == 0 {
		mc.BurstInterval = -1 // "0s" in the config: off
	}
	if m.InsecureSkipVerify || m.RootCAs != nil {
		mc.TLSConfig = &tls.Config{InsecureSkipVerify: m.InsecureSkipVerify, RootCAs: m.RootCAs}
	}
	return mc
}

var _ mailbox.Digester = (*Handler)(nil)

// NewDigest is the pipeline's digest of a message fetched into a file.
func (h *Handler) NewDigest() io.Writer { return h.P.NewDigest() }

var _ mailbox.Batcher = (*Handler)(nil)

// Batch commits the Handle calls made inside f together (group commit).
func (h *Handler) Batch(ctx context.Context, f func(ctx context.Context) error) error {
	return h.P.Batch(ctx, f)
}

var _ mailbox.Syncer = (*Handler)(nil)

// Sync makes the batches committed so far durable, before their messages
// are moved out of the inbox.
func (h *Handler) Sync(ctx context.Context) error { return h.P.Sync(ctx) }
