package mailbox

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/exempelby/synpunkt/mailbox/mimeparse"
)

// Delivery is one message offered to the Handler.
type Delivery struct {
	Mailbox      string    // the watched mailbox, UTF-8
	UIDValidity  uint32    // with UID, identifies the message (RFC 9051 §2.3.1.1)
	UID          uint32    //
	InternalDate time.Time // when the server received it
	Raw          []byte    // the whole message as stored, or only its header when HeaderOnly; immutable
	Size         int64     // RFC822.SIZE as the server reported it
	// HeaderOnly is set when Size exceeds Config.MaxMessageSize: Raw is the
	// header (BODY.PEEK[HEADER]) and the body was never fetched. The
	// Handler should quarantine the message.
	HeaderOnly bool
	// File, when not nil, holds the whole message instead of Raw (nil
	// then): a big message streamed to disk (Config.SpoolDir). It is
	// removed after the message's batch.
	File *mimeparse.RawFile
	// Prepared is what a Preparer handler's Prepare returned for this
	// message, or nil when it was not prepared ahead.
	Prepared any
}

// Disposition is the Handler's verdict on a message.
type Disposition int

// Dispositions.
const (
	// Keep leaves the message in place; it is offered again later.
	Keep Disposition = iota
	// Registered moves the message to the registered mailbox.
	Registered
	// Quarantined moves the message to the quarantine mailbox.
	Quarantined
)

// String returns "registered", "quarantined" or "keep", for logs.
func (d Disposition) String() string {
	switch d {
	case Registered:
		return "registered"
	case Quarantined:
		return "quarantined"
	default:
		return "keep"
	}
}

// MarshalText returns String, so that a JSON log writes the word, not
// the number (encoding.TextMarshaler).
func (d Disposition) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Handler records a message. It must be idempotent: offered a message it
// already recorded, it returns the same disposition again.
//
// An error means the message could not be recorded (e.g. the database is
// down): the message is left in place and retried later with backoff.
type Handler interface {
	Handle(ctx context.Context, d Delivery) (Disposition, error)
}

// Batcher is a Handler that can commit several messages at once (group
// commit). The intake offers a fetched batch inside one Batch call, with
// the ctx Batch hands to f, and moves the messages out of the mailbox only
// after Batch returned nil: an error means none of them was recorded, and
// all are offered again later.
type Batcher interface {
	Batch(ctx context.Context, f func(ctx context.Context) error) error
}

// Syncer is a Batcher whose commits are made durable apart (the store
// commits a batch without an fsync): Sync makes every batch committed so
// far durable. The intake calls it before it moves a committed batch out
// of the mailbox, on the move's goroutine, while the next batch is being
// registered. When Sync fails, the batch is not moved: its messages stay
// in the mailbox, and are offered again (and Sync called again) on the
// next pass.
type Syncer interface {
	Sync(ctx context.Context) error
}

// Preparer is a Handler that can do ahead of Handle the work on a message
// that needs no store (parsing, hashing). The intake calls Prepare for the
// messages of the batches fetched ahead while one is being registered,
// on other goroutines (several messages at once), and hands the result
// to Handle in Delivery.Prepared; it must not write anything. Handle must cope with a
// nil Prepared (a batch not prepared ahead). Once Prepare has returned
// non-nil for a message in a file (Delivery.File), its Lean copy is
// dropped (File.Lean is nil in Handle): what Prepare needed of it must be
// in what it returned. So a prepared big message holds little memory, and
// a batch can carry many of them.
type Preparer interface {
	Prepare(d Delivery) any
}

// Digester is a Handler that looks at the bytes of each message fetched
// into a file (Config.SpoolDir) as they are written: the intake writes
// them, in pieces, to the io.Writer NewDigest returns for the message, and
// hands that writer over with the file (Delivery.File.Digest), so what it
// worked out needs no second read of the file. NewDigest is called on
// the fetching goroutine; the writer must not fail (its error would fail
// the fetch) and must not keep the bytes.
type Digester interface {
	NewDigest() io.Writer
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, d Delivery) (Disposition, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, d Delivery) (Disposition, error) { return f(ctx, d) }

// CheckpointStore persists, per mailbox, how far the intake has come.
type CheckpointStore interface {
	// LoadCheckpoint returns zeros when there is none.
	LoadCheckpoint(ctx context.Context, mailbox string) (uidValidity, lastUID uint32, err error)
	SaveCheckpoint(ctx context.Context, mailbox string, uidValidity, lastUID uint32) error
}

// Log attribute keys.
const (
	keyComponent   = "component"
	keyErr         = "err"
	keyMailbox     = "mailbox"
	keyUID         = "uid"
	keyUIDValidity = "uidvalidity"
	keyOld         = "old_uidvalidity"
	keyDisposition = "disposition"
	keyDest        = "to_mailbox"
	keyDelay       = "delay"
	keyAddr        = "addr"
	keyCount       = "count"
	keyIdle        = "idle"
	keySize        = "size"
)

// Intake watches one mailbox and hands its messages to a Handler.
type Intake struct {
	cfg     Config // immutable after New
	handler Handler
	cp      CheckpointStore
	log     *slog.Logger
	kick    chan struct{} // buffer of one
	passes  atomic.Uint64
	conn    connState
	// retries holds per-message retry state (see retryState).
	retries retryState
	// syncSlots bounds the fsyncs of fetched files running at once (see
	// syncFile).
	syncSlots chan struct{}
	// backlog is open while a pass drains a backlog (see GiveWay).
	backlog backlogGate
}

// New returns an Intake. The Config is validated by Run.
func New(cfg Config, h Handler, cp CheckpointStore, log *slog.Logger) *Intake {
	cfg = cfg.withDefaults()
	in := &Intake{
		cfg:       cfg,
		handler:   h,
		cp:        cp,
		log:       log.With(keyComponent, "mailbox"),
		kick:      make(chan struct{}, 1),
		retries:   retryState{bo: backoff{cfg.MinBackoff, cfg.MaxBackoff}},
		syncSlots: make(chan struct{}, 2),
	}
	in.conn.clock = cfg.Now
	return in
}

// Kick asks for an immediate pass over the mailbox. It never blocks.
func (in *Intake) Kick() {
	select {
	case in.kick <- struct{}{}:
	default:
	}
}

// Passes returns how many passes over the mailbox have completed.
func (in *Intake) Passes() uint64 { return in.passes.Load() }

// Run connects, handles the backlog and then waits for new mail until ctx
// is cancelled, when it logs out and returns nil. Lost connections are
// re-established with exponential backoff and jitter. It returns an error
// only for an invalid Config.
func (in *Intake) Run(ctx context.Context) error {
	if err := in.cfg.Validate(); err != nil {
		return err
	}
	bo := backoff{in.cfg.MinBackoff, in.cfg.MaxBackoff}
	for attempt := 1; ; attempt++ {
		worked, err := in.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if worked {
			attempt = 1
		}
		d := bo.delay(attempt)
		in.down(err, d)
		if !sleep(ctx, d) {
			return nil
		}
	}
}

// sleep waits for d or ctx; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
