package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// The idempotency keys of messages already in a ledger must never change:
// the copy-free hashNormalized and body give the same keys as the
// string-based originals they replaced, on line-ending edge cases and on
// random mixes of CR, LF and text.
func TestIdempotencyKeyUnchanged(t *testing.T) {
	oldBody := func(raw []byte) []byte {
		s := string(raw)
		for _, sep := range []string{"\r\n\r\n", "\n\n", "\r\r"} {
			if i := strings.Index(s, sep); i >= 0 {
				return raw[i+len(sep):]
			}
		}
		return nil
	}
	oldHash := func(b []byte) string {
		h := sha256.New()
		s := strings.ReplaceAll(string(b), "\r\n", "\n")
		h.Write([]byte(strings.TrimRight(s, "\n")))
		return hex.EncodeToString(h.Sum(nil))
	}
	oldKey := func(id string, raw []byte) string {
		if id == "" {
			return "raw:" + oldHash(raw)
		}
		return "mid:" + id + ":" + oldHash(oldBody(raw))
	}
	cases := []string{"", "\n", "\r\n", "\r", "\r\r\n", "a\r\r\n\n", "a\n\r\n\r\n", "\r\n\r\nx", "x\r\n\r\nb\r\n", "a\rb\n\nc\r\r", "\n\r", "x\r\n\r"}
	cases = append(cases, lineEndNoise(rand.New(rand.NewPCG(1, 2)), "\r\na ", 24)...)
	for _, c := range cases {
		for _, id := range []string{"", "<m@x>"} {
			if got, want := IdempotencyKey(id, []byte(c)), oldKey(id, []byte(c)); got != want {
				t.Fatalf("IdempotencyKey(%q, %q) = %s, want %s", id, c, got, want)
			}
		}
	}
}

// Hashing a big message does not copy it.
func TestIdempotencyKeyDoesNotCopy(t *testing.T) {
	raw := []byte("Message-ID: <x@y>\r\nSubject: s\r\n\r\n" + strings.Repeat("QUJD\r\n", 1<<20))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	IdempotencyKey("x@y", raw)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("IdempotencyKey of a %d-byte message allocated %d bytes, want well under its size", len(raw), n)
	}
}

// normHash gives hashNormalized's hash however the message is cut into
// pieces: a CRLF, a lone CR or a run of trailing LFs split across writes.
func TestNormHashAcrossPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	inputs := []string{"", "\r", "\n", "\r\n", "a\r", "\r\r\n", "a\n\n\r", "a\r\n\r\nb", strings.Repeat("\n", 70000) + "x" + strings.Repeat("\r\n", 40000)}
	inputs = append(inputs, lineEndNoise(rng, "\r\na \n", 30)...)
	for _, in := range inputs {
		want := hashNormalized([]byte(in))
		for _, maxPiece := range []int{1, 2, 3, 7, 1 << 20} {
			n := newNormHash()
			for rest := []byte(in); len(rest) > 0; {
				k := min(1+rng.IntN(maxPiece), len(rest))
				n.Write(rest[:k])
				rest = rest[k:]
			}
			if got := n.sum(); got != want {
				t.Fatalf("normHash of %q in pieces of up to %d = %s, want %s", in, maxPiece, got, want)
			}
		}
	}
}

// BenchmarkHashNormalizedOf hashes a 1.4 MB message of base64 lines (an
// attachment) read in pieces, as the intake of a spooled message does.
func BenchmarkHashNormalizedOf(b *testing.B) {
	raw := []byte("Message-ID: <x@y>\r\nSubject: s\r\n\r\n" + strings.Repeat(strings.Repeat("QUJD", 19)+"\r\n", 18000))
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := hashNormalizedOf(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

// lineEndNoise is 5000 random strings shorter than maxLen of the bytes of
// alphabet: CRs, LFs and a few others, the inputs where line-end
// normalisation goes wrong.
func lineEndNoise(rng *rand.Rand, alphabet string, maxLen int) []string {
	out := make([]string, 0, 5000)
	for range 5000 {
		b := make([]byte, rng.IntN(maxLen))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		out = append(out, string(b))
	}
	return out
}

// KeyDigest, written in pieces of any size, gives IdempotencyKeyOf's key
// whenever it gives one, and gives one for every message with a
// Message-ID and a CRLF CRLF.
func TestKeyDigestAgreesWithIdempotencyKeyOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cases := []string{"", "\r\n\r\n", "a\r\n\r\n", "a\r\r\n\r\nb\r\n", "a\r\n\r\r\n\r\n\r\nb", "h: v\r\n\r\nbody\r\n\r\n\r\n", "h\n\nb\r\n\r\nc", "no separator\r\n"}
	cases = append(cases, lineEndNoise(rng, "\r\na ", 24)...)
	for _, c := range cases {
		raw := []byte(c)
		for _, id := range []string{"", "<m@x>"} {
			want, err := IdempotencyKeyOf(id, bytes.NewReader(raw), int64(len(raw)))
			if err != nil {
				t.Fatal(err)
			}
			for _, piece := range []int{1, 2, 3, 5, 64} {
				var d KeyDigest
				for off := 0; off < len(raw); off += piece {
					b := raw[off:min(off+piece, len(raw))]
					if n, err := d.Write(b); n != len(b) || err != nil {
						t.Fatalf("KeyDigest.Write of %d bytes = %d, %v", len(b), n, err)
					}
				}
				got, ok := d.Key(id, int64(len(raw)))
				if wantOK := id != "" && bytes.Contains(raw, crlf2); ok != wantOK {
					t.Fatalf("KeyDigest(%q) in pieces of %d: ok = %v, want %v", c, piece, ok, wantOK)
				}
				if ok && got != want {
					t.Fatalf("KeyDigest(%q) in pieces of %d = %s, want %s", c, piece, got, want)
				}
				if again, _ := d.Key(id, int64(len(raw))); again != got {
					t.Fatalf("KeyDigest(%q): Key asked again = %s, want %s", c, again, got)
				}
				if _, ok := d.Key(id, int64(len(raw))+1); ok {
					t.Fatalf("KeyDigest(%q): a key for another size", c)
				}
			}
		}
	}
}
