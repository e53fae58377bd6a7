package cli

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/store"
)

// mailingConfig writes the sample municipality with its SMTP server at
// addr, authenticating as svc with the password from SYNPUNKT_TEST_SMTP.
func mailingConfig(t *testing.T, dir, addr string) string {
	t.Helper()
	p := sampleConfigFile(t, dir)
	b, _ := os.ReadFile(p)
	conf := strings.Replace(string(b), "[smtp]\naddress = \"127.0.0.1:1\"", "[smtp]\naddress = \""+addr+"\"\nusername = \"svc\"\npassword_env = \"SYNPUNKT_TEST_SMTP\"", 1)
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeEML(t *testing.T, dir string, i int) string {
	t.Helper()
	p := filepath.Join(dir, fmt.Sprintf("m%d.eml", i))
	msg := fmt.Sprintf("From: per%d@example.net\r\nTo: synpunkter@exempelby.se\r\nSubject: Snöröjning %d\r\nDate: Mon, 23 Nov 2099 09:00:00 +0100\r\nMessage-ID: <cli-ob-%d@example.net>\r\n\r\nSnöröjningen på Storgatan fungerar inte.\r\n", i, i, i)
	if err := os.WriteFile(p, []byte(msg), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func runErr(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// Commands beside a running daemon with a slow SMTP server queue their
// notifications and leave them to the daemon, with no SMTP secret in the
// clerk's shell: every notification arrives once. Without a daemon a
// command sends what it queued itself.
func TestCommandsBesideADaemonSendNothingTwice(t *testing.T) {
	sink, err := smtpsink.Start("127.0.0.1:0", smtpsink.WithAuth("svc", "hemligt"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	sink.SetDelay(50 * time.Millisecond)
	dir := t.TempDir()
	cfgPath := mailingConfig(t, dir, sink.Addr())

	// The daemon, started with the secret; its outbox worker runs under
	// the instance lock, as in daemon.Run.
	t.Setenv("SYNPUNKT_TEST_SMTP", "hemligt")
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := daemon.New(context.Background(), cfg, slog.New(slog.DiscardHandler), daemon.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	lock, err := daemon.AcquireLock(cfg.Store.Path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Outbox.Run(ctx); close(done) }()

	// The clerk's shell has no SMTP secret.
	os.Unsetenv("SYNPUNKT_TEST_SMTP")
	var emls []string
	for i := range 6 {
		emls = append(emls, writeEML(t, dir, i))
	}
	if _, errs, code := runErr(t, append([]string{"import", "--config", cfgPath}, emls...)...); code != 0 || !strings.Contains(errs, "körande synpunkt-tjänsten") {
		t.Fatalf("import beside the daemon: exit %d, %s", code, errs)
	}
	cases, _ := d.Store.ListCases(context.Background(), store.Filter{})
	for _, c := range cases[:3] {
		if _, errs, code := runErr(t, "close", "--config", cfgPath, c.Number, "--note", "Plogat"); code != 0 {
			t.Fatalf("close beside the daemon: exit %d, %s", code, errs)
		}
	}
	waitSent(t, d.Store, sink)
	stop()
	<-done
	lock.Release()

	// No daemon now: close sends its own notice (the secret is back).
	t.Setenv("SYNPUNKT_TEST_SMTP", "hemligt")
	if _, errs, code := runErr(t, "close", "--config", cfgPath, cases[3].Number, "--note", "Plogat"); code != 0 {
		t.Fatalf("close without a daemon: exit %d, %s", code, errs)
	}
	rows, _ := d.Store.AllOutbox(context.Background())
	ids := map[string]int{}
	for _, m := range sink.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		ids[msg.Header.Get("Message-Id")]++
	}
	dups := 0
	for _, n := range ids {
		dups += n - 1
	}
	t.Logf("%d notifications queued, sink received %d messages, %d duplicate Message-IDs", len(rows), len(sink.Messages()), dups)
	if dups != 0 || len(sink.Messages()) != len(rows) {
		t.Errorf("%d duplicates, %d received for %d notifications; want 0 and one each", dups, len(sink.Messages()), len(rows))
	}
	for _, r := range rows {
		if r.Status != store.OutboxSent {
			t.Errorf("notification %d %s: %s (%s)", r.ID, r.Kind, r.Status, r.LastError)
		}
	}
}

// waitSent waits until no notification is pending.
func waitSent(t *testing.T, st *store.Store, sink *smtpsink.Sink) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		rows, _ := st.AllOutbox(context.Background())
		pending := 0
		for _, r := range rows {
			if r.Status == store.OutboxPending {
				pending++
			}
		}
		if pending == 0 && len(rows) > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("notifications still pending after 30 s; sink has %d", len(sink.Messages()))
}

func TestResend(t *testing.T) {
	sink, err := smtpsink.Start("127.0.0.1:0", smtpsink.WithAuth("svc", "hemligt"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	dir := t.TempDir()
	cfgPath := mailingConfig(t, dir, sink.Addr())
	t.Setenv("SYNPUNKT_TEST_SMTP", "hemligt")
	sink.RejectRecipient("per0@example.net", 550)
	if _, errs, code := runErr(t, "import", "--config", cfgPath, writeEML(t, dir, 0)); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	out, _ := run(t, "cases", "--config", cfgPath, "--json")
	number := out[strings.Index(out, "SYN-"):][:14]
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("sink has %d messages after import, want the forward only", n)
	}
	if _, errs, code := runErr(t, "resend", "--config", cfgPath, "--failed", number); code != 2 {
		t.Errorf("resend with both NUMBER and --failed: exit %d, %s", code, errs)
	}
	sink.RejectRecipient("per0@example.net", 0)
	if out, errs, code := runErr(t, "resend", "--config", cfgPath, number); code != 0 || !strings.Contains(out, "1 utskick") {
		t.Fatalf("resend %s: exit %d, %q, %s", number, code, out, errs)
	}
	if n := len(sink.Messages()); n != 2 || sink.Messages()[1].To[0] != "per0@example.net" {
		t.Errorf("sink has %d messages after resend, want the receipt delivered too", n)
	}
	if _, errs, code := runErr(t, "resend", "--config", cfgPath, "--failed"); code != 1 || !strings.Contains(errs, "no failed notification") {
		t.Errorf("resend --failed with nothing failed: exit %d, %s", code, errs)
	}
	sheet, _ := run(t, "case", "--config", cfgPath, number)
	if !strings.Contains(sheet, "receipt_resend") {
		t.Errorf("case sheet lacks the resend:\n%s", sheet)
	}
}
