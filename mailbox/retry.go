package mailbox

import (
	"sync"
	"time"
)

// retryState remembers messages that were kept or failed, so each is
// retried on its own exponential schedule instead of on every pass: one bad
// message can neither spin the CPU nor hold up the others. It is keyed by
// UID and cleared when UIDVALIDITY changes. Used by Run's goroutine and
// the batch move it runs beside the Handler.
type retryState struct {
	mu          sync.Mutex
	bo          backoff
	uidValidity uint32
	m           map[uint32]retry
}

type retry struct {
	attempts int
	next     time.Time
}

// reset forgets everything when the mailbox's UIDVALIDITY is new.
func (r *retryState) reset(uidValidity uint32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.uidValidity != uidValidity {
		r.uidValidity, r.m = uidValidity, nil
	}
}

// deferred reports whether uid is waiting for its next attempt.
func (r *retryState) deferred(uid uint32, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.m[uid]
	return ok && now.Before(e.next)
}

// fail records a failed attempt and returns the delay until the next one.
func (r *retryState) fail(uid uint32, now time.Time) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = make(map[uint32]retry)
	}
	e := r.m[uid]
	e.attempts++
	d := r.bo.delay(e.attempts)
	e.next = now.Add(d)
	r.m[uid] = e
	return d
}

// done forgets uid after it was handled.
func (r *retryState) done(uid uint32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, uid)
}

// prune forgets messages that are no longer in the mailbox.
func (r *retryState) prune(present []meta) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.m) == 0 {
		return
	}
	keep := make(map[uint32]bool, len(present))
	for _, m := range present {
		keep[m.uid] = true
	}
	for uid := range r.m {
		if !keep[uid] {
			delete(r.m, uid)
		}
	}
}

// next returns the earliest time a message is due for retry.
func (r *retryState) next() (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var at time.Time
	for _, e := range r.m {
		if at.IsZero() || e.next.Before(at) {
			at = e.next
		}
	}
	return at, !at.IsZero()
}
