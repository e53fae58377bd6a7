package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

// A group claim leases every due row in one transaction; another worker
// gets none of them until they are released, and then all.
func TestClaimOutboxBatch(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	st := mustOpenStore(t, filepath.Join(t.TempDir(), "s.db"), func() time.Time { return now })
	ctx := context.Background()
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
