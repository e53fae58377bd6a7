package smtpsend

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"net"
	"net/textproto"
	"slices"
	"testing"
)

// captureConn is a net.Conn that only records what is written to it.
type captureConn struct {
	net.Conn
	b      bytes.Buffer
	writes int
}

func (c *captureConn) Write(p []byte) (int, error) {
	c.writes++
	return c.b.Write(p)
}

// viaTextproto is what go-smtp's DATA writer (net/textproto's DotWriter)
// sends for chunks, its terminator included.
func viaTextproto(chunks [][]byte) []byte {
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	dw := textproto.NewWriter(bw).DotWriter()
	for _, c := range chunks {
		dw.Write(c)
	}
	dw.Close()
	return out.Bytes()
}

// viaStuffer is what dotStuffer sends for chunks.
func viaStuffer(chunks [][]byte) []byte {
	cc := &captureConn{}
	w := newWire(cc)
	d := newDotStuffer(w)
	for _, c := range chunks {
		d.Write(c)
	}
	d.Close()
	w.flush()
	return cc.b.Bytes()
}

// splitAt cuts b into chunks at random places.
func splitAt(rng *rand.Rand, b []byte) [][]byte {
	var chunks [][]byte
	for len(b) > 0 {
		n := 1 + rng.IntN(len(b))
		if rng.IntN(3) == 0 {
			n = min(len(b), 1+rng.IntN(3)) // tiny pieces: boundaries inside CRLF
		}
		chunks = append(chunks, b[:n])
		b = b[n:]
	}
	return chunks
}

// The stuffer sends exactly the bytes textproto's DotWriter sends, for
// any input cut anywhere: leading dots, bare LF, bare CR, CR runs, CRLF
// split between writes, a body without a final line break, an empty body.
func TestDotStufferSameAsTextproto(t *testing.T) {
	fixed := []string{
		"", ".", "\n", "\r", "\r\n", ".\r\n", "..\r\n", "a\r\n.\r\nb\r\n", "a\n.b\n", "a\r\r\n", "a\r\r\r\n",
		"\r\r\r\r\n", "x\ry\r\n", ".\r.\n.", "Subject: x\r\n\r\n.hej\r\n..\r\n", "no newline at end", "a\r", "a\r\r",
	}
	for _, s := range fixed {
		for cut := 0; cut <= len(s); cut++ {
			chunks := [][]byte{[]byte(s[:cut]), []byte(s[cut:])}
			if got, want := viaStuffer(chunks), viaTextproto(chunks); !bytes.Equal(got, want) {
				t.Errorf("%q cut at %d: stuffer sends %q, textproto %q", s, cut, got, want)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab.\r\n\r\n.\xe5")
	for i := range 3000 {
		b := make([]byte, rng.IntN(200))
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		chunks := splitAt(rng, b)
		if got, want := viaStuffer(chunks), viaTextproto(chunks); !bytes.Equal(got, want) {
			t.Fatalf("case %d, %q in %d chunks: stuffer sends %q, textproto %q", i, b, len(chunks), got, want)
		}
	}
}

// A 2 MB body goes out in a few dozen writes, not one per 4 KiB.
func TestWireGathersWrites(t *testing.T) {
	line := bytes.Repeat([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n"), 1)
	body := bytes.Repeat(line, 2<<20/len(line))
	cc := &captureConn{}
	w := newWire(cc)
	d := newDotStuffer(w)
	for c := range slices.Chunk(body, 32<<10) {
		d.Write(c)
	}
	d.Close()
	w.flush()
	if want := viaTextproto([][]byte{body}); !bytes.Equal(cc.b.Bytes(), want) {
		t.Fatalf("sent %d bytes, not textproto's %d", cc.b.Len(), len(want))
	}
	if cc.writes > len(body)/(32<<10)+2 {
		t.Errorf("%d writes for %d bytes, want at most one per 32 KiB", cc.writes, len(body))
	}
}

// The wire drops exactly go-smtp's empty-writer terminator once, and fails
// on anything else.
func TestWireSwallowsOnlyTheTerminator(t *testing.T) {
	cc := &captureConn{}
	w := newWire(cc)
	w.expectTerminator()
	if _, err := w.Write([]byte("\r\n.\r\n")); err != nil {
		t.Fatalf("terminator: %v", err)
	}
	w.Write([]byte("QUIT\r\n"))
	w.flush()
	if got := cc.b.String(); got != "QUIT\r\n" {
		t.Errorf("sent %q, want only QUIT", got)
	}
	w = newWire(&captureConn{})
	w.expectTerminator()
	if _, err := w.Write([]byte(".\r\n")); err != errTerminator {
		t.Errorf("other terminator: err = %v, want errTerminator", err)
	}
	if _, err := w.Read(make([]byte, 1)); err != errTerminator {
		t.Errorf("read after it: err = %v, want errTerminator", err)
	}
}

// discardConn is a net.Conn that drops what is written to it.
type discardConn struct{ net.Conn }

func (discardConn) Write(p []byte) (int, error) { return len(p), nil }

// benchBody is a 2 MB base64 attachment's worth of 76-byte lines.
func benchBody() []byte {
	return bytes.Repeat([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n"), 2<<20/74)
}

// The DATA writer go-smtp has: textproto's DotWriter over a 4 KiB bufio.
func BenchmarkDataTextproto(b *testing.B) {
	body := benchBody()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		dw := textproto.NewWriter(bufio.NewWriter(discardConn{})).DotWriter()
		for c := range slices.Chunk(body, 32<<10) {
			dw.Write(c)
		}
		dw.Close()
	}
}

// The one data uses: dotStuffer into a wire.
func BenchmarkDataStuffer(b *testing.B) {
	body := benchBody()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		w := newWire(discardConn{})
		d := newDotStuffer(w)
		for c := range slices.Chunk(body, 32<<10) {
			d.Write(c)
		}
		d.Close()
		w.flush()
	}
}
