package mailbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/emersion/go-imap/v2"

	"github.com/exempelby/synpunkt/mailbox/mimeparse"
)

// spoolIt reports whether the literal of a whole-message fetch goes to a
// file (Config.SpoolDir) rather than into memory.
func (s *session) spoolIt(r imap.LiteralReader, section *imap.FetchItemBodySection) bool {
	return r != nil && section == wholeBody && s.in.cfg.SpoolDir != "" && s.in.cfg.SpoolMin > 0 && r.Size() >= s.in.cfg.SpoolMin
}

// spoolLiteral streams a literal into a new temporary file of the spool
// directory, hashing it, keeping a Lean copy and writing it to the
// Handler's digest (when it is a Digester) on the way, and returns
// the file open for reading. A crash leaves the file to the store's sweep
// at start-up (its name holds ".tmp-").
//
// Two goroutines share the work, since one could not keep up with the
// connection: this one reads the literal and writes the file, a second
// one (see copyDigesting) hashes, digests and keeps the Lean copy of the
// same chunks, in order, and hands each chunk back once done with it.
func (s *session) spoolLiteral(r imap.LiteralReader) (*mimeparse.RawFile, error) {
	if err := os.MkdirAll(s.in.cfg.SpoolDir, 0o700); err != nil {
		return nil, fmt.Errorf("spool a literal: %w", err)
	}
	f, err := os.CreateTemp(s.in.cfg.SpoolDir, "fetch.tmp-*")
	if err != nil {
		return nil, fmt.Errorf("spool a literal: %w", err)
	}
	h, lean := sha256.New(), &mimeparse.Lean{}
	ws := []io.Writer{h, lean}
	var digest io.Writer
	if d, ok := s.in.handler.(Digester); ok {
		digest = d.NewDigest()
		ws = append(ws, digest)
	}
	n, err := copyDigesting(f, io.MultiWriter(ws...), r)
	if err == nil && n != r.Size() {
		err = fmt.Errorf("%d of %d bytes", n, r.Size())
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	lean.Close()
	rf := &mimeparse.RawFile{Path: f.Name(), File: f, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), Lean: lean, Digest: digest}
	if err != nil {
		removeRawFile(rf)
		return nil, fmt.Errorf("spool a literal of %d bytes: %w", r.Size(), err)
	}
	return rf, nil
}

// spoolChunk is the size of the chunks spoolLiteral reads, and
// spoolChunks how many are in flight between its two goroutines.
const (
	spoolChunk  = 64 << 10
	spoolChunks = 4
)

// chunkBufs are spoolLiteral's chunks, spoolChunks to a set.
var chunkBufs = sync.Pool{New: func() any {
	set := make([][]byte, spoolChunks)
	for i := range set {
		set[i] = make([]byte, spoolChunk)
	}
	return &set
}}

// copyDigesting copies r to file and, on a goroutine of its own, to
// digest (which must not fail), chunk by chunk in order, and returns the
// bytes copied. It returns only once digest has taken everything copied.
func copyDigesting(file io.Writer, digest io.Writer, r io.Reader) (int64, error) {
	set := chunkBufs.Get().(*[][]byte)
	defer chunkBufs.Put(set)
	free := make(chan []byte, spoolChunks)
	for _, b := range *set {
		free <- b[:cap(b)]
	}
	work := make(chan []byte, spoolChunks)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range work {
			digest.Write(b) //nolint:errcheck // must not fail (Digester)
			free <- b[:cap(b)]
		}
	}()
	var n int64
	var err error
	for {
		b := <-free
		k, rerr := io.ReadFull(r, b)
		if k > 0 {
			work <- b[:k]
			if _, werr := file.Write(b[:k]); werr != nil {
				err = werr
				break
			}
			n += int64(k)
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
	}
	close(work)
	<-done
	return n, err
}

// removeRawFile closes and removes the file.
func removeRawFile(f *mimeparse.RawFile) {
	f.File.Close()
	os.Remove(f.Path)
}

// dropFiles removes the files of the batch's messages: handled, they are
// either committed (the store linked what it keeps) or offered again.
func (s *session) dropFiles(batch []meta) {
	for _, m := range batch {
		if f, ok := s.files.LoadAndDelete(m.uid); ok {
			removeRawFile(f.(*mimeparse.RawFile))
		}
	}
}

// syncFile starts writing the file of the fetched message uid (if it was
// fetched into one) to disk — fsync, on a goroutine of its own, at most
// two per intake at once — and does not wait. The store fsyncs a file it
// keeps before its commit anyway; started as soon as the message is
// fetched, while the batch before is still being registered, the store's
// fsync finds the data on disk already, or on its way, and the commit
// does not wait for megabytes of attachments to be written. A failure is
// left for the store's own fsync to meet, and a file removed meanwhile
// (its batch was handled) is no harm.
func (s *session) syncFile(uid uint32) {
	if s.in.syncSlots == nil {
		return // an Intake not made by New
	}
	v, ok := s.files.Load(uid)
	if !ok {
		return
	}
	f := v.(*mimeparse.RawFile)
	go func() {
		s.in.syncSlots <- struct{}{}
		defer func() { <-s.in.syncSlots }()
		f.File.Sync() // the store's fsync reports a failure
	}()
}
