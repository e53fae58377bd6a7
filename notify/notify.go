package notify

import "context"

// Channel is the medium a notification is delivered over.
type Channel string

// Channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// Kinds of notification, stored with the outbox row and used in logs.
const (
	KindReceipt    = "receipt"
	KindForward    = "forward"
	KindClose      = "close"
	KindReminder   = "reminder"
	KindEscalation = "escalation"
	KindNotice     = "notice"
)

// Outgoing is one rendered notification, ready to be stored in the outbox and
// sent later. It is immutable once composed.
type Outgoing struct {
	Channel Channel
	Kind    string // one of the Kind constants, for logs and the outbox
	// From is the envelope sender: the mailbox address (MAIL FROM) for
	// e-mail, the sender number or ID for SMS. For SMS it may be empty,
	// and the Sender then uses its configured default.
	From      string
	To        string // recipient address, or E.164 number for SMS
	MessageID string // e-mail only: the Message-ID in Payload, without <>
	// Payload is the complete RFC 5322 message with CRLF line endings for
	// e-mail, or the UTF-8 text for SMS.
	Payload []byte
}

// Sender delivers an Outgoing exactly as given. Errors should be *Error so
// the outbox can tell a retry from a give-up; see IsTemporary.
type Sender interface {
	Send(ctx context.Context, o *Outgoing) error
}
