package report

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// BenchmarkYearReport builds and writes the workbook of a year of 100,000
// cases (20 units, receipts, first responses, closings, escalations):
//
//	go test -run '^$' -bench BenchmarkYearReport -benchtime 3x ./internal/report/
func BenchmarkYearReport(b *testing.B) {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "s.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := fillYear(st.DB(), 100_000); err != nil {
		b.Fatal(err)
	}
	cal := workday.New(workday.Options{})
	ctx := context.Background()
	for b.Loop() {
		s, err := Build(ctx, st, "Exempelby kommun", "", YearPeriod(2026), cal)
		if err != nil {
			b.Fatal(err)
		}
		if s.Total.Received != 100_000 {
			b.Fatalf("received %d", s.Total.Received)
		}
		if err := WriteXLSX(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}

var (
	benchWords      = []string{"snöröjning", "gatlykta", "parkering", "bygglov", "sophämtning", "skolskjuts", "biblioteket", "simhallen", "trafiken", "lekplatsen", "hemtjänsten", "vattnet"}
	benchCategories = []string{"Beröm", "Klagomål", "Förslag", "Fråga", "Felanmälan"}
	benchChannels   = []string{"e-post", "e-post", "e-post", "telefon", "e-tjänst", "brev"}
)

// fillYear writes n cases received over 2026, with their receipts and
// some escalations, in one transaction.
func fillYear(db *sql.DB, n int) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rng := rand.New(rand.NewPCG(1, 2))
	cal := workday.New(workday.Options{})
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, workday.Stockholm)
	for i := range n {
		recv := start.Add(time.Duration(rng.Int64N(int64(364 * 24 * time.Hour))))
		unit := fmt.Sprintf("Enhet %02d", i%20)
		desc := fmt.Sprintf("Synpunkt om %s och %s vid skolan.", benchWords[rng.IntN(len(benchWords))], benchWords[rng.IntN(len(benchWords))])
		final := cal.AddWorkingDays(recv, 10)
		closed := any(nil)
		status := "open"
		if rng.IntN(10) < 8 {
			status, closed = "closed", stamp(cal.AddWorkingDays(recv, 1+rng.IntN(15)))
		}
		res, err := tx.Exec(`INSERT INTO cases(number, status, received_at, category, unit, committee, initiated_by, description, created_at,
			closed_at, final_due, first_response_at, channel) VALUES(?, ?, ?, ?, ?, ?, 'Privatperson', ?, ?, ?, ?, ?, ?)`,
			fmt.Sprintf("SYN-2026-%06d", i), status, stamp(recv), benchCategories[i%5], unit, fmt.Sprintf("Nämnd %d", i%5), desc, stamp(recv),
			closed, stamp(final), stamp(cal.AddWorkingHours(recv, 1+rng.IntN(60))), benchChannels[i%len(benchChannels)])
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if _, err := tx.Exec(`INSERT INTO outbox(case_id, kind, channel, sender, recipient, payload, status, next_attempt_at, created_at, sent_at)
			VALUES(?, 'receipt', 'email', 'a@b.se', 'c@d.se', 'x', 'sent', ?, ?, ?)`, id, stamp(recv), stamp(recv), stamp(recv.Add(time.Minute))); err != nil {
			return err
		}
		if i%25 == 0 {
			if _, err := tx.Exec("INSERT INTO events(case_id, at, actor, kind) VALUES(?, ?, 'synpunkt', 'escalation')", id, stamp(cal.AddWorkingHours(recv, 72))); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}
