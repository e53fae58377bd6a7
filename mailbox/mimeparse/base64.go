package mimeparse

import "encoding/base64"

// base64Value maps a byte to its base64 value, or -1 (RFC 2045 §6.8).
var base64Value = func() (t [256]int8) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = -1
	}
	for i := range len(alphabet) {
		t[alphabet[i]] = int8(i)
	}
	return t
}()

// base64Size returns the decoded length of b without decoding it: every
// alphabet byte carries six bits, everything else is skipped. clean is false
// when bytes other than whitespace and padding were seen.
func base64Size(b []byte) (n int64, clean bool) {
	chars, clean := base64Chars(b)
	return chars * 6 / 8, clean
}

// base64Chars counts the alphabet bytes of b; clean as for base64Size.
func base64Chars(b []byte) (chars int64, clean bool) {
	clean = true
	for _, c := range b {
		switch {
		case base64Value[c] >= 0:
			chars++
		case c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			clean = false
		}
	}
	return chars, clean
}

// decodeBase64 decodes up to limit bytes of b, skipping every byte outside
// the alphabet as RFC 2045 §6.8 asks of decoders. Padding ends a chunk, so
// concatenated base64 blocks decode too. go-message's reader stops at the
// first illegal byte instead, losing the rest of the part.
func decodeBase64(b []byte, limit int64) (out []byte, clean bool) {
	clean = true
	chunk := make([]byte, 0, 4096)
	for _, c := range b {
		switch {
		case base64Value[c] >= 0:
			chunk = append(chunk, c)
			if len(chunk) == cap(chunk) {
				out, chunk = appendBase64(out, chunk), chunk[:0]
			}
		case c == '=':
			if len(chunk) > 0 && len(chunk)%4 != 0 {
				out, chunk = appendBase64(out, chunk), chunk[:0]
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			clean = false
		}
		if int64(len(out)) >= limit {
			return out[:limit], clean
		}
	}
	out = appendBase64(out, chunk)
	return out[:min(int64(len(out)), limit)], clean
}

// appendBase64 decodes the alphabet-only chunk onto out. A dangling single
// character carries no full byte and is dropped.
func appendBase64(out, chunk []byte) []byte {
	if len(chunk)%4 == 1 {
		chunk = chunk[:len(chunk)-1]
	}
	n := len(out)
	out = append(out, make([]byte, base64.RawStdEncoding.DecodedLen(len(chunk)))...)
	m, _ := base64.RawStdEncoding.Decode(out[n:], chunk)
	return out[:n+m]
}
