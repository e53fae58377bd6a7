package demo

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestDemo runs `synpunkt demo` and checks what a newcomer sees: five cases,
// the complement and the reply threaded into the snow case, receipts by
// e-mail and SMS, the auto-reply recorded but neither a case nor answered,
// and no personnummer or phone number in any metadata.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := Run(context.Background(), &out, Options{}); err != nil {
		t.Fatalf("demo.Run() = %v\n%s", err, out.String())
	}
	s := out.String()
	if !regexp.MustCompile(`SYN-\d{4}-00005`).MatchString(s) {
		t.Error("demo output lacks a fifth case")
	}
	if regexp.MustCompile(`SYN-\d{4}-00006`).MatchString(s) || strings.Contains(s, "Frånvaro") {
		t.Error("the auto-reply \"Frånvaro: Ditt meddelande\" opened a case")
	}
	for _, want := range []string{
		"Inkomna meddelanden: auto_reply=1 case=5 document=2",
		"Komplettering  Inkommande  Privatperson", "Svar  Upprättad  Gatu- och parkenheten",
		"till per.olsson@example.net", "till sara.nilsson@example.com", "till +46705551234",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(s, "till lars.berg@example.com") {
		t.Error("the auto-reply was answered")
	}
	due := s[strings.Index(s, "== Om ingen svarar"):]
	if !strings.Contains(due, "escalation nivå 2") || regexp.MustCompile(`SYN-\d{4}-00002`).MatchString(due) {
		t.Errorf("due actions should escalate unanswered cases but not the answered snow case:\n%s", due)
	}
	table := s[:strings.Index(s, "Inkomna meddelanden")]
	for _, pii := range []string{"19121212-1212", "070-123 45 67", "Per Olsson", "Björkvägen 7"} {
		if strings.Contains(table, pii) {
			t.Errorf("case table shows personal data %q", pii)
		}
	}
}
