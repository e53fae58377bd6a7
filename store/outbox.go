package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
)

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // permanent failure or attempts exhausted
)

// OutboxRow is one notification in the outbox: the composed
// synpunkt.Notification as it is handed to the sender, and its delivery state.
type OutboxRow struct {
	ID     int64
	CaseID int64 // 0 when the notification belongs to no case
	synpunkt.Notification
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	// LastError is the last failure in full, with the server's own text
	// (which may name the recipient); it lives only here, in the purgeable
	// row, never in the event log.
	LastError  string
	CreatedAt  time.Time
	SentAt     time.Time // zero until sent
	LeaseOwner string    // the worker sending it now; "" when none
	LeaseUntil time.Time // when that lease runs out; zero when none
	CaseNumber string    // the case's number; "" without a case
}

func (s *Store) enqueueTx(ctx context.Context, tx *sql.Tx, caseID int64, out []synpunkt.Notification, known *ledgerRaw) error {
	var cid any
	if caseID != 0 {
		cid = caseID
	}
	now := ts(s.now())
	for _, o := range out {
		payload, orig, at, err := s.referOriginal(ctx, tx, o, known)
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", o.Kind, err)
		}
		_, err = s.txExec(ctx, tx, `INSERT INTO outbox(case_id, kind, channel, sender, recipient, message_id, payload, next_attempt_at, created_at, original_intake, original_at)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, cid, o.Kind, o.Channel, o.From, o.To, o.MessageID, payload, now, now, orig, at)
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", o.Kind, err)
		}
	}
	return nil
}

// ledgerRaw is a message the current transaction put in the intake
// ledger, with the SHA-256 it was stored under.
type ledgerRaw struct {
	raw []byte
	sum string
	// size is the size of a raw message taken from a file (Intake.RawFile),
	// raw then nil: a detached original read from a file (OriginalFrom)
	// of that size is taken to be it.
	size int64
}

// referOriginal returns what to store of o: when o carries an original
// (a forward) that the intake ledger holds byte for byte, its payload
// without the original, the ledger row and the offset to put it back at;
// otherwise the payload whole and no reference. When the original is
// known, the message just registered, its stored SHA-256 is used rather
// than hashing it again under the write lock.
// A detached forward (o.Original set) is stored as it is, with the
// reference; one whose original the ledger does not hold is stored whole.
func (s *Store) referOriginal(ctx context.Context, tx *sql.Tx, o synpunkt.Notification, known *ledgerRaw) (payload []byte, orig any, at int, err error) {
	detached := o.Detached()
	var original []byte
	switch {
	case detached && o.OriginalFrom != nil:
		// Only the message just registered from a file is known this way.
		if known == nil || known.raw != nil || known.size == 0 || known.size != o.OriginalFrom.Size() || !validSum(known.sum) {
			full, err := o.Full()
			return full, nil, 0, err
		}
		var id int64
		err = s.txQueryRow(ctx, tx, "SELECT id FROM intake WHERE raw_sha256 = ? AND "+rawSizeSQL+" = ? LIMIT 1", known.sum, known.size).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			full, err := o.Full()
			return full, nil, 0, err
		}
		if err != nil {
			return nil, nil, 0, fmt.Errorf("look up the original: %w", err)
		}
		return o.Payload, id, o.OriginalAt, nil
	case detached:
		original = o.Original
	case o.OriginalLen == 0 || o.OriginalAt < 0 || o.OriginalAt+o.OriginalLen > len(o.Payload):
		return o.Payload, nil, 0, nil
	default:
		original = o.Payload[o.OriginalAt : o.OriginalAt+o.OriginalLen]
	}
	var h string
	if known != nil && known.sum != "" && sameBytes(original, known.raw) {
		h = known.sum
	} else {
		h = sum(original)
	}
	var id int64
	err = s.txQueryRow(ctx, tx, "SELECT id FROM intake WHERE raw_sha256 = ? AND "+rawSizeSQL+" = ? LIMIT 1", h, len(original)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		full, err := o.Full()
		return full, nil, 0, err
	}
	if err != nil {
		return nil, nil, 0, fmt.Errorf("look up the original: %w", err)
	}
	if detached {
		return o.Payload, id, o.OriginalAt, nil
	}
	rest := make([]byte, 0, len(o.Payload)-o.OriginalLen)
	rest = append(append(rest, o.Payload[:o.OriginalAt]...), o.Payload[o.OriginalAt+o.OriginalLen:]...)
	return rest, id, o.OriginalAt, nil
}

// sameBytes reports whether a and b hold the same bytes, without
// comparing them when they are the same slice.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || bytes.Equal(a, b)
}

// withOriginal returns payload with the raw of intake row orig put back
// at byte at; payload as it is when there is no reference, or when the
// original is gone (purged) or the payload was emptied.
func (s *Store) withOriginal(ctx context.Context, q querier, payload []byte, orig sql.NullInt64, at int) ([]byte, error) {
	if !orig.Valid || at > len(payload) || len(payload) == 0 {
		return payload, nil
	}
	r, err := s.openRaw(ctx, q, orig.Int64)
	if errors.Is(err, ErrNotFound) {
		return payload, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the original: %w", err)
	}
	defer r.Close()
	out := make([]byte, len(payload)+int(r.Size()))
	copy(out, payload[:at])
	if _, err := io.ReadFull(r, out[at:at+int(r.Size())]); err != nil {
		return nil, fmt.Errorf("read the original: %w", err)
	}
	copy(out[at+int(r.Size()):], payload[at:])
	return out, nil
}

// Enqueue adds notifications (with events) outside a registration, e.g. a
// re-route or a reminder, in one transaction.
func (s *Store) Enqueue(ctx context.Context, caseID int64, events []Event, out []synpunkt.Notification) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.writeTx(ctx, tx, caseID, events, out) })
}

const outboxMeta = "o.id, COALESCE(o.case_id, 0), o.kind, o.channel, o.sender, o.recipient, o.message_id, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at, COALESCE(o.sent_at, ''), o.lease_owner, o.lease_until, COALESCE(c.number, '')"

const outboxFrom = " FROM outbox o LEFT JOIN cases c ON c.id = o.case_id WHERE "

func scanOutbox(r scanner, payload bool) (OutboxRow, original, error) {
	var o OutboxRow
	var ref original
	var next, created, sent, lease string
	dst := []any{&o.ID, &o.CaseID, &o.Kind, &o.Channel, &o.From, &o.To, &o.MessageID, &o.Status, &o.Attempts, &next, &o.LastError, &created, &sent, &o.LeaseOwner, &lease, &o.CaseNumber}
	if payload {
		dst = append(dst, &o.Payload, &ref.intake, &ref.at)
	}
	err := r.Scan(dst...)
	o.NextAttemptAt, o.CreatedAt, o.SentAt, o.LeaseUntil = parseTS(next), parseTS(created), parseTS(sent), parseTS(lease)
	return o, ref, err
}

// original is an outbox row's reference to its attached original.
type original struct {
	intake sql.NullInt64
	at     int
}

// outboxRows reads rows matching where through q (the database or a
// transaction); with payload false the payloads are left out (they may be
// many megabytes each).
func (s *Store) outboxRows(ctx context.Context, q querier, payload bool, where string, args ...any) ([]OutboxRow, error) {
	cols := outboxMeta
	if payload {
		cols += ", o.payload, o.original_intake, o.original_at"
	}
	rows, err := q.QueryContext(ctx, "SELECT "+cols+outboxFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxRow
	var refs []original
	for rows.Next() {
		o, ref, err := scanOutbox(rows, payload)
		if err != nil {
			return nil, fmt.Errorf("scan outbox: %w", err)
		}
		out, refs = append(out, o), append(refs, ref)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i, ref := range refs {
		if out[i].Payload, err = s.withOriginal(ctx, q, out[i].Payload, ref.intake, ref.at); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DueQuery selects due notifications.
type DueQuery struct {
	Now   time.Time
	Limit int
	// AfterID and IDs select the rows a command queued: a larger id than
	// AfterID, or one of IDs. Both zero: every row.
	AfterID int64
	IDs     []int64
	Skip    []string // channels to leave out (paused); may be nil
}

// dueWhere is the condition for a pending row due at now whose lease, if
// any, has run out.
const dueWhere = "o.status = ? AND o.next_attempt_at <= ? AND (o.lease_until = '' OR o.lease_until <= ?)"

// DueOutboxQuery returns the notifications q selects, oldest first, without
// their payloads: ClaimOutbox returns the payload of the one about to be sent.
func (s *Store) DueOutboxQuery(ctx context.Context, q DueQuery) ([]OutboxRow, error) {
	now := ts(q.Now)
	where, args := dueWhere, []any{OutboxPending, now, now}
	if q.AfterID != 0 || len(q.IDs) > 0 {
		where += " AND (o.id > ?"
		args = append(args, q.AfterID)
		for _, id := range q.IDs {
			where += " OR o.id = ?"
			args = append(args, id)
		}
		where += ")"
	}
	if len(q.Skip) > 0 {
		where += " AND o.channel NOT IN (?" + strings.Repeat(", ?", len(q.Skip)-1) + ")"
		for _, c := range q.Skip {
			args = append(args, c)
		}
	}
	return s.outboxRows(ctx, s.q(ctx), false, where+" ORDER BY o.next_attempt_at, o.id LIMIT ?", append(args, q.Limit)...)
}

// DueOutbox returns up to limit pending notifications due at now, oldest
// first, without their payloads.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]OutboxRow, error) {
	return s.DueOutboxQuery(ctx, DueQuery{Now: now, Limit: limit})
}

// ClaimOutbox leases notification id to owner until until, in one
// transaction, when it is still pending, due at now and not leased by
// another worker (or that lease ran out), and returns its payload. ok is
// false when someone else has it or it is no longer due.
func (s *Store) ClaimOutbox(ctx context.Context, id int64, owner string, now, until time.Time) (payload []byte, ok bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if ok, err = s.claimTx(ctx, tx, id, owner, now, until); err != nil || !ok {
			return err
		}
		payload, err = s.readPayload(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("claim outbox %d: %w", id, err)
	}
	return payload, ok, nil
}

// claimTx leases notification id to owner until until when it is pending,
// due at now and not leased by another worker, and reports whether it did.
func (s *Store) claimTx(ctx context.Context, tx *sql.Tx, id int64, owner string, now, until time.Time) (bool, error) {
	n := ts(now)
	res, err := s.txExec(ctx, tx, `UPDATE outbox SET lease_owner = ?, lease_until = ?
		WHERE id = ? AND status = ? AND next_attempt_at <= ? AND (lease_owner = ? OR lease_until = '' OR lease_until <= ?)`,
		owner, ts(until), id, OutboxPending, n, owner, n)
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return err == nil && k == 1, err
}

// ClaimOutboxBatch is ClaimOutbox for several notifications in one
// transaction (one commit for a group of sends instead of one each): it
// leases those of ids still pending, due at now and not leased by another
// worker (or whose lease ran out) to owner until until, and returns their
// ids, in the order given, without payloads (OutboxPayload reads one when
// its turn comes).
func (s *Store) ClaimOutboxBatch(ctx context.Context, ids []int64, owner string, now, until time.Time) ([]int64, error) {
	var got []int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		got = got[:0]
		n := ts(now)
		for _, id := range ids {
			res, err := s.txExec(ctx, tx, `UPDATE outbox SET lease_owner = ?, lease_until = ?
				WHERE id = ? AND status = ? AND next_attempt_at <= ? AND (lease_owner = ? OR lease_until = '' OR lease_until <= ?)`,
				owner, ts(until), id, OutboxPending, n, owner, n)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil {
				return err
			} else if k == 1 {
				got = append(got, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim %d outbox rows: %w", len(ids), err)
	}
	return got, nil
}

// OutboxPayload returns the message of notification id, for the worker
// holding its lease.
func (s *Store) OutboxPayload(ctx context.Context, id int64) ([]byte, error) {
	return s.readPayload(ctx, s.q(ctx), id)
}

// readPayload reads the message of notification id, with its original.
func (s *Store) readPayload(ctx context.Context, q querier, id int64) ([]byte, error) {
	var p []byte
	var ref original
	if err := s.qRow(ctx, q, "SELECT payload, original_intake, original_at FROM outbox WHERE id = ?", id).Scan(&p, &ref.intake, &ref.at); err != nil {
		return nil, fmt.Errorf("read outbox %d: %w", id, err)
	}
	return s.withOriginal(ctx, q, p, ref.intake, ref.at)
}

// OutboxParts returns the message of notification id, for the worker
// holding its lease, as a payload and its original apart (see
// synpunkt.Notification.Original): original is nil when the row holds
// the whole message or its original is gone (purged). Joined they are
// what OutboxPayload returns; apart, a big forward is never copied into
// one buffer.
func (s *Store) OutboxParts(ctx context.Context, id int64) (payload, orig []byte, at int, err error) {
	return s.readParts(ctx, s.q(ctx), id)
}

// OutboxStream is OutboxParts with the original opened (OpenRaw), not
// read: a big original is streamed from its file into the message being
// sent. The caller closes orig (nil when there is none).
func (s *Store) OutboxStream(ctx context.Context, id int64) (payload []byte, orig RawReader, at int, err error) {
	return s.readStream(ctx, s.q(ctx), id)
}

// ClaimOutboxStream is ClaimOutbox returning the message as OutboxStream does.
func (s *Store) ClaimOutboxStream(ctx context.Context, id int64, owner string, now, until time.Time) (payload []byte, orig RawReader, at int, ok bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if ok, err = s.claimTx(ctx, tx, id, owner, now, until); err != nil || !ok {
			return err
		}
		payload, orig, at, err = s.readStream(ctx, tx, id)
		return err
	})
	if err != nil {
		if orig != nil {
			orig.Close()
		}
		return nil, nil, 0, false, fmt.Errorf("claim outbox %d: %w", id, err)
	}
	return payload, orig, at, ok, nil
}

// readParts reads the message of notification id with its original apart.
func (s *Store) readParts(ctx context.Context, q querier, id int64) (payload, orig []byte, at int, err error) {
	payload, r, at, err := s.readStream(ctx, q, id)
	if err != nil || r == nil {
		return payload, nil, 0, err
	}
	defer r.Close()
	orig = make([]byte, r.Size())
	if _, err := io.ReadFull(r, orig); err != nil {
		return nil, nil, 0, fmt.Errorf("read the original: %w", err)
	}
	return payload, orig, at, nil
}

// readStream reads the payload of notification id and opens its original.
func (s *Store) readStream(ctx context.Context, q querier, id int64) (payload []byte, orig RawReader, at int, err error) {
	var ref original
	if err := s.qRow(ctx, q, "SELECT payload, original_intake, original_at FROM outbox WHERE id = ?", id).Scan(&payload, &ref.intake, &ref.at); err != nil {
		return nil, nil, 0, fmt.Errorf("read outbox %d: %w", id, err)
	}
	if !ref.intake.Valid || ref.at > len(payload) || len(payload) == 0 {
		return payload, nil, 0, nil
	}
	orig, err = s.openRaw(ctx, q, ref.intake.Int64)
	if errors.Is(err, ErrNotFound) {
		return payload, nil, 0, nil
	}
	if err != nil {
		return nil, nil, 0, fmt.Errorf("read the original: %w", err)
	}
	return payload, orig, ref.at, nil
}

// ReleaseClaims drops owner's leases on the pending notifications ids
// without counting an attempt, e.g. those claimed for a group but not
// sent before a shutdown.
func (s *Store) ReleaseClaims(ctx context.Context, owner string, ids []int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE outbox SET lease_owner = '', lease_until = '' WHERE id = ? AND lease_owner = ? AND status = ?",
				id, owner, OutboxPending); err != nil {
				return fmt.Errorf("release outbox %d: %w", id, err)
			}
		}
		return nil
	})
}

// NextOutboxAt returns when the next pending notification, on a channel
// not in skip, is due.
func (s *Store) NextOutboxAt(ctx context.Context, skip ...string) (time.Time, bool, error) {
	rows, err := s.DueOutboxQuery(ctx, DueQuery{Now: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 1, Skip: skip})
	if err != nil || len(rows) == 0 {
		return time.Time{}, false, err
	}
	next := rows[0].NextAttemptAt
	if rows[0].LeaseUntil.After(next) {
		next = rows[0].LeaseUntil
	}
	return next, true, nil
}

// OutboxForCase lists a case's notifications, without payloads.
func (s *Store) OutboxForCase(ctx context.Context, caseID int64) ([]OutboxRow, error) {
	return s.outboxRows(ctx, s.q(ctx), false, "o.case_id = ? ORDER BY o.id", caseID)
}

// AllOutbox lists every notification with its payload (for tests and reports).
func (s *Store) AllOutbox(ctx context.Context) ([]OutboxRow, error) {
	return s.outboxRows(ctx, s.q(ctx), true, "1 ORDER BY o.id")
}

// MaxOutboxID returns the largest notification id so far, 0 when none.
func (s *Store) MaxOutboxID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.q(ctx).QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM outbox").Scan(&id); err != nil {
		return 0, fmt.Errorf("max outbox id: %w", err)
	}
	return id, nil
}

// outboxEvent is the event detail for notification o: its id and channel,
// never its recipient.
func outboxEvent(o OutboxRow, what string) string {
	d := fmt.Sprintf("outbox %d: %s", o.ID, o.Channel)
	if what != "" {
		d += ": " + what
	}
	return d
}

// MarkSent records that the server accepted notification id.
func (s *Store) MarkSent(ctx context.Context, o OutboxRow) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.markSentTx(ctx, tx, o) })
}

func (s *Store) markSentTx(ctx context.Context, tx *sql.Tx, o OutboxRow) error {
	if _, err := s.txExec(ctx, tx, "UPDATE outbox SET status = ?, sent_at = ?, attempts = attempts + 1, last_error = '', lease_owner = '', lease_until = '' WHERE id = ?",
		OutboxSent, ts(s.now()), o.ID); err != nil {
		return fmt.Errorf("mark sent: %w", err)
	}
	return s.eventTx(ctx, tx, o.CaseID, Event{Actor: "outbox", Kind: o.Kind + "_sent", Detail: outboxEvent(o, "")})
}

// MarkRetry records a temporary failure and when to try again.
func (s *Store) MarkRetry(ctx context.Context, id int64, next time.Time, reason string) error {
	tx, _ := ctx.Value(batchKey{}).(*sql.Tx) // nil: the database
	return s.markRetryTx(ctx, tx, id, next, reason)
}

func (s *Store) markRetryTx(ctx context.Context, tx *sql.Tx, id int64, next time.Time, reason string) error {
	_, err := s.txExec(ctx, tx, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, lease_owner = '', lease_until = '' WHERE id = ?", ts(next), reason, id)
	if err != nil {
		return fmt.Errorf("mark retry: %w", err)
	}
	return nil
}

// ReleaseOutbox gives notification id back without counting an attempt,
// after a fault of the channel rather than the message: it stays pending
// and due, with reason as its last error.
func (s *Store) ReleaseOutbox(ctx context.Context, id int64, reason string) error {
	tx, _ := ctx.Value(batchKey{}).(*sql.Tx) // nil: the database
	return s.releaseOutboxTx(ctx, tx, id, reason)
}

func (s *Store) releaseOutboxTx(ctx context.Context, tx *sql.Tx, id int64, reason string) error {
	_, err := s.txExec(ctx, tx, "UPDATE outbox SET last_error = ?, lease_owner = '', lease_until = '' WHERE id = ?", reason, id)
	if err != nil {
		return fmt.Errorf("release outbox %d: %w", id, err)
	}
	return nil
}

// MarkFailed records a permanent failure: reason, in full, on the
// notification; summary (the code, no free text with addresses) in the
// case's event log.
func (s *Store) MarkFailed(ctx context.Context, o OutboxRow, reason, summary string) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.markFailedTx(ctx, tx, o, reason, summary) })
}

func (s *Store) markFailedTx(ctx context.Context, tx *sql.Tx, o OutboxRow, reason, summary string) error {
	if _, err := s.txExec(ctx, tx, "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, lease_owner = '', lease_until = '' WHERE id = ?", OutboxFailed, reason, o.ID); err != nil {
		return fmt.Errorf("mark failed: %w", err)
	}
	return s.eventTx(ctx, tx, o.CaseID, Event{Actor: "outbox", Kind: o.Kind + "_failed", Detail: outboxEvent(o, summary)})
}

// Outcomes of a send, for OutboxResult.
const (
	ResultSent     = "sent"     // MarkSent
	ResultRetry    = "retry"    // MarkRetry
	ResultFailed   = "failed"   // MarkFailed
	ResultReleased = "released" // ReleaseOutbox
)

// OutboxResult is the outcome of one attempt to send a notification, as
// RecordOutbox records it.
type OutboxResult struct {
	Row     OutboxRow // the notification; its payload is not needed
	Outcome string    // one of the Result constants
	Next    time.Time // ResultRetry: when to try again
	Reason  string    // the failure in full, for the row (not ResultSent)
	Summary string    // ResultFailed: the failure without free text, for the event
}

// RecordOutbox records the outcomes of several sends in one transaction,
// each as MarkSent, MarkRetry, MarkFailed or ReleaseOutbox would: one
// commit for a group of sends instead of one each. Either all are
// recorded or, on an error, none.
func (s *Store) RecordOutbox(ctx context.Context, results []OutboxResult) error {
	if len(results) == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range results {
			var err error
			switch r.Outcome {
			case ResultSent:
				err = s.markSentTx(ctx, tx, r.Row)
			case ResultRetry:
				err = s.markRetryTx(ctx, tx, r.Row.ID, r.Next, r.Reason)
			case ResultFailed:
				err = s.markFailedTx(ctx, tx, r.Row, r.Reason, r.Summary)
			case ResultReleased:
				err = s.releaseOutboxTx(ctx, tx, r.Row.ID, r.Reason)
			default:
				err = fmt.Errorf("unknown outcome %q", r.Outcome)
			}
			if err != nil {
				return fmt.Errorf("outbox %d: %w", r.Row.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record %d outbox results: %w", len(results), err)
	}
	return nil
}

// ReplacePayload replaces the message of pending notification id, e.g. a
// forward rebuilt without the attached original because it was too large,
// and extends its lease to leaseUntil for the send that follows.
func (s *Store) ReplacePayload(ctx context.Context, id int64, payload []byte, leaseUntil time.Time) error {
	_, err := s.q(ctx).ExecContext(ctx, "UPDATE outbox SET payload = ?, original_intake = NULL, original_at = 0, lease_until = ? WHERE id = ? AND status = ?", payload, ts(leaseUntil), id, OutboxPending)
	if err != nil {
		return fmt.Errorf("replace payload of outbox %d: %w", id, err)
	}
	return nil
}

// ErrNothingToResend is returned (wrapped) when no failed notification
// matches a resend.
var ErrNothingToResend = errors.New("no failed notification to resend")

// Resend makes failed notifications pending again, due now with a fresh
// count of attempts, and writes a "<kind>_resend" event on each one's
// case, by actor. caseID 0 means every failed notification. It returns the
// ids made pending; none is an error wrapping ErrNothingToResend.
func (s *Store) Resend(ctx context.Context, caseID int64, actor string) ([]int64, error) {
	var ids []int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		where, args := "o.status = ?", []any{OutboxFailed}
		if caseID != 0 {
			where, args = where+" AND o.case_id = ?", append(args, caseID)
		}
		rows, err := s.outboxRows(ctx, tx, false, where+" ORDER BY o.id", args...)
		if err != nil {
			return err
		}
		for _, o := range rows {
			if _, err := tx.ExecContext(ctx, "UPDATE outbox SET status = ?, attempts = 0, next_attempt_at = ?, lease_owner = '', lease_until = '' WHERE id = ?",
				OutboxPending, ts(s.now()), o.ID); err != nil {
				return err
			}
			if err := s.eventTx(ctx, tx, o.CaseID, Event{Actor: actor, Kind: o.Kind + "_resend", Detail: outboxEvent(o, "")}); err != nil {
				return err
			}
			ids = append(ids, o.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("resend: %w", err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("resend: %w", ErrNothingToResend)
	}
	return ids, nil
}

// LeaseOwners lists the owners of the leases currently held on pending
// notifications.
func (s *Store) LeaseOwners(ctx context.Context) ([]string, error) {
	return collect(ctx, s.q(ctx), "lease owners", func(r *sql.Rows) (string, error) {
		var o string
		err := r.Scan(&o)
		return o, err
	}, "SELECT DISTINCT lease_owner FROM outbox WHERE status = ? AND lease_owner != ''", OutboxPending)
}

// ReleaseLeases drops every lease held by owner (a worker that died
// mid-send) and returns how many there were.
func (s *Store) ReleaseLeases(ctx context.Context, owner string) (int64, error) {
	res, err := s.q(ctx).ExecContext(ctx, "UPDATE outbox SET lease_owner = '', lease_until = '' WHERE lease_owner = ?", owner)
	if err != nil {
		return 0, fmt.Errorf("release leases of %s: %w", owner, err)
	}
	return res.RowsAffected()
}
