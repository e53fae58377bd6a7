package store

import (
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
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{'\r', '\n', 'a', ' '}
	for range 5000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
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
