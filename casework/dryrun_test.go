package casework

import (
	"context"
	"slices"
	"testing"
)

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
