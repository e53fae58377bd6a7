package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/store"
)

// imapPasswordEnv names the variable the config file takes the Dovecot
// password from (config.Parse wants password_env with a username).
const imapPasswordEnv = "SYNPUNKT_E2E_IMAP_PASSWORD"

// moduleRoot returns the directory of the module's go.mod.
func moduleRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command(goTool(), "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD = %q, want the path of synpunkt's go.mod", gomod)
	}
	return filepath.Dir(gomod)
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// buildDaemon builds cmd/synpunkt into a temporary directory and returns
// the binary's path. The binary is not race-built, whatever the test is.
func buildDaemon(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "synpunkt")
	cmd := exec.CommandContext(ctx, goTool(), "build", "-o", bin, "./cmd/synpunkt")
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/synpunkt: %v\n%s", err, out)
	}
	return bin
}

// startSink starts an SMTP sink on a free port, closed by t.Cleanup.
func startSink(t testing.TB) *smtpsink.Sink {
	t.Helper()
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtpsink.Start: %v", err)
	}
	t.Cleanup(func() { sink.Close() })
	return sink
}

// configTOML is the sample municipality with its placeholder [imap] and
// [smtp] sections pointed at dc and sink, plus [store], [outbox] and [log].
func configTOML(t testing.TB, dc *dovecottest.Server, sinkAddr, dbPath string) []byte {
	t.Helper()
	s := string(sample.Municipality)
	imapOld := "[imap]\naddress = \"127.0.0.1:1\"\ntls = \"none\"\n"
	imapNew := fmt.Sprintf("[imap]\naddress = %q\ntls = \"none\"\nusername = %q\npassword_env = %q\n", dc.Addr(), dc.User(), imapPasswordEnv)
	smtpOld := "[smtp]\naddress = \"127.0.0.1:1\"\n"
	smtpNew := fmt.Sprintf("[smtp]\naddress = %q\n", sinkAddr)
	if !strings.Contains(s, imapOld) || !strings.Contains(s, smtpOld) {
		t.Fatalf("classify/sample/municipality.toml no longer has the placeholder [imap]/[smtp] sections this test replaces")
	}
	s = strings.Replace(s, imapOld, imapNew, 1)
	s = strings.Replace(s, smtpOld, smtpNew, 1)
	s += fmt.Sprintf("\n[store]\npath = %q\n\n[outbox]\nmin_backoff = \"1s\"\nmax_backoff = \"5s\"\n\n[log]\nlevel = \"warn\"\n", dbPath)
	return []byte(s)
}

// citizenMail generates distinct, realistic synpunkter: Swedish text, a
// citizen's From address, a unique Message-ID, and a little variation in
// charset and transfer encoding.
type citizenMail struct {
	rng    *rand.Rand
	prefix string // makes Message-IDs unique across generators
	n      int
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

// next returns one message and its Message-ID (without angle brackets).
func (g *citizenMail) next() (raw []byte, messageID string) {
	g.n++
	first, last := pick(g.rng, firstNames), pick(g.rng, lastNames)
	host := pick(g.rng, mailHosts)
	topic := pick(g.rng, topics)
	r := strings.NewReplacer("{gata}", pick(g.rng, streets), "{nr}", fmt.Sprint(1+g.rng.IntN(120)))
	subject, text := r.Replace(topic.subject), r.Replace(topic.body)
	messageID = fmt.Sprintf("%s.%d.%x@%s", g.prefix, g.n, g.rng.Uint32(), host)
	from := fmt.Sprintf("%s %s <%s.%s.%d@%s>", first, last, asciiFold(first), asciiFold(last), g.n, host)
	body := "Hej!\n\n" + text + "\n\nMed vänliga hälsningar\n" + first + " " + last + "\n"
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: Synpunkter Exempelby <synpunkter@exempelby.se>\r\n", mimeWord(from))
	fmt.Fprintf(&b, "Subject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n",
		mimeWord(subject), time.Now().Format(time.RFC1123Z), messageID)
	writeBody(&b, g.n%3, body)
	return b.Bytes(), messageID
}

// writeBody writes the Content-Type header and body in one of three
// encodings: UTF-8 8bit, UTF-8 quoted-printable, ISO-8859-1 8bit.
func writeBody(b *bytes.Buffer, variant int, body string) {
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

// mimeWord encodes s as an RFC 2047 word when it is not ASCII; in an
// address only the display name is encoded.
func mimeWord(s string) string {
	if name, addr, ok := strings.Cut(s, " <"); ok {
		return mime.BEncoding.Encode("utf-8", name) + " <" + addr
	}
	return mime.BEncoding.Encode("utf-8", s)
}

func asciiFold(s string) string {
	return strings.ToLower(strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "Å", "A", "Ä", "A", "Ö", "O").Replace(s))
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// appendAll appends msgs to INBOX over one IMAP connection.
func appendAll(t testing.TB, dc *dovecottest.Server, msgs [][]byte) {
	t.Helper()
	c := dc.Dial(t)
	defer c.Logout()
	for _, raw := range msgs {
		if err := appendOne(c, raw); err != nil {
			t.Fatalf("append to INBOX: %v", err)
		}
	}
}

func appendOne(c *imapclient.Client, raw []byte) error {
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		return err
	}
	if err := cmd.Close(); err != nil {
		return err
	}
	_, err := cmd.Wait()
	return err
}

// ledger is what the store says after a run.
type ledger struct {
	outcomes map[string]int      // intake ledger rows per outcome
	docs     map[string]int      // documents per Message-ID
	cases    int                 // rows in cases
	outbox   []store.OutboxRow   // every notification
	byCase   map[int64][2][]bool // per case: forward and receipt rows, true if sent
}

// readLedger opens the store at path (no daemon may be writing it) and
// reads the figures the tests check.
func readLedger(t testing.TB, path string) ledger {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("store.Open(%q): %v", path, err)
	}
	defer st.Close()
	l := ledger{docs: map[string]int{}, byCase: map[int64][2][]bool{}}
	if l.outcomes, err = st.IntakeCounts(ctx); err != nil {
		t.Fatalf("IntakeCounts: %v", err)
	}
	if err := st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM cases").Scan(&l.cases); err != nil {
		t.Fatalf("count cases: %v", err)
	}
	rows, err := st.DB().QueryContext(ctx, "SELECT message_id, COUNT(*) FROM documents GROUP BY message_id")
	if err != nil {
		t.Fatalf("read documents: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatalf("read documents: %v", err)
		}
		l.docs[strings.Trim(id, "<>")] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read documents: %v", err)
	}
	if l.outbox, err = st.AllOutbox(ctx); err != nil {
		t.Fatalf("AllOutbox: %v", err)
	}
	for _, o := range l.outbox {
		if i, ok := kindIndex[o.Kind]; ok {
			e := l.byCase[o.CaseID]
			e[i] = append(e[i], o.Status == store.OutboxSent)
			l.byCase[o.CaseID] = e
		}
	}
	return l
}

// total is the number of intake ledger rows.
func (l ledger) total() int {
	n := 0
	for _, v := range l.outcomes {
		n += v
	}
	return n
}

// pending counts outbox rows not yet sent or failed.
func (l ledger) pending() int {
	n := 0
	for _, o := range l.outbox {
		if o.Status == store.OutboxPending {
			n++
		}
	}
	return n
}

// countPending counts pending outbox rows through a short-lived read-only
// use of the store; safe while a daemon writes it (WAL).
func countPending(ctx context.Context, path string) (int, error) {
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	var n int
	err = st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE status = ?", store.OutboxPending).Scan(&n)
	return n, err
}

// deliveries counts the sink's accepted messages per Message-ID.
func deliveries(t testing.TB, msgs []smtpsink.Received) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i, m := range msgs {
		pm, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatalf("sink message %d: %v", i, err)
		}
		out[strings.Trim(pm.Header.Get("Message-Id"), "<> ")]++
	}
	return out
}
