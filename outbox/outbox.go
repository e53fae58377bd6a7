// Package outbox owns the delivery of notifications that the pipeline wrote
// to the store's outbox table: forwards to managers, receipts to citizens,
// reminders and notices.
//
// What always holds: a notification is marked sent only after the server
// (SMTP or the SMS API) accepted it, so a crash can at worst repeat the one
// send that was in flight; retry state lives in the database, so a restart
// continues where the last run left off; a send already under way finishes
// (with its own timeout) even when the worker is asked to stop.
//
// How it fails: a temporary failure (4xx, network, rate limit) is retried
// with exponential backoff up to max attempts; a permanent failure (5xx,
// invalid number) or exhausted attempts marks the notification failed and
// writes an event on its case. Store errors pause the loop with backoff.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// Options tune the worker.
type Options struct {
	MaxAttempts int           // default 12
	MinBackoff  time.Duration // default 30s
	MaxBackoff  time.Duration // default 1h
	SendTimeout time.Duration // per send; default 60s
	Now         func() time.Time
}

// Worker sends due notifications.
type Worker struct {
	st      *store.Store
	senders map[notify.Channel]notify.Sender
	opt     Options
	log     *slog.Logger
	kick    chan struct{}
	mu      sync.Mutex // serialises Drain
}

// New returns a worker sending through senders, keyed by channel. A channel
// without a sender fails its notifications permanently.
func New(st *store.Store, senders map[notify.Channel]notify.Sender, opt Options, log *slog.Logger) *Worker {
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 12
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 30 * time.Second
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = time.Hour
	}
	if opt.SendTimeout <= 0 {
		opt.SendTimeout = 60 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Worker{st: st, senders: senders, opt: opt, log: log.With("component", "outbox"), kick: make(chan struct{}, 1)}
}

// Kick wakes the worker, e.g. after a commit that enqueued notifications.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run sends due notifications until ctx is cancelled.
func (w *Worker) Run(ctx context.Context) error {
	errBackoff := time.Second
	for {
		_, err := w.Drain(ctx)
		wait := time.Minute
		if err != nil && ctx.Err() == nil {
			w.log.Error("outbox pass failed", "err", err)
			wait, errBackoff = errBackoff, min(errBackoff*2, time.Minute)
		} else {
			errBackoff = time.Second
			if next, ok, err := w.st.NextOutboxAt(ctx); err == nil && ok {
				wait = max(min(next.Sub(w.opt.Now()), time.Minute), 10*time.Millisecond)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-w.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// Drain sends every notification due now and returns how many were sent.
// It stops early when ctx is cancelled, after finishing the send in hand.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sent := 0
	for ctx.Err() == nil {
		due, err := w.st.DueOutbox(ctx, w.opt.Now(), 50)
		if err != nil {
			return sent, fmt.Errorf("outbox: %w", err)
		}
		if len(due) == 0 {
			return sent, nil
		}
		for _, o := range due {
			if ctx.Err() != nil {
				break
			}
			ok, err := w.deliver(ctx, o)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// deliver sends one notification and records the outcome. The send itself
// is not cancelled by ctx: a stopping daemon lets it finish.
func (w *Worker) deliver(ctx context.Context, o store.OutboxRow) (bool, error) {
	log := w.log.With("outbox_id", o.ID, "kind", o.Kind, "channel", o.Channel, "case_id", o.CaseID)
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.opt.SendTimeout)
	err := w.send(sendCtx, o)
	cancel()
	recCtx := context.WithoutCancel(ctx)
	switch {
	case err == nil:
		log.Info("notification sent", "attempt", o.Attempts+1)
		return true, w.st.MarkSent(recCtx, o)
	case notify.IsTemporary(err) && o.Attempts+1 < w.opt.MaxAttempts:
		next := w.opt.Now().Add(w.backoff(o.Attempts))
		log.Warn("notification failed, will retry", "err", err, "attempt", o.Attempts+1, "next_attempt", next)
		return false, w.st.MarkRetry(recCtx, o.ID, next, err.Error())
	default:
		log.Error("notification failed permanently", "err", err, "attempt", o.Attempts+1)
		return false, w.st.MarkFailed(recCtx, o, err.Error())
	}
}

func (w *Worker) send(ctx context.Context, o store.OutboxRow) error {
	s, ok := w.senders[notify.Channel(o.Channel)]
	if !ok || s == nil {
		return notify.Permanent(fmt.Errorf("no sender configured for channel %q", o.Channel))
	}
	err := s.Send(ctx, &notify.Outgoing{
		Channel: notify.Channel(o.Channel), Kind: o.Kind, From: o.From, To: o.To, MessageID: o.MessageID, Payload: o.Payload,
	})
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		return notify.Temporary(err)
	}
	return err
}

// backoff returns the wait before attempt n+1: MinBackoff·2ⁿ with ±20 %
// jitter, capped at MaxBackoff.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.opt.MinBackoff
	for i := 0; i < attempts && d < w.opt.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.opt.MaxBackoff)
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	return d + jitter
}
