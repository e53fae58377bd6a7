package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
)

const caseColumns = "id, number, status, received_at, category, unit, committee, initiated_by, description, sensitive, handler, first_response_due, final_due, first_response_at, COALESCE(closed_at, ''), channel"

type scanner interface{ Scan(...any) error }

func scanCase(r scanner) (synpunkt.Case, error) {
	var c synpunkt.Case
	var received, firstDue, finalDue, firstAt, closed string
	err := r.Scan(&c.ID, &c.Number, &c.Status, &received, &c.Category, &c.Unit, &c.Committee, &c.InitiatedBy, &c.Description, &c.Sensitive,
		&c.Handler, &firstDue, &finalDue, &firstAt, &closed, &c.Channel)
	c.ReceivedAt, c.FirstResponseDue, c.FinalDue = parseTS(received), parseTS(firstDue), parseTS(finalDue)
	c.FirstResponseAt, c.ClosedAt = parseTS(firstAt), parseTS(closed)
	return c, err
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) caseTx(ctx context.Context, q querier, where string, args ...any) (synpunkt.Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, "SELECT "+caseColumns+" FROM cases WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("case: %w", ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("read case: %w", err)
	}
	c.Documents, err = s.documents(ctx, q, c.ID)
	return c, err
}

func (s *Store) documents(ctx context.Context, q querier, caseID int64) ([]synpunkt.Document, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.case_id, d.type, d.direction, d.sender_role, d.received_at, d.message_id, COALESCE(i.raw_sha256, ''), d.attachments, d.claimed_date
		FROM documents d LEFT JOIN intake i ON i.id = d.intake_id WHERE d.case_id = ? ORDER BY d.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	defer rows.Close()
	var docs []synpunkt.Document
	for rows.Next() {
		var d synpunkt.Document
		var at, att, claimed string
		if err := rows.Scan(&d.ID, &d.CaseID, &d.Type, &d.Direction, &d.SenderRole, &at, &d.MessageID, &d.RawSHA256, &att, &claimed); err != nil {
			return nil, fmt.Errorf("scan document: %w", err)
		}
		d.ReceivedAt, d.ClaimedDate = parseTS(at), parseTS(claimed)
		if att != "" {
			if err := json.Unmarshal([]byte(att), &d.Attachments); err != nil {
				return nil, fmt.Errorf("document %d attachments: %w", d.ID, err)
			}
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// Case returns the case with the given ID and its documents.
func (s *Store) Case(ctx context.Context, id int64) (synpunkt.Case, error) {
	return s.caseTx(ctx, s.q(ctx), "id = ?", id)
}

// CaseByNumber returns a case and its documents by case number
// (case-insensitive).
func (s *Store) CaseByNumber(ctx context.Context, number string) (synpunkt.Case, error) {
	return s.caseTx(ctx, s.q(ctx), "number = ? COLLATE NOCASE", strings.TrimSpace(number))
}

// Filter selects cases for ListCases.
type Filter struct {
	Status synpunkt.Status // empty: all
	Unit   string          // empty: all
	// OverdueAt, when set, selects the open cases past their first-response
	// (without a first response) or final-answer deadline at that time.
	OverdueAt time.Time
	// Brief leaves out of each document what a listing does not show (the
	// original's digest, the attachments): no intake row is read.
	Brief bool
	// Limit, when above 0, makes the selection one page: at most Limit
	// cases, newest (highest ID) first, after skipping the Offset newest.
	// Without it cases come in registration order.
	Limit, Offset int
}

// ListCases returns cases (with documents) in registration order. A
// command that prints many cases should stream them with EachCase.
func (s *Store) ListCases(ctx context.Context, f Filter) ([]synpunkt.Case, error) {
	var cases []synpunkt.Case
	err := s.EachCase(ctx, f, func(c synpunkt.Case) error {
		cases = append(cases, c)
		return nil
	})
	return cases, err
}

// CaseByMessageID finds the case that a message with one of these
// Message-IDs belongs to: one the daemon sent (outbox) or one registered as
// a document. It returns ErrNotFound when none matches.
func (s *Store) CaseByMessageID(ctx context.Context, ids []string) (caseID int64, sentByUs bool, err error) {
	for _, id := range ids {
		if id == "" {
			continue
		}
		var cid sql.NullInt64
		err := s.qQueryRow(ctx, "SELECT case_id FROM outbox WHERE message_id = ? AND case_id IS NOT NULL LIMIT 1", id).Scan(&cid)
		if err == nil && cid.Valid {
			return cid.Int64, true, nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("look up message id: %w", err)
		}
		err = s.qQueryRow(ctx, "SELECT case_id FROM documents WHERE message_id = ? LIMIT 1", id).Scan(&cid)
		if err == nil {
			return cid.Int64, false, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("look up message id: %w", err)
		}
	}
	return 0, false, fmt.Errorf("message ids: %w", ErrNotFound)
}

// Contact returns the citizen's contact details of a case.
func (s *Store) Contact(ctx context.Context, caseID int64) (Contact, bool, error) {
	var c Contact
	err := s.qQueryRow(ctx, "SELECT email, phone, wants_reply FROM contacts WHERE case_id = ?", caseID).Scan(&c.Email, &c.Phone, &c.WantsReply)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read contact: %w", err)
	}
	return c, true, nil
}

// CountOutbox counts notifications of kind to recipient created since t.
func (s *Store) CountOutbox(ctx context.Context, kind, recipient string, since time.Time) (int, error) {
	var n int
	err := s.qQueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE kind = ? AND recipient = ? COLLATE NOCASE AND created_at >= ?",
		kind, recipient, ts(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// EventRow is one entry of the event log.
type EventRow struct {
	ID     int64
	CaseID int64
	At     time.Time
	Event
}

// Events returns the event log of a case (caseID 0: events with no case).
func (s *Store) Events(ctx context.Context, caseID int64) ([]EventRow, error) {
	if caseID == 0 {
		return s.events(ctx, "case_id IS NULL")
	}
	return s.events(ctx, "case_id = ?", caseID)
}

// EventsSince returns events of the given kind at or after t, all cases.
func (s *Store) EventsSince(ctx context.Context, kind string, t time.Time) ([]EventRow, error) {
	return s.events(ctx, "kind = ? AND at >= ?", kind, ts(t))
}

func (s *Store) events(ctx context.Context, where string, args ...any) ([]EventRow, error) {
	return collect(ctx, s.q(ctx), "read events", func(r *sql.Rows) (EventRow, error) {
		var e EventRow
		var at string
		err := r.Scan(&e.ID, &e.CaseID, &at, &e.Actor, &e.Kind, &e.Detail)
		e.At = parseTS(at)
		return e, err
	}, "SELECT e.id, COALESCE(e.case_id, 0), e.at, e.actor, e.kind, COALESCE(t.text, e.detail) FROM events e LEFT JOIN event_texts t ON t.event_id = e.id WHERE "+where+" ORDER BY e.id", args...)
}

// IntakeCounts returns how many ledger rows have each outcome.
func (s *Store) IntakeCounts(ctx context.Context) (map[string]int, error) {
	m := map[string]int{}
	err := eachRow(ctx, s.q(ctx), "count intake", func(r *sql.Rows) error {
		var o string
		var n int
		err := r.Scan(&o, &n)
		m[o] = n
		return err
	}, "SELECT outcome, COUNT(*) FROM intake GROUP BY outcome")
	if err != nil {
		return nil, err
	}
	return m, nil
}

// QuarantineRow is one quarantined message.
type QuarantineRow struct {
	ID         int64
	Source     string
	Reason     string
	ReceivedAt time.Time
}

// Quarantined lists the quarantined messages with their reasons.
func (s *Store) Quarantined(ctx context.Context) ([]QuarantineRow, error) {
	return collect(ctx, s.q(ctx), "list quarantine", func(r *sql.Rows) (QuarantineRow, error) {
		var q QuarantineRow
		var at string
		err := r.Scan(&q.ID, &q.Source, &q.Reason, &at)
		q.ReceivedAt = parseTS(at)
		return q, err
	}, "SELECT id, source, reason, received_at FROM intake WHERE outcome = ? ORDER BY id", OutcomeQuarantine)
}

// Original returns the raw bytes of a document's original message.
func (s *Store) Original(ctx context.Context, documentID int64) ([]byte, error) {
	var id int64
	err := s.qQueryRow(ctx, "SELECT i.id FROM documents d JOIN intake i ON i.id = d.intake_id WHERE d.id = ?", documentID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("original of document %d: %w", documentID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read original: %w", err)
	}
	raw, err := s.readRaw(ctx, s.q(ctx), id)
	if err != nil {
		return nil, fmt.Errorf("read original: %w", err)
	}
	return raw, nil
}

// DueCasesReadOnly is DueCases for a look that writes nothing (deadlines
// --dry-run): when the schedule was last computed under the deadline
// policy fingerprint it reads next_due (cases_next_due); otherwise, where
// ResetSchedule would first reset next_due, it reads the earliest running
// deadline itself (cases_due_floor), the bound the reset would set. Either
// way its cost grows with the cases due, not with the cases stored.
func (s *Store) DueCasesReadOnly(ctx context.Context, now time.Time, fingerprint string) ([]int64, error) {
	var stored []byte
	err := s.q(ctx).QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'schedule_policy'").Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read schedule policy: %w", err)
	}
	if err == nil && string(stored) == fingerprint {
		return s.DueCases(ctx, now)
	}
	return collect(ctx, s.q(ctx), "due cases", func(r *sql.Rows) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	}, dueFloorQuery, ts(now))
}

// dueFloorQuery selects the cases whose earliest running deadline is at or
// before a time, earliest first.
var dueFloorQuery = "SELECT id FROM cases INDEXED BY cases_due_floor WHERE " + dueFloor("") + " <= ? ORDER BY " + dueFloor("") + ", id"
