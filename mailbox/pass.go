package mailbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
)

// ErrHandlerPanic wraps a recovered Handler panic.
var ErrHandlerPanic = errors.New("handler panicked")

// meta is what a pass learns about a message before fetching it whole.
type meta struct {
	uid  uint32
	size int64
}

var (
	wholeBody  = &imap.FetchItemBodySection{Peek: true}                                      // BODY.PEEK[]: leaves \Seen alone
	headerOnly = &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true} // BODY.PEEK[HEADER]
)

// oversized reports whether m is too large to fetch whole: only its
// header is fetched and offered.
func (s *session) oversized(m meta) bool {
	return s.in.cfg.MaxMessageSize > 0 && m.size > s.in.cfg.MaxMessageSize
}

// spooled reports whether m is fetched into a file (Config.SpoolDir)
// rather than into memory.
func (s *session) spooled(m meta) bool {
	return !s.oversized(m) && s.in.cfg.SpoolDir != "" && s.in.cfg.SpoolMin > 0 && m.size >= s.in.cfg.SpoolMin
}

// spooledWeight is what a message fetched into a file counts for in a
// batch (FetchBatchBytes) when the Handler is a Preparer: its Lean copy is
// dropped once it is prepared (see Preparer), and what stays in memory is
// its parsed header and text — in practice a few kilobytes. Until then
// the Lean copies (at most LeanKeepBinary of each binary attachment, but
// up to mimeparse.LeanKeep of a text one) are bounded by the preparing
// itself: the fetch waits while those not yet prepared exceed
// FetchBatchBytes (see preparing.fetched). Not bounded by the byte cap is
// the parsed text of prepared messages (at most mimeparse.MaxText each,
// and the classification's copy of it): a batch of FetchBatch big messages
// each with a megabyte of body text would hold a few hundred megabytes,
// where a usual batch holds a few kilobytes per message.
const spooledWeight = 64 << 10

// fetchSize is what fetching m costs in memory: its size, nothing much
// for a header-only fetch, and spooledWeight for a message fetched into a
// file and prepared ahead.
func (s *session) fetchSize(m meta) int64 {
	if s.oversized(m) {
		return 0
	}
	if _, ok := s.in.handler.(Preparer); ok && s.spooled(m) {
		return min(m.size, spooledWeight)
	}
	return max(m.size, 0)
}

// pass offers every message above the checkpoint to the Handler, in UID
// order, in batches, and moves the handled ones. A kept or failed message
// stops the checkpoint but not the pass.
func (s *session) pass(ctx context.Context) error {
	// Batches save the checkpoint at most every checkpointEvery; the pass
	// saves where it got to when it ends, however it ends.
	defer s.saveCheckpoint(context.WithoutCancel(ctx))
	metas, err := s.listNew()
	if err != nil {
		return err
	}
	s.in.retries.prune(metas)
	blocked := false
	now := time.Now()
	var due []meta
	for _, m := range metas {
		if s.in.retries.deferred(m.uid, now) {
			due = append(due, meta{uid: m.uid, size: -1}) // placeholder keeps order
			continue
		}
		due = append(due, m)
		s.lastMail = s.in.cfg.Now() // new mail (not a deferred retry): burst
	}
	if err := s.runBatches(ctx, s.batches(due), &blocked); err != nil {
		return err
	}
	// Nothing left above the checkpoint: messages handled out of order in
	// earlier passes (past a since-resolved blocker) are done too.
	if !blocked && s.maxHandled > s.last {
		s.last = s.maxHandled
	}
	return nil
}

// checkpointEvery is how often a pass saves its checkpoint between
// batches, each save being a commit of its own on the registration's
// path. A checkpoint saved late only makes a restart list again UIDs
// that were moved out of the inbox since.
const checkpointEvery = time.Second

// listNew returns UIDs and sizes of messages above the checkpoint, sorted.
func (s *session) listNew() ([]meta, error) {
	// UID last+1:* also matches the highest message when none is above
	// last (RFC 9051 §6.4.9), hence the filter.
	set := imap.UIDSet{imap.UIDRange{Start: imap.UID(s.last + 1), Stop: 0}}
	bufs, err := s.c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, fmt.Errorf("fetch uids: %w", err)
	}
	metas := make([]meta, 0, len(bufs))
	for _, b := range bufs {
		if uint32(b.UID) > s.last {
			metas = append(metas, meta{uid: uint32(b.UID), size: b.RFC822Size})
		}
	}
	slices.SortFunc(metas, func(a, b meta) int { return int(int64(a.uid) - int64(b.uid)) })
	return metas, nil
}

// batches splits metas into runs of at most FetchBatchBytes bytes (a
// message larger than that goes alone) and of FirstFetchBatch messages at
// first, twice as many in each next run, up to FetchBatch: one commit
// registers the whole run, so a long backlog pays few commits while its
// first messages are not held back.
func (s *session) batches(metas []meta) [][]meta {
	var out [][]meta
	var cur []meta
	var bytes int64
	limit := min(max(s.in.cfg.FirstFetchBatch, 1), s.in.cfg.FetchBatch)
	for _, m := range metas {
		if len(cur) > 0 && (len(cur) >= limit || bytes+s.fetchSize(m) > s.in.cfg.FetchBatchBytes) {
			out = append(out, cur)
			cur, bytes = nil, 0
			limit = min(2*limit, s.in.cfg.FetchBatch)
		}
		cur = append(cur, m)
		bytes += s.fetchSize(m)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// runBatches registers the batches in order and moves what was committed,
// as a pipeline of three parts working at once: a fetcher (see fetcher)
// fetches the batches ahead of the registration and has their messages
// prepared as they arrive; the registration offers each batch to the
// Handler (one commit for the batch when it is a Batcher); and once a
// batch is committed it is queued for the mover (see mover), which moves
// it while the next batch is registered, together with the batches
// committed while it waited. The fetches and the moves share the
// connection, one command at a time (session.conn). A message leaves the
// inbox only after its commit, and the checkpoint advances past moves in
// order, as they finish (reapMoves). When a batch fails to fetch, the
// Handler stops (ctx cancelled) or a move fails, the pass stops: the
// fetcher is stopped and what it fetched ahead is dropped, and every
// move started is finished before runBatches returns, so nothing
// committed waits in the inbox once a pass is over. Entries with size -1
// are deferred retries: they only block the checkpoint.
func (s *session) runBatches(ctx context.Context, batches [][]meta, blocked *bool) error {
	if len(batches) == 0 {
		return nil
	}
	if len(batches) >= backlogBatches {
		defer s.in.backlog.begin(time.Now())()
	}
	f := s.startFetcher(batches)
	defer f.stop()
	mv := s.startMover()
	defer mv.close()
	var moves []*moving
	var err error
	for _, batch := range batches {
		t0 := time.Now()
		p := f.take()
		if p == nil {
			break // the fetcher ended early: it fails a batch first, so not reached
		}
		if p.err != nil {
			err = p.err
			break
		}
		t1 := time.Now()
		done := make(map[uint32]bool, len(batch)) // handled and out of the inbox
		commits, offered, stopErr := s.offerBatch(ctx, batch, p.byUID, p.prepared, done)
		s.dropFiles(batch)
		releaseBig(batch, p.byUID)
		f.release(p)
		t2 := time.Now()
		moves = append(moves, mv.add(commits, done, offered))
		moveErr := s.reapMoves(ctx, &moves, blocked, false)
		// Where a batch's time goes, for latency work (log level debug):
		// fetch is how long the registration waited for the batch's fetch
		// and preparing, moves_pending the moves not finished yet.
		s.log.Debug("batch", keyCount, len(batch), "committed", len(commits), "fetch", t1.Sub(t0),
			"handle", t2.Sub(t1), "moves_pending", len(moves))
		if moveErr != nil || stopErr != nil {
			err = errors.Join(moveErr, stopErr)
			break
		}
	}
	f.stop() // the connection is the moves' alone from here
	mv.close()
	return errors.Join(err, s.reapMoves(ctx, &moves, blocked, true))
}

// maxPendingMoves is how many moves may be started and not finished
// before the registration waits for the oldest: each holds its batch's
// checkpoint back.
const maxPendingMoves = fetchAhead + 1

// moving is the move of a committed batch, made by the session's mover
// beside the registration of the next batches.
type moving struct {
	finished chan struct{}
	commits  []committed     // the batch's messages to move
	offered  []meta          // the prefix of the batch looked at
	done     map[uint32]bool // handled and out of the inbox: set by the move
	err      error           // the connection failed, or the Sync before the move
	took     time.Duration   // the move itself, not its wait for the connection
	synced   time.Duration   // the Syncer's Sync before it
	together int             // batches moved by the same commands
}

// mover moves committed batches out of the inbox, in order, on a
// goroutine of its own. The batches committed while a move is under way
// (or waits for the connection, which the fetcher holds while it fetches
// a batch) are moved together: one Sync, then one command per
// destination for all of them. Each command makes the IMAP server
// re-read its view of the mailbox, whose cost grows with the mailbox: in
// a backlog, fewer and larger moves leave it more time to serve FETCH.
type mover struct {
	s       *session
	mu      sync.Mutex
	queue   []*moving // committed, not yet taken by the goroutine
	closing bool
	wake    chan struct{}
	stopped chan struct{}
}

func (s *session) startMover() *mover {
	m := &mover{s: s, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	go m.run()
	return m
}

// add queues the move of a committed batch and returns it; a batch with
// nothing to move is finished at once.
func (m *mover) add(commits []committed, done map[uint32]bool, offered []meta) *moving {
	mv := &moving{finished: make(chan struct{}), commits: commits, offered: offered, done: done}
	if len(commits) == 0 {
		close(mv.finished)
		return mv
	}
	m.mu.Lock()
	m.queue = append(m.queue, mv)
	m.mu.Unlock()
	signal(m.wake)
	return mv
}

// close returns once every batch queued is moved (or failed) and the
// goroutine has ended. It may be called more than once.
func (m *mover) close() {
	m.mu.Lock()
	m.closing = true
	m.mu.Unlock()
	signal(m.wake)
	<-m.stopped
}

func (m *mover) run() {
	defer close(m.stopped)
	for {
		m.mu.Lock()
		group, closing := m.queue, m.closing
		m.queue = nil
		m.mu.Unlock()
		if len(group) > 0 {
			m.move(group)
			continue
		}
		if closing {
			return
		}
		<-m.wake
	}
}

// move makes the group's commits durable (when the Handler is a Syncer),
// without holding the connection, then moves them and finishes each.
func (m *mover) move(group []*moving) {
	s := m.s
	defer func() {
		for _, mv := range group {
			close(mv.finished)
		}
	}()
	t := time.Now()
	if err := s.syncCommits(); err != nil {
		for _, mv := range group {
			mv.err = err
		}
		return
	}
	synced := time.Since(t)
	var all []committed
	for _, mv := range group {
		all = append(all, mv.commits...)
	}
	done := make(map[uint32]bool, len(all))
	s.conn.Lock()
	t = time.Now()
	err := s.moveCommitted(all, done)
	took := time.Since(t)
	s.conn.Unlock()
	for _, mv := range group {
		for _, c := range mv.commits {
			if done[c.uid] {
				mv.done[c.uid] = true
			}
		}
		mv.err, mv.synced, mv.took, mv.together = err, synced, took, len(group)
	}
}

// syncCommits makes the Handler's commits durable when it is a Syncer.
// A failure is logged and returned as the move's error: the session ends
// and the batch, not moved, is offered again on the next.
func (s *session) syncCommits() error {
	sy, ok := s.in.handler.(Syncer)
	if !ok {
		return nil
	}
	if err := sy.Sync(context.Background()); err != nil {
		s.log.Error("registrations not made durable; their messages stay in the mailbox", keyErr, err)
		return fmt.Errorf("sync before move: %w", err)
	}
	return nil
}

// reapMoves advances the checkpoint past the finished moves at the head
// of *moves, in order, saving it when the last save is checkpointEvery
// old, and drops them from *moves. With wait it waits for every move;
// else only while more than maxPendingMoves are pending. It returns the
// first error of a move reaped.
func (s *session) reapMoves(ctx context.Context, moves *[]*moving, blocked *bool, wait bool) error {
	var first error
	for len(*moves) > 0 {
		mv := (*moves)[0]
		if !wait && len(*moves) <= maxPendingMoves {
			select {
			case <-mv.finished:
			default:
				return first
			}
		}
		<-mv.finished
		*moves = (*moves)[1:]
		t := time.Now()
		s.advance(mv.offered, mv.done, blocked)
		if t.Sub(s.savedAt) >= checkpointEvery {
			s.saveCheckpoint(context.WithoutCancel(ctx))
		}
		s.log.Debug("batch moved", keyCount, len(mv.commits), "together", mv.together, "sync", mv.synced, "move", mv.took, "checkpoint", time.Since(t))
		if first == nil {
			first = mv.err
		}
	}
	return first
}

// fetchAhead is how many batches the fetcher may hold fetched (or be
// fetching) beyond the one being registered. With one, the fetch of
// batch i+1 could start only once the registration took batch i; a
// batch's fetch and preparing together take longer than its
// registration, so the registration waited for every batch.
const fetchAhead = 2

// fetcher fetches a pass's batches in order, ahead of the registration,
// on a goroutine of its own: at most fetchAhead+1 batches are held
// (fetched or being fetched, and not yet released by the registration),
// and a batch with a message of bigBatch bytes or more is held alone.
// Each batch's messages are prepared as they arrive (see preparing), and
// the fetcher goes on to the next batch while the last ones are prepared.
type fetcher struct {
	s       *session
	batches [][]meta
	out     chan *prefetch // in batch order; closed when the fetcher ends
	window  budget         // slots held, of fetchAhead+1; a big batch takes all
	exited  chan struct{}
}

// prefetch is the fetch of one batch, followed by the Handler's Prepare of
// each fetched message when it is a Preparer.
type prefetch struct {
	batch    []meta
	weight   int64         // window slots held
	done     chan struct{} // closed when the fetch and the Prepares are over
	byUID    map[uint32]*imapclient.FetchMessageBuffer
	prepared map[uint32]any
	err      error
}

// startFetcher starts fetching batches.
func (s *session) startFetcher(batches [][]meta) *fetcher {
	f := &fetcher{s: s, batches: batches, out: make(chan *prefetch, len(batches)), exited: make(chan struct{})}
	go f.run()
	return f
}

func (f *fetcher) run() {
	defer close(f.exited)
	defer close(f.out)
	window := int64(fetchAhead + 1)
	for _, batch := range f.batches {
		w := int64(1)
		if biggest(batch) >= bigBatch {
			w = window // fetched alone, not held beside another batch
		}
		if !f.window.take(w, window) {
			return
		}
		p := &prefetch{batch: batch, weight: w, done: make(chan struct{})}
		pp := f.s.startPreparing(batch)
		f.s.conn.Lock()
		p.byUID, p.err = f.s.fetchWhole(batch, pp)
		f.s.conn.Unlock()
		f.out <- p
		go func() {
			defer close(p.done)
			p.prepared = pp.wait()
			if p.err != nil {
				p.prepared = nil
			}
		}()
		if p.err != nil {
			return // the connection is likely gone; the registration stops at p
		}
	}
}

// take returns the next batch's prefetch once its fetch and Prepares are
// over; nil when the fetcher ended before it.
func (f *fetcher) take() *prefetch {
	p, ok := <-f.out
	if !ok {
		return nil
	}
	<-p.done
	return p
}

// release gives p's window slots back, once its batch is registered.
func (f *fetcher) release(p *prefetch) { f.window.give(p.weight) }

// stop ends the fetching: a fetch under way is finished, nothing more is
// started, and the batches fetched and not taken are dropped (their files
// removed). Stopping twice is harmless.
func (f *fetcher) stop() {
	f.window.stop()
	<-f.exited
	for p := range f.out {
		<-p.done
		f.s.dropFiles(p.batch)
	}
}

// preparing calls the Handler's Prepare for the messages of a batch as
// they are fetched, several at once, so that preparing overlaps the fetch
// of the rest of the batch. A Prepare that panics leaves its message
// unprepared (Handle meets the panic again, and recovers it) unless
// DontRecover is set.
type preparing struct {
	s     *session
	pr    Preparer
	metas map[uint32]meta // the batch's messages to prepare, by UID
	work  chan preparingJob
	wg    sync.WaitGroup
	mu    sync.Mutex
	out   map[uint32]any
}

// budget is a weighted count of what is held, up to a cap: a take waits
// while the new amount would exceed the cap, unless nothing is held (so
// one thing larger than the cap still goes, alone). The fetcher's window
// of batches is one; the session's Lean copies awaiting Prepare are
// another (see preparing.fetched): across the batches fetched ahead, the
// fetch waits while those would exceed FetchBatchBytes. The zero value
// is ready.
type budget struct {
	mu      sync.Mutex
	roomy   sync.Cond
	held    int64
	stopped bool // take gives up: the fetcher was stopped
}

// take waits for room and takes n of a cap; false, and nothing taken,
// once stop was called.
func (b *budget) take(n, cap int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roomy.L = &b.mu
	for !b.stopped && b.held > 0 && b.held+n > cap {
		b.roomy.Wait()
	}
	if b.stopped {
		return false
	}
	b.held += n
	return true
}

// give returns n.
func (b *budget) give(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held -= n
	b.roomy.Broadcast()
}

// stop makes every take, waiting or later, give up.
func (b *budget) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stopped = true
	b.roomy.Broadcast()
}

type preparingJob struct {
	m    meta
	buf  *imapclient.FetchMessageBuffer
	file *mimeparse.RawFile // the message's file, nil when in memory
	lean int64              // its Lean copy's bytes
}

// startPreparing starts the workers that prepare batch's messages; nil
// when the Handler is no Preparer.
func (s *session) startPreparing(batch []meta) *preparing {
	pr, ok := s.in.handler.(Preparer)
	if !ok {
		return nil
	}
	p := &preparing{s: s, pr: pr, metas: make(map[uint32]meta, len(batch)), out: make(map[uint32]any, len(batch))}
	for _, m := range batch {
		if m.size >= 0 {
			p.metas[m.uid] = m
		}
	}
	p.work = make(chan preparingJob, len(p.metas)) // the fetch never waits for a worker
	for range min(runtime.GOMAXPROCS(0), maxPrepareWorkers, max(len(p.metas), 1)) {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.work {
				v := s.in.prepare(p.pr, s.delivery(j.m, j.buf))
				if v != nil && j.file != nil {
					j.file.Lean = nil // prepared: Handle needs no Lean copy (see Preparer)
				}
				p.mu.Lock()
				p.out[j.m.uid] = v
				p.mu.Unlock()
				s.lean.give(j.lean)
			}
		}()
	}
	return p
}

// fetched hands a fetched message to the workers, and starts writing its
// file (if any) to disk (see syncFile). p may be nil: then only that.
// When the Lean copies of the messages fetched and not yet prepared would
// exceed FetchBatchBytes with this one, it first waits for the workers
// (of this batch or of one fetched before it; see budget): the
// batches held, of many big messages each counted light (spooledWeight),
// hold at most that much of their Lean copies at once.
func (p *preparing) fetched(s *session, buf *imapclient.FetchMessageBuffer) {
	uid := uint32(buf.UID)
	s.syncFile(uid)
	if p == nil {
		return
	}
	m, ok := p.metas[uid]
	if !ok {
		return
	}
	delete(p.metas, uid) // once, should the server send it twice
	j := preparingJob{m: m, buf: buf}
	if f, ok := s.files.Load(uid); ok {
		j.file = f.(*mimeparse.RawFile)
		if j.file.Lean != nil {
			j.lean = int64(j.file.Lean.Len())
		}
	}
	s.lean.take(j.lean, s.in.cfg.FetchBatchBytes) // never stopped
	p.work <- j
}

// wait ends the preparing and returns what Prepare returned, by UID; nil
// for a nil p.
func (p *preparing) wait() map[uint32]any {
	if p == nil {
		return nil
	}
	close(p.work)
	p.wg.Wait()
	return p.out
}

// maxPrepareWorkers caps the goroutines preparing a batch's messages at
// once (one per CPU up to it): parsing, hashing and classifying are CPU
// work, done beside the registration of the batch before.
const maxPrepareWorkers = 4

// prepare calls pr.Prepare, recovering a panic into nil unless DontRecover.
func (in *Intake) prepare(pr Preparer, d Delivery) (v any) {
	if !in.cfg.DontRecover {
		defer func() {
			if r := recover(); r != nil {
				v = nil
			}
		}()
	}
	return pr.Prepare(d)
}

// biggest is the size of a batch's largest message.
func biggest(batch []meta) int64 {
	var n int64
	for _, m := range batch {
		n = max(n, m.size)
	}
	return n
}

// bigBatch is the size of a message that is fetched alone, not beside the
// prefetch of another batch, and whose bytes are collected as soon as it
// is committed.
const bigBatch = 16 << 20

// releaseBig drops the fetched messages of a batch of at least bigBatch
// bytes and collects them at once: the outbox, woken by the commit, reads
// the forward of a big message (the original again) right away, and
// without this the Go heap holds both the garbage of the intake (the
// message and its composed forward) and the send's copy — the peak of a
// 25 MB attachment was about 3× higher than it needs to be.
func releaseBig(batch []meta, byUID map[uint32]*imapclient.FetchMessageBuffer) {
	if biggest(batch) < bigBatch {
		return
	}
	clear(byUID)
	runtime.GC()
}

// offerAll offers the batch's messages in order until ctx is cancelled
// and returns those committed and the prefix of batch looked at. Messages
// gone from the mailbox meanwhile are marked in done.
func (s *session) offerAll(ctx context.Context, batch []meta, byUID map[uint32]*imapclient.FetchMessageBuffer, prepared map[uint32]any, done map[uint32]bool) (commits []committed, offered []meta, err error) {
	for i, m := range batch {
		if err := ctx.Err(); err != nil {
			return commits, batch[:i], err
		}
		buf, fetched := byUID[m.uid]
		switch {
		case m.size < 0: // deferred retry
		case !fetched: // gone meanwhile: nothing to do
			done[m.uid] = true
		default:
			c, ok, err := s.offer(ctx, m, buf, prepared[m.uid])
			if err != nil {
				return commits, batch[:i+1], err
			}
			if ok {
				commits = append(commits, c)
			}
		}
	}
	return commits, batch, nil
}

// offerBatch is offerAll inside one Batch of a Batcher handler (group
// commit). When the batch does not commit, nothing of it counts as
// committed: every message is retried later and none is moved.
func (s *session) offerBatch(ctx context.Context, batch []meta, byUID map[uint32]*imapclient.FetchMessageBuffer, prepared map[uint32]any, done map[uint32]bool) (commits []committed, offered []meta, err error) {
	b, ok := s.in.handler.(Batcher)
	if !ok {
		return s.offerAll(ctx, batch, byUID, prepared, done)
	}
	berr := b.Batch(ctx, func(bctx context.Context) error {
		commits, offered, err = s.offerAll(bctx, batch, byUID, prepared, done)
		return nil // commit what was handled, even when ctx was cancelled
	})
	if berr != nil {
		for _, c := range commits {
			s.retryLater(c.uid, "batch commit failed; will retry", berr)
		}
		commits = nil
	}
	return commits, offered, err
}

// advance moves the checkpoint past the leading run of done messages.
// Only a message that was handled and moved (or found gone) counts: one
// whose move failed stays above the checkpoint and is offered again.
func (s *session) advance(offered []meta, done map[uint32]bool, blocked *bool) {
	for _, m := range offered {
		*blocked = *blocked || !done[m.uid]
		if done[m.uid] {
			s.maxHandled = max(s.maxHandled, m.uid)
		}
		if !*blocked {
			s.last = m.uid
		}
	}
}

// fetchWhole fetches the batch: whole messages with BODY.PEEK[], and only
// the header of an oversized one, so its body never enters memory.
//
// pp (may be nil) is handed each message as soon as it is fetched.
func (s *session) fetchWhole(batch []meta, pp *preparing) (map[uint32]*imapclient.FetchMessageBuffer, error) {
	var whole, headers imap.UIDSet
	for _, m := range batch {
		switch {
		case m.size < 0: // deferred retry
		case s.oversized(m):
			headers.AddNum(imap.UID(m.uid))
		default:
			whole.AddNum(imap.UID(m.uid))
		}
	}
	out := make(map[uint32]*imapclient.FetchMessageBuffer, len(batch))
	each := func(buf *imapclient.FetchMessageBuffer) { pp.fetched(s, buf) }
	if err := s.fetchInto(out, whole, wholeBody, each); err != nil {
		return nil, err
	}
	if err := s.fetchInto(out, headers, headerOnly, each); err != nil {
		return nil, err
	}
	return out, nil
}

// fetchInto fetches section of the messages in set into out, by UID.
// Each literal is read into a buffer of exactly its announced size, not
// grown by io.ReadAll (which for a 34 MB message allocates about twice
// that on the way), so a big message costs its size once. each, when not
// nil, is called with every message fetched, once it is complete.
func (s *session) fetchInto(out map[uint32]*imapclient.FetchMessageBuffer, set imap.UIDSet, section *imap.FetchItemBodySection, each func(*imapclient.FetchMessageBuffer)) error {
	if len(set) == 0 {
		return nil
	}
	opts := &imap.FetchOptions{UID: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{section}}
	cmd := s.c.Fetch(set, opts)
	defer cmd.Close()
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		buf := &imapclient.FetchMessageBuffer{SeqNum: msg.SeqNum}
		var files []*mimeparse.RawFile
		for item := msg.Next(); item != nil; item = msg.Next() {
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				buf.UID = it.UID
			case imapclient.FetchItemDataInternalDate:
				buf.InternalDate = it.Time
			case imapclient.FetchItemDataBodySection:
				if s.spoolIt(it.Literal, section) {
					f, err := s.spoolLiteral(it.Literal)
					if err != nil {
						return fmt.Errorf("fetch messages: %w", err)
					}
					files = append(files, f)
					buf.BodySection = append(buf.BodySection, imapclient.FetchBodySectionBuffer{Section: it.Section, Bytes: []byte{}})
					continue
				}
				b, err := readLiteral(it.Literal)
				if err != nil {
					return fmt.Errorf("fetch messages: %w", err)
				}
				buf.BodySection = append(buf.BodySection, imapclient.FetchBodySectionBuffer{Section: it.Section, Bytes: b})
			}
		}
		if buf.FindBodySection(section) != nil { // skip unsolicited FLAGS-only FETCH
			out[uint32(buf.UID)] = buf
		}
		for _, f := range files {
			if buf.UID == 0 {
				removeRawFile(f)
				continue
			}
			if old, ok := s.files.Swap(uint32(buf.UID), f); ok {
				removeRawFile(old.(*mimeparse.RawFile)) // of a prefetch that was dropped
			}
		}
		if each != nil && buf.UID != 0 && buf.FindBodySection(section) != nil {
			each(buf)
		}
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("fetch messages: %w", err)
	}
	return nil
}

// readLiteral reads a literal whole into a buffer of its announced size.
func readLiteral(r imap.LiteralReader) ([]byte, error) {
	if r == nil {
		return nil, nil // NIL: as if the section were not there
	}
	b := make([]byte, r.Size())
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("read literal of %d bytes: %w", len(b), err)
	}
	return b, nil
}

// offer hands one message to the Handler. ok reports that its case is
// committed and c says where it goes; otherwise it stays for a retry. err
// is non-nil only when ctx is cancelled.
func (s *session) offer(ctx context.Context, m meta, buf *imapclient.FetchMessageBuffer, prepared any) (c committed, ok bool, err error) {
	uid := uint32(buf.UID)
	d := s.delivery(m, buf)
	d.Prepared = prepared
	if d.HeaderOnly {
		s.log.Warn("message over the size limit: offering its header only", keyUID, uid, keySize, m.size)
	}
	disp, err := s.in.handle(ctx, d)
	if err != nil {
		if ctx.Err() != nil {
			return c, false, ctx.Err()
		}
		s.retryLater(uid, "handler failed; will retry", err)
		return c, false, nil
	}
	dest := map[Disposition]string{Registered: s.in.cfg.RegisteredMailbox, Quarantined: s.in.cfg.QuarantineMailbox}[disp]
	if dest == "" {
		s.retryLater(uid, "handler kept message; will retry", nil)
		return c, false, nil
	}
	return committed{uid: uid, disp: disp, dest: dest}, true, nil
}

// delivery is the Delivery of a fetched message: whole, or its header
// only when it is over the size limit.
func (s *session) delivery(m meta, buf *imapclient.FetchMessageBuffer) Delivery {
	d := Delivery{Mailbox: s.in.cfg.Mailbox, UIDValidity: s.uidValidity, UID: uint32(buf.UID), InternalDate: buf.InternalDate,
		Raw: buf.FindBodySection(wholeBody), Size: m.size}
	if s.oversized(m) {
		d.Raw, d.HeaderOnly = buf.FindBodySection(headerOnly), true
	} else if f, ok := s.files.Load(uint32(buf.UID)); ok {
		d.Raw, d.File = nil, f.(*mimeparse.RawFile)
	}
	return d
}

func (s *session) retryLater(uid uint32, msg string, err error) {
	delay := s.in.retries.fail(uid, time.Now())
	s.log.Warn(msg, keyUID, uid, keyErr, err, keyDelay, delay)
}

// handle calls the Handler, recovering a panic into ErrHandlerPanic unless
// DontRecover is set.
func (in *Intake) handle(ctx context.Context, d Delivery) (disp Disposition, err error) {
	if !in.cfg.DontRecover {
		defer func() {
			if r := recover(); r != nil {
				disp, err = Keep, fmt.Errorf("%w: %v", ErrHandlerPanic, r)
			}
		}()
	}
	return in.handler.Handle(ctx, d)
}
