package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

// RecordOutbox writes each outcome as MarkSent, MarkRetry, MarkFailed and
// ReleaseOutbox do, with the events of the sent and the failed one on the
// case, all in one transaction: with one outcome it cannot write, it
// writes none.
func TestRecordOutbox(t *testing.T) {
	st, now, ctx := fixedStore(t)
	c := mustOpenCase(t, st, newCase("rec", now))
	var out []synpunkt.Notification
	for i := range 4 {
		out = append(out, synpunkt.Notification{Kind: synpunkt.KindReceipt, Channel: synpunkt.MediumEmail, From: "synpunkt@exempelby.se",
			To: fmt.Sprintf("anna%d@example.org", i), MessageID: fmt.Sprintf("m%d", i), Payload: []byte("x")})
	}
	if err := st.Enqueue(ctx, c.ID, nil, out); err != nil {
		t.Fatal(err)
	}
	due, err := st.DueOutbox(ctx, now, 10)
	if err != nil || len(due) != 4 {
		t.Fatalf("DueOutbox = %d rows, %v; want 4", len(due), err)
	}
	ids := []int64{due[0].ID, due[1].ID, due[2].ID, due[3].ID}
	if _, err := st.ClaimOutboxBatch(ctx, ids, "w", now, now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	next := now.Add(time.Hour)
	results := []OutboxResult{
		{Row: due[0], Outcome: ResultSent},
		{Row: due[1], Outcome: ResultRetry, Next: next, Reason: "450 greylisted"},
		{Row: due[2], Outcome: ResultFailed, Reason: "550 <anna2@example.org>: unknown", Summary: "permanent failure at rcpt (code 550)"},
		{Row: due[3], Outcome: ResultReleased, Reason: "421 closing"},
	}
	bad := append(append([]OutboxResult{}, results...), OutboxResult{Row: due[0], Outcome: "lost"})
	if err := st.RecordOutbox(ctx, bad); err == nil {
		t.Fatal("RecordOutbox with an unknown outcome succeeded")
	}
	for _, r := range st.mustAllOutbox(t) {
		if r.Status != OutboxPending || r.Attempts != 0 || r.LeaseOwner != "w" {
			t.Fatalf("after a failed RecordOutbox, row %d is %s with %d attempts, lease %q; want untouched", r.ID, r.Status, r.Attempts, r.LeaseOwner)
		}
	}
	if err := st.RecordOutbox(ctx, results); err != nil {
		t.Fatal(err)
	}
	got := st.mustAllOutbox(t)
	want := []struct {
		status    string
		attempts  int
		lastError string
		next      time.Time
	}{
		{OutboxSent, 1, "", now},
		{OutboxPending, 1, "450 greylisted", next},
		{OutboxFailed, 1, "550 <anna2@example.org>: unknown", now},
		{OutboxPending, 0, "421 closing", now},
	}
	for i, r := range got {
		w := want[i]
		if r.Status != w.status || r.Attempts != w.attempts || r.LastError != w.lastError || !r.NextAttemptAt.Equal(w.next) || r.LeaseOwner != "" || !r.LeaseUntil.IsZero() {
			t.Errorf("row %d: %s, %d attempts, %q, next %v, lease %q %v; want %s, %d, %q, next %v, no lease",
				r.ID, r.Status, r.Attempts, r.LastError, r.NextAttemptAt, r.LeaseOwner, r.LeaseUntil, w.status, w.attempts, w.lastError, w.next)
		}
	}
	if got[0].SentAt.IsZero() {
		t.Error("the sent row has no sent_at")
	}
	events, err := st.Events(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		if strings.HasPrefix(e.Kind, "receipt_") {
			kinds = append(kinds, e.Kind+": "+e.Detail)
		}
	}
	wantKinds := []string{fmt.Sprintf("receipt_sent: outbox %d: email", ids[0]), fmt.Sprintf("receipt_failed: outbox %d: email: permanent failure at rcpt (code 550)", ids[2])}
	if strings.Join(kinds, "\n") != strings.Join(wantKinds, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(kinds, "\n"), strings.Join(wantKinds, "\n"))
	}
}

func (s *Store) mustAllOutbox(t *testing.T) []OutboxRow {
	t.Helper()
	rows, err := s.AllOutbox(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
