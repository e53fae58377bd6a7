package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/dovecottest"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/internal/testshared"
	"github.com/exempelby/synpunkt/internal/twiliofake"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/store"
)

// e2e is a daemon running against a real Dovecot, an SMTP sink and the
// Twilio stand-in.
type e2e struct {
	t      *testing.T
	dc     *dovecottest.Server
	sink   *smtpsink.Sink
	twilio *twiliofake.Server
	d      *Daemon
	stop   func()
}

// clock is the daemon's clock in tests: real time plus a settable offset.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

func startE2E(t *testing.T) *e2e {
	t.Helper()
	return startE2EClock(t, nil)
}

func startE2EClock(t *testing.T, clk *clock) *e2e {
	t.Helper()
	dc := dovecottest.Start(t)
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	tw := twiliofake.StartWithCredentials("AC00000000000000000000000000000000", "token0123456789")
	t.Cleanup(tw.Close)
	cfg := testshared.SampleConfig(t)
	cfg.IMAP.Address, cfg.IMAP.TLS, cfg.IMAP.Username, cfg.IMAP.Password = dc.Addr(), "none", "synpunkt", dc.Password()
	cfg.SMTP.Address, cfg.SMTP.TLS = sink.Addr(), "none"
	cfg.SMS = &config.SMS{Provider: "twilio", AccountSID: "AC00000000000000000000000000000000", AuthToken: "token0123456789", From: "+46700000000", BaseURL: tw.URL()}
	cfg.Intake.MaxMessageSize = 64 << 10
	cfg.Deadlines.CheckInterval = config.Duration{Duration: 50 * time.Millisecond}
	opt := Options{OutboxBackoff: 100 * time.Millisecond}
	if clk != nil {
		opt.Now = clk.now
	}
	d, err := New(context.Background(), cfg, slog.New(slog.DiscardHandler), opt)
	if err != nil {
		t.Fatal(err)
	}
	d.Pipeline.DontRecover = true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	e := &e2e{t: t, dc: dc, sink: sink, twilio: tw, d: d}
	e.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run() = %v", err)
		}
		d.Close()
	}
	t.Cleanup(func() {
		if e.stop != nil {
			e.stop()
		}
	})
	return e
}

// waitLedger waits until n messages are recorded, the inbox is empty and
// the outbox has nothing pending.
func (e *e2e) waitLedger(n int) {
	e.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		counts, err := e.d.Store.IntakeCounts(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		total := 0
		for _, c := range counts {
			total += c
		}
		_, pending, _ := e.d.Store.NextOutboxAt(ctx)
		if total >= n && !pending && e.dc.Count(e.t, "INBOX") == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("after 30s: ledger %v (want %d), outbox pending %v, inbox %d; dovecot log: %s", counts, n, pending, e.dc.Count(e.t, "INBOX"), e.dc.LogPath())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sent returns the sink's messages to addr, parsed.
func (e *e2e) sent(addr string) []*synpunkt.Message {
	var out []*synpunkt.Message
	for _, m := range e.sink.Messages() {
		for _, to := range m.To {
			if to == addr {
				msg, err := mimeparse.Parse(m.Data)
				if err != nil {
					e.t.Fatalf("sink message to %s does not parse: %v", addr, err)
				}
				out = append(out, msg)
			}
		}
	}
	return out
}

func (e *e2e) caseOf(messageID string) synpunkt.Case {
	e.t.Helper()
	var id int64
	if err := e.d.Store.DB().QueryRow("SELECT case_id FROM documents WHERE message_id = ?", messageID).Scan(&id); err != nil {
		e.t.Fatalf("no document with Message-ID %s: %v", messageID, err)
	}
	c, err := e.d.Store.Case(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *e2e) text(messageID string) string {
	var text string
	e.d.Store.DB().QueryRow("SELECT text FROM documents WHERE message_id = ?", messageID).Scan(&text)
	return text
}

func raw(headers string, body string) []byte {
	return []byte(strings.ReplaceAll(strings.TrimSpace(headers), "\n", "\r\n") + "\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n"))
}

// TestDovecotEndToEnd runs the whole flow through a real Dovecot: backlog
// and IDLE arrival, charsets, the move to Registrerade, quarantine,
// threading by References, tag and plus-address, receipts by e-mail and
// SMS, and no receipt for auto-replies, bounces and list mail.
func TestDovecotEndToEnd(t *testing.T) {
	e := startE2E(t)
	date := time.Now().Format(time.RFC1123Z)

	// Backlog: three charsets, HTML-only, and an unparseable message.
	backlog := map[string][]byte{
		"latin1@example.com": raw(`From: =?iso-8859-1?q?B=F6rje_=C5str=F6m?= <borje@example.com>
To: synpunkter@exempelby.se
Subject: =?iso-8859-1?q?Sn=F6r=F6jning_p=E5_Storgatan?=
Date: `+date+`
Message-ID: <latin1@example.com>
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable`, "Sn=F6r=F6jningen p=E5 Storgatan =E4r d=E5lig."),
		"cp1252@example.com": []byte("From: cp@example.com\r\nTo: synpunkter@exempelby.se\r\nSubject: Parkering\r\nDate: " + date +
			"\r\nMessage-ID: <cp1252@example.com>\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nVarf\xf6r \xe4r parkeringen vid Torget s\xe5 dyr \x96 och s\xe5 sv\xe5r att hitta?\r\n"),
		"utf8b64@example.com": raw(`From: u8@example.com
To: synpunkter@exempelby.se
Subject: =?utf-8?b?QmVyw7ZtIHRpbGwgYmlibGlvdGVrZXQ=?=
Date: `+date+`
Message-ID: <utf8b64@example.com>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64`, "VGFjayBmw7ZyIGrDpHR0ZWJyYSBiZW3DtnRhbmRlIHDDpSBiaWJsaW90ZWtldCE="),
		"html@example.com": raw(`From: html@example.com
To: synpunkter@exempelby.se
Subject: Simhallen
Date: `+date+`
Message-ID: <html@example.com>
Content-Type: text/html; charset=utf-8`, "<html><body><p>Varför är <b>simhallen</b> stängd?</p><p>Hälsningar</p></body></html>"),
	}
	for _, m := range backlog {
		e.dc.Append(t, "INBOX", m)
	}
	// Nothing usable at all (a lone blank line; Dovecot refuses a zero-byte
	// message): unparseable, quarantined.
	e.dc.Append(t, "INBOX", []byte("\r\n"))
	// A message over intake.max_message_size (64 KiB here): quarantined.
	e.dc.Append(t, "INBOX", raw("From: big@example.com\nSubject: Bilaga\nMessage-ID: <big@example.com>", strings.Repeat("QUJD\n", 30000)))
	e.waitLedger(len(backlog) + 2)
	wantText := map[string]string{
		"latin1@example.com":  "Snöröjningen på Storgatan är dålig.",
		"cp1252@example.com":  "Varför är parkeringen vid Torget så dyr – och så svår att hitta?",
		"utf8b64@example.com": "Tack för jättebra bemötande på biblioteket!",
		"html@example.com":    "Varför är simhallen stängd?",
	}
	for id, want := range wantText {
		if got := e.text(id); !strings.Contains(got, want) {
			t.Errorf("text of %s = %q, want it to contain %q", id, got, want)
		}
	}
	if got := e.dc.Count(t, "Registrerade"); got != len(backlog) {
		t.Errorf("Registrerade holds %d messages, want %d", got, len(backlog))
	}
	if got := e.dc.Count(t, "Karantän"); got != 2 {
		t.Errorf("Karantän holds %d messages, want 2", got)
	}
	q, _ := e.d.Store.Quarantined(context.Background())
	if len(q) != 2 || !strings.Contains(q[0].Reason+q[1].Reason, "unparseable") || !strings.Contains(q[0].Reason+q[1].Reason, "too large") {
		t.Errorf("quarantine reasons = %+v, want one unparseable and one too large", q)
	}
	if c := e.caseOf("latin1@example.com"); c.Unit != "Gatu- och parkenheten" || strings.Contains(c.Description, "Börje") {
		t.Errorf("latin1 case = %+v", c)
	}
	receipts := e.sent("borje@example.com")
	if len(receipts) != 1 {
		t.Fatalf("receipts to borje@example.com = %d, want 1", len(receipts))
	}
	receipt := receipts[0]

	// Arrivals while idle: a reply by References, a staff reply by tag, a
	// plus-address reply, automated mail, a bounce, and an SMS-only form.
	number := e.caseOf("latin1@example.com").Number
	arrivals := [][]byte{
		raw("From: borje@example.com\nTo: "+receipt.ReplyTo[0].Addr+"\nSubject: Re: "+receipt.Subject+"\nMessage-ID: <reply-ref@example.com>\nIn-Reply-To: <"+receipt.MessageID+">\nReferences: <"+receipt.MessageID+">", "Ett tillägg: isen ligger kvar."),
		raw("From: gatuchef@exempelby.se\nTo: borje@example.com\nSubject: Svar ["+number+"]\nMessage-ID: <reply-tag@exempelby.se>", "Vi plogar i morgon."),
		raw("From: granne@example.org\nTo: "+receipt.ReplyTo[0].Addr+"\nSubject: Samma problem\nMessage-ID: <reply-plus@example.org>", "Jag bor också på Storgatan."),
		raw("From: semester@example.com\nTo: synpunkter@exempelby.se\nSubject: Autosvar: Frånvarande\nAuto-Submitted: auto-replied\nMessage-ID: <auto@example.com>", "Jag är ledig."),
		raw("From: lista@example.com\nTo: synpunkter@exempelby.se\nSubject: Nyhetsbrev om parker\nList-Id: <nyheter.example.com>\nPrecedence: list\nMessage-ID: <list@example.com>", "Månadens nyheter om parken."),
		raw("From: MAILER-DAEMON@mx.example.com\nTo: synpunkter@exempelby.se\nSubject: Undelivered Mail\nReturn-Path: <>\nMessage-ID: <bounce@mx.example.com>\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"",
			"--b\nContent-Type: text/plain\n\n550 user unknown\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: <"+receipt.MessageID+">\n--b--"),
		raw("From: noreply-e-tjanst@exempelby.se\nTo: synpunkter@exempelby.se\nSubject: Ny synpunkt\nMessage-ID: <form-sms@exempelby.se>\nContent-Type: text/plain; charset=utf-8", "Namn:\nE-post:\nTelefon: 070-555 12 34\nMeddelande: När öppnar simhallen på lördagar?"),
	}
	for _, m := range arrivals {
		e.dc.Append(t, "INBOX", m)
	}
	e.waitLedger(len(backlog) + 2 + len(arrivals))

	c := e.caseOf("latin1@example.com")
	var types []string
	for _, d := range c.Documents {
		types = append(types, string(d.Type))
	}
	if got := strings.Join(types, ","); got != "Klagomål,Komplettering,Svar,Komplettering" {
		t.Errorf("documents of %s = %s, want Klagomål,Komplettering,Svar,Komplettering", number, got)
	}
	for _, addr := range []string{"semester@example.com", "lista@example.com", "MAILER-DAEMON@mx.example.com", "mailer-daemon@mx.example.com"} {
		if n := len(e.sent(addr)); n != 0 {
			t.Errorf("%d messages sent to %s, want none", n, addr)
		}
	}
	var outcome string
	var bounceCase int64
	e.d.Store.DB().QueryRow("SELECT outcome, COALESCE(case_id, 0) FROM intake WHERE source LIKE 'imap:%' AND outcome = 'bounce'").Scan(&outcome, &bounceCase)
	if outcome != store.OutcomeBounce || bounceCase != c.ID {
		t.Errorf("bounce recorded as %q for case %d, want bounce for case %d", outcome, bounceCase, c.ID)
	}
	sms := e.twilio.Messages()
	if len(sms) != 1 || sms[0].To != "+46705551234" || !strings.Contains(sms[0].Body, "SYN-") {
		t.Errorf("SMS = %+v, want one receipt to +46705551234 with a case number", sms)
	}
	if n := e.dc.Count(t, "INBOX"); n != 0 {
		t.Errorf("INBOX still holds %d messages", n)
	}
}

// TestDovecotRestartAndUIDValidity: intake reconnects after Dovecot
// restarts and survives a UIDVALIDITY change without re-registering.
func TestDovecotRestartAndUIDValidity(t *testing.T) {
	e := startE2E(t)
	send := func(i int) {
		e.dc.Append(t, "INBOX", raw(fmt.Sprintf("From: medborgare%d@example.com\nTo: synpunkter@exempelby.se\nSubject: Bibliotek %d\nMessage-ID: <r%d@example.com>", i, i, i), "Biblioteket är bra."))
	}
	send(1)
	e.waitLedger(1)
	e.dc.Restart()
	send(2)
	e.waitLedger(2)
	// A message is left in INBOX after registration (as after a crash
	// between commit and MOVE), then UIDVALIDITY changes.
	e.stop()
	e.stop = nil
	e.dc.Append(t, "INBOX", e.dc.List(t, "Registrerade")[0])
	send(3)
	e.dc.ResetUIDValidity(t, "INBOX")
	cfg := e.d.Config
	d, err := New(context.Background(), cfg, slog.New(slog.DiscardHandler), Options{OutboxBackoff: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	e.d = d
	e.stop = func() { cancel(); <-done; d.Close() }
	e.waitLedger(3)
	cases, err := d.Store.ListCases(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 3 {
		t.Errorf("cases = %d, want 3 (the re-delivered copy must not open a case)", len(cases))
	}
	if n := len(e.sent("medborgare1@example.com")); n != 1 {
		t.Errorf("receipts to medborgare1 = %d, want 1", n)
	}
}

// TestDovecotLifecycle: a case is registered through Dovecot, the clock
// passes the 48-working-hour deadline and the escalation time, the
// escalation reaches the manager's manager, a staff reply with #avsluta
// closes the case, and the citizen gets the closing notice.
func TestDovecotLifecycle(t *testing.T) {
	clk := &clock{}
	e := startE2EClock(t, clk)
	e.dc.Append(t, "INBOX", raw("From: Per <per@example.net>\nTo: synpunkter@exempelby.se\nSubject: Snöröjning\nMessage-ID: <life@example.net>",
		"Snöröjningen på Storgatan fungerar inte."))
	e.waitLedger(1)
	c := e.caseOf("life@example.net")
	if c.FirstResponseDue.IsZero() {
		t.Fatal("case has no first-response deadline")
	}
	if len(e.sent("samhallsbyggnadschef@exempelby.se")) != 0 {
		t.Fatal("escalated before the deadline")
	}
	// A week later: the reminder to the handler, then the escalations.
	clk.advance(8 * 24 * time.Hour)
	waitSent(t, e, "samhallsbyggnadschef@exempelby.se")
	if n := len(e.sent("gatuchef@exempelby.se")); n < 2 {
		t.Errorf("manager got %d mails, want the forward and a reminder", n)
	}
	// The reply goes to the case's signed address: without
	// organisation.authserv_id that is what #commands need.
	e.dc.Append(t, "INBOX", raw("From: Gatuchefen <gatuchef@exempelby.se>\nTo: per@example.net\nCc: "+e.d.Pipeline.Threads().ReplyAddress(c.Number)+"\nSubject: Svar ["+c.Number+"] Snöröjning\nMessage-ID: <life-close@exempelby.se>",
		"#avsluta Gångbanorna är plogade.\n\nHej Per, nu är det plogat."))
	e.waitLedger(2)
	testkit.WaitFor(t, "the case to close", func() bool { return e.caseOf("life@example.net").Status == synpunkt.StatusClosed })
	testkit.WaitFor(t, "the closing notice to the citizen", func() bool {
		for _, m := range e.sent("per@example.net") {
			if strings.Contains(m.Text, c.Number) && strings.Contains(strings.ToLower(m.Subject), "avslutat") {
				return true
			}
		}
		return false
	})
}

func waitSent(t *testing.T, e *e2e, addr string) {
	t.Helper()
	testkit.WaitFor(t, "a mail to "+addr, func() bool { return len(e.sent(addr)) > 0 })
}
