package mailbox

import (
	"context"
	"testing"
	"time"
)

// heldHandler registers every message but holds the Handle of UID 1 until
// open is closed, and says on entered that it got there.
type heldHandler struct {
	recorder
	entered, open chan struct{}
}

func (h *heldHandler) Handle(ctx context.Context, d Delivery) (Disposition, error) {
	if d.UID == 1 {
		close(h.entered)
		<-h.open
	}
	return h.recorder.Handle(ctx, d)
}

// giveWay runs in.GiveWay on its own goroutine and returns a channel
// closed when it returns.
func giveWay(in *Intake) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		in.GiveWay(context.Background())
		close(done)
	}()
	return done
}

// While a pass drains a backlog (at least backlogBatches batches),
// GiveWay waits for the pass to end; during a pass of a few messages, it
// returns at once.
func TestGiveWayWaitsForABacklog(t *testing.T) {
	for _, tc := range []struct {
		name     string
		messages int
		waits    bool
	}{
		{"backlog", 3 * backlogBatches, true},
		{"a few messages", 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startMemServer(t, capsRev2)
			srv.appendInbox(t, tc.messages)
			h := &heldHandler{entered: make(chan struct{}), open: make(chan struct{})}
			cfg := srv.config()
			cfg.FetchBatch, cfg.FirstFetchBatch = 3, 3
			r := startIntake(t, cfg, h, nil)
			<-h.entered // the pass is under way
			done := giveWay(r.Intake)
			select {
			case <-done:
				if tc.waits {
					t.Error("GiveWay returned while the backlog was being drained")
				}
			case <-time.After(200 * time.Millisecond): // a wrong return shows well within this
				if !tc.waits {
					t.Error("GiveWay waited for a pass that is no backlog")
				}
			}
			close(h.open)
			r.waitIdle(t)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("GiveWay did not return once the pass was over")
			}
		})
	}
}

// GiveWay waits at most BacklogHold from the start of the backlog pass.
func TestGiveWayIsBounded(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	srv.appendInbox(t, 3*backlogBatches)
	h := &heldHandler{entered: make(chan struct{}), open: make(chan struct{})}
	cfg := srv.config()
	cfg.FetchBatch, cfg.FirstFetchBatch = 3, 3
	cfg.BacklogHold = 50 * time.Millisecond
	r := startIntake(t, cfg, h, nil)
	defer close(h.open)
	<-h.entered
	select {
	case <-giveWay(r.Intake):
	case <-time.After(10 * time.Second):
		t.Fatal("GiveWay held on past BacklogHold")
	}
}

// With no pass running, GiveWay returns at once.
func TestGiveWayWithoutAPass(t *testing.T) {
	in := New(Config{}, HandlerFunc(func(context.Context, Delivery) (Disposition, error) { return Registered, nil }), &fakeCheckpoints{}, testLogger(t))
	select {
	case <-giveWay(in):
	case <-time.After(10 * time.Second):
		t.Fatal("GiveWay without a pass did not return")
	}
}
