package smtpsend

import (
	"context"
	"errors"

	"github.com/emersion/go-smtp"

	"github.com/exempelby/synpunkt/notify"
)

// classify wraps err, which happened at step op, in a *notify.Error as
// described in the package comment.
func classify(ctx context.Context, op string, err error) error {
	var (
		ne *notify.Error
		se *smtp.SMTPError
		tl *notify.TooLargeError
	)
	switch {
	case errors.As(err, &ne):
		ne.Op = op
		if ne.Code == 0 && errors.As(err, &se) {
			ne.Code = se.Code
		}
		return err
	case errors.As(err, &tl):
		return &notify.Error{Err: err, Op: op, Code: replyCode(err, 552)}
	case errors.As(err, &se):
		return byReply(err, op, se.Code)
	case ctx.Err() != nil:
		// The connection was closed under us; report why.
		err = errors.Join(err, context.Cause(ctx))
		if op == opData {
			// A timeout while the message itself is sent may be the
			// message's size over a slow link: count it against the
			// message, not the channel.
			return &notify.Error{Err: err, Op: op, Temporary: true}
		}
		return &notify.Error{Err: err, Op: op, Temporary: true, Channel: true}
	default:
		// Dial, TLS (an untrusted certificate included), a dropped
		// connection, a server without STARTTLS: not this message's doing.
		return &notify.Error{Err: err, Op: op, Temporary: true, Channel: true}
	}
}

// byReply classifies an SMTP reply code at step op.
func byReply(err error, op string, code int) error {
	e := &notify.Error{Err: err, Op: op, Code: code}
	switch {
	case code == 421: // service not available, closing channel (RFC 5321 §3.8)
		e.Temporary, e.Channel = true, true
	case op == opRcpt:
		e.Temporary = code < 500 // 450/451/452 to this recipient; 550 is for good
	case op == opData:
		e.Temporary, e.Channel = code < 500, code < 500
	default: // connect, auth, mail: the server or our configuration
		e.Temporary, e.Channel = true, true
	}
	return e
}

// replyCode returns the code of the SMTP reply in err's chain, or def.
func replyCode(err error, def int) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return def
}
