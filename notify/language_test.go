package notify

import (
	"fmt"
	"os"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/exempelby/synpunkt"
)

// Receipts are written in the citizen's language when there is a
// template for it (issue #13), else in Swedish; the forward states the
// language for the handler.
func TestReceiptInLanguage(t *testing.T) {
	c := mustComposer(t, nil)
	due := time.Date(2026, 12, 8, 16, 0, 0, 0, time.UTC)
	tests := []struct {
		lang, subject string
		body          []string
		sms           string
	}{
		{"en", "We have received your message [SYN-2026-00042]", []string{"Case number: SYN-2026-00042", "You will normally get an answer by 2026-12-08."}, "Your case number is SYN-2026-00042"},
		{"fi", "Olemme saaneet viestisi [SYN-2026-00042]", []string{"Asianumero: SYN-2026-00042", "Saat vastauksen yleensä viimeistään 2026-12-08."}, "Asianumerosi on SYN-2026-00042"},
		{"sv", "Vi har tagit emot din synpunkt [SYN-2026-00042]", []string{"Ärendenummer: SYN-2026-00042"}, "ärendenummer SYN-2026-00042"},
		{"ar", "Vi har tagit emot din synpunkt [SYN-2026-00042]", []string{"Ärendenummer: SYN-2026-00042"}, "ärendenummer SYN-2026-00042"},
	}
	for _, tt := range tests {
		ci := testCase()
		ci.Language, ci.FinalDue = tt.lang, due
		o, err := c.Receipt(ci, synpunkt.Address{Addr: "a@example.com"}, testReplyTo)
		if err != nil {
			t.Fatalf("Receipt(%s): %v", tt.lang, err)
		}
		p := mustParse(t, o.Payload)
		if got, _ := p.h.Subject(); got != tt.subject {
			t.Errorf("Receipt(%s) subject = %q, want %q", tt.lang, got, tt.subject)
		}
		wantText(t, p.text, tt.body...)
		s, err := c.ReceiptSMS(ci, "+46701234567")
		if err != nil {
			t.Fatalf("ReceiptSMS(%s): %v", tt.lang, err)
		}
		wantText(t, string(s.Payload), tt.sms)
		if n := utf8.RuneCountInString(string(s.Payload)); n > MaxSMSLen {
			t.Errorf("ReceiptSMS(%s) has %d characters", tt.lang, n)
		}
		if os.Getenv("SYNPUNKT_SHOW_RECEIPTS") != "" {
			fmt.Printf("=== receipt %s\nSubject: %s\n%s\n", tt.lang, tt.subject, p.text)
		}
	}
	ci := testCase()
	ci.Language = "ar"
	o, err := c.Forward(ci, "chef@exempelby.se", []byte("Subject: x\r\n\r\ny"), testReplyTo)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, mustParse(t, o.Payload).text, "Språk i meddelandet: arabiska")
}
