// Package demo owns `synpunkt demo`: the whole flow on an embedded default,
// with no config and no network. It starts go-imap's in-memory IMAP server,
// an in-process SMTP sink and a local stand-in for Twilio's Messages API,
// fills the mailbox with realistic Swedish sample synpunkter, runs the real
// daemon (intake, pipeline, store, outbox) over them, and prints the
// resulting cases and every message the citizens and managers would get.
//
// What always holds: the demo runs the same code as `synpunkt run`, only the
// servers are in-process; it leaves nothing behind unless --db is given.
//
// How it fails: Run returns an error when the flow does not complete in
// time (a message was not registered or a notification not sent), naming
// what was missing, so the demo doubles as a smoke test.
package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/memimap"
	"github.com/exempelby/synpunkt/internal/report"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/internal/twiliofake"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/store"
)

//go:embed samples/*.eml
var samples embed.FS

// Options tune the demo.
type Options struct {
	DBPath  string        // where to keep the database; "" = a temp dir
	Timeout time.Duration // default 60s
	Log     io.Writer     // daemon logs; nil = discarded
	// Metrics, if set, gets the daemon's synpunkt_* metrics (as /metrics
	// serves them) once the scenario is done.
	Metrics io.Writer
}

const (
	demoUser, demoPass = "synpunkter", "demo"
	twilioSID          = "AC00000000000000000000000000000000"
	twilioToken        = "demotoken0123456789"
)

// env is the embedded infrastructure of the demo.
type env struct {
	imapAddr string
	mem      *memimap.Server
	sink     *smtpsink.Sink
	twilio   *twiliofake.Server
	close    func()
}

func startEnv() (*env, error) {
	mem, err := memimap.Start(memimap.Options{User: demoUser, Password: demoPass})
	if err != nil {
		return nil, err
	}
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		mem.Close()
		return nil, fmt.Errorf("smtp sink: %w", err)
	}
	tw := twiliofake.StartWithCredentials(twilioSID, twilioToken)
	return &env{imapAddr: mem.Addr(), mem: mem, sink: sink, twilio: tw, close: func() {
		mem.Close()
		sink.Close()
		tw.Close()
	}}, nil
}

// Config returns the demo's config: the sample municipality pointed at the
// embedded servers.
func (e *env) config(dbPath string) (*config.Config, error) {
	c, err := config.Parse(sample.Municipality)
	if err != nil {
		return nil, fmt.Errorf("sample config: %w", err)
	}
	c.IMAP.Address, c.IMAP.TLS, c.IMAP.Username, c.IMAP.Password = e.imapAddr, "none", demoUser, demoPass
	c.IMAP.PasswordEnv = "-"
	c.SMTP.Address, c.SMTP.TLS = e.sink.Addr(), "none"
	c.SMS = &config.SMS{Provider: "twilio", AccountSID: twilioSID, AuthTokenEnv: "-", AuthToken: twilioToken, From: "+46700000000", BaseURL: e.twilio.URL()}
	// go-imap's in-memory server can miss an arrival that lands just as
	// IDLE starts; re-issuing IDLE every second bounds that in the demo.
	c.IMAP.IdleRestart = config.Duration{Duration: time.Second}
	c.Store.Path = dbPath
	c.Log.Level = "info"
	return c, c.Validate()
}

func (e *env) appendSample(name string, vars map[string]string) error {
	b, err := samples.ReadFile("samples/" + name)
	if err != nil {
		return err
	}
	for k, v := range vars {
		b = bytes.ReplaceAll(b, []byte("{{"+k+"}}"), []byte(v))
	}
	return e.mem.Append("INBOX", b, time.Now())
}

// Run runs the demo and prints what happened to w.
func Run(ctx context.Context, w io.Writer, opt Options) error {
	if opt.Timeout == 0 {
		opt.Timeout = 60 * time.Second
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	e, err := startEnv()
	if err != nil {
		return err
	}
	defer e.close()
	dbPath := opt.DBPath
	if dbPath == "" {
		dir, cleanup, err := tempDir()
		if err != nil {
			return err
		}
		defer cleanup()
		dbPath = filepath.Join(dir, "demo.db")
	}
	cfg, err := e.config(dbPath)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(opt.Log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	d, err := daemon.New(ctx, cfg, log, daemon.Options{OutboxBackoff: 200 * time.Millisecond})
	if err != nil {
		return err
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()
	err = e.scenario(ctx, w, d.Store)
	if err == nil && opt.Metrics != nil {
		writeMetrics(opt.Metrics, d)
	}
	stop()
	if rerr := <-done; err == nil {
		err = rerr
	}
	if err != nil {
		return err
	}
	if err := e.print(ctx, w, d.Store); err != nil {
		return err
	}
	return printDue(ctx, w, d)
}

// scenario appends the samples, waits for them to be handled, then sends a
// citizen's complement and a manager's reply to the snow-clearing case.
func (e *env) scenario(ctx context.Context, w io.Writer, st *store.Store) error {
	now := time.Now().Format(time.RFC1123Z)
	first := []string{"01-berom.eml", "02-klagomal.eml", "03-forslag.eml", "04-formular.eml", "05-formular-sms.eml", "06-autosvar.eml"}
	for _, s := range first {
		if err := e.appendSample(s, map[string]string{"DATE": now}); err != nil {
			return fmt.Errorf("append %s: %w", s, err)
		}
	}
	fmt.Fprintf(w, "Lade %d exempelmeddelanden i den inbyggda brevlådan; kör synpunkt över dem …\n\n", len(first))
	if err := waitFor(ctx, st, len(first), "the first six messages"); err != nil {
		return err
	}
	receipt, err := e.receiptTo(ctx, "per.olsson@example.net")
	if err != nil {
		return err
	}
	vars := map[string]string{"DATE": now, "REPLY_TO": receipt.replyTo, "IN_REPLY_TO": receipt.messageID, "SUBJECT": receipt.subject, "NUMBER": receipt.number}
	for _, s := range []string{"07-komplettering.eml", "08-svar.eml"} {
		if err := e.appendSample(s, vars); err != nil {
			return fmt.Errorf("append %s: %w", s, err)
		}
	}
	return waitFor(ctx, st, len(first)+2, "the complement and the reply")
}

type receiptInfo struct{ replyTo, messageID, subject, number string }

// receiptTo waits for the receipt sent to addr and returns its threading
// headers, as a citizen's mail client would use them.
func (e *env) receiptTo(ctx context.Context, addr string) (receiptInfo, error) {
	for ctx.Err() == nil {
		for _, m := range e.sink.Messages() {
			if len(m.To) == 0 || m.To[0] != addr {
				continue
			}
			msg, err := mimeparse.Parse(m.Data)
			if err != nil || len(msg.ReplyTo) == 0 || !strings.Contains(msg.Subject, "[") {
				continue
			}
			num := msg.Subject[strings.LastIndex(msg.Subject, "[")+1 : strings.LastIndex(msg.Subject, "]")]
			return receiptInfo{replyTo: msg.ReplyTo[0].Addr, messageID: msg.MessageID, subject: msg.Subject, number: num}, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return receiptInfo{}, fmt.Errorf("no receipt reached %s: %w", addr, ctx.Err())
}

// waitFor waits until n messages are in the ledger and the outbox is empty.
func waitFor(ctx context.Context, st *store.Store, n int, what string) error {
	for {
		counts, err := st.IntakeCounts(ctx)
		if err != nil {
			return err
		}
		total := 0
		for _, c := range counts {
			total += c
		}
		_, pending, err := st.NextOutboxAt(ctx)
		if err != nil {
			return err
		}
		if total >= n && !pending {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("demo: %s not handled in time (%d of %d registered, outbox pending: %v): %w", what, total, n, pending, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// print shows the cases and what the sink and the SMS API received.
func (e *env) print(ctx context.Context, w io.Writer, st *store.Store) error {
	cases, err := st.ListCases(ctx, store.Filter{})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "== Registrerade ärenden (metadata utan personuppgifter) ==")
	report.Cases(w, cases)
	counts, err := st.IntakeCounts(ctx)
	if err != nil {
		return err
	}
	keys := slices.Sorted(maps.Keys(counts))
	fmt.Fprint(w, "\nInkomna meddelanden:")
	for _, k := range keys {
		fmt.Fprintf(w, " %s=%d", k, counts[k])
	}
	fmt.Fprintln(w)
	for _, c := range cases {
		if len(c.Documents) > 1 {
			fmt.Fprintln(w)
			if err := report.Case(ctx, w, st, c.Number); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(w, "\n== E-post som SMTP-servern tog emot ==")
	for i, m := range e.sink.Messages() {
		msg, err := mimeparse.Parse(m.Data)
		subject := "(kunde inte läsas)"
		if err == nil {
			subject = msg.Subject
		}
		fmt.Fprintf(w, "%2d. till %-34s %s\n", i+1, strings.Join(m.To, ", "), subject)
	}
	fmt.Fprintln(w, "\n== SMS som skickades via Twilio-API:t ==")
	for i, m := range e.twilio.Messages() {
		fmt.Fprintf(w, "%2d. till %s: %s\n", i+1, m.To, strings.ReplaceAll(m.Body, "\n", " "))
	}
	if msgs := e.sink.Messages(); len(msgs) > 0 {
		fmt.Fprintln(w, "\n== Exempel: mottagningsbekräftelsen till medborgaren ==")
		for _, m := range msgs {
			if msg, err := mimeparse.Parse(m.Data); err == nil && strings.HasPrefix(msg.Subject, "Vi har tagit emot") {
				fmt.Fprintf(w, "Ämne: %s\n\n%s\n", msg.Subject, strings.TrimSpace(msg.Text))
				break
			}
		}
	}
	return nil
}

func tempDir() (string, func(), error) {
	d, err := os.MkdirTemp("", "synpunkt-demo-")
	if err != nil {
		return "", nil, err
	}
	return d, func() { os.RemoveAll(d) }, nil
}

// printDue shows what the deadline scheduler would send five working days
// from now if nobody answered: the clerk's view of `synpunkt deadlines
// --dry-run`.
func printDue(ctx context.Context, w io.Writer, d *daemon.Daemon) error {
	policy, err := lifecycle.NewPolicy(d.Config.Deadlines, d.Config.Units)
	if err != nil {
		return err
	}
	at := policy.Calendar().AddWorkingDays(time.Now(), 5)
	due, err := d.Casework.DueActions(ctx, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== Om ingen svarar: påminnelser och eskaleringar som skulle gå ut senast %s ==\n", at.Format("2006-01-02"))
	fmt.Fprintln(w, "(Ärendet om snöröjningen har fått ett svar, så dess klocka för första besked har stannat.)")
	for _, a := range due {
		fmt.Fprintf(w, "  %s  %-10s nivå %d  till %s\n", a.Number, a.Kind, a.Level, a.To)
	}
	return nil
}

// writeMetrics writes the synpunkt_* lines of the daemon's /metrics.
func writeMetrics(w io.Writer, d *daemon.Daemon) {
	rec := httptest.NewRecorder()
	d.Health.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for l := range strings.Lines(rec.Body.String()) {
		if strings.HasPrefix(l, "synpunkt_") {
			io.WriteString(w, l) //nolint:errcheck // best effort to a terminal
		}
	}
}
