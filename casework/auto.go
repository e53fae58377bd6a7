package casework

import (
	"context"
	"fmt"
	"strings"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
)

// automation says why a message must never be answered, or "" for a human.
// RFC 3834 §2 (Auto-Submitted, where "no" means a human wrote it), RFC 2919
// (List-Id), the de-facto Precedence header, RFC 5321 §4.5.5 (the null
// reverse-path of delivery reports) and the MAILER-DAEMON/postmaster
// senders of bounces. It guards receipts only: whether a message is a
// synpunkt at all is recognise's decision.
func automation(m *synpunkt.Message) string {
	local, _, _ := strings.Cut(m.From.Addr, "@")
	switch {
	case local == "mailer-daemon" || local == "postmaster":
		return "bounce: sender " + local
	case m.HasReturnPath && strings.Trim(m.ReturnPath, "<> ") == "":
		return "bounce: empty Return-Path"
	case m.AutoSubmitted != "" && m.AutoSubmitted != "no":
		return "Auto-Submitted: " + m.AutoSubmitted
	case m.Precedence == "bulk" || m.Precedence == "list" || m.Precedence == "junk":
		return "Precedence: " + m.Precedence
	case m.ListID != "":
		return "List-Id present"
	case m.OtherAuto:
		return "auto-reply header"
	}
	return ""
}

// recognise decides, once per message, whether it is machine-made mail and
// by which signal. It goes by what the message is: a report by its MIME
// structure, an automatic reply by its headers or subject. Who sent it
// (the null sender, MAILER-DAEMON, postmaster) only corroborates a
// non-delivery notice's text or the return of a message synpunkt sent; a
// person writing from postmaster@ is no bounce.
func (p *Intake) recognise(ctx context.Context, m *synpunkt.Message) (synpunkt.AutoKind, synpunkt.AutoSignal, error) {
	system := mailSystemSender(m)
	switch {
	case m.Report != synpunkt.AutoNone:
		return m.Report, synpunkt.SignalReport, nil
	case m.NonDelivery && (system || noReply(m) && len(m.ReportedIDs) > 0):
		// Some MTAs mark their bounces auto-replied; the text says which
		// they are. A no-reply sender counts only when it also returns
		// an original, which form mail never does.
		return synpunkt.AutoDeliveryReport, synpunkt.SignalNonDelivery, nil
	case m.AutoReply != synpunkt.SignalNone:
		return synpunkt.AutoReply, m.AutoReply, nil
	case !system || len(m.ReportedIDs) == 0:
		return synpunkt.AutoNone, synpunkt.SignalNone, nil
	}
	_, ours, err := p.st.CaseByMessageID(ctx, m.ReportedIDs)
	if err != nil && !isCaseNotFound(err) {
		return "", "", err
	}
	if ours {
		return synpunkt.AutoDeliveryReport, synpunkt.SignalEnclosesOurs, nil
	}
	return synpunkt.AutoNone, synpunkt.SignalNone, nil
}

// mailSystemLocals are the local parts mail systems send reports from.
var mailSystemLocals = map[string]bool{
	"mailer-daemon": true, "mailerdaemon": true, "mail-daemon": true, "postmaster": true,
	"mail.delivery.system": true, "mail-delivery-system": true, "mdaemon": true,
}

// mailSystemSender reports whether the message comes the way mail systems
// send reports: the null reverse-path (RFC 5321 §4.5.5), a MAILER-DAEMON or
// postmaster address, or Auto-Submitted other than "no".
func mailSystemSender(m *synpunkt.Message) bool {
	local, _, _ := strings.Cut(m.From.Addr, "@")
	return mailSystemLocals[local] ||
		m.HasReturnPath && strings.Trim(m.ReturnPath, "<> ") == "" ||
		m.AutoSubmitted != "" && m.AutoSubmitted != "no"
}

// noReply reports a no-reply sender, as carriers send notices from.
func noReply(m *synpunkt.Message) bool { return m.From.Addr != "" && !usable(m.From.Addr) }

// ledgerOutcome is the intake ledger's outcome for each kind of
// machine-made mail.
var ledgerOutcome = map[synpunkt.AutoKind]string{
	synpunkt.AutoDeliveryReport: store.OutcomeBounce,
	synpunkt.AutoReply:          store.OutcomeAutoReply,
	synpunkt.AutoFeedbackReport: store.OutcomeFeedbackReport,
	synpunkt.AutoReadReceipt:    store.OutcomeReadReceipt,
}

// reportCase finds the case a report concerns: the case of an enclosed
// original, or of a message the report answers. It returns 0 for none.
func (p *Intake) reportCase(ctx context.Context, m *synpunkt.Message) (int64, error) {
	refs := append(append(append([]string{}, m.ReportedIDs...), m.InReplyTo...), m.References...)
	id, _, err := p.st.CaseByMessageID(ctx, refs)
	if isCaseNotFound(err) {
		return 0, nil
	}
	return id, err
}

// machineMail records machine-made mail in the ledger, attached to the case
// it concerns when c is not nil. It opens no case, sends nothing, adds no
// document and so stops no clock.
func (p *Intake) machineMail(ctx context.Context, in store.Intake, c *synpunkt.Case, kind synpunkt.AutoKind, signal synpunkt.AutoSignal) (Result, error) {
	res := Result{Outcome: Automatic, Reason: string(signal), Auto: kind, Signal: signal}
	if kind == synpunkt.AutoDeliveryReport {
		res.Outcome = Bounce
	}
	var caseID int64
	if c != nil {
		caseID, res.Case = c.ID, c.Number
	}
	ev := []store.Event{{Actor: "intake", Kind: ledgerOutcome[kind], Detail: fmt.Sprintf("%s: %s", kind, signal)}}
	if err := p.st.RecordIntake(ctx, in, ledgerOutcome[kind], string(signal), caseID, ev, nil); err != nil {
		return Result{}, err
	}
	p.log.Info("machine-made mail recorded", "kind", kind, "signal", signal, "case", res.Case)
	return res, nil
}

// report records a delivery, feedback or disposition report, attached to
// the case it reports on when that is known.
func (p *Intake) report(ctx context.Context, in store.Intake, m *synpunkt.Message, kind synpunkt.AutoKind, signal synpunkt.AutoSignal) (Result, error) {
	id, err := p.reportCase(ctx, m)
	if err != nil || id == 0 {
		if err != nil {
			return Result{}, err
		}
		return p.machineMail(ctx, in, nil, kind, signal)
	}
	c, err := p.st.Case(ctx, id)
	if err != nil {
		return Result{}, err
	}
	return p.machineMail(ctx, in, &c, kind, signal)
}
