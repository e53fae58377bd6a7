package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/notify/smtpsend"
)

func mail(to, body string) *synpunkt.Notification {
	return &synpunkt.Notification{Channel: synpunkt.MediumEmail, Kind: synpunkt.KindReceipt,
		From: "synpunkter@exempelby.se", To: to, Payload: []byte("Subject: x\r\n\r\n" + body)}
}

// The lean sink takes what the daemon's sender sends and records each
// message's first recipient and its size as smtpsink would keep it
// (dot-unstuffed), lines longer than its buffer and "." lines included.
func TestLeanSinkRecordsWhatSmtpsendSends(t *testing.T) {
	s, err := startLeanSink(false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snd := smtpsend.New(smtpsend.Config{Address: s.Addr(), TLS: smtpsend.TLSNone, Timeout: 10 * time.Second})
	long := strings.Repeat("x", 100<<10) // longer than the 64 KiB buffer
	bodies := []string{"Tack!\r\n", ".\r\n..\r\n.a\r\n", long + "\r\n." + long + "\r\n", strings.Repeat("QUJD\r\n", 300000)}
	for i, b := range bodies {
		if err := snd.Send(t.Context(), mail(string(rune('a'+i))+"@example.com", b)); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
	}
	got := s.Messages()
	if len(got) != len(bodies) {
		t.Fatalf("%d messages, want %d", len(got), len(bodies))
	}
	for i, m := range got {
		want := mail(string(rune('a'+i))+"@example.com", bodies[i])
		if m.To != want.To || m.Size != len(want.Payload) {
			t.Errorf("message %d: to %q, %d bytes; want %q, %d bytes", i, m.To, m.Size, want.To, len(want.Payload))
		}
	}
}

// A held sink greets no one until release; the send waiting on it then
// goes through.
func TestLeanSinkHold(t *testing.T) {
	s, err := startLeanSink(true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snd := smtpsend.New(smtpsend.Config{Address: s.Addr(), TLS: smtpsend.TLSNone, Timeout: time.Minute})
	done := make(chan error, 1)
	go func() { done <- snd.Send(t.Context(), mail("a@example.com", "Tack!\r\n")) }()
	select {
	case err := <-done:
		t.Fatalf("Send returned %v before release", err)
	default:
	}
	s.release()
	if err := <-done; err != nil {
		t.Fatalf("Send after release: %v", err)
	}
	if m := s.Messages(); len(m) != 1 || m[0].To != "a@example.com" {
		t.Errorf("messages = %+v, want one to a@example.com", m)
	}
}
