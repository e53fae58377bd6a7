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
