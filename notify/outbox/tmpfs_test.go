package outbox

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/store"
)

// TestFullDiskOnTmpfs is the security review's full-disk experiment on a
// real file system: the database lives on a small tmpfs that fills up
// while a forward is on its way to the SMTP server, so the send succeeds
// and recording it fails with SQLite's "database or disk is full". The
// outbox must then stop sending (no resend of the same mail in a loop) and,
// once space returns, deliver every notification exactly once.
//
// It needs a mounted tmpfs of a few MB, named by SYNPUNKT_TMPFS_DIR, e.g.
//
//	mkdir -p /mnt/full && mount -t tmpfs -o size=4m tmpfs /mnt/full
//	SYNPUNKT_TMPFS_DIR=/mnt/full go test -v -run TestFullDiskOnTmpfs ./notify/outbox/
func TestFullDiskOnTmpfs(t *testing.T) {
	dir := testkit.Env(t, "SYNPUNKT_TMPFS_DIR", "the real full-disk experiment needs a small mounted tmpfs (see the comment)")
	f := newFixture(t)
	f.st.Close()
	f.path = filepath.Join(dir, "s.db")
	os.Remove(f.path)
	f.open()
	f.addCases(3, append([]byte("From: anna@example.com\r\nSubject: Foto\r\n\r\n"), bytes.Repeat([]byte("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678901234567890123456789012345678901234\r\n"), 200<<10/74)...))
	var logs testkit.LogBuffer
	w := f.workerWith(f.st, f.smtp("", ""), logs.Logger(), Options{})
	filler := filepath.Join(dir, "filler")
	t.Cleanup(func() { os.Remove(filler) })
	f.sink.SetDelay(700 * time.Millisecond)

	// The first send is under way when the disk fills up.
	done := make(chan error, 1)
	go func() { _, err := w.Drain(context.Background()); done <- err }()
	time.Sleep(200 * time.Millisecond)
	fill(t, filler)
	err := <-done
	t.Logf("first pass on a full disk: %v; sink has %d", err, len(f.sink.Messages()))
	f.sink.SetDelay(0)
	for range 20 {
		f.now = f.now.Add(10 * time.Minute)
		if _, err := w.Drain(context.Background()); err == nil {
			t.Fatal("Drain on a full disk succeeded")
		}
	}
	sentFull := len(f.sink.Messages())
	t.Logf("after 21 passes on a full disk: the SMTP server got %d messages", sentFull)
	if sentFull > 1 {
		t.Errorf("%d messages sent while the disk was full, want at most the one in flight", sentFull)
	}

	os.Remove(filler)
	f.now = f.now.Add(10 * time.Minute)
	if _, err := w.Drain(context.Background()); err != nil && !errors.Is(err, ErrPaused) {
		t.Fatalf("Drain after space returned: %v", err)
	}
	if _, err := w.Drain(context.Background()); err != nil {
		t.Fatalf("second Drain after space returned: %v", err)
	}
	ids := countIDs(t, f.sink.Messages())
	rows := f.all()
	t.Logf("after space returned: %d notifications in the outbox, SMTP server got %d messages, %d distinct, %d duplicates",
		len(rows), len(f.sink.Messages()), len(ids), duplicates(ids))
	if len(ids) != len(rows) || duplicates(ids) != 0 {
		t.Errorf("got %d distinct, %d duplicates for %d notifications; want each exactly once", len(ids), duplicates(ids), len(rows))
	}
	for _, r := range rows {
		if r.Status != store.OutboxSent {
			t.Errorf("row %d: %s, want sent", r.ID, r.Status)
		}
	}
}

// fill writes path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	block := make([]byte, 64<<10)
	for {
		if _, err := fh.Write(block); err != nil {
			return
		}
	}
}
