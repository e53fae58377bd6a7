package daemon

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/internal/testshared"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smtpsend"
)

// A forward the relay refuses for good is shown on the case as not
// delivered, and the contact center is told by mail.
func TestUndeliveredForwardAlertsTheContactCenter(t *testing.T) {
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	senders := map[synpunkt.Medium]notify.Sender{synpunkt.MediumEmail: smtpsend.New(smtpsend.Config{Address: sink.Addr(), TLS: "none", Timeout: 5 * time.Second})}
	d := openDaemon(t, testshared.SampleConfig(t), Options{Senders: senders})
	ctx := context.Background()
	raw := []byte("From: per@example.net\r\nTo: synpunkter@exempelby.se\r\nSubject: Snöröjning\r\nDate: Mon, 23 Nov 2099 09:00:00 +0100\r\n" +
		"Message-ID: <alert-1@example.net>\r\n\r\nSnöröjningen på Storgatan fungerar inte.\r\n")
	res, err := d.Pipeline.Handle(ctx, casework.Source{Name: "t"}, raw)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Store.CaseByNumber(ctx, res.Case)
	if err != nil {
		t.Fatal(err)
	}
	sink.RejectRecipient(c.Handler, 550)
	if _, err := d.Outbox.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	var alert []byte
	for _, m := range sink.Messages() {
		if m.To[0] == "kontaktcenter.chef@exempelby.se" {
			alert = m.Data
		}
	}
	if alert == nil || !bytes.Contains(alert, []byte(c.Number)) || !bytes.Contains(alert, []byte("code 550")) || bytes.Contains(alert, []byte(c.Handler+">: Recipient")) {
		t.Errorf("alert to the contact center = %.1500q, want one naming %s and the code", alert, c.Number)
	}
	events, _ := d.Store.Events(ctx, c.ID)
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if got := strings.Join(kinds, " "); !strings.Contains(got, "forward_failed") || !strings.Contains(got, "forward_not_delivered") {
		t.Errorf("events = %s, want forward_failed and forward_not_delivered", got)
	}
}
