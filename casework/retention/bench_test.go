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
// citizen, a contact row, a note and a sent receipt. It writes the rows
// in one transaction (the store's per-case API would fsync 2n times).
func fill(tb testing.TB, st *store.Store, n int, at time.Time) {
	tb.Helper()
	ctx := context.Background()
	body := strings.Repeat("Gatlyktan på Storgatan lyser inte och det är mörkt på kvällarna. ", 30)
	cats := []synpunkt.DocType{synpunkt.DocFelanmalan, synpunkt.DocFraga, synpunkt.DocForslag, synpunkt.DocBerom}
	ts := at.UTC().Format("2006-01-02T15:04:05.000Z07:00")
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	exec := func(q string, args ...any) int64 {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	for i := range n {
		email := fmt.Sprintf("medborgare%d@example.net", i)
		raw := []byte(fmt.Sprintf("From: Medborgare %d <%s>\r\nSubject: Gatlykta\r\nMessage-ID: <b%d@example.net>\r\n\r\n%s\r\nPersonnummer 850709-%04d, telefon 070-123 %04d.\r\n", i, email, i, body, i%10000, i%10000))
		cat := cats[i%len(cats)]
		cid := exec(`INSERT INTO cases(number, status, received_at, category, unit, committee, initiated_by, description, created_at, closed_at)
			VALUES(?, ?, ?, ?, 'Gata', 'Teknik', 'Privatperson', 'Gatlykta lyser inte', ?, ?)`, fmt.Sprintf("SYN-2026-%05d", i+1), synpunkt.StatusClosed, ts, cat, ts, ts)
		iid := exec(`INSERT INTO intake(idem_key, source, received_at, outcome, case_id, raw_sha256, raw) VALUES(?, 'bench', ?, 'case', ?, '', ?)`, fmt.Sprint("k", i), ts, cid, raw)
		exec(`INSERT INTO documents(case_id, type, direction, sender_role, received_at, intake_id, text) VALUES(?, ?, 'Inkommande', 'Privatperson', ?, ?, ?)`, cid, cat, ts, iid, body)
		exec(`INSERT INTO contacts(case_id, email) VALUES(?, ?)`, cid, email)
		eid := exec(`INSERT INTO events(case_id, at, actor, kind, detail) VALUES(?, ?, 'cli', 'closed', '')`, cid, ts)
		exec(`INSERT INTO event_texts(event_id, text) VALUES(?, ?)`, eid, fmt.Sprint("Ringde Medborgare ", i))
		exec(`INSERT INTO outbox(case_id, kind, channel, sender, recipient, payload, status, next_attempt_at, created_at) VALUES(?, 'receipt', 'email', 'synpunkter@exempelby.se', ?, ?, 'sent', ?, ?)`,
			cid, email, []byte("To: "+email+"\r\n\r\nTack "+body[:200]), ts, ts)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
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
// default compaction (secure_delete + FTS rebuild + checkpoint) and with
// VACUUM:
//
//	go test -run '^$' -bench Purge10k -benchtime 1x ./casework/retention/
func BenchmarkPurge10k(b *testing.B) { benchPurge(b, 10000) }

// BenchmarkPurge1k is the same with 1,000 cases, to compare versions:
//
//	go test -run '^$' -bench Purge1k -benchtime 1x ./casework/retention/
func BenchmarkPurge1k(b *testing.B) { benchPurge(b, 1000) }

func benchPurge(b *testing.B, n int) {
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
				fill(b, st, n, at)
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
				if err != nil || len(rep.Purged) != n {
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
