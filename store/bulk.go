package store

import (
	"context"
	"database/sql"
	"fmt"
)

// BulkLoad runs load in one write transaction, for many rows written with
// SQL at once (a benchmark's synthetic store). The search index triggers,
// which rewrite a case's index row for every case, document and contact
// row inserted, are dropped while load runs and re-created after it, and
// the cases load added are indexed in one statement: the store ends as if
// the rows had been written one by one. load may only add cases (with IDs
// above every existing case) and the documents and contacts of those
// cases; other triggers (next_due) fire as usual.
func (s *Store) BulkLoad(ctx context.Context, load func(*sql.Tx) error) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var base int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM cases").Scan(&base); err != nil {
			return err
		}
		type trigger struct{ name, sql string }
		triggers, err := collect(ctx, tx, "search triggers", func(r *sql.Rows) (trigger, error) {
			var t trigger
			err := r.Scan(&t.name, &t.sql)
			return t, err
		}, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'case\_search\_%' ESCAPE '\' ORDER BY name`)
		if err != nil {
			return err
		}
		for _, t := range triggers {
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+t.name+`"`); err != nil {
				return err
			}
		}
		if err := load(tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO case_search(rowid, redacted, original) SELECT id, "+searchRedacted+", "+searchOriginal+" FROM cases c WHERE c.id > ?", base); err != nil {
			return err
		}
		for _, t := range triggers {
			if _, err := tx.ExecContext(ctx, t.sql); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	return nil
}
