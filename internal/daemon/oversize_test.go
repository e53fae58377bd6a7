package daemon

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/exempelby/synpunkt/internal/memimap"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/internal/testshared"
)

// A message over intake.max_message_size is fetched from IMAP header only:
// its body never reaches the pipeline, the ledger records it as
// quarantined with the reason and only the header, and it is moved to the
// quarantine mailbox.
func TestOversizedMessageQuarantinedHeaderOnly(t *testing.T) {
	addr := startMemIMAP(t)
	var big bytes.Buffer
	big.WriteString("From: medborgare@example.org\r\nTo: synpunkter@exempelby.se\r\nSubject: Film\r\nMessage-ID: <huge@example.org>\r\n" +
		"Date: Mon, 2 Mar 2026 10:00:00 +0100\r\nContent-Type: text/plain\r\n\r\n")
	for big.Len() < 200<<10 {
		big.WriteString("BODYMARKER Här är filmen från gatan.\r\n")
	}
	memAppend(t, addr, "INBOX", big.Bytes())

	cfg := testshared.SampleConfig(t)
	cfg.Organisation.AuthservID = "mx.exempelby.se"
	cfg.IMAP.Address, cfg.IMAP.TLS, cfg.IMAP.Username, cfg.IMAP.Password = addr, "none", "synpunkt", "hemligt"
	cfg.Intake.MaxMessageSize = 64 << 10
	fixed := func() time.Time { return time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC) }
	d := openDaemon(t, cfg, Options{Now: fixed})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	testkit.WaitFor(t, "the message in Karantän", func() bool { return memCount(t, addr, "Karantän") == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run() = %v", err)
	}

	var reason string
	var raw []byte
	err := d.Store.DB().QueryRow("SELECT reason, raw FROM intake WHERE outcome = 'quarantine'").Scan(&reason, &raw)
	if err != nil {
		t.Fatalf("ledger: %v", err)
	}
	if !strings.Contains(reason, "too large") || !strings.Contains(reason, "only the header") {
		t.Errorf("ledger reason = %q, want too large, header only", reason)
	}
	if bytes.Contains(raw, []byte("BODYMARKER")) || !bytes.Contains(raw, []byte("Message-ID: <huge@example.org>")) {
		t.Errorf("ledger holds %d bytes (body included: %v), want the header only", len(raw), bytes.Contains(raw, []byte("BODYMARKER")))
	}
	if n := memCount(t, addr, "INBOX"); n != 0 {
		t.Errorf("INBOX count = %d, want 0", n)
	}
}

// startMemIMAP runs go-imap's in-memory server with user synpunkt.
func startMemIMAP(t *testing.T) string {
	t.Helper()
	srv, err := memimap.Start(memimap.Options{User: "synpunkt", Password: "hemligt"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Addr()
}

func memClient(t *testing.T, addr string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login("synpunkt", "hemligt").Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

func memAppend(t *testing.T, addr, mailbox string, raw []byte) {
	t.Helper()
	c := memClient(t, addr)
	defer c.Close()
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	cmd.Write(raw)
	cmd.Close()
	if _, err := cmd.Wait(); err != nil {
		t.Fatalf("Append(%q) = %v", mailbox, err)
	}
}

func memCount(t *testing.T, addr, mailbox string) int {
	t.Helper()
	c := memClient(t, addr)
	defer c.Close()
	st, err := c.Status(mailbox, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return 0
	}
	return int(*st.NumMessages)
}
