package retention

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// fill registers n closed cases, each with a ~2 KB original naming the
// citizen, a contact row, a note and a sent receipt.
func fill(tb testing.TB, st *store.Store, n int, at time.Time) {
	tb.Helper()
	ctx := context.Background()
	body := strings.Repeat("Gatlyktan på Storgatan lyser inte och det är mörkt på kvällarna. ", 30)
	for i := range n {
		email := fmt.Sprintf("medborgare%d@example.net", i)
		raw := []byte(fmt.Sprintf("From: Medborgare %d <%s>\r\nSubject: Gatlykta\r\nMessage-ID: <b%d@example.net>\r\n\r\n%s\r\nPersonnummer 850709-%04d, telefon 070-123 %04d.\r\n", i, email, i, body, i%10000, i%10000))
		cats := []synpunkt.DocType{synpunkt.DocFelanmalan, synpunkt.DocFraga, synpunkt.DocForslag, synpunkt.DocBerom}
		c, err := st.OpenCase(ctx, store.NewCase{
			Intake:   store.Intake{Key: fmt.Sprintf("k%d", i), Source: "bench", ReceivedAt: at, Raw: raw},
			Case:     synpunkt.Case{ReceivedAt: at, Category: cats[i%len(cats)], Unit: "Gata", Committee: "Teknik", InitiatedBy: synpunkt.RolePrivatperson, Description: "Gatlykta lyser inte"},
			Document: synpunkt.Document{Type: cats[i%len(cats)], Direction: synpunkt.Inkommande, SenderRole: "Privatperson", ReceivedAt: at},
			Text:     body,
			Contact:  &store.Contact{Email: email, WantsReply: true},
		}, func(c synpunkt.Case) ([]store.Outgoing, error) {
			return []store.Outgoing{{Kind: "receipt", Channel: "email", From: "synpunkter@exempelby.se", To: email, Payload: []byte("To: " + email + "\r\n\r\nTack " + body[:200])}}, nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		if err := st.SetStatus(ctx, c.ID, synpunkt.StatusClosed, []store.Event{{Actor: "cli", Kind: "closed", Detail: "Ringde Medborgare " + fmt.Sprint(i)}}, nil); err != nil {
			tb.Fatal(err)
		}
	}
}

func size(tb testing.TB, p string) float64 {
	var n int64
	for _, f := range []string{p, p + "-wal"} {
		if fi, err := os.Stat(f); err == nil {
			n += fi.Size()
		}
	}
	return float64(n) / (1 << 20)
}

// BenchmarkPurge10k purges 10,000 closed cases a year later, with the
// default compaction (secure_delete + checkpoint) and with VACUUM:
//
//	go test -run '^$' -bench Purge10k -benchtime 1x ./retention/
func BenchmarkPurge10k(b *testing.B) {
	for _, vacuum := range []bool{false, true} {
		b.Run(fmt.Sprintf("vacuum=%v", vacuum), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				at := time.Date(2026, 3, 2, 10, 0, 0, 0, workday.Stockholm)
				path := filepath.Join(b.TempDir(), "b.db")
				st, err := store.Open(context.Background(), path, store.Options{Now: func() time.Time { return at }})
				if err != nil {
					b.Fatal(err)
				}
				fill(b, st, 10000, at)
				st.Compact(context.Background(), false)
				before := size(b, path)
				r := config.DefaultRetention()
				r.Vacuum = vacuum
				p := New(st, r, func() time.Time { return at }, slog.New(slog.NewTextHandler(io.Discard, nil)))
				b.StartTimer()
				start := time.Now()
				rep, err := p.Run(context.Background(), at.AddDate(1, 0, 0), false)
				elapsed := time.Since(start)
				b.StopTimer()
				if err != nil || len(rep.Purged) != 10000 {
					b.Fatalf("purge: %d cases, %v", len(rep.Purged), err)
				}
				b.ReportMetric(elapsed.Seconds(), "s/purge")
				b.ReportMetric(before, "MB_before")
				b.ReportMetric(size(b, path), "MB_after")
				st.Close()
			}
		})
	}
}
