package lifecycle

import (
	"cmp"
	"slices"
	"strings"
	"time"

	synpunkt "github.com/exempelby/synpunkt"
)

// Action kinds, as Action.Kind.
const (
	KindReminder   = "reminder"
	KindEscalation = "escalation"
)

// Action keys, as Action.Key. They are stable: the store persists them in
// CaseState.Done.
const (
	KeyFirstReminder    = "first/reminder"
	KeyFirstManager     = "first/escalation/manager"
	KeyFirstEscalation1 = "first/escalation/1"
	KeyFirstEscalation2 = "first/escalation/2"
	KeyFinalReminder    = "final/reminder"
)

// CaseState is what Due and Overdue need to know about a case.
type CaseState struct {
	ID       int64
	Number   string // e.g. "SYN-2026-00042"
	Unit     string // responsible unit, matched case-insensitively
	Category synpunkt.DocType
	Status   synpunkt.Status // only synpunkt.StatusOpen gets actions

	ReceivedAt       time.Time
	FirstResponseDue time.Time // zero: no first-response chain
	FinalDue         time.Time // zero: no final reminder
	FirstResponseAt  time.Time // zero: no Svar registered yet

	// Handler is who got the forward (topic handler, unit handler or
	// manager); empty falls back to the unit's manager.
	Handler string
	// Done holds the keys of actions already taken, as persisted by the
	// store. May be nil.
	Done map[string]bool
}

// Action is one reminder or escalation that is due.
type Action struct {
	CaseID   int64
	Number   string
	Key      string    // unique per case, one of the Key constants
	Kind     string    // KindReminder or KindEscalation
	Level    int       // 1 for reminders and the first escalation, 2 for the second
	To       string    // recipient address, never empty
	Deadline time.Time // the missed deadline
	DueAt    time.Time // when the action became due
}

// Due returns the actions of c due at now whose keys are not in c.Done,
// ordered by DueAt, then Key.
//
// First-response chain, while c has no first response: at FirstResponseDue a
// reminder to the handler; then, EscalateAfter of working time apart, an
// escalation to the unit's manager, to escalate_to[0] and to
// escalate_to[1]. A step whose recipient an earlier step already reached
// (the handler is the manager) is left out, and the later steps move up;
// a case whose chain reached escalate_to before the manager step existed
// does not go back to the manager. Final chain: at
// FinalDue one reminder to the handler. An action with no recipient (no
// escalate_to entry, an unknown unit without a handler) is left out and so
// never marked done: it becomes due as soon as a recipient is configured.
func (p *Policy) Due(c CaseState, now time.Time) []Action {
	if c.Status != synpunkt.StatusOpen {
		return nil
	}
	var due []Action
	for _, a := range p.schedule(c) {
		if a.To != "" && !c.Done[a.Key] && !now.Before(a.DueAt) {
			due = append(due, a)
		}
	}
	slices.SortFunc(due, func(a, b Action) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.Key, b.Key))
	})
	return due
}

// schedule returns every action c's deadlines call for, due or not.
func (p *Policy) schedule(c CaseState) []Action {
	u := p.units[strings.ToLower(c.Unit)]
	handler := cmp.Or(strings.TrimSpace(c.Handler), strings.TrimSpace(u.Manager))
	var s []Action
	if waitingFirst(c) {
		s = p.firstChain(c, u, handler)
	}
	if d := c.FinalDue; !d.IsZero() {
		s = append(s, action(c, KeyFinalReminder, KindReminder, 1, handler, d, d))
	}
	return s
}

func action(c CaseState, key, kind string, level int, to string, deadline, at time.Time) Action {
	return Action{CaseID: c.ID, Number: c.Number, Key: key, Kind: kind, Level: level, To: to, Deadline: deadline, DueAt: at}
}

// firstChain returns the steps of the first-response chain that may still
// be taken: handler, manager, escalate_to[0], escalate_to[1].
func (p *Policy) firstChain(c CaseState, u synpunkt.Unit, handler string) []Action {
	d := c.FirstResponseDue
	chain := []Action{action(c, KeyFirstReminder, KindReminder, 1, handler, d, d)}
	reached := []string{handler}
	steps := []struct{ key, to string }{
		{KeyFirstManager, strings.TrimSpace(u.Manager)},
		{KeyFirstEscalation1, escalateTo(u, 0)},
		{KeyFirstEscalation2, escalateTo(u, 1)},
	}
	for _, st := range steps {
		if st.to != "" && slices.ContainsFunc(reached, func(r string) bool { return strings.EqualFold(r, st.to) }) {
			continue
		}
		reached = append(reached, st.to)
		n := len(chain) // the nth escalation step
		chain = append(chain, action(c, st.key, KindEscalation, n, st.to, d, p.addWorking(d, time.Duration(n)*p.escalateAfter)))
	}
	if c.Done[KeyFirstEscalation1] || c.Done[KeyFirstEscalation2] {
		// The chain went past the manager before that step existed.
		chain = slices.DeleteFunc(chain, func(a Action) bool { return a.Key == KeyFirstManager })
	}
	return chain
}

// waitingFirst reports whether c has a first-response deadline and no
// first response yet.
func waitingFirst(c CaseState) bool {
	return c.FirstResponseAt.IsZero() && !c.FirstResponseDue.IsZero()
}

func escalateTo(u synpunkt.Unit, i int) string {
	if i < len(u.EscalateTo) {
		return strings.TrimSpace(u.EscalateTo[i])
	}
	return ""
}

// Overdue reports, for the contact center's overview, whether the open case
// c is past its first-response deadline without a first response, and
// whether it is past its final-answer deadline. A closed case is never
// overdue.
func (p *Policy) Overdue(c CaseState, now time.Time) (first, final bool) {
	if c.Status != synpunkt.StatusOpen {
		return false, false
	}
	first = waitingFirst(c) && !now.Before(c.FirstResponseDue)
	final = !c.FinalDue.IsZero() && !now.Before(c.FinalDue)
	return first, final
}
