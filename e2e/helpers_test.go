package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/internal/mailgen"
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

// next returns one message and its Message-ID (without angle brackets).
func (g *citizenMail) next() (raw []byte, messageID string) {
	g.n++
	c := mailgen.Draw(g.rng)
	first, last, host, subject := c.First, c.Last, c.Host, c.Subject
	messageID = fmt.Sprintf("%s.%d.%x@%s", g.prefix, g.n, g.rng.Uint32(), host)
	from := fmt.Sprintf("%s %s <%s.%s.%d@%s>", first, last, mailgen.Fold(first), mailgen.Fold(last), g.n, host)
	body := c.Body()
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: Synpunkter Exempelby <synpunkter@exempelby.se>\r\n", mimeWord(from))
	fmt.Fprintf(&b, "Subject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n",
		mimeWord(subject), time.Now().Format(time.RFC1123Z), messageID)
	if g.n%7 != 0 {
		mailgen.WriteText(&b, g.n%3, body)
		return b.Bytes(), messageID
	}
	// Every seventh has a photo over the spool threshold: it is fetched
	// into a file and kept in the spool.
	b.WriteString("Content-Type: multipart/mixed; boundary=\"e2e-b\"\r\n\r\n--e2e-b\r\n")
	mailgen.WriteText(&b, g.n%3, body)
	b.WriteString("\r\n--e2e-b\r\nContent-Type: image/jpeg; name=\"foto.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	photo := make([]byte, 300<<10)
	for i := range photo {
		photo[i] = byte(g.rng.Uint32())
	}
	enc := base64.StdEncoding.EncodeToString(photo)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--e2e-b--\r\n")
	return b.Bytes(), messageID
}

// mimeWord encodes s as an RFC 2047 word when it is not ASCII; in an
// address only the display name is encoded.
func mimeWord(s string) string {
	if name, addr, ok := strings.Cut(s, " <"); ok {
		return mime.BEncoding.Encode("utf-8", name) + " <" + addr
	}
	return mime.BEncoding.Encode("utf-8", s)
}

// appendAll appends msgs to INBOX over one IMAP connection.
func appendAll(t testing.TB, dc *dovecottest.Server, msgs [][]byte) {
	t.Helper()
	c := dc.Dial(t)
	defer c.Logout()
	for _, raw := range msgs {
		if err := mailgen.Append(c, "INBOX", raw); err != nil {
			t.Fatal(err)
		}
	}
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
