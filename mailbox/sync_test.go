package mailbox

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/exempelby/synpunkt/internal/testkit"
)

// syncingRecorder is a recorder that is a Syncer: each Sync is noted in
// a log the server's moves are noted in too, and fails while fail is set.
type syncingRecorder struct {
	*recorder
	events *eventLog
	fail   atomic.Bool
}

func (r *syncingRecorder) Sync(context.Context) error {
	if r.fail.Load() {
		r.events.add("sync failed")
		return errors.New("fsync: input/output error")
	}
	r.events.add("sync")
	return nil
}

type eventLog struct {
	mu     sync.Mutex
	events []string
}

func (l *eventLog) add(e string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.events...)
}

// A Syncer's Sync runs before each batch is moved out of the inbox: no
// MOVE (or COPY) reaches the server without a Sync after the batch's
// commit.
func TestSyncBeforeEveryMove(t *testing.T) {
	onBatchMoveServers(t, func(t *testing.T, srv *memServer, hooks *moveHooks) {
		events := &eventLog{}
		hooks.setRefuse(func(set imap.UIDSet) error {
			events.add("move " + set.String())
			return nil
		})
		srv.appendInbox(t, 7)
		cfg := srv.config()
		cfg.FetchBatch = 3
		h := &syncingRecorder{recorder: &recorder{}, events: events}
		r := startIntake(t, cfg, h, nil)
		r.waitIdle(t)
		got := events.snapshot()
		moves := 0
		for i, e := range got {
			if strings.HasPrefix(e, "move ") {
				moves++
				if i == 0 || got[i-1] != "sync" {
					t.Errorf("events %q: %q without a Sync just before it", got, e)
				}
			}
		}
		// Batches of 3, 3 and 1: each moved alone, or with the ones
		// committed while a move was under way.
		if moves < 1 || moves > 3 {
			t.Errorf("events %q: %d moves, want 1 to 3 (batches of 3, 3, 1)", got, moves)
		}
		if n := srv.count(t, "INBOX"); n != 0 {
			t.Errorf("INBOX holds %d messages, want 0", n)
		}
	})
}

// When Sync fails nothing is moved: the messages stay in the inbox and
// the checkpoint does not pass them; once Sync works again they are
// offered again (the Handler finds them registered) and moved, each
// registered once.
func TestFailedSyncMovesNothing(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	srv.appendInbox(t, 4)
	events := &eventLog{}
	h := &syncingRecorder{recorder: &recorder{}, events: events}
	h.fail.Store(true)
	r := startIntake(t, srv.config(), h, nil)
	testkit.WaitFor(t, "a failed Sync retried", func() bool {
		n := 0
		for _, e := range events.snapshot() {
			if e == "sync failed" {
				n++
			}
		}
		return n >= 2
	})
	if n := srv.count(t, "INBOX"); n != 4 {
		t.Errorf("INBOX holds %d messages after failed Syncs, want 4", n)
	}
	if n := srv.count(t, "Registrerade"); n != 0 {
		t.Errorf("Registrerade holds %d messages after failed Syncs, want 0", n)
	}
	r.wantLast(t, 0)
	h.fail.Store(false)
	testkit.WaitFor(t, "moved once Sync works", func() bool { return srv.count(t, "INBOX") == 0 })
	if n := srv.count(t, "Registrerade"); n != 4 {
		t.Errorf("Registrerade holds %d messages, want 4", n)
	}
	h.mu.Lock()
	regs := h.newRegs
	h.mu.Unlock()
	if regs != 4 {
		t.Errorf("%d registrations, want 4: a message offered again is not registered twice", regs)
	}
}

// Batches committed while a move is under way are moved together, after
// one Sync: with the first move held up until every message is
// registered, the two batches after it go in one command.
func TestBatchesCommittedDuringAMoveMoveTogether(t *testing.T) {
	srv := func() *memServer {
		hooks := &moveHooks{}
		srv := startHookedMemServer(t, capsRev2, hooks)
		events := &eventLog{}
		h := &syncingRecorder{recorder: &recorder{decide: func(id string, _ int) (Disposition, error) {
			if id == "m1" {
				time.Sleep(200 * time.Millisecond) // the fetcher fetches the batches after it meanwhile
			}
			return Registered, nil
		}}, events: events}
		first := true
		hooks.setRefuse(func(set imap.UIDSet) error {
			if first {
				first = false
				deadline := time.Now().Add(5 * time.Second)
				for h.numRegistered() < 7 && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
			}
			return nil
		})
		srv.appendInbox(t, 7)
		cfg := srv.config()
		cfg.FetchBatch = 3
		r := startIntake(t, cfg, h, nil)
		r.waitIdle(t)
		// The mover may also take the first batch late (a busy machine),
		// when all three are committed: then one command moves them all.
		got := hooks.commands()
		if !slices.Equal(got, []string{"Registrerade:1:3", "Registrerade:4:7"}) && !slices.Equal(got, []string{"Registrerade:1:7"}) {
			t.Errorf("move commands = %q, want the batches of 4:6 and 7 moved together", got)
		}
		syncs := 0
		for _, e := range events.snapshot() {
			if e == "sync" {
				syncs++
			}
		}
		if syncs != len(got) {
			t.Errorf("%d Syncs for %d moves, want one per move", syncs, len(got))
		}
		r.wantLast(t, 7)
		return srv
	}()
	if n := srv.count(t, "INBOX"); n != 0 {
		t.Errorf("INBOX holds %d messages, want 0", n)
	}
}
