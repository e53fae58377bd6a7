package casework

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/classify/lang"
	"github.com/exempelby/synpunkt/classify/pii"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// newCase classifies a message that answers no case and either routes it
// out (exclusion) or opens a case with its forward and receipt.
// ahead is a classification Prepare made, used when it is of msg.
func (p *Intake) newCase(ctx context.Context, src Source, in store.Intake, msg *synpunkt.Message, auto, note string, staff bool, ahead *classified) (Result, error) {
	return p.openCase(ctx, src, in, msg, auto, note, staff, nil, ahead)
}

// openCase is newCase for mail (reg nil) and for a clerk's registration,
// whose channel and contact reg gives (never staff mail: a registration is
// the citizen's synpunkt). It reads top-down: classify, build the case,
// decide the receipt, build the notifications, register all in one
// transaction.
func (p *Intake) openCase(ctx context.Context, src Source, in store.Intake, msg *synpunkt.Message, auto, note string, staff bool, reg *origin, ahead *classified) (Result, error) {
	d := p.decide(msg, staff, ahead)
	if d.Exclusion != nil {
		return p.exclude(ctx, src, in, msg, d, auto)
	}
	dr := p.buildCase(src, in, msg, d, reg, ahead.textOf(msg, staff))
	dr.file = src.File
	receiptTo, suppressed, err := p.receiptPolicy(ctx, src, in, dr.c, dr.contact, auto)
	if err != nil {
		return Result{}, err
	}
	nc := store.NewCase{
		Intake: in, Case: dr.c, Handler: d.Handler, Text: dr.text, Contact: dr.contact, Events: p.caseEvents(dr, note, suppressed, reg),
		Document: synpunkt.Document{Type: d.Category, Direction: synpunkt.Inkommande, SenderRole: string(dr.c.InitiatedBy), ReceivedAt: in.ReceivedAt,
			MessageID: msg.MessageID, Attachments: msg.Attachments, ClaimedDate: msg.Date},
	}
	opened, err := p.st.OpenCase(ctx, nc, p.newCaseNotifications(dr, msg, receiptTo, reg))
	if err != nil {
		return Result{}, err
	}
	p.committed(1)
	p.log.Info("case registered", "case", opened.Number, "category", opened.Category, "unit", opened.Unit, "initiated_by", opened.InitiatedBy)
	return Result{Outcome: NewCase, Case: opened.Number}, nil
}

// draft is a new case before it is registered, with what decided it.
type draft struct {
	c         synpunkt.Case // no Number or Status yet
	d         classify.Decision
	text      string         // the text registered
	language  string         // detected in the subject and text (lang.Detect)
	contact   *store.Contact // nil: anonymous
	forward   bool           // the case is forwarded now (its clocks start)
	withheld  string         // why it is not, when forward is false
	sensitive bool
	why       []string           // the reasons it is sensitive
	file      *mimeparse.RawFile // the original, when it is a file (msg.Raw nil)
}

// caseText is what a new case takes from a classified message's text:
// its contact, role, redacted description, sensitivity and language. It
// depends on the message and its classification only, so Prepare works it
// out ahead (see classifyAhead).
type caseText struct {
	text        string         // the text registered
	contact     *store.Contact // nil: anonymous
	initiatedBy synpunkt.Role
	description string
	sensitive   bool
	why         []string // the reasons it is sensitive
	language    string   // detected in the subject and text
}

// caseTextOf works out the caseText of msg classified as d. It does no I/O.
func (p *Intake) caseTextOf(msg *synpunkt.Message, d classify.Decision) *caseText {
	ct := &caseText{text: d.Text}
	if ct.text == "" {
		ct.text = msg.Text
	}
	ct.contact = p.contact(msg, d, ct.text)
	known := []string{msg.From.Name}
	subject := msg.Subject
	if d.Form != nil {
		known = append(known, d.Form.Name)
		// A form's subject is the form's own ("Ny synpunkt från e-tjänsten");
		// the citizen's words are in the message field.
		subject = d.Form.Subject
	}
	ct.initiatedBy = p.initiatedBy(msg, d, ct.text, ct.contact)
	ct.description = p.redact.Describe(subject, ct.text, pii.Options{KnownNames: nonEmpty(known)})
	ct.sensitive, ct.why = p.redact.Sensitive(ct.text)
	ct.language = lang.Detect(msg.Subject + "\n" + ct.text)
	return ct
}

// buildCase builds the case for a classified message: its redacted
// description, role, channel, sensitivity and, when it is forwarded now,
// its deadlines. It does no I/O. ct is msg's caseText when Prepare worked
// it out, else nil.
func (p *Intake) buildCase(src Source, in store.Intake, msg *synpunkt.Message, d classify.Decision, reg *origin, ct *caseText) draft {
	if ct == nil {
		ct = p.caseTextOf(msg, d)
	}
	dr := draft{d: d, text: ct.text, language: ct.language, contact: ct.contact}
	dr.c = synpunkt.Case{
		ReceivedAt: in.ReceivedAt, Category: d.Category, Unit: d.Unit.Name, Committee: d.Unit.Committee,
		InitiatedBy: ct.initiatedBy,
		Description: ct.description,
		Channel:     channelOf(d, reg),
	}
	if reg != nil {
		dr.contact = reg.contact
		dr.c.InitiatedBy = p.registeredBy(dr.text, reg)
	}
	dr.forward, dr.withheld = p.forwardPolicy(src, in)
	if p.policy != nil && dr.forward {
		// The clocks start only when someone got the case: a case never
		// forwarded has nobody to remind or escalate past.
		dr.c.FirstResponseDue, dr.c.FinalDue = p.policy.Deadlines(dr.c.Unit, dr.c.Category, dr.c.ReceivedAt)
	}
	dr.sensitive, dr.why = ct.sensitive, ct.why
	dr.c.Sensitive = dr.sensitive
	return dr
}

// caseEvents lists the events registered with a new case.
func (p *Intake) caseEvents(dr draft, note, suppressed string, reg *origin) []store.Event {
	events := p.classifiedEvents(dr.d, note, dr.sensitive, dr.why)
	if !dr.forward {
		events = append(events, store.Event{Actor: "synpunkt", Kind: EventNotForwarded, Detail: dr.withheld})
	}
	if suppressed != "" {
		events = append(events, store.Event{Actor: "synpunkt", Kind: "receipt_suppressed", Detail: suppressed})
	}
	if reg != nil {
		events = append(events, store.Event{Actor: reg.clerk, Kind: "registered", Detail: "registrerad av handläggare, kanal " + string(reg.channel)})
	}
	return events
}

// newCaseNotifications returns what renders a new case's forward, receipt
// and (for a registration) the clerk's notice once its number is known;
// nil when the case is not forwarded now.
func (p *Intake) newCaseNotifications(dr draft, msg *synpunkt.Message, receiptTo string, reg *origin) store.Composer {
	if !dr.forward {
		return nil
	}
	return func(c synpunkt.Case) ([]synpunkt.Notification, error) {
		out, err := p.renderNewCase(c, msg, dr.file, dr.text, dr.language, dr.d.Handler, receiptTo)
		if err != nil || reg == nil || reg.ackTo == "" {
			return out, err
		}
		ack, err := p.registeredNotice(c, reg.ackTo, receiptTo)
		return append(out, ack...), err
	}
}

// initiatedBy infers the role of the writer; for form mail the form's
// fields stand in for the (no-reply) sender.
func (p *Intake) initiatedBy(msg *synpunkt.Message, d classify.Decision, text string, contact *store.Contact) synpunkt.Role {
	if d.Form == nil {
		from := msg.From
		if d.ForwardedFrom != "" {
			from = synpunkt.Address{Addr: d.ForwardedFrom}
		}
		return p.redact.InitiatedBy(text, from, false)
	}
	role := p.redact.InitiatedBy(text, synpunkt.Address{Name: d.Form.Name, Addr: d.Form.Email}, d.Form.Anonymous)
	if role == synpunkt.RoleAnonym && !d.Form.Anonymous && contact != nil {
		return synpunkt.RolePrivatperson
	}
	return role
}

// channelOf says how a new case came in: as the clerk registered it, by
// the web form, or by mail.
func channelOf(d classify.Decision, reg *origin) synpunkt.Channel {
	switch {
	case reg != nil:
		return reg.channel
	case d.Form != nil:
		return synpunkt.ChannelEtjanst
	}
	return synpunkt.ChannelEpost
}

// registeredBy infers the role of the citizen a clerk registered a
// synpunkt for, from the text and the contact the clerk gave.
func (p *Intake) registeredBy(text string, reg *origin) synpunkt.Role {
	var from synpunkt.Address
	if reg.contact != nil {
		from.Addr = reg.contact.Email
	}
	role := p.redact.InitiatedBy(text, from, reg.anonymous)
	if role == synpunkt.RoleAnonym && !reg.anonymous && reg.contact != nil {
		return synpunkt.RolePrivatperson
	}
	return role
}

// registeredNotice tells the clerk who mailed a #registrera the case
// number.
func (p *Intake) registeredNotice(c synpunkt.Case, to, receiptTo string) ([]synpunkt.Notification, error) {
	ci := notify.CaseInfoFrom(&c)
	body := fmt.Sprintf("Synpunkten är registrerad som ärende %s (kanal: %s, %s, %s) och skickad till %s.", c.Number, c.Channel, c.Category, c.Unit, c.Handler)
	if receiptTo == "" {
		body += " Ingen kvittens skickas till medborgaren."
	} else {
		body += " Medborgaren får en kvittens."
	}
	o, err := p.compose.Notice(to, "Registrerat: ärende "+c.Number, body, &ci)
	if err != nil {
		return nil, fmt.Errorf("%w: registration acknowledgement: %v", errRender, err)
	}
	return []synpunkt.Notification{*o}, nil
}

// EventNotForwarded is the event kind of a case registered without being
// forwarded to anyone (so without deadlines); its detail says why.
// Service.Forward forwards it later and starts its clocks.
const EventNotForwarded = "not_forwarded"

// forwardPolicy decides whether a new case is forwarded to its handler now
// (and its deadline clocks started) and, when not, why. A historical
// backlog — an import with --no-notify, or a message older than
// intake.old_message_age found on first start or imported — is registered
// for the record only: nobody is mailed about last year's mail, and a
// clerk forwards the cases that still need handling.
func (p *Intake) forwardPolicy(src Source, in store.Intake) (bool, string) {
	switch {
	case src.NoNotify:
		return false, "import without notifications"
	case p.oldBacklog(src, in):
		return false, "older than intake.old_message_age on first start or import"
	}
	return true, ""
}

// oldBacklog reports whether a message was found on first start (or
// imported) and is older than intake.old_message_age.
func (p *Intake) oldBacklog(src Source, in store.Intake) bool {
	return src.Backlog && p.now().Sub(in.ReceivedAt) > p.opt.OldMessageAge
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *Intake) classifiedEvents(d classify.Decision, note string, sensitive bool, why []string) []store.Event {
	ev := []store.Event{{Actor: "classify", Kind: "classified", Detail: fmt.Sprintf("kategori %s (%.2f): %s; enhet %s (%.2f): %s",
		d.Category, d.CategoryConfidence, strings.Join(d.CategoryReasons, ", "), d.Unit.Name, d.UnitConfidence, strings.Join(d.UnitReasons, ", "))}}
	if d.Triage {
		ev = append(ev, store.Event{Actor: "classify", Kind: "triage", Detail: "osäker klassning: till " + d.Unit.Name})
	}
	if note != "" {
		ev = append(ev, store.Event{Actor: "intake", Kind: "thread_rejected", Detail: note})
	}
	if sensitive {
		ev = append(ev, store.Event{Actor: "classify", Kind: "sensitive", Detail: "sekretessprövning: " + strings.Join(why, ", ")})
	}
	return ev
}

// contact picks the citizen's reply channel: the form's fields for form
// mail (never the no-reply sender), else the author's address (see
// authorAddress); a Swedish mobile number is kept for SMS when there is no
// usable address. An address of the organisation itself is never a
// citizen's contact: the receipt and the closing notice go here.
func (p *Intake) contact(msg *synpunkt.Message, d classify.Decision, text string) *store.Contact {
	c := &store.Contact{WantsReply: true}
	if f := d.Form; f != nil {
		if f.Anonymous {
			return nil
		}
		c.WantsReply = f.WantsReply
		if p.citizenAddress(lower(f.Email)) {
			c.Email = lower(f.Email)
		}
		if e164, ok := notify.NormalizeSwedishMobile(f.Phone); ok {
			c.Phone = e164
		}
	} else if d.ForwardedFrom != "" && p.citizenAddress(d.ForwardedFrom) {
		// Staff forwarded a citizen's mail: the citizen gets the receipt.
		c.Email = lower(d.ForwardedFrom)
	} else if p.citizenAddress(msg.From.Addr) {
		c.Email = p.authorAddress(msg)
	}
	if c.Email == "" && c.Phone == "" {
		if e164, ok := findMobile(text); ok {
			c.Phone = e164
		}
	}
	if c.Email == "" && c.Phone == "" {
		return nil
	}
	return c
}

// authorAddress is where the author of a mail is answered: the From
// address, or the first Reply-To when it is in the same domain as the From
// (the writer's other address at the same provider). A Reply-To elsewhere
// is ignored: it would let anyone aim the receipt, and the closing notice
// after it, at someone else.
func (p *Intake) authorAddress(msg *synpunkt.Message) string {
	from := lower(msg.From.Addr)
	if len(msg.ReplyTo) > 0 {
		rt := lower(msg.ReplyTo[0].Addr)
		if p.citizenAddress(rt) && domainOf(rt) == domainOf(from) {
			return rt
		}
	}
	return from
}

func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return d
}

// lower folds an address, authserv-id or keyword for comparing: lower
// case, without surrounding space.
func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// citizenAddress reports whether addr may get what synpunkt sends a
// citizen: it is usable and no address of the organisation's own.
func (p *Intake) citizenAddress(addr string) bool {
	return usable(addr) && !p.ownAddress(addr)
}

// ownAddress reports whether addr is in one of the organisation's domains
// or is the mailbox itself (or one of its plus-addresses), wherever the
// mailbox's domain is: mail sent there comes back to synpunkt.
func (p *Intake) ownAddress(addr string) bool {
	return p.opt.Domains.Own(addr) || store.RecipientKey(addr) == store.RecipientKey(p.opt.MailboxAddress)
}

// usable reports whether an address can take a receipt: it parses, and it
// is no no-reply address.
func usable(addr string) bool {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") {
		return false
	}
	l := strings.ReplaceAll(strings.ReplaceAll(local, "-", ""), "_", "")
	return !strings.HasPrefix(l, "noreply") && !strings.HasPrefix(l, "donotreply") && !strings.HasPrefix(l, "ingetsvar")
}

// findMobile finds the first Swedish mobile number in text.
func findMobile(text string) (string, bool) {
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' || r == ';' || r == ':' }) {
		for _, cand := range mobileCandidates(f) {
			if e164, ok := notify.NormalizeSwedishMobile(cand); ok {
				return e164, true
			}
		}
	}
	return "", false
}

// mobileCandidates returns runs of digits, spaces, dashes, parentheses and
// a leading plus that might be a phone number.
func mobileCandidates(s string) []string {
	var out []string
	start := -1
	for i, r := range s + "x" {
		phoney := r >= '0' && r <= '9' || r == ' ' || r == '-' || r == '+' || r == '(' || r == ')'
		if phoney && start < 0 {
			start = i
		}
		if !phoney && start >= 0 {
			if c := strings.TrimSpace(s[start:i]); len(c) >= 10 {
				out = append(out, c)
			}
			start = -1
		}
	}
	return out
}

// receiptPolicy decides whether and where a receipt goes. It returns the
// channel address ("" for none) and, when none, why.
func (p *Intake) receiptPolicy(ctx context.Context, src Source, in store.Intake, c synpunkt.Case, contact *store.Contact, auto string) (string, string, error) {
	switch {
	case src.NoNotify:
		return "", "import without notifications", nil
	case auto != "":
		return "", "automated message (" + auto + ")", nil
	case c.InitiatedBy == synpunkt.RoleAnonym || contact == nil:
		return "", "anonymous or no contact details", nil
	case p.oldBacklog(src, in):
		return "", "older than intake.old_message_age on first start", nil
	}
	to := contact.Email
	if to == "" {
		to = contact.Phone
	}
	if strings.Contains(to, "@") && p.ownAddress(to) {
		return "", "the contact address is the organisation's own", nil
	}
	if capped, why, err := p.capReached(ctx, to); capped || err != nil {
		return "", why, err
	}
	return to, "", nil
}

// receiptLanguage is the language the receipt is written in: the
// detected one when receipts.languages serves it, else Swedish.
func (p *Intake) receiptLanguage(detected string) string {
	if slices.Contains(p.opt.ReceiptLanguages, detected) {
		return detected
	}
	return "sv"
}

// autoReplyKinds are the notifications that answer a sender automatically
// and share receipts.max_per_sender_per_day: receipts, and the notices that
// answer excluded mail (staff notices go to staff, never to a sender).
var autoReplyKinds = []string{synpunkt.KindReceipt, synpunkt.KindNotice}

// capReached reports whether to, however it is spelt (case, +tag), got
// receipts.max_per_sender_per_day automatic replies in the last 24 hours,
// and if so why, for the event log.
func (p *Intake) capReached(ctx context.Context, to string) (bool, string, error) {
	n, err := p.st.CountToSender(ctx, to, p.now().Add(-24*time.Hour), autoReplyKinds...)
	if err != nil {
		return false, "", err
	}
	limit := p.opt.MaxReceiptsPerSenderPerDay
	if n < limit {
		return false, "", nil
	}
	p.log.Warn("automatic-reply cap reached for sender", "cap", limit)
	return true, fmt.Sprintf("automatic-reply cap of %d per day reached for this sender", limit), nil
}

// renderNewCase renders the forward to the handler and the receipt.
// language is the one detected in the message (caseText).
func (p *Intake) renderNewCase(c synpunkt.Case, msg *synpunkt.Message, f *mimeparse.RawFile, text, language, handler, receiptTo string) ([]synpunkt.Notification, error) {
	ci := notify.CaseInfoFrom(&c)
	ci.CitizenText, ci.CitizenMessageID = text, msg.MessageID
	ci.Language = language
	reply := p.threads.ReplyAddress(c.Number)
	fwd, err := p.forwardRef(ci, handler, msg.Raw, f, reply)
	if err != nil {
		return nil, fmt.Errorf("%w: forward: %v", errRender, err)
	}
	out := []synpunkt.Notification{*fwd}
	if receiptTo == "" {
		return out, nil
	}
	var rc *synpunkt.Notification
	ci.Language = p.receiptLanguage(ci.Language)
	if strings.HasPrefix(receiptTo, "+") {
		rc, err = p.compose.ReceiptSMS(ci, receiptTo)
	} else {
		rc, err = p.compose.Receipt(ci, synpunkt.Address{Addr: receiptTo}, reply)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: receipt: %v", errRender, err)
	}
	return append(out, *rc), nil
}

// exclude routes a message that is not a synpunkt to its destination,
// records the decision, and sends the configured neutral reply.
func (p *Intake) exclude(ctx context.Context, src Source, in store.Intake, msg *synpunkt.Message, d classify.Decision, auto string) (Result, error) {
	x := d.Exclusion
	detail := fmt.Sprintf("%s: %s → %s", x.Class, strings.Join(x.Reasons, ", "), x.Destination)
	ev := []store.Event{{Actor: "classify", Kind: "excluded", Detail: detail}}
	var out []synpunkt.Notification
	if !src.NoNotify && x.Destination != "" {
		note := x.Note
		if note == "" {
			note = fmt.Sprintf("Detta meddelande kom till synpunktsbrevlådan men är inte en synpunkt (%s). Det lämnas över till er enligt rutinen.", x.Class)
		}
		body := note + "\n\n" + msg.Text
		o, err := p.compose.Notice(x.Destination, "Överlämnat från synpunktsbrevlådan: "+msg.Subject, body, nil)
		if err != nil {
			return Result{}, fmt.Errorf("%w: exclusion forward: %v", errRender, err)
		}
		out = append(out, *o)
		if x.Copy != "" && x.Copy != x.Destination {
			o, err := p.compose.Notice(x.Copy, "Kopia: överlämnat från synpunktsbrevlådan till "+x.Destination+": "+msg.Subject, body, nil)
			if err != nil {
				return Result{}, fmt.Errorf("%w: exclusion copy: %v", errRender, err)
			}
			out = append(out, *o)
		}
	}
	if to := p.exclusionReplyTo(msg, d); !src.NoNotify && x.Reply != "" && auto == "" && to != "" {
		capped, why, err := p.capReached(ctx, to)
		if err != nil {
			return Result{}, err
		}
		if capped {
			ev = append(ev, store.Event{Actor: "synpunkt", Kind: "reply_suppressed", Detail: why})
		} else {
			o, err := p.compose.Notice(to, "Ditt meddelande till "+p.opt.OrgName, x.Reply, nil)
			if err != nil {
				return Result{}, fmt.Errorf("%w: exclusion reply: %v", errRender, err)
			}
			out = append(out, *o)
		}
	}
	if err := p.st.RecordIntake(ctx, in, store.OutcomeExcluded, string(x.Class), 0, ev, out); err != nil {
		return Result{}, err
	}
	p.committed(len(out))
	p.log.Info("message excluded", "class", x.Class, "destination", x.Destination)
	return Result{Outcome: Excluded, Reason: string(x.Class)}, nil
}

// exclusionReplyTo is where the neutral reply to excluded mail goes: the
// author, chosen as for a receipt; for "intern" mail the staff member who
// wrote it (but never the mailbox itself). "" for none.
func (p *Intake) exclusionReplyTo(msg *synpunkt.Message, d classify.Decision) string {
	if d.Exclusion.Class == classify.ClassInternal {
		from := lower(msg.From.Addr)
		if usable(from) && store.RecipientKey(from) != store.RecipientKey(p.opt.MailboxAddress) {
			return from
		}
		return ""
	}
	text := d.Text
	if text == "" {
		text = msg.Text
	}
	if c := p.contact(msg, d, text); c != nil {
		return c.Email
	}
	return ""
}
