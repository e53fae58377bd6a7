package mimeparse

import (
	"os"
	"strings"
	"testing"

	synpunkt "github.com/exempelby/synpunkt"
)

// TestAutoFacts: the facts that tell machine-made mail from a person's:
// the report structure, the enclosed original's Message-ID, the
// auto-reply signal and a non-delivery notice's text.
func TestAutoFacts(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		report synpunkt.AutoKind
		ids    string
		reply  synpunkt.AutoSignal
		ndn    bool
	}{
		{"DSN", "From: MAILER-DAEMON@mx.example\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nThis is the mail system at host mx.example.\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: <orig@exempelby.se>\nSubject: x\n--b--\n",
			synpunkt.AutoDeliveryReport, "orig@exempelby.se", "", true},
		{"report without report-type", "From: a@mx.example\nContent-Type: multipart/report; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n--b--\n",
			synpunkt.AutoDeliveryReport, "", "", false},
		{"ARF", "From: fbl@isp.example\nContent-Type: multipart/report; report-type=feedback-report; boundary=b\n\n--b\nContent-Type: text/plain\n\nabuse report\n--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n--b\nContent-Type: message/rfc822\n\nMessage-ID: <spam@exempelby.se>\n\nx\n--b--\n",
			synpunkt.AutoFeedbackReport, "spam@exempelby.se", "", false},
		{"MDN", "From: a@example.com\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n--b\nContent-Type: text/plain\n\nLäst.\n--b\nContent-Type: message/disposition-notification\n\nOriginal-Message-ID: <read@exempelby.se>\nDisposition: manual-action/MDN-sent-manually; displayed\n--b--\n",
			synpunkt.AutoReadReceipt, "read@exempelby.se", "", false},
		{"delivery-status part in multipart/mixed", "From: a@mx.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n--b\nContent-Type: message/delivery-status\n\nAction: failed\n--b--\n",
			synpunkt.AutoDeliveryReport, "", "", false},
		{"forwarded bounce is a person's mail", "From: anna@example.com\nSubject: Fwd: studsade\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nMin mejl till skolan studsar, se bifogat.\n--b\nContent-Type: message/rfc822\n\nFrom: MAILER-DAEMON@mx.example\nMessage-ID: <bounce@mx.example>\nContent-Type: multipart/report; report-type=delivery-status; boundary=c\n\n--c\nContent-Type: message/delivery-status\n\nAction: failed\n--c--\n--b--\n",
			synpunkt.AutoNone, "bounce@mx.example", "", false},
		{"qmail inline original", "From: MAILER-DAEMON@mx.example\nSubject: failure notice\n\nHi. This is the qmail-send program at mx.example.\n\n--- Below this line is a copy of the message.\n\nMessage-ID: <inline@exempelby.se>\n",
			synpunkt.AutoNone, "inline@exempelby.se", "", true},
		{"Auto-Submitted auto-replied", "From: a@example.com\nAuto-Submitted: auto-replied (vacation)\nSubject: Ledig\n\nx\n", synpunkt.AutoNone, "", synpunkt.SignalAutoSubmitted, false},
		{"Auto-Submitted auto-generated is no reply", "From: a@example.com\nAuto-Submitted: auto-generated\nSubject: Ny synpunkt\n\nx\n", synpunkt.AutoNone, "", "", false},
		{"Precedence auto_reply", "From: a@example.com\nPrecedence: auto_reply\n\nx\n", synpunkt.AutoNone, "", synpunkt.SignalAutoReplyHeader, false},
		{"X-Apple-Action vacation", "From: a@example.com\nX-Apple-Action: VACATION\n\nx\n", synpunkt.AutoNone, "", synpunkt.SignalAutoReplyHeader, false},
		{"Exchange rules loop and subject", "From: a@example.com\nX-MS-Exchange-Inbox-Rules-Loop: a@example.com\nSubject: =?utf-8?q?Automatiskt_svar=3A_Hej?=\n\nx\n", synpunkt.AutoNone, "", synpunkt.SignalExchangeAutoReply, false},
		{"Exchange rules loop alone is a forward", "From: a@example.com\nX-MS-Exchange-Inbox-Rules-Loop: a@example.com\nSubject: Hej\n\nx\n", synpunkt.AutoNone, "", "", false},
		{"Out of Office subject", "From: a@example.com\nSubject: Out of Office: Hej\n\nx\n", synpunkt.AutoNone, "", synpunkt.SignalAutoReplySubject, false},
		{"Frånvaro on a reply", "From: a@example.com\nIn-Reply-To: <x@exempelby.se>\nSubject: =?utf-8?q?Fr=C3=A5nvaro=3A_Hej?=\n\nx\n", synpunkt.AutoNone, "", synpunkt.SignalAutoReplySubject, false},
		{"Frånvaro from a citizen", "From: a@example.com\nSubject: =?utf-8?q?Fr=C3=A5nvaro=3A_min_son?=\n\nSkolan har fel.\n", synpunkt.AutoNone, "", "", false},
		{"Swedish Exchange NDN", "From: postmaster@exempelby.se\nSubject: Olevererbart: Hej\n\nDet gick inte att leverera till de här mottagarna eller grupperna:\n", synpunkt.AutoNone, "", "", true},
		{"a person's complaint", "From: postmaster@bageriet.example\nSubject: Parkeringen\n\nKunderna kan inte parkera utanför bageriet.\n", synpunkt.AutoNone, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, []byte(tt.raw))
			if m.Report != tt.report {
				t.Errorf("Report = %q, want %q", m.Report, tt.report)
			}
			wantStr(t, "ReportedIDs", strings.Join(m.ReportedIDs, " "), tt.ids)
			if m.AutoReply != tt.reply {
				t.Errorf("AutoReply = %q, want %q", m.AutoReply, tt.reply)
			}
			if m.NonDelivery != tt.ndn {
				t.Errorf("NonDelivery = %v, want %v", m.NonDelivery, tt.ndn)
			}
		})
	}
}

// swedishLetter is a citizen's long letter, no non-delivery notice: the
// matchers must read all of the first 4 KiB to say so.
var swedishLetter = strings.Repeat("Hej! Snöröjningen på Storgatan är dålig, och bussen kör förbi hållplatsen. "+
	"Vi har skrivit till er förut utan svar; nu vill vi att ni tar ansvar för det här. Med vänlig hälsning, Åsa och Örjan\n", 40)

// BenchmarkNonDelivery runs nonDelivery on the subject and text of every
// message of the corpus, and on a long Swedish letter.
func BenchmarkNonDelivery(b *testing.B) {
	b.Run("letter", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuPerOp(b)()
		for b.Loop() {
			if nonDelivery("Synpunkt om snöröjningen", swedishLetter) {
				b.Fatal("a letter taken for a non-delivery notice")
			}
		}
	})
	b.Run("corpus", func(b *testing.B) {
		type msg struct{ subject, text string }
		var msgs []msg
		for _, path := range corpusFiles(b, corpusDir(b)) {
			raw, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			if m, err := Parse(raw); err == nil {
				msgs = append(msgs, msg{m.Subject, m.Text})
			}
		}
		b.ReportAllocs()
		defer cpuPerOp(b)()
		for b.Loop() {
			for _, m := range msgs {
				nonDelivery(m.subject, m.text)
			}
		}
	})
}
