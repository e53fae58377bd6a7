package casework

import (
	"time"

	"github.com/exempelby/synpunkt"
)

// Options are the settings casework reads, built once from the config by
// internal/daemon (a test fills in the few it needs). They mean what the
// config keys they come from mean (config.Config).
type Options struct {
	OrgName        string           // shown in answers to excluded mail ("Ditt meddelande till …")
	MailboxAddress string           // the public mailbox; its plus-addresses thread replies
	Domains        synpunkt.Domains // the organisation's own mail domains
	// AuthservID is the authserv-id of the organisation's own incoming
	// mail server; empty: staff cannot be authenticated, and a staff
	// command must be signed for its case.
	AuthservID string
	Units      synpunkt.Units // the routing table; staff #enhet and route look units up here
	// MaxMessageSize: larger messages are quarantined unparsed (intake.max_message_size).
	MaxMessageSize int64
	// OldMessageAge: backlog messages older than this get no receipt (intake.old_message_age).
	OldMessageAge time.Duration
	// MaxReceiptsPerSenderPerDay caps automatic replies to one sender
	// (receipts.max_per_sender_per_day).
	MaxReceiptsPerSenderPerDay int
	DigestTime                 string // HH:MM the daily digest is due; empty: no digest
	DigestTo                   string // who gets the digest; empty: the default unit's manager
	// ReceiptLanguages are the languages receipts are written in when the
	// citizen wrote in one of them (receipts.languages); others get Swedish.
	ReceiptLanguages []string
}
