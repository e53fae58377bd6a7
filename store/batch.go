package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
)

// Group commit. Intake registers a fetched batch of messages in one
// transaction: one commit for many cases instead of one each. Inside
// Batch every write of the store made with the ctx it hands out joins
// that transaction as a savepoint of its own, so a message that fails is
// undone alone and the others still commit; every read made with that ctx
// sees what the batch wrote so far (a reply threads to a case opened
// earlier in the same batch, the per-sender caps count its receipts).
// Nothing of the batch is visible to other connections before Batch
// returns nil.
//
// Durability is a step of its own. Batch commits with synchronous=NORMAL:
// the commit is atomic and survives the process being killed (its pages
// are in the WAL, in the kernel's cache), but a power loss may undo it
// until the WAL is fsynced. Sync does that, for every batch committed so
// far, and the caller calls it before it acknowledges a batch outward
// (the IMAP MOVE out of the inbox, an import's report); so the fsync is
// off the write lock, and the next batch is registered while the last
// one's is under way. Any other write transaction of the store commits
// with FULL and so fsyncs the whole WAL, the batches' frames in it too:
// the outbox's claim of a notification, made before it is sent, is one.
// Spool files are fsynced before the commit that refers to them, as
// before: a checkpoint may make a batch durable before Sync does.

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
	bg := context.WithoutCancel(ctx)
	conn, err := s.normalConn(bg)
	if err != nil {
		return fmt.Errorf("begin batch: %w", err)
	}
	defer s.releaseNormal(bg, conn)
	tx, err := conn.BeginTx(bg, nil)
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
	s.batches.Add(1)
	return nil
}

// normalConn is a connection of the pool set to commit without an fsync
// (synchronous=NORMAL), for one Batch; releaseNormal gives it back.
func (s *Store) normalConn(ctx context.Context) (*sql.Conn, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// releaseNormal sets conn back to synchronous=FULL and returns it to the
// pool; a connection that cannot be set back is closed instead, so no
// other transaction ever commits on it without an fsync.
func (s *Store) releaseNormal(ctx context.Context, conn *sql.Conn) {
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // discards the connection
	}
	conn.Close()
}

// Sync makes every Batch committed before it was called durable: it
// fsyncs the write-ahead log (its data, fdatasync), unless no batch was
// committed since the last Sync. Call it before acknowledging a batch
// outward. A failed fsync is returned; what it covered must not be
// acknowledged (the caller offers it again, and calls Sync again first).
func (s *Store) Sync(ctx context.Context) error {
	n := s.batches.Load()
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	if n <= s.synced {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sync store: %w", err)
	}
	// No WAL: the last connection checkpointed it (fsyncing it and then
	// the database) and removed it.
	if err := syncFile(s.walPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sync store: %w", err)
	}
	s.synced = n
	return nil
}

// unsynced reports whether a Batch was committed since the last Sync.
func (s *Store) unsynced() bool {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	return s.batches.Load() > s.synced
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
