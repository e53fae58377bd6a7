package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The spool keeps large raw messages outside the database: a raw message
// of at least the spool threshold is a file <database>.spool/<ab>/<sha256>
// (content-addressed by the SHA-256 its ledger row keeps, with its size in
// intake.raw_spool and an empty raw column). A big attachment then costs
// the intake one file write instead of SQLite's copies of the blob (the
// bound value, the record, the pages) and the WAL's, and a reader streams
// it. The file is written inside the transaction that inserts its row and
// fsynced just before the commit, while this store holds the write lock:
// a crash in between leaves only a file no row refers to, which
// SweepSpool (the daemon's start-up) removes. Every reader goes through
// OpenRaw.

// spoolSchema (schema 16): raw_spool is the size of a raw message kept in
// the spool; 0 when it is in the row (raw).
const spoolSchema = `
-- Schema 16: a raw message at least the spool threshold in size is kept as
-- a file beside the database, named by raw_sha256; raw is then empty and
-- raw_spool is its size (0: the raw is in the row).
ALTER TABLE intake ADD COLUMN raw_spool INTEGER NOT NULL DEFAULT 0;
`

// DefaultSpoolThreshold is the raw message size from which it is kept in
// the spool (Options.SpoolThreshold 0).
const DefaultSpoolThreshold = 256 << 10

// rawSizeSQL is the size of an intake row's raw message, wherever kept.
const rawSizeSQL = "(CASE WHEN raw_spool > 0 THEN raw_spool ELSE length(raw) END)"

// SpoolDir returns the directory of the spool of the database at path.
func SpoolDir(path string) string { return path + ".spool" }

// spoolPath is the file of the raw message with SHA-256 sum.
func (s *Store) spoolPath(sum string) string {
	return filepath.Join(s.spoolDir, sum[:2], sum)
}

// spoolIt reports whether a raw message of n bytes goes to the spool.
func (s *Store) spoolIt(n int) bool {
	return s.spoolDir != "" && s.spoolMin > 0 && int64(n) >= s.spoolMin
}

// validSum reports whether sum looks like a hex SHA-256 (a spool file name).
func validSum(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	_, err := hex.DecodeString(sum)
	return err == nil && strings.ToLower(sum) == sum
}

// writeSpool writes raw as the spool file of sum, unless that file is
// there already with raw's size (the same content: it is named by its
// hash). Call it only inside a write transaction (see the spool's doc):
// the file is fsynced, with its directory, by syncSpool just before that
// transaction commits (once for all the files of a batch), or removed if
// it rolls back.
func (s *Store) writeSpool(sum string, raw []byte) error {
	if !validSum(sum) {
		return fmt.Errorf("spool: bad SHA-256 %q", sum)
	}
	p := s.spoolPath(sum)
	if fi, err := os.Stat(p); err == nil && fi.Size() == int64(len(raw)) {
		return nil
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if err := writeAtomic(p, bytes.NewReader(raw)); err != nil {
		return fmt.Errorf("spool: write %s: %w", sum, err)
	}
	s.spoolPending = append(s.spoolPending, p)
	return nil
}

// adoptSpool makes the file at path, size bytes with SHA-256 sum, the
// spool file of sum, as writeSpool would write it: by a hard link, so the
// file stays where it is for the caller (and a rolled-back transaction
// removes only the link). Same rules as writeSpool.
func (s *Store) adoptSpool(sum, path string, size int64) error {
	if !validSum(sum) {
		return fmt.Errorf("spool: bad SHA-256 %q", sum)
	}
	p := s.spoolPath(sum)
	if fi, err := os.Stat(p); err == nil && fi.Size() == size {
		return nil
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != size {
		return fmt.Errorf("spool: adopt %s: want %d bytes: %v", path, size, err)
	}
	if err := os.MkdirAll(filepath.Dir(p), dirMode); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if err := os.Link(path, p); err != nil {
		// No hard links here (another file system): copy it in pieces.
		if cerr := copySpool(path, p); cerr != nil {
			return fmt.Errorf("spool: adopt %s: %w", path, errors.Join(err, cerr))
		}
	}
	s.spoolPending = append(s.spoolPending, p)
	return nil
}

// copySpool copies the file at from to p, through a temporary file renamed
// into place.
func copySpool(from, p string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	return writeAtomic(p, src)
}

// writeAtomic writes what src holds to p through a temporary file beside
// it, renamed into place only when complete, so p is never seen half
// written; the temporary file is removed on failure.
func writeAtomic(p string, src io.Reader) error {
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return err
	}
	tmp := p + ".tmp-" + hex.EncodeToString(rnd[:])
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// syncSpool makes the files writeSpool and adoptSpool placed in the
// current write transaction durable, with their names: the files' data
// (fdatasync where there is one: a file's name is its directory's) and
// their directories and the spool's own (a new subdirectory's name), all
// at once, a few at a time — concurrent syncs share the file system's
// journal commits, where one after another each waits for its own. Call
// it just before the commit. (s.wmu is held.)
func (s *Store) syncSpool() error {
	if len(s.spoolPending) == 0 {
		return nil
	}
	dirs := map[string]bool{s.spoolDir: true}
	for _, p := range s.spoolPending {
		dirs[filepath.Dir(p)] = true
	}
	sem := make(chan struct{}, 8)
	errs := make(chan error, len(s.spoolPending)+len(dirs))
	run := func(f func(string) error, p string) {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			errs <- f(p)
		}()
	}
	for _, p := range s.spoolPending {
		run(syncFile, p)
	}
	for d := range dirs {
		run(syncDir, d)
	}
	var err error
	for range len(s.spoolPending) + len(dirs) {
		err = errors.Join(err, <-errs)
	}
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// spoolDone ends the current write transaction's spool writes: after a
// commit they are the files of committed rows; after a rollback no row
// refers to them (each was new), and they are removed.
func (s *Store) spoolDone(committed bool) {
	if !committed {
		for _, p := range s.spoolPending {
			os.Remove(p)
		}
	}
	s.spoolPending = s.spoolPending[:0]
}

// syncFile makes the data of the file at p durable (see syncData).
func syncFile(p string) error { return syncPath(p, syncData) }

// syncDir fsyncs the directory dir, so that names created in it last.
func syncDir(dir string) error { return syncPath(dir, (*os.File).Sync) }

func syncPath(p string, sync func(*os.File) error) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = sync(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// RawReader is a raw message opened by OpenRaw.
type RawReader interface {
	io.ReadCloser
	io.ReaderAt
	Size() int64
}

type memRaw struct {
	*bytes.Reader
}

func (memRaw) Close() error { return nil }

type fileRaw struct {
	*os.File
	size int64
}

func (f fileRaw) Size() int64 { return f.size }

// OpenRaw opens the raw message of intake row id, whichever way it is
// kept (in the row, or as a spool file). A purged original opens empty.
// It fails with ErrNotFound when there is no such row.
func (s *Store) OpenRaw(ctx context.Context, id int64) (RawReader, error) {
	return s.openRaw(ctx, s.q(ctx), id)
}

func (s *Store) openRaw(ctx context.Context, q querier, id int64) (RawReader, error) {
	var raw []byte
	var spooled int64
	var sum string
	err := s.qRow(ctx, q, "SELECT raw, raw_spool, raw_sha256 FROM intake WHERE id = ?", id).Scan(&raw, &spooled, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("raw message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("raw message %d: %w", id, err)
	}
	if spooled == 0 {
		return memRaw{bytes.NewReader(raw)}, nil
	}
	if !validSum(sum) {
		return nil, fmt.Errorf("raw message %d: bad SHA-256 %q", id, sum)
	}
	f, err := os.Open(s.spoolPath(sum))
	if err != nil {
		return nil, fmt.Errorf("raw message %d: %w", id, err)
	}
	return fileRaw{f, spooled}, nil
}

// readRaw reads the raw message of intake row id whole (see OpenRaw).
func (s *Store) readRaw(ctx context.Context, q querier, id int64) ([]byte, error) {
	r, err := s.openRaw(ctx, q, id)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := make([]byte, r.Size())
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("raw message %d: %w", id, err)
	}
	return b, nil
}

// spooledOf returns the SHA-256 of the spooled raw messages among the
// intake rows that where (a condition on intake) selects.
func spooledOf(ctx context.Context, q querier, where string, args ...any) ([]string, error) {
	return collect(ctx, q, "spooled originals", func(r *sql.Rows) (sum string, err error) {
		err = r.Scan(&sum)
		return sum, err
	}, "SELECT raw_sha256 FROM intake WHERE raw_spool > 0 AND "+where, args...)
}

// dropSpooled removes the spool files of sums that no intake row refers
// to any more, in a write transaction (so no intake writes one meanwhile).
func (s *Store) dropSpooled(ctx context.Context, sums []string) error {
	if len(sums) == 0 || s.spoolDir == "" {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, sum := range sums {
			if err := s.dropIfUnused(ctx, tx, sum); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) dropIfUnused(ctx context.Context, tx *sql.Tx, sum string) error {
	if !validSum(sum) {
		return nil
	}
	var used bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS(SELECT 1 FROM intake WHERE raw_sha256 = ? AND raw_spool > 0)", sum).Scan(&used); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if used {
		return nil
	}
	if err := os.Remove(s.spoolPath(sum)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// SweepSpool removes what no committed row refers to: spool files of
// transactions a crash cut short (or a savepoint undid) and temporary
// files; it returns how many it removed. The daemon calls it at start-up.
// It runs in a write transaction, so no other writer (this process or
// another) has a file in flight.
func (s *Store) SweepSpool(ctx context.Context) (int, error) {
	if s.spoolDir == "" {
		return 0, nil
	}
	if _, err := os.Stat(s.spoolDir); errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	removed := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		removed = 0
		sums, err := spooledOf(ctx, tx, "1")
		if err != nil {
			return err
		}
		used := make(map[string]bool, len(sums))
		for _, sum := range sums {
			used[sum] = true
		}
		return filepath.WalkDir(s.spoolDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			name := d.Name()
			ours := validSum(name) && filepath.Base(filepath.Dir(p)) == name[:2]
			if ours && used[name] || !ours && !strings.Contains(name, ".tmp-") {
				return nil // referred to, or not ours: left alone
			}
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			removed++
			return nil
		})
	})
	if err != nil {
		return removed, fmt.Errorf("sweep the spool: %w", err)
	}
	return removed, nil
}

// spoolSearch returns the ids of the cases whose spooled original holds
// needle after norm is applied to it (the Go twin of the SQL of
// SubjectCases for originals kept in the row).
func (s *Store) spoolSearch(ctx context.Context, needle string, norm func([]byte) []byte) ([]int64, error) {
	type row struct{ id, caseID int64 }
	all, err := collect(ctx, s.db, "spooled originals", func(r *sql.Rows) (v row, err error) {
		err = r.Scan(&v.id, &v.caseID)
		return v, err
	}, "SELECT id, case_id FROM intake WHERE case_id IS NOT NULL AND raw_spool > 0")
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, r := range all {
		raw, err := s.readRaw(ctx, s.db, r.id)
		if err != nil {
			return nil, err
		}
		if bytes.Contains(norm(raw), []byte(needle)) {
			out = append(out, r.caseID)
		}
	}
	return out, nil
}

// asciiLowerBytes is SQLite's lower(): ASCII letters only.
func asciiLowerBytes(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// strippedBytes is the Go twin of stripped(): without ' ', '-' and '.'.
func strippedBytes(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c != ' ' && c != '-' && c != '.' {
			out = append(out, c)
		}
	}
	return out
}

// IdempotencyKeyOf is IdempotencyKey of the raw message that r (size
// bytes) holds, read in pieces rather than whole.
func IdempotencyKeyOf(messageID string, r io.ReaderAt, size int64) (string, error) {
	if messageID == "" {
		h, err := hashNormalizedOf(io.NewSectionReader(r, 0, size))
		return "raw:" + h, err
	}
	start := int64(-1)
	for _, sep := range []string{"\r\n\r\n", "\n\n", "\r\r"} {
		i, err := indexOf(r, size, []byte(sep))
		if err != nil {
			return "", err
		}
		if i >= 0 {
			start = i + int64(len(sep))
			break
		}
	}
	if start < 0 {
		start = size // no body: body() returns nil
	}
	h, err := hashNormalizedOf(io.NewSectionReader(r, start, size-start))
	return midKey(messageID, h), err
}

// indexOf is the offset of the first sep in r's first size bytes, or -1.
func indexOf(r io.ReaderAt, size int64, sep []byte) (int64, error) {
	buf := make([]byte, 64<<10)
	keep := len(sep) - 1
	for off := int64(0); off < size; {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if i := bytes.Index(buf[:n], sep); i >= 0 {
			return off + int64(i), nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return -1, err
		}
		if n <= keep || off+int64(n) >= size {
			break
		}
		off += int64(n - keep)
	}
	return -1, nil
}

// hashNormalizedOf is hashNormalized of what r holds, read in pieces.
func hashNormalizedOf(r io.Reader) (string, error) {
	n := newNormHash()
	buf := make([]byte, 64<<10)
	if _, err := io.CopyBuffer(n, onlyReader{r}, buf); err != nil {
		return "", err
	}
	return n.sum(), nil
}

// onlyReader hides a reader's WriterTo, so io.CopyBuffer uses its buffer.
type onlyReader struct{ io.Reader }

// normHash is hashNormalized as a Writer, for a message read in pieces:
// the SHA-256 of what is written with every CRLF turned into LF and the
// trailing LFs cut. It looks for CRs with bytes.IndexByte and hashes what
// lies between them in large writes, not byte by byte.
type normHash struct {
	h   hash.Hash
	out []byte // normalised bytes not yet hashed
	lfs int    // LFs (from LF or CRLF) held back after the last other byte: they may be trailing
	cr  bool   // the last byte written was a CR, held back: it may begin a CRLF
}

func newNormHash() *normHash {
	return &normHash{h: sha256.New(), out: make([]byte, 0, 32<<10)}
}

func (n *normHash) Write(p []byte) (int, error) {
	size := len(p)
	if n.cr && len(p) > 0 {
		n.cr = false
		if p[0] == '\n' {
			n.lfs++
			p = p[1:]
		} else {
			n.text([]byte{'\r'})
		}
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\r')
		if i < 0 {
			n.text(p)
			break
		}
		n.text(p[:i])
		switch {
		case i+1 == len(p):
			n.cr = true
			p = p[i+1:]
		case p[i+1] == '\n':
			n.lfs++
			p = p[i+2:]
		default: // a CR alone stays
			n.text(p[i : i+1])
			p = p[i+1:]
		}
	}
	return size, nil
}

// text takes bytes without CR: LFs at its end are held back, and those
// held before are written out when another byte follows them.
func (n *normHash) text(b []byte) {
	k := len(b)
	for k > 0 && b[k-1] == '\n' {
		k--
	}
	if k == 0 {
		n.lfs += len(b)
		return
	}
	for ; n.lfs > 0; n.lfs-- {
		n.put(lfByte)
	}
	n.put(b[:k])
	n.lfs = len(b) - k
}

var lfByte = []byte{'\n'}

// put adds normalised bytes, hashing them a buffer at a time.
func (n *normHash) put(b []byte) {
	if len(n.out)+len(b) > cap(n.out) {
		n.h.Write(n.out)
		n.out = n.out[:0]
		if len(b) >= cap(n.out) {
			n.h.Write(b)
			return
		}
	}
	n.out = append(n.out, b...)
}

// sum is the hex SHA-256 of what was written, trailing LFs cut.
func (n *normHash) sum() string {
	if n.cr {
		n.cr = false
		n.text([]byte{'\r'})
	}
	n.h.Write(n.out)
	n.out = n.out[:0]
	return hex.EncodeToString(n.h.Sum(nil))
}

// KeyDigest works out, from a message written to it in pieces of any
// size as it is fetched, what IdempotencyKeyOf would read the message
// again for: the normalised hash of the body after the first CRLF CRLF.
// Key then gives the key without reading anything. The zero value is
// ready; Write never fails.
type KeyDigest struct {
	n     int64     // bytes written
	match int       // bytes of crlf2 matched at the end of what was written (before the body)
	body  *normHash // of the body; nil until crlf2 was seen
	sum   string    // body's sum, once taken
}

var crlf2 = []byte("\r\n\r\n")

// Write takes the next piece of the message.
func (d *KeyDigest) Write(p []byte) (int, error) {
	size := len(p)
	d.n += int64(size)
	if d.body == nil {
		i := d.bodyStart(p)
		if i < 0 {
			return size, nil
		}
		d.body = newNormHash()
		p = p[i:]
	}
	d.body.Write(p) //nolint:errcheck // never fails
	return size, nil
}

// bodyStart is the offset in p just past the first CRLF CRLF of the
// message, which may have begun in an earlier piece; -1 when p ends
// before it. It walks the header byte by byte: headers are short.
func (d *KeyDigest) bodyStart(p []byte) int {
	for i, c := range p {
		switch {
		case c == crlf2[d.match]:
			d.match++
		case c == '\r':
			d.match = 1
		default:
			d.match = 0
		}
		if d.match == len(crlf2) {
			return i + 1
		}
	}
	return -1
}

// Key is IdempotencyKeyOf the message written, of size bytes, with the
// given Message-ID; false when it cannot tell without reading the
// message: it was not size bytes, it has no Message-ID (the key is then
// of the whole message) or no CRLF CRLF (the key then depends on another
// separator). Key may be asked more than once.
func (d *KeyDigest) Key(messageID string, size int64) (string, bool) {
	if messageID == "" || d.body == nil || d.n != size {
		return "", false
	}
	if d.sum == "" {
		d.sum = d.body.sum()
	}
	return midKey(messageID, d.sum), true
}
