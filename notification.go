package synpunkt

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
}
