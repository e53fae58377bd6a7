package mimeparse

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"testing"
)

// refLean is Lean as it was before its writing was made faster, kept as
// the reference of what a Lean copy keeps: the same lines, the same
// elisions. It classifies lines with Lean's own base64Line and
// binaryType, which that work left as they were.
type refLean struct {
	data                   []byte
	elided                 []elision
	partial                []byte
	run                    int64
	held                   []byte
	heldC                  int64
	pending, pendingB      int64
	ctSeen, ctText, binary bool
}

func (l *refLean) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.partial = append(l.partial, b...)
			break
		}
		line := b[:i+1]
		if len(l.partial) > 0 {
			l.partial = append(l.partial, line...)
			line = l.partial
		}
		l.line(line)
		l.partial = l.partial[:0]
		b = b[i+1:]
	}
	return n, nil
}

// line takes one whole line, ending in LF.
func (l *refLean) line(line []byte) {
	chars, ok := base64Line(line)
	if !ok {
		l.endRun()
		l.header(line)
		l.data = append(l.data, line...)
		return
	}
	l.run += int64(len(line))
	keep := int64(LeanKeep)
	if l.binary {
		keep = LeanKeepBinary
	}
	if l.run <= keep {
		l.data = append(l.data, line...)
		return
	}
	if l.held != nil {
		l.pending += l.heldC
		l.pendingB += int64(len(l.held))
	}
	l.held, l.heldC = append(l.held[:0], line...), chars
}

// header notes what a line that is not base64 says of the type of the
// body that follows the next blank line.
func (l *refLean) header(line []byte) {
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

// endRun places the held last line of an elided run and records the
// elision before it.
func (l *refLean) endRun() {
	if l.held != nil {
		if l.pending > 0 {
			l.elided = append(l.elided, elision{at: len(l.data), chars: l.pending, bytes: l.pendingB})
		}
		l.data = append(l.data, l.held...)
	}
	l.run, l.held, l.heldC, l.pending, l.pendingB = 0, nil, 0, 0, 0
}

// close ends the reference copy as Lean.Close does.
func (l *refLean) close() {
	l.endRun()
	l.data = append(l.data, l.partial...)
	l.partial = nil
}

// sameAsRefLean fails the test when raw, written in pieces of n bytes,
// makes a Lean copy other than the reference's.
func sameAsRefLean(t *testing.T, name string, raw []byte, n int) *Lean {
	t.Helper()
	ref := &refLean{}
	for rest := raw; len(rest) > 0; {
		k := min(n, len(rest))
		ref.Write(rest[:k])
		rest = rest[k:]
	}
	ref.close()
	l := leanOf(raw, n)
	if !bytes.Equal(l.data, ref.data) {
		i := 0
		for i < min(len(l.data), len(ref.data)) && l.data[i] == ref.data[i] {
			i++
		}
		t.Fatalf("%s in %d-byte pieces: Lean keeps %d bytes, the reference %d; first difference at %d", name, n, len(l.data), len(ref.data), i)
	}
	if !reflect.DeepEqual(l.elided, ref.elided) {
		t.Fatalf("%s in %d-byte pieces: elisions %+v, the reference %+v", name, n, l.elided, ref.elided)
	}
	return l
}

// Lean keeps what it kept before it was made faster, on every message of
// the corpus and on big made-up ones, written in pieces of many sizes.
func TestLeanAsBefore(t *testing.T) {
	var attachment bytes.Buffer
	attachment.WriteString("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n")
	for i := range 3000 { // lines of many lengths, some with CR, some with a stray byte
		line := bytes.Repeat([]byte("QUJD"), 8+i%13)
		switch {
		case i%101 == 0:
			line[len(line)/2] = '*'
		case i%103 == 0:
			line[3] = 0xC3
		}
		attachment.Write(line)
		if i%7 == 0 {
			attachment.WriteByte('\r')
		}
		attachment.WriteByte('\n')
		if i%1000 == 999 {
			attachment.WriteString("\n--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n")
		}
	}
	attachment.WriteString("--b--\n")
	made := map[string][]byte{
		"big CRLF":    bigMessage("\r\n", 5<<20, 1<<20),
		"big LF":      bigMessage("\n", 100, 2<<20),
		"latin1":      latin1Letter(),
		"attachments": attachment.Bytes(),
	}
	elided := 0
	for name, raw := range made {
		for _, n := range []int{97, 4 << 10, 32<<10 + 7, 256 << 10} {
			if sameAsRefLean(t, name, raw, n).Elided() {
				elided++
			}
		}
	}
	dir := corpusDir(t)
	for _, f := range corpusFiles(t, dir) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 97, 4 << 10, 256 << 10} {
			if n == 1 && len(raw) > 256<<10 {
				continue
			}
			if sameAsRefLean(t, fmt.Sprint(f), raw, n).Elided() {
				elided++
			}
		}
	}
	if elided == 0 {
		t.Error("nothing elided: the comparison proves little")
	}
	t.Logf("%d copies with lines elided", elided)
}
