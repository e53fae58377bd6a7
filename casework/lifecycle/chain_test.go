package lifecycle

import (
	"strings"
	"testing"
)

// skolaCase is gataCase moved to Skola, whose designated handler (not the
// manager) received the forward.
func skolaCase(t testing.TB, p *Policy, handler string) CaseState {
	t.Helper()
	c := gataCase(t, p)
	c.Unit, c.Handler = "Skola", handler
	c.FinalDue = c.FinalDue.AddDate(1, 0, 0) // keep the final reminder out of the way
	return c
}

// TestDueChainWithHandler: when a unit's handler (or a topic handler)
// received the case, the first-response chain is handler → unit manager →
// escalate_to[0] → escalate_to[1], each step once and escalate_after apart.
func TestDueChainWithHandler(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	rem := KeyFirstReminder + "→" + skolaHandl
	mgr := KeyFirstManager + "→" + skolaChef
	esc1 := KeyFirstEscalation1 + "→" + rektorChef
	tests := []struct {
		now  string
		want []string
	}{
		{"2026-01-16 09:59", nil},
		{"2026-01-16 10:00", []string{rem}},
		{"2026-01-19 09:59", []string{rem}},
		{"2026-01-19 10:00", []string{rem, mgr}}, // the manager is told first
		{"2026-01-20 09:59", []string{rem, mgr}},
		{"2026-01-20 10:00", []string{rem, mgr, esc1}},
		{"2026-06-01 10:00", []string{rem, mgr, esc1}}, // Skola has one escalate_to
	}
	c := skolaCase(t, p, skolaHandl)
	for _, tt := range tests {
		if got, want := keys(p.Due(c, at(t, tt.now))), strings.Join(tt.want, " "); got != want {
			t.Errorf("Due(handler case, %s) = %q, want %q", tt.now, got, want)
		}
	}
	as := p.Due(c, at(t, "2026-06-01 10:00"))
	if len(as) != 3 {
		t.Fatalf("Due(handler case, far past) = %v, want 3 actions", as)
	}
	for i, wantLevel := range []int{1, 1, 2} {
		if as[i].Level != wantLevel {
			t.Errorf("action %s level = %d, want %d", as[i].Key, as[i].Level, wantLevel)
		}
	}
	if as[1].Kind != KindEscalation {
		t.Errorf("manager step kind = %s, want %s", as[1].Kind, KindEscalation)
	}
}

func TestDueChainTopicHandlerTwoLevels(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	c := gataCase(t, p)
	c.Handler = "lampor@exempelby.se"
	want := "first/reminder→lampor@exempelby.se first/escalation/manager→" + gataChef +
		" first/escalation/1→" + sbfChef + " first/escalation/2→" + kd
	c.FinalDue = c.FinalDue.AddDate(1, 0, 0)
	if got := keys(p.Due(c, at(t, "2026-01-21 10:00"))); got != want {
		t.Errorf("Due(topic handler, Wed) = %q, want %q", got, want)
	}
	if got := keys(p.Due(c, at(t, "2026-01-20 09:59"))); strings.Contains(got, "first/escalation/2") {
		t.Errorf("Due(topic handler, Tue 09:59) = %q: escalate_to[1] came before its turn", got)
	}
}

// TestDueChainManagerIsHandler: when the manager got the forward (no
// designated handler, or the handler is the manager), the manager step is
// not sent twice and the chain keeps its old timing.
func TestDueChainManagerIsHandler(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	for _, handler := range []string{"", skolaChef, " SKOLA-chef@exempelby.se "} {
		c := skolaCase(t, p, handler)
		want := KeyFirstReminder + "→" + skolaChef + " " + KeyFirstEscalation1 + "→" + rektorChef
		if got := keys(p.Due(c, at(t, "2026-01-19 10:00"))); !strings.EqualFold(got, want) {
			t.Errorf("Due(handler %q, Mon 10:00) = %q, want %q", handler, got, want)
		}
	}
}

// TestDueChainLaterStepTaken: a case whose chain went further before the
// manager step existed (escalate_to[0] already told) does not go back to
// the manager (schema before the manager step).
func TestDueChainLaterStepTaken(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	c := skolaCase(t, p, skolaHandl)
	c.Done = map[string]bool{KeyFirstReminder: true, KeyFirstEscalation1: true}
	if got := p.Due(c, at(t, "2026-06-01 10:00")); got != nil {
		t.Errorf("Due(escalation 1 done) = %v, want nothing", got)
	}
}
