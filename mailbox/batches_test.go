package mailbox

import (
	"context"
	"slices"
	"testing"
)

// A pass registers its first messages in a small batch and doubles the
// batch while the backlog lasts, up to FetchBatch; the byte cap still
// splits, and a message over it goes alone.
func TestBatchesGrowWhileTheBacklogLasts(t *testing.T) {
	sizes := func(cfg Config, metas []meta) []int {
		s := &session{in: &Intake{cfg: cfg.withDefaults()}}
		var out []int
		for _, b := range s.batches(metas) {
			out = append(out, len(b))
		}
		return out
	}
	metas := func(n int, size int64) []meta {
		var out []meta
		for i := 1; i <= n; i++ {
			out = append(out, meta{uid: uint32(i), size: size})
		}
		return out
	}
	if got, want := sizes(Config{}, metas(400, 3000)), []int{10, 20, 40, 80, 100, 100, 50}; !slices.Equal(got, want) {
		t.Errorf("default batches of 400 = %v, want %v", got, want)
	}
	if got, want := sizes(Config{}, metas(1, 3000)), []int{1}; !slices.Equal(got, want) {
		t.Errorf("default batches of 1 = %v, want %v", got, want)
	}
	if got, want := sizes(Config{FetchBatch: 3}, metas(7, 3000)), []int{3, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("FetchBatch 3: batches of 7 = %v, want %v", got, want)
	}
	if got, want := sizes(Config{FetchBatchBytes: 10_000}, metas(12, 3000)), []int{3, 3, 3, 3}; !slices.Equal(got, want) {
		t.Errorf("10 kB cap: batches of 12 = %v, want %v", got, want)
	}
	big := append(metas(2, 3000), meta{uid: 3, size: 50_000}, meta{uid: 4, size: 3000})
	if got, want := sizes(Config{FetchBatchBytes: 10_000}, big), []int{2, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("10 kB cap with a 50 kB message = %v, want %v", got, want)
	}
}

// A message fetched into a file counts at spooledWeight when the Handler
// is a Preparer (its Lean copy is dropped once prepared), so a backlog of
// big messages goes in batches of FetchBatch; without a Preparer it still
// counts at its size.
func TestSpooledMessagesCountLightWhenPrepared(t *testing.T) {
	sizes := func(h Handler, metas []meta) []int {
		cfg := Config{SpoolDir: "spool", SpoolMin: 256 << 10}
		s := &session{in: &Intake{cfg: cfg.withDefaults(), handler: h}}
		var out []int
		for _, b := range s.batches(metas) {
			out = append(out, len(b))
		}
		return out
	}
	var metas []meta
	for i := 1; i <= 300; i++ {
		metas = append(metas, meta{uid: uint32(i), size: 1 << 20})
	}
	if got, want := sizes(&preparer{}, metas), []int{10, 20, 40, 80, 100, 50}; !slices.Equal(got, want) {
		t.Errorf("300 spooled messages of 1 MiB, prepared: batches %v, want %v", got, want)
	}
	plain := HandlerFunc(func(context.Context, Delivery) (Disposition, error) { return Registered, nil })
	if got := sizes(plain, metas); len(got) != 38 || got[0] != 8 {
		t.Errorf("300 spooled messages of 1 MiB, not prepared: %d batches starting %v, want 38 of 8", len(got), got[:1])
	}
}
