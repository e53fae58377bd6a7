package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"github.com/exempelby/synpunkt"
)

// mailSpec is the envelope and header choices for one e-mail.
type mailSpec struct {
	to            synpunkt.Address
	replyTo       string // may be empty
	inReplyTo     string // Message-ID without <>, may be empty
	autoSubmitted string // RFC 3834 §5: "auto-replied" or "auto-generated"
	attachment    []byte // original message to attach as message/rfc822; may be nil
	// detach keeps attachment out of the payload when it can (see
	// synpunkt.Notification.Original).
	detach bool
	// from, when not nil, is the original read from a file instead of
	// attachment, always detached; eightBit says it has a byte ≥ 0x80.
	from     *io.SectionReader
	eightBit bool
}

// email renders tmpl and builds the complete message.
func (c *Composer) email(kind, tmpl string, d *TemplateData, s mailSpec) (*synpunkt.Notification, error) {
	subject, body, err := c.tpl.render(tmpl, d)
	if err != nil {
		return nil, fmt.Errorf("notify: %s: %w", kind, err)
	}
	h, id, err := c.header(s, subject)
	if err != nil {
		return nil, fmt.Errorf("notify: %s: %w", kind, err)
	}
	n := &synpunkt.Notification{
		Channel: synpunkt.MediumEmail, Kind: kind, From: c.org.MailboxAddress,
		To: s.to.Addr, MessageID: id,
	}
	if s.from != nil {
		payload, at, err := buildDetached(h, body, rfc822HeaderCTE(s.eightBit))
		if err != nil {
			return nil, fmt.Errorf("notify: %s: %w", kind, err)
		}
		n.Payload, n.OriginalFrom, n.OriginalAt, n.OriginalLen = payload, s.from, at, int(s.from.Size())
		return n, nil
	}
	if s.detach && passesUnchanged(s.attachment) {
		payload, at, err := buildDetached(h, body, rfc822Header(s.attachment))
		if err != nil {
			return nil, fmt.Errorf("notify: %s: %w", kind, err)
		}
		n.Payload, n.Original, n.OriginalAt, n.OriginalLen = payload, s.attachment, at, len(s.attachment)
		return n, nil
	}
	payload, err := buildBody(h, body, s.attachment)
	if err != nil {
		return nil, fmt.Errorf("notify: %s: %w", kind, err)
	}
	n.Payload = payload
	n.OriginalAt, n.OriginalLen = locate(payload, s.attachment)
	return n, nil
}

// passesUnchanged reports whether the MIME writer copies original into a
// 7bit/8bit part byte for byte: every line ends in CRLF (a bare LF would
// become CRLF) and none is longer than the writer's 998 bytes (it would
// be broken). Only then can a forward keep it out of its payload and
// still send exactly the bytes it would have built.
func passesUnchanged(original []byte) bool {
	if len(original) == 0 {
		return false
	}
	rest := original
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return len(rest) <= maxLine
		}
		if i == 0 || rest[i-1] != '\r' || i+1 > maxLine {
			return false
		}
		rest = rest[i+1:]
	}
	return true
}

// maxLine is a safe bound under go-message's 998-byte line limit for
// 7bit and 8bit parts, counting the CR before the LF.
const maxLine = 990

// buildDetached builds the forward with an empty place for original and
// returns it with the offset of that place: the complete message is the
// payload with original put in at that offset (passesUnchanged(original)
// must hold). The part's header is the one original itself would get.
func buildDetached(h mail.Header, body string, partHeader message.Header) ([]byte, int, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, 0, err
	}
	marker := []byte(fmt.Sprintf("synpunkt-original-%x", b))
	var buf bytes.Buffer
	buf.Grow(3*len(body) + 4<<10)
	payload, err := buildMixed(&buf, h, body, partHeader, marker)
	if err != nil {
		return nil, 0, err
	}
	at := bytes.LastIndex(payload, marker)
	if at < 0 {
		return nil, 0, fmt.Errorf("forward: the place of the original was not found")
	}
	return append(payload[:at:at], payload[at+len(marker):]...), at, nil
}

// header builds the top-level header and returns it with the new Message-ID.
func (c *Composer) header(s mailSpec, subject string) (mail.Header, string, error) {
	to, err := parseAddr("recipient", s.to.Addr)
	if err != nil {
		return mail.Header{}, "", err
	}
	to.Name = s.to.Name
	id, err := c.newMessageID()
	if err != nil {
		return mail.Header{}, "", err
	}
	f := fields{
		{"Date", c.now().In(stockholm).Format("Mon, 02 Jan 2006 15:04:05 -0700")},
		{"From", c.from.String()},
		{"To", to.String()},
	}
	if s.replyTo != "" {
		rt, err := parseAddr("reply-to", s.replyTo)
		if err != nil {
			return mail.Header{}, "", err
		}
		f = append(f, field{"Reply-To", rt.String()})
	}
	f = append(f, field{"Subject", mime.QEncoding.Encode("utf-8", subject)}, field{"Message-ID", "<" + id + ">"})
	if s.inReplyTo != "" && !strings.ContainsAny(s.inReplyTo, "<> \r\n") {
		ref := "<" + s.inReplyTo + ">"
		f = append(f, field{"In-Reply-To", ref}, field{"References", ref})
	}
	f = append(f,
		field{"Auto-Submitted", s.autoSubmitted}, // RFC 3834 §5
		field{"X-Auto-Response-Suppress", "All"}, // Exchange: no out-of-office or receipts back
		field{"MIME-Version", "1.0"},
	)
	return f.header(), id, nil
}

// field is one header field; fields keeps them in the order written.
type field struct{ key, value string }

type fields []field

// header returns the fields as a mail.Header that writes them in order
// (go-message writes fields in reverse order of addition).
func (fs fields) header() mail.Header {
	var h mail.Header
	for i := len(fs) - 1; i >= 0; i-- {
		h.Add(fs[i].key, fs[i].value)
	}
	return h
}

// parseAddr parses a bare address; display names are set separately.
func parseAddr(what, addr string) (*mail.Address, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", what, addr, err)
	}
	return a, nil
}

func (c *Composer) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// newMessageID returns a random Message-ID in the organisation's domain,
// without angle brackets (RFC 5322 §3.6.4).
func (c *Composer) newMessageID() (string, error) {
	var b [15]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	return strings.ToLower(enc.EncodeToString(b[:])) + "@" + c.org.Domain, nil
}

// textHeader is the header of a UTF-8 text/plain body in quoted-printable,
// so that å, ä and ö survive any relay (RFC 2045 §6.7).
func textHeader() message.Header {
	var h message.Header
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	return h
}

// buildBody writes header and body, as a single text part or, with an
// attachment, as multipart/mixed with the original as message/rfc822.
func buildBody(h mail.Header, body string, original []byte) ([]byte, error) {
	var buf bytes.Buffer
	if original == nil {
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := message.CreateWriter(&buf, h.Header)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(body)); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil { // flushes the quoted-printable encoder
			return nil, err
		}
		return buf.Bytes(), nil
	}
	// Sized once for the original (kept as it is, identity encoding) plus
	// headers and the text: a growing buffer would allocate about four
	// times the original on the way.
	buf.Grow(len(original) + 3*len(body) + 4<<10)
	return buildMixed(&buf, h, body, rfc822Header(original), original)
}

// buildMixed writes to buf a multipart/mixed message of two parts: the
// text, then one more part with header ph and body data.
func buildMixed(buf *bytes.Buffer, h mail.Header, body string, ph message.Header, data []byte) ([]byte, error) {
	h.SetContentType("multipart/mixed", nil)
	w, err := message.CreateWriter(buf, h.Header)
	if err != nil {
		return nil, err
	}
	if err := writePart(w, textHeader(), []byte(body)); err != nil {
		return nil, err
	}
	if err := writePart(w, ph, data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil { // writes the closing boundary
		return nil, err
	}
	return buf.Bytes(), nil
}

// locate returns where original stands, unchanged, in payload, or 0, 0.
// It is the last part's body, so it is looked for from the end.
func locate(payload, original []byte) (at, n int) {
	if len(original) == 0 || len(original) > len(payload) {
		return 0, 0
	}
	head := original[:min(len(original), 256)]
	// It starts at len(payload)-len(original) at the latest, so only what
	// comes before the original is searched, not the original itself: the
	// whole-payload search was a third of rendering a forward, done while
	// the intake holds the store's write lock.
	i := bytes.LastIndex(payload[:len(payload)-len(original)+len(head)], head)
	for i >= 0 {
		if bytes.Equal(payload[i:i+len(original)], original) {
			return i, len(original)
		}
		i = bytes.LastIndex(payload[:i], head)
	}
	return 0, 0
}

// rfc822Header describes the attached original. Only identity encodings are
// allowed for message/rfc822 (RFC 2046 §5.2.1), so the bytes are kept as
// they are; 8bit is declared when they are not plain ASCII.
func rfc822Header(original []byte) message.Header {
	eightBit := false
	for _, b := range original {
		if b >= 0x80 {
			eightBit = true
			break
		}
	}
	return rfc822HeaderCTE(eightBit)
}

// rfc822HeaderCTE is the header of the message/rfc822 part of an original
// with (eightBit) or without bytes ≥ 0x80.
func rfc822HeaderCTE(eightBit bool) message.Header {
	var h message.Header
	h.SetContentType("message/rfc822", nil)
	h.SetContentDisposition("attachment", map[string]string{"filename": "synpunkt.eml"})
	cte := "7bit"
	if eightBit {
		cte = "8bit"
	}
	h.Set("Content-Transfer-Encoding", cte)
	return h
}

func writePart(w *message.Writer, h message.Header, body []byte) error {
	pw, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := pw.Write(body); err != nil {
		return err
	}
	return pw.Close()
}
