//go:build unix

package outbox

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smtpsend"
	"github.com/exempelby/synpunkt/store"
)

// BenchmarkDrain sends b.N notifications through the real worker to an
// in-process SMTP server (go-smtp, internal/smtpsink) from a real store in
// a temporary directory: half of them forwards with a 3 KB original
// attached, half receipts, as a backlog intake queues them. One op is one
// notification sent and recorded; cpu-ns/op is the process's CPU time
// (user and system, the SMTP server's included) per notification,
// record-tx/op the transactions that recorded results per notification.
// "default" records each result before the next send, "group=50" records
// up to 50 results in one transaction (Options.RecordGroup).
func BenchmarkDrain(b *testing.B) {
	b.Run("default", func(b *testing.B) { benchDrain(b, Options{}) })
	b.Run("group=50", func(b *testing.B) { benchDrain(b, Options{RecordGroup: 50}) })
}

func benchDrain(b *testing.B, opt Options) {
	ctx := context.Background()
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "s.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	original := append([]byte("From: anna@example.com\r\nSubject: Snö på gångvägen\r\n\r\n"), bytes.Repeat([]byte("Gångvägen vid skolan är inte plogad.\r\n"), 80)...)
	err = st.Batch(ctx, func(ctx context.Context) error {
		for i := 0; i < (b.N+1)/2; i++ {
			_, err := st.OpenCase(ctx, store.NewCase{
				Intake:   store.Intake{Key: fmt.Sprintf("bench-%d", i), Source: "t", ReceivedAt: now, Raw: original},
				Case:     synpunkt.Case{ReceivedAt: now, Category: synpunkt.DocKlagomal, Unit: "Gata", Committee: "Teknik", InitiatedBy: synpunkt.RolePrivatperson, Description: "Klagomål"},
				Document: synpunkt.Document{Type: synpunkt.DocKlagomal, Direction: synpunkt.Inkommande, SenderRole: "Privatperson", ReceivedAt: now},
			}, func(c synpunkt.Case) ([]synpunkt.Notification, error) {
				out := []synpunkt.Notification{forward(b, c.Number, fmt.Sprintf("fwd-%d@exempelby.se", i), original)}
				if 2*i+1 < b.N {
					out = append(out, synpunkt.Notification{Kind: synpunkt.KindReceipt, Channel: synpunkt.MediumEmail, From: "synpunkter@exempelby.se",
						To: fmt.Sprintf("citizen%d@example.com", i), MessageID: fmt.Sprintf("rcpt-%d@exempelby.se", i),
						Payload: []byte(fmt.Sprintf("From: synpunkter@exempelby.se\r\nTo: citizen%d@example.com\r\nMessage-ID: <rcpt-%d@exempelby.se>\r\nSubject: Kvitto %s\r\n\r\nHej! Vi har tagit emot din synpunkt.\r\n", i, i, c.Number))})
				}
				return out, nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	senders := map[synpunkt.Medium]notify.Sender{synpunkt.MediumEmail: smtpsend.New(smtpsend.Config{Address: sink.Addr(), TLS: smtpsend.TLSNone, Timeout: 10 * time.Second})}
	opt.Now = func() time.Time { return now }
	rs := &recordingStore{Store: st}
	w := New(rs, senders, opt, slog.New(slog.DiscardHandler))
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	b.ResetTimer()
	n, err := w.Drain(ctx)
	b.StopTimer()
	cpu := cpuTime(b) - cpu0
	if err != nil || n != b.N {
		b.Fatalf("Drain = %d, %v; want %d sent", n, err, b.N)
	}
	if got := len(sink.Messages()); got != b.N {
		b.Fatalf("sink holds %d messages, want %d", got, b.N)
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(rs.groups))/float64(b.N), "record-tx/op")
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
