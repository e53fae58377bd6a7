package casework

import (
	"context"
	"slices"
	"testing"
	"time"
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
	short := mustPolicy(t, cfg.Deadlines, cfg.Units)
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

// TestDeadlinesDryRunWritesNothing: a dry run lists what a real run at
// the same time then sends, and writes nothing, also when the schedule was
// computed under another deadline policy (where a real run first resets
// every open case's next_due): it reads the cases due from the earliest
// running deadline instead.
func TestDeadlinesDryRunWritesNothing(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.snowCase("a@example.net", stockholmTime(t, "2026-04-02 10:00"))
	h.snowCase("b@example.net", stockholmTime(t, "2026-04-08 10:00"))
	h.deadlines(stockholmTime(t, "2026-04-08 10:00")) // the first reminder; records the policy
	snapshot := func() string {
		t.Helper()
		var s string
		err := h.st.DB().QueryRowContext(ctx, `SELECT
			(SELECT group_concat(id || '=' || COALESCE(next_due, '-'), ' ') FROM cases) || ' | ' ||
			(SELECT COALESCE(group_concat(key || '=' || hex(value), ' '), '') FROM meta) || ' | ' ||
			(SELECT COUNT(*) FROM case_actions) || ' ' || (SELECT COUNT(*) FROM outbox) || ' ' || (SELECT COUNT(*) FROM events)`).Scan(&s)
		if err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		return s
	}
	at := stockholmTime(t, "2026-04-20 10:00")
	dry := func() []string {
		t.Helper()
		actions, err := h.work.RunDeadlines(ctx, at, true)
		if err != nil {
			t.Fatalf("dry run: %v", err)
		}
		var out []string
		for _, a := range actions {
			out = append(out, a.Key+"→"+a.To)
		}
		return out
	}
	before := snapshot()
	listed := dry()
	if after := snapshot(); after != before {
		t.Errorf("dry run wrote:\nbefore %s\nafter  %s", before, after)
	}
	if len(listed) == 0 {
		t.Fatal("dry run listed nothing; want the steps due at 04-20")
	}
	if _, err := h.st.DB().ExecContext(ctx, "UPDATE meta SET value = 'another policy' WHERE key = 'schedule_policy'"); err != nil {
		t.Fatal(err)
	}
	before = snapshot()
	if got := dry(); !slices.Equal(got, listed) {
		t.Errorf("dry run under another policy = %v, want %v", got, listed)
	}
	if after := snapshot(); after != before {
		t.Errorf("dry run under another policy wrote:\nbefore %s\nafter  %s", before, after)
	}
	if sent := h.deadlines(at); !slices.Equal(sent, listed) {
		t.Errorf("real run sent %v, dry run listed %v", sent, listed)
	}
}
