package notify

import (
	"context"

	"github.com/exempelby/synpunkt"
)

// Sender delivers a Notification exactly as given. Errors should be *Error so
// the outbox can tell a retry from a give-up; see IsTemporary.
type Sender interface {
	Send(ctx context.Context, n *synpunkt.Notification) error
}

// DetachedSender is a Sender that sends a detached Notification (its
// Original kept out of its Payload, see synpunkt.Notification.Original)
// as the complete message, writing the pieces in turn. The outbox hands
// any other Sender the message joined.
type DetachedSender interface {
	Sender
	SendsDetached() bool
}
