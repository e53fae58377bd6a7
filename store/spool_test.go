package store

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/testkit"
)

// spoolFiles lists the files under the spool of the database at path.
func spoolFiles(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(SpoolDir(path), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		if os.IsNotExist(err) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A raw message over the threshold is kept as a private file in the spool,
// not in its row; every reader gets it whole; a forward refers to it; a
// purge removes the file; the sweep at Open removes files no row refers to.
func TestSpoolKeepsLargeOriginalsAsFiles(t *testing.T) {
	st, path, at := openSpoolStore(t)
	ctx := context.Background()

	big := newCase("big", at)
	big.Intake.Raw = []byte("From: Gunilla <gunilla.testberg@example.net>\r\nSubject: foto\r\n\r\nRing 070-123 45 67.\r\n" + strings.Repeat("QUJD", 2000) + "\r\n")
	small := newCase("small", at)
	head, tail := []byte("Subject: Synpunkt\r\n\r\n--b\r\n\r\n"), []byte("\r\n--b--\r\n")
	fwd := synpunkt.Notification{Kind: synpunkt.KindForward, Channel: synpunkt.MediumEmail, From: "synpunkt@exempelby.se",
		To: "chef@exempelby.se", Payload: append(append([]byte{}, head...), tail...), Original: big.Intake.Raw,
		OriginalAt: len(head), OriginalLen: len(big.Intake.Raw)}
	cb, err := st.OpenCase(ctx, big, func(synpunkt.Case) ([]synpunkt.Notification, error) { return []synpunkt.Notification{fwd}, nil })
	if err != nil {
		t.Fatalf("OpenCase(big): %v", err)
	}
	cs := mustOpenCase(t, st, small)

	files := spoolFiles(t, path)
	if len(files) != 1 || filepath.Base(files[0]) != sum(big.Intake.Raw) {
		t.Fatalf("spool files = %v; want one named by the big message's SHA-256", files)
	}
	for p, want := range map[string]os.FileMode{files[0]: 0o600, filepath.Dir(files[0]): 0o700, SpoolDir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", p, fi.Mode().Perm(), err, want)
		}
	}
	var inRow, spooled int64
	if err := st.DB().QueryRow("SELECT length(raw), raw_spool FROM intake WHERE case_id = ?", cb.ID).Scan(&inRow, &spooled); err != nil {
		t.Fatal(err)
	}
	if inRow != 0 || spooled != int64(len(big.Intake.Raw)) {
		t.Errorf("big row: length(raw) %d, raw_spool %d; want 0 and %d", inRow, spooled, len(big.Intake.Raw))
	}
	for _, c := range []struct {
		c   synpunkt.Case
		raw []byte
	}{{cb, big.Intake.Raw}, {cs, small.Intake.Raw}} {
		got, err := st.Original(ctx, c.c.Documents[0].ID)
		if err != nil || !bytes.Equal(got, c.raw) {
			t.Errorf("Original(%s) = %d bytes, %v; want %d", c.c.Number, len(got), err, len(c.raw))
		}
	}
	var intakeID int64
	st.DB().QueryRow("SELECT id FROM intake WHERE case_id = ?", cb.ID).Scan(&intakeID)
	r, err := st.OpenRaw(ctx, intakeID)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if r.Size() != int64(len(big.Intake.Raw)) || !bytes.Equal(got, big.Intake.Raw) {
		t.Errorf("OpenRaw: size %d, %d bytes read; want %d", r.Size(), len(got), len(big.Intake.Raw))
	}
	// The forward refers to the spooled original and reads back whole.
	rows, err := st.OutboxForCase(ctx, cb.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("OutboxForCase = %d, %v", len(rows), err)
	}
	want := append(append(append([]byte{}, head...), big.Intake.Raw...), tail...)
	if p, err := st.OutboxPayload(ctx, rows[0].ID); err != nil || !bytes.Equal(p, want) {
		t.Errorf("OutboxPayload = %d bytes, %v; want %d", len(p), err, len(want))
	}
	var stored int
	st.DB().QueryRow("SELECT length(payload) FROM outbox WHERE id = ?", rows[0].ID).Scan(&stored)
	if stored != len(head)+len(tail) {
		t.Errorf("stored forward payload %d bytes; want %d, without the original", stored, len(head)+len(tail))
	}
	// Subject access finds the citizen in the spooled original.
	for _, q := range []SubjectQuery{{Email: "GUNILLA.TESTBERG@example.net"}, {Phone: []string{"0701234567"}}} {
		found, err := st.SubjectCases(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ok := false
		for _, f := range found {
			ok = ok || f.Case.ID == cb.ID && strings.Contains(strings.Join(f.Holds, ","), PartOriginal)
		}
		if !ok {
			t.Errorf("SubjectCases(%+v) = %+v; want %s holding the original", q, found, cb.Number)
		}
	}

	// An orphan (a crash between file and commit) and a stray temporary
	// file go at the sweep (the daemon's start); a file a row refers to stays.
	orphan := filepath.Join(SpoolDir(path), "ab", "ab"+strings.Repeat("0", 62))
	os.MkdirAll(filepath.Dir(orphan), 0o700)
	os.WriteFile(orphan, []byte("x"), 0o600)
	os.WriteFile(files[0]+".tmp-1234", []byte("x"), 0o600)
	st.Close()
	if st, err = Open(ctx, path, Options{Now: func() time.Time { return at }, SpoolThreshold: 1000}); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := spoolFiles(t, path); len(got) != 3 {
		t.Errorf("Open swept the spool: files = %v; want 3 (only the daemon sweeps)", got)
	}
	if n, err := st.SweepSpool(ctx); err != nil || n != 2 {
		t.Errorf("SweepSpool = %d, %v; want 2 removed", n, err)
	}
	if got := spoolFiles(t, path); len(got) != 1 || got[0] != files[0] {
		t.Errorf("after the sweep, spool files = %v; want only %s", got, files[0])
	}

	// A batch that rolls back leaves no file of its own behind.
	rolled := newCase("rolled back", at)
	rolled.Intake.Raw = []byte("Subject: y\r\n\r\n" + strings.Repeat("QUJD", 1000) + "\r\n")
	err = st.Batch(ctx, func(bctx context.Context) error {
		if _, err := st.OpenCase(bctx, rolled, nil); err != nil {
			return err
		}
		if got := spoolFiles(t, path); len(got) != 2 {
			t.Errorf("inside the batch, spool files = %v; want 2", got)
		}
		return errors.New("give up")
	})
	if err == nil {
		t.Fatal("Batch = nil error, want the one returned")
	}
	if got := spoolFiles(t, path); len(got) != 1 || got[0] != files[0] {
		t.Errorf("after the rollback, spool files = %v; want only %s", got, files[0])
	}

	// The purge of the original removes its file.
	if _, err := st.Purge(ctx, cb.ID, []string{PartOriginal, PartAttachments}, "test", "test"); err != nil {
		t.Fatal(err)
	}
	if got := spoolFiles(t, path); len(got) != 0 {
		t.Errorf("after the purge, spool files = %v; want none", got)
	}
	if got, err := st.Original(ctx, cb.Documents[0].ID); err != nil || len(got) != 0 {
		t.Errorf("Original after the purge = %d bytes, %v; want empty", len(got), err)
	}
}

// IdempotencyKeyOf, reading in pieces, gives IdempotencyKey's key.
func TestIdempotencyKeyOfMatchesIdempotencyKey(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("ab\r\n\r\n")
	inputs := [][]byte{nil, []byte("\n"), []byte("a\r"), []byte("a\r\n\n"), []byte("a\r\r\n"), []byte("H: v\r\n\r\nbody\r\n\r\n"),
		append([]byte("H: v\r\n\r\n"), bytes.Repeat([]byte("x\r\n"), 100000)...)}
	for range 2000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		inputs = append(inputs, b)
	}
	for _, b := range inputs {
		for _, id := range []string{"", "m@x"} {
			got, err := IdempotencyKeyOf(id, bytes.NewReader(b), int64(len(b)))
			if want := IdempotencyKey(id, b); err != nil || got != want {
				t.Fatalf("IdempotencyKeyOf(%q, %q) = %s, %v; want %s", id, b, got, err, want)
			}
		}
	}
}

// A raw message handed over as a file (Intake.RawFile) is linked into the
// spool at commit, reads back whole, and a forward reading it from the
// file refers to it; the file itself is left to the caller, and the sweep
// removes it as a temporary file when the caller did not.
func TestRecordIntakeAdoptsRawFile(t *testing.T) {
	st, path, at := openSpoolStore(t)
	ctx := context.Background()
	raw := []byte("From: Gunilla <g@example.net>\r\nSubject: foto\r\n\r\n" + strings.Repeat("QUJD", 2000) + "\r\n")
	if err := os.MkdirAll(SpoolDir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(SpoolDir(path), "fetch.tmp-1")
	f := testkit.WriteOpen(t, tmp, raw)
	nc := newCase("file", at)
	nc.Intake.Raw, nc.Intake.RawFile, nc.Intake.RawSize, nc.Intake.RawSHA256 = nil, tmp, int64(len(raw)), sum(raw)
	nc.Document.RawSHA256 = sum(raw)
	head, tail := []byte("Subject: Synpunkt\r\n\r\n--b\r\n\r\n"), []byte("\r\n--b--\r\n")
	fwd := synpunkt.Notification{Kind: synpunkt.KindForward, Channel: synpunkt.MediumEmail, From: "synpunkt@exempelby.se",
		To: "chef@exempelby.se", Payload: append(append([]byte{}, head...), tail...),
		OriginalFrom: io.NewSectionReader(f, 0, int64(len(raw))), OriginalAt: len(head), OriginalLen: len(raw)}
	c, err := st.OpenCase(ctx, nc, func(synpunkt.Case) ([]synpunkt.Notification, error) { return []synpunkt.Notification{fwd}, nil })
	if err != nil {
		t.Fatalf("OpenCase: %v", err)
	}
	if got, err := st.Original(ctx, c.Documents[0].ID); err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("Original = %d bytes, %v; want %d", len(got), err, len(raw))
	}
	rows, err := st.OutboxForCase(ctx, c.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("OutboxForCase = %d, %v", len(rows), err)
	}
	var stored int
	st.DB().QueryRow("SELECT length(payload) FROM outbox WHERE id = ?", rows[0].ID).Scan(&stored)
	if stored != len(head)+len(tail) {
		t.Errorf("stored forward payload %d bytes; want %d, without the original", stored, len(head)+len(tail))
	}
	want := append(append(append([]byte{}, head...), raw...), tail...)
	if p, err := st.OutboxPayload(ctx, rows[0].ID); err != nil || !bytes.Equal(p, want) {
		t.Errorf("OutboxPayload = %d bytes, %v; want %d", len(p), err, len(want))
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Errorf("the caller's file is gone: %v", err)
	}
	n, err := st.SweepSpool(ctx)
	if err != nil || n != 1 {
		t.Errorf("SweepSpool = %d, %v; want the temporary file removed", n, err)
	}
	if files := spoolFiles(t, path); len(files) != 1 || filepath.Base(files[0]) != sum(raw) {
		t.Errorf("spool files = %v; want only the adopted message", files)
	}
}

// Where no hard link can be made, adopting copies the file in.
func TestCopySpoolCopiesWhole(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "fetch.tmp-1"), filepath.Join(dir, "ab", "abcd")
	raw := bytes.Repeat([]byte("QUJD\r\n"), 50000)
	if err := os.WriteFile(from, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := copySpool(from, to); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(to)
	if fi, _ := os.Stat(to); err != nil || !bytes.Equal(got, raw) || fi.Mode().Perm() != 0o600 {
		t.Errorf("copy: %d bytes, %v; want %d, mode 0600", len(got), err, len(raw))
	}
	if ents, _ := os.ReadDir(filepath.Dir(to)); len(ents) != 1 {
		t.Errorf("%d files beside the copy, want none", len(ents)-1)
	}
}

// openSpoolStore opens a store at a fixed instant whose spool takes raw
// messages of 1000 bytes or more, closed at the test's end; it returns the
// store, its database path and the instant.
func openSpoolStore(t *testing.T) (*Store, string, time.Time) {
	t.Helper()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "synpunkt.db")
	st, err := Open(context.Background(), path, Options{Now: func() time.Time { return at }, SpoolThreshold: 1000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path, at
}
