package store

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

// A group claim leases every due row in one transaction; another worker
// gets none of them until they are released, and then all.
func TestClaimOutboxBatch(t *testing.T) {
	st, now, ctx := fixedStore(t)
	var out []synpunkt.Notification
	for i := range 3 {
		out = append(out, synpunkt.Notification{Kind: synpunkt.KindReceipt, Channel: synpunkt.MediumEmail,
			From: "synpunkt@exempelby.se", To: "anna@example.org", MessageID: string(rune('a' + i)), Payload: []byte{byte('x' + i)}})
	}
	if err := st.Enqueue(ctx, 0, nil, out); err != nil {
		t.Fatal(err)
	}
	due, err := st.DueOutbox(ctx, now, 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("DueOutbox = %d rows, %v; want 3", len(due), err)
	}
	ids := []int64{due[0].ID, due[1].ID, due[2].ID}
	until := now.Add(2 * time.Minute)
	got, err := st.ClaimOutboxBatch(ctx, ids, "w1", now, until)
	if err != nil || !slices.Equal(got, ids) {
		t.Fatalf("ClaimOutboxBatch(w1) = %v, %v; want %v", got, err, ids)
	}
	if got, err := st.ClaimOutboxBatch(ctx, ids, "w2", now, until); err != nil || len(got) != 0 {
		t.Fatalf("ClaimOutboxBatch(w2) while w1 holds them = %v, %v; want none", got, err)
	}
	if p, err := st.OutboxPayload(ctx, ids[1]); err != nil || string(p) != "y" {
		t.Errorf("OutboxPayload = %q, %v; want y", p, err)
	}
	if err := st.ReleaseClaims(ctx, "w2", ids); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.ClaimOutboxBatch(ctx, ids, "w2", now, until); len(got) != 0 {
		t.Fatalf("w2's release freed w1's claims: w2 got %v", got)
	}
	if err := st.ReleaseClaims(ctx, "w1", ids[1:]); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.ClaimOutboxBatch(ctx, ids, "w2", now, until); !slices.Equal(got, ids[1:]) {
		t.Fatalf("after w1 released two, w2 got %v, want %v", got, ids[1:])
	}
}

// A forward whose original the intake ledger holds keeps a reference to it
// instead of a second copy, and reads back byte for byte; one whose
// original is not in the ledger keeps its payload whole.
func TestForwardRefersToStoredOriginal(t *testing.T) {
	st, now, ctx := fixedStore(t)
	nc := newCase("fwd", now)
	nc.Intake.Raw = []byte("Subject: x\r\n\r\n" + strings.Repeat("stort foto ", 10000))
	forward := func(original []byte) synpunkt.Notification {
		head := []byte("Subject: Synpunkt\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n")
		payload := append(append(append([]byte{}, head...), original...), "\r\n--b--\r\n"...)
		return synpunkt.Notification{Kind: synpunkt.KindForward, Channel: synpunkt.MediumEmail, From: "synpunkt@exempelby.se",
			To: "chef@exempelby.se", Payload: payload, OriginalAt: len(head), OriginalLen: len(original)}
	}
	var want [][]byte
	c, err := st.OpenCase(ctx, nc, func(synpunkt.Case) ([]synpunkt.Notification, error) {
		a, b := forward(nc.Intake.Raw), forward([]byte("Subject: not stored\r\n\r\nhej"))
		want = [][]byte{a.Payload, b.Payload}
		return []synpunkt.Notification{a, b}, nil
	})
	if err != nil {
		t.Fatalf("OpenCase: %v", err)
	}
	stored := storedPayloadSizes(t, st, c.ID)
	if len(stored) != 2 || stored[0] >= int64(len(nc.Intake.Raw)) || stored[1] != int64(len(want[1])) {
		t.Fatalf("stored payload sizes %v; want the first without its %d-byte original, the second whole (%d)", stored, len(nc.Intake.Raw), len(want[1]))
	}
	readsBackWhole(t, st, want)
}

// A detached forward (its original kept out of the payload) is stored
// with a reference when the ledger holds the original, and whole when it
// does not; OutboxParts reads it back apart, the other readers joined.
func TestDetachedForwardRefersToStoredOriginal(t *testing.T) {
	st, now, ctx := fixedStore(t)
	nc := newCase("fwd", now)
	nc.Intake.Raw = []byte("Subject: x\r\n\r\n" + strings.Repeat("stort foto ", 10000))
	head, tail := []byte("Subject: Synpunkt\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"), []byte("\r\n--b--\r\n")
	detached := func(original []byte) synpunkt.Notification {
		return synpunkt.Notification{Kind: synpunkt.KindForward, Channel: synpunkt.MediumEmail, From: "synpunkt@exempelby.se",
			To: "chef@exempelby.se", Payload: append(append([]byte{}, head...), tail...), Original: original,
			OriginalAt: len(head), OriginalLen: len(original)}
	}
	notStored := []byte("Subject: not stored\r\n\r\nhej")
	whole := func(original []byte) []byte { return append(append(append([]byte{}, head...), original...), tail...) }
	want := [][]byte{whole(nc.Intake.Raw), whole(notStored)}
	c, err := st.OpenCase(ctx, nc, func(synpunkt.Case) ([]synpunkt.Notification, error) {
		return []synpunkt.Notification{detached(nc.Intake.Raw), detached(notStored)}, nil
	})
	if err != nil {
		t.Fatalf("OpenCase: %v", err)
	}
	stored := storedPayloadSizes(t, st, c.ID)
	if len(stored) != 2 || stored[0] != int64(len(head)+len(tail)) || stored[1] != int64(len(want[1])) {
		t.Fatalf("stored payload sizes %v; want the first without its original (%d), the second whole (%d)", stored, len(head)+len(tail), len(want[1]))
	}
	for i, r := range readsBackWhole(t, st, want) {
		payload, orig, at, err := st.OutboxParts(ctx, r.ID)
		if err != nil {
			t.Fatalf("OutboxParts(%d): %v", r.ID, err)
		}
		if (orig != nil) != (i == 0) {
			t.Errorf("OutboxParts(%d): original apart = %v, want %v", r.ID, orig != nil, i == 0)
		}
		n := synpunkt.Notification{Payload: payload, Original: orig, OriginalAt: at}
		if got, _ := n.Full(); !bytes.Equal(got, want[i]) {
			t.Errorf("OutboxParts(%d) joined = %d bytes, want the %d composed", r.ID, len(got), len(want[i]))
		}
		p2, r2, at2, ok, err := st.ClaimOutboxStream(ctx, r.ID, "w", now, now.Add(time.Minute))
		var o2 []byte
		if r2 != nil {
			o2, _ = io.ReadAll(r2)
			r2.Close()
		}
		if err != nil || !ok || !bytes.Equal(p2, payload) || !bytes.Equal(o2, orig) || (r2 != nil) != (orig != nil) || at2 != at {
			t.Errorf("ClaimOutboxStream(%d) = %d, %d bytes at %d, %v, %v; want OutboxParts' %d, %d at %d", r.ID, len(p2), len(o2), at2, ok, err, len(payload), len(orig), at)
		}
	}
}

// storedPayloadSizes is the length of each outbox payload of the case as
// stored, in queue order.
func storedPayloadSizes(t *testing.T, st *Store, caseID int64) []int64 {
	t.Helper()
	var stored []int64
	rows, err := st.DB().QueryContext(t.Context(), "SELECT length(payload) FROM outbox WHERE case_id = ? ORDER BY id", caseID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, n)
	}
	return stored
}

// readsBackWhole checks that AllOutbox and OutboxPayload read the outbox
// back as the payloads in want, joined with their originals, and returns
// the rows.
func readsBackWhole(t *testing.T, st *Store, want [][]byte) []OutboxRow {
	t.Helper()
	all, err := st.AllOutbox(t.Context())
	if err != nil || len(all) != len(want) {
		t.Fatalf("AllOutbox = %d rows, %v; want %d", len(all), err, len(want))
	}
	for i, r := range all {
		if !bytes.Equal(r.Payload, want[i]) {
			t.Errorf("row %d reads back %d bytes, want the %d composed", i, len(r.Payload), len(want[i]))
		}
		if p, err := st.OutboxPayload(t.Context(), r.ID); err != nil || !bytes.Equal(p, want[i]) {
			t.Errorf("OutboxPayload(%d) = %d bytes, %v; want the %d composed", r.ID, len(p), err, len(want[i]))
		}
	}
	return all
}
