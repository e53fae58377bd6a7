package smtpsink

import (
	"context"
	"errors"
	"net/smtp"
	"strings"
	"testing"
	"time"
)

func mustStart(t *testing.T, opts ...Option) *Sink {
	t.Helper()
	s, err := Start("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func send(addr, body string) error {
	return smtp.SendMail(addr, nil, "a@example.com", []string{"b@example.com"}, []byte(body))
}

func TestSinkRecordsAndFails(t *testing.T) {
	s := mustStart(t)
	s.FailNext(2, 451)
	for i := range 2 {
		if err := send(s.Addr(), "Subject: x\r\n\r\nx\r\n"); err == nil || !strings.Contains(err.Error(), "451") {
			t.Errorf("send %d = %v, want 451", i, err)
		}
	}
	if err := send(s.Addr(), "Subject: y\r\n\r\ny\r\n"); err != nil {
		t.Fatalf("send: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs, err := s.Wait(ctx, 1)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if len(msgs) != 1 || string(msgs[0].Data) != "Subject: y\r\n\r\ny\r\n" || msgs[0].From != "a@example.com" {
		t.Errorf("Messages = %+v, want only the accepted one", msgs)
	}
}

func TestWaitHonoursContext(t *testing.T) {
	s := mustStart(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Wait(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait = %v, want DeadlineExceeded", err)
	}
}

func TestAuthRequired(t *testing.T) {
	s := mustStart(t, WithAuth("svc", "hemligt"))
	if err := send(s.Addr(), "Subject: x\r\n\r\nx\r\n"); err == nil {
		t.Errorf("send without AUTH = nil error, want refusal")
	}
	if s.RootCAs() != nil {
		t.Errorf("RootCAs without TLS = non-nil, want nil")
	}
}
