package notify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"

	"github.com/exempelby/synpunkt"
)

// Org identifies the organisation notifications are sent on behalf of.
type Org struct {
	Name           string // e.g. "Exempelby kommun"
	MailboxAddress string // the feedback mailbox, e.g. "synpunkter@exempelby.se"; envelope sender
	FromHeader     string // e.g. "Exempelby kommun <synpunkter@exempelby.se>"
	Domain         string // right-hand side of generated Message-IDs
	SMSFrom        string // SMS sender number or ID; may be empty (the SMS sender's default)
}

// validate checks that Org can produce well-formed messages.
func (o Org) validate() error {
	if o.Name == "" {
		return errors.New("org name is empty")
	}
	if _, err := mail.ParseAddress(o.MailboxAddress); err != nil {
		return fmt.Errorf("org mailbox address %q: %w", o.MailboxAddress, err)
	}
	if _, err := mail.ParseAddress(o.FromHeader); err != nil {
		return fmt.Errorf("org from header %q: %w", o.FromHeader, err)
	}
	if o.Domain == "" || strings.ContainsAny(o.Domain, "<>@ \r\n") {
		return fmt.Errorf("org domain %q: must be a plain domain name", o.Domain)
	}
	return nil
}

// CaseInfo is what the templates need to know about a case.
type CaseInfo struct {
	Number      string // e.g. "SYN-2026-00042"; required
	Category    synpunkt.DocType
	Unit        string // responsible unit (enhet)
	Committee   string // responsible committee (nämnd)
	InitiatedBy synpunkt.Role
	Description string // redacted case description, no personal data
	ReceivedAt  time.Time
	CitizenText string // the citizen's message text; forwarded to the manager only
	// CitizenMessageID is the Message-ID of the citizen's message without
	// <>, used for In-Reply-To/References; may be empty.
	CitizenMessageID string
	Note             string    // free text from the handler, e.g. for the closing notice; may be empty
	Deadline         time.Time // the missed deadline of a reminder or escalation; may be zero
	// FirstResponseDue and FinalDue are the case's own deadlines, as
	// registered; zero when the case has none (no clock was started).
	FirstResponseDue time.Time
	FinalDue         time.Time
	// Language is the ISO 639 code of the language the citizen wrote in,
	// as detected; the receipt is in it when its template exists, else
	// in Swedish. Empty: Swedish, not stated in the forward.
	Language string
}

// CaseInfoFrom fills the case metadata of a CaseInfo from a registered case.
// Citizen text, Message-ID, note and the missed deadline are left for the
// caller.
func CaseInfoFrom(c *synpunkt.Case) CaseInfo {
	return CaseInfo{
		Number: c.Number, Category: c.Category, Unit: c.Unit,
		Committee: c.Committee, InitiatedBy: c.InitiatedBy,
		Description: c.Description, ReceivedAt: c.ReceivedAt,
		FirstResponseDue: c.FirstResponseDue, FinalDue: c.FinalDue,
	}
}

// Composer renders notifications into synpunkt.Notification values. It is immutable and
// safe for concurrent use.
type Composer struct {
	org  Org
	tpl  *Templates
	from *mail.Address // parsed Org.FromHeader
	// Now returns the Date of composed messages; nil means time.Now. Set it
	// before first use only.
	Now func() time.Time
}

// NewComposer returns a Composer for org using t (nil means
// DefaultTemplates).
func NewComposer(org Org, t *Templates) (*Composer, error) {
	if err := org.validate(); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if t == nil {
		t = DefaultTemplates()
	}
	from, _ := mail.ParseAddress(org.FromHeader) // checked by validate
	return &Composer{org: org, tpl: t, from: from}, nil
}

func (c *Composer) data(ci CaseInfo) *TemplateData {
	return &TemplateData{Org: c.org, Case: ci, Anonymous: ci.InitiatedBy == synpunkt.RoleAnonym}
}

// Receipt renders the mottagningsbekräftelse to the citizen. replyTo is the
// signed plus-address replies should go to; it must not be empty. The
// message is an auto-reply to the citizen's message (RFC 3834 §5).
func (c *Composer) Receipt(ci CaseInfo, to synpunkt.Address, replyTo string) (*synpunkt.Notification, error) {
	if replyTo == "" {
		return nil, errors.New("notify: receipt: reply-to address is empty")
	}
	d := c.data(ci)
	d.ReplyTo = replyTo
	return c.email(synpunkt.KindReceipt, c.receiptName(TmplReceipt, ci.Language), d, mailSpec{
		to: to, replyTo: replyTo, inReplyTo: ci.CitizenMessageID, autoSubmitted: "auto-replied",
	})
}

// ReceiptSMS renders the receipt as an SMS to toE164.
func (c *Composer) ReceiptSMS(ci CaseInfo, toE164 string) (*synpunkt.Notification, error) {
	return c.sms(synpunkt.KindReceipt, c.receiptName(TmplReceiptSMS, ci.Language), c.data(ci), toE164)
}

// receiptName is the receipt template in lang, or the Swedish one when
// there is none.
func (c *Composer) receiptName(base, lang string) string {
	if name := receiptTemplate(base, lang); c.tpl.set[name] != nil {
		return name
	}
	return base
}

// Forward renders the case for the responsible manager, with the citizen's
// original message attached unchanged as message/rfc822. Replies from the
// manager go to replyTo.
func (c *Composer) Forward(ci CaseInfo, manager string, original []byte, replyTo string) (*synpunkt.Notification, error) {
	return c.forward(ci, manager, original, replyTo, false)
}

// ForwardRef is Forward with the original kept out of the payload
// (Notification.Original refers to original, not a copy), whenever the
// complete message is the same either way; otherwise it is Forward. The
// store keeps such a forward with a reference to the original it
// registered, and the sender streams the original in at send time.
func (c *Composer) ForwardRef(ci CaseInfo, manager string, original []byte, replyTo string) (*synpunkt.Notification, error) {
	return c.forward(ci, manager, original, replyTo, true)
}

// ForwardRefFrom is ForwardRef of an original read from r (a big message
// kept in a file): the forward is always detached, with
// Notification.OriginalFrom r, unless the original cannot pass unchanged,
// when it is read whole and forwarded as ForwardRef would. scan, when not
// nil, is r's bytes already looked at as they were written (see
// OriginalScan); one of another size than r is not trusted, and r is
// scanned again.
func (c *Composer) ForwardRefFrom(ci CaseInfo, manager string, r *io.SectionReader, scan *OriginalScan, replyTo string) (*synpunkt.Notification, error) {
	if r.Size() == 0 {
		return nil, errors.New("notify: forward: original message is empty")
	}
	if scan == nil || scan.n != r.Size() {
		var err error
		if scan, err = scanOriginalBuf(r, 64<<10); err != nil {
			return nil, fmt.Errorf("notify: forward: %w", err)
		}
	}
	clean, eightBit := scan.Result()
	if !clean {
		b := make([]byte, r.Size())
		if _, err := r.ReadAt(b, 0); err != nil {
			return nil, fmt.Errorf("notify: forward: %w", err)
		}
		return c.forward(ci, manager, b, replyTo, true)
	}
	d := c.data(ci)
	d.ReplyTo = replyTo
	return c.email(synpunkt.KindForward, TmplForward, d, mailSpec{
		to: synpunkt.Address{Addr: manager}, replyTo: replyTo,
		autoSubmitted: "auto-generated", from: r, eightBit: eightBit,
	})
}

// OriginalScan looks at an original as it is written, in pieces of any
// size, for ForwardRefFrom: whether it passes unchanged (see
// passesUnchanged) and, when it does, whether it has a byte ≥ 0x80. It
// looks at a line at a time (bytes.IndexByte) and at the eighth bits
// eight bytes at a time, so a big original is scanned at memory speed, and
// it stops looking at lines at the first that does not pass. The zero
// value is ready; Write never fails.
type OriginalScan struct {
	n        int64 // bytes written
	line     int   // bytes of the current line so far
	prevCR   bool  // the byte before was CR
	eightBit bool
	bad      bool // a line does not pass
}

// Write looks at p.
func (s *OriginalScan) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	if s.bad {
		return len(p), nil
	}
	if !s.eightBit {
		s.eightBit = hasHighBit(p)
	}
	for chunk := p; len(chunk) > 0; {
		i := bytes.IndexByte(chunk, '\n')
		if i < 0 {
			s.line += len(chunk)
			s.prevCR = chunk[len(chunk)-1] == '\r'
			break
		}
		cr := s.prevCR
		if i > 0 {
			cr = chunk[i-1] == '\r'
		}
		if s.line+i == 0 || !cr || s.line+i+1 > maxLine {
			s.bad = true
			break
		}
		s.line, s.prevCR = 0, false
		chunk = chunk[i+1:]
	}
	return len(p), nil
}

// Result reports whether what was written passes unchanged and whether
// it has a byte ≥ 0x80 (meaningful only when it passes).
func (s *OriginalScan) Result() (clean, eightBit bool) {
	return !s.bad && s.line <= maxLine, s.eightBit
}

// scanOriginalBuf reads r in pieces of bufSize and scans them.
func scanOriginalBuf(r *io.SectionReader, bufSize int) (*OriginalScan, error) {
	buf := make([]byte, bufSize)
	s := &OriginalScan{}
	for off := int64(0); off < r.Size() && !s.bad; {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), r.Size()-off)], off)
		if n == 0 && err != nil {
			return nil, err
		}
		s.Write(buf[:n]) //nolint:errcheck // never fails
		off += int64(n)
	}
	s.n = r.Size()
	return s, nil
}

// hasHighBit reports whether b has a byte ≥ 0x80.
func hasHighBit(b []byte) bool {
	const high = 0x8080808080808080
	for len(b) >= 32 {
		if (binary.LittleEndian.Uint64(b)|binary.LittleEndian.Uint64(b[8:])|
			binary.LittleEndian.Uint64(b[16:])|binary.LittleEndian.Uint64(b[24:]))&high != 0 {
			return true
		}
		b = b[32:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// forward builds both: with detach, the original stays out of the payload.
func (c *Composer) forward(ci CaseInfo, manager string, original []byte, replyTo string, detach bool) (*synpunkt.Notification, error) {
	if len(original) == 0 {
		return nil, errors.New("notify: forward: original message is empty")
	}
	d := c.data(ci)
	d.ReplyTo = replyTo
	return c.email(synpunkt.KindForward, TmplForward, d, mailSpec{
		to: synpunkt.Address{Addr: manager}, replyTo: replyTo,
		autoSubmitted: "auto-generated", attachment: original, detach: detach,
	})
}

// Closed renders the closing notice to the citizen; replies go to replyTo
// (may be empty: then to the From address).
func (c *Composer) Closed(ci CaseInfo, to synpunkt.Address, replyTo string) (*synpunkt.Notification, error) {
	d := c.data(ci)
	d.ReplyTo = replyTo
	return c.email(synpunkt.KindClose, TmplClosed, d, mailSpec{
		to: to, replyTo: replyTo, inReplyTo: ci.CitizenMessageID, autoSubmitted: "auto-generated",
	})
}

// ClosedSMS renders the closing notice as an SMS to toE164.
func (c *Composer) ClosedSMS(ci CaseInfo, toE164 string) (*synpunkt.Notification, error) {
	return c.sms(synpunkt.KindClose, TmplClosedSMS, c.data(ci), toE164)
}

// Reminder renders reminder number level (from 1) to the manager whose
// first response was due at deadline.
func (c *Composer) Reminder(ci CaseInfo, to string, deadline time.Time, level int) (*synpunkt.Notification, error) {
	return c.overdue(synpunkt.KindReminder, TmplReminder, ci, to, deadline, level)
}

// FinalReminder renders the reminder to the handler whose final answer
// was due at deadline.
func (c *Composer) FinalReminder(ci CaseInfo, to string, deadline time.Time) (*synpunkt.Notification, error) {
	d := c.data(ci)
	d.Deadline, d.Level, d.Final = deadline, 1, true
	return c.email(synpunkt.KindReminder, TmplReminder, d, mailSpec{to: synpunkt.Address{Addr: to}, autoSubmitted: "auto-generated"})
}

// Escalation renders escalation number level (from 1) to a higher manager
// when the first response due at deadline is still missing.
func (c *Composer) Escalation(ci CaseInfo, to string, deadline time.Time, level int) (*synpunkt.Notification, error) {
	return c.overdue(synpunkt.KindEscalation, TmplEscalation, ci, to, deadline, level)
}

func (c *Composer) overdue(kind, tmpl string, ci CaseInfo, to string, deadline time.Time, level int) (*synpunkt.Notification, error) {
	d := c.data(ci)
	d.Deadline, d.Level = deadline, level
	return c.email(kind, tmpl, d, mailSpec{to: synpunkt.Address{Addr: to}, autoSubmitted: "auto-generated"})
}

// Notice renders a generic staff notice, e.g. the acknowledgement of a
// command. ci may be nil; when given, its case number is added to the
// subject unless already there.
func (c *Composer) Notice(to, subject, body string, ci *CaseInfo) (*synpunkt.Notification, error) {
	d := c.data(CaseInfo{})
	if ci != nil {
		d = c.data(*ci)
		if !strings.Contains(subject, ci.Number) {
			subject += " [" + ci.Number + "]"
		}
	}
	d.Subject, d.Body = subject, body
	return c.email(synpunkt.KindNotice, TmplNotice, d, mailSpec{to: synpunkt.Address{Addr: to}, autoSubmitted: "auto-generated"})
}

// sms renders an SMS template for toE164.
func (c *Composer) sms(kind, tmpl string, d *TemplateData, toE164 string) (*synpunkt.Notification, error) {
	if !isE164(toE164) {
		return nil, fmt.Errorf("notify: %s sms: recipient %q is not an E.164 number", kind, toE164)
	}
	_, body, err := c.tpl.render(tmpl, d)
	if err != nil {
		return nil, fmt.Errorf("notify: %s sms: %w", kind, err)
	}
	body = strings.TrimSpace(body)
	if n := utf8.RuneCountInString(body); n > MaxSMSLen {
		return nil, fmt.Errorf("notify: %s sms: text is %d characters, max %d (template %s)", kind, n, MaxSMSLen, tmpl)
	}
	return &synpunkt.Notification{Channel: synpunkt.MediumSMS, Kind: kind, From: c.org.SMSFrom, To: toE164, Payload: []byte(body)}, nil
}

// isE164 reports whether s is "+" followed by 8 to 15 digits, the first not 0.
func isE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
