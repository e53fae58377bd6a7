package smssend

import (
	"context"
	"errors"

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
		return notify.Temporary(errors.Join(err, context.Cause(ctx)))
	default:
		return notify.Temporary(err) // network, or an unreadable error body
	}
}

// byStatus: 429 and 5xx are worth retrying, other statuses are not.
func byStatus(err error, status, code int) error {
	if code == 0 {
		code = status
	}
	return &notify.Error{Err: err, Code: code, Temporary: status == 429 || status >= 500}
}
