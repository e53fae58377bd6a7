package mailbox

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// preparer is a recorder that also prepares: Prepare returns the UID it
// saw, and Handle records what it was handed.
type preparer struct {
	recorder
	pmu      sync.Mutex
	prepared []uint32 // UIDs Prepare was called for
	handed   map[uint32]any
}

func (p *preparer) Prepare(d Delivery) any {
	p.pmu.Lock()
	defer p.pmu.Unlock()
	p.prepared = append(p.prepared, d.UID)
	return fmt.Sprintf("prepared %d", d.UID)
}

func (p *preparer) Handle(ctx context.Context, d Delivery) (Disposition, error) {
	p.pmu.Lock()
	if p.handed == nil {
		p.handed = map[uint32]any{}
	}
	p.handed[d.UID] = d.Prepared
	p.pmu.Unlock()
	return p.recorder.Handle(ctx, d)
}

// The batches after a pass's first are fetched and prepared while the one
// before is handled, the first is prepared as it is fetched, and each
// message's Prepare result reaches Handle. Every message is still handled
// once, in UID order, and moved.
func TestNextBatchPreparedWhileOneIsHandled(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	srv.appendInbox(t, 7)
	h := &preparer{}
	cfg := srv.config()
	cfg.FetchBatch, cfg.FirstFetchBatch = 3, 3
	r := startIntake(t, cfg, h, nil)
	r.waitIdle(t)

	var uids []uint32
	for _, c := range h.snapshot() {
		uids = append(uids, c.UID)
	}
	if want := []uint32{1, 2, 3, 4, 5, 6, 7}; !slices.Equal(uids, want) {
		t.Errorf("handled UIDs = %v, want %v", uids, want)
	}
	h.pmu.Lock()
	defer h.pmu.Unlock()
	slices.Sort(h.prepared) // several are prepared at once
	if want := []uint32{1, 2, 3, 4, 5, 6, 7}; !slices.Equal(h.prepared, want) {
		t.Errorf("prepared UIDs = %v, want %v (each once)", h.prepared, want)
	}
	for uid := uint32(1); uid <= 7; uid++ {
		want := fmt.Sprintf("prepared %d", uid)
		if got := h.handed[uid]; got != want {
			t.Errorf("Delivery.Prepared of UID %d = %v, want %v", uid, got, want)
		}
	}
	if got := srv.count(t, "INBOX"); got != 0 {
		t.Errorf("INBOX count = %d, want 0", got)
	}
}

// gatedPreparer is a preparer whose Handle of one UID waits for open to be
// closed, and which reports each Prepare on prepared.
type gatedPreparer struct {
	preparer
	gate     uint32
	open     chan struct{}
	reported chan uint32
}

func (g *gatedPreparer) Prepare(d Delivery) any {
	v := g.preparer.Prepare(d)
	g.reported <- d.UID
	return v
}

func (g *gatedPreparer) Handle(ctx context.Context, d Delivery) (Disposition, error) {
	if d.UID == g.gate {
		<-g.open
	}
	return g.preparer.Handle(ctx, d)
}

// While a batch is being registered, the fetcher fetches and prepares up
// to fetchAhead batches after it, and no more: with the Handle of the
// first message held, the messages of the next fetchAhead batches are
// prepared and those of the batch after them are not, until the first
// batch is registered. Every message is then handled once, in order.
func TestFetcherFetchesAheadOfTheRegistration(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	const per, batches = 3, fetchAhead + 2
	srv.appendInbox(t, per*batches)
	h := &gatedPreparer{gate: 1, open: make(chan struct{}), reported: make(chan uint32, per*batches)}
	cfg := srv.config()
	cfg.FetchBatch, cfg.FirstFetchBatch = per, per
	r := startIntake(t, cfg, h, nil)

	ahead := per * (fetchAhead + 1) // the held batch and fetchAhead after it
	got := map[uint32]bool{}
	for len(got) < ahead {
		select {
		case uid := <-h.reported:
			got[uid] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("prepared %v while the first batch was held, want the first %d UIDs", got, ahead)
		}
	}
	for uid := uint32(1); uid <= uint32(ahead); uid++ {
		if !got[uid] {
			t.Errorf("UID %d not prepared while the first batch was held; prepared %v", uid, got)
		}
	}
	select {
	case uid := <-h.reported:
		t.Errorf("UID %d prepared while the first batch was held: more than %d batches ahead", uid, fetchAhead)
	case <-time.After(200 * time.Millisecond): // a violation shows well within this
	}
	close(h.open)
	r.waitIdle(t)
	var uids []uint32
	for _, c := range h.snapshot() {
		uids = append(uids, c.UID)
	}
	var want []uint32
	for uid := uint32(1); uid <= per*batches; uid++ {
		want = append(want, uid)
	}
	if !slices.Equal(uids, want) {
		t.Errorf("handled UIDs = %v, want %v", uids, want)
	}
	if got := srv.count(t, "INBOX"); got != 0 {
		t.Errorf("INBOX count = %d, want 0", got)
	}
}

// The fetcher's window: fetchAhead+1 batches may be held at once, a
// batch with a big message (weight of the whole window) only alone, and
// a stopped fetcher acquires nothing more.
func TestFetcherWindow(t *testing.T) {
	const window int64 = fetchAhead + 1
	f := &fetcher{}
	for i := range window {
		if !f.window.take(1, window) {
			t.Fatalf("acquire %d of %d refused", i+1, window)
		}
	}
	acquired := make(chan bool)
	go func() { acquired <- f.window.take(window, window) }() // a big batch
	select {
	case <-acquired:
		t.Fatal("a big batch was let in while others were held")
	case <-time.After(50 * time.Millisecond):
	}
	for range window - 1 {
		f.release(&prefetch{weight: 1})
	}
	select {
	case <-acquired:
		t.Fatal("a big batch was let in while one other was held")
	case <-time.After(50 * time.Millisecond):
	}
	f.release(&prefetch{weight: 1})
	if !<-acquired {
		t.Fatal("a big batch was refused with nothing held")
	}
	go func() { acquired <- f.window.take(1, window) }()
	select {
	case <-acquired:
		t.Fatal("a batch was let in beside a big one")
	case <-time.After(50 * time.Millisecond):
	}
	f.window.stop()
	if <-acquired {
		t.Error("a stopped fetcher acquired a slot")
	}
}
