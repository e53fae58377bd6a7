package notify

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// OriginalScan agrees with passesUnchanged on whether an original passes
// unchanged, and on a clean one reports a byte ≥ 0x80 exactly when there
// is one, whatever the size of the pieces it is written in.
func TestScanOriginalAgreesWithPassesUnchanged(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	long := string(bytes.Repeat([]byte("x"), maxLine-2))
	pieces := []string{"a", "\r\n", "\n", "\r", "\xe5", "hej\r\n", long, long + "y", "\r\n\r\n"}
	for i := range 4000 {
		var b []byte
		for range 1 + rng.IntN(12) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		if i%5 == 0 { // mostly clean ones
			b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r"), nil), []byte("\n"), []byte("\r\n"))
		}
		if len(b) == 0 {
			continue // ForwardRefFrom refuses an empty original before the scan
		}
		for _, bufSize := range []int{1, 2, 3, 7, 64, 64 << 10} {
			sc, err := scanOriginalBuf(io.NewSectionReader(bytes.NewReader(b), 0, int64(len(b))), bufSize)
			if err != nil {
				t.Fatalf("scanOriginalBuf(%q, %d) = %v", b, bufSize, err)
			}
			clean, eightBit := sc.Result()
			if want := passesUnchanged(b); clean != want {
				t.Fatalf("scanOriginalBuf(%q, %d): clean = %v, passesUnchanged = %v", b, bufSize, clean, want)
			}
			if want := bytes.ContainsFunc(b, func(r rune) bool { return r >= 0x80 }); clean && eightBit != want {
				t.Fatalf("scanOriginalBuf(%q, %d): eightBit = %v, want %v", b, bufSize, eightBit, want)
			}
		}
	}
}

func TestHasHighBit(t *testing.T) {
	for n := range 80 {
		b := bytes.Repeat([]byte{'a'}, n)
		if hasHighBit(b) {
			t.Fatalf("hasHighBit(%d × 'a') = true", n)
		}
		for i := range n {
			c := bytes.Clone(b)
			c[i] = 0x80
			if !hasHighBit(c) {
				t.Fatalf("hasHighBit with 0x80 at %d of %d = false", i, n)
			}
		}
	}
}

// A 2 MB original of 76-byte lines, as a base64 attachment has.
func BenchmarkScanOriginal(b *testing.B) {
	orig := bytes.Repeat([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n"), 2<<20/74)
	r := io.NewSectionReader(bytes.NewReader(orig), 0, int64(len(orig)))
	b.SetBytes(int64(len(orig)))
	for b.Loop() {
		sc, err := scanOriginalBuf(r, 64<<10)
		if err != nil {
			b.Fatal(err)
		}
		if clean, _ := sc.Result(); !clean {
			b.Fatal("not clean")
		}
	}
}
