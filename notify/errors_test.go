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
