package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/exempelby/synpunkt"
)

// ReportCase is what statistics need of one case: metadata and times only,
// never contact details or the citizen's text (Description is the
// redacted description).
type ReportCase struct {
	ID              int64
	ReceivedAt      time.Time
	Category        synpunkt.DocType
	Unit            string
	Committee       string
	Channel         synpunkt.Channel
	Status          synpunkt.Status
	Description     string    // redacted
	FinalDue        time.Time // zero: no final-answer clock (never forwarded)
	FirstResponseAt time.Time // zero: no Svar yet
	ReceiptAt       time.Time // when the first receipt was sent; zero: none sent
	ClosedAt        time.Time // zero: open
	// Escalations and Reopenings are the times of the case's escalation
	// and reopened events in the queried range.
	Escalations []time.Time
	Reopenings  []time.Time
}

// ReportCases returns the cases a report over [from, to) counts: those
// received before to that were open at some moment of the range (received
// in it, still open, or closed in or after it). committee "" means all.
func (s *Store) ReportCases(ctx context.Context, committee string, from, to time.Time) ([]ReportCase, error) {
	receipts, err := s.firstReceipts(ctx)
	if err != nil {
		return nil, fmt.Errorf("report cases: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, received_at, category, unit, committee, channel, status, description,
		final_due, first_response_at, COALESCE(closed_at, '') FROM cases
		WHERE received_at < ? AND (closed_at IS NULL OR closed_at >= ?) AND (? = '' OR committee = ?) ORDER BY received_at, id`,
		ts(to), ts(from), committee, committee)
	if err != nil {
		return nil, fmt.Errorf("report cases: %w", err)
	}
	defer rows.Close()
	var out []ReportCase
	index := map[int64]int{}
	for rows.Next() {
		var c ReportCase
		var received, finalDue, firstAt, closed string
		if err := rows.Scan(&c.ID, &received, &c.Category, &c.Unit, &c.Committee, &c.Channel, &c.Status, &c.Description, &finalDue, &firstAt, &closed); err != nil {
			return nil, fmt.Errorf("report cases: %w", err)
		}
		c.ReceivedAt, c.FinalDue, c.FirstResponseAt, c.ClosedAt = parseTS(received), parseTS(finalDue), parseTS(firstAt), parseTS(closed)
		c.ReceiptAt = receipts[c.ID]
		index[c.ID] = len(out)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report cases: %w", err)
	}
	if err := s.reportEvents(ctx, out, index, from, to); err != nil {
		return nil, fmt.Errorf("report cases: %w", err)
	}
	return out, nil
}

// firstReceipts maps case id to when its first receipt was sent.
func (s *Store) firstReceipts(ctx context.Context) (map[int64]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT case_id, MIN(sent_at) FROM outbox
		WHERE kind = 'receipt' AND status = ? AND case_id IS NOT NULL GROUP BY case_id`, OutboxSent)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var at sql.NullString
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		out[id] = parseTS(at.String)
	}
	return out, rows.Err()
}

// reportEvents fills in the escalation and reopening times in [from, to).
func (s *Store) reportEvents(ctx context.Context, cases []ReportCase, index map[int64]int, from, to time.Time) error {
	rows, err := s.db.QueryContext(ctx, `SELECT case_id, kind, at FROM events
		WHERE kind IN ('escalation', 'reopened') AND at >= ? AND at < ? AND case_id IS NOT NULL`, ts(from), ts(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, at string
		if err := rows.Scan(&id, &kind, &at); err != nil {
			return err
		}
		i, ok := index[id]
		if !ok {
			continue
		}
		if kind == "escalation" {
			cases[i].Escalations = append(cases[i].Escalations, parseTS(at))
		} else {
			cases[i].Reopenings = append(cases[i].Reopenings, parseTS(at))
		}
	}
	return rows.Err()
}

// IntakeTally is one count of messages that opened no case: their ledger
// outcome, the exclusion class for excluded mail ("" otherwise), the
// month ("2026-11", local time) and how many.
type IntakeTally struct {
	Outcome string
	Class   string
	Month   string
	Count   int
}

// NotCaseCounts counts the messages in [from, to) that opened no case, by
// outcome, exclusion class and local month. Only counts: never the reason
// text of a quarantine, which may quote the message.
func (s *Store) NotCaseCounts(ctx context.Context, from, to time.Time, loc *time.Location) ([]IntakeTally, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT outcome, CASE WHEN outcome = 'excluded' THEN reason ELSE '' END, received_at FROM intake
		WHERE outcome IN ('excluded', 'quarantine', 'bounce', 'auto_reply', 'feedback_report', 'read_receipt') AND received_at >= ? AND received_at < ?`,
		ts(from), ts(to))
	if err != nil {
		return nil, fmt.Errorf("not-case counts: %w", err)
	}
	defer rows.Close()
	type key struct{ outcome, class, month string }
	counts := map[key]int{}
	var order []key
	for rows.Next() {
		var k key
		var at string
		if err := rows.Scan(&k.outcome, &k.class, &at); err != nil {
			return nil, fmt.Errorf("not-case counts: %w", err)
		}
		k.month = parseTS(at).In(loc).Format("2006-01")
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("not-case counts: %w", err)
	}
	out := make([]IntakeTally, 0, len(order))
	for _, k := range order {
		out = append(out, IntakeTally{Outcome: k.outcome, Class: k.class, Month: k.month, Count: counts[k]})
	}
	return out, nil
}

// ReportDelivery is a statistics report sent to a committee.
type ReportDelivery struct {
	Committee string
	Period    string // e.g. "2026-11", "2026-Q4"
	Recipient string
	File      string // the attachment's file name
	SentAt    time.Time
}

// TakeReportDelivery records the report of a committee and period with
// its notification, in one transaction; a period already taken returns
// ErrDuplicate and nothing is queued.
func (s *Store) TakeReportDelivery(ctx context.Context, d ReportDelivery, events []Event, out []synpunkt.Notification) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO report_deliveries(committee, period, recipient, file, sent_at) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, d.Committee, d.Period, d.Recipient, d.File, ts(s.now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("report %s %s: %w", d.Committee, d.Period, ErrDuplicate)
		}
		return s.writeTx(ctx, tx, 0, events, out)
	})
	if err != nil {
		return fmt.Errorf("take report delivery: %w", err)
	}
	return nil
}

// ReportDelivered reports whether the report of committee and period was
// taken.
func (s *Store) ReportDelivered(ctx context.Context, committee, period string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM report_deliveries WHERE committee = ? AND period = ?", committee, period).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("report delivered: %w", err)
	}
	return n > 0, nil
}

// ReportDeliveriesSince returns the reports taken after t, oldest first.
func (s *Store) ReportDeliveriesSince(ctx context.Context, t time.Time) ([]ReportDelivery, error) {
	return collect(ctx, s.db, "report deliveries", func(r *sql.Rows) (ReportDelivery, error) {
		var d ReportDelivery
		var at string
		err := r.Scan(&d.Committee, &d.Period, &d.Recipient, &d.File, &at)
		d.SentAt = parseTS(at)
		return d, err
	}, `SELECT committee, period, recipient, file, sent_at FROM report_deliveries
		WHERE sent_at > ? ORDER BY sent_at, committee`, ts(t))
}

// CaseTally counts the cases registered in a period that share a
// committee, unit, category, status and channel.
type CaseTally struct {
	Committee string
	Unit      string
	Category  synpunkt.DocType
	Status    synpunkt.Status
	Channel   synpunkt.Channel
	Count     int
}

// tallyQuery is CaseTallies's query: it reads only the covering index
// cases_stats, in group order, never the case rows.
const tallyQuery = `SELECT committee, unit, category, status, channel, COUNT(*) FROM cases
	WHERE received_at >= ? AND received_at < ? GROUP BY committee, unit, category, status, channel ORDER BY committee, unit`

// CaseTallies counts the cases received in [from, to) by committee, unit,
// category, status and channel, ordered by committee and unit.
func (s *Store) CaseTallies(ctx context.Context, from, to time.Time) ([]CaseTally, error) {
	return collect(ctx, s.q(ctx), "case tallies", func(r *sql.Rows) (CaseTally, error) {
		var t CaseTally
		err := r.Scan(&t.Committee, &t.Unit, &t.Category, &t.Status, &t.Channel, &t.Count)
		return t, err
	}, tallyQuery, ts(from), ts(to))
}
