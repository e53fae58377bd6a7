package daemon

import (
	"context"
	"fmt"

	"github.com/exempelby/synpunkt/notify/outbox"
)

// Flushed is what Flush did with the notifications a command queued.
type Flushed struct {
	// ToDaemon is true when a running daemon holds the database: it sends
	// them, and Flush sent nothing.
	ToDaemon bool
	// NoSecrets is why Flush could not send (a secret it needs is not set
	// in this shell); nil when it could. The daemon sends them later.
	NoSecrets error
	Sent      int      // sent now
	Paused    []string // channels that refused (a channel fault); they stay queued
}

// Flush sends the notifications a command queued: those with an id above
// afterID and those in ids. When a daemon runs on the database it leaves
// them to it, so the command needs no SMTP or SMS secrets; otherwise it
// reads the secrets and sends them itself, each claimed with a lease so
// that a daemon starting meanwhile cannot send one twice.
func (d *Daemon) Flush(ctx context.Context, afterID int64, ids []int64) (Flushed, error) {
	running, err := Running(d.Config.Store.Path)
	if err != nil {
		return Flushed{}, err
	}
	if running {
		return Flushed{ToDaemon: true}, nil
	}
	if !d.ownSends {
		if err := d.Config.ResolveSecrets(); err != nil {
			return Flushed{NoSecrets: err}, nil
		}
		src, err := OAuthSource(d.Config, "smtp", d.log, d.now, nil)
		if err != nil {
			return Flushed{}, err
		}
		senders, err := buildSenders(d.Config, smtpAuth(src))
		if err != nil {
			return Flushed{}, err
		}
		d.keepSenders(senders)
		d.Outbox = outbox.New(d.Store, senders, d.obOpt, d.log)
	}
	n, err := d.Outbox.DrainOnly(ctx, afterID, ids)
	if err != nil {
		return Flushed{Sent: n}, fmt.Errorf("send queued notifications: %w", err)
	}
	return Flushed{Sent: n, Paused: d.Outbox.Paused()}, nil
}
