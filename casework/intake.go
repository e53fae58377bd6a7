package casework

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/classify/pii"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// Outcome says what became of a message.
type Outcome string

// Outcomes of Handle.
const (
	NewCase     Outcome = "case"
	AddedToCase Outcome = "document"
	Duplicate   Outcome = "duplicate"
	Quarantined Outcome = "quarantine"
	Excluded    Outcome = "excluded"
	Bounce      Outcome = "bounce"
	// Automatic is machine-made mail other than a bounce: an automatic
	// reply, a feedback report, a read receipt (Result.Auto says which).
	Automatic Outcome = "automatic"
)

// Result describes the handling of one message.
type Result struct {
	Outcome Outcome
	Case    string // case number, when the message belongs to a case
	Reason  string // quarantine or exclusion reason
	// Auto and Signal say what machine-made mail the message is and what
	// recognised it (Outcome Bounce or Automatic); AutoNone otherwise.
	Auto   synpunkt.AutoKind
	Signal synpunkt.AutoSignal
	// Repeat is true when the message was recorded before and nothing new
	// was written (Outcome Duplicate, or Quarantined again).
	Repeat bool
}

// Source describes where a message came from.
type Source struct {
	Name       string    // e.g. "imap:INBOX/1700000000/42" or a file path
	ReceivedAt time.Time // IMAP INTERNALDATE; zero: the Date header, else now
	// Backlog marks a message found when first connecting a mailbox (or
	// imported): older than intake.old_message_age, it gets no receipt, no
	// forward and no deadlines.
	Backlog bool
	// NoNotify registers without any receipt or forward, and so without
	// deadlines (import --no-notify).
	NoNotify bool
	// Oversize, when positive, is the size the IMAP server reported for a
	// message over intake.max_message_size: raw is only its header, and
	// the message is quarantined with that reason, headers only.
	Oversize int64
	// File, when not nil, holds the message instead of raw (nil then): a
	// big message the IMAP intake streamed to disk. The store links it
	// into its spool; it is read whole only when it must be.
	File *mimeparse.RawFile
}

// size is the size of the message src and raw make.
func (src Source) size(raw []byte) int64 {
	if src.File != nil {
		return src.File.Size
	}
	return int64(len(raw))
}

// intake is the ledger entry of the message src and raw make.
func (src Source) intake(raw []byte, key, sum string, at time.Time) (store.Intake, error) {
	in := store.Intake{Key: key, Source: src.Name, ReceivedAt: at, Raw: raw, RawSHA256: sum}
	if f := src.File; f != nil {
		in.Raw, in.RawFile, in.RawSize, in.RawSHA256 = nil, f.Path, f.Size, f.SHA256
		if key == "" {
			k, err := store.IdempotencyKeyOf("", f.File, f.Size)
			if err != nil {
				return in, fmt.Errorf("read %s: %w", f.Path, err)
			}
			in.Key = k
		}
	} else if key == "" {
		in.Key = store.IdempotencyKey("", raw)
	}
	return in, nil
}

// Intake handles incoming messages. It is safe for concurrent use, though
// intake feeds it one message at a time.
type Intake struct {
	opt      Options
	st       *store.Store
	compose  *notify.Composer
	classify *classify.Classifier
	redact   *pii.Redactor
	threads  *Threads
	work     *Service
	policy   *lifecycle.Policy
	now      func() time.Time
	log      *slog.Logger
	// OnCommit is called after a commit that enqueued notifications, to wake
	// the outbox worker. May be nil.
	OnCommit func()
	// DontRecover lets a panic while handling one message crash the
	// caller instead of quarantining the message. Tests set it so bugs are
	// not hidden (the same switch as mailbox.Config.DontRecover).
	DontRecover bool
}

// IntakeDeps are what an Intake is built from.
type IntakeDeps struct {
	Options    Options
	Store      *store.Store
	Composer   *notify.Composer
	Classifier *classify.Classifier
	Redactor   *pii.Redactor
	Threads    *Threads
	Casework   *Service          // may be nil: staff mail commands are not obeyed
	Policy     *lifecycle.Policy // may be nil: no deadlines
	Now        func() time.Time  // nil: time.Now
	Log        *slog.Logger
}

// NewIntake returns an Intake.
func NewIntake(d IntakeDeps) *Intake {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	return &Intake{
		opt: d.Options, st: d.Store, compose: d.Composer, classify: d.Classifier, redact: d.Redactor,
		threads: d.Threads, work: d.Casework, policy: d.Policy,
		now: now, log: d.Log.With("component", "pipeline"),
	}
}

// Threads returns the reply-address signer.
func (p *Intake) Threads() *Threads { return p.threads }

// errRender marks a failure to render notifications: the message is
// quarantined rather than retried forever.
var errRender = errors.New("render notifications")

// Prepared is the work on a message that needs no store — parsing it, its
// idempotency key and its SHA-256 — done ahead of Handle, off the write lock (the IMAP
// intake prepares the next batch while the current one is registered).
type Prepared struct {
	raw  []byte             // what was prepared, to check it is the message handled
	file *mimeparse.RawFile // or the file it was prepared from
	err  error              // the file could not be read: Handle fails, to retry
	msg  *synpunkt.Message
	perr error // the parse error: the message is quarantined
	key  string
	sum  string // store.RawSum(raw)
	// classified is the message's classification worked out ahead, as
	// for a new case (most messages are one); nil when not.
	classified *classified
}

// classified is a classification of msg made ahead (Prepare): the
// classifier is pure, so it is the one openCase would make of the same
// message with the same staff verdict.
type classified struct {
	msg   *synpunkt.Message
	staff bool
	d     classify.Decision
	text  *caseText // of msg and d; nil for a message excluded
}

// of is c when it was made of msg with the staff verdict staff, else nil.
func (c *classified) of(msg *synpunkt.Message, staff bool) *classified {
	if c == nil || c.msg != msg || c.staff != staff {
		return nil
	}
	return c
}

// textOf is the caseText worked out ahead when it is of msg with the staff
// verdict staff (and so of the decision decide takes from c), else nil.
func (c *classified) textOf(msg *synpunkt.Message, staff bool) *caseText {
	if a := c.of(msg, staff); a != nil {
		return a.text
	}
	return nil
}

// classifyAhead classifies pre's message as openCase would, for a message
// that may open a case: not machine-made mail, and no reply to a case
// (which threading decides, in Handle, and those are few in a backlog).
func (p *Intake) classifyAhead(pre *Prepared) {
	msg := pre.msg
	if pre.err != nil || pre.perr != nil || msg == nil || msg.Report != synpunkt.AutoNone || msg.NonDelivery || msg.AutoReply != synpunkt.SignalNone {
		return
	}
	staff := p.isStaff(msg)
	c := &classified{msg: msg, staff: staff, d: p.classify.Classify(msg, recipients(msg), staff)}
	if c.d.Exclusion == nil {
		c.text = p.caseTextOf(msg, c.d)
	}
	pre.classified = c
}

// decide is the classification of msg: the one made ahead when it is of
// the same message and staff verdict, else made now.
func (p *Intake) decide(msg *synpunkt.Message, staff bool, ahead *classified) classify.Decision {
	if a := ahead.of(msg, staff); a != nil {
		return a.d
	}
	return p.classify.Classify(msg, recipients(msg), staff)
}

// Prepare parses raw, works out its idempotency key and classifies it
// (as a new case) for HandlePrepared. It writes nothing and is safe to
// call from another goroutine than Handle's, and for several messages at
// once. It returns nil for a message Handle quarantines unparsed (over
// the size limit), and, unless DontRecover is set, when parsing panics.
func (p *Intake) Prepare(src Source, raw []byte) (pre *Prepared) {
	if src.Oversize > 0 || src.size(raw) > p.opt.MaxMessageSize {
		return nil
	}
	if !p.DontRecover {
		defer func() {
			if r := recover(); r != nil {
				pre = nil // Handle meets the panic again and quarantines the message
			}
		}()
	}
	pre = prepareSrc(src, raw)
	p.classifyAhead(pre)
	return pre
}

// prepareSrc is prepare of raw, or of src.File when there is one: parsed
// from its Lean copy (or read whole when that does not fit), its key
// worked out by reading it in pieces, its SHA-256 the one taken while it
// was written. The parsed message has no Raw.
func prepareSrc(src Source, raw []byte) *Prepared {
	f := src.File
	if f == nil {
		return prepare(raw)
	}
	msg, perr := mimeparse.ParseLean(f.Lean)
	if errors.Is(perr, mimeparse.ErrLeanUnfit) {
		b := make([]byte, f.Size)
		if _, err := f.File.ReadAt(b, 0); err != nil {
			return &Prepared{file: f, err: fmt.Errorf("read %s: %w", f.Path, err)}
		}
		if msg, perr = mimeparse.Parse(b); msg != nil {
			msg.Raw = nil
		}
	}
	pre := &Prepared{file: f, msg: msg, perr: perr, sum: f.SHA256}
	if perr != nil {
		return pre
	}
	if dg, ok := f.Digest.(*digest); ok {
		if key, ok := dg.key.Key(msg.MessageID, f.Size); ok {
			pre.key = key
			return pre
		}
	}
	if pre.key, pre.err = store.IdempotencyKeyOf(msg.MessageID, f.File, f.Size); pre.err != nil {
		pre.err = fmt.Errorf("read %s: %w", f.Path, pre.err)
	}
	return pre
}

// digest is what the intake works out of a message fetched into a file
// while the file is written (mailbox.Digester, through the daemon's
// Handler): the hash its idempotency key needs and the forward's scan,
// so neither Prepare nor the forward reads the file again.
type digest struct {
	key  store.KeyDigest
	scan notify.OriginalScan
}

func (d *digest) Write(p []byte) (int, error) {
	d.key.Write(p)  //nolint:errcheck // never fails
	d.scan.Write(p) //nolint:errcheck // never fails
	return len(p), nil
}

// NewDigest returns a digest for one message fetched into a file, to be
// written with its bytes and handed back in Source.File.Digest.
func (p *Intake) NewDigest() io.Writer { return &digest{} }

func prepare(raw []byte) *Prepared {
	msg, perr := mimeparse.Parse(raw)
	pre := &Prepared{raw: raw, msg: msg, perr: perr}
	if perr == nil {
		pre.key, pre.sum = store.IdempotencyKey(msg.MessageID, raw), store.RawSum(raw)
	}
	return pre
}

// of reports whether pre was prepared from raw (the same bytes in memory)
// or from src's file.
func (pre *Prepared) of(src Source, raw []byte) bool {
	if pre == nil || src.File != nil || pre.file != nil {
		return pre != nil && pre.file != nil && src.File != nil && pre.file.Path == src.File.Path
	}
	return len(pre.raw) == len(raw) && (len(raw) == 0 || &pre.raw[0] == &raw[0])
}

// Handle registers one raw message. See the package doc for guarantees.
func (p *Intake) Handle(ctx context.Context, src Source, raw []byte) (Result, error) {
	return p.HandlePrepared(ctx, src, raw, nil)
}

// HandlePrepared is Handle with what Prepare worked out for raw ahead; pre
// may be nil (or of other bytes), and then Handle prepares raw itself.
// Each Prepared is handled once: Handle may change the parsed message.
func (p *Intake) HandlePrepared(ctx context.Context, src Source, raw []byte, pre *Prepared) (res Result, err error) {
	if !p.DontRecover {
		defer func() {
			if r := recover(); r != nil {
				p.log.Error("panic while handling message", "source", src.Name, "panic", fmt.Sprint(r))
				res, err = p.quarantine(ctx, src, raw, "", fmt.Sprintf("internal error: %v", r))
			}
		}()
	}
	if src.Oversize > 0 {
		return p.quarantine(ctx, src, raw, "", fmt.Sprintf("message too large: %d bytes (limit %d); only the header was fetched", src.Oversize, p.opt.MaxMessageSize))
	}
	if n := src.size(raw); n > p.opt.MaxMessageSize {
		return p.quarantine(ctx, src, raw, "", fmt.Sprintf("message too large: %d bytes (limit %d)", n, p.opt.MaxMessageSize))
	}
	if !pre.of(src, raw) {
		pre = prepareSrc(src, raw)
	}
	if pre.err != nil {
		return Result{}, pre.err
	}
	msg := pre.msg
	if pre.perr != nil {
		return p.quarantine(ctx, src, raw, "", pre.perr.Error())
	}
	in, err := src.intake(raw, pre.key, pre.sum, p.receivedAt(src, msg))
	if err != nil {
		return Result{}, err
	}
	if outcome, caseID, seen, err := p.st.Seen(ctx, in.Key); err != nil || seen {
		if err != nil {
			return Result{}, err
		}
		return p.duplicate(ctx, outcome, caseID)
	}
	res, err = p.route(ctx, src, in, msg, pre.classified)
	if errors.Is(err, errRender) {
		return p.quarantine(ctx, src, raw, in.Key, err.Error())
	}
	if errors.Is(err, store.ErrDuplicate) {
		return Result{Outcome: Duplicate, Repeat: true}, nil
	}
	return res, err
}

// receivedAt is when the organisation received a message: the IMAP
// server's INTERNALDATE, else (a file being imported) the Date header the
// sender claims when it is not in the future, else now. It sets the
// received time and the backlog rule (intake.old_message_age); a forged
// old date can only make synpunkt quieter. Case numbers never come from it
// (the store numbers by registration time), and the Date header itself is
// kept on the document as ClaimedDate.
func (p *Intake) receivedAt(src Source, m *synpunkt.Message) time.Time {
	switch {
	case !src.ReceivedAt.IsZero():
		return src.ReceivedAt
	case !m.Date.IsZero() && m.Date.Before(p.now()):
		return m.Date
	}
	return p.now()
}

func (p *Intake) duplicate(ctx context.Context, outcome string, caseID int64) (Result, error) {
	res := Result{Outcome: Duplicate, Reason: "already recorded as " + outcome, Repeat: true}
	if outcome == store.OutcomeQuarantine {
		res.Outcome = Quarantined
	}
	if caseID != 0 {
		c, err := p.st.Case(ctx, caseID)
		if err != nil {
			return Result{}, err
		}
		res.Case = c.Number
	}
	return res, nil
}

// route decides between a report, an automatic reply, a reply to a case,
// an exclusion and a new case. Machine-made mail never opens a case, never
// becomes a document and is never answered.
// ahead is msg's classification made by Prepare, nil if none.
func (p *Intake) route(ctx context.Context, src Source, in store.Intake, msg *synpunkt.Message, ahead *classified) (Result, error) {
	kind, signal, err := p.recognise(ctx, msg)
	if err != nil {
		return Result{}, err
	}
	if kind != synpunkt.AutoNone && kind != synpunkt.AutoReply {
		return p.report(ctx, in, msg, kind, signal)
	}
	staff := p.isStaff(msg) // decided once, here, for threading, registering and classifying
	auto := automation(msg) // why no receipt may go back, "" for a person
	if auto == "" && staff && isRegisterMail(msg.Subject) {
		if in.RawFile != "" && msg.Raw == nil { // the clerk's mail is the original: read whole
			b, err := os.ReadFile(in.RawFile)
			if err != nil {
				return Result{}, fmt.Errorf("read %s: %w", in.RawFile, err)
			}
			msg.Raw, in.Raw, in.RawFile, in.RawSize = b, b, "", 0
		}
		return p.registerMail(ctx, src, in, msg)
	}
	c, note, err := p.findCase(ctx, msg, staff)
	if err != nil {
		return Result{}, err
	}
	switch {
	case kind == synpunkt.AutoReply:
		return p.machineMail(ctx, in, c, kind, signal)
	case c != nil:
		// Automated mail from staff (a system's notice) is no Svar: only a
		// person's answer stops the first-response clock.
		return p.addToCase(ctx, src, in, msg, c, auto, staff && auto == "")
	}
	return p.newCase(ctx, src, in, msg, auto, note, staff, ahead)
}

func (p *Intake) quarantine(ctx context.Context, src Source, raw []byte, key, reason string) (Result, error) {
	in, err := src.intake(raw, key, "", p.now())
	if err != nil {
		return Result{}, err
	}
	if !src.ReceivedAt.IsZero() {
		in.ReceivedAt = src.ReceivedAt
	}
	p.log.Warn("message quarantined", "source", src.Name, "reason", reason)
	ev := []store.Event{{Actor: "intake", Kind: "quarantined", Detail: reason}}
	err = p.st.RecordIntake(ctx, in, store.OutcomeQuarantine, reason, 0, ev, nil)
	if errors.Is(err, store.ErrDuplicate) {
		return Result{Outcome: Quarantined, Reason: "already quarantined: " + reason, Repeat: true}, nil
	}
	if err != nil {
		return Result{}, err
	}
	return Result{Outcome: Quarantined, Reason: reason}, nil
}

// forwardRef is the forward of an original: raw, or when that is nil the
// file f holds.
func (p *Intake) forwardRef(ci notify.CaseInfo, handler string, raw []byte, f *mimeparse.RawFile, reply string) (*synpunkt.Notification, error) {
	if raw == nil && f != nil {
		var scan *notify.OriginalScan
		if dg, ok := f.Digest.(*digest); ok {
			scan = &dg.scan
		}
		return p.compose.ForwardRefFrom(ci, handler, io.NewSectionReader(f.File, 0, f.Size), scan, reply)
	}
	return p.compose.ForwardRef(ci, handler, raw, reply)
}

func (p *Intake) committed(out int) {
	if out > 0 && p.OnCommit != nil {
		p.OnCommit()
	}
}

// recipients are the To and Cc addresses, where plus-addresses live.
func recipients(m *synpunkt.Message) []synpunkt.Address {
	return append(append([]synpunkt.Address{}, m.To...), m.Cc...)
}

func isCaseNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// Batch registers several messages in one commit (group commit): Handle
// calls made with the ctx that f is given join one store transaction,
// each message still undone alone when it fails. Nothing is committed
// before Batch returns nil, so a message may be acknowledged outward (moved
// out of the inbox) only then. The outbox is woken after the commit.
func (p *Intake) Batch(ctx context.Context, f func(ctx context.Context) error) error {
	if err := p.st.Batch(ctx, f); err != nil {
		return err
	}
	p.committed(1)
	return nil
}

// Sync makes every Batch committed so far durable (store.Store.Sync):
// Batch commits without an fsync, and a message is acknowledged outward
// (moved out of the inbox, reported imported) only after Sync.
func (p *Intake) Sync(ctx context.Context) error { return p.st.Sync(ctx) }
