package notify

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// Each error is classified as temporary or permanent and as a fault of
// the channel or of the one notification; Describe words it for the log
// without the server's text (describe "" is not checked).
func TestErrorClassification(t *testing.T) {
	base := errors.New("boom")
	reply := errors.New("SMTP error 550: <anna@example.com>: Recipient address rejected")
	tests := []struct {
		name      string
		err       error
		temporary bool
		channel   bool
		describe  string
	}{
		{"nil", nil, false, false, ""},
		{"unmarked", base, true, false, ""},
		{"context", context.DeadlineExceeded, true, false, ""},
		{"temporary", Temporary(base), true, false, ""},
		{"permanent", Permanent(base), false, false, ""},
		{"wrapped permanent", fmt.Errorf("send: %w", &Error{Err: base, Code: 550}), false, false, ""},
		{"wrapped temporary", fmt.Errorf("send: %w", &Error{Err: base, Temporary: true, Code: 451}), true, false, ""},
		{"channel", fmt.Errorf("send: %w", &Error{Err: reply, Temporary: true, Channel: true, Code: 535, Op: "auth"}), true, true, "channel fault at auth (code 535)"},
		{"ChannelFault", ChannelFault(errors.New("dial tcp: connection refused")), true, true, "channel fault: dial tcp: connection refused"},
		{"permanent with server text", &Error{Err: reply, Code: 550, Op: "rcpt"}, false, false, "permanent failure at rcpt (code 550)"},
		{"temporary at rcpt", &Error{Err: reply, Temporary: true, Code: 450, Op: "rcpt"}, true, false, "temporary failure at rcpt (code 450)"},
	}
	for _, tt := range tests {
		if got := IsTemporary(tt.err); got != tt.temporary {
			t.Errorf("IsTemporary(%s) = %v, want %v", tt.name, got, tt.temporary)
		}
		if got := IsChannelFault(tt.err); got != tt.channel {
			t.Errorf("IsChannelFault(%s) = %v, want %v", tt.name, got, tt.channel)
		}
		if got := Describe(tt.err); tt.describe != "" && got != tt.describe {
			t.Errorf("Describe(%s) = %q, want %q", tt.name, got, tt.describe)
		}
	}
}

func TestCodeAndUnwrap(t *testing.T) {
	base := errors.New("boom")
	if got := Code(fmt.Errorf("x: %w", &Error{Err: base, Code: 550})); got != 550 {
		t.Errorf("Code = %d, want 550", got)
	}
	if !errors.Is(Permanent(base), base) {
		t.Errorf("Permanent(err) does not unwrap to err")
	}
}
