package mailbox

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
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
