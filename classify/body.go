package classify

import (
	"net/mail"
	"regexp"
	"strings"
)

// forwardMarker matches the separator lines mail clients put above a
// forwarded or quoted original (Outlook, Gmail, Thunderbird, Apple Mail).
var forwardMarker = regexp.MustCompile(`(?i)^\s*(-{2,}\s*(vidarebefordrat meddelande|ursprungligt meddelande|forwarded message|original message)\s*-*|begin forwarded message:?)\s*$`)

// forwardHeader matches the header lines of a forwarded original.
var forwardHeader = regexp.MustCompile(`(?i)^\s*(från|from|datum|date|skickat|sent|till|to|kopia|cc|ämne|subject)\s*:`)

// quotedFrom matches a quoted original's sender line with an address.
var quotedFrom = regexp.MustCompile(`(?i)^\s*(från|from)\s*:.*@`)

// closing matches the first line of a sign-off; everything after it is a
// signature and carries no category or topic.
var closing = regexp.MustCompile(`(?i)^\s*(mvh|med vänlig(a)? hälsning(ar)?|vänliga hälsningar|vänlig hälsning|hälsningar|best regards|kind regards|regards|sincerely|cheers)\b[\s,.!]*$`)

// body is the cleaned text of a message.
type body struct {
	text          string // what to classify: quotes unwrapped, headers and signatures gone
	forwarded     string // the forwarded original's text, may be empty
	forwardedFrom string // the forwarded original's sender address, may be empty
}

// cleanBody drops forward separators and their header lines, unwraps "> "
// quotes and cuts signatures. It remembers the forwarded original's sender
// so that staff forwarding a citizen's mail is not taken for staff mail.
func cleanBody(text string) body {
	var b body
	var keep, fwd []string
	inFwd, inHeaders := false, false
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		quoted := strings.HasPrefix(strings.TrimSpace(line), ">")
		line = strings.TrimLeft(line, "> ")
		switch {
		case forwardMarker.MatchString(line):
			inFwd, inHeaders = true, true
			continue
		case !inFwd && quoted && quotedFrom.MatchString(line):
			// A quoted original with no separator line above it ("> Från:
			// …" as some clients forward) is a forward too.
			inFwd, inHeaders = true, true
			b.noteForwardHeader(line)
			continue
		case inHeaders && forwardHeader.MatchString(line):
			b.noteForwardHeader(line)
			continue
		case inHeaders && strings.TrimSpace(line) == "":
			continue
		case closing.MatchString(line):
			inHeaders = false
			continue // the name on the next line is not dropped, but it carries no weight
		}
		inHeaders = false
		keep = append(keep, line)
		if inFwd {
			fwd = append(fwd, line)
		}
	}
	b.text = strings.TrimSpace(strings.Join(keep, "\n"))
	b.forwarded = strings.TrimSpace(strings.Join(fwd, "\n"))
	return b
}

func (b *body) noteForwardHeader(line string) {
	k, v, _ := strings.Cut(line, ":")
	k = strings.ToLower(strings.TrimSpace(k))
	if (k == "från" || k == "from") && b.forwardedFrom == "" {
		if a, err := mail.ParseAddress(strings.TrimSpace(v)); err == nil {
			b.forwardedFrom = strings.ToLower(a.Address)
		}
	}
}
