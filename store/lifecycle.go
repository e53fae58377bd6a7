package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
)

// ActionsTaken returns the deadline action keys already taken per case.
func (s *Store) ActionsTaken(ctx context.Context) (map[int64]map[string]bool, error) {
	m := map[int64]map[string]bool{}
	err := eachRow(ctx, s.q(ctx), "read case actions", func(r *sql.Rows) error {
		var id int64
		var key string
		if err := r.Scan(&id, &key); err != nil {
			return err
		}
		if m[id] == nil {
			m[id] = map[string]bool{}
		}
		m[id][key] = true
		return nil
	}, "SELECT case_id, key FROM case_actions")
	if err != nil {
		return nil, err
	}
	return m, nil
}

// TakeAction records a deadline action (reminder, escalation) with its
// events and notifications in one transaction. A key already taken for the
// case returns an error wrapping ErrDuplicate and writes nothing.
func (s *Store) TakeAction(ctx context.Context, caseID int64, key string, events []Event, out []synpunkt.Notification) error {
	return s.changeCase(ctx, "take action", caseID, events, out, fmt.Errorf("case %d action %s: %w", caseID, key, ErrDuplicate),
		"INSERT INTO case_actions(case_id, key, at) VALUES(?, ?, ?) ON CONFLICT DO NOTHING", caseID, key, ts(s.now()))
}

// changeCase runs, in one transaction, the statement query with args and
// writes the events and notifications of case caseID (0: of none). A
// statement that touches no row fails with untouched when that is set,
// and nothing is written. Errors are wrapped in what.
func (s *Store) changeCase(ctx context.Context, what string, caseID int64, events []Event, out []synpunkt.Notification, untouched error, query string, args ...any) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 && untouched != nil {
			return untouched
		}
		return s.writeTx(ctx, tx, caseID, events, out)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func (s *Store) writeTx(ctx context.Context, tx *sql.Tx, caseID int64, events []Event, out []synpunkt.Notification) error {
	for _, e := range events {
		if err := s.eventTx(ctx, tx, caseID, e); err != nil {
			return err
		}
	}
	return s.enqueueTx(ctx, tx, caseID, out, nil)
}

// ErrState is returned (wrapped) when a case is not in the state an
// operation needs (closing a closed case, reopening an open one).
var ErrState = errors.New("case is not in that state")

// SetStatus closes or reopens a case, with events and notifications, in
// one transaction. It fails with ErrState when the case already has status.
func (s *Store) SetStatus(ctx context.Context, caseID int64, status synpunkt.Status, events []Event, out []synpunkt.Notification) error {
	closed := any(nil)
	if status == synpunkt.StatusClosed {
		closed = ts(s.now())
	}
	return s.changeCase(ctx, "set status", caseID, events, out, fmt.Errorf("case %d is already %s: %w", caseID, status, ErrState),
		"UPDATE cases SET status = ?, closed_at = ? WHERE id = ? AND status <> ?", status, closed, caseID, status)
}

// Reroute moves a case to another unit and handler, with events and
// notifications, in one transaction.
func (s *Store) Reroute(ctx context.Context, caseID int64, unit, committee, handler string, events []Event, out []synpunkt.Notification) error {
	return s.changeCase(ctx, "reroute", caseID, events, out, nil,
		"UPDATE cases SET unit = ?, committee = ?, handler = ? WHERE id = ?", unit, committee, handler, caseID)
}

// StartClocks records that a case registered without being forwarded was
// forwarded to handler now: it sets the handler and the deadlines, with
// the events and notifications (the forward), in one transaction. A case
// that is closed, or whose clocks already run, fails with ErrState and
// nothing is written.
func (s *Store) StartClocks(ctx context.Context, caseID int64, handler string, firstDue, finalDue time.Time, events []Event, out []synpunkt.Notification) error {
	return s.changeCase(ctx, "start clocks", caseID, events, out, fmt.Errorf("case %d is closed or its deadlines already run: %w", caseID, ErrState),
		`UPDATE cases SET handler = ?, first_response_due = ?, final_due = ?
			WHERE id = ? AND status = ? AND first_response_due = '' AND final_due = ''`,
		handler, tsOpt(firstDue), tsOpt(finalDue), caseID, synpunkt.StatusOpen)
}

// DocumentText returns the decoded text of a document (personal data: for
// the forward to staff only).
func (s *Store) DocumentText(ctx context.Context, documentID int64) (string, error) {
	var text string
	err := s.q(ctx).QueryRowContext(ctx, "SELECT text FROM documents WHERE id = ?", documentID).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("text of document %d: %w", documentID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("read document text: %w", err)
	}
	return text, nil
}

// LastDigest returns when the last daily digest was sent (zero: never).
func (s *Store) LastDigest(ctx context.Context) (time.Time, error) {
	var at sql.NullString
	if err := s.q(ctx).QueryRowContext(ctx, "SELECT MAX(sent_at) FROM digests").Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("last digest: %w", err)
	}
	return parseTS(at.String), nil
}

// TakeDigest records the digest of a local day with its notification; a
// day already sent returns ErrDuplicate.
func (s *Store) TakeDigest(ctx context.Context, day string, events []Event, out []synpunkt.Notification) error {
	return s.changeCase(ctx, "take digest", 0, events, out, fmt.Errorf("digest %s: %w", day, ErrDuplicate),
		"INSERT INTO digests(day, sent_at) VALUES(?, ?) ON CONFLICT DO NOTHING", day, ts(s.now()))
}

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
//
// It works in chunks of resetChunk cases by ID, one write transaction
// each, so other writers (intake) commit between them instead of waiting
// for the whole table (32 s at 1,000,000 open cases in one transaction).
// Each chunk records its last ID with the fingerprint under
// 'schedule_reset' in the same transaction; the fingerprint is written to
// 'schedule_policy' only with the last chunk. A reset cut short (crash,
// cancelled ctx, error) is thus resumed after the last chunk done by the
// next call with the same fingerprint, and until it ends the stored
// policy differs, so every call (and DueCasesReadOnly) treats the
// schedule as not yet reset. A call with the stored fingerprint (the
// policy changed back before the reset ended) drops the progress, since
// the scheduler then rewrites next_due under that policy in chunks done.
//
// A case registered or changed while the reset runs ends with the right
// next_due either way: the cases_next_due triggers set it to the same
// lower bound on insert and on every change of a column it depends on,
// whether its chunk is already done (the trigger's value stays) or not
// (the chunk sets the same value again). New cases get IDs above every
// existing one, so they fall in a chunk not yet done or are set by the
// trigger alone.
func (s *Store) ResetSchedule(ctx context.Context, fingerprint string) (bool, error) {
	return s.resetSchedule(ctx, fingerprint, resetChunk, nil)
}

// resetChunk is how many cases (open or not, by ID) one transaction of
// ResetSchedule covers: a few milliseconds of write lock each.
const resetChunk = 5000

// resetSchedule is ResetSchedule in chunks of chunk cases; between, when
// set, runs after each chunk's commit but the last, with its last case
// ID (tests: another writer, or a crash, between chunks).
func (s *Store) resetSchedule(ctx context.Context, fingerprint string, chunk int, between func(lastID int64) error) (bool, error) {
	var stored []byte
	err := s.q(ctx).QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'schedule_policy'").Scan(&stored)
	if err == nil && string(stored) == fingerprint {
		return false, s.dropResetProgress(ctx)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("read schedule policy: %w", err)
	}
	after, err := s.resetProgress(ctx, fingerprint)
	if err != nil {
		return false, err
	}
	for {
		done := false
		err := s.tx(ctx, func(tx *sql.Tx) error {
			var last sql.NullInt64
			if err := tx.QueryRowContext(ctx, "SELECT MAX(id) FROM (SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT ?)", after, chunk).Scan(&last); err != nil {
				return fmt.Errorf("read chunk after case %d: %w", after, err)
			}
			if !last.Valid { // no case after: record the policy, forget the progress
				done = true
				if err := setMeta(ctx, tx, "schedule_policy", []byte(fingerprint)); err != nil {
					return fmt.Errorf("record schedule policy: %w", err)
				}
				if _, err := tx.ExecContext(ctx, "DELETE FROM meta WHERE key = 'schedule_reset'"); err != nil {
					return fmt.Errorf("clear reset progress: %w", err)
				}
				return nil
			}
			if _, err := tx.ExecContext(ctx, "UPDATE cases SET next_due = "+nextDueLowerBound("cases")+" WHERE id > ? AND id <= ? AND status = ?",
				after, last.Int64, synpunkt.StatusOpen); err != nil {
				return fmt.Errorf("reset cases %d to %d: %w", after+1, last.Int64, err)
			}
			if err := setMeta(ctx, tx, "schedule_reset", []byte(fmt.Sprintf("%d %s", last.Int64, fingerprint))); err != nil {
				return fmt.Errorf("record reset progress: %w", err)
			}
			after = last.Int64
			return nil
		})
		if err != nil {
			return false, fmt.Errorf("reset schedule: %w", err)
		}
		if done {
			return true, nil
		}
		if between != nil {
			if err := between(after); err != nil {
				return false, fmt.Errorf("reset schedule after case %d: %w", after, err)
			}
		}
	}
}

// dropResetProgress forgets the progress of a reset cut short when the
// schedule turns out to be computed under the policy after all (a policy
// changed and then changed back): the scheduler now sets next_due under
// that policy, also in the chunks that reset did, so a later reset must
// start over rather than resume. It writes only when there is progress.
func (s *Store) dropResetProgress(ctx context.Context) error {
	var n int
	if err := s.q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM meta WHERE key = 'schedule_reset'").Scan(&n); err != nil {
		return fmt.Errorf("read schedule reset progress: %w", err)
	}
	if n == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM meta WHERE key = 'schedule_reset'")
		return err
	})
	if err != nil {
		return fmt.Errorf("clear schedule reset progress: %w", err)
	}
	return nil
}

// resetProgress returns the last case ID a reset to fingerprint already
// did (0: none; a reset to another fingerprint starts over, as if none).
func (s *Store) resetProgress(ctx context.Context, fingerprint string) (int64, error) {
	var v []byte
	err := s.q(ctx).QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'schedule_reset'").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schedule reset progress: %w", err)
	}
	id, fp, ok := strings.Cut(string(v), " ")
	if !ok || fp != fingerprint {
		return 0, nil
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, nil // unreadable: start over, which is always right
	}
	return n, nil
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
