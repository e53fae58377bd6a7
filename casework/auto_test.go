package casework

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/testshared"
	"github.com/exempelby/synpunkt/store"
)

// ledger returns the outcome and reason recorded for the one intake row
// whose source is src.
func (h *harness) ledger(src string) (outcome, reason string, caseID int64) {
	h.t.Helper()
	err := h.st.DB().QueryRow("SELECT outcome, reason, COALESCE(case_id, 0) FROM intake WHERE source = ?", src).Scan(&outcome, &reason, &caseID)
	if err != nil {
		h.t.Fatalf("ledger row for %s: %v", src, err)
	}
	return outcome, reason, caseID
}

// wantExcluded handles raw and asserts that it was excluded for reason
// and opened no case.
func (h *harness) wantExcluded(raw []byte, reason string) {
	h.t.Helper()
	if res := h.handle(raw); res.Outcome != Excluded || res.Reason != reason {
		h.t.Fatalf("Handle = %+v, want excluded as %s", res, reason)
	}
	if n := h.caseCount(); n != 0 {
		h.t.Errorf("%s mail opened %d cases", reason, n)
	}
}

func (h *harness) caseCount() int {
	h.t.Helper()
	cases, err := h.st.ListCases(context.Background(), store.Filter{})
	if err != nil {
		h.t.Fatal(err)
	}
	return len(cases)
}

// TestAutoReplyOpensNoCase: an automatic reply that answers no case is
// recorded in the ledger with its reason, but opens no case, forwards
// nothing and starts no clock. The first row is the demo's own sample that
// used to become a Klagomål escalating to the kommundirektör.
func TestAutoReplyOpensNoCase(t *testing.T) {
	tests := []struct {
		name   string
		raw    []byte
		signal synpunkt.AutoSignal
	}{
		{"demo Frånvaro sample", msg([]string{"From: Lars Berg <lars.berg@example.com>", "To: synpunkter@exempelby.se",
			"Subject: =?utf-8?q?Fr=C3=A5nvaro=3A_Ditt_meddelande?=", "Date: Mon, 23 Nov 2026 09:00:00 +0100", "Message-ID: <autosvar-6@example.com>",
			"Auto-Submitted: auto-replied", "X-Autoreply: yes", "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8"},
			"<html><body><p>Jag är på semester till och med 2 januari och läser inte e-post.</p><p>Lars</p></body></html>"),
			synpunkt.SignalAutoSubmitted},
		{"Auto-Submitted with comment", citizen("a2@example.com", "a@example.com", "Ledig", "Jag är ledig hela veckan.", "Auto-Submitted: auto-replied (vacation)"), synpunkt.SignalAutoSubmitted},
		{"X-Autoreply", citizen("a3@example.com", "a@example.com", "Re: Parkering", "Jag är ledig.", "X-Autoreply: yes"), synpunkt.SignalAutoReplyHeader},
		{"X-Autorespond", citizen("a4@example.com", "a@example.com", "Re: Parkering", "Jag är ledig.", "X-Autorespond: Parkering"), synpunkt.SignalAutoReplyHeader},
		{"Precedence auto_reply", citizen("a5@example.com", "a@example.com", "Re: Parkering", "Jag är ledig.", "Precedence: auto_reply"), synpunkt.SignalAutoReplyHeader},
		{"Exchange rules loop", citizen("a6@example.com", "a@example.com", "Automatiskt svar: Parkering", "Jag är ledig.", "X-MS-Exchange-Inbox-Rules-Loop: a@example.com"), synpunkt.SignalExchangeAutoReply},
		{"Exchange suppress", citizen("a7@example.com", "a@example.com", "Automatic reply: Parking", "I am away.", "X-Auto-Response-Suppress: All"), synpunkt.SignalExchangeAutoReply},
		{"Automatiskt svar:", citizen("a8@example.com", "a@example.com", "Automatiskt svar: Parkering", "Jag är ledig."), synpunkt.SignalAutoReplySubject},
		{"Autosvar:", citizen("a9@example.com", "a@example.com", "Autosvar: Parkering", "Jag är ledig."), synpunkt.SignalAutoReplySubject},
		{"Out of Office:", citizen("a10@example.com", "a@example.com", "Out of Office: Parking", "I am away."), synpunkt.SignalAutoReplySubject},
		{"Automatic reply:", citizen("a11@example.com", "a@example.com", "Automatic reply: Parking", "I am away."), synpunkt.SignalAutoReplySubject},
		{"Abwesenheitsnotiz:", citizen("a12@example.com", "a@example.com", "Abwesenheitsnotiz: Parken", "Ich bin nicht da."), synpunkt.SignalAutoReplySubject},
		{"Frånvaro: on a reply", citizen("a13@example.com", "a@example.com", "Frånvaro: Parkering", "Jag är ledig.", "In-Reply-To: <something@elsewhere.example>"), synpunkt.SignalAutoReplySubject},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			src := fmt.Sprintf("auto-%d", i)
			res := h.handle(tt.raw, Source{Name: src})
			if res.Outcome != Automatic || res.Auto != synpunkt.AutoReply || res.Signal != tt.signal || res.Case != "" {
				t.Fatalf("Handle = %+v, want automatic auto-reply by %q and no case", res, tt.signal)
			}
			if n := h.caseCount(); n != 0 {
				t.Errorf("an auto-reply opened %d cases", n)
			}
			if out := h.outbox(""); len(out) != 0 {
				t.Errorf("an auto-reply made %d notifications: %+v", len(out), out)
			}
			if outcome, reason, _ := h.ledger(src); outcome != store.OutcomeAutoReply || reason != string(tt.signal) {
				t.Errorf("ledger = %s (%s), want %s (%s)", outcome, reason, store.OutcomeAutoReply, tt.signal)
			}
		})
	}
}

// TestAbsenceSubjectFromACitizenOpensACase: "Frånvaro:" heads real
// synpunkter about school absence; without a reply or other signal it is a
// citizen's mail.
func TestAbsenceSubjectFromACitizenOpensACase(t *testing.T) {
	h := newHarness(t)
	res := h.handle(citizen("fr1@example.com", "Anna <anna@example.com>", "Frånvaro: min son registrerades som frånvarande",
		"Skolan registrerade min son som frånvarande fast han var där. Det är fel."))
	if res.Outcome != NewCase || res.Auto != synpunkt.AutoNone {
		t.Fatalf("Handle = %+v, want a new case", res)
	}
	if len(h.outbox(synpunkt.KindReceipt)) != 1 {
		t.Error("the citizen got no receipt")
	}
}

// TestAutoReplyThreadsIntoItsCase: a citizen's out-of-office answering the
// receipt is attached to the case, and forwards nothing.
func TestAutoReplyThreadsIntoItsCase(t *testing.T) {
	h := newHarness(t)
	first := h.handle(citizen("o1@example.com", "Per <per@example.net>", "Snöröjning", "Snöröjningen på Storgatan fungerar inte."))
	receipt := h.outbox(synpunkt.KindReceipt)[0]
	before := len(h.outbox(""))
	res := h.handle(citizen("oof1@example.net", "per@example.net", "Automatiskt svar: Vi har tagit emot", "Jag är på semester.",
		"In-Reply-To: <"+receipt.MessageID+">", "Auto-Submitted: auto-replied"), Source{Name: "oof"})
	if res.Outcome != Automatic || res.Case != first.Case || res.Auto != synpunkt.AutoReply {
		t.Fatalf("Handle = %+v, want auto-reply attached to %s", res, first.Case)
	}
	if n := len(h.outbox("")); n != before {
		t.Errorf("outbox grew from %d to %d: an auto-reply was forwarded or answered", before, n)
	}
	c := h.caseByNumber(first.Case)
	if len(c.Documents) != 1 {
		t.Errorf("documents = %+v, want the synpunkt only (an auto-reply is no Komplettering)", c.Documents)
	}
	if outcome, _, caseID := h.ledger("oof"); outcome != store.OutcomeAutoReply || caseID != c.ID {
		t.Errorf("ledger = %s for case %d, want %s for case %d", outcome, caseID, store.OutcomeAutoReply, c.ID)
	}
	events, _ := h.st.Events(context.Background(), c.ID)
	if !hasEvent(events, store.OutcomeAutoReply) {
		t.Errorf("case events lack %s: %+v", store.OutcomeAutoReply, events)
	}
}

// TestStaffAutoReplyIsNoSvar: the handler's out-of-office, authenticated by
// the organisation's own server and answering our forward, is not the
// unit's answer: first_response_at stays empty, and the reminder and the
// escalations still go out.
func TestStaffAutoReplyIsNoSvar(t *testing.T) {
	h := newHarness(t)
	h.opts(func(o *Options) { o.AuthservID = "mx.exempelby.se" })
	c := h.snowCase("staffoof@example.net", stockholmTime(t, "2026-11-23 10:00"))
	fwd := h.outbox(synpunkt.KindForward)[0]
	h.now = stockholmTime(t, "2026-11-23 10:05")
	res := h.handle(citizen("oof-staff@exempelby.se", "Gatuchefen <gatuchef@exempelby.se>", "Automatiskt svar: ["+c.Number+"] Snöröjning",
		"Jag är på semester till den 7 december.\n#avsluta",
		"In-Reply-To: <"+fwd.MessageID+">", "Auto-Submitted: auto-replied",
		"Authentication-Results: mx.exempelby.se; dkim=pass header.d=exempelby.se; dmarc=pass header.from=exempelby.se"))
	if res.Outcome != Automatic || res.Case != c.Number {
		t.Fatalf("Handle = %+v, want an auto-reply attached to %s", res, c.Number)
	}
	got := h.caseByNumber(c.Number)
	if !got.FirstResponseAt.IsZero() {
		t.Errorf("first_response_at = %s, want unset: an auto-reply is no Svar", got.FirstResponseAt)
	}
	if got.Status != synpunkt.StatusOpen || len(got.Documents) != 1 {
		t.Errorf("case = %s with %d documents, want open with the synpunkt only", got.Status, len(got.Documents))
	}
	if want := "first/reminder→gatuchef@exempelby.se"; strings.Join(h.deadlines(got.FirstResponseDue), ",") != want {
		t.Errorf("deadlines at the first-response deadline did not send %s", want)
	}
}

// TestAutomatedStaffMailIsNoSvar: staff mail marked automatic in another
// way (a system's auto-generated notice) threads in as a Komplettering and
// does not stop the clock either.
func TestAutomatedStaffMailIsNoSvar(t *testing.T) {
	h := newHarness(t)
	c := h.snowCase("staffgen@example.net", stockholmTime(t, "2026-11-23 10:00"))
	h.now = stockholmTime(t, "2026-11-23 11:00")
	res := h.handle(citizen("gen@exempelby.se", "system@exempelby.se", "["+c.Number+"] Arbetsorder skapad", "Arbetsorder 4711 är skapad.",
		"Auto-Submitted: auto-generated"))
	if res.Outcome != AddedToCase {
		t.Fatalf("Handle = %+v, want a document in %s", res, c.Number)
	}
	got := h.caseByNumber(c.Number)
	if d := got.Documents[len(got.Documents)-1]; d.Type == synpunkt.DocSvar {
		t.Errorf("automated staff mail registered as %s", d.Type)
	}
	if !got.FirstResponseAt.IsZero() {
		t.Errorf("first_response_at = %s, want unset", got.FirstResponseAt)
	}
}

// TestHumanMailFromMailSystemAddresses: who sent a message does not make
// it a bounce. A complaint from a bakery's postmaster, or with an empty
// Return-Path, opens a case and is forwarded, without a receipt.
func TestHumanMailFromMailSystemAddresses(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
	}{
		{"postmaster", citizen("pm1@bageriet-exempelby.se", "Bageriet <postmaster@bageriet-exempelby.se>", "Parkeringen utanför bageriet",
			"Hej! Kunderna kan inte parkera utanför bageriet på Storgatan sedan skylten sattes upp. Kan ni se över det?\n\nMvh Bageriet")},
		{"empty Return-Path", citizen("rp1@example.com", "Kim <kim@example.com>", "Gatlyktan på Björkvägen",
			"Gatlyktan på Björkvägen har varit trasig i två veckor.", "Return-Path: <>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			res := h.handle(tt.raw)
			if res.Outcome != NewCase || res.Auto != synpunkt.AutoNone {
				t.Fatalf("Handle = %+v, want a new case", res)
			}
			if n := len(h.outbox(synpunkt.KindForward)); n != 1 {
				t.Errorf("forwards = %d, want 1", n)
			}
			if n := len(h.outbox(synpunkt.KindReceipt)); n != 0 {
				t.Errorf("receipts = %d, want none to a mail-system address", n)
			}
		})
	}
}

// TestReportsOpenNoCase: feedback reports, read receipts and bounces
// recognised by their text or by returning our mail open no case; a bounce
// of our receipt is attached to its case.
func TestReportsOpenNoCase(t *testing.T) {
	h := newHarness(t)
	first := h.handle(citizen("r1@example.com", "nobody@example.invalid", "Klotter", "Det är klotter på skolan."))
	receipt := h.outbox(synpunkt.KindReceipt)[0]
	c := h.caseByNumber(first.Case)
	tests := []struct {
		name   string
		raw    []byte
		kind   synpunkt.AutoKind
		signal synpunkt.AutoSignal
		caseID int64
	}{
		{"ARF", msg([]string{"From: fbl@isp.example", "To: synpunkter@exempelby.se", "Subject: Email Feedback Report for IP 192.0.2.1", "Message-ID: <arf1@isp.example>",
			`Content-Type: multipart/report; report-type=feedback-report; boundary="b"`},
			"--b\nContent-Type: text/plain\n\nThis is an abuse report.\n--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nVersion: 1\n--b\nContent-Type: message/rfc822\n\nMessage-ID: <"+receipt.MessageID+">\nSubject: x\n\nx\n--b--\n"),
			synpunkt.AutoFeedbackReport, synpunkt.SignalReport, c.ID},
		{"read receipt", msg([]string{"From: reader@example.com", "To: synpunkter@exempelby.se", "Subject: Läst: Vi har tagit emot", "Message-ID: <mdn1@example.com>",
			`Content-Type: multipart/report; report-type=disposition-notification; boundary="b"`},
			"--b\nContent-Type: text/plain\n\nMeddelandet har lästs.\n--b\nContent-Type: message/disposition-notification\n\nFinal-Recipient: rfc822;reader@example.com\nOriginal-Message-ID: <"+receipt.MessageID+">\nDisposition: manual-action/MDN-sent-manually; displayed\n--b--\n"),
			synpunkt.AutoReadReceipt, synpunkt.SignalReport, c.ID},
		{"qmail text bounce", msg([]string{"From: MAILER-DAEMON@mx.example.invalid", "To: synpunkter@exempelby.se", "Subject: failure notice", "Message-ID: <q1@mx.example.invalid>"},
			"Hi. This is the qmail-send program at mx.example.invalid.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n--- Below this line is a copy of the message.\n\nMessage-ID: <"+receipt.MessageID+">\nSubject: Vi har tagit emot\n"),
			synpunkt.AutoDeliveryReport, synpunkt.SignalNonDelivery, c.ID},
		{"returns our mail", msg([]string{"From: <postmaster@mx.example.invalid>", "Return-Path: <>", "To: synpunkter@exempelby.se", "Subject: Meddelande", "Message-ID: <ret1@mx.example.invalid>",
			`Content-Type: multipart/mixed; boundary="b"`},
			"--b\nContent-Type: text/plain\n\nSe bifogat.\n--b\nContent-Type: message/rfc822\n\nMessage-ID: <"+receipt.MessageID+">\nSubject: Vi har tagit emot\n\nx\n--b--\n"),
			synpunkt.AutoDeliveryReport, synpunkt.SignalEnclosesOurs, c.ID},
		{"unknown bounce", msg([]string{"From: Mail Delivery System <MAILER-DAEMON@mx.example.invalid>", "To: synpunkter@exempelby.se", "Subject: Undelivered Mail Returned to Sender", "Message-ID: <nb1@mx.example.invalid>"},
			"This is the mail system at host mx.example.invalid.\n\nI'm sorry to have to inform you that your message could not be delivered.\n"),
			synpunkt.AutoDeliveryReport, synpunkt.SignalNonDelivery, 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outbox := len(h.outbox(""))
			src := fmt.Sprintf("report-%d", i)
			res := h.handle(tt.raw, Source{Name: src})
			if res.Auto != tt.kind || res.Signal != tt.signal {
				t.Fatalf("Handle = %+v, want %s by %q", res, tt.kind, tt.signal)
			}
			if _, _, caseID := h.ledger(src); caseID != tt.caseID {
				t.Errorf("attached to case %d, want %d", caseID, tt.caseID)
			}
			if n := h.caseCount(); n != 1 {
				t.Errorf("%d cases, want only the first", n)
			}
			if n := len(h.outbox("")); n != outbox {
				t.Errorf("outbox grew from %d to %d", outbox, n)
			}
		})
	}
}

// TestSisimaiCorpus runs the bounce-parsing library sisimai's test set
// (bounces, auto-replies and feedback reports from many MTAs) through the
// pipeline. None of its machine-made mail may open a case; the test logs
// the signal that recognised each file. sisimai's own negative examples,
// maildir/not/is-not-bounce-*, are people's mail and must still open one,
// and mailbox/size-* are not messages (0 to 3 bytes).
func TestSisimaiCorpus(t *testing.T) {
	root := testshared.Dir(t, "corpus/mime/sisimai")
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 60 {
		t.Errorf("sisimai holds %d files, want 60", len(files))
	}
	machine := 0
	for _, p := range files {
		rel, _ := filepath.Rel(root, p)
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// A fresh store for each file: the dos/ and mac/ folders hold
		// line-ending twins of bsd/ files, which would be duplicates.
		h := newHarness(t)
		res := h.handle(raw, Source{Name: rel})
		t.Logf("%-62s %-10s %-24s %s", rel, res.Outcome, res.Auto, res.Signal)
		switch {
		case strings.HasPrefix(rel, "mailbox/size-"):
			// Not messages: quarantined, or (3 bytes of text) read as one.
		case strings.HasPrefix(rel, "maildir/not/is-not-bounce-"):
			if res.Outcome != NewCase {
				t.Errorf("%s (a person's mail) = %+v, want a new case", rel, res)
			}
		case res.Outcome == NewCase || res.Auto == synpunkt.AutoNone || res.Signal == synpunkt.SignalNone || h.caseCount() != 0:
			t.Errorf("%s = %+v, want machine-made mail with its signal, no case", rel, res)
		case len(h.outbox("")) != 0:
			t.Errorf("%s made notifications: %+v", rel, h.outbox(""))
		default:
			machine++
		}
	}
	if want := len(files) - 5; machine != want {
		t.Errorf("%d machine-made messages recognised, want %d", machine, want)
	}
}
