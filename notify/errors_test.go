package notify

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestIsTemporary(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"unmarked", base, true},
		{"context", context.DeadlineExceeded, true},
		{"temporary", Temporary(base), true},
		{"permanent", Permanent(base), false},
		{"wrapped permanent", fmt.Errorf("send: %w", &Error{Err: base, Code: 550}), false},
		{"wrapped temporary", fmt.Errorf("send: %w", &Error{Err: base, Temporary: true, Code: 451}), true},
	}
	for _, tt := range tests {
		if got := IsTemporary(tt.err); got != tt.want {
			t.Errorf("IsTemporary(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := Code(fmt.Errorf("x: %w", &Error{Err: base, Code: 550})); got != 550 {
		t.Errorf("Code = %d, want 550", got)
	}
	if !errors.Is(Permanent(base), base) {
		t.Errorf("Permanent(err) does not unwrap to err")
	}
}

func TestChannelFaultAndDescribe(t *testing.T) {
	reply := errors.New("SMTP error 550: <anna@example.com>: Recipient address rejected")
	tests := []struct {
		name          string
		err           error
		wantChannel   bool
		wantTemporary bool
		wantDescribe  string
	}{
		{"channel", fmt.Errorf("send: %w", &Error{Err: reply, Temporary: true, Channel: true, Code: 535, Op: "auth"}), true, true, "channel fault at auth (code 535)"},
		{"ChannelFault", ChannelFault(errors.New("dial tcp: connection refused")), true, true, "channel fault: dial tcp: connection refused"},
		{"permanent with server text", &Error{Err: reply, Code: 550, Op: "rcpt"}, false, false, "permanent failure at rcpt (code 550)"},
		{"temporary", &Error{Err: reply, Temporary: true, Code: 450, Op: "rcpt"}, false, true, "temporary failure at rcpt (code 450)"},
	}
	for _, tt := range tests {
		if got := IsChannelFault(tt.err); got != tt.wantChannel {
			t.Errorf("IsChannelFault(%s) = %v, want %v", tt.name, got, tt.wantChannel)
		}
		if got := IsTemporary(tt.err); got != tt.wantTemporary {
			t.Errorf("IsTemporary(%s) = %v, want %v", tt.name, got, tt.wantTemporary)
		}
		if got := Describe(tt.err); got != tt.wantDescribe {
			t.Errorf("Describe(%s) = %q, want %q", tt.name, got, tt.wantDescribe)
		}
	}
}
