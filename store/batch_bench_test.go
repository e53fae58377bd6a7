package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

// BenchmarkBatchOpenCase registers cases the way the backlog intake does:
// OpenCase with a receipt, 50 messages per Batch (one write transaction).
func BenchmarkBatchOpenCase(b *testing.B) {
	s, at, compose := receiptBench(b)
	ctx := context.Background()
	const per = 50
	b.ResetTimer()
	for i := 0; i < b.N; {
		err := s.Batch(ctx, func(ctx context.Context) error {
			for j := 0; j < per && i < b.N; j, i = j+1, i+1 {
				if _, err := s.OpenCase(ctx, newCase(fmt.Sprintf("k%d", i), at), compose); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOutboxSent runs the outbox worker's statements for one sent
// receipt: claim it, read its message, mark it sent.
func BenchmarkOutboxSent(b *testing.B) {
	s, at, compose := receiptBench(b)
	ctx := context.Background()
	err := s.Batch(ctx, func(ctx context.Context) error {
		for i := 0; i < b.N; i++ {
			if _, err := s.OpenCase(ctx, newCase(fmt.Sprintf("k%d", i), at), compose); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rows, err := s.AllOutbox(ctx)
	if err != nil || len(rows) != b.N {
		b.Fatalf("AllOutbox = %d rows, %v; want %d", len(rows), err, b.N)
	}
	b.ResetTimer()
	for _, o := range rows {
		got, err := s.ClaimOutboxBatch(ctx, []int64{o.ID}, "w", at, at.Add(time.Minute))
		if err != nil || len(got) != 1 {
			b.Fatalf("ClaimOutboxBatch(%d) = %v, %v", o.ID, got, err)
		}
		p, orig, _, err := s.OutboxStream(ctx, o.ID)
		if err != nil || len(p) == 0 {
			b.Fatalf("OutboxStream(%d) = %d bytes, %v", o.ID, len(p), err)
		}
		if orig != nil {
			orig.Close()
		}
		if err := s.MarkSent(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}

// receiptBench is a store on a fixed clock and a composer that gives each
// new case one small receipt, the set-up both benchmarks share.
func receiptBench(b *testing.B) (*Store, time.Time, Composer) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	s := mustOpenStore(b, "", func() time.Time { return at })
	compose := func(c synpunkt.Case) ([]synpunkt.Notification, error) {
		return []synpunkt.Notification{{Kind: "receipt", To: "anna@example.com", MessageID: c.Number + "@synpunkt.example",
			Payload: []byte("Subject: Mottagen " + c.Number + "\r\n\r\nTack")}}, nil
	}
	return s, at, compose
}
