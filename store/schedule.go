package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/exempelby/synpunkt"
)

// nextDueLowerBound is the SQL for the earliest deadline still running on
// the row named t (a table or NEW): the first-response deadline while no
// first response is registered, and the final-answer deadline; NULL for a
// case that is not open or has none. Every reminder and escalation falls
// due at or after it, so a case whose next_due is this bound is never
// looked at too late.
func nextDueLowerBound(t string) string {
	return `CASE WHEN ` + t + `.status = '` + string(synpunkt.StatusOpen) + `' THEN NULLIF(min(
		CASE WHEN ` + t + `.first_response_at = '' AND ` + t + `.first_response_due <> '' THEN ` + t + `.first_response_due ELSE '~' END,
		CASE WHEN ` + t + `.final_due <> '' THEN ` + t + `.final_due ELSE '~' END), '~') END`
}

// stampColumns are the columns the schedule of a case depends on, joined;
// SetNextDue writes only when they are unchanged since ScheduleState.
const stampColumns = "status || '|' || first_response_due || '|' || final_due || '|' || first_response_at || '|' || unit || '|' || handler"

// Scheduled is what the deadline scheduler reads of one case.
type Scheduled struct {
	Case  synpunkt.Case   // without documents
	Done  map[string]bool // deadline action keys already taken; never nil
	stamp string          // stampColumns as read
}

// DueCases returns the IDs of the cases whose next_due is at or before
// now, earliest first: the cases that may need a reminder or escalation.
// It reads the cases_next_due index, so its cost grows with the cases due,
// not with the cases stored.
func (s *Store) DueCases(ctx context.Context, now time.Time) ([]int64, error) {
	return collect(ctx, s.q(ctx), "due cases", func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, "SELECT id FROM cases WHERE next_due <= ? ORDER BY next_due, id", ts(now))
}

// ScheduleState reads a case (without documents) and the deadline actions
// taken on it.
func (s *Store) ScheduleState(ctx context.Context, id int64) (Scheduled, error) {
	q := s.q(ctx)
	var sc Scheduled
	row := q.QueryRowContext(ctx, "SELECT "+caseColumns+", "+stampColumns+" FROM cases WHERE id = ?", id)
	var err error
	sc.Case, err = scanCase(stamped{row, &sc.stamp})
	if errors.Is(err, sql.ErrNoRows) {
		return sc, fmt.Errorf("schedule of case %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return sc, fmt.Errorf("schedule of case %d: %w", id, err)
	}
	sc.Done = map[string]bool{}
	err = eachRow(ctx, q, fmt.Sprintf("actions of case %d", id), func(r *sql.Rows) error {
		var key string
		if err := r.Scan(&key); err != nil {
			return err
		}
		sc.Done[key] = true
		return nil
	}, "SELECT key FROM case_actions WHERE case_id = ?", id)
	return sc, err
}

// stamped scans one more column, the stamp, after the case's.
type stamped struct {
	r     scanner
	stamp *string
}

func (s stamped) Scan(dest ...any) error { return s.r.Scan(append(dest, s.stamp)...) }

// SetNextDue records when the case read as sc next needs the scheduler
// (zero: never, until a deadline, the status, the unit or the handler
// changes). It writes nothing when any of those changed since sc was
// read: the change already set a lower bound that is safe to keep.
func (s *Store) SetNextDue(ctx context.Context, sc Scheduled, next time.Time) error {
	var v any
	if !next.IsZero() {
		v = ts(next)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE cases SET next_due = ? WHERE id = ? AND "+stampColumns+" = ?", v, sc.Case.ID, sc.stamp)
		return err
	})
	if err != nil {
		return fmt.Errorf("set next due of case %d: %w", sc.Case.ID, err)
	}
	return nil
}

// ResetSchedule sets every open case's next_due back to its lower bound
// when the deadline policy's fingerprint differs from the one the
// schedule was computed with (a changed escalate_after, unit, manager or
// escalate_to moves or adds steps), and records fingerprint. It reports
// whether it reset.
func (s *Store) ResetSchedule(ctx context.Context, fingerprint string) (bool, error) {
	var stored []byte
	err := s.q(ctx).QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'schedule_policy'").Scan(&stored)
	if err == nil && string(stored) == fingerprint {
		return false, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("read schedule policy: %w", err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE cases SET next_due = "+nextDueLowerBound("cases")+" WHERE status = ?", synpunkt.StatusOpen); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES('schedule_policy', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, []byte(fingerprint))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("reset schedule: %w", err)
	}
	return true, nil
}

// OpenPerUnit counts the open cases of each unit.
func (s *Store) OpenPerUnit(ctx context.Context) (map[string]int, error) {
	m := map[string]int{}
	err := eachRow(ctx, s.q(ctx), "open cases per unit", func(r *sql.Rows) error {
		var u string
		var n int
		if err := r.Scan(&u, &n); err != nil {
			return err
		}
		m[u] = n
		return nil
	}, "SELECT unit, COUNT(*) FROM cases WHERE status = ? GROUP BY unit", synpunkt.StatusOpen)
	if err != nil {
		return nil, err
	}
	return m, nil
}
