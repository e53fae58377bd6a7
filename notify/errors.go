package notify

import (
	"errors"
	"fmt"
)

// ErrWrongChannel is returned (wrapped as permanent) by a Sender given a
// notification for a medium it does not serve.
var ErrWrongChannel = errors.New("notify: wrong channel for this sender")

// Error is a delivery error that says whose fault it is and so what the
// outbox should do, after maddy's exterrors.WithTemporary:
//
//   - Channel: the fault is the server's, the network's or our
//     configuration's (rejected credentials, untrusted certificate,
//     connection refused, 421, provider overload). Every message on the
//     channel would fail the same way; the outbox pauses the channel and
//     retries, however long it takes, without holding it against the
//     message.
//   - Temporary (and not synpunkt.Medium): this message was refused for now (a 4xx
//     to its recipient) and may be accepted later; retried with backoff up
//     to the attempt limit.
//   - neither: this message will never be accepted as it is (550 unknown
//     recipient, an invalid phone number, too large): a permanent failure.
type Error struct {
	Err       error
	Temporary bool // retrying the same message may succeed; true whenever Channel is
	Channel   bool // the fault is the channel's, not the message's
	// Code is the SMTP reply code (e.g. 451, 550), or for SMS the
	// provider's error code (e.g. Twilio 21211), or the HTTP status when
	// there is none; 0 when unknown.
	Code int
	// Op is the step that failed, e.g. "connect", "auth", "rcpt", "data"
	// for SMTP or "api" for SMS; may be empty.
	Op string
}

// Error implements error. It includes the server's own text, which may
// name a recipient: keep it out of logs and events (see Describe).
func (e *Error) Error() string {
	return e.summary() + ": " + fmt.Sprint(e.Err)
}

// summary is the class, step and code, without any free text.
func (e *Error) summary() string {
	s := "permanent failure"
	switch {
	case e.Channel:
		s = "channel fault"
	case e.Temporary:
		s = "temporary failure"
	}
	if e.Op != "" {
		s += " at " + e.Op
	}
	if e.Code != 0 {
		s += fmt.Sprintf(" (code %d)", e.Code)
	}
	return s
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

// ChannelFault marks err as the channel's fault (server, network,
// configuration), not the message's. It returns nil for a nil err.
func ChannelFault(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Temporary: true, Channel: true}
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
		return e.Temporary || e.Channel
	}
	return true
}

// IsChannelFault reports whether err is marked as the channel's fault.
func IsChannelFault(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Channel
}

// Code returns the code of the first *Error in err's chain, or 0.
func Code(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// Describe returns a description of err fit for logs and the event log:
// the class, the failed step and the code. When the error carries a code
// (a server or provider reply), the reply's free text is left out, since it
// may name the recipient ("550 <anna@example.com>: Recipient address
// rejected", Twilio's "Invalid 'To' Phone Number: +4670…"); without a code
// (dial, TLS, timeouts) the error's own text is kept, as it holds no
// message data.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return "unclassified failure: " + err.Error()
	}
	if e.Code != 0 {
		return e.summary()
	}
	return e.summary() + ": " + fmt.Sprint(e.Err)
}

// TooLargeError says that a message exceeds the size the server accepts
// (RFC 1870). It comes wrapped in a permanent *Error.
type TooLargeError struct {
	Size  int64 // the message's size in bytes
	Limit int64 // the server's SIZE limit; 0 when it announced none
}

// Error implements error.
func (e *TooLargeError) Error() string {
	if e.Limit == 0 {
		return fmt.Sprintf("message of %d bytes is too large for the server", e.Size)
	}
	return fmt.Sprintf("message of %d bytes exceeds the server's limit of %d bytes", e.Size, e.Limit)
}
