package smtpsend_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smtpsend"
)

func mustSink(t *testing.T, opts ...smtpsink.Option) *smtpsink.Sink {
	t.Helper()
	s, err := smtpsink.Start("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatalf("smtpsink.Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testMessage() *notify.Outgoing {
	payload := "From: Exempelby kommun <synpunkter@exempelby.se>\r\nTo: asa@example.com\r\n" +
		"Subject: Vi har tagit emot din synpunkt [SYN-2026-00042]\r\nMessage-ID: <abc@exempelby.se>\r\n" +
		"\r\n.En rad som b=C3=B6rjar med punkt\r\nTack!\r\n"
	return &notify.Outgoing{
		Channel: notify.ChannelEmail, Kind: notify.KindReceipt, From: "synpunkter@exempelby.se",
		To: "asa@example.com", MessageID: "abc@exempelby.se", Payload: []byte(payload),
	}
}

func wantDelivered(t *testing.T, sink *smtpsink.Sink, o *notify.Outgoing) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs, err := sink.Wait(ctx, 1)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	m := msgs[0]
	if m.From != o.From || len(m.To) != 1 || m.To[0] != o.To {
		t.Errorf("envelope = %q -> %q, want %q -> %q", m.From, m.To, o.From, o.To)
	}
	if !bytes.Equal(m.Data, o.Payload) {
		t.Errorf("data = %q, want %q", m.Data, o.Payload)
	}
}

func TestSendModes(t *testing.T) {
	tests := []struct {
		name string
		tls  string
		opts []smtpsink.Option
		user string
	}{
		{"none", smtpsend.TLSNone, nil, ""},
		{"none with auth plain", smtpsend.TLSNone, []smtpsink.Option{smtpsink.WithAuth("svc", "hemligt")}, "svc"},
		{"login only", smtpsend.TLSNone, []smtpsink.Option{smtpsink.WithAuth("svc", "hemligt", "LOGIN")}, "svc"},
		{"starttls with auth", smtpsend.TLSStartTLS, []smtpsink.Option{smtpsink.WithStartTLS(), smtpsink.WithAuth("svc", "hemligt")}, "svc"},
		{"implicit tls with auth", smtpsend.TLSImplicit, []smtpsink.Option{smtpsink.WithImplicitTLS(), smtpsink.WithAuth("svc", "hemligt")}, "svc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := mustSink(t, tt.opts...)
			s := smtpsend.New(smtpsend.Config{
				Address: sink.Addr(), TLS: tt.tls, Username: tt.user, Password: "hemligt",
				HeloName: "synpunkt.exempelby.se", RootCAs: sink.RootCAs(), Timeout: 5 * time.Second,
			})
			o := testMessage()
			if err := s.Send(context.Background(), o); err != nil {
				t.Fatalf("Send: %v", err)
			}
			wantDelivered(t, sink, o)
		})
	}
}

func TestSendFailures(t *testing.T) {
	tests := []struct {
		name          string
		opts          []smtpsink.Option
		cfg           func(c *smtpsend.Config)
		failNext      int
		wantTemporary bool
		wantCode      int
	}{
		{name: "451 temporary", failNext: 451, wantTemporary: true, wantCode: 451},
		{name: "550 permanent", failNext: 550, wantCode: 550},
		{name: "auth failure permanent", opts: []smtpsink.Option{smtpsink.WithAuth("svc", "hemligt")},
			cfg: func(c *smtpsend.Config) { c.Username, c.Password = "svc", "fel" }, wantCode: 535},
		{name: "no auth when required", opts: []smtpsink.Option{smtpsink.WithAuth("svc", "hemligt")}, wantCode: 502},
		{name: "untrusted certificate permanent", opts: []smtpsink.Option{smtpsink.WithImplicitTLS()},
			cfg: func(c *smtpsend.Config) { c.TLS, c.RootCAs = smtpsend.TLSImplicit, nil }},
		{name: "bad tls mode permanent", cfg: func(c *smtpsend.Config) { c.TLS = "ssl" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := mustSink(t, tt.opts...)
			if tt.failNext != 0 {
				sink.FailNext(1, tt.failNext)
			}
			cfg := smtpsend.Config{Address: sink.Addr(), TLS: smtpsend.TLSNone, Timeout: 5 * time.Second}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			err := smtpsend.New(cfg).Send(context.Background(), testMessage())
			var ne *notify.Error
			if !errors.As(err, &ne) {
				t.Fatalf("Send = %v, want *notify.Error", err)
			}
			t.Logf("Send = %v", err)
			if got := notify.IsTemporary(err); got != tt.wantTemporary {
				t.Errorf("IsTemporary(%v) = %v, want %v", err, got, tt.wantTemporary)
			}
			if tt.wantCode != 0 && ne.Code != tt.wantCode {
				t.Errorf("Code = %d, want %d (%v)", ne.Code, tt.wantCode, err)
			}
			if n := len(sink.Messages()); n != 0 {
				t.Errorf("sink has %d messages, want 0", n)
			}
		})
	}
}

func TestRetryAfterTemporary(t *testing.T) {
	sink := mustSink(t)
	sink.FailNext(1, 421)
	s := smtpsend.New(smtpsend.Config{Address: sink.Addr(), TLS: smtpsend.TLSNone, Timeout: 5 * time.Second})
	o := testMessage()
	if err := s.Send(context.Background(), o); !notify.IsTemporary(err) {
		t.Fatalf("first Send = %v, want temporary error", err)
	}
	if err := s.Send(context.Background(), o); err != nil {
		t.Fatalf("second Send: %v", err)
	}
	wantDelivered(t, sink, o)
}

func TestUnreachableIsTemporary(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	err = smtpsend.New(smtpsend.Config{Address: addr, TLS: smtpsend.TLSNone, Timeout: 2 * time.Second}).
		Send(context.Background(), testMessage())
	if err == nil || !notify.IsTemporary(err) {
		t.Errorf("Send to closed port = %v, want temporary error", err)
	}
}

func TestContextDeadline(t *testing.T) {
	// A server that accepts but never greets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = smtpsend.New(smtpsend.Config{Address: ln.Addr().String(), TLS: smtpsend.TLSNone}).Send(ctx, testMessage())
	if err == nil || !notify.IsTemporary(err) {
		t.Errorf("Send to silent server = %v, want temporary error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v, want it to stop at the context deadline", d)
	}
}

func TestWrongChannel(t *testing.T) {
	o := testMessage()
	o.Channel = notify.ChannelSMS
	err := smtpsend.New(smtpsend.Config{Address: "127.0.0.1:1"}).Send(context.Background(), o)
	if !errors.Is(err, notify.ErrWrongChannel) || notify.IsTemporary(err) {
		t.Errorf("Send(sms) = %v, want permanent ErrWrongChannel", err)
	}
}
