package casework

import (
	"bytes"
	"context"
	"testing"

	"github.com/exempelby/synpunkt/store"
)

// A message prepared ahead (parsed and keyed off the write lock) is
// registered as Handle registers it, and once: the prepared copy is the
// same case; a Prepared of other bytes is not trusted but redone.
func TestHandlePreparedRegistersLikeHandle(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	raw := citizen("prep@example.com", "anna@example.com", "Lampa", "Gatlyktan på Storgatan är trasig.")
	src := Source{Name: "test"}
	pre := h.p.Prepare(src, raw)
	if pre == nil {
		t.Fatal("Prepare of a plain message = nil")
	}
	first, err := h.p.HandlePrepared(ctx, src, raw, pre)
	if err != nil || first.Outcome != NewCase {
		t.Fatalf("HandlePrepared = %+v, %v; want a new case", first, err)
	}
	if c := h.caseByNumber(first.Case); len(c.Documents) == 0 || c.Documents[0].RawSHA256 != store.RawSum(raw) {
		t.Errorf("registered document = %+v, want the raw message's SHA-256 %s", c.Documents, store.RawSum(raw))
	}
	again := h.handle(raw)
	if again.Outcome != Duplicate || again.Case != first.Case {
		t.Errorf("Handle of the same message after HandlePrepared = %+v, want a duplicate of %s", again, first.Case)
	}

	// A Prepared made from another message (same bytes, other memory, or
	// other bytes) is ignored: the second message gets its own case.
	other := citizen("other@example.com", "bo@example.com", "Parkbänk", "Bänken i parken är sönder.")
	wrong := h.p.Prepare(src, bytes.Clone(raw))
	res, err := h.p.HandlePrepared(ctx, src, other, wrong)
	if err != nil || res.Outcome != NewCase || res.Case == first.Case {
		t.Errorf("HandlePrepared with another message's Prepared = %+v, %v; want a case of its own", res, err)
	}
	if n := len(h.outbox("")); n != 4 {
		t.Errorf("outbox has %d rows, want 4 (two forwards, two receipts)", n)
	}
}

// Prepare leaves an oversized message to Handle, which quarantines it.
func TestPrepareSkipsOversize(t *testing.T) {
	h := newHarness(t)
	if pre := h.p.Prepare(Source{Name: "test", Oversize: 1 << 30}, []byte("Subject: x\r\n\r\n")); pre != nil {
		t.Errorf("Prepare of an oversized message = %+v, want nil", pre)
	}
}
