package casework

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/casework/lifecycle"
)

// dueCases returns the IDs store.DueCases selects at the Stockholm time at.
func (h *harness) dueCases(at string) []int64 {
	h.t.Helper()
	ids, err := h.st.DueCases(context.Background(), stockholmTime(h.t, at))
	if err != nil {
		h.t.Fatalf("DueCases(%s) = %v", at, err)
	}
	return ids
}

// TestSchedulerReadsOnlyDueCases: the scheduler's work per tick is the
// cases due, found on the next_due index: a case enters when its next step
// falls due, leaves while it waits for the following one, leaves for good
// when its chains are done or it is closed, and comes back when reopened.
func TestSchedulerReadsOnlyDueCases(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	due := h.snowCase("due@example.net", stockholmTime(t, "2026-04-02 10:00")) // first response due 04-08 10:00
	later := h.snowCase("later@example.net", stockholmTime(t, "2026-04-08 10:00"))
	closed := h.snowCase("closed@example.net", stockholmTime(t, "2026-04-02 10:00"))
	if _, err := h.work.Close(ctx, closed.Number, "Klart.", "test"); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := h.dueCases("2026-04-08 09:59"); len(got) != 0 {
		t.Errorf("due before any deadline = %v, want none", got)
	}
	if got := h.dueCases("2026-04-08 10:00"); !slices.Equal(got, []int64{due.ID}) {
		t.Errorf("due at the first deadline = %v, want [%d] (not %d, not the closed %d)", got, due.ID, later.ID, closed.ID)
	}
	h.deadlines(stockholmTime(t, "2026-04-08 10:00")) // the reminder
	if got := h.dueCases("2026-04-08 12:00"); len(got) != 0 {
		t.Errorf("due while the escalation waits = %v, want none", got)
	}
	if got := h.dueCases("2026-04-09 10:00"); !slices.Equal(got, []int64{due.ID}) {
		t.Errorf("due at the escalation = %v, want [%d]", got, due.ID)
	}
	h.deadlines(stockholmTime(t, "2026-06-01 10:00")) // everything left, both cases
	if got := h.dueCases("2027-06-01 10:00"); len(got) != 0 {
		t.Errorf("due after every step was taken = %v, want none", got)
	}
	if _, err := h.work.Close(ctx, due.Number, "Klart.", "test"); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := h.work.Reopen(ctx, closed.Number, "test"); err != nil {
		t.Fatalf("Reopen: %v", err)
	}
	if got := h.dueCases("2026-06-01 10:00"); !slices.Equal(got, []int64{closed.ID}) {
		t.Errorf("due after reopening = %v, want the reopened case [%d]", got, closed.ID)
	}
	if got := h.deadlines(stockholmTime(t, "2026-06-01 10:00")); len(got) != 4 {
		t.Errorf("reopened case catches up = %v, want 4 actions", got)
	}
}

// TestScheduleFollowsConfig: a step with no recipient is not scheduled,
// and a configuration that gives it one (escalate_to[1]) puts the case
// back on the schedule, so the step is sent after all.
func TestScheduleFollowsConfig(t *testing.T) {
	h := newHarness(t)
	full := h.p.policy
	c := h.snowCase("cfg@example.net", stockholmTime(t, "2026-04-02 10:00"))
	cfg := *h.cfg
	cfg.Units = slices.Clone(cfg.Units)
	for i, u := range cfg.Units {
		if u.Name == c.Unit {
			cfg.Units[i].EscalateTo = u.EscalateTo[:1]
		}
	}
	short, err := lifecycle.NewPolicy(cfg.Deadlines, cfg.Units)
	if err != nil {
		t.Fatal(err)
	}
	if short.Fingerprint() == full.Fingerprint() {
		t.Fatal("a shorter escalate_to did not change the policy fingerprint")
	}
	shortOpt := h.p.opt
	shortOpt.Units = cfg.Units
	h.work = New(Deps{Options: shortOpt, Store: h.st, Composer: h.p.compose, Threads: h.p.threads,
		Policy: short, Now: func() time.Time { return h.now }, Log: h.p.log})
	if got := h.deadlines(stockholmTime(t, "2026-06-01 10:00")); len(got) != 3 {
		t.Errorf("without escalate_to[1] = %v, want 3 actions", got)
	}
	if got := h.dueCases("2027-01-01 10:00"); len(got) != 0 {
		t.Fatalf("due after the short chain = %v, want none", got)
	}
	h.work = New(Deps{Options: h.p.opt, Store: h.st, Composer: h.p.compose, Threads: h.p.threads,
		Policy: full, Now: func() time.Time { return h.now }, Log: h.p.log})
	got := h.deadlines(stockholmTime(t, "2026-06-01 11:00"))
	if want := "first/escalation/2→kommundirektor@exempelby.se"; len(got) != 1 || got[0] != want {
		t.Errorf("after escalate_to[1] was configured = %v, want [%s]", got, want)
	}
	if got := h.dueCases("2027-01-01 10:00"); len(got) != 0 {
		t.Errorf("due after the full chain = %v, want none", got)
	}
}
