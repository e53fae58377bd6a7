package pii

import (
	"strings"
	"testing"
	"time"
)

func TestRedactHostileInputsStayFast(t *testing.T) {
	r := New()
	for _, in := range []string{
		strings.Repeat("a", 100000) + "@",
		strings.Repeat("a@", 50000),
		strings.Repeat("a.", 50000) + "@b.se",
		strings.Repeat("(at)", 25000),
		strings.Repeat("a (at) ", 15000),
		strings.Repeat("x punkt ", 12000) + "(at) b.se",
		strings.Repeat("1", 100000),
		strings.Repeat("1 ", 50000),
		strings.Repeat("1-", 50000),
		strings.Repeat("Anna ", 20000),
		strings.Repeat("Mvh ", 20000),
		strings.Repeat("a:b:", 25000),
		strings.Repeat("ab:", 30000),
		strings.Repeat("Storgatan ", 10000),
		strings.Repeat("<a@b.se>", 10000),
		strings.Repeat("\n", 100000),
	} {
		t0 := time.Now()
		r.Redact(in, Options{KnownNames: []string{"Anna Ek"}})
		r.Describe(in, in, Options{})
		if d := time.Since(t0); d > 5*time.Second {
			t.Errorf("%q...: %v", in[:20], d)
		}
	}
}
