package mimeparse

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	synpunkt "github.com/exempelby/synpunkt"
)

// ErrUnparseable is wrapped by every error Parse returns: nothing usable
// could be had from the input, and the caller should quarantine it.
var ErrUnparseable = errors.New("unparseable message")

// Limits that keep hostile input bounded.
const (
	MaxText  = 1 << 20 // bytes of decoded Text kept
	MaxParts = 1000    // MIME parts walked per message
	MaxDepth = 50      // multipart and message/rfc822 nesting
)

// maxTextPart bounds the bytes of one text part read before charset
// decoding, so a huge text part costs little more than MaxText.
const maxTextPart = 4 * MaxText

// dontRecover lets a panic in Parse crash the caller instead of becoming
// an error. Tests set it so that bugs are not hidden (the same switch as
// mailbox.Config.DontRecover and casework.Intake.DontRecover).
var dontRecover = false

// Parse turns raw RFC 5322 bytes into a Message whose Raw is raw itself.
// Damage is repaired and listed in Message.Problems; an error, wrapping
// ErrUnparseable, is returned only when nothing usable can be had.
func Parse(raw []byte) (msg *synpunkt.Message, err error) {
	if !dontRecover {
		defer func() {
			if r := recover(); r != nil {
				msg, err = nil, fmt.Errorf("%w: internal error: %v", ErrUnparseable, r)
			}
		}()
	}
	p := &parser{}
	return p.parse(raw)
}

// parser holds the state of one Parse call.
type parser struct {
	problems []string
	parts    int // parts created so far, bounded by MaxParts
	// lean is the Lean copy being parsed (ParseLean), nil for Parse;
	// leanUnfit is set when a part's body is not inside it (normalize
	// rewrote the line endings).
	lean      *Lean
	leanUnfit bool
	// hval is splitHeader's buffer for a growing field value, kept from
	// one header block to the next.
	hval []byte
	// rendered is the last HTML chooseText rendered, and its text, for
	// ownText to reuse.
	rendered struct{ html, text string }
}

// problem records a non-fatal problem once.
func (p *parser) problem(s string) {
	for _, q := range p.problems {
		if q == s {
			return
		}
	}
	p.problems = append(p.problems, s)
}

func (p *parser) parse(raw []byte) (*synpunkt.Message, error) {
	data := p.normalize(raw)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: empty input", ErrUnparseable)
	}
	root := p.newPart(data, 0)
	if len(root.hdr) == 0 {
		if looksBinary(root.body) {
			return nil, fmt.Errorf("%w: no header block and binary content", ErrUnparseable)
		}
		p.problem("no header fields")
	}
	msg := &synpunkt.Message{Raw: raw}
	p.fillHeader(msg, root.hdr)
	p.fillBody(msg, root)
	if len(root.hdr) == 0 && strings.TrimSpace(msg.Text) == "" && len(msg.Attachments) == 0 {
		return nil, fmt.Errorf("%w: no header block and no text", ErrUnparseable)
	}
	msg.Problems = p.problems
	return msg, nil
}

// normalize strips what sits before the header: a byte-order mark and an
// mbox "From " envelope line. CR-only line endings become LF. The result
// shares memory with raw unless line endings had to change.
func (p *parser) normalize(raw []byte) []byte {
	data := raw
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = data[3:]
		p.problem("byte-order mark stripped")
	}
	if bytes.IndexByte(data, '\n') < 0 && bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
		p.problem("CR-only line endings")
	} else if hasLoneCR(data) {
		data = fixLoneCR(data)
		p.problem("mixed line endings")
	}
	if bytes.HasPrefix(data, []byte("From ")) {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		} else {
			data = nil
		}
	}
	return data
}

// hasLoneCR reports whether b has a CR not followed by LF in its header
// area, where it would break line splitting.
func hasLoneCR(b []byte) bool {
	end := min(len(b), 64<<10)
	for i := 0; i < end; i++ {
		j := bytes.IndexByte(b[i:end], '\r')
		if j < 0 {
			return false
		}
		i += j
		if i+1 == len(b) || b[i+1] != '\n' {
			return true
		}
	}
	return false
}

// fixLoneCR turns every CR not followed by LF into LF.
func fixLoneCR(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i, c := range b {
		if c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// looksBinary reports whether b is not text: NUL bytes or many control
// characters in its first 8 KiB.
func looksBinary(b []byte) bool {
	b = b[:min(len(b), 8<<10)]
	ctl := 0
	for _, c := range b {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctl++
		}
	}
	return ctl*10 > len(b)
}

// fillHeader decodes the top-level header fields into msg.
func (p *parser) fillHeader(msg *synpunkt.Message, h header) {
	msg.MessageID = firstMsgID(h.Get("Message-ID"))
	msg.InReplyTo = msgIDs(h.Get("In-Reply-To"))
	msg.References = msgIDs(h.Get("References"))
	msg.Subject = p.text(h.Get("Subject"))
	if from := p.addresses(h.Get("From")); len(from) > 0 {
		msg.From = from[0]
	}
	msg.ReplyTo = p.addresses(h.Get("Reply-To"))
	msg.To = p.addresses(h.Get("To"))
	msg.Cc = p.addresses(h.Get("Cc"))
	if v, ok := h.Lookup("Date"); ok {
		if msg.Date = date(v); msg.Date.IsZero() {
			p.problem("unparseable date")
		}
	}
	if v, ok := h.Lookup("Return-Path"); ok {
		msg.ReturnPath, msg.HasReturnPath = returnPath(v), true
	}
	msg.AutoSubmitted = lowerTrim(h.Get("Auto-Submitted"))
	msg.Precedence = lowerTrim(h.Get("Precedence"))
	msg.ListID = lowerTrim(h.Get("List-ID"))
	msg.OtherAuto = otherAuto(h, msg.Subject)
	replyish := len(msg.InReplyTo) > 0 || len(msg.References) > 0 || msg.HasReturnPath && msg.ReturnPath == ""
	msg.AutoReply = autoReplySignal(h, msg.Subject, replyish)
	msg.Trace = traceFields(h)
}

// traceFields returns the Received and Authentication-Results fields of
// the message's own header, topmost first. The header ends at the first
// empty line, LF or CRLF alike, so lines of the body are never among them.
func traceFields(h header) []synpunkt.TraceField {
	var out []synpunkt.TraceField
	for _, f := range h {
		for _, name := range []string{"Received", "Authentication-Results"} {
			if strings.EqualFold(f.Key, name) {
				out = append(out, synpunkt.TraceField{Name: name, Value: validUTF8(f.Value)})
			}
		}
	}
	return out
}

// fillBody walks the part tree for text and attachments.
func (p *parser) fillBody(msg *synpunkt.Message, root *part) {
	var c collector
	p.walk(&c, root, true)
	msg.Attachments = c.atts
	msg.Text, msg.FromHTML = p.chooseText(&c)
	if len(msg.Text) > MaxText {
		msg.Text = truncateUTF8(msg.Text, MaxText)
		p.problem("text truncated")
	}
	msg.Report = report(root, &c)
	msg.NonDelivery = nonDelivery(msg.Subject, msg.Text)
	msg.ReportedIDs = p.reportedIDs(&c, msg.Text, msg.NonDelivery)
	msg.OwnText = p.ownText(&c, msg)
}

// ownText is the author's own new text: the inline text/plain body, or the
// HTML body rendered without <blockquote> quotes, and never the text of
// an enclosed message/rfc822, which someone else wrote.
func (p *parser) ownText(c *collector, msg *synpunkt.Message) string {
	switch {
	case hasText(c.plain):
		return msg.Text // chooseText took the plain text
	case hasText(c.html):
		h := joinTexts(c.html)
		var t string
		if h == p.rendered.html && !hasFoldASCII(h, "blockquote") {
			// With no <blockquote> to drop, the text chooseText rendered.
			t = p.rendered.text
		} else {
			t = htmlToOwnText(h)
		}
		if len(t) <= MaxText {
			return t
		} else {
			return truncateUTF8(t, MaxText)
		}
	}
	return ""
}

// hasText reports whether joinTexts(ts) is non-empty.
func hasText(ts []string) bool {
	for _, t := range ts {
		if strings.TrimSpace(t) != "" {
			return true
		}
	}
	return false
}

// chooseText picks the body text: inline text/plain, else converted HTML,
// else the text of a forwarded message when the outer body is empty.
func (p *parser) chooseText(c *collector) (text string, fromHTML bool) {
	if t := joinTexts(c.plain); t != "" {
		return t, false
	}
	if t := joinTexts(c.html); t != "" {
		p.rendered.html, p.rendered.text = t, htmlToText(t)
		return p.rendered.text, true
	}
	for _, fw := range c.forwarded {
		inner := p.newPart(p.transferDecode(fw, maxTextPart), fw.depth+1)
		var ic collector
		p.walk(&ic, inner, true)
		if t, h := p.chooseText(&ic); t != "" {
			return t, h
		}
	}
	return "", false
}

// joinTexts joins non-empty texts with a blank line, normalising line
// endings to "\n" and trimming trailing space from every line. A text is
// empty when only white space is left; its trailing empty lines are
// dropped. It is built in one buffer, line by line: CRLF is one line end,
// any other CR or LF another.
func joinTexts(ts []string) string {
	n := 0
	for _, t := range ts {
		n += len(t) + 2
	}
	b := make([]byte, 0, n)
	for _, t := range ts {
		mark := len(b)
		if mark > 0 {
			b = append(b, "\n\n"...)
		}
		start := len(b)
		for len(t) > 0 {
			i := strings.IndexAny(t, "\r\n")
			if i < 0 {
				b = append(b, strings.TrimRight(t, " \t")...)
				break
			}
			b = append(b, strings.TrimRight(t[:i], " \t")...)
			b = append(b, '\n')
			if t[i] == '\r' && i+1 < len(t) && t[i+1] == '\n' {
				i++
			}
			t = t[i+1:]
		}
		for len(b) > start && b[len(b)-1] == '\n' {
			b = b[:len(b)-1]
		}
		if len(bytes.TrimSpace(b[start:])) == 0 {
			b = b[:mark] // an empty text adds nothing, nor its blank line
		}
	}
	return string(b)
}

// truncateUTF8 cuts s to at most n bytes on a rune boundary.
func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
