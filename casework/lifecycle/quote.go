package lifecycle

import (
	"strings"
	"unicode"
)

// ownText returns the number of leading lines that are the sender's own
// text: it stops at the first reply header, forward separator or signature
// separator. Lines starting with '>' inside the own text are skipped by the
// command parser itself, as they are never commands.
func ownText(lines []string) int {
	for i, l := range lines {
		if isSignatureSep(l) || isReplyHeader(l) || isSeparator(l) || isOutlookHeader(lines[i:]) {
			return i
		}
	}
	return len(lines)
}

// isSignatureSep reports a signature separator "-- " (RFC 3676 §4.3), also
// without its trailing space, which many clients strip.
func isSignatureSep(l string) bool { return l == "-- " || l == "--" }

// isReplyHeader reports an attribution line such as "Den 14 jan. 2026 kl.
// 10:00 skrev Anna <anna@exempelby.se>:" or "On Wed, Jan 14, 2026 at 10:00
// Anna wrote:". It ends in ':', has "skrev" or "wrote" as a word, and a
// digit or '@' (a date or an address), so that "Som medborgaren skrev:" in
// running text does not cut the mail. The '@' catches the second line of a
// header the client wrapped.
func isReplyHeader(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	if !strings.HasSuffix(l, ":") || !strings.ContainsFunc(l, func(r rune) bool { return unicode.IsDigit(r) || r == '@' }) {
		return false
	}
	for _, w := range strings.FieldsFunc(l, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if w == "skrev" || w == "wrote" {
			return true
		}
	}
	return false
}

// separators are the texts of the dashed lines mail clients put above a
// quoted or forwarded message, lower-cased.
var separators = []string{
	"ursprungligt meddelande", "original message", "originalmeddelande",
	"vidarebefordrat meddelande", "forwarded message",
	"begin forwarded message:", "vidarebefordrat brev:", "vidarebefordrat mejl:",
}

// isSeparator reports "-----Ursprungligt meddelande-----", "----------
// Forwarded message ---------" and Apple Mail's "Begin forwarded message:".
func isSeparator(l string) bool {
	s := strings.ToLower(strings.Trim(l, " \t-_*"))
	for _, sep := range separators {
		if s == sep {
			return true
		}
	}
	return false
}

// isOutlookHeader reports the start of an Outlook quote: a "Från:" or
// "From:" line followed within three lines by another header line such as
// "Skickat:" or "Sent:".
func isOutlookHeader(lines []string) bool {
	if !hasFieldName(lines[0], "från:", "from:") {
		return false
	}
	for _, l := range lines[1:min(len(lines), 4)] {
		if hasFieldName(l, "skickat:", "sent:", "datum:", "date:", "till:", "to:", "ämne:", "subject:", "kopia:", "cc:") {
			return true
		}
	}
	return false
}

// hasFieldName reports whether l starts with one of names, ignoring case,
// leading space and the '*' of bold text converted from HTML.
func hasFieldName(l string, names ...string) bool {
	l = strings.ToLower(strings.TrimLeft(l, " \t*"))
	for _, n := range names {
		if strings.HasPrefix(l, n) {
			return true
		}
	}
	return false
}
