package dovecottest

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
)

// mutf7 is the base64 alphabet of modified UTF-7, with ',' for '/'.
var mutf7 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,").WithPadding(base64.NoPadding)

// encodeUTF7 encodes a mailbox name in modified UTF-7 (RFC 3501 §5.1.3),
// the form Dovecot uses for Maildir++ folder names.
func encodeUTF7(s string) string {
	var b strings.Builder
	var run []rune
	flush := func() {
		if len(run) == 0 {
			return
		}
		var buf []byte
		for _, u := range utf16.Encode(run) {
			buf = append(buf, byte(u>>8), byte(u))
		}
		b.WriteString("&" + mutf7.EncodeToString(buf) + "-")
		run = run[:0]
	}
	for _, r := range s {
		if r >= 0x20 && r <= 0x7e {
			flush()
			if r == '&' {
				b.WriteString("&-")
			} else {
				b.WriteRune(r)
			}
			continue
		}
		run = append(run, r)
	}
	flush()
	return b.String()
}
