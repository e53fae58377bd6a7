package mimeparse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	synpunkt "github.com/exempelby/synpunkt"
)

// RawFile is a raw message kept in a file rather than in memory: a big
// message the IMAP intake streamed to disk, with the SHA-256 and the Lean
// copy taken while it was written. The intake hands it to casework, and
// the store links it into its spool.
type RawFile struct {
	Path   string   // in the store's spool directory, a name holding ".tmp-"
	File   *os.File // open for reading
	Size   int64
	SHA256 string // hex
	Lean   *Lean  // a copy small enough to parse (closed)
	// Digest is what the Handler worked out of the bytes as they were
	// written (mailbox.Digester); nil when none.
	Digest io.Writer
}

// Lean is a copy of a message small enough to parse in memory when the
// message itself is big (a large attachment): written to line by line, it
// keeps every line except the middle of long runs of base64 lines, whose
// alphabet characters it only counts. ParseLean then gives the Message
// Parse would give of the whole message (without Raw): attachment sizes
// are counted with the elided characters, and a text part is decoded from
// what is kept, as Parse never decodes more than the first maxTextPart
// bytes of one, which the kept head of a run always holds.
//
// A run is elided only beyond its first LeanKeep bytes, and its last line
// is always kept, so an elision lies strictly inside one part's body.
type Lean struct {
	data    []byte
	elided  []elision
	partial []byte // a line not yet ended
	run     int64  // bytes of the current run of base64 lines
	// held is the last line of a run being elided, not yet placed: a
	// slice of the bytes being written until Write returns, then of
	// heldBuf (see keepHeld).
	held     []byte
	heldBuf  []byte
	heldC    int64 // its alphabet characters
	pending  int64 // alphabet characters elided from the current run
	pendingB int64 // and bytes, line ends included
	closed   bool
	// The header block since the last blank line: whether it had a
	// Content-Type field, and one that may be text (see binaryType);
	// binary is set at the blank line when it had only binary ones.
	ctSeen, ctText, binary bool
}

// elision is a stretch of base64 lines cut out of a Lean copy before byte
// at of its data, holding chars alphabet characters.
type elision struct {
	at           int
	chars, bytes int64 // alphabet characters, and all bytes
}

// LeanKeep is how many bytes of a run of base64 lines a Lean copy keeps:
// more than a text part's decoding ever reads (maxTextPart decoded bytes,
// 4/3 as many characters, plus line ends).
const LeanKeep = 6 << 20

// LeanKeepBinary is how many bytes of a run of base64 lines a Lean copy
// keeps after a header block whose Content-Type fields all name a binary
// type (image/, application/, audio/, video/, font/, model/): Parse only
// counts the size of such a part.
const LeanKeepBinary = 64 << 10

// minBase64Line is the length from which a line of base64 alphabet only
// counts as part of a run (encoders write 60 to 76 characters).
const minBase64Line = 40

// Write adds bytes of the message. It never fails.
func (l *Lean) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		if l.held != nil && len(l.partial) == 0 {
			if b = l.elide(b); len(b) == 0 {
				break
			}
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.partial = append(l.partial, b...)
			break
		}
		line := b[:i+1]
		if len(l.partial) > 0 {
			l.partial = append(l.partial, line...)
			l.line(l.partial)
			l.keepHeld() // partial is written to again
			l.partial = l.partial[:0]
		} else {
			l.line(line)
		}
		b = b[i+1:]
	}
	l.keepHeld() // b is the caller's
	return n, nil
}

// elide takes from the head of b the whole lines line would elide, in a
// run already being elided, and returns the rest. The lines of a run are
// mostly of one length, so each is looked for at the length of the one
// held before it: a base64 line there, ending in LF, has no LF before its
// end, and is the line that searching for the LF would have found. The
// first line that is not one is left to line.
func (l *Lean) elide(b []byte) []byte {
	held, heldC := l.held, l.heldC // in locals, not written to l per line
	size := len(held)
	for size <= len(b) && b[size-1] == '\n' {
		chars, ok := base64Line(b[:size])
		if !ok {
			break
		}
		l.run += int64(size)
		l.pending += heldC
		l.pendingB += int64(len(held))
		held, heldC = b[:size], chars
		b = b[size:]
	}
	l.held, l.heldC = held, heldC
	return b
}

// keepHeld copies a held line that is a slice of bytes being written into
// heldBuf. Holding each elided line only by reference, and copying the one
// still held when its bytes may change, spares a copy of every line of a
// long run.
func (l *Lean) keepHeld() {
	if l.held != nil && (len(l.heldBuf) == 0 || &l.held[0] != &l.heldBuf[0]) {
		l.heldBuf = append(l.heldBuf[:0], l.held...)
		l.held = l.heldBuf
	}
}

// line takes one whole line, ending in LF.
func (l *Lean) line(line []byte) {
	chars, ok := base64Line(line)
	if !ok {
		l.endRun()
		l.header(line)
		l.keep(line)
		return
	}
	l.run += int64(len(line))
	keep := int64(LeanKeep)
	if l.binary {
		keep = LeanKeepBinary
	}
	if l.run <= keep {
		l.keep(line)
		return
	}
	if l.held != nil {
		l.pending += l.heldC
		l.pendingB += int64(len(l.held))
	}
	l.held, l.heldC = line, chars
}

// keep appends b to the copy. The copy grows by doubling, not by append's
// quarter for big slices: a text message kept whole is copied about once
// on the way rather than four times.
func (l *Lean) keep(b []byte) {
	if n := len(l.data) + len(b); n > cap(l.data) {
		l.data = slices.Grow(l.data, max(n, 2*cap(l.data), 4<<10)-len(l.data))
	}
	l.data = append(l.data, b...)
}

// header notes what a line that is not base64 says of the type of the
// body that follows the next blank line.
func (l *Lean) header(line []byte) {
	if c := line[0]; c != '\r' && c != '\n' && c|0x20 != 'c' {
		return // neither blank nor a Content-Type field: most lines of a text
	}
	t := bytes.TrimRight(line, "\r\n")
	switch {
	case len(t) == 0:
		l.binary = l.ctSeen && !l.ctText
		l.ctSeen, l.ctText = false, false
	case len(t) > 13 && bytes.EqualFold(t[:13], []byte("content-type:")):
		l.ctSeen = true
		l.ctText = l.ctText || !binaryType(t[13:])
	}
}

// binaryType reports whether a Content-Type value names, plainly, a media
// type whose body Parse never decodes; anything else (text/, message/,
// multipart/, a folded or odd value) counts as text, to keep it whole.
func binaryType(v []byte) bool {
	v = bytes.ToLower(bytes.TrimSpace(v))
	for _, p := range []string{"image/", "application/", "audio/", "video/", "font/", "model/"} {
		if bytes.HasPrefix(v, []byte(p)) {
			return true
		}
	}
	return false
}

// endRun places the held last line of an elided run and records the
// elision before it.
func (l *Lean) endRun() {
	if l.held != nil {
		if l.pending > 0 {
			l.elided = append(l.elided, elision{at: len(l.data), chars: l.pending, bytes: l.pendingB})
		}
		l.keep(l.held)
	}
	l.run, l.held, l.heldC, l.pending, l.pendingB = 0, nil, 0, 0, 0
}

// base64Line reports whether line (ending in LF) is a long line of base64
// alphabet only, and how many alphabet characters it holds.
func base64Line(line []byte) (int64, bool) {
	end := len(line) - 1
	if end > 0 && line[end-1] == '\r' {
		end--
	}
	if end < minBase64Line {
		return 0, false
	}
	b := line[:end]
	var bad byte
	for len(b) >= 8 { // eight at a time, one branch for them
		bad |= notBase64[b[0]] | notBase64[b[1]] | notBase64[b[2]] | notBase64[b[3]] |
			notBase64[b[4]] | notBase64[b[5]] | notBase64[b[6]] | notBase64[b[7]]
		if bad != 0 {
			return 0, false
		}
		b = b[8:]
	}
	for _, c := range b {
		bad |= notBase64[c]
	}
	if bad != 0 {
		return 0, false
	}
	return int64(end), true
}

// notBase64 is 1 for a byte outside the base64 alphabet, 0 for one in it.
var notBase64 = func() (t [256]byte) {
	for i, v := range base64Value {
		if v < 0 {
			t[i] = 1
		}
	}
	return t
}()

// Close ends the copy: a last line without LF is kept as it is.
func (l *Lean) Close() error {
	if l.closed {
		return nil
	}
	l.endRun()
	l.data = append(l.data, l.partial...)
	l.partial, l.closed = nil, true
	return nil
}

// Len is the size of the kept copy in bytes.
func (l *Lean) Len() int { return len(l.data) }

// Elided reports whether anything was left out of the copy.
func (l *Lean) Elided() bool { return len(l.elided) > 0 }

// ErrLeanUnfit is returned by ParseLean for a message whose line endings
// Parse would rewrite: the elisions no longer fit, and the caller parses
// the whole message instead.
var ErrLeanUnfit = errors.New("lean copy unfit: line endings rewritten")

// ParseLean parses a closed Lean copy as Parse parses the whole message.
// The Message has no Raw; the caller sets it if it has one.
func ParseLean(l *Lean) (msg *synpunkt.Message, err error) {
	if !l.closed {
		return nil, errors.New("mimeparse: ParseLean of an open Lean")
	}
	if !dontRecover {
		defer func() {
			if r := recover(); r != nil {
				msg, err = nil, fmt.Errorf("%w: internal error: %v", ErrUnparseable, r)
			}
		}()
	}
	p := &parser{lean: l}
	msg, err = p.parse(l.data)
	if p.leanUnfit {
		return nil, ErrLeanUnfit
	}
	if msg != nil {
		msg.Raw = nil
	}
	return msg, err
}

// elidedIn returns the alphabet characters and the bytes elided from
// inside body, a subslice of the Lean copy's data; 0 when not parsing a
// Lean copy.
func (p *parser) elidedIn(body []byte) (chars, n int64) {
	if p.lean == nil || len(p.lean.elided) == 0 {
		return 0, 0
	}
	if len(body) == 0 {
		return 0, 0
	}
	off := cap(p.lean.data) - cap(body) // body is data[off:...]
	if off < 0 || off >= len(p.lean.data) || &p.lean.data[off] != &body[0] {
		p.leanUnfit = true // not a slice of the copy
		return 0, 0
	}
	for _, e := range p.lean.elided {
		if off < e.at && e.at < off+len(body) {
			chars += e.chars
			n += e.bytes
		}
	}
	return chars, n
}
