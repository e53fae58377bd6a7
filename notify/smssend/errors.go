package smssend

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/twilio/twilio-go/client"

	"github.com/exempelby/synpunkt/notify"
)

// classify wraps err in a *notify.Error as described in the package comment.
func classify(ctx context.Context, err error) error {
	var (
		legacy *client.TwilioRestError
		v1     *client.RestErrorV1
	)
	switch {
	case errors.As(err, &legacy):
		return byStatus(err, legacy.Status, legacy.Code)
	case errors.As(err, &v1):
		return byStatus(err, v1.HttpStatusCode, v1.Code)
	case ctx.Err() != nil:
		return &notify.Error{Err: errors.Join(err, context.Cause(ctx)), Op: "api", Temporary: true, Channel: true}
	default: // network, or an unreadable error body
		return &notify.Error{Err: err, Op: "api", Temporary: true, Channel: true}
	}
}

// senderCodes are Twilio errors about our sender or account, not about the
// message or its recipient: every SMS would fail the same way.
var senderCodes = []int{
	20003, // authentication failed
	20404, // resource (account) not found
	21212, // invalid 'From' number
	21603, // 'From' number required
	21606, // 'From' number cannot send SMS
	21608, // unverified 'To' on a trial account: the account's limit
	21659, // 'From' is not a Twilio number
}

// byStatus: bad credentials (401/403), a wrong account or base URL (404),
// rate limits (429), Twilio's own trouble (5xx) and errors about our
// sender are channel faults; any other 4xx (an invalid or unsubscribed
// recipient) belongs to this message and is permanent.
func byStatus(err error, status, code int) error {
	if code == 0 {
		code = status
	}
	channel := status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound ||
		status == http.StatusTooManyRequests || status >= 500 || slices.Contains(senderCodes, code)
	return &notify.Error{Err: err, Op: "api", Code: code, Temporary: channel, Channel: channel}
}
