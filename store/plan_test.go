package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestQueriesUseIndexes runs EXPLAIN QUERY PLAN on the queries made per
// message and per clerk command and fails on a full SCAN of cases,
// outbox, events or intake: their cost must not grow with the store.
//
// ListOpenCases and ListOverdue read every open case by design (they list
// them); they are here so that their documents come from an index and
// their cases from cases_status, never from a scan of all cases.
func TestQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer st.Close()
	queries := map[string]string{
		"Seen":              "SELECT outcome, case_id FROM intake WHERE idem_key = 'k'",
		"CaseByNumber":      "SELECT id FROM cases WHERE number = 'SYN-2026-00001' COLLATE NOCASE",
		"CountOutbox":       "SELECT COUNT(*) FROM outbox WHERE kind = 'receipt' AND recipient = 'a@b' COLLATE NOCASE AND created_at >= '2026'",
		"OutboxForCase":     "SELECT id FROM outbox o WHERE o.case_id = 1 ORDER BY o.id",
		"EventsSince":       "SELECT id FROM events WHERE kind = 'escalated' AND at >= '2026' ORDER BY id",
		"Events":            "SELECT id FROM events WHERE case_id = 1 ORDER BY id",
		"CaseByMessageID":   "SELECT case_id FROM documents WHERE message_id = 'm' LIMIT 1",
		"OriginalOfForward": "SELECT id FROM intake WHERE raw_sha256 = 'x' AND length(raw) = 1 LIMIT 1",
		"ForwardOriginal":   "SELECT raw FROM intake WHERE id = 1",
		"OutboxByMsgID":     "SELECT case_id FROM outbox WHERE message_id = 'm' AND case_id IS NOT NULL LIMIT 1",
		"Documents":         "SELECT id FROM documents WHERE case_id = 1 ORDER BY id",
		"OpenCases":         "SELECT id FROM cases WHERE status = 'open'",
		// The deadline scheduler (DueCases, ScheduleState, SetNextDue) and
		// the digest's counts (OpenPerUnit).
		"DueCases":     "SELECT id FROM cases WHERE next_due <= '2026' ORDER BY next_due, id",
		"ScheduleCase": "SELECT " + caseColumns + ", " + stampColumns + " FROM cases WHERE id = 1",
		"ScheduleDone": "SELECT key FROM case_actions WHERE case_id = 1",
		"SetNextDue":   "UPDATE cases SET next_due = NULL WHERE id = 1 AND " + stampColumns + " = 'x'",
		"OpenPerUnit":  "SELECT unit, COUNT(*) FROM cases WHERE status = 'öppet' GROUP BY unit",
		// Per message: the per-sender cap, and the search index rewrite of
		// each case a transaction noted (SyncSearch).
		"CountToSender":   "SELECT COUNT(*) FROM outbox WHERE recipient_key = 'a@b' AND created_at >= '2026' AND kind IN ('receipt', 'forward')",
		"SearchInsertRow": strings.ReplaceAll(searchInsertRow, "?", "1"),
		"SearchPending":   searchPendingList,
	}
	for name, f := range map[string]Filter{
		"ListOpenCases": {Status: "öppet"},
		"ListOverdue":   {Status: "öppet", OverdueAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		q, args := listQuery(f)
		checkPlan(t, st, name, q, args...)
	}
	for name, q := range queries {
		checkPlan(t, st, name, q)
	}
}

// checkPlan fails the test when the plan of q scans a table that grows
// with the store.
func checkPlan(t *testing.T, st *Store, name, q string, args ...any) {
	t.Helper()
	ctx := context.Background()
	rows, err := st.DB().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatalf("%s: scan: %v", name, err)
		}
		plan = append(plan, detail)
	}
	rows.Close()
	if testing.Verbose() {
		t.Logf("%s: %q", name, plan)
	}
	// c, d and i are the aliases of cases, documents and intake in EachCase.
	for _, d := range plan {
		for _, table := range []string{"cases", "outbox", "events", "intake", "documents", "case_actions", "c", "d", "i"} {
			if d == "SCAN "+table || strings.HasPrefix(d, "SCAN "+table+" ") {
				t.Errorf("%s: plan %q scans %s", name, plan, table)
			}
		}
	}
}
