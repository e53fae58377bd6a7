package mimeparse

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode"
	"unicode/utf8"
)

// nonDelivery reports whether the subject or the first 4 KiB of the text
// read like a known MTA's non-delivery notice: the subject starts, after
// spaces, with one of ndnSubjects, or the window holds one of ndnPhrases
// or an enhanced status code of a permanent failure (5.x.y and a space).
// Letters match in either case, with the case folding of a Go regexp's
// (?i): simple Unicode folding, so the Kelvin sign K matches "k" and the
// long s ſ matches "s".
//
// The phrases are matched literally rather than by one regexp alternation:
// the intake asks this of every message, and the regexp cost over a
// millisecond for a 4 KiB text that matches nothing.
func nonDelivery(subject, text string) bool {
	return ndnSubject(subject) || ndnBody(text[:min(len(text), 4<<10)])
}

// ndnSubjects are the subjects of known MTAs' non-delivery notices
// (Postfix, Sendmail, Exim, qmail, Exchange in English, Swedish and German,
// Gmail, Domino, and the DSN subjects of many others), in lower case.
// Those marked word count only where a word ends after them.
var ndnSubjects = []struct {
	phrase string
	word   bool
}{
	{"undelivered mail returned to sender", false},
	{"returned mail", false},
	{"undeliverable", true},
	{"undelivered mail", true},
	{"unzustellbar", true},
	{"olevererbart", true},
	{"olevererbar", true},
	{"ej levererat", true},
	{"mail delivery failed", false},
	{"mail failed", false},
	{"delivery status notification", false},
	{"delivery failure", false},
	{"failure notice", false},
	{"non-delivery", false},
	{"non delivery", false},
	{"nondelivery", false},
	{"non-deliverable", false},
	{"non deliverable", false},
	{"nondeliverable", false},
	{"mail system error", false},
	{"delivery has failed", false},
	{"message delivery failure", false},
	{"nicht zustellbar", false},
	{"warning: could not send message", false},
	{"delivery notification", false},
	{"rejected mail", false},
	{"mail could not be delivered", false},
	{"message not delivered", false},
	{"could not send message", false},
	{"unable to deliver", false},
	{"notificación de estado", false},
	{"non remis", false},
}

// ndnSubject reports whether subject starts, after ASCII white space,
// with one of ndnSubjects.
func ndnSubject(subject string) bool {
	s := strings.TrimLeft(subject, "\t\n\f\r ")
	for _, p := range ndnSubjects {
		n, ok := hasFoldPrefix(s, p.phrase)
		if ok && (!p.word || wordEnds(s, n)) {
			return true
		}
	}
	return false
}

// hasFoldPrefix reports whether s starts with the lower-case prefix under
// simple case folding, and how many bytes of s it takes.
func hasFoldPrefix(s, prefix string) (n int, ok bool) {
	for _, pr := range prefix {
		if n >= len(s) {
			return 0, false
		}
		c := s[n]
		if c < utf8.RuneSelf && pr < utf8.RuneSelf {
			if lowerASCII[c] != byte(pr) {
				return 0, false
			}
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[n:])
		if !foldEqual(r, pr) {
			return 0, false
		}
		n += size
	}
	return n, true
}

// foldEqual reports whether r is p or in p's case-folding orbit, as a
// regexp's (?i) matches a literal p.
func foldEqual(r, p rune) bool {
	if r == p {
		return true
	}
	for f := unicode.SimpleFold(p); f != p; f = unicode.SimpleFold(f) {
		if f == r {
			return true
		}
	}
	return false
}

// wordEnds reports whether a regexp's \b holds at byte n of s: one of the
// runes either side is an ASCII word character and the other is not.
func wordEnds(s string, n int) bool {
	before, after := false, false
	if n > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:n])
		before = isWordRune(r)
	}
	if n < len(s) {
		r, _ := utf8.DecodeRuneInString(s[n:])
		after = isWordRune(r)
	}
	return before != after
}

// isWordRune reports an ASCII word character, \w of a Go regexp.
func isWordRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
}

// ndnPhrases are the opening sentences of known MTAs' non-delivery
// notices, in lower-case ASCII; each is at least 4 bytes long.
var ndnPhrases = []string{
	"this is the mail system at host",
	"this is the postfix program at host",
	"the original message was received at",
	"the following addresses had permanent fatal errors",
	"transcript of session follows",
	"this message was created automatically by mail delivery software",
	"a message that you sent could not be delivered",
	"this is the qmail-send program at",
	"i'm afraid i wasn't able to deliver your message",
	"delivery has failed to these recipients or groups",
	"your message couldn't be delivered",
	"your message couldn't delivered",
	"your message could not be delivered",
	"your message could not delivered",
	"your message wasn't be delivered",
	"your message wasn't delivered",
	"your message was not be delivered",
	"your message was not delivered",
	"the following recipient(s) cannot be reached",
	"delivery to the following recipient failed",
	"delivery to the following recipients failed",
	"this is an automatically generated delivery status notification",
	"could not be delivered to",
	"your message did not reach some or all of the intended recipients",
	"message could not be delivered",
	"unable to deliver message",
	"unable to deliver your message",
	"permanent error",
	"det gick inte att leverera",
	"leveransen misslyckades",
	"ihre nachricht konnte nicht zugestellt werden",
	"diese nachricht wurde automatisch von einem e-mail-server erstellt",
	"mail delivery failed",
	"mail delivery subsystem",
	"mail delivery system",
	"delivery status notification",
	"undeliverable message",
	"returned mail",
	"message you sent was undeliverable",
	"failed to deliver",
	"failed addresses follow",
}

// ndnIndex lists the indexes of ndnPhrases by ndnHash of their first four
// bytes, so that the text is read once whatever the number of phrases.
var ndnIndex = func() (t [1 << ndnHashBits][]uint8) {
	for i, p := range ndnPhrases {
		k := binary.LittleEndian.Uint32([]byte(p))
		t[ndnHash(k)] = append(t[ndnHash(k)], uint8(i))
	}
	return t
}()

const ndnHashBits = 8

// ndnHash spreads four bytes over the buckets of ndnIndex.
func ndnHash(k uint32) uint32 { return k * 0x9E3779B1 >> (32 - ndnHashBits) }

// ndnBody reports whether the text window holds one of ndnPhrases, or an
// enhanced status code of a permanent failure followed by a space.
func ndnBody(window string) bool {
	var buf [4 << 10]byte
	var b []byte
	if len(window) <= len(buf) {
		b = foldASCII(buf[:0], window)
	} else {
		b = foldASCII(make([]byte, 0, len(window)), window)
	}
	for i := 0; i+4 <= len(b); i++ {
		k := binary.LittleEndian.Uint32(b[i:])
		for _, pi := range ndnIndex[ndnHash(k)] {
			if p := ndnPhrases[pi]; len(p) <= len(b)-i && string(b[i:i+len(p)]) == p {
				return true
			}
		}
	}
	return hasStatusCode(b)
}

// foldASCII appends s to b with ASCII letters in lower case, and the two
// runes that simple case folding equates with ASCII letters, the Kelvin
// sign and the long s, as "k" and "s". Other bytes are kept as they are:
// no other rune folds to an ASCII one, so an ASCII phrase is in the result
// exactly where a case-insensitive regexp finds it in s.
func foldASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			c = lowerASCII[c]
		case c == 0xE2 && strings.HasPrefix(s[i:], "\u212A"): // Kelvin sign
			c, i = 'k', i+len("\u212A")-1
		case c == 0xC5 && strings.HasPrefix(s[i:], "\u017F"): // long s
			c, i = 's', i+len("\u017F")-1
		}
		b = append(b, c)
	}
	return b
}

// lowerASCII maps each byte to its ASCII lower case.
var lowerASCII = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

// hasStatusCode reports whether b holds "5.", a digit, ".", one or more
// digits and a space: an RFC 3463 status code of a permanent failure.
func hasStatusCode(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("5."))
		if i < 0 {
			return false
		}
		b = b[i+2:]
		if len(b) >= 3 && isDigit(b[0]) && b[1] == '.' && isDigit(b[2]) {
			j := 3
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			if j < len(b) && b[j] == ' ' {
				return true
			}
		}
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
