package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text returns s fit to print in a line of plain-text output for people (a
// terminal, a table, a log file read with less): every character that
// could drive a terminal or forge a line or column is replaced by a
// visible escape. That is C0 and C1 control characters and DEL (ESC, BEL,
// CR, LF, TAB …, shown as \x1b, \a, \r, \n, \t, \u0085), Unicode line and
// paragraph separators and bidirectional controls (shown as \u2028,
// \u202e), and invalid UTF-8 (shown as \xff). Everything else, including
// backslashes and all letters, is printed as it is.
//
// Every string that comes from a message or a remote server and reaches
// human output goes through Text; JSON output needs no such escaping, since
// encoding/json escapes control characters itself, and HTML output uses
// html/template.
func Text(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			b.WriteString(escapeRune(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// needsEscape reports whether Text has anything to replace in s.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || unsafeRune(r) {
			return true
		}
		i += n
	}
	return false
}

// unsafeRune reports whether r must not reach a terminal as it is.
func unsafeRune(r rune) bool {
	switch {
	case unicode.IsControl(r): // C0, DEL, C1
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separator
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, // bidi marks
		0x202a <= r && r <= 0x202e, // bidi embeddings and overrides
		0x2066 <= r && r <= 0x2069: // bidi isolates
		return true
	}
	return false
}

// escapeRune is the visible form of an unsafe rune, as in a Go string
// literal (\a, \x1b, \u0085, \u202e): every unsafe rune is below
// U+10000, so strconv writes it in those forms.
func escapeRune(r rune) string {
	q := strconv.QuoteRune(r)
	return q[1 : len(q)-1]
}
