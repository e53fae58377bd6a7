package smtpsend

import (
	"bytes"
	"errors"
	"net"
)

// wireBuf is how many bytes a wire gathers before it writes them: a 2 MB
// forward goes out in 32 writes instead of go-smtp's 512 (its text
// writer flushes every 4 KiB).
const wireBuf = 64 << 10

// wire is the connection under go-smtp's client. It gathers what the
// client writes and sends it when the client next reads (it waits for a
// reply: every SMTP step but the message body ends in one) or when
// wireBuf bytes have piled up, so a command or a message body costs few
// write system calls. A write error is kept and returned by the read that
// follows (and by every later write), which is where go-smtp would see a
// lost connection anyway.
//
// When the wire carries the plain SMTP text (no TLS, or over implicit TLS),
// data writes the message body into it directly, dot-stuffed by
// dotStuffer, and go-smtp's own, byte-at-a-time DATA writer carries
// nothing; see expectTerminator.
type wire struct {
	net.Conn
	buf []byte
	err error
	// swallow is the exact write go-smtp's DATA writer makes on Close when
	// nothing was written through it; the wire drops it, since the body and
	// its real terminator are already in buf.
	swallow []byte
}

// newWire wraps c. Its buffer grows as needed up to wireBuf, so a
// connection that sends a 3 KB receipt does not allocate 64 KiB.
func newWire(c net.Conn) *wire { return &wire{Conn: c} }

// errTerminator means go-smtp ended DATA with other bytes than those it
// has always written for an empty DATA writer: the message is not sent.
var errTerminator = errors.New("smtpsend: go-smtp ended DATA unexpectedly; message not sent")

func (w *wire) Write(p []byte) (int, error) {
	if w.swallow != nil {
		ok := bytes.Equal(p, w.swallow)
		w.swallow = nil
		if !ok {
			w.err = errTerminator
		}
		if w.err != nil {
			return 0, w.err
		}
		return len(p), nil
	}
	if w.err != nil {
		return 0, w.err
	}
	if len(w.buf)+len(p) > wireBuf {
		if err := w.flush(); err != nil {
			return 0, err
		}
		if len(p) >= wireBuf {
			n, err := w.Conn.Write(p)
			w.err = err
			return n, err
		}
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// flush writes what was gathered.
func (w *wire) flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) > 0 {
		_, w.err = w.Conn.Write(w.buf)
		w.buf = w.buf[:0]
	}
	return w.err
}

// Read sends what was gathered, then reads.
func (w *wire) Read(p []byte) (int, error) {
	if err := w.flush(); err != nil {
		return 0, err
	}
	return w.Conn.Read(p)
}

// Close sends what was gathered (a TLS close_notify, say) and closes.
func (w *wire) Close() error {
	w.flush() //nolint:errcheck // closing anyway
	return w.Conn.Close()
}

// expectTerminator tells the wire that go-smtp's DATA writer, which
// carried nothing, will now write the terminator it writes for an empty
// body ("\r\n.\r\n", textproto's dotWriter.Close in state begin), to be
// dropped. Anything else fails the send with errTerminator.
func (w *wire) expectTerminator() { w.swallow = []byte("\r\n.\r\n") }

// States of dotStuffer, those of net/textproto's dotWriter.
const (
	dotBegin     = iota // nothing written yet
	dotBeginLine        // at the start of a line
	dotData             // inside a line
	dotCR               // just after a CR that may start a CRLF
)

// dotStuffer writes a message body as net/textproto's DotWriter does
// (RFC 5321 §4.5.2: a line starting with '.' gets another '.'; a LF not
// preceded by CR becomes CRLF; Close ends the body with "." on a line of
// its own), byte for byte the same output, but a line at a time instead of
// a byte at a time. It keeps what it writes in out and hands it to w in
// large pieces.
type dotStuffer struct {
	w     *wire
	out   []byte
	state int
}

func newDotStuffer(w *wire) *dotStuffer {
	return &dotStuffer{w: w, state: dotBegin} // out grows as needed
}

func (d *dotStuffer) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		if (d.state == dotBegin || d.state == dotBeginLine) && b[0] == '.' {
			d.out = append(d.out, '.')
		}
		k := bytes.IndexByte(b, '\n')
		seg := b
		if k >= 0 {
			seg = b[:k]
		}
		d.state = afterSegment(d.state, seg)
		d.out = append(d.out, seg...)
		if k < 0 {
			break
		}
		if d.state != dotCR {
			d.out = append(d.out, '\r')
		}
		d.out = append(d.out, '\n')
		d.state = dotBeginLine
		b = b[k+1:]
		if len(d.out) >= wireBuf-1024 {
			if err := d.flush(); err != nil {
				return 0, err
			}
		}
	}
	if len(d.out) >= wireBuf/2 {
		if err := d.flush(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// afterSegment is the dotWriter's state after seg, which has no LF,
// starting in state st: a CR moves data to cr, any byte moves cr to data.
func afterSegment(st int, seg []byte) int {
	if len(seg) == 0 {
		return st
	}
	m := 0 // CRs at the end of seg
	for m < len(seg) && seg[len(seg)-1-m] == '\r' {
		m++
	}
	if m == len(seg) && st == dotCR {
		// All CRs, the first of them moving cr to data.
		if m%2 == 0 {
			return dotCR
		}
		return dotData
	}
	// The byte before the CRs (or the start of a line) leaves data.
	if m%2 == 1 {
		return dotCR
	}
	return dotData
}

// Close writes the terminator the dotWriter writes in the same state and
// everything still held to the wire.
func (d *dotStuffer) Close() error {
	switch d.state {
	case dotBeginLine:
		d.out = append(d.out, ".\r\n"...)
	case dotCR:
		d.out = append(d.out, "\n.\r\n"...)
	default:
		d.out = append(d.out, "\r\n.\r\n"...)
	}
	return d.flush()
}

func (d *dotStuffer) flush() error {
	_, err := d.w.Write(d.out)
	d.out = d.out[:0]
	return err
}
