package smtpsend_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/notifytest"
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

func testMessage() *synpunkt.Notification {
	payload := "From: Exempelby kommun <synpunkter@exempelby.se>\r\nTo: asa@example.com\r\n" +
		"Subject: Vi har tagit emot din synpunkt [SYN-2026-00042]\r\nMessage-ID: <abc@exempelby.se>\r\n" +
		"\r\n.En rad som b=C3=B6rjar med punkt\r\nTack!\r\n"
	return &synpunkt.Notification{
		Channel: synpunkt.MediumEmail, Kind: synpunkt.KindReceipt, From: "synpunkter@exempelby.se",
		To: "asa@example.com", MessageID: "abc@exempelby.se", Payload: []byte(payload),
	}
}

// wantDelivered checks that the sink holds o and nothing else. The sink
// records a message before it answers DATA, so once Send returned nil
// there is nothing to wait for.
func wantDelivered(t *testing.T, sink *smtpsink.Sink, o *synpunkt.Notification) {
	t.Helper()
	msgs := sink.Messages()
	if len(msgs) != 1 {
		t.Fatalf("sink holds %d messages, want 1", len(msgs))
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
			if err := s.Send(t.Context(), o); err != nil {
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
		sink          func(s *smtpsink.Sink)
		wantTemporary bool
		wantChannel   bool // the server's or the config's fault, not the message's
		wantCode      int
		wantOp        string
		wantTooLarge  bool
	}{
		{name: "451 at end of data: the server's trouble", sink: func(s *smtpsink.Sink) { s.FailNext(1, 451) },
			wantTemporary: true, wantChannel: true, wantCode: 451, wantOp: "data"},
		{name: "421 closing channel", sink: func(s *smtpsink.Sink) { s.FailNext(1, 421) },
			wantTemporary: true, wantChannel: true, wantCode: 421, wantOp: "data"},
		{name: "450 to this recipient is temporary", sink: func(s *smtpsink.Sink) { s.FailNextRcpt(1, 450) },
			wantTemporary: true, wantCode: 450, wantOp: "rcpt"},
		{name: "550 unknown recipient is permanent", sink: func(s *smtpsink.Sink) { s.RejectRecipient("asa@example.com", 550) },
			wantCode: 550, wantOp: "rcpt"},
		{name: "554 at end of data is permanent", sink: func(s *smtpsink.Sink) { s.FailNext(1, 554) }, wantCode: 554, wantOp: "data"},
		{name: "auth failure pauses the channel", opts: []smtpsink.Option{smtpsink.WithAuth("svc", "hemligt")},
			cfg: func(c *smtpsend.Config) { c.Username, c.Password = "svc", "fel" }, wantTemporary: true, wantChannel: true, wantCode: 535, wantOp: "auth"},
		{name: "no auth when required pauses the channel", opts: []smtpsink.Option{smtpsink.WithAuth("svc", "hemligt")},
			wantTemporary: true, wantChannel: true, wantCode: 502, wantOp: "mail"},
		{name: "untrusted certificate pauses the channel", opts: []smtpsink.Option{smtpsink.WithImplicitTLS()},
			cfg: func(c *smtpsend.Config) { c.TLS, c.RootCAs = smtpsend.TLSImplicit, nil }, wantTemporary: true, wantChannel: true, wantOp: "connect"},
		{name: "bad tls mode pauses the channel", cfg: func(c *smtpsend.Config) { c.TLS = "ssl" }, wantTemporary: true, wantChannel: true, wantOp: "connect"},
		{name: "larger than the announced SIZE is not sent", opts: []smtpsink.Option{smtpsink.WithMaxSize(100)},
			wantTooLarge: true, wantOp: "mail"},
		{name: "552 at end of data is too large", sink: func(s *smtpsink.Sink) { s.FailNext(1, 552) },
			wantTooLarge: true, wantCode: 552, wantOp: "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := mustSink(t, tt.opts...)
			if tt.sink != nil {
				tt.sink(sink)
			}
			cfg := smtpsend.Config{Address: sink.Addr(), TLS: smtpsend.TLSNone, Timeout: 5 * time.Second}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			err := smtpsend.New(cfg).Send(t.Context(), testMessage())
			var ne *notify.Error
			if !errors.As(err, &ne) {
				t.Fatalf("Send = %v, want *notify.Error", err)
			}
			t.Logf("Send = %v", err)
			if got := notify.IsTemporary(err); got != tt.wantTemporary {
				t.Errorf("IsTemporary(%v) = %v, want %v", err, got, tt.wantTemporary)
			}
			if got := notify.IsChannelFault(err); got != tt.wantChannel {
				t.Errorf("IsChannelFault(%v) = %v, want %v", err, got, tt.wantChannel)
			}
			if tt.wantCode != 0 && ne.Code != tt.wantCode {
				t.Errorf("Code = %d, want %d (%v)", ne.Code, tt.wantCode, err)
			}
			if ne.Op != tt.wantOp {
				t.Errorf("Op = %q, want %q", ne.Op, tt.wantOp)
			}
			var tl *notify.TooLargeError
			if got := errors.As(err, &tl); got != tt.wantTooLarge {
				t.Errorf("TooLargeError in %v: %v, want %v", err, got, tt.wantTooLarge)
			}
			if d := notify.Describe(err); strings.Contains(d, "asa@example.com") {
				t.Errorf("Describe(%v) = %q names the recipient", err, d)
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
	if err := s.Send(t.Context(), o); !notify.IsTemporary(err) {
		t.Fatalf("first Send = %v, want temporary error", err)
	}
	if err := s.Send(t.Context(), o); err != nil {
		t.Fatalf("second Send: %v", err)
	}
	wantDelivered(t, sink, o)
}

// The SMTP sender keeps the promises every sender makes on faults.
func TestSenderFaults(t *testing.T) {
	notifytest.SenderFaults(t, func(t *testing.T, addr string) notify.Sender {
		return smtpsend.New(smtpsend.Config{Address: addr, TLS: smtpsend.TLSNone, Timeout: 2 * time.Second})
	}, testMessage, synpunkt.MediumSMS)
}

// A detached forward of a large original, its lines starting with dots and
// a bare LF among them, arrives byte for byte as the complete message (as
// the server unstuffs it) in every TLS mode: the body goes out dot-stuffed
// in large writes, not through go-smtp's DATA writer, except under STARTTLS.
func TestSendLargeDetachedForward(t *testing.T) {
	var orig bytes.Buffer
	orig.WriteString("From: asa@example.com\r\nSubject: =?utf-8?q?Gatubelysning?=\r\n\r\n")
	for i := range 40000 {
		switch i % 7 {
		case 0:
			orig.WriteString(".\r\n")
		case 1:
			orig.WriteString("..två punkter först\r\n")
		case 2:
			orig.WriteString(".en punkt först\r\n")
		default:
			orig.WriteString("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n")
		}
	}
	orig.WriteString("sista raden utan radslut")
	head := "From: Exempelby kommun <synpunkter@exempelby.se>\r\nTo: chef@exempelby.se\r\nSubject: Ny synpunkt\r\n" +
		"Content-Type: message/rfc822\r\n\r\n"
	tail := "\r\n.\r\n..\r\n"
	want := head + orig.String() + "\r\n" + tail
	for _, mode := range []struct {
		tls  string
		opts []smtpsink.Option
	}{
		{smtpsend.TLSNone, nil},
		{smtpsend.TLSImplicit, []smtpsink.Option{smtpsink.WithImplicitTLS()}},
		{smtpsend.TLSStartTLS, []smtpsink.Option{smtpsink.WithStartTLS()}},
	} {
		t.Run(mode.tls, func(t *testing.T) {
			sink := mustSink(t, mode.opts...)
			s := smtpsend.New(smtpsend.Config{Address: sink.Addr(), TLS: mode.tls, RootCAs: sink.RootCAs(), Timeout: 20 * time.Second})
			o := &synpunkt.Notification{
				Channel: synpunkt.MediumEmail, Kind: synpunkt.KindForward, From: "synpunkter@exempelby.se", To: "chef@exempelby.se",
				Payload: []byte(head + "\r\n" + tail), OriginalAt: len(head), OriginalLen: orig.Len(),
				OriginalFrom: io.NewSectionReader(bytes.NewReader(orig.Bytes()), 0, int64(orig.Len())),
			}
			for range 2 {
				if err := s.Send(t.Context(), o); err != nil {
					t.Fatalf("Send: %v", err)
				}
			}
			msgs := sink.Messages()
			if len(msgs) != 2 {
				t.Fatalf("sink holds %d messages, want 2", len(msgs))
			}
			for _, m := range msgs {
				if string(m.Data) != want {
					t.Errorf("data: %d bytes, want %d; differ from byte %d", len(m.Data), len(want), firstDiff(m.Data, []byte(want)))
				}
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
