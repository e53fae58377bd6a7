package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/exempelby/synpunkt"
)

// caseColumnsC is caseColumns on the table alias c.
const caseColumnsC = "c.id, c.number, c.status, c.received_at, c.category, c.unit, c.committee, c.initiated_by, c.description, c.sensitive, c.handler, c.first_response_due, c.final_due, c.first_response_at, COALESCE(c.closed_at, ''), c.channel"

// EachCase calls fn with each case f selects, with its documents, in
// registration order. It reads cases and documents in one query and holds
// one case at a time, so memory does not grow with the store; fn's error
// stops it and is returned.
func (s *Store) EachCase(ctx context.Context, f Filter, fn func(synpunkt.Case) error) error {
	q, args := listQuery(f)
	rows, err := s.q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	var cur synpunkt.Case
	for rows.Next() {
		c, d, err := scanCaseDoc(rows)
		if err != nil {
			return err
		}
		if c.ID != cur.ID && cur.ID != 0 {
			if err := fn(cur); err != nil {
				return err
			}
		}
		if c.ID != cur.ID {
			cur = c
		}
		if d != nil {
			cur.Documents = append(cur.Documents, *d)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	if cur.ID != 0 {
		return fn(cur)
	}
	return nil
}

// listQuery is EachCase's query of f, with its arguments. A page (f.Limit)
// picks its case IDs from an index in a subquery, so its cost grows with
// the page and the offset, not with the store.
func listQuery(f Filter) (string, []any) {
	where, args := f.where()
	order, table := " ORDER BY c.id, d.id", f.table()
	if f.Limit > 0 {
		table = "cases c"
		where = " WHERE c.id IN (SELECT c.id FROM " + f.table() + where + " ORDER BY c.id DESC LIMIT ? OFFSET ?)"
		args = append(args, f.Limit, max(f.Offset, 0))
		order = " ORDER BY c.id DESC, d.id"
	}
	if f.Brief {
		return `SELECT ` + caseColumnsC + `,
		d.id, d.type, d.direction, d.sender_role, d.received_at, d.message_id, '', '', d.claimed_date
		FROM ` + table + ` LEFT JOIN documents d ON d.case_id = c.id` + where + order, args
	}
	return `SELECT ` + caseColumnsC + `,
		d.id, d.type, d.direction, d.sender_role, d.received_at, d.message_id, COALESCE(i.raw_sha256, ''), d.attachments, d.claimed_date
		FROM ` + table + ` LEFT JOIN documents d ON d.case_id = c.id LEFT JOIN intake i ON i.id = d.intake_id` + where + order, args
}

// CountCases counts the cases f selects, ignoring its page (Limit, Offset).
func (s *Store) CountCases(ctx context.Context, f Filter) (int, error) {
	q, args := countQuery(f)
	var n int
	if err := s.q(ctx).QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}

// countQuery is CountCases's query of f, with its arguments.
func countQuery(f Filter) (string, []any) {
	where, args := f.where()
	return "SELECT COUNT(*) FROM " + f.table() + where, args
}

// table is the FROM of f's cases, alias c. Overdue cases are read from
// cases_due_floor, named: without statistics SQLite would rather walk every
// case in ID order than sort the few overdue ones.
func (f Filter) table() string {
	if !f.OverdueAt.IsZero() {
		return "cases c INDEXED BY cases_due_floor"
	}
	return "cases c"
}

// where returns the WHERE clause of f on the alias c, with its arguments.
// OverdueAt mirrors lifecycle.Policy.Overdue: the earliest running
// deadline of an open case (dueFloor, read from cases_due_floor) has
// passed.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Status != "" && (f.OverdueAt.IsZero() || f.Status != synpunkt.StatusOpen) {
		conds, args = append(conds, "c.status = ?"), append(args, f.Status)
	}
	if f.Unit != "" {
		conds, args = append(conds, "c.unit = ?"), append(args, f.Unit)
	}
	if !f.OverdueAt.IsZero() {
		conds, args = append(conds, dueFloor("c.")+" <= ?"), append(args, ts(f.OverdueAt))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// scanCaseDoc scans one row of EachCase: the case, and its document when
// the case has one (nil otherwise).
func scanCaseDoc(rows *sql.Rows) (synpunkt.Case, *synpunkt.Document, error) {
	var c synpunkt.Case
	var received, firstDue, finalDue, firstAt, closed string
	var docID sql.NullInt64
	var typ, dir, role, at, msgID, sha, att, claimed sql.NullString
	err := rows.Scan(&c.ID, &c.Number, &c.Status, &received, &c.Category, &c.Unit, &c.Committee, &c.InitiatedBy, &c.Description, &c.Sensitive,
		&c.Handler, &firstDue, &finalDue, &firstAt, &closed, &c.Channel,
		&docID, &typ, &dir, &role, &at, &msgID, &sha, &att, &claimed)
	if err != nil {
		return c, nil, fmt.Errorf("scan case: %w", err)
	}
	c.ReceivedAt, c.FirstResponseDue, c.FinalDue = parseTS(received), parseTS(firstDue), parseTS(finalDue)
	c.FirstResponseAt, c.ClosedAt = parseTS(firstAt), parseTS(closed)
	if !docID.Valid {
		return c, nil, nil
	}
	d := &synpunkt.Document{ID: docID.Int64, CaseID: c.ID, Type: synpunkt.DocType(typ.String), Direction: synpunkt.Direction(dir.String),
		SenderRole: role.String, ReceivedAt: parseTS(at.String), MessageID: msgID.String, RawSHA256: sha.String, ClaimedDate: parseTS(claimed.String)}
	if att.String != "" {
		if err := json.Unmarshal([]byte(att.String), &d.Attachments); err != nil {
			return c, nil, fmt.Errorf("document %d attachments: %w", d.ID, err)
		}
	}
	return c, d, nil
}
