package daemon

import (
	"context"
	"testing"

	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/internal/testshared"
)

// The SMTP sender built from the config keeps its connection open
// between sends; Close ends it (QUIT), so a stopped daemon leaves no
// session hanging at the relay until its timeout.
func TestCloseEndsTheSMTPConnection(t *testing.T) {
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	cfg := testshared.SampleConfig(t)
	cfg.SMTP.Address, cfg.SMTP.TLS, cfg.SMTP.Username, cfg.SMTP.Password = sink.Addr(), "none", "", ""
	d := openDaemon(t, cfg, Options{})
	ctx := context.Background()
	raw := []byte("From: per@example.net\r\nTo: synpunkter@exempelby.se\r\nSubject: Snöröjning\r\nDate: Mon, 23 Nov 2099 09:00:00 +0100\r\n" +
		"Message-ID: <close-1@example.net>\r\n\r\nSnöröjningen på Storgatan fungerar inte.\r\n")
	if _, err := d.Pipeline.Handle(ctx, casework.Source{Name: "t"}, raw); err != nil {
		t.Fatal(err)
	}
	if n, err := d.Outbox.Drain(ctx); err != nil || n == 0 {
		t.Fatalf("Drain = %d, %v; want the forward and the receipt sent", n, err)
	}
	if got := len(sink.Messages()); got == 0 {
		t.Fatal("the sink received nothing")
	}
	if n := sink.Open(); n != 1 {
		t.Errorf("open SMTP connections after the sends = %d, want 1 (kept for the next send)", n)
	}
	if err := d.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	testkit.WaitFor(t, "the SMTP connection ended", func() bool { return sink.Open() == 0 })
}
