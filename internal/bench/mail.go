package bench

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"strings"
	"time"

	"github.com/exempelby/synpunkt/internal/mailgen"
)

// generator makes realistic synpunkter: 70 % short text, 20 % with an
// attachment (AttachMin–AttachMax bytes), 10 % HTML (a web form or a
// newsletter-like mail); Swedish, a third of the text parts in ISO-8859-1.
// Every message has a unique From address and Message-ID, so a receipt
// can be matched to its message by recipient.
type generator struct {
	rng                  *rand.Rand
	prefix               string
	n                    int
	attachMin, attachMax int
	date                 time.Time
}

// kind of message.
const (
	kindText = iota
	kindAttachment
	kindHTML
)

// next returns a message of the mix and the citizen's address.
func (g *generator) next() (raw []byte, from string) {
	switch p := g.rng.IntN(100); {
	case p < 70:
		return g.message(kindText)
	case p < 90:
		return g.message(kindAttachment)
	default:
		return g.message(kindHTML)
	}
}

// message returns one message of the given kind and the citizen's address.
func (g *generator) message(kind int) (raw []byte, addr string) {
	g.n++
	c := mailgen.Draw(g.rng)
	first, last, host, subject := c.First, c.Last, c.Host, c.Subject
	addr = fmt.Sprintf("%s.%s.%s%d@%s", mailgen.Fold(first), mailgen.Fold(last), g.prefix, g.n, host)
	body := c.Body()
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s <%s>\r\nTo: Synpunkter Exempelby <synpunkter@exempelby.se>\r\n", mime.BEncoding.Encode("utf-8", first+" "+last), addr)
	fmt.Fprintf(&b, "Subject: %s\r\nDate: %s\r\nMessage-ID: <%s.%d.%x@%s>\r\nMIME-Version: 1.0\r\n",
		mime.BEncoding.Encode("utf-8", subject), g.date.Format(time.RFC1123Z), g.prefix, g.n, g.rng.Uint32(), host)
	switch kind {
	case kindAttachment:
		g.withAttachment(&b, body)
	case kindHTML:
		writeHTML(&b, subject, body, addr)
	default:
		mailgen.WriteText(&b, g.n%3, body)
	}
	return b.Bytes(), addr
}

// withAttachment writes a multipart/mixed body: the text and a photo of
// attachMin–attachMax bytes, base64 in 76-column lines.
func (g *generator) withAttachment(b *bytes.Buffer, body string) {
	boundary := fmt.Sprintf("=_bench_%d", g.n)
	fmt.Fprintf(b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n--%s\r\n", boundary, boundary)
	mailgen.WriteText(b, g.n%3, body+"\nJag bifogar en bild.\n")
	size := g.attachMin
	if g.attachMax > g.attachMin {
		size += g.rng.IntN(g.attachMax - g.attachMin)
	}
	data := make([]byte, size)
	for i := range data { // incompressible, as a JPEG is
		data[i] = byte(g.rng.Uint32())
	}
	fmt.Fprintf(b, "\r\n--%s\r\nContent-Type: image/jpeg; name=\"bild%d.jpg\"\r\nContent-Disposition: attachment; filename=\"bild%d.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary, g.n, g.n)
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	fmt.Fprintf(b, "\r\n--%s--\r\n", boundary)
}

// writeHTML writes an HTML-only body: a web form's table of fields, in
// ISO-8859-1 half the time.
func writeHTML(b *bytes.Buffer, subject, body, addr string) {
	html := "<html><head><style>td{font-family:Arial}</style></head><body><h2>Synpunkt från e-tjänsten</h2><table>" +
		"<tr><td>Ämne:</td><td>" + subject + "</td></tr><tr><td>E-post:</td><td>" + addr + "</td></tr>" +
		"<tr><td>Meddelande:</td><td>" + strings.ReplaceAll(body, "\n", "<br>\r\n") + "</td></tr></table>" +
		"<p style=\"color:#888\">Skickat via kommunens webbplats.</p></body></html>\r\n"
	if len(addr)%2 == 0 {
		b.WriteString("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		b.WriteString(html)
		return
	}
	b.WriteString("Content-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	for _, r := range html {
		b.WriteByte(byte(r))
	}
}
