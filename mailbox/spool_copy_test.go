package mailbox

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// copyDigesting hands the file and the digest the same bytes in the same
// order, whatever the reads return (short reads, a size at a chunk
// boundary, nothing at all), and reports a failed read or write.
func TestCopyDigestingFileAndDigestAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, spoolChunk - 1, spoolChunk, spoolChunk + 1, spoolChunks * spoolChunk, 3*spoolChunks*spoolChunk + 17} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		for name, r := range map[string]io.Reader{
			"whole":    bytes.NewReader(data),
			"one byte": iotest.OneByteReader(bytes.NewReader(data)),
			"halves":   iotest.HalfReader(bytes.NewReader(data)),
		} {
			var file bytes.Buffer
			h := sha256.New()
			n, err := copyDigesting(&file, h, r)
			if err != nil || n != int64(size) {
				t.Fatalf("%d bytes, %s: copyDigesting = %d, %v", size, name, n, err)
			}
			if !bytes.Equal(file.Bytes(), data) {
				t.Errorf("%d bytes, %s: the file differs from the literal", size, name)
			}
			if want := sha256.Sum256(data); !bytes.Equal(h.Sum(nil), want[:]) {
				t.Errorf("%d bytes, %s: the digest saw other bytes than the literal", size, name)
			}
		}
	}
	boom := errors.New("connection reset")
	if _, err := copyDigesting(io.Discard, io.Discard, iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("copyDigesting(failing reader) = %v, want %v", err, boom)
	}
	full := errors.New("no space left on device")
	if _, err := copyDigesting(failingWriter{full}, io.Discard, bytes.NewReader(make([]byte, 3*spoolChunk))); !errors.Is(err, full) {
		t.Errorf("copyDigesting(failing file) = %v, want %v", err, full)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }
