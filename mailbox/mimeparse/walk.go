package mimeparse

import (
	"bytes"
	"io"
	"regexp"
	"strings"

	"github.com/emersion/go-message"

	synpunkt "github.com/exempelby/synpunkt"
)

// collector gathers what a walk over the part tree finds.
type collector struct {
	plain     []string // decoded inline text/plain bodies, in order
	html      []string // decoded inline text/html bodies, in order
	atts      []synpunkt.Attachment
	forwarded []*part // message/rfc822 parts, also listed in atts
	// reportParts are the media types of leaf parts that belong to a
	// report (message/delivery-status and the like), in order.
	reportParts []string
	// enclosed are the parts that carry an original's header: message/rfc822,
	// text/rfc822-headers, message/disposition-notification.
	enclosed []*part
}

// walk visits pt. wantText is false inside the alternatives of a
// multipart/alternative that were not chosen: their text is a rendering of
// the chosen one, but their other parts (images) are still attachments.
func (p *parser) walk(c *collector, pt *part, wantText bool) {
	switch {
	case len(pt.children) > 0:
		chosen := -1
		if pt.mediaType == "multipart/alternative" {
			chosen = chooseAlternative(pt.children)
		}
		for i, ch := range pt.children {
			p.walk(c, ch, wantText && (chosen < 0 || i == chosen))
		}
	case strings.HasPrefix(pt.mediaType, "multipart/"):
		// A multipart that yielded no parts has nothing to show.
	case pt.isBodyText("text/plain"):
		if wantText {
			c.plain = append(c.plain, p.decodeText(pt))
		}
	case pt.isBodyText("text/html"):
		if wantText {
			c.html = append(c.html, p.decodeText(pt))
		}
	default:
		c.atts = append(c.atts, p.attachment(pt))
		if pt.mediaType == "message/rfc822" && pt.depth < MaxDepth {
			c.forwarded = append(c.forwarded, pt)
		}
		c.noteReportPart(pt)
	}
}

// isBodyText reports whether pt is an inline part of media type t: no
// attachment disposition and no file name.
func (pt *part) isBodyText(t string) bool {
	return pt.mediaType == t && pt.disposition != "attachment" && pt.filename() == ""
}

// filename returns the raw file name parameter, or "".
func (pt *part) filename() string {
	if n := pt.dparams["filename"]; n != "" {
		return n
	}
	return pt.params["name"]
}

// chooseAlternative prefers the first alternative holding text/plain, then
// the first holding text/html, then the last (RFC 2046 §5.1.4).
func chooseAlternative(alts []*part) int {
	for _, t := range []string{"text/plain", "text/html"} {
		for i, a := range alts {
			if holds(a, t, 0) {
				return i
			}
		}
	}
	return len(alts) - 1
}

// holds reports whether pt is, or contains, an inline part of type t.
func holds(pt *part, t string, depth int) bool {
	if pt.isBodyText(t) {
		return true
	}
	for _, ch := range pt.children {
		if depth < MaxDepth && holds(ch, t, depth+1) {
			return true
		}
	}
	return false
}

// attachment describes pt, counting its decoded size without keeping it.
func (p *parser) attachment(pt *part) synpunkt.Attachment {
	return synpunkt.Attachment{
		Name:        p.text(pt.filename()),
		ContentType: pt.mediaType,
		Size:        p.decodedSize(pt),
	}
}

// decodedSize counts the bytes of pt after transfer decoding.
func (p *parser) decodedSize(pt *part) int64 {
	chars, elided := p.elidedIn(pt.body) // of a Lean copy: lines left out
	switch cte := pt.encoding(); cte {
	case "base64":
		n, _ := base64Chars(pt.body)
		return (n + chars) * 6 / 8
	case "quoted-printable":
		n, err := io.Copy(io.Discard, p.decoder(pt))
		if err != nil {
			p.problem("bad quoted-printable data")
		}
		return n + elided // base64 lines are their own quoted-printable
	default:
		return int64(len(pt.body)) + elided
	}
}

// encoding returns the Content-Transfer-Encoding of pt in its RFC 2045
// §6.1 spelling, repairing common misspellings ("7-bit", "quoted
// printable", "8bits"). Unrecognised values are returned lower-cased.
func (pt *part) encoding() string {
	v, _, _ := strings.Cut(pt.hdr.Get("Content-Transfer-Encoding"), ";")
	v = strings.ToLower(strings.Trim(v, " \t\"'"))
	switch encodingSeparators.Replace(v) {
	case "quotedprintable", "qp":
		return "quoted-printable"
	case "base64":
		return "base64"
	case "", "7bit", "8bit", "7bits", "8bits", "binary", "plain", "none", "text":
		return "8bit"
	}
	return v
}

// encodingSeparators are dropped from a transfer encoding's name before
// it is recognised; built once, as a Replacer builds its tables lazily on
// first use and that cost more than the rest of encoding.
var encodingSeparators = strings.NewReplacer(" ", "", "\t", "", "-", "", "_", "")

// decoder returns a reader of pt's body with the transfer encoding removed,
// using go-message. An unknown encoding yields the raw bytes.
func (p *parser) decoder(pt *part) io.Reader {
	var h message.Header
	h.Set("Content-Transfer-Encoding", pt.encoding())
	e, err := message.New(h, bytes.NewReader(pt.body))
	if message.IsUnknownEncoding(err) {
		p.problem("unknown transfer encoding, raw bytes used")
		return bytes.NewReader(pt.body)
	}
	return e.Body
}

// transferDecode returns at most limit bytes of pt's decoded body. Base64 is
// decoded leniently: what can be decoded is kept.
func (p *parser) transferDecode(pt *part, limit int64) []byte {
	switch pt.encoding() {
	case "base64":
		b, clean := decodeBase64(pt.body, limit)
		if !clean {
			p.problem("illegal base64 data, decoded what could be")
		}
		return b
	case "8bit":
		// The identity encodings: the body as go-message's reader gives
		// it, copied at its size rather than grown to it.
		n := min(int64(len(pt.body)), limit)
		return append(make([]byte, 0, n), pt.body[:n]...)
	}
	b, err := io.ReadAll(io.LimitReader(p.decoder(pt), limit))
	if err != nil {
		p.problem("bad transfer encoding, decoded what could be")
	}
	return b
}

// metaCharsetRE finds a charset declared inside an HTML document.
var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)`)

// decodeText returns the decoded text of a text part as UTF-8.
func (p *parser) decodeText(pt *part) string {
	b := p.transferDecode(pt, maxTextPart)
	label := pt.params["charset"]
	if label == "" && pt.mediaType == "text/html" {
		if m := metaCharsetRE.FindSubmatch(b[:min(len(b), 4096)]); m != nil {
			label = string(m[1])
		}
	}
	return p.decodeCharset(b, label)
}

// noteReportPart remembers a leaf part that belongs to a report or carries
// an original's header.
func (c *collector) noteReportPart(pt *part) {
	if reportKind(pt.mediaType) != synpunkt.AutoNone {
		c.reportParts = append(c.reportParts, pt.mediaType)
	}
	switch pt.mediaType {
	case "message/rfc822", "text/rfc822-headers", "message/disposition-notification":
		if len(c.enclosed) < maxReportedIDs {
			c.enclosed = append(c.enclosed, pt)
		}
	}
}
