package synpunkt

import (
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
	OtherAuto   bool
	Text        string // the readable body text, valid UTF-8
	FromHTML    bool   // Text was converted from an HTML-only body
	Attachments []Attachment
	// Problems lists non-fatal parse problems (unknown charset, missing
	// closing boundary...) in English, for the event log.
	Problems []string
}

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
