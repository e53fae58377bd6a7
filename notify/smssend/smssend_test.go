package smssend_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/twiliofake"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/notifytest"
	"github.com/exempelby/synpunkt/notify/smssend"
)

func mustFake(t *testing.T) *twiliofake.Server {
	t.Helper()
	f := twiliofake.Start()
	t.Cleanup(f.Close)
	return f
}

func mustSender(t *testing.T, cfg smssend.Config) *smssend.Sender {
	t.Helper()
	s, err := smssend.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func senderFor(t *testing.T, f *twiliofake.Server) *smssend.Sender {
	t.Helper()
	return mustSender(t, smssend.Config{AccountSID: f.AccountSID(), AuthToken: f.AuthToken(), From: "+46765550100", BaseURL: f.URL()})
}

func testSMS() *synpunkt.Notification {
	return &synpunkt.Notification{
		Channel: synpunkt.MediumSMS, Kind: synpunkt.KindReceipt, To: "+46701234567",
		Payload: []byte("Exempelby kommun: Tack för din synpunkt. Ärendenummer SYN-2026-00042."),
	}
}

func TestSend(t *testing.T) {
	f := mustFake(t)
	if err := senderFor(t, f).Send(context.Background(), testSMS()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := f.Messages()
	if len(msgs) != 1 {
		t.Fatalf("fake has %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.To != "+46701234567" || m.From != "+46765550100" || m.Body != string(testSMS().Payload) {
		t.Errorf("message = %+v, want To/From/Body as sent", m)
	}
}

func TestSendUsesNotificationFrom(t *testing.T) {
	f := mustFake(t)
	o := testSMS()
	o.From = "Exempelby"
	if err := senderFor(t, f).Send(context.Background(), o); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := f.Messages()[0].From; got != "Exempelby" {
		t.Errorf("From = %q, want Notification.From %q", got, "Exempelby")
	}
}

func TestSendFailures(t *testing.T) {
	tests := []struct {
		name          string
		status, code  int
		wantTemporary bool // and a channel fault: only the recipient's errors are permanent
	}{
		{"invalid number", 400, 21211, false},
		{"unsubscribed recipient", 400, 21610, false},
		{"server error", 500, 20500, true},
		{"rate limited", 429, 20429, true},
		{"service unavailable", 503, 0, true},
		{"unverified sender", 400, 21608, true},
		{"invalid sender", 400, 21212, true},
		{"bad credentials", 401, 20003, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFake(t)
			f.FailNext(tt.status, tt.code)
			err := senderFor(t, f).Send(context.Background(), testSMS())
			var ne *notify.Error
			if !errors.As(err, &ne) {
				t.Fatalf("Send = %v, want *notify.Error", err)
			}
			if got := notify.IsTemporary(err); got != tt.wantTemporary {
				t.Errorf("IsTemporary(%v) = %v, want %v", err, got, tt.wantTemporary)
			}
			if got := notify.IsChannelFault(err); got != tt.wantTemporary {
				t.Errorf("IsChannelFault(%v) = %v, want %v", err, got, tt.wantTemporary)
			}
			wantCode := tt.code
			if wantCode == 0 {
				wantCode = tt.status
			}
			if ne.Code != wantCode {
				t.Errorf("Code = %d, want %d", ne.Code, wantCode)
			}
			if n := len(f.Messages()); n != 0 {
				t.Errorf("fake has %d messages, want 0", n)
			}
		})
	}
}

func TestInvalidNumberFromFake(t *testing.T) {
	f := mustFake(t)
	o := testSMS()
	o.To = "0701234567" // not E.164
	err := senderFor(t, f).Send(context.Background(), o)
	if notify.IsTemporary(err) || notify.Code(err) != 21211 {
		t.Errorf("Send(non-E.164) = %v, want permanent 21211", err)
	}
}

func TestBadCredentialsPauseTheChannel(t *testing.T) {
	f := mustFake(t)
	s := mustSender(t, smssend.Config{AccountSID: f.AccountSID(), AuthToken: "fel0000", From: "+46765550100", BaseURL: f.URL()})
	err := s.Send(context.Background(), testSMS())
	if !notify.IsChannelFault(err) || notify.Code(err) != 20003 {
		t.Errorf("Send with wrong token = %v, want a channel fault with code 20003", err)
	}
}

func TestDescribeLeavesOutTheNumber(t *testing.T) {
	f := mustFake(t)
	o := testSMS()
	o.To = "0701234567"
	err := senderFor(t, f).Send(context.Background(), o)
	if d := notify.Describe(err); strings.Contains(d, "0701234567") || !strings.Contains(d, "21211") {
		t.Errorf("Describe(%v) = %q, want the code and not the number", err, d)
	}
}

// The SMS sender keeps the promises every sender makes on faults.
func TestSenderFaults(t *testing.T) {
	notifytest.SenderFaults(t, func(t *testing.T, addr string) notify.Sender {
		return mustSender(t, smssend.Config{AccountSID: "AC123", AuthToken: "abc", From: "+46765550100", BaseURL: "http://" + addr})
	}, testSMS, synpunkt.MediumEmail)
}

func TestNewValidates(t *testing.T) {
	for _, cfg := range []smssend.Config{
		{AuthToken: "x"},
		{AccountSID: "AC1"},
		{AccountSID: "AC1", AuthToken: "x", BaseURL: "ftp://x"},
	} {
		if _, err := smssend.New(cfg); err == nil {
			t.Errorf("New(%+v) = nil error, want error", cfg)
		}
	}
}
