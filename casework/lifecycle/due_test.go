package lifecycle

import (
	"slices"
	"strings"
	"testing"
	"time"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
)

// gataCase is an open complaint to the street unit received Wednesday
// 2026-01-14 10:00: first response due Friday 01-16 10:00, escalations
// Monday 01-19 10:00 and Tuesday 01-20 10:00 (the weekend does not count),
// final answer due Wednesday 01-21 10:00 (the unit's 5 working days).
func gataCase(t testing.TB, p *Policy) CaseState {
	t.Helper()
	received := at(t, "2026-01-14 10:00")
	first, final := p.Deadlines(gata, synpunkt.DocKlagomal, received)
	return CaseState{
		ID: 42, Number: "SYN-2026-00042", Unit: gata, Category: synpunkt.DocKlagomal,
		Status: synpunkt.StatusOpen, ReceivedAt: received, FirstResponseDue: first, FinalDue: final,
	}
}

// repliedAt is c with the first response registered at s.
func repliedAt(t testing.TB, c CaseState, s string) CaseState {
	c.FirstResponseAt = at(t, s)
	return c
}

// closedCase is c closed.
func closedCase(c CaseState) CaseState {
	c.Status = synpunkt.StatusClosed
	return c
}

func keys(as []Action) string {
	var ks []string
	for _, a := range as {
		ks = append(ks, a.Key+"→"+a.To)
	}
	return strings.Join(ks, " ")
}

func TestDueChain(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	c := gataCase(t, p)
	rem, esc1, esc2, fin := KeyFirstReminder+"→"+gataChef, KeyFirstEscalation1+"→"+sbfChef, KeyFirstEscalation2+"→"+kd, KeyFinalReminder+"→"+gataChef
	tests := []struct {
		now  string
		want []string
	}{
		{"2026-01-14 10:00", nil},
		{"2026-01-16 09:59", nil},
		{"2026-01-16 10:00", []string{rem}},
		{"2026-01-17 12:00", []string{rem}}, // Saturday: escalation time does not run
		{"2026-01-19 09:59", []string{rem}},
		{"2026-01-19 10:00", []string{rem, esc1}},
		{"2026-01-20 09:59", []string{rem, esc1}},
		{"2026-01-20 10:00", []string{rem, esc1, esc2}},
		{"2026-01-21 10:00", []string{rem, esc1, esc2, fin}},
		{"2026-06-01 10:00", []string{rem, esc1, esc2, fin}},
	}
	for _, tt := range tests {
		if got, want := keys(p.Due(c, at(t, tt.now))), strings.Join(tt.want, " "); got != want {
			t.Errorf("Due(case, %s) = %q, want %q", tt.now, got, want)
		}
	}
}

func TestDueCatchUpOnce(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	c := gataCase(t, p)
	first := at(t, "2026-01-16 10:00")
	want := []Action{
		{CaseID: 42, Number: "SYN-2026-00042", Key: KeyFirstReminder, Kind: KindReminder, Level: 1, To: gataChef, Deadline: first, DueAt: first},
		{CaseID: 42, Number: "SYN-2026-00042", Key: KeyFirstEscalation1, Kind: KindEscalation, Level: 1, To: sbfChef, Deadline: first, DueAt: at(t, "2026-01-19 10:00")},
		{CaseID: 42, Number: "SYN-2026-00042", Key: KeyFirstEscalation2, Kind: KindEscalation, Level: 2, To: kd, Deadline: first, DueAt: at(t, "2026-01-20 10:00")},
		{CaseID: 42, Number: "SYN-2026-00042", Key: KeyFinalReminder, Kind: KindReminder, Level: 1, To: gataChef, Deadline: at(t, "2026-01-21 10:00"), DueAt: at(t, "2026-01-21 10:00")},
	}
	got := p.Due(c, at(t, "2026-03-01 12:00")) // the daemon was down over every deadline
	if !slices.EqualFunc(got, want, equalAction) {
		t.Fatalf("Due(case, far past) =\n%v\nwant\n%v", got, want)
	}
	c.Done = map[string]bool{KeyFirstReminder: true, KeyFirstEscalation2: true}
	if got := keys(p.Due(c, at(t, "2026-03-01 12:00"))); got != KeyFirstEscalation1+"→"+sbfChef+" "+KeyFinalReminder+"→"+gataChef {
		t.Errorf("Due(case with two keys done, far past) = %q, want the two missing keys", got)
	}
	for _, a := range want {
		c.Done[a.Key] = true
	}
	if got := p.Due(c, at(t, "2026-03-01 12:00")); got != nil {
		t.Errorf("Due(case with all keys done) = %v, want nil", got)
	}
}

func equalAction(a, b Action) bool {
	return a.CaseID == b.CaseID && a.Number == b.Number && a.Key == b.Key && a.Kind == b.Kind &&
		a.Level == b.Level && a.To == b.To && a.Deadline.Equal(b.Deadline) && a.DueAt.Equal(b.DueAt)
}

// TestDueTicks runs a daemon that checks every 10 minutes and marks what it
// sends as done, with an outage over the weekend and Monday: every action is
// taken once, at its due time or at the first tick after the outage.
func TestDueTicks(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	c := gataCase(t, p)
	c.Done = map[string]bool{}
	down, up := at(t, "2026-01-17 00:00"), at(t, "2026-01-19 13:05")
	taken := map[string]string{}
	for now := at(t, "2026-01-14 10:00"); now.Before(at(t, "2026-02-15 00:00")); now = now.Add(10 * time.Minute) {
		if !now.Before(down) && now.Before(up) {
			continue
		}
		for _, a := range p.Due(c, now) {
			if _, dup := taken[a.Key]; dup {
				t.Fatalf("Due at %s returned %s again", show(now), a.Key)
			}
			taken[a.Key] = show(now)
			c.Done[a.Key] = true
		}
	}
	want := map[string]string{
		KeyFirstReminder:    "Fri 2026-01-16 10:00 CET",
		KeyFirstEscalation1: "Mon 2026-01-19 13:10 CET", // first tick after the outage
		KeyFirstEscalation2: "Tue 2026-01-20 10:00 CET",
		KeyFinalReminder:    "Wed 2026-01-21 10:00 CET",
	}
	for k, w := range want {
		if taken[k] != w {
			t.Errorf("%s taken at %q, want %q", k, taken[k], w)
		}
	}
}

func TestDueStops(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	open := gataCase(t, p)
	replied := repliedAt(t, open, "2026-01-15 09:00")
	repliedLate := repliedAt(t, open, "2026-01-19 08:00")
	repliedLate.Done = map[string]bool{KeyFirstReminder: true}
	closed := closedCase(open)
	noStatus := open
	noStatus.Status = ""
	tests := []struct {
		name string
		c    CaseState
		now  string
		want string
	}{
		{"reply before deadline", replied, "2026-01-20 12:00", ""},
		{"reply before deadline, final still due", replied, "2026-01-21 10:00", KeyFinalReminder + "→" + gataChef},
		{"reply after reminder stops escalation", repliedLate, "2026-01-20 12:00", ""},
		{"closed", closed, "2026-06-01 10:00", ""},
		{"no status", noStatus, "2026-06-01 10:00", ""},
	}
	for _, tt := range tests {
		if got := keys(p.Due(tt.c, at(t, tt.now))); got != tt.want {
			t.Errorf("%s: Due(case, %s) = %q, want %q", tt.name, tt.now, got, tt.want)
		}
	}
}

func TestDueRecipients(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	base := gataCase(t, p)
	with := func(unit, handler string) CaseState {
		c := base
		c.Unit, c.Handler = unit, handler
		return c
	}
	tests := []struct {
		name string
		c    CaseState
		want string
	}{
		{"handler gets reminders", with(gata, "lampor@exempelby.se"),
			"first/reminder→lampor@exempelby.se first/escalation/manager→" + gataChef + " first/escalation/1→" + sbfChef + " final/reminder→lampor@exempelby.se first/escalation/2→" + kd},
		{"no escalate_to", with("Kontaktcenter", ""), "first/reminder→" + kcChef + " final/reminder→" + kcChef},
		{"one escalate_to", with("skola", skolaHandl),
			"first/reminder→" + skolaHandl + " first/escalation/manager→" + skolaChef + " first/escalation/1→" + rektorChef + " final/reminder→" + skolaHandl},
		{"unknown unit with handler", with("Nedlagd enhet", "kvar@exempelby.se"), "first/reminder→kvar@exempelby.se final/reminder→kvar@exempelby.se"},
		{"unknown unit without handler", with("Nedlagd enhet", ""), ""},
	}
	for _, tt := range tests {
		if got := keys(p.Due(tt.c, at(t, "2026-06-01 10:00"))); got != tt.want {
			t.Errorf("%s: Due = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDueSchedule(t *testing.T) {
	d := testDeadlines()
	p := mustPolicy(t, d, testUnits())
	d.EscalateAfter = config.Duration{Duration: 90 * time.Minute}
	p90 := mustPolicy(t, d, testUnits())
	tests := []struct {
		name       string
		p          *Policy
		due        string
		esc1, esc2 string
	}{
		{"weekday", p, "2026-01-14 10:00", "Thu 2026-01-15 10:00 CET", "Fri 2026-01-16 10:00 CET"},
		{"over weekend", p, "2026-01-16 10:00", "Mon 2026-01-19 10:00 CET", "Tue 2026-01-20 10:00 CET"},
		{"end of friday", p, "2026-01-17 00:00", "Tue 2026-01-20 00:00 CET", "Wed 2026-01-21 00:00 CET"},
		{"easter", p, "2026-04-02 12:00", "Tue 2026-04-07 12:00 CEST", "Wed 2026-04-08 12:00 CEST"},
		{"midsommar", p, "2026-06-18 10:00", "Mon 2026-06-22 10:00 CEST", "Tue 2026-06-23 10:00 CEST"},
		{"christmas", p, "2026-12-23 10:00", "Mon 2026-12-28 10:00 CET", "Tue 2026-12-29 10:00 CET"},
		{"summer closing", p, "2026-07-03 10:00", "Mon 2026-08-03 10:00 CEST", "Tue 2026-08-04 10:00 CEST"},
		{"90 minutes", p90, "2026-01-16 23:00", "Mon 2026-01-19 00:30 CET", "Mon 2026-01-19 02:00 CET"},
	}
	for _, tt := range tests {
		c := CaseState{Status: synpunkt.StatusOpen, Unit: gata, FirstResponseDue: at(t, tt.due)}
		as := tt.p.Due(c, at(t, "2027-06-01 00:00"))
		if len(as) != 3 || show(as[1].DueAt) != tt.esc1 || show(as[2].DueAt) != tt.esc2 {
			t.Errorf("%s: Due(due %s) = %v, want escalations at %s and %s", tt.name, tt.due, as, tt.esc1, tt.esc2)
		}
	}
}

func TestDueOrderAndZeroDeadlines(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	c := CaseState{Status: synpunkt.StatusOpen, Unit: gata, FirstResponseDue: at(t, "2026-01-16 10:00"), FinalDue: at(t, "2026-01-16 10:00").UTC()}
	if got, want := keys(p.Due(c, at(t, "2026-01-16 10:00"))), "final/reminder→"+gataChef+" first/reminder→"+gataChef; got != want {
		t.Errorf("Due(same deadlines) = %q, want %q (ties by key)", got, want)
	}
	c = CaseState{Status: synpunkt.StatusOpen, Unit: gata}
	if got := p.Due(c, at(t, "2030-01-01 00:00")); got != nil {
		t.Errorf("Due(no deadlines) = %v, want nil", got)
	}
}

func TestOverdue(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	open := gataCase(t, p)
	replied := repliedAt(t, open, "2026-01-19 08:00")
	closed := closedCase(open)
	tests := []struct {
		name        string
		c           CaseState
		now         string
		first, fina bool
	}{
		{"before", open, "2026-01-16 09:59", false, false},
		{"at first deadline", open, "2026-01-16 10:00", true, false},
		{"at final deadline", open, "2026-01-21 10:00", true, true},
		{"replied late", replied, "2026-01-20 10:00", false, false},
		{"replied, final missed", replied, "2026-01-21 10:00", false, true},
		{"closed", closed, "2026-06-01 10:00", false, false},
	}
	for _, tt := range tests {
		first, final := p.Overdue(tt.c, at(t, tt.now))
		if first != tt.first || final != tt.fina {
			t.Errorf("%s: Overdue(case, %s) = %v, %v, want %v, %v", tt.name, tt.now, first, final, tt.first, tt.fina)
		}
	}
}
