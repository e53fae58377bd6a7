package synpunkt

import (
	"strings"
	"time"
)

// DocType is the document type (handlingstyp) of a registration in a case.
type DocType string

// Document types, from the Håbo routine and Burlöv guideline.
const (
	DocBerom         DocType = "Beröm"
	DocKlagomal      DocType = "Klagomål"
	DocForslag       DocType = "Förslag"
	DocFraga         DocType = "Fråga"
	DocFelanmalan    DocType = "Felanmälan"
	DocSvar          DocType = "Svar"
	DocKomplettering DocType = "Komplettering"
	DocOverlamning   DocType = "Överlämning"
)

// Categories lists the document types a new synpunkt can be classified as.
var Categories = []DocType{DocBerom, DocKlagomal, DocForslag, DocFraga, DocFelanmalan}

// Direction says whether a document came in or was drawn up by the organisation.
type Direction string

// Directions of a document.
const (
	Inkommande Direction = "Inkommande"
	Upprattad  Direction = "Upprättad"
)

// Status is a case status.
type Status string

// Case statuses.
const (
	StatusOpen   Status = "öppet"
	StatusClosed Status = "avslutat"
)

// Role names who initiated a case or sent a document, never a person.
type Role string

// Roles used in metadata instead of names.
const (
	RolePrivatperson Role = "Privatperson"
	RoleAnonym       Role = "Anonym"
	RoleFlera        Role = "Flera privatpersoner"
	RoleOrganisation Role = "Organisation"
)

// Channel is how a synpunkt reached the organisation (inkanal). It is not
// the channel a notification goes out by (synpunkt.Medium).
type Channel string

// Channels a case can come in by.
const (
	ChannelEpost   Channel = "e-post"   // mail to the mailbox
	ChannelSMS     Channel = "sms"      // a text message
	ChannelTelefon Channel = "telefon"  // a phone call, registered by a clerk
	ChannelBesok   Channel = "besök"    // a visit, registered by a clerk
	ChannelBrev    Channel = "brev"     // a paper letter, registered by a clerk
	ChannelEtjanst Channel = "e-tjänst" // the web form (e-tjänsten)
)

// Channels lists every channel, in the order statistics show them.
var Channels = []Channel{ChannelEpost, ChannelSMS, ChannelTelefon, ChannelBesok, ChannelBrev, ChannelEtjanst}

// RegisteredChannels are the channels a clerk registers a synpunkt by on a
// citizen's behalf (synpunkt register, a #registrera mail).
var RegisteredChannels = []Channel{ChannelTelefon, ChannelBesok, ChannelBrev, ChannelEtjanst}

// ParseChannel reads a channel name, case-insensitively and with or
// without its Swedish letters ("besok", "e-tjanst", "etjänst", "epost").
func ParseChannel(s string) (Channel, bool) {
	k := plainChannel.Replace(strings.ToLower(strings.TrimSpace(s)))
	for _, c := range Channels {
		if plainChannel.Replace(string(c)) == k {
			return c, true
		}
	}
	return "", false
}

var plainChannel = strings.NewReplacer("ö", "o", "ä", "a", "-", "")

// Address is a parsed mail address. Name may be empty.
type Address struct {
	Name string
	Addr string // lower-cased local@domain, may be empty when unparseable
}

// Attachment describes one attachment kept with the original message.
type Attachment struct {
	Name        string // file name as given by the sender, may be empty
	ContentType string // media type, e.g. "application/pdf"
	Size        int64  // decoded size in bytes
}

// Message is one incoming message after MIME parsing. The raw bytes are kept
// intact; everything else is derived from them.
type Message struct {
	Raw        []byte    // the original RFC 5322 bytes, immutable
	MessageID  string    // without angle brackets; may be empty
	InReplyTo  []string  // message IDs without angle brackets
	References []string  // message IDs without angle brackets
	Subject    string    // decoded to UTF-8
	From       Address   // first From address
	ReplyTo    []Address // may be nil
	To         []Address
	Cc         []Address
	Date       time.Time // zero when missing or unparseable
	// ReturnPath is the Return-Path header value; HasReturnPath is false
	// when the header is absent. An empty value with HasReturnPath set is
	// the null sender "<>" of bounces (RFC 5321 §4.5.5).
	ReturnPath    string
	HasReturnPath bool
	// AutoSubmitted, Precedence and ListID carry the loop-prevention headers
	// (RFC 3834, RFC 2919) verbatim, lower-cased and trimmed.
	AutoSubmitted string
	Precedence    string
	ListID        string
	// OtherAuto is true when another well-known auto-reply marker is present
	// (X-Autoreply, X-Autorespond, or X-Auto-Response-Suppress together with
	// an out-of-office subject; see mailbox/mimeparse).
	OtherAuto bool
	// Report is what kind of machine report the MIME structure says the
	// message is: a multipart/report (RFC 6522) by its report-type or the
	// report part it holds (message/delivery-status, RFC 3464;
	// message/feedback-report, RFC 5965; message/disposition-notification,
	// RFC 8098), or such a part elsewhere. AutoNone when it is none.
	Report AutoKind
	// ReportedIDs are the Message-IDs (without angle brackets) of the
	// original a report or bounce encloses (message/rfc822 and
	// text/rfc822-headers parts, the Original-Message-ID of a
	// disposition notification). Nil when nothing is enclosed.
	ReportedIDs []string
	// AutoReply names the header or subject that marks the message as an
	// automatic reply (RFC 3834 and the de-facto headers of vacation
	// programs and Exchange); SignalNone when there is none.
	AutoReply AutoSignal
	// NonDelivery is true when the body opens like a known MTA's
	// non-delivery notice. Alone it proves nothing: a person may quote one.
	NonDelivery bool
	Text        string // the readable body text, valid UTF-8
	FromHTML    bool   // Text was converted from an HTML-only body
	Attachments []Attachment
	// Problems lists non-fatal parse problems (unknown charset, missing
	// closing boundary...) in English, for the event log.
	Problems []string
	// OwnText is the author's own new text, where staff #commands are
	// read: the inline text/plain body, or the HTML body converted without
	// its <blockquote> quotes; never text of an attached message/rfc822
	// (Text falls back to that, OwnText does not). May be empty.
	OwnText string
	// Trace lists the message's own trace fields, Received (RFC 5321 §4.4)
	// and Authentication-Results (RFC 8601), unfolded, topmost first, as
	// the header has them; fields of an enclosed message are not included.
	// Which of them a server vouches for is the reader's decision (see
	// casework's isStaff): a sender can write any of them below the
	// Received field the receiving server prepends. May be nil.
	Trace []TraceField
}

// TraceField is one Received or Authentication-Results header field.
type TraceField struct {
	Name  string // "Received" or "Authentication-Results"
	Value string // unfolded, valid UTF-8
}

// AutoKind says what kind of machine-made mail a message is. Such mail is
// never a synpunkt: it opens no case, is never answered and never stops a
// case's clock.
type AutoKind string

// Kinds of machine-made mail.
const (
	AutoNone           AutoKind = ""                         // written by a person, as far as can be told
	AutoDeliveryReport AutoKind = "delivery-report"          // a bounce: DSN (RFC 3464) or an MTA's non-delivery notice
	AutoFeedbackReport AutoKind = "feedback-report"          // an abuse or spam complaint report, ARF (RFC 5965)
	AutoReadReceipt    AutoKind = "disposition-notification" // a read receipt, MDN (RFC 8098)
	AutoReply          AutoKind = "auto-reply"               // out-of-office, vacation (RFC 3834)
)

// AutoSignal names the evidence that recognised machine-made mail.
type AutoSignal string

// Signals that recognise machine-made mail.
const (
	SignalNone AutoSignal = ""
	// SignalReport: the MIME structure is a report (Message.Report).
	SignalReport AutoSignal = "report structure"
	// SignalNonDelivery: the subject or body of a known MTA's non-delivery notice,
	// from a null, mailer-daemon/postmaster or auto-submitted sender (or a
	// no-reply sender that returns an original).
	SignalNonDelivery AutoSignal = "non-delivery notice from a mail system"
	// SignalEnclosesOurs: a null or mailer-daemon/postmaster sender
	// returns a message synpunkt sent.
	SignalEnclosesOurs AutoSignal = "returns a message synpunkt sent"
	// SignalAutoSubmitted: Auto-Submitted: auto-replied (RFC 3834 §5).
	SignalAutoSubmitted AutoSignal = "Auto-Submitted: auto-replied"
	// SignalAutoReplyHeader: X-Autoreply, X-Autorespond, Precedence:
	// auto_reply, X-Autogenerated: Reply, X-POST-MessageClass:
	// Autoresponder or X-Apple-Action: vacation.
	SignalAutoReplyHeader AutoSignal = "auto-reply header"
	// SignalExchangeAutoReply: X-MS-Exchange-Inbox-Rules-Loop or
	// X-Auto-Response-Suppress together with an automatic-reply subject or
	// Auto-Submitted.
	SignalExchangeAutoReply AutoSignal = "Exchange auto-reply headers"
	// SignalAutoReplySubject: a subject such as "Automatiskt svar:",
	// "Out of Office:" or "Abwesenheitsnotiz:".
	SignalAutoReplySubject AutoSignal = "auto-reply subject"
)

// Case is a case (ärende) as registered.
type Case struct {
	ID          int64
	Number      string // e.g. "SYN-2026-00042", unique
	Status      Status
	ReceivedAt  time.Time
	Category    DocType // the document type of the first synpunkt
	Unit        string  // responsible unit (enhet)
	Committee   string  // responsible committee (nämnd)
	InitiatedBy Role
	Description string // redacted, ≤ 120 characters, never empty
	Sensitive   bool   // description withheld from public listings
	Handler     string // address the case was forwarded to (staff, not a citizen)
	// Channel is how the synpunkt came in; ChannelEpost for mail.
	Channel Channel
	// FirstResponseDue and FinalDue are the routine's deadlines (zero when
	// none were set); FirstResponseAt is when the first Svar was
	// registered, ClosedAt when the case was closed (zero: not yet).
	FirstResponseDue time.Time
	FinalDue         time.Time
	FirstResponseAt  time.Time
	ClosedAt         time.Time
	Documents        []Document
}

// Document is one registration (handling) within a case.
type Document struct {
	ID         int64
	CaseID     int64
	Type       DocType
	Direction  Direction
	SenderRole string // a Role or a unit name, never a person
	ReceivedAt time.Time
	MessageID  string
	RawSHA256  string // hex digest of the original bytes
	// Attachments of the original, by name, type and size (the bytes stay
	// in the original message).
	Attachments []Attachment
	// ClaimedDate is the message's Date header as its sender wrote it
	// (RFC 5322 §3.6.1), kept as a fact; zero when missing or unparseable.
	// It can be forged: case numbers never come from it.
	ClaimedDate time.Time
}
