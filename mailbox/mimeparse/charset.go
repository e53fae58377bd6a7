package mimeparse

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// decodeCharset converts b, declared as label, to valid UTF-8. Labels that
// promise ASCII or UTF-8, and missing or unknown ones, are checked against
// the bytes: valid UTF-8 stays, anything else is read as Windows-1252, the
// usual charset of undeclared Swedish mail.
func (p *parser) decodeCharset(b []byte, label string) string {
	label = normLabel(label)
	switch label {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined":
		return sniffUTF8(b, label == "utf-8" || label == "utf8")
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "windows-1252", "cp1252", "iso-8859-15":
		// Bytes that are valid UTF-8 and not ASCII are UTF-8 whatever the
		// label says: Latin-1 Swedish text is never valid UTF-8.
		if !isASCII(string(b)) && utf8.Valid(b) {
			p.problem("declared charset contradicted, read as UTF-8")
			return stripNUL(string(b))
		}
		if label == "iso-8859-15" {
			break
		}
		// WHATWG: the ISO-8859-1 label means Windows-1252 in practice.
		return decodeCP1252(b)
	}
	r, err := charsetReader(label, bytes.NewReader(b))
	if err != nil {
		p.problem("unknown charset, guessed")
		return sniffUTF8(b, false)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		p.problem("charset conversion failed")
	}
	return validUTF8(string(out))
}

// charsetAliases maps labels seen in mail that go-message's charset
// package does not know to ones it does.
var charsetAliases = map[string]string{
	"cp932": "shift_jis", "ms932": "shift_jis", "windows-31j": "shift_jis",
	"x-sjis": "shift_jis", "sjis": "shift_jis", "cp936": "gbk", "ms936": "gbk",
	"cp949": "euc-kr", "ks_c_5601-1987": "euc-kr", "x-mac-roman": "macintosh",
	"unicode": "utf-16le",
}

// charsetReader is go-message's charset.Reader with charsetAliases applied.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	if a, ok := charsetAliases[normLabel(label)]; ok {
		label = a
	}
	return charset.Reader(label, r)
}

// normLabel trims quotes and spaces from a charset label and lower-cases it.
func normLabel(label string) string {
	return strings.ToLower(strings.Trim(label, " \t\"'"))
}

// sniffUTF8 keeps valid UTF-8. Otherwise, when the bytes claim to be UTF-8,
// only the invalid bytes are read as Windows-1252; when they claim nothing,
// all of them are.
func sniffUTF8(b []byte, claimsUTF8 bool) string {
	if utf8.Valid(b) {
		return stripNUL(string(b))
	}
	if claimsUTF8 {
		return validUTF8(string(b))
	}
	return decodeCP1252(b)
}

// decodeCP1252 reads b as Windows-1252.
func decodeCP1252(b []byte) string {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return validUTF8(string(b))
	}
	return stripNUL(string(out))
}

// validUTF8 is the last resort: valid runs are kept, each invalid byte is
// read as Windows-1252, and NUL bytes are dropped.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return stripNUL(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			if d := charmap.Windows1252.DecodeByte(s[i]); d != utf8.RuneError {
				b.WriteRune(d)
			}
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return stripNUL(b.String())
}

// stripNUL drops NUL bytes and byte-order marks.
func stripNUL(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if strings.Contains(s, "\uFEFF") {
		s = strings.ReplaceAll(s, "\uFEFF", "")
	}
	return s
}

// isASCII reports whether s has only 7-bit bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
