package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBatchLeavesTheFsyncToSync: a Batch commits without an fsync and is
// visible at once; Sync then makes it durable (and is a no-op when no
// batch came since); a Batch's connection goes back to the pool set to
// commit with FULL again, so no other write is left without its fsync.
func TestBatchLeavesTheFsyncToSync(t *testing.T) {
	s, at, ctx := fixedStore(t)
	// What a process killed before its Sync committed is fsynced by the
	// next process's first Sync, before the intake moves anything.
	if !s.unsynced() {
		t.Error("a store just opened: unsynced() = false, want true")
	}
	if err := s.Sync(ctx); err != nil || s.unsynced() {
		t.Fatalf("first Sync = %v, unsynced() = %v", err, s.unsynced())
	}
	err := s.Batch(ctx, func(ctx context.Context) error {
		for i := range 3 {
			if _, err := s.OpenCase(ctx, newCase(fmt.Sprintf("k%d", i), at), nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Batch = %v", err)
	}
	if !s.unsynced() {
		t.Error("after a Batch, unsynced() = false")
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM cases").Scan(&n); err != nil || n != 3 {
		t.Errorf("cases after the Batch = %d, %v; want 3, visible before Sync", n, err)
	}
	if fi, err := os.Stat(s.walPath); err != nil || fi.Size() == 0 {
		t.Fatalf("the WAL Sync fsyncs (%s): %v, %v", s.walPath, fi, err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatalf("Sync = %v", err)
	}
	if s.unsynced() {
		t.Error("after Sync, unsynced() = true")
	}
	if err := s.Sync(ctx); err != nil {
		t.Errorf("Sync with nothing to do = %v", err)
	}
	// A failed batch counts nothing.
	boom := fmt.Errorf("boom")
	if err := s.Batch(ctx, func(context.Context) error { return boom }); err != boom {
		t.Errorf("Batch(failing f) = %v, want boom", err)
	}
	if s.unsynced() {
		t.Error("a rolled-back Batch left unsynced() = true")
	}
	// Every idle connection commits with FULL (2).
	var conns []interface{ Close() error }
	for range 3 {
		c, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var sync int
		if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
			t.Errorf("a pool connection has synchronous = %d, %v; want 2 (FULL)", sync, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

// TestSyncWithoutWAL: once the last connection is closed SQLite
// checkpoints the WAL and removes it; Sync then has nothing to fsync and
// does not fail.
func TestSyncWithoutWAL(t *testing.T) {
	s, at, ctx := fixedStore(t)
	if err := s.Batch(ctx, func(ctx context.Context) error {
		_, err := s.OpenCase(ctx, newCase("k", at), nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s.walPath += ".gone" // as if removed
	if err := s.Sync(ctx); err != nil {
		t.Errorf("Sync without a WAL = %v", err)
	}
	if s.unsynced() {
		t.Error("after Sync, unsynced() = true")
	}
}

// Close syncs only when this process committed a Batch: a clerk's
// command that only read (and may have no right to the WAL) touches no
// file; a writer's Close reports a failed sync.
func TestCloseSyncsOnlyAfterABatch(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	reader, err := Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), Options{Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	reader.walPath = filepath.Join(notADir, "wal") // any open fails: ENOTDIR
	if err := reader.Close(); err != nil {
		t.Errorf("Close of a store that committed no batch = %v, want nil (no sync)", err)
	}
	writer, err := Open(context.Background(), filepath.Join(t.TempDir(), "w.db"), Options{Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	if err := writer.Batch(context.Background(), func(ctx context.Context) error {
		_, err := writer.OpenCase(ctx, newCase("k", at), nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	writer.walPath = filepath.Join(notADir, "wal")
	if err := writer.Close(); err == nil || !strings.Contains(err.Error(), "sync store") {
		t.Errorf("Close after a Batch whose sync fails = %v, want the sync's error", err)
	}
}
