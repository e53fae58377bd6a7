package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	synpunkt "github.com/exempelby/synpunkt"
)

// OpsCounts are the store's figures for the metrics endpoint. They hold
// no personal data: categories, units, kinds, channels and outcomes only.
type OpsCounts struct {
	Intake        map[string]int64    // messages in the intake ledger by outcome
	Cases         map[[2]string]int64 // cases by {category, unit}
	Notifications map[[3]string]int64 // outbox rows by {kind, channel, status}
	// OldestUnsent is when the oldest pending notification was queued;
	// zero when none is pending.
	OldestUnsent time.Time
	// OverdueFirst / OverdueFinal count open cases past their first-response
	// or final-answer deadline at the time asked.
	OverdueFirst, OverdueFinal int64
}

// OpsCounts reads the figures at now.
func (s *Store) OpsCounts(ctx context.Context, now time.Time) (OpsCounts, error) {
	c := OpsCounts{Intake: map[string]int64{}, Cases: map[[2]string]int64{}, Notifications: map[[3]string]int64{}}
	err := s.groupCount(ctx, "SELECT outcome, COUNT(*) FROM intake GROUP BY outcome", func(k []string, n int64) { c.Intake[k[0]] = n }, 1)
	if err == nil {
		err = s.groupCount(ctx, "SELECT category, unit, COUNT(*) FROM cases GROUP BY category, unit", func(k []string, n int64) { c.Cases[[2]string{k[0], k[1]}] = n }, 2)
	}
	if err == nil {
		err = s.groupCount(ctx, "SELECT kind, channel, status, COUNT(*) FROM outbox GROUP BY kind, channel, status", func(k []string, n int64) { c.Notifications[[3]string{k[0], k[1], k[2]}] = n }, 3)
	}
	if err != nil {
		return c, err
	}
	var oldest sql.NullString
	if err := s.db.QueryRowContext(ctx, "SELECT MIN(created_at) FROM outbox WHERE status = ?", OutboxPending).Scan(&oldest); err != nil {
		return c, fmt.Errorf("oldest unsent: %w", err)
	}
	if oldest.Valid {
		c.OldestUnsent = parseTS(oldest.String)
	}
	err = s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(first_response_due <> '' AND first_response_at = '' AND first_response_due < ?), 0),
		COALESCE(SUM(final_due <> '' AND final_due < ?), 0)
		FROM cases WHERE status = ?`, ts(now), ts(now), synpunkt.StatusOpen).Scan(&c.OverdueFirst, &c.OverdueFinal)
	if err != nil {
		return c, fmt.Errorf("overdue deadlines: %w", err)
	}
	return c, nil
}

// groupCount runs a GROUP BY query whose last column is a count.
func (s *Store) groupCount(ctx context.Context, q string, f func([]string, int64), keys int) error {
	return eachRow(ctx, s.db, "ops counts", func(r *sql.Rows) error {
		k := make([]string, keys)
		dest := make([]any, keys+1)
		for i := range k {
			dest[i] = &k[i]
		}
		var n int64
		dest[keys] = &n
		if err := r.Scan(dest...); err != nil {
			return err
		}
		f(k, n)
		return nil
	}, q)
}

// Writable proves the database takes a write now (disk not full, file not
// read-only, no lock held for too long), for the readiness check. It
// rewrites one row of meta.
func (s *Store) Writable(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return setMeta(ctx, tx, "health_probe", ts(s.now()))
	})
}
