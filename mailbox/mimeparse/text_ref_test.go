package mimeparse

import (
	"strings"
	"testing"
)

// refJoinTexts is joinTexts as it was before it was built in one buffer,
// kept as the reference.
func refJoinTexts(ts []string) string {
	var parts []string
	for _, t := range ts {
		t = strings.ReplaceAll(t, "\r\n", "\n")
		t = strings.ReplaceAll(t, "\r", "\n")
		lines := strings.Split(t, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " \t")
		}
		if t = strings.TrimRight(strings.Join(lines, "\n"), "\n"); strings.TrimSpace(t) != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n")
}

// sameJoin fails the test when joinTexts and refJoinTexts differ for ts.
func sameJoin(t *testing.T, ts []string) {
	t.Helper()
	if got, want := joinTexts(ts), refJoinTexts(ts); got != want {
		t.Fatalf("joinTexts(%q) = %q, the reference says %q", ts, got, want)
	}
}

func TestJoinTextsAsBefore(t *testing.T) {
	texts := []string{"", " ", "\n", "\r", "\r\n", "\r\r\n", "\n\r", "a", "a \t", "a\r\nb \r\n\r\n", "a\rb\r", " \u00a0\n",
		"\u00a0", "Hej \t\r\n\tdå\t\n\n\n", "\xff \r\n", "x\r\n\r\n\r\n", "\r\n\r\ny", "  \n  \n a"}
	for _, a := range texts {
		sameJoin(t, []string{a})
		for _, b := range texts {
			sameJoin(t, []string{a, b})
			sameJoin(t, []string{a, b, a})
		}
	}
	sameJoin(t, nil)
}

func FuzzJoinTexts(f *testing.F) {
	f.Add("a\r\nb \r\n", " \n", "c\rd")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		sameJoin(t, []string{a, b, c})
		sameJoin(t, strings.Split(a, b))
	})
}

// An encoded word in a charset the mime package does not know itself is
// decoded whole, however much longer than smallCopy's buffer.
func TestEncodedWordLongerThanCopyBuffer(t *testing.T) {
	p := &parser{}
	got := p.text("=?windows-1252?q?" + strings.Repeat("G=F6ran=80_", 300) + "?=")
	if want := strings.Repeat("Göran€ ", 300); got != want || len(p.problems) > 0 {
		t.Fatalf("text = %q (problems %q), want %q", trimQ(got), p.problems, trimQ(want))
	}
}
