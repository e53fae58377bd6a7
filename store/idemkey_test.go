package store

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// hashNormalizedCopying is the definition hashNormalized streams: CRLF as
// LF, trailing LFs cut off, hashed.
func hashNormalizedCopying(b []byte) string {
	s := strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// The streaming hash gives the same keys as the copying one, so ledgers
// written before it still recognise their messages.
func TestHashNormalizedMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("\r\na")
	cases := []string{"", "\n", "\r\n", "a\r\r\n", "a\r\n\n", "a\r", "\r\r\n\n\r", strings.Repeat("ab\r\n", 20000) + "\r\n\r\n"}
	for range 5000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(3)]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		if got, want := hashNormalized([]byte(c)), hashNormalizedCopying([]byte(c)); got != want {
			t.Fatalf("hashNormalized(%q) = %s, want %s", c, got, want)
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
