package notify

import (
	"errors"
	"fmt"
)

// ErrWrongChannel is returned (wrapped as permanent) by a Sender given an
// Outgoing for a channel it does not serve.
var ErrWrongChannel = errors.New("notify: wrong channel for this sender")

// Error is a delivery error that knows whether retrying can help, after
// maddy's exterrors.WithTemporary. Temporary means the same message may be
// accepted later without anyone changing anything (4xx replies, timeouts,
// provider overload); permanent means it will not be as things stand (5xx
// replies, invalid number, rejected credentials, untrusted certificate).
type Error struct {
	Err       error
	Temporary bool
	// Code is the SMTP reply code (e.g. 451, 550), or for SMS the
	// provider's error code (e.g. Twilio 21211), or the HTTP status when
	// there is none; 0 when unknown.
	Code int
}

// Error implements error.
func (e *Error) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	if e.Code != 0 {
		return fmt.Sprintf("%s failure (code %d): %v", kind, e.Code, e.Err)
	}
	return fmt.Sprintf("%s failure: %v", kind, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Temporary marks err as worth retrying. It returns nil for a nil err.
func Temporary(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Temporary: true}
}

// Permanent marks err as not worth retrying. It returns nil for a nil err.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err}
}

// IsTemporary reports whether a send that failed with err may succeed when
// retried. Errors not marked with *Error (network failures, cancelled
// contexts) are temporary; nil is not.
func IsTemporary(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Temporary
	}
	return true
}

// Code returns the code of the first *Error in err's chain, or 0.
func Code(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}
