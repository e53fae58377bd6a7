package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

// resetCases is how many cases the chunked reset tests hold; resetTestChunk
// splits them into several chunks and a short last one.
const (
	resetCases     = 3000
	resetTestChunk = 700
)

// seedResetStore opens a store with resetCases cases: open ones with and
// without a first response, some without deadlines, every fifth closed;
// then it overwrites every next_due (as a schedule computed under an old
// policy would have), which the triggers leave alone, and records the old
// policy.
func seedResetStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	st := mustOpenStore(t, "", nil)
	_, err := st.DB().ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		INSERT INTO cases(id, number, status, received_at, category, unit, committee, initiated_by, description, created_at,
			first_response_due, final_due, first_response_at)
		SELECT i, printf('SYN-2026-%06d', i), CASE WHEN i % 5 = 0 THEN 'avslutat' ELSE 'öppet' END,
			'2026-01-01T00:00:00.000Z', 'Klagomål', 'VA-enheten', 'Tekniska nämnden', 'Privatperson', 'Brunn ' || i, '2026-01-01T00:00:00.000Z',
			CASE WHEN i % 7 = 0 THEN '' ELSE strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', printf('+%d minutes', i)) END,
			CASE WHEN i % 7 = 0 THEN '' ELSE strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-10', printf('-%d minutes', i)) END,
			CASE WHEN i % 3 = 0 THEN '2026-01-02T00:00:00.000Z' ELSE '' END
		FROM s`, resetCases)
	if err != nil {
		t.Fatalf("seed cases: %v", err)
	}
	for _, q := range []string{
		"UPDATE cases SET next_due = '2099-01-01T00:00:00.000Z'",
		"INSERT INTO meta(key, value) VALUES('schedule_policy', CAST('old policy' AS BLOB)) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return st
}

// resetDump lists every case's ID, status and next_due.
func resetDump(t *testing.T, st *Store) string {
	t.Helper()
	var b strings.Builder
	err := eachRow(context.Background(), st.DB(), "dump", func(r *sql.Rows) error {
		var id int64
		var status string
		var next sql.NullString
		if err := r.Scan(&id, &status, &next); err != nil {
			return err
		}
		fmt.Fprintf(&b, "%d %s %v\n", id, status, next)
		return nil
	}, "SELECT id, status, next_due FROM cases ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// wantScheduleMeta checks the schedule's fingerprint and the progress of
// a reset in meta ("<none>": no row).
func wantScheduleMeta(t *testing.T, st *Store, policy, progress string) {
	t.Helper()
	if got := metaValue(t, st, "schedule_policy"); got != policy {
		t.Errorf("schedule_policy = %q, want %q", got, policy)
	}
	if got := metaValue(t, st, "schedule_reset"); got != progress {
		t.Errorf("schedule_reset = %q, want %q", got, progress)
	}
}

func metaValue(t *testing.T, st *Store, key string) string {
	t.Helper()
	var v []byte
	err := st.DB().QueryRowContext(context.Background(), "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "<none>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(v)
}

// oneTransactionReset is the reset as it was before it worked in chunks.
func oneTransactionReset(t *testing.T, st *Store) {
	t.Helper()
	if _, err := st.DB().ExecContext(context.Background(), "UPDATE cases SET next_due = "+nextDueLowerBound("cases")+" WHERE status = ?", synpunkt.StatusOpen); err != nil {
		t.Fatal(err)
	}
}

// TestResetScheduleChunks: the chunked reset leaves every case as the
// one-transaction reset does; writes through the store commit between
// its chunks (the write lock is free), and the cases they register or
// change, in chunks done and not yet done, end with the next_due of their
// new deadlines.
func TestResetScheduleChunks(t *testing.T) {
	ctx := context.Background()
	first := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	final := time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)
	// The writes between chunks: after the first chunk, clocks start on
	// case 14 (chunk done; no deadlines so far, next_due the first
	// response's) and case 2898 (chunk not yet done; answered already, so
	// the final answer's), case 2 (done) is closed, and a case 3001 is
	// registered.
	changes := func(st *Store) error {
		for _, id := range []int64{14, 2898} {
			if err := st.StartClocks(ctx, id, "handlaggare@exempelby.se", first, final, nil, nil); err != nil {
				return err
			}
		}
		if err := st.SetStatus(ctx, 2, synpunkt.StatusClosed, nil, nil); err != nil {
			return err
		}
		return st.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO cases(id, number, status, received_at, category, unit, committee, initiated_by, description, created_at, first_response_due, final_due)
				VALUES(3001, 'SYN-2026-003001', 'öppet', '2026-01-01T00:00:00.000Z', 'Klagomål', 'VA-enheten', 'Tekniska nämnden', 'Privatperson', 'Ny', '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-15T00:00:00.000Z')`)
			return err
		})
	}

	want := seedResetStore(t)
	oneTransactionReset(t, want)
	if err := changes(want); err != nil {
		t.Fatalf("changes on the reference store: %v", err)
	}

	st := seedResetStore(t)
	var chunkEnds []int64
	reset, err := st.resetSchedule(ctx, "new policy", resetTestChunk, func(last int64) error {
		chunkEnds = append(chunkEnds, last)
		if len(chunkEnds) == 1 {
			return changes(st)
		}
		return nil
	})
	if err != nil || !reset {
		t.Fatalf("resetSchedule = %v, %v; want true, nil", reset, err)
	}
	if got, want := fmt.Sprint(chunkEnds), "[700 1400 2100 2800 3001]"; got != want {
		t.Errorf("chunks ended at %s, want %s", got, want)
	}
	if got, want := resetDump(t, st), resetDump(t, want); got != want {
		t.Errorf("chunked reset differs from the one-transaction reset:\n%s", firstDiff(got, want))
	}
	for id, due := range map[int64]string{14: "2026-02-01T09:00:00.000Z", 2898: "2026-02-20T09:00:00.000Z", 3001: "2026-01-03T00:00:00.000Z", 2: "<nil>", 1: "2026-01-01T00:01:00.000Z"} {
		var next sql.NullString
		if err := st.DB().QueryRowContext(ctx, "SELECT next_due FROM cases WHERE id = ?", id).Scan(&next); err != nil {
			t.Fatal(err)
		}
		got := "<nil>"
		if next.Valid {
			got = next.String
		}
		if got != due {
			t.Errorf("case %d next_due = %s, want %s", id, got, due)
		}
	}
	wantScheduleMeta(t, st, "new policy", "<none>")
	if again, err := st.ResetSchedule(ctx, "new policy"); err != nil || again {
		t.Errorf("ResetSchedule with the same fingerprint = %v, %v; want false, nil", again, err)
	}
}

// TestResetScheduleResumes: a reset cut short after some chunks leaves
// the old fingerprint and its progress; the next call with the same
// fingerprint goes on after the last chunk done and only then records
// the fingerprint; a call with another fingerprint starts over, and so
// does one after the policy changed back to the stored one.
func TestResetScheduleResumes(t *testing.T) {
	ctx := context.Background()
	want := seedResetStore(t)
	oneTransactionReset(t, want)

	st := seedResetStore(t)
	crash := errors.New("killed")
	n := 0
	_, err := st.resetSchedule(ctx, "new policy", resetTestChunk, func(int64) error {
		if n++; n == 2 {
			return crash
		}
		return nil
	})
	if !errors.Is(err, crash) {
		t.Fatalf("interrupted resetSchedule = %v, want %v", err, crash)
	}
	wantScheduleMeta(t, st, "old policy", "1400 new policy") // cut short: the old fingerprint and its progress
	var untouched int
	if err := st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM cases WHERE id > 1400 AND next_due = '2099-01-01T00:00:00.000Z'").Scan(&untouched); err != nil {
		t.Fatal(err)
	}
	if untouched != resetCases-1400 {
		t.Errorf("%d cases after 1400 still hold the old next_due, want %d (not reset yet)", untouched, resetCases-1400)
	}
	// DueCasesReadOnly still reads the floor: the policy is not recorded.
	if due, err := st.DueCasesReadOnly(ctx, time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC), "new policy"); err != nil || len(due) == 0 {
		t.Errorf("DueCasesReadOnly during the reset = %d cases, %v; want those due by the floor", len(due), err)
	}

	var resumed []int64
	reset, err := st.resetSchedule(ctx, "new policy", resetTestChunk, func(last int64) error {
		resumed = append(resumed, last)
		return nil
	})
	if err != nil || !reset {
		t.Fatalf("resumed resetSchedule = %v, %v; want true, nil", reset, err)
	}
	if got, want := fmt.Sprint(resumed), "[2100 2800 3000]"; got != want {
		t.Errorf("resumed chunks ended at %s, want %s (after 1400)", got, want)
	}
	if got, want := resetDump(t, st), resetDump(t, want); got != want {
		t.Errorf("resumed reset differs from the one-transaction reset:\n%s", firstDiff(got, want))
	}
	wantScheduleMeta(t, st, "new policy", "<none>")

	// A reset cut short and the policy changed back: the call with the
	// stored fingerprint resets nothing and drops the progress, and a
	// later reset to the new policy starts from the first case.
	if _, err := st.DB().ExecContext(ctx, "INSERT INTO meta(key, value) VALUES('schedule_reset', CAST('2100 newer policy' AS BLOB))"); err != nil {
		t.Fatal(err)
	}
	if reset, err := st.ResetSchedule(ctx, "new policy"); err != nil || reset {
		t.Errorf("ResetSchedule with the stored fingerprint = %v, %v; want false, nil", reset, err)
	}
	if got := metaValue(t, st, "schedule_reset"); got != "<none>" {
		t.Errorf("schedule_reset after the policy changed back = %q, want none", got)
	}
	var restarted []int64
	if _, err := st.resetSchedule(ctx, "newer policy", resetTestChunk, func(last int64) error {
		restarted = append(restarted, last)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(restarted) == 0 || restarted[0] != resetTestChunk {
		t.Errorf("the reset after the policy changed back ended its first chunk at %v, want %d (from the start)", restarted, resetTestChunk)
	}

	// Progress towards another fingerprint is not resumed.
	if _, err := st.DB().ExecContext(ctx, "INSERT INTO meta(key, value) VALUES('schedule_reset', CAST('2800 other policy' AS BLOB))"); err != nil {
		t.Fatal(err)
	}
	var ends []int64
	if _, err := st.resetSchedule(ctx, "third policy", resetTestChunk, func(last int64) error {
		ends = append(ends, last)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(ends) == 0 || ends[0] != resetTestChunk {
		t.Errorf("a reset to another fingerprint ended its first chunk at %v, want %d (from the start)", ends, resetTestChunk)
	}
}

// firstDiff returns the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// BenchmarkResetSchedule resets the schedule of benchResetCases open cases
// in one write transaction (as before chunks) and in chunks, while another
// writer commits a small transaction through the store every millisecond;
// it reports the longest that writer waited (max-write-wait-ms).
//
//	go test -run '^$' -bench ResetSchedule -benchtime 3x ./store/
func BenchmarkResetSchedule(b *testing.B) {
	const benchResetCases = 100_000
	ctx := context.Background()
	st := mustOpenStore(b, "", nil)
	err := st.BulkLoad(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			INSERT INTO cases(id, number, status, received_at, category, unit, committee, initiated_by, description, created_at,
				first_response_due, final_due, first_response_at)
			SELECT i, printf('SYN-2026-%06d', i), 'öppet', '2026-01-01T00:00:00.000Z', 'Klagomål', 'VA-enheten', 'Tekniska nämnden', 'Privatperson',
				'Snöröjningen på Storgatan fungerar inte ' || i, '2026-01-01T00:00:00.000Z',
				strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', printf('+%d seconds', i)), strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-20', printf('-%d seconds', i)),
				CASE WHEN i % 3 = 0 THEN '2026-01-02T00:00:00.000Z' ELSE '' END
			FROM s`, benchResetCases)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"one-transaction", "chunked"} {
		b.Run(mode, func(b *testing.B) {
			var maxWait time.Duration
			for range b.N {
				b.StopTimer()
				if _, err := st.DB().ExecContext(ctx, "UPDATE cases SET next_due = '2099-01-01T00:00:00.000Z'"); err != nil {
					b.Fatal(err)
				}
				if _, err := st.DB().ExecContext(ctx, "INSERT INTO meta(key, value) VALUES('schedule_policy', CAST('old' AS BLOB)) ON CONFLICT(key) DO UPDATE SET value = excluded.value"); err != nil {
					b.Fatal(err)
				}
				stop, done := make(chan struct{}), make(chan time.Duration)
				go func() {
					var longest time.Duration
					for {
						select {
						case <-stop:
							done <- longest
							return
						case <-time.After(time.Millisecond):
						}
						t0 := time.Now()
						err := st.tx(ctx, func(tx *sql.Tx) error {
							_, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES('bench', x'00') ON CONFLICT(key) DO UPDATE SET value = excluded.value")
							return err
						})
						if err != nil {
							b.Error(err)
						}
						longest = max(longest, time.Since(t0))
					}
				}()
				b.StartTimer()
				if mode == "chunked" {
					_, err = st.ResetSchedule(ctx, "new")
				} else {
					err = st.tx(ctx, func(tx *sql.Tx) error {
						_, err := tx.ExecContext(ctx, "UPDATE cases SET next_due = "+nextDueLowerBound("cases")+" WHERE status = ?", synpunkt.StatusOpen)
						return err
					})
				}
				b.StopTimer()
				close(stop)
				maxWait = max(maxWait, <-done)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(maxWait.Microseconds())/1000, "max-write-wait-ms")
		})
	}
}
