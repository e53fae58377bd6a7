package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The full-text index is brought up to date once per write transaction,
// not once per row written. The triggers of schema 10 rewrote a case's
// FTS5 row on every insert into cases, documents and contacts: three
// rewrites for one new case, and FTS5 flushes its pending terms (with
// secure-delete, a seek per term) at every savepoint, so a batch of
// messages, each in its own savepoint, paid the flush once per message.
// Now the triggers only note the case in search_pending; SyncSearch, run
// by every write transaction of the store just before it commits, rewrites
// each noted case's index row once and empties the table. Rows noted by a
// writer outside the store (a test, the bench's seeding) are indexed by
// the next write transaction or search.
var searchPendingSchema = `
-- Schema 12: the full-text index is written once per transaction (see
-- SyncSearch): the triggers note the case; the commit indexes it.
CREATE TABLE search_pending (case_id INTEGER PRIMARY KEY);
DROP TRIGGER case_search_case_insert;
DROP TRIGGER case_search_case_update;
DROP TRIGGER case_search_doc_insert;
DROP TRIGGER case_search_contact_insert;
DROP TRIGGER case_search_contact_update;
DROP TRIGGER case_search_doc_update;
DROP TRIGGER case_search_contact_delete;
CREATE TRIGGER case_search_case_insert AFTER INSERT ON cases BEGIN ` + searchNote("NEW.id") + ` END;
CREATE TRIGGER case_search_case_update AFTER UPDATE OF description, unit, committee, category, number ON cases BEGIN ` + searchNote("NEW.id") + ` END;
CREATE TRIGGER case_search_doc_insert AFTER INSERT ON documents BEGIN ` + searchNote("NEW.case_id") + ` END;
CREATE TRIGGER case_search_contact_insert AFTER INSERT ON contacts BEGIN ` + searchNote("NEW.case_id") + ` END;
CREATE TRIGGER case_search_contact_update AFTER UPDATE ON contacts BEGIN ` + searchNote("NEW.case_id") + ` END;
CREATE TRIGGER case_search_doc_update AFTER UPDATE OF text ON documents BEGIN ` + searchNote("NEW.case_id") + ` END;
CREATE TRIGGER case_search_contact_delete AFTER DELETE ON contacts BEGIN ` + searchNote("OLD.case_id") + ` END;
`

// searchNote is the trigger body that notes one case for SyncSearch.
func searchNote(id string) string {
	return `INSERT OR IGNORE INTO search_pending(case_id) VALUES(` + id + `);`
}

// The statements of syncSearch. Each old row is deleted by rowid, which
// FTS5 serves directly (an IN over the pending table could not be passed
// to it); the new rows are then inserted by one statement. FTS5 flushes
// its pending terms to a new segment of the index at every statement's
// savepoint, so a statement per case wrote a segment per case (and the
// merges that follow); deletes first and one insert write one segment
// per transaction.
const (
	searchPendingExists = "SELECT EXISTS (SELECT 1 FROM search_pending)"
	searchPendingList   = "SELECT case_id FROM search_pending ORDER BY case_id"
	searchDeleteRow     = "DELETE FROM case_search WHERE rowid = ?"
	searchInsertPending = "INSERT INTO case_search(rowid, redacted, original) SELECT id, " + searchRedacted + ", " + searchOriginal + " FROM cases c WHERE c.id IN (SELECT case_id FROM search_pending) ORDER BY c.id"
	searchPendingClear  = "DELETE FROM search_pending"
)

// syncSearch rewrites the index rows of the cases noted in search_pending
// and empties it, inside tx (the transaction about to commit).
func (s *Store) syncSearch(ctx context.Context, tx *sql.Tx) error {
	if !s.migrated {
		return nil
	}
	var any bool
	if err := s.txQueryRow(ctx, tx, searchPendingExists).Scan(&any); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	if !any {
		return nil
	}
	rows, err := s.txQuery(ctx, tx, searchPendingList)
	if err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("sync search index: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	for _, id := range ids {
		if _, err := s.txExec(ctx, tx, searchDeleteRow, id); err != nil {
			return fmt.Errorf("sync search index: case %d: %w", id, err)
		}
	}
	if _, err := s.txExec(ctx, tx, searchInsertPending); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	if _, err := s.txExec(ctx, tx, searchPendingClear); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	return nil
}

// SyncSearch indexes what was written to cases, documents or contacts
// outside the store's own write transactions (which index at their
// commit). Searches call it; it is cheap when nothing is pending.
func (s *Store) SyncSearch(ctx context.Context) error {
	var pending bool
	if err := s.db.QueryRowContext(ctx, searchPendingExists).Scan(&pending); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	if !pending {
		return nil
	}
	return s.tx(ctx, func(*sql.Tx) error { return nil }) // the commit syncs
}
