package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	return s.enqueueTx(ctx, tx, caseID, out)
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
