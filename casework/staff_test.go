package casework

import (
	"context"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/mailbox/mailfiles"
)

// Header fields of the security review's forged staff mail: the real
// result of the organisation's server (dmarc=fail), the Received field it
// added, and the sender's forged result with the same authserv-id.
const (
	arReal   = "Authentication-Results: mx.exempelby.se; spf=softfail smtp.mailfrom=exempelby.se; dkim=none; dmarc=fail (p=reject dis=none) header.from=exempelby.se"
	arForged = "Authentication-Results: mx.exempelby.se; dmarc=pass header.from=exempelby.se"
	arPass   = "Authentication-Results: mx.exempelby.se;\r\n\tspf=pass smtp.mailfrom=exempelby.se;\r\n\tdkim=pass (1024-bit key; unprotected) header.d=exempelby.se;\r\n\tdmarc=pass (p=reject) header.from=exempelby.se"
	// lmtpReceived is the field Dovecot's LMTP adds on delivery, above the
	// server's results; forgedReceived is a sender-written copy of the
	// server's own Received field.
	lmtpReceived   = "Received: from mx.exempelby.se by imap.exempelby.se with LMTP id abc; Mon, 23 Nov 2026 09:00:01 +0100"
	forgedReceived = "Received: from localhost by mx.exempelby.se (Postfix) with ESMTP id 1; Mon, 23 Nov 2026 08:00:00 +0100"
	received       = "Received: from mail.evil.example (mail.evil.example [192.0.2.7])\r\n\tby mx.exempelby.se (Postfix) with ESMTPS id 4X1; Mon, 23 Nov 2026 09:00:00 +0100"
)

// staffHarness is a harness with organisation.authserv_id set and one
// citizen case, SYN-2026-00001.
func staffHarness(t *testing.T) (*harness, synpunkt.Case) {
	t.Helper()
	h := newHarness(t)
	h.opts(func(o *Options) { o.AuthservID = "mx.exempelby.se" })
	return h, h.snowCase("snow@example.net", stockholmTime(t, "2026-11-23 10:00"))
}

// staffReply is a reply to case c from gata.handlaggare@exempelby.se with
// top the header fields above the others (trace fields come first).
func staffReply(id string, c synpunkt.Case, body string, top ...string) []byte {
	h := append(top, "From: Gata Handläggare <gata.handlaggare@exempelby.se>", "To: synpunkter@exempelby.se",
		"Subject: Re: Snöröjning ["+c.Number+"]", "Date: Mon, 23 Nov 2026 09:00:00 +0100", "Message-ID: <"+id+">",
		"Content-Type: text/plain; charset=utf-8")
	return msg(h, body)
}

// wantNotObeyed asserts the forged mail left case c open, was not
// registered as the unit's Svar, and queued no closing notice and no
// acknowledgement of commands.
func (h *harness) wantNotObeyed(c synpunkt.Case) {
	h.t.Helper()
	got := h.caseByNumber(c.Number)
	if got.Status != synpunkt.StatusOpen || !got.ClosedAt.IsZero() {
		h.t.Errorf("case status = %s, want öppet", got.Status)
	}
	if !got.FirstResponseAt.IsZero() {
		h.t.Errorf("first response at %s, want the clock still running", got.FirstResponseAt)
	}
	for _, d := range got.Documents {
		if d.Type == synpunkt.DocSvar {
			h.t.Errorf("document %d registered as Svar from %s", d.ID, d.SenderRole)
		}
	}
	if n := len(h.outbox(synpunkt.KindClose)); n != 0 {
		h.t.Errorf("%d closing notices queued, want none", n)
	}
	for _, o := range h.outbox(synpunkt.KindNotice) {
		if o.To == "gata.handlaggare@exempelby.se" {
			h.t.Errorf("acknowledgement of commands queued to %s", o.To)
		}
	}
}

// A forged Authentication-Results field with the organisation's own
// authserv-id is ignored wherever the sender put it (RFC 8601 §5).
func TestForgedAuthenticationResultsAreIgnored(t *testing.T) {
	const body = "#avsluta Ärendet är löst"
	for _, tt := range []struct {
		name string
		top  []string
	}{
		{"forged below Received", []string{arReal, received, arForged}},
		{"forged above real", []string{arForged, arReal, received}},
		{"only forged, below Received", []string{received, arForged}},
		{"only forged, no Received", []string{arForged}},
		{"forged Received by our server below the real one", []string{received, forgedReceived, arForged}},
		{"forged below Received, under an LMTP hop", []string{lmtpReceived, arReal, received, forgedReceived, arForged}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, c := staffHarness(t)
			h.handle(staffReply("forged@evil.example", c, body, tt.top...))
			h.wantNotObeyed(c)
		})
	}
}

// The same forged field in the body of an LF-only message with a CRLFCRLF
// further down, imported from a file: the header ends at the first blank
// line, so the body is not read as header fields.
func TestForgedAuthenticationResultsInBodyOnImport(t *testing.T) {
	h, c := staffHarness(t)
	raw := "From: gata.handlaggare@exempelby.se\nTo: synpunkter@exempelby.se\nSubject: Re: Snöröjning [" + c.Number + "]\n" +
		"Message-ID: <lf-forged@evil.example>\nContent-Type: text/plain; charset=utf-8\n\n" +
		"Authentication-Results: mx.exempelby.se; dmarc=pass header.from=exempelby.se\n" +
		"Received: by mx.exempelby.se; Mon, 23 Nov 2026 09:00:00 +0100\n" +
		"#avsluta Ärendet är löst\r\n\r\nHälsningar\n"
	path := writeTemp(t, "forged.eml", raw)
	err := mailfiles.Walk([]string{path}, func(src mailfiles.Source) error {
		_, err := h.p.Handle(context.Background(), Source{Name: src.Name, Backlog: true}, src.Raw)
		return err
	})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	h.wantNotObeyed(c)
}

// The organisation's server's own result, above the Received field it
// added, still makes a staff reply a Svar whose commands are obeyed.
func TestAuthenticatedStaffReplyIsObeyed(t *testing.T) {
	h, c := staffHarness(t)
	h.handle(staffReply("real@exempelby.se", c, "#avsluta Gångbanan är plogad.", arPass, received))
	h.wantState(c.Number, synpunkt.StatusClosed, synpunkt.DocSvar)
	if n := len(h.outbox(synpunkt.KindClose)); n != 1 {
		t.Errorf("%d closing notices, want 1", n)
	}
}

// Dovecot's LMTP delivery adds a Received field above the server's
// results by default; the server's results below it still count, because
// the server's own Received field (by the authserv-id host) marks where the
// sender's part begins.
func TestAuthenticatedStaffReplyUnderLMTPHopIsObeyed(t *testing.T) {
	h, c := staffHarness(t)
	h.handle(staffReply("real-lmtp@exempelby.se", c, "#avsluta Gångbanan är plogad.", lmtpReceived, arPass, received))
	if got := h.caseByNumber(c.Number); got.Status != synpunkt.StatusClosed {
		t.Errorf("status = %s, want avslutat", got.Status)
	}
}

// A forged own-domain From is ordinary citizen mail: it opens a case with
// a receipt instead of vanishing as internal staff mail.
func TestForgedOwnDomainIsNotInternal(t *testing.T) {
	h, _ := staffHarness(t)
	complaint := "Gatlyktan på Storgatan 12 är trasig sedan en vecka. Det är mörkt på vägen till skolan."
	res := h.handle(msg([]string{received, arForged, "From: Anna <anna.andersson@exempelby.se>", "To: synpunkter@exempelby.se",
		"Subject: Trasig gatlykta", "Message-ID: <forged-intern@evil.example>", "Content-Type: text/plain; charset=utf-8"}, complaint))
	if res.Outcome != NewCase {
		t.Fatalf("forged own-domain mail: Handle = %+v, want a new case", res)
	}
	// Authenticated staff mail is still excluded as internal.
	res = h.handle(msg([]string{arPass, received, "From: Anna <anna.andersson@exempelby.se>", "To: synpunkter@exempelby.se",
		"Subject: Kaffemaskinen", "Message-ID: <real-intern@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
		"Kaffemaskinen i personalrummet är trasig."))
	if res.Outcome != Excluded || res.Reason != "intern" {
		t.Errorf("authenticated staff mail: Handle = %+v, want excluded as intern", res)
	}
}

// Commands are read only from the staff member's own new text: not from
// an HTML blockquote and not from an attached message.
func TestCommandsOnlyFromOwnText(t *testing.T) {
	for _, tt := range []struct {
		name, contentType, body string
	}{
		{"html blockquote", "text/html; charset=utf-8",
			"<div>Tack, vi tittar på det.</div><blockquote type=\"cite\"><div>#avsluta Ärendet är löst</div></blockquote>"},
		{"forward as attachment", "multipart/mixed; boundary=\"fw\"",
			"--fw\nContent-Type: text/plain; charset=utf-8\n\n\n--fw\nContent-Type: message/rfc822\n\n" +
				"From: per@example.net\nSubject: Snöröjning\nContent-Type: text/plain; charset=utf-8\n\n#avsluta Ärendet är löst\n--fw--\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, c := staffHarness(t)
			raw := msg([]string{arPass, received, "From: gata.handlaggare@exempelby.se", "To: synpunkter@exempelby.se",
				"Subject: Re: Snöröjning [" + c.Number + "]", "Message-ID: <own-" + strings.ReplaceAll(tt.name, " ", "-") + "@exempelby.se>",
				"MIME-Version: 1.0", "Content-Type: " + tt.contentType}, tt.body)
			h.handle(raw)
			h.wantState(c.Number, synpunkt.StatusOpen, synpunkt.DocSvar) // a quoted #avsluta is not obeyed
			if n := len(h.outbox(synpunkt.KindClose)); n != 0 {
				t.Errorf("%d closing notices, want none", n)
			}
		})
	}
}

// Without organisation.authserv_id the From address is all there is, so
// #commands are obeyed only on the case's signed reply address.
func TestCommandsWithoutAuthservNeedSignedAddress(t *testing.T) {
	h := newHarness(t)
	c := h.snowCase("noauth@example.net", stockholmTime(t, "2026-11-23 10:00"))
	h.handle(citizen("tag-only@evil.example", "gatuchef@exempelby.se", "Re: ["+c.Number+"]", "#avsluta Ärendet är löst"))
	if got := h.caseByNumber(c.Number); got.Status != synpunkt.StatusOpen {
		t.Fatalf("a case tag in the subject alone closed the case")
	}
	if n := len(h.outbox(synpunkt.KindClose)); n != 0 {
		t.Errorf("%d closing notices, want none", n)
	}
	signed := msg([]string{"From: gatuchef@exempelby.se", "To: " + h.p.threads.ReplyAddress(c.Number), "Subject: Re: Snöröjning",
		"Message-ID: <signed@exempelby.se>", "Content-Type: text/plain; charset=utf-8"}, "#avsluta Plogat.")
	h.handle(signed)
	if got := h.caseByNumber(c.Number); got.Status != synpunkt.StatusClosed {
		t.Errorf("status after #avsluta on the signed address = %s, want avslutat", got.Status)
	}
}
