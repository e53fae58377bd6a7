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

// listQuery is EachCase's query of f, with its arguments.
func listQuery(f Filter) (string, []any) {
	where, args := f.where()
	if f.Brief {
		return `SELECT ` + caseColumnsC + `,
		d.id, d.type, d.direction, d.sender_role, d.received_at, d.message_id, '', '', d.claimed_date
		FROM cases c LEFT JOIN documents d ON d.case_id = c.id` + where + ` ORDER BY c.id, d.id`, args
	}
	return `SELECT ` + caseColumnsC + `,
		d.id, d.type, d.direction, d.sender_role, d.received_at, d.message_id, COALESCE(i.raw_sha256, ''), d.attachments, d.claimed_date
		FROM cases c LEFT JOIN documents d ON d.case_id = c.id LEFT JOIN intake i ON i.id = d.intake_id` + where + ` ORDER BY c.id, d.id`, args
}

// where returns the WHERE clause of f on the alias c, with its arguments.
// OverdueAt mirrors lifecycle.Policy.Overdue.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Status != "" {
		conds, args = append(conds, "c.status = ?"), append(args, f.Status)
	}
	if f.Unit != "" {
		conds, args = append(conds, "c.unit = ?"), append(args, f.Unit)
	}
	if !f.OverdueAt.IsZero() {
		at := ts(f.OverdueAt)
		conds = append(conds, "c.status = ? AND ((c.first_response_at = '' AND c.first_response_due <> '' AND c.first_response_due <= ?) OR (c.final_due <> '' AND c.final_due <= ?))")
		args = append(args, synpunkt.StatusOpen, at, at)
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
