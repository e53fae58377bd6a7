package mailbox

import (
	"context"
	"sync"
	"time"
)

// backlogBatches is how many batches make a pass a backlog (see
// Intake.GiveWay): a few new messages at a time, as a steady stream
// brings, never do, so other work does not wait for them.
const backlogBatches = 3

// backlogGate tells other work whether the intake is draining a backlog.
type backlogGate struct {
	mu    sync.Mutex
	over  chan struct{} // closed when the backlog pass ends; nil: none running
	since time.Time     // when it began
}

// begin marks a backlog pass as running and returns what ends it.
func (g *backlogGate) begin(now time.Time) (end func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	over := make(chan struct{})
	g.over, g.since = over, now
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		close(over)
		if g.over == over {
			g.over = nil
		}
	}
}

// GiveWay blocks while the intake drains a backlog — a pass of at least
// backlogBatches batches — but no longer than Config.BacklogHold after
// that pass began, and returns at once when none is running or ctx is
// done. The daemon's outbox calls it before it claims notifications to
// send: registering a backlog goes first, and the forwards and receipts
// of its cases follow as soon as the mailbox is drained. Sending beside a
// backlog takes the same CPU, disk and store write lock as the
// registration and slows both: on the bench (synpunkt-bench -n 5000, 2
// cores) the backlog was registered and every receipt sent sooner with
// the sends held back than with both at once. BacklogHold bounds how long
// a receipt waits when the backlog is very long.
func (in *Intake) GiveWay(ctx context.Context) {
	in.backlog.mu.Lock()
	over, since := in.backlog.over, in.backlog.since
	in.backlog.mu.Unlock()
	if over == nil || in.cfg.BacklogHold <= 0 {
		return
	}
	left := in.cfg.BacklogHold - time.Since(since)
	if left <= 0 {
		return
	}
	t := time.NewTimer(left)
	defer t.Stop()
	select {
	case <-over:
	case <-t.C:
	case <-ctx.Done():
	}
}
