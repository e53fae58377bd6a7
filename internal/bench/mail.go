package bench

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"
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

var (
	firstNames = []string{"Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Mikael", "Elin", "Per", "Ingrid", "Oskar", "Linnéa", "Björn"}
	lastNames  = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Lindqvist", "Åberg", "Öberg", "Sjöström"}
	streets    = []string{"Storgatan", "Kyrkvägen", "Skolgatan", "Järnvägsgatan", "Östra Långgatan", "Björkvägen", "Ängsvägen", "Sjövägen", "Parkgatan"}
	mailHosts  = []string{"exempelpost.se", "brevlada.example", "hemma.example.net"}
	topics     = []struct{ subject, body string }{
		{"Trasig gatubelysning på {gata}", "Gatlyktan utanför {gata} {nr} har varit släckt i snart två veckor. Det är mörkt och otrevligt att gå där på kvällarna. Kan ni byta lampan?"},
		{"Stora hål i asfalten", "Det har blivit flera djupa hål i asfalten på {gata} vid nummer {nr}. Cyklister får väja ut i körbanan. Snälla laga dem innan vintern."},
		{"Tack för den fina lekplatsen", "Jag vill bara tacka för den nya lekplatsen vid {gata} {nr}. Barnen älskar den och de nya bänkarna är mycket uppskattade."},
		{"Öppettider på biblioteket", "Varför har biblioteket ändrat öppettiderna på lördagar? Jag bor på {gata} {nr} och hinner bara låna böcker på helgen. Går det att ha öppet längre?"},
		{"Soptunnan har inte tömts", "Vår soptunna på {gata} {nr} har inte tömts på tre veckor fast vi har hämtning varannan vecka. Det börjar lukta illa i hela gården."},
		{"Klotter på busskuren", "Busskuren vid {gata} {nr} är full av klotter igen. Kan någon från kommunen sanera den?"},
		{"Förslag: fler papperskorgar", "Jag promenerar ofta längs {gata} och ser att papperskorgarna vid nummer {nr} alltid är överfulla. Mitt förslag är att ni sätter upp fler."},
		{"Kallt vatten i simhallen", "Vattnet i simhallen har varit mycket kallt de senaste veckorna. Jag simmar där varje morgon innan jag cyklar hem till {gata} {nr}."},
		{"Snöröjningen på {gata}", "Snöröjningen på {gata} fungerar dåligt. Vid nummer {nr} ligger plogvallen så högt att man inte kommer ut med bilen."},
		{"Fråga om bygglov för altan", "Behöver jag bygglov för en altan på 25 kvadratmeter? Huset ligger på {gata} {nr}. Tacksam för svar."},
	}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

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
	first, last := pick(g.rng, firstNames), pick(g.rng, lastNames)
	host := pick(g.rng, mailHosts)
	topic := pick(g.rng, topics)
	r := strings.NewReplacer("{gata}", pick(g.rng, streets), "{nr}", fmt.Sprint(1+g.rng.IntN(120)))
	subject, text := r.Replace(topic.subject), r.Replace(topic.body)
	addr = fmt.Sprintf("%s.%s.%s%d@%s", fold(first), fold(last), g.prefix, g.n, host)
	body := "Hej!\n\n" + text + "\n\nMed vänliga hälsningar\n" + first + " " + last + "\n"
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
		writeText(&b, g.n%3, body)
	}
	return b.Bytes(), addr
}

// writeText writes the Content-Type header and body in one of three
// encodings: UTF-8 8bit, UTF-8 quoted-printable, ISO-8859-1 8bit.
func writeText(b *bytes.Buffer, variant int, body string) {
	body = strings.ReplaceAll(body, "\n", "\r\n")
	switch variant {
	case 0:
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		b.WriteString(body)
	case 1:
		b.WriteString("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		w := quotedprintable.NewWriter(b)
		w.Write([]byte(body))
		w.Close()
	default:
		b.WriteString("Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		for _, r := range body {
			b.WriteByte(byte(r)) // Swedish letters are all in Latin-1
		}
	}
}

// withAttachment writes a multipart/mixed body: the text and a photo of
// attachMin–attachMax bytes, base64 in 76-column lines.
func (g *generator) withAttachment(b *bytes.Buffer, body string) {
	boundary := fmt.Sprintf("=_bench_%d", g.n)
	fmt.Fprintf(b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n--%s\r\n", boundary, boundary)
	writeText(b, g.n%3, body+"\nJag bifogar en bild.\n")
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

func fold(s string) string {
	return strings.ToLower(strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "Å", "A", "Ä", "A", "Ö", "O").Replace(s))
}
