package store

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

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
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "synpunkt.db")
	st, err := Open(ctx, path, Options{Now: func() time.Time { return at }, SpoolThreshold: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { st.Close() }()
	raw := []byte("From: Gunilla <g@example.net>\r\nSubject: foto\r\n\r\n" + strings.Repeat("QUJD", 2000) + "\r\n")
	if err := os.MkdirAll(SpoolDir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(SpoolDir(path), "fetch.tmp-1")
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
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
