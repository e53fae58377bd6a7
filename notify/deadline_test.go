package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/config"
)

func TestLastDay(t *testing.T) {
	loc := stockholm
	tests := []struct {
		deadline time.Time
		ref      []time.Time
		want     string
	}{
		{time.Date(2026, 12, 8, 10, 0, 0, 0, loc), nil, "tisdag 8 december"},
		{time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), nil, "tisdag 8 december"},
		{time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC), nil, "tisdag 8 december"}, // 00:30 local
		{time.Date(2026, 12, 9, 0, 0, 0, 0, loc), nil, "tisdag 8 december"},        // midnight: the end of the day before
		{time.Date(2026, 12, 9, 0, 0, 1, 0, loc), nil, "onsdag 9 december"},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, loc), nil, "onsdag 31 december"},
		{time.Date(2027, 1, 11, 10, 0, 0, 0, loc), []time.Time{time.Date(2026, 12, 28, 10, 0, 0, 0, loc)}, "måndag 11 januari 2027"},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, loc), []time.Time{time.Date(2026, 12, 28, 10, 0, 0, 0, loc)}, "torsdag 31 december"},
		{time.Date(2026, 3, 30, 10, 0, 0, 0, loc), []time.Time{time.Date(2026, 3, 26, 10, 0, 0, 0, loc)}, "måndag 30 mars"}, // after the DST change
		{time.Date(2026, 6, 20, 12, 0, 0, 0, loc), nil, "lördag 20 juni"},
		{time.Date(2026, 8, 2, 12, 0, 0, 0, loc), nil, "söndag 2 augusti"},
		{time.Time{}, nil, "–"},
	}
	for _, tt := range tests {
		if got := lastDay(tt.deadline, tt.ref...); got != tt.want {
			t.Errorf("lastDay(%s, %v) = %q, want %q", tt.deadline, tt.ref, got, tt.want)
		}
	}
}

// felanmalanCase is a Felanmälan received Monday 7 December 2026 10:00 in
// a municipality whose [[deadlines.overrides]] give Felanmälan 24 hours and
// 5 working days: first response Tuesday 8 December, answer Monday 14
// December.
func felanmalanCase(t *testing.T) CaseInfo {
	t.Helper()
	d := config.DefaultDeadlines()
	d.Overrides = []config.DeadlineOverride{{Category: "Felanmälan", FirstResponse: config.Duration{Duration: 24 * time.Hour}, FinalAnswerDays: 5}}
	p, err := lifecycle.NewPolicy(d, synpunkt.Units{{Name: "Gatu- och parkenheten", Manager: "gatuchef@exempelby.se", Default: true}})
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2026, 12, 7, 10, 0, 0, 0, stockholm)
	c := synpunkt.Case{Number: "SYN-2026-00042", Category: synpunkt.DocFelanmalan, Unit: "Gatu- och parkenheten",
		Committee: "Samhällsbyggnadsnämnden", InitiatedBy: synpunkt.RolePrivatperson, Description: "Trasig gatlykta", ReceivedAt: received}
	c.FirstResponseDue, c.FinalDue = p.Deadlines(c.Unit, c.Category, received)
	ci := CaseInfoFrom(&c)
	ci.CitizenText = "Gatlyktan utanför Storgatan 3 är trasig."
	return ci
}

// TestNotificationsStateTheCaseDeadlines: the receipt (e-mail and SMS) and
// the forward state the case's own deadlines in words, not the default
// "två arbetsdagar / tio arbetsdagar".
func TestNotificationsStateTheCaseDeadlines(t *testing.T) {
	c := mustComposer(t, nil)
	ci := felanmalanCase(t)
	rc, err := c.Receipt(ci, synpunkt.Address{Addr: "asa@example.com"}, testReplyTo)
	if err != nil {
		t.Fatal(err)
	}
	sms, err := c.ReceiptSMS(ci, "+46701234567")
	if err != nil {
		t.Fatal(err)
	}
	fwd, err := c.Forward(ci, "gatuchef@exempelby.se", []byte("Subject: x\r\n\r\ny\r\n"), testReplyTo)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"receipt": mustParse(t, rc.Payload).text, "sms": string(sms.Payload), "forward": mustParse(t, fwd.Payload).text}
	for name, text := range texts {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		for _, want := range []string{"första besked senast tisdag 8 december", "senast måndag 14 december"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, text)
			}
		}
		if strings.Contains(text, "arbetsdagar") {
			t.Errorf("%s still promises a fixed number of working days:\n%s", name, text)
		}
	}
	wantText(t, texts["forward"], "Första besked senast: tisdag 8 december (2026-12-08 10:00)", "Svar senast: måndag 14 december (2026-12-14 10:00)")
	if n := len([]rune(texts["sms"])); n > MaxSMSLen {
		t.Errorf("sms is %d characters, max %d", n, MaxSMSLen)
	}
}

// TestNotificationsWithoutDeadlines: a case without clocks promises no day.
func TestNotificationsWithoutDeadlines(t *testing.T) {
	c := mustComposer(t, nil)
	rc, err := c.Receipt(testCase(), synpunkt.Address{Addr: "asa@example.com"}, testReplyTo)
	if err != nil {
		t.Fatal(err)
	}
	sms, err := c.ReceiptSMS(testCase(), "+46701234567")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"receipt": mustParse(t, rc.Payload).text, "sms": string(sms.Payload)} {
		if strings.Contains(text, "senast") || strings.Contains(text, "arbetsdagar") || strings.Contains(text, "–") {
			t.Errorf("%s of a case without deadlines promises one:\n%s", name, text)
		}
	}
	if want := "ärendenummer SYN-2026-00042. Ange ärendenumret"; !strings.Contains(string(sms.Payload), want) {
		t.Errorf("sms = %q, want it to contain %q", sms.Payload, want)
	}
}
