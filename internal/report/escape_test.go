package report

import (
	"strconv"
	"testing"
)

// Every unsafe rune escapes as a Go string literal writes it, in ASCII:
// a named escape (\a), \xHH or \uHHHH, which reads back as the rune.
func TestEscapeRuneForms(t *testing.T) {
	for r := rune(0); r <= 0x10ffff; r++ {
		if !unsafeRune(r) {
			continue
		}
		e := escapeRune(r)
		back, err := strconv.Unquote(`"` + e + `"`)
		if n := len(e); err != nil || back != string(r) || (n != 2 && n != 4 && n != 6) || e[0] != '\\' {
			t.Errorf("escapeRune(%U) = %s, reads back as %q, %v", r, e, back, err)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Snöröjning på Storgatan", "Snöröjning på Storgatan"},
		{"", ""},
		{"a\x1b[2J\x1b[31mb", `a\x1b[2J\x1b[31mb`},
		{"bild\x1b[2J\a.jpg\r\n  2. forged", `bild\x1b[2J\a.jpg\r\n  2. forged`},
		{"col\tumn", `col\tumn`},
		{"del\x7f", `del\x7f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"osc \x1b]0;title\a", `osc \x1b]0;title\a`},
		{"bidi \u202egpj.exe", `bidi \u202egpj.exe`},
		{"isolate \u2066x\u2069", `isolate \u2066x\u2069`},
		{"line\u2028sep", `line\u2028sep`},
		{"bad \xff utf-8", `bad \xff utf-8`},
		{`back\slash`, `back\slash`},
		{"emoji 👍🏽 and ZWJ 👩‍💻", "emoji 👍🏽 and ZWJ 👩‍💻"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"Hej", "\x1b[2J", "a\r\nb", "\u202e", "\xff\xfe", "\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range Text(s) {
			if unsafeRune(r) || r == 0xfffd && !containsRune(s, 0xfffd) {
				t.Fatalf("Text(%q) = %q: contains %U", s, Text(s), r)
			}
		}
	})
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}
