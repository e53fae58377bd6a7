package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
)

// textKinds are the event kinds whose Detail is free text written by
// staff (which may name people): it is kept in event_texts, apart from the
// append-only event row, so that retention can purge it.
var textKinds = map[string]bool{"note": true, "closed": true, "preserved": true}

func (s *Store) eventTextTx(ctx context.Context, tx *sql.Tx, res sql.Result, text string) error {
	if text == "" {
		return nil
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("insert event text: %w", err)
	}
	if _, err := s.txExec(ctx, tx, "INSERT INTO event_texts(event_id, text) VALUES(?, ?)", id, text); err != nil {
		return fmt.Errorf("insert event text: %w", err)
	}
	return nil
}

// Parts of a case that retention purges.
const (
	// PartOriginal: the raw original messages of the case (those without
	// attachments; see PartAttachments) and the decoded text of its documents.
	PartOriginal = "original"
	// PartContact: the citizen's contact details.
	PartContact = "contact"
	// PartAttachments: the raw originals that carry attachments, and the
	// attachment lists (file names may name people).
	PartAttachments = "attachments"
	// PartNotes: the free text of notes, closing notes and preservation
	// reasons in the event log.
	PartNotes = "notes"
	// PartOutbox: the bodies, recipients and errors of notifications; one
	// still pending is marked failed (never sent).
	PartOutbox = "outbox"
)

// Parts lists every part, in the order a purge reports them.
var Parts = []string{PartOriginal, PartAttachments, PartContact, PartNotes, PartOutbox}

// ErrPreserved is returned (wrapped) when a purge or erasure meets a case
// that is to be preserved (bevaras): the archive law keeps it.
var ErrPreserved = errors.New("the case is preserved (bevaras)")

// RetentionCase is what retention needs to know of a case: no personal data.
type RetentionCase struct {
	ID          int64
	Number      string
	Category    synpunkt.DocType
	ReceivedAt  time.Time
	ClosedAt    time.Time // zero: open
	DocTypes    []synpunkt.DocType
	Preserved   bool
	PreservedBy string // rule or actor
	DeliveredAt time.Time
	Purged      map[string]bool // parts already purged
}

// RetentionCases lists every case with its retention state, in
// registration order.
func (s *Store) RetentionCases(ctx context.Context) ([]RetentionCase, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.number, c.category, c.received_at, COALESCE(c.closed_at, ''),
		p.case_id IS NOT NULL, COALESCE(NULLIF(p.rule, ''), p.actor, ''), COALESCE(p.delivered_at, ''),
		(SELECT COALESCE(group_concat(DISTINCT d.type), '') FROM documents d WHERE d.case_id = c.id),
		(SELECT COALESCE(group_concat(x.part), '') FROM purged x WHERE x.case_id = c.id)
		FROM cases c LEFT JOIN preservations p ON p.case_id = c.id ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("list retention: %w", err)
	}
	defer rows.Close()
	var out []RetentionCase
	for rows.Next() {
		var rc RetentionCase
		var recv, closed, delivered, types, parts string
		if err := rows.Scan(&rc.ID, &rc.Number, &rc.Category, &recv, &closed, &rc.Preserved, &rc.PreservedBy, &delivered, &types, &parts); err != nil {
			return nil, fmt.Errorf("scan retention: %w", err)
		}
		rc.ReceivedAt, rc.ClosedAt, rc.DeliveredAt = parseTS(recv), parseTS(closed), parseTS(delivered)
		for _, t := range splitList(types) {
			rc.DocTypes = append(rc.DocTypes, synpunkt.DocType(t))
		}
		rc.Purged = map[string]bool{}
		for _, p := range splitList(parts) {
			rc.Purged[p] = true
		}
		out = append(out, rc)
	}
	return out, rows.Err()
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Preserve marks a case to be preserved (bevaras): no purge or erasure
// touches it, and the archive delivery takes it. rule names the retention
// rule that preserved it ("" when a person did); reason is free text, kept
// apart from the event row. Preserving a preserved case returns ErrDuplicate
// (wrapped) and writes nothing.
func (s *Store) Preserve(ctx context.Context, caseID int64, actor, rule, reason string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO preservations(case_id, at, actor, rule) VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING",
			caseID, ts(s.now()), actor, rule)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("case %d: %w", caseID, ErrDuplicate)
		}
		detail := strings.TrimSpace(reason)
		if rule != "" {
			detail = strings.TrimSpace("regel " + rule + ". " + detail)
		}
		return s.eventTx(ctx, tx, caseID, Event{Actor: actor, Kind: "preserved", Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("preserve: %w", err)
	}
	return nil
}

// MarkDelivered records that a preserved case was delivered to the archive
// in package pkg.
func (s *Store) MarkDelivered(ctx context.Context, caseID int64, pkg string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE preservations SET delivered_at = ?, package = ? WHERE case_id = ?", ts(s.now()), pkg, caseID); err != nil {
			return err
		}
		return s.eventTx(ctx, tx, caseID, Event{Actor: "synpunkt", Kind: "delivered_to_archive", Detail: "paket " + pkg})
	})
	if err != nil {
		return fmt.Errorf("mark delivered: %w", err)
	}
	return nil
}

// PurgeResult says what one purge of one case removed.
type PurgeResult struct {
	Parts     []string `json:"parts"`     // parts purged
	Originals int64    `json:"originals"` // raw messages emptied
	Documents int64    `json:"documents"` // document texts emptied
	Contacts  int64    `json:"contacts"`  // contact rows deleted
	Notes     int64    `json:"notes"`     // event texts deleted
	Outbox    int64    `json:"outbox"`    // notification bodies emptied
}

// retentionSchema (schema 14): the purge finds a case's original messages
// by case; without this index each case's lookup scanned the whole intake
// ledger (EXPLAIN QUERY PLAN: SCAN intake), which made a purge of n cases
// cost n² row reads.
const retentionSchema = `
-- Schema 14: the purge (gallring) finds a case's originals by case.
CREATE INDEX intake_case ON intake(case_id);
`

// PurgeRequest is one case's due parts, and the rule (plan references)
// that makes them due.
type PurgeRequest struct {
	CaseID int64
	Parts  []string
	Rule   string
}

// PurgeOutcome is what PurgeCases did to one requested case.
type PurgeOutcome struct {
	PurgeResult
	// Preserved: the case was found to be preserved (bevaras) when its
	// batch ran, so nothing of it was removed.
	Preserved bool
}

// purgeBatch is how many cases PurgeCases purges per transaction (a
// variable so a test can make batches small): few
// enough that a writer waiting for the lock (intake) waits well under a
// second, many enough that the commit's fsync and the full-text index's
// flush are paid once per batch instead of once per case.
var purgeBatch = 500

// metaSearchDirty is the meta key that says the full-text index may still
// hold terms of purged text (see PurgeCases and Compact).
const metaSearchDirty = "search_purged_dirty"

// Purge removes the given parts of one case; see PurgeCases. A preserved
// case fails with ErrPreserved and nothing is removed. Call Compact
// afterwards.
func (s *Store) Purge(ctx context.Context, caseID int64, parts []string, rule, actor string) (PurgeResult, error) {
	out, err := s.PurgeCases(ctx, []PurgeRequest{{CaseID: caseID, Parts: parts, Rule: rule}}, actor)
	if err != nil {
		return PurgeResult{}, err
	}
	if out[0].Preserved {
		return PurgeResult{}, fmt.Errorf("purge case %d: %w", caseID, ErrPreserved)
	}
	return out[0].PurgeResult, nil
}

// PurgeCases removes the requested parts of cases, purgeBatch cases per
// transaction, and records them (table purged) with one event "purged" per
// case naming the parts and the rule; the PII-free metadata (number,
// category, unit, dates, roles) and the event rows stay. A case preserved
// by the time its batch runs is skipped (Preserved in its outcome). On
// error the failing batch is rolled back and earlier batches stay purged,
// so running the purge again continues; the outcomes of the committed
// batches are returned with the error.
//
// Inside a batch the full-text index's own secure-delete option is off: it
// rewrites index pages per deleted row, which was most of a purge's cost.
// The removed terms then linger in the index's segments until Compact
// rebuilds the index (a meta row marks it due, so a crash in between is
// made good by the next Compact). Call Compact after PurgeCases.
func (s *Store) PurgeCases(ctx context.Context, reqs []PurgeRequest, actor string) ([]PurgeOutcome, error) {
	out := make([]PurgeOutcome, 0, len(reqs))
	for start := 0; start < len(reqs); start += purgeBatch {
		batch := reqs[start:min(start+purgeBatch, len(reqs))]
		var got []PurgeOutcome
		var spooled []string // spool files of the originals emptied, removed after the commit
		err := s.tx(ctx, func(tx *sql.Tx) error {
			got, spooled = got[:0], spooled[:0]
			if _, err := tx.ExecContext(ctx, "INSERT INTO case_search(case_search, rank) VALUES('secure-delete', 0)"); err != nil {
				return fmt.Errorf("search index secure-delete off: %w", err)
			}
			for _, rq := range batch {
				o, err := s.purgeCaseTx(ctx, tx, rq, actor, &spooled)
				if err != nil {
					return fmt.Errorf("case %d: %w", rq.CaseID, err)
				}
				got = append(got, o)
			}
			// The purged cases' index rows are rewritten here, while the
			// index's secure-delete is still off (the commit would
			// otherwise do it after this function, with it on).
			if err := s.syncSearch(ctx, tx); err != nil {
				return err
			}
			if err := setMeta(ctx, tx, metaSearchDirty, ts(s.now())); err != nil {
				return fmt.Errorf("mark search index: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO case_search(case_search, rank) VALUES('secure-delete', 1)"); err != nil {
				return fmt.Errorf("search index secure-delete on: %w", err)
			}
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("purge: %w", err)
		}
		out = append(out, got...)
		// A crash before this leaves files no row refers to: SweepSpool
		// removes them.
		if err := s.dropSpooled(ctx, spooled); err != nil {
			return out, fmt.Errorf("purge: %w", err)
		}
	}
	return out, nil
}

func (s *Store) purgeCaseTx(ctx context.Context, tx *sql.Tx, rq PurgeRequest, actor string, spooled *[]string) (PurgeOutcome, error) {
	var o PurgeOutcome
	var preserved bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS(SELECT 1 FROM preservations WHERE case_id = ?)", rq.CaseID).Scan(&preserved); err != nil {
		return o, err
	}
	if preserved {
		o.Preserved = true
		return o, nil
	}
	r := &o.PurgeResult
	for _, p := range rq.Parts {
		if err := purgePart(ctx, tx, rq.CaseID, p, r, spooled); err != nil {
			return o, fmt.Errorf("purge %s: %w", p, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO purged(case_id, part, rule, at) VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING", rq.CaseID, p, rq.Rule, ts(s.now())); err != nil {
			return o, err
		}
	}
	r.Parts = append([]string(nil), rq.Parts...)
	sort.Slice(r.Parts, func(i, j int) bool { return partIndex(r.Parts[i]) < partIndex(r.Parts[j]) })
	detail, _ := json.Marshal(struct {
		Rule string `json:"rule"`
		PurgeResult
	}{rq.Rule, *r})
	return o, s.eventTx(ctx, tx, rq.CaseID, Event{Actor: actor, Kind: "purged", Detail: string(detail)})
}

func partIndex(p string) int {
	for i, q := range Parts {
		if q == p {
			return i
		}
	}
	return len(Parts)
}

// The SHA-256 of the spooled originals it empties are added to spooled:
// their files go once the transaction has committed.
func purgePart(ctx context.Context, tx *sql.Tx, caseID int64, part string, r *PurgeResult, spooled *[]string) error {
	exec := func(n *int64, q string, args ...any) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		k, _ := res.RowsAffected()
		*n += k
		return nil
	}
	// Originals that carry attachments wait for PartAttachments.
	const withAttachments = "SELECT intake_id FROM documents WHERE case_id = ? AND attachments <> '' AND intake_id IS NOT NULL"
	// empty empties the originals of the intake rows where selects.
	empty := func(where string, args ...any) error {
		sums, err := spooledOf(ctx, tx, where, args...)
		if err != nil {
			return err
		}
		*spooled = append(*spooled, sums...)
		return exec(&r.Originals, "UPDATE intake SET raw = x'', raw_spool = 0 WHERE (length(raw) > 0 OR raw_spool > 0) AND "+where, args...)
	}
	switch part {
	case PartOriginal:
		if err := empty("case_id = ? AND id NOT IN ("+withAttachments+")", caseID, caseID); err != nil {
			return err
		}
		return exec(&r.Documents, "UPDATE documents SET text = '' WHERE case_id = ? AND text <> ''", caseID)
	case PartAttachments:
		if err := empty("id IN ("+withAttachments+")", caseID); err != nil {
			return err
		}
		var n int64
		return exec(&n, "UPDATE documents SET attachments = '' WHERE case_id = ? AND attachments <> ''", caseID)
	case PartContact:
		return exec(&r.Contacts, "DELETE FROM contacts WHERE case_id = ?", caseID)
	case PartNotes:
		return exec(&r.Notes, "DELETE FROM event_texts WHERE event_id IN (SELECT id FROM events WHERE case_id = ?)", caseID)
	case PartOutbox:
		// A notification still pending when its case is purged is never sent.
		return exec(&r.Outbox, `UPDATE outbox SET payload = x'', recipient = '', last_error = '',
			status = CASE status WHEN 'pending' THEN 'failed' ELSE status END, lease_owner = '', lease_until = ''
			WHERE case_id = ? AND (length(payload) > 0 OR recipient <> '')`, caseID)
	}
	return fmt.Errorf("unknown part %q", part)
}

// Compact makes removed bytes unrecoverable from the database files. If a
// purge ran since the last Compact it rebuilds the full-text index from
// its content (the purge left the removed terms in the index's segments;
// the rebuild drops every old segment, and secure_delete, which Open sets,
// zeroes the freed pages). The checkpoint then copies the WAL into the
// database and truncates it, so no old page image stays in the WAL. With
// vacuum it also rebuilds the file (smaller, costlier). busy reports a
// checkpoint that could not finish because a reader held old pages; run it
// again later.
func (s *Store) Compact(ctx context.Context, vacuum bool) (busy bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM meta WHERE key = ?", metaSearchDirty)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO case_search(case_search) VALUES('rebuild')")
		return err
	})
	if err != nil {
		return false, fmt.Errorf("compact: rebuild search index: %w", err)
	}
	if vacuum {
		if _, err := s.db.ExecContext(ctx, "VACUUM"); err != nil {
			return false, fmt.Errorf("vacuum: %w", err)
		}
	}
	var b, logFrames, done int
	if err := s.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&b, &logFrames, &done); err != nil {
		return false, fmt.Errorf("checkpoint: %w", err)
	}
	return b != 0, nil
}

// SubjectQuery is what identifies a data subject: any of an address, a
// phone number or a personnummer (as given; see SubjectNeedles).
type SubjectQuery struct {
	Email        string
	Phone        []string // digit-only forms to look for, e.g. 46701234567, 0701234567
	Personnummer []string // digit-only forms, e.g. 8507099805, 198507099805
}

// SubjectCase is one case that holds a data subject's personal data, and where.
type SubjectCase struct {
	synpunkt.Case
	Preserved bool
	Holds     []string // contact, original, text, notes, outbox
}

// stripped is a SQL expression: x without spaces, dashes and dots.
func stripped(x string) string {
	return "replace(replace(replace(" + x + ", ' ', ''), '-', ''), '.', '')"
}

// SubjectCases returns every case holding data of the subject q, with the
// places it is held, in registration order.
func (s *Store) SubjectCases(ctx context.Context, q SubjectQuery) ([]SubjectCase, error) {
	type probe struct{ where, sql string }
	var probes []probe
	var args [][]any
	add := func(where, cond string, needle string) {
		probes = append(probes, probe{where, cond})
		args = append(args, []any{needle})
	}
	if e := strings.ToLower(strings.TrimSpace(q.Email)); e != "" {
		add(PartContact, "SELECT case_id FROM contacts WHERE lower(email) = ?", e)
		add(PartOriginal, "SELECT case_id FROM intake WHERE case_id IS NOT NULL AND instr(lower(CAST(raw AS TEXT)), ?) > 0", e)
		add("text", "SELECT case_id FROM documents WHERE instr(lower(text), ?) > 0", e)
		add(PartNotes, "SELECT e.case_id FROM events e JOIN event_texts t ON t.event_id = e.id WHERE instr(lower(t.text), ?) > 0", e)
		add(PartOutbox, "SELECT case_id FROM outbox WHERE case_id IS NOT NULL AND (lower(recipient) = ? OR instr(lower(CAST(payload AS TEXT)), ?1) > 0)", e)
	}
	for _, n := range append(append([]string(nil), q.Phone...), q.Personnummer...) {
		if n == "" {
			continue
		}
		add(PartContact, "SELECT case_id FROM contacts WHERE "+stripped("phone")+" LIKE '%' || ? || '%'", n)
		add(PartOriginal, "SELECT case_id FROM intake WHERE case_id IS NOT NULL AND instr("+stripped("CAST(raw AS TEXT)")+", ?) > 0", n)
		add("text", "SELECT case_id FROM documents WHERE instr("+stripped("text")+", ?) > 0", n)
		add(PartNotes, "SELECT e.case_id FROM events e JOIN event_texts t ON t.event_id = e.id WHERE instr("+stripped("t.text")+", ?) > 0", n)
		add(PartOutbox, "SELECT case_id FROM outbox WHERE case_id IS NOT NULL AND (instr("+stripped("recipient")+", ?1) > 0 OR instr("+stripped("CAST(payload AS TEXT)")+", ?1) > 0)", n)
	}
	holds := map[int64][]string{}
	for i, p := range probes {
		rows, err := s.db.QueryContext(ctx, p.sql, args[i]...)
		if err != nil {
			return nil, fmt.Errorf("subject search: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("subject search: %w", err)
			}
			if !slices.Contains(holds[id], p.where) {
				holds[id] = append(holds[id], p.where)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("subject search: %w", err)
		}
	}
	// Originals kept in the spool are searched in Go, as the SQL above
	// searches those in the row.
	spoolProbes := map[string]func([]byte) []byte{}
	if e := strings.ToLower(strings.TrimSpace(q.Email)); e != "" {
		spoolProbes[e] = asciiLowerBytes
	}
	for _, n := range append(append([]string(nil), q.Phone...), q.Personnummer...) {
		if n != "" {
			spoolProbes[n] = strippedBytes
		}
	}
	for needle, norm := range spoolProbes {
		found, err := s.spoolSearch(ctx, needle, norm)
		if err != nil {
			return nil, fmt.Errorf("subject search: %w", err)
		}
		for _, id := range found {
			if !slices.Contains(holds[id], PartOriginal) {
				holds[id] = append(holds[id], PartOriginal)
			}
		}
	}
	ids := make([]int64, 0, len(holds))
	for id := range holds {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []SubjectCase
	for _, id := range ids {
		c, err := s.Case(ctx, id)
		if err != nil {
			return nil, err
		}
		var preserved bool
		if err := s.db.QueryRowContext(ctx, "SELECT EXISTS(SELECT 1 FROM preservations WHERE case_id = ?)", id).Scan(&preserved); err != nil {
			return nil, fmt.Errorf("subject search: %w", err)
		}
		h := holds[id]
		sort.Slice(h, func(i, j int) bool { return h[i] < h[j] })
		out = append(out, SubjectCase{Case: c, Preserved: preserved, Holds: h})
	}
	return out, nil
}
