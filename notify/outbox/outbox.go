// Package outbox owns the delivery of notifications (synpunkt.Notification)
// that casework wrote to the store's outbox table: forwards to managers, receipts to citizens,
// reminders and notices.
//
// What always holds: a worker claims a notification (a lease in the store,
// with an owner and an expiry, taken in a transaction) before it sends it,
// so two workers — the daemon and a command, or two processes on one
// database — never send the same one; a notification is marked sent only
// after the server (SMTP or the SMS API) accepted it; retry state lives in
// the database, so a restart continues where the last run left off; a send
// already under way finishes (with its own timeout) even when the worker is
// asked to stop. Payloads are read one at a time, when their turn comes.
//
// Recording results: by default the result of a send is recorded before
// the next send starts, so a crash can at worst repeat the one send that
// was in flight (its lease runs out, or ReleaseStale drops it, and it is
// sent again). With Options.RecordGroup above 1 the results of
// consecutive sends are recorded together, in one transaction (one commit
// under the store's write lock for a group instead of one per send): when
// RecordGroup results have gathered, a second after the first of them,
// before a send during which the lease of one could run out, before a
// forward is sent again without its original, and at the end of every
// pass. A result is thus always recorded while its notification is still
// leased to this worker, so nothing else claims a notification that was
// sent before it is recorded as sent. What a crash can repeat is then
// every send of the group not yet recorded: at most RecordGroup sends,
// each begun less than a second after the first result of the group; and
// a store that can no longer be written is noticed when the group is
// recorded, after up to RecordGroup sends.
//
// How it fails: it decides by the *notify.Error class (errors.As), never by
// text. A channel fault (rejected credentials, untrusted certificate,
// connection refused, 421, Twilio 401/429/5xx) pauses that channel: logged
// at ERROR once when it starts and at INFO when a send succeeds again, the
// channel retried with backoff for as long as it takes, and the
// notification neither loses an attempt nor fails. A temporary failure of
// the message (a 4xx to its recipient) is retried with backoff up to max
// attempts; a permanent one (550, an invalid number) or exhausted attempts
// marks it failed with an event on its case, and OnFailed is told. A forward
// too large for the relay is sent again without the original attached.
// When the store cannot record a result (a full disk), the worker stops
// sending altogether — nothing is sent twice — logs that at ERROR once,
// keeps the unrecorded results in memory and resumes once they are written
// (all of them in one transaction).
// Logs and events carry the notification's id and the failure's code, never
// the server's text (which may name the recipient); that text is kept only
// in the outbox row.
package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// ErrPaused is returned (wrapped) by Drain while the store cannot be
// written (a full disk): nothing is claimed or sent until it can, and the
// results of sends already made are kept until they are recorded.
var ErrPaused = errors.New("outbox paused: the store cannot be written")

// Store is the part of *store.Store the worker uses.
type Store interface {
	DueOutboxQuery(ctx context.Context, q store.DueQuery) ([]store.OutboxRow, error)
	ClaimOutbox(ctx context.Context, id int64, owner string, now, until time.Time) ([]byte, bool, error)
	ClaimOutboxBatch(ctx context.Context, ids []int64, owner string, now, until time.Time) ([]int64, error)
	OutboxPayload(ctx context.Context, id int64) ([]byte, error)
	ReleaseClaims(ctx context.Context, owner string, ids []int64) error
	RecordOutbox(ctx context.Context, results []store.OutboxResult) error
	ReplacePayload(ctx context.Context, id int64, payload []byte, leaseUntil time.Time) error
	NextOutboxAt(ctx context.Context, skip ...string) (time.Time, bool, error)
}

var _ Store = (*store.Store)(nil)

// partsStore is a Store that reads a forward with its original apart, so
// a big original is not copied into the payload before it is sent.
type partsStore interface {
	OutboxStream(ctx context.Context, id int64) (payload []byte, orig store.RawReader, at int, err error)
	ClaimOutboxStream(ctx context.Context, id int64, owner string, now, until time.Time) (payload []byte, orig store.RawReader, at int, ok bool, err error)
}

var _ partsStore = (*store.Store)(nil)

// Options tune the worker.
type Options struct {
	MaxAttempts int           // default 12
	MinBackoff  time.Duration // default 30s
	MaxBackoff  time.Duration // default 1h
	// MaxPause caps the wait between probes of a paused channel, so a fixed
	// password is noticed soon; default 5m.
	MaxPause    time.Duration
	SendTimeout time.Duration // per send; default 60s
	// Poll is the longest Run sleeps between passes, so that notifications
	// queued by another process are picked up; default 5s.
	Poll time.Duration
	// BatchSize is how many due notifications are listed at a time (their
	// payloads are read one by one); default 50.
	BatchSize int
	// RecordGroup is how many results of sends may wait to be recorded
	// together in one transaction; 0 or 1: each before the next send. More
	// means fewer commits, and that a crash can repeat that many sends
	// (see the package comment).
	RecordGroup int
	// GiveWay, when set, is called before each batch of due notifications
	// is claimed, and may block to let other work go first (the daemon:
	// the intake while it drains a backlog, mailbox.Intake.GiveWay); it
	// must return when ctx is done.
	GiveWay func(ctx context.Context)
	Now     func() time.Time
	// OnFailed is called after a notification was marked failed for good,
	// e.g. to alert the contact center of a forward that was not
	// delivered. summary has no free text from the server. May be nil.
	OnFailed func(ctx context.Context, o store.OutboxRow, summary string)
}

// Worker sends due notifications.
type Worker struct {
	st      Store
	senders map[synpunkt.Medium]notify.Sender
	opt     Options
	log     *slog.Logger
	kick    chan struct{}
	owner   string // lease owner, unique per worker; immutable

	mu     sync.Mutex // serialises Drain; guards what follows
	paused map[string]*pause
	// pending are the results not yet recorded, oldest first: those
	// gathered for a group, or kept after the store failed to write them.
	pending []store.OutboxResult
	// pendingSince is when the oldest of pending was added, leaseEnd the
	// earliest end of their notifications' leases.
	pendingSince, leaseEnd time.Time
	storeFault             bool // the last store write failed
}

// recordDelay is how long a result may wait for others to be recorded
// with (Options.RecordGroup).
const recordDelay = time.Second

// pause is the state of a channel after a channel fault.
type pause struct {
	until time.Time     // next probe
	wait  time.Duration // current probe interval
}

// New returns a worker sending through senders, keyed by channel. A channel
// without a sender fails its notifications permanently.
func New(st Store, senders map[synpunkt.Medium]notify.Sender, opt Options, log *slog.Logger) *Worker {
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 12
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 30 * time.Second
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = time.Hour
	}
	if opt.MaxPause <= 0 {
		opt.MaxPause = 5 * time.Minute
	}
	if opt.SendTimeout <= 0 {
		opt.SendTimeout = 60 * time.Second
	}
	if opt.Poll <= 0 {
		opt.Poll = 5 * time.Second
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 50
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Worker{st: st, senders: senders, opt: opt, log: log.With("component", "outbox"), kick: make(chan struct{}, 1),
		owner: newOwner(), paused: map[string]*pause{}}
}

// newOwner names this worker in leases: host, process and a random part.
func newOwner() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:]) //nolint:errcheck // crypto/rand.Read never fails
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Kick wakes the worker, e.g. after a commit that enqueued notifications.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// GiveWayTo sets Options.GiveWay; call it before Run.
func (w *Worker) GiveWayTo(f func(ctx context.Context)) { w.opt.GiveWay = f }

// Run sends due notifications until ctx is cancelled.
func (w *Worker) Run(ctx context.Context) error {
	errBackoff := time.Second
	for {
		_, err := w.Drain(ctx)
		wait := w.idle(ctx)
		if err != nil && ctx.Err() == nil {
			if !errors.Is(err, ErrPaused) {
				w.log.Error("outbox pass failed", "err", err)
			}
			wait, errBackoff = errBackoff, min(errBackoff*2, time.Minute)
		} else {
			errBackoff = time.Second
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

// idle returns how long to sleep: until the next due notification or
// channel probe, at most Poll.
func (w *Worker) idle(ctx context.Context) time.Duration {
	now := w.opt.Now()
	wait := w.opt.Poll
	skip := w.pausedChannels(now)
	if next, ok, err := w.st.NextOutboxAt(ctx, skip...); err == nil && ok {
		wait = min(wait, next.Sub(now))
	}
	w.mu.Lock()
	for _, p := range w.paused {
		wait = min(wait, p.until.Sub(now))
	}
	w.mu.Unlock()
	return max(wait, 10*time.Millisecond)
}

// Drain sends every notification due now and returns how many were sent.
// It stops early when ctx is cancelled, after finishing the send in hand.
func (w *Worker) Drain(ctx context.Context) (int, error) { return w.drain(ctx, store.DueQuery{}) }

// DrainOnly is Drain for the notifications a command queued: those with an
// id above afterID and those in ids.
func (w *Worker) DrainOnly(ctx context.Context, afterID int64, ids []int64) (int, error) {
	return w.drain(ctx, store.DueQuery{AfterID: afterID, IDs: ids})
}

func (w *Worker) drain(ctx context.Context, q store.DueQuery) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.flush(ctx); err != nil {
		return 0, err
	}
	sent := 0
	for ctx.Err() == nil {
		if w.opt.GiveWay != nil {
			w.opt.GiveWay(ctx)
		}
		q.Now, q.Limit, q.Skip = w.opt.Now(), w.opt.BatchSize, w.pausedLocked(w.opt.Now())
		due, err := w.st.DueOutboxQuery(ctx, q)
		if err != nil {
			return sent, fmt.Errorf("outbox: %w", err)
		}
		n, err := w.deliverAll(ctx, due)
		sent += n
		if err != nil || len(due) == 0 {
			return sent, err
		}
	}
	return sent, nil
}

// deliverAll delivers a batch, skipping channels paused along the way. The
// batch is claimed in one transaction, so a stream of receipts costs the
// store one commit per batch for the claims rather than one per send (the
// intake's group commit holds the same write lock); what is claimed but
// not sent (a channel paused meanwhile, a shutdown) is released.
func (w *Worker) deliverAll(ctx context.Context, due []store.OutboxRow) (int, error) {
	rows := make(map[int64]store.OutboxRow, len(due))
	var ids []int64
	for _, o := range due {
		if !w.pausedNow(o.Channel) {
			ids, rows[o.ID] = append(ids, o.ID), o
		}
	}
	if len(ids) == 0 || ctx.Err() != nil {
		return 0, nil
	}
	now := w.opt.Now()
	until := now.Add(w.lease())
	claimed, err := w.st.ClaimOutboxBatch(ctx, ids, w.owner, now, until)
	if err != nil {
		return 0, w.storeFailed(fmt.Errorf("%w: %w", ErrPaused, err))
	}
	sent := 0
	var unsent []int64
	for i, id := range claimed {
		o := rows[id]
		if ctx.Err() != nil || w.pausedNow(o.Channel) {
			unsent = append(unsent, id)
			continue
		}
		ok, err := w.deliver(ctx, o, until)
		if ok {
			sent++
		}
		if err != nil {
			w.release(ctx, append(unsent, claimed[i+1:]...))
			return sent, err
		}
	}
	if err := w.flush(ctx); err != nil {
		w.release(ctx, unsent)
		return sent, err
	}
	w.release(ctx, unsent)
	return sent, nil
}

// pausedNow reports whether channel ch is paused at this moment.
func (w *Worker) pausedNow(ch synpunkt.Medium) bool {
	p, paused := w.paused[string(ch)]
	return paused && p.until.After(w.opt.Now())
}

// release gives back claims that were not used; a failure only leaves the
// leases to run out.
func (w *Worker) release(ctx context.Context, ids []int64) {
	if len(ids) == 0 {
		return
	}
	if err := w.st.ReleaseClaims(context.WithoutCancel(ctx), w.owner, ids); err != nil {
		w.log.Warn("could not release outbox claims; they lapse with their lease", "err", err, "count", len(ids))
	}
}

// lease is how long a claim holds: a send, plus time to record it.
func (w *Worker) lease() time.Duration { return w.opt.SendTimeout + time.Minute }

// deliver sends one notification claimed until until (its lease is
// renewed first when a send might outlast it) and records the result, or
// keeps it to be recorded with others (Options.RecordGroup). It reports
// whether it was sent; an error means the store failed. The send itself
// is not cancelled by ctx: a stopping daemon lets it finish.
func (w *Worker) deliver(ctx context.Context, o store.OutboxRow, until time.Time) (bool, error) {
	t0 := time.Now()
	if w.recordDue() {
		if err := w.flush(ctx); err != nil {
			return false, err
		}
	}
	ok, closer, leaseEnd, err := w.payload(ctx, &o, until)
	if err != nil {
		return false, w.storeFailed(fmt.Errorf("%w: %w", ErrPaused, err))
	}
	if !ok {
		return false, nil // another worker has it, or it is no longer due
	}
	t1 := time.Now()
	err = w.sendSized(ctx, &o)
	if closer != nil {
		closer.Close()
	}
	o.Payload, o.Original, o.OriginalFrom = nil, nil, nil // the row's bytes are not kept past their send
	t2 := time.Now()
	rerr := w.record(ctx, w.outcome(o, err), leaseEnd)
	// Where a send's time goes, for latency work (log level debug).
	w.log.Debug("delivered", "outbox_id", o.ID, "claim", t1.Sub(t0), "send", t2.Sub(t1), "record", time.Since(t2),
		"queued", t0.Sub(o.CreatedAt))
	return err == nil, rerr
}

// payload reads o's message under the group's lease, or claims o again
// (renewing the lease) when less than a send and its recording is left;
// leaseEnd is when the lease it holds runs out. The message is put in o:
// with a store that opens the original apart, o is detached (Payload,
// OriginalFrom, OriginalAt) when it has one, and the returned closer (else
// nil) closes the original after the send.
func (w *Worker) payload(ctx context.Context, o *store.OutboxRow, until time.Time) (ok bool, closer io.Closer, leaseEnd time.Time, err error) {
	now := w.opt.Now()
	renew := w.leaseShort(until, now)
	if renew {
		until = now.Add(w.lease())
	}
	if ps, parts := w.st.(partsStore); parts {
		var orig store.RawReader
		if renew {
			o.Payload, orig, o.OriginalAt, ok, err = ps.ClaimOutboxStream(ctx, o.ID, w.owner, now, until)
		} else {
			o.Payload, orig, o.OriginalAt, err = ps.OutboxStream(ctx, o.ID)
			ok = err == nil
		}
		if orig != nil {
			o.OriginalFrom, o.OriginalLen = io.NewSectionReader(orig, 0, orig.Size()), int(orig.Size())
			return ok, orig, until, err
		}
		return ok, nil, until, err
	}
	if renew {
		o.Payload, ok, err = w.st.ClaimOutbox(ctx, o.ID, w.owner, now, until)
		return ok, nil, until, err
	}
	o.Payload, err = w.st.OutboxPayload(ctx, o.ID)
	return err == nil, nil, until, err
}

// leaseShort reports whether a lease until until leaves less than a send
// and the recording of its result at now.
func (w *Worker) leaseShort(until, now time.Time) bool {
	return until.Sub(now) < w.lease()-time.Minute/2
}

// sendSized sends o; a forward too large for the relay is rebuilt without
// the attached original, stored so, and sent again.
func (w *Worker) sendSized(ctx context.Context, o *store.OutboxRow) error {
	err := w.send(ctx, *o)
	var tl *notify.TooLargeError
	if err == nil || o.Kind != synpunkt.KindForward || !errors.As(err, &tl) {
		return err
	}
	full, serr := o.Full()
	if serr != nil {
		return notify.Temporary(fmt.Errorf("read the forward to rebuild it: %w", serr))
	}
	small, serr := notify.WithoutOriginal(full, o.CaseNumber, tl.Limit)
	if serr != nil {
		return err
	}
	if err := w.flush(ctx); err != nil { // two sends may outlast the results' leases
		return notify.Temporary(fmt.Errorf("record earlier results first: %w", err))
	}
	if err := w.st.ReplacePayload(context.WithoutCancel(ctx), o.ID, small, w.opt.Now().Add(w.lease())); err != nil {
		return notify.Temporary(fmt.Errorf("store the forward without its original: %w", err))
	}
	w.log.Warn("forward too large for the relay; sending it without the original", "outbox_id", o.ID, "case_id", o.CaseID,
		"size", tl.Size, "limit", tl.Limit, "new_size", len(small))
	o.Payload, o.Original, o.OriginalFrom, o.OriginalAt, o.OriginalLen = small, nil, nil, 0, 0
	return w.send(ctx, *o)
}

func (w *Worker) send(ctx context.Context, o store.OutboxRow) error {
	s, ok := w.senders[o.Channel]
	if !ok || s == nil {
		return notify.Permanent(fmt.Errorf("no sender configured for channel %q", o.Channel))
	}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.opt.SendTimeout)
	defer cancel()
	if ds, ok := s.(notify.DetachedSender); !ok || !ds.SendsDetached() {
		if err := o.Join(); err != nil { // o is a copy: the caller's stays detached
			return notify.Temporary(fmt.Errorf("read the forward: %w", err))
		}
	}
	err := s.Send(sendCtx, &o.Notification)
	if err != nil && errors.Is(err, context.DeadlineExceeded) && !notify.IsTemporary(err) {
		return notify.Temporary(err)
	}
	return err
}

// outcome decides what a send's result means and returns it to be
// recorded. Logging happens here, once per send.
func (w *Worker) outcome(o store.OutboxRow, err error) store.OutboxResult {
	log := w.log.With("outbox_id", o.ID, "kind", o.Kind, "channel", o.Channel, "case_id", o.CaseID, "attempt", o.Attempts+1)
	summary := notify.Describe(err)
	switch {
	case err == nil:
		w.resume(string(o.Channel))
		log.Info("notification sent")
		return store.OutboxResult{Row: o, Outcome: store.ResultSent}
	case notify.IsChannelFault(err):
		w.pauseChannel(string(o.Channel), summary)
		return store.OutboxResult{Row: o, Outcome: store.ResultReleased, Reason: err.Error()}
	case notify.IsTemporary(err) && o.Attempts+1 < w.opt.MaxAttempts:
		next := w.opt.Now().Add(w.backoff(o.Attempts))
		log.Warn("notification failed, will retry", "err", summary, "code", notify.Code(err), "next_attempt", next)
		return store.OutboxResult{Row: o, Outcome: store.ResultRetry, Next: next, Reason: err.Error()}
	default:
		log.Error("notification failed permanently", "err", summary, "code", notify.Code(err))
		return store.OutboxResult{Row: o, Outcome: store.ResultFailed, Reason: err.Error(), Summary: summary}
	}
}

// record keeps r, whose notification is leased until leaseEnd, to be
// recorded, and records what is kept unless r may wait for more results
// (Options.RecordGroup). When the store cannot write them, the results
// are kept to be written later and the outbox stops sending (ErrPaused).
func (w *Worker) record(ctx context.Context, r store.OutboxResult, leaseEnd time.Time) error {
	if len(w.pending) == 0 {
		w.pendingSince, w.leaseEnd = w.opt.Now(), leaseEnd
	} else if leaseEnd.Before(w.leaseEnd) {
		w.leaseEnd = leaseEnd
	}
	w.pending = append(w.pending, r)
	if len(w.pending) < w.opt.RecordGroup && !w.storeFault && !w.recordDue() {
		return nil
	}
	return w.flush(ctx)
}

// recordDue reports whether the results kept must be recorded before the
// next send: the oldest has waited recordDelay, or a send now could
// outlast the lease of one of them.
func (w *Worker) recordDue() bool {
	if len(w.pending) == 0 {
		return false
	}
	now := w.opt.Now()
	return now.Sub(w.pendingSince) >= recordDelay || w.leaseShort(w.leaseEnd, now)
}

// flush records the results kept, oldest first, in one transaction, and
// returns ErrPaused while that fails. OnFailed hears of the notifications
// failed for good once that is recorded.
func (w *Worker) flush(ctx context.Context) error {
	if len(w.pending) > 0 {
		if err := w.st.RecordOutbox(context.WithoutCancel(ctx), w.pending); err != nil {
			return w.storeFailed(fmt.Errorf("%w: %w", ErrPaused, err))
		}
		done := w.pending
		w.pending = nil
		if w.opt.OnFailed != nil {
			for _, r := range done {
				if r.Outcome == store.ResultFailed {
					w.opt.OnFailed(ctx, r.Row, r.Summary)
				}
			}
		}
	}
	w.storeRecovered()
	return nil
}

// storeFailed logs the first of a run of store failures at ERROR.
func (w *Worker) storeFailed(err error) error {
	if !w.storeFault {
		w.storeFault = true
		w.log.Error("outbox paused: the store cannot be written; nothing is sent until it can",
			"err", err, "unrecorded", len(w.pending))
	}
	return err
}

func (w *Worker) storeRecovered() {
	if w.storeFault {
		w.storeFault = false
		w.log.Info("outbox resumed: the store can be written again")
	}
}

// pauseChannel starts or extends the pause of a channel after a channel
// fault; only the start is logged at ERROR.
func (w *Worker) pauseChannel(ch, summary string) {
	p, ok := w.paused[ch]
	if !ok {
		p = &pause{wait: w.opt.MinBackoff}
		w.paused[ch] = p
		w.log.Error("channel paused: the server or the configuration refuses every message; retrying until it clears",
			"channel", ch, "err", summary, "retry_in", p.wait)
	} else {
		p.wait = min(p.wait*2, w.opt.MaxPause)
		w.log.Debug("channel still paused", "channel", ch, "err", summary, "retry_in", p.wait)
	}
	p.until = w.opt.Now().Add(min(p.wait, w.opt.MaxPause))
}

// resume ends the pause of a channel after a successful send.
func (w *Worker) resume(ch string) {
	if _, ok := w.paused[ch]; ok {
		delete(w.paused, ch)
		w.log.Info("channel resumed", "channel", ch)
	}
}

// pausedChannels lists the channels not to be tried at now.
func (w *Worker) pausedChannels(now time.Time) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pausedLocked(now)
}

func (w *Worker) pausedLocked(now time.Time) []string {
	var out []string
	for ch, p := range w.paused {
		if p.until.After(now) {
			out = append(out, ch)
		}
	}
	return out
}

// Paused returns the channels paused by a channel fault (for commands that
// report what they could not send).
func (w *Worker) Paused() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for ch := range w.paused {
		out = append(out, ch)
	}
	return out
}

// backoff returns the wait before attempt n+1: MinBackoff·2ⁿ with ±20 %
// jitter, capped at MaxBackoff.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.opt.MinBackoff
	for i := 0; i < attempts && d < w.opt.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.opt.MaxBackoff)
	jitter := time.Duration(mrand.Int64N(int64(d)/5+1)) - d/10
	return d + jitter
}
