package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // permanent failure or attempts exhausted
)

// OutboxRow is one notification in the outbox.
type OutboxRow struct {
	ID     int64
	CaseID int64 // 0 when the notification belongs to no case
	Outgoing
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
}

func (s *Store) enqueueTx(ctx context.Context, tx *sql.Tx, caseID int64, out []Outgoing) error {
	var cid any
	if caseID != 0 {
		cid = caseID
	}
	now := ts(s.now())
	for _, o := range out {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox(case_id, kind, channel, sender, recipient, message_id, payload, next_attempt_at, created_at)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`, cid, o.Kind, o.Channel, o.From, o.To, o.MessageID, o.Payload, now, now)
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", o.Kind, err)
		}
	}
	return nil
}

// Enqueue adds notifications (with events) outside a registration, e.g. a
// re-route or a reminder, in one transaction.
func (s *Store) Enqueue(ctx context.Context, caseID int64, events []Event, out []Outgoing) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.writeTx(ctx, tx, caseID, events, out) })
}

const outboxColumns = "id, COALESCE(case_id, 0), kind, channel, sender, recipient, message_id, payload, status, attempts, next_attempt_at, last_error, created_at, COALESCE(sent_at, '')"

func scanOutbox(r scanner) (OutboxRow, error) {
	var o OutboxRow
	var next, created, sent string
	err := r.Scan(&o.ID, &o.CaseID, &o.Kind, &o.Channel, &o.From, &o.To, &o.MessageID, &o.Payload, &o.Status, &o.Attempts, &next, &o.LastError, &created, &sent)
	o.NextAttemptAt, o.CreatedAt = parseTS(next), parseTS(created)
	if sent != "" {
		o.SentAt = parseTS(sent)
	}
	return o, err
}

func (s *Store) outboxRows(ctx context.Context, where string, args ...any) ([]OutboxRow, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxRow
	for rows.Next() {
		o, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("scan outbox: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// DueOutbox returns up to limit pending notifications due at now, oldest first.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]OutboxRow, error) {
	return s.outboxRows(ctx, "status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", OutboxPending, ts(now), limit)
}

// NextOutboxAt returns when the next pending notification is due.
func (s *Store) NextOutboxAt(ctx context.Context) (time.Time, bool, error) {
	var next string
	err := s.db.QueryRowContext(ctx, "SELECT next_attempt_at FROM outbox WHERE status = ? ORDER BY next_attempt_at LIMIT 1", OutboxPending).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next outbox: %w", err)
	}
	return parseTS(next), true, nil
}

// OutboxForCase lists a case's notifications.
func (s *Store) OutboxForCase(ctx context.Context, caseID int64) ([]OutboxRow, error) {
	return s.outboxRows(ctx, "case_id = ? ORDER BY id", caseID)
}

// AllOutbox lists every notification (for tests and reports).
func (s *Store) AllOutbox(ctx context.Context) ([]OutboxRow, error) {
	return s.outboxRows(ctx, "1 ORDER BY id")
}

// MarkSent records that the server accepted notification id.
func (s *Store) MarkSent(ctx context.Context, o OutboxRow) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE outbox SET status = ?, sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?",
			OutboxSent, ts(s.now()), o.ID); err != nil {
			return fmt.Errorf("mark sent: %w", err)
		}
		return s.eventTx(ctx, tx, o.CaseID, Event{Actor: "outbox", Kind: o.Kind + "_sent", Detail: o.Channel})
	})
}

// MarkRetry records a temporary failure and when to try again.
func (s *Store) MarkRetry(ctx context.Context, id int64, next time.Time, reason string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?", ts(next), reason, id)
	if err != nil {
		return fmt.Errorf("mark retry: %w", err)
	}
	return nil
}

// MarkFailed records a permanent failure on the notification and its case.
func (s *Store) MarkFailed(ctx context.Context, o OutboxRow, reason string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ? WHERE id = ?", OutboxFailed, reason, o.ID); err != nil {
			return fmt.Errorf("mark failed: %w", err)
		}
		return s.eventTx(ctx, tx, o.CaseID, Event{Actor: "outbox", Kind: o.Kind + "_failed", Detail: o.Channel + ": " + reason})
	})
}
