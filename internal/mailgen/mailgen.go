// Package mailgen makes realistic citizen mail for the end-to-end tests and
// the bench command, and appends it to a mailbox over IMAP: Swedish
// names, streets and topics, a unique address per message, and text bodies
// in three charsets and transfer encodings.
//
// What always holds: every draw comes from the caller's *rand.Rand, so a
// seed gives the same mail; bodies use CRLF line ends, and the Latin-1
// variant holds only characters Latin-1 has (the lists are Swedish).
//
// How it fails: only Append can fail, with the IMAP error wrapped.
package mailgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"

	"github.com/emersion/go-imap/v2/imapclient"
)

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

// Pick returns one of xs, drawn from rng.
func Pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// Citizen is one drawn synpunkt: who wrote it, from which mail host, and
// the subject and text with a street and house number filled in.
type Citizen struct {
	First, Last, Host string
	Subject, Text     string
}

// Draw draws a citizen and a topic from rng.
func Draw(rng *rand.Rand) Citizen {
	first, last := Pick(rng, firstNames), Pick(rng, lastNames)
	host := Pick(rng, mailHosts)
	topic := Pick(rng, topics)
	r := strings.NewReplacer("{gata}", Pick(rng, streets), "{nr}", fmt.Sprint(1+rng.IntN(120)))
	return Citizen{First: first, Last: last, Host: host, Subject: r.Replace(topic.subject), Text: r.Replace(topic.body)}
}

// Body is the text as a citizen writes it: a greeting, the text and a
// signature, with LF line ends.
func (c Citizen) Body() string {
	return "Hej!\n\n" + c.Text + "\n\nMed vänliga hälsningar\n" + c.First + " " + c.Last + "\n"
}

// Fold lowercases s and folds the Swedish letters to ASCII, for the local
// part of an address.
func Fold(s string) string {
	return strings.ToLower(strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "Å", "A", "Ä", "A", "Ö", "O").Replace(s))
}

// WriteText writes the Content-Type header and body in one of three
// encodings by variant%3: UTF-8 8bit, UTF-8 quoted-printable, ISO-8859-1
// 8bit.
func WriteText(b *bytes.Buffer, variant int, body string) {
	body = strings.ReplaceAll(body, "\n", "\r\n")
	switch variant % 3 {
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

// Append appends raw to mailbox over c and waits for the server's answer.
func Append(c *imapclient.Client, mailbox string, raw []byte) error {
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		return fmt.Errorf("append to %s: %w", mailbox, err)
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("append to %s: %w", mailbox, err)
	}
	if _, err := cmd.Wait(); err != nil {
		return fmt.Errorf("append to %s: %w", mailbox, err)
	}
	return nil
}
