package synpunkt

import (
	"bytes"
	"fmt"
	"io"
)

// Medium is what a notification is delivered over. It is not Channel, the
// way a synpunkt comes in.
type Medium string

// Media a notification can go out by; the values are stored in the outbox.
const (
	MediumEmail Medium = "email"
	MediumSMS   Medium = "sms"
)

// Kinds of notification, stored with the outbox row and used in logs.
const (
	KindReceipt    = "receipt"
	KindForward    = "forward"
	KindClose      = "close"
	KindReminder   = "reminder"
	KindEscalation = "escalation"
	KindNotice     = "notice"
	KindReport     = "report" // statistics to a committee, with the file attached
)

// Notification is one rendered notification: composed by notify, stored in
// the outbox by store, and handed unchanged to a notify.Sender by the
// outbox worker. It is immutable once composed, except that a forward too
// large for the relay gets a smaller Payload.
type Notification struct {
	Channel Medium // what it goes out by (the outbox's channel)
	Kind    string // one of the Kind constants
	// From is the envelope sender: the mailbox address (MAIL FROM) for
	// e-mail, the sender number or ID for SMS. For SMS it may be empty,
	// and the sender then uses its configured default.
	From      string
	To        string // recipient address, or E.164 number for SMS
	MessageID string // e-mail only: the Message-ID in Payload, without <>
	// Payload is the complete RFC 5322 message with CRLF line endings for
	// e-mail, or the UTF-8 text for SMS.
	Payload []byte
	// OriginalAt and OriginalLen locate in a forward's Payload the attached
	// original, byte for byte as received; both 0 when there is none. The
	// store keeps a reference to its stored copy of the original instead
	// of a second one, and puts it back when the payload is read.
	OriginalAt, OriginalLen int
	// Original, when not nil, is a forward's attached original kept out of
	// Payload (detached): the complete message is Payload[:OriginalAt],
	// then Original, then Payload[OriginalAt:], and OriginalLen is
	// len(Original). The store keeps the payload with a reference to its
	// own copy of the original, and a sender that can writes the three
	// pieces in turn, so no complete copy of a big forward is ever built.
	Original []byte
	// OriginalFrom, when not nil, is a detached original read from where
	// it is stored (a file) instead of Original: the outbox sets it for a
	// sender that streams it into the message, so a big original is
	// never held in memory. It is read with ReadAt, so again and again.
	OriginalFrom *io.SectionReader
}

// Detached reports whether n's original is kept out of its Payload.
func (n *Notification) Detached() bool {
	return (n.Original != nil || n.OriginalFrom != nil) && n.OriginalAt >= 0 && n.OriginalAt <= len(n.Payload)
}

// originalSize is the size of a detached original.
func (n *Notification) originalSize() int {
	if n.OriginalFrom != nil {
		return int(n.OriginalFrom.Size())
	}
	return len(n.Original)
}

// Size is the length of the complete message in bytes.
func (n *Notification) Size() int {
	if n.Detached() {
		return len(n.Payload) + n.originalSize()
	}
	return len(n.Payload)
}

// Full returns the complete message: Payload itself, or, when detached,
// a new slice joining Payload and the original.
func (n *Notification) Full() ([]byte, error) {
	if !n.Detached() {
		return n.Payload, nil
	}
	var b bytes.Buffer
	b.Grow(n.Size())
	if _, err := n.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Join makes Payload the complete message (see Full), no longer detached.
func (n *Notification) Join() error {
	if !n.Detached() {
		return nil
	}
	full, err := n.Full()
	if err != nil {
		return err
	}
	n.Payload, n.Original, n.OriginalFrom = full, nil, nil
	return nil
}

// WriteTo writes the complete message to w, piece by piece when detached.
func (n *Notification) WriteTo(w io.Writer) (int64, error) {
	if !n.Detached() {
		k, err := w.Write(n.Payload)
		return int64(k), err
	}
	k, err := w.Write(n.Payload[:n.OriginalAt])
	total := int64(k)
	if err != nil {
		return total, err
	}
	if n.OriginalFrom != nil {
		m, err := io.Copy(w, io.NewSectionReader(n.OriginalFrom, 0, n.OriginalFrom.Size()))
		total += m
		if err != nil {
			return total, fmt.Errorf("read the original: %w", err)
		}
	} else {
		k, err = w.Write(n.Original)
		total += int64(k)
		if err != nil {
			return total, err
		}
	}
	k, err = w.Write(n.Payload[n.OriginalAt:])
	return total + int64(k), err
}
