// Package notifytest checks, for any notify.Sender, what every sender
// promises the outbox when the channel cannot take a notification: a
// server that refuses or never answers is a temporary error (the outbox
// tries again later), and a notification of the other medium is a
// permanent notify.ErrWrongChannel (trying again cannot help).
//
// The SMTP and the SMS sender run these checks on their own senders, so
// the promise is written once.
package notifytest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/notify"
)

// SenderFaults runs the checks as subtests. newSender returns the sender
// under test talking to the server at addr (host:port); msg returns a
// fresh notification the sender handles; other is the medium it does not.
func SenderFaults(t *testing.T, newSender func(t *testing.T, addr string) notify.Sender, msg func() *synpunkt.Notification, other synpunkt.Medium) {
	t.Run("unreachable is temporary", func(t *testing.T) {
		if err := newSender(t, testkit.ClosedAddr(t)).Send(t.Context(), msg()); err == nil || !notify.IsTemporary(err) {
			t.Errorf("Send to closed port = %v, want temporary error", err)
		}
	})
	t.Run("context deadline", func(t *testing.T) {
		s := newSender(t, testkit.SilentServer(t))
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := s.Send(ctx, msg()); err == nil || !notify.IsTemporary(err) {
			t.Errorf("Send to silent server = %v, want temporary error", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("Send took %v, want it to stop at the context deadline", d)
		}
	})
	t.Run("wrong channel", func(t *testing.T) {
		o := msg()
		o.Channel = other
		if err := newSender(t, testkit.ClosedAddr(t)).Send(t.Context(), o); !errors.Is(err, notify.ErrWrongChannel) || notify.IsTemporary(err) {
			t.Errorf("Send(%s) = %v, want permanent ErrWrongChannel", other, err)
		}
	})
}
