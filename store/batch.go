package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Group commit. Intake registers a fetched batch of messages in one
// transaction: one fsync (synchronous=FULL) for many cases instead of one
// each. Inside Batch every write of the store made with the ctx it hands
// out joins that transaction as a savepoint of its own, so a message that
// fails is undone alone and the others still commit; every read made with
// that ctx sees what the batch wrote so far (a reply threads to a case
// opened earlier in the same batch, the per-sender caps count its
// receipts). Nothing of the batch is visible to other connections, or
// durable, before Batch returns nil — so the caller acknowledges outward
// (the IMAP MOVE) only after that.

type batchKey struct{}

// dbtx is what both *sql.DB and *sql.Tx offer.
type dbtx interface {
	querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Batch runs f in one write transaction and commits it when f returns
// nil; an error from f or from the commit rolls everything back and is
// returned. Writes made with the ctx passed to f join the transaction (as
// savepoints); writes made with another ctx wait for the commit.
func (s *Store) Batch(ctx context.Context, f func(ctx context.Context) error) error {
	if _, ok := ctx.Value(batchKey{}).(*sql.Tx); ok {
		return f(ctx) // already in one
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// Not bound to ctx: database/sql rolls a transaction back when its ctx
	// is cancelled, and what was handled before a shutdown should commit.
	tx, err := s.db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return fmt.Errorf("begin batch: %w", err)
	}
	done, committed := false, false
	defer func() {
		if !done {
			tx.Rollback()
		}
		s.spoolDone(committed)
	}()
	if err := f(context.WithValue(ctx, batchKey{}, tx)); err != nil {
		return err
	}
	// The full-text index of every case the batch wrote, once (see
	// SyncSearch); not in the messages' savepoints.
	if err := s.syncSearch(context.WithoutCancel(ctx), tx); err != nil {
		return err
	}
	if err := s.syncSpool(); err != nil {
		return err
	}
	done = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	committed = true
	return nil
}

// q is the batch's transaction when ctx carries one, else the database.
func (s *Store) q(ctx context.Context) dbtx {
	if tx, ok := ctx.Value(batchKey{}).(*sql.Tx); ok {
		return tx
	}
	return s.db
}

// savepoint runs f inside the batch transaction tx as a savepoint: undone
// alone (also when f panics) if it fails.
func (s *Store) savepoint(ctx context.Context, tx *sql.Tx, f func(*sql.Tx) error) (err error) {
	// Not ctx: a cancelled ctx must not leave a half-written savepoint.
	bg := context.WithoutCancel(ctx)
	if _, err := s.txExec(bg, tx, "SAVEPOINT unit"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tx.ExecContext(bg, "ROLLBACK TO unit")
			tx.ExecContext(bg, "RELEASE unit")
		}
	}()
	if err := f(tx); err != nil {
		return err
	}
	if _, err := s.txExec(bg, tx, "RELEASE unit"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	ok = true
	return nil
}
