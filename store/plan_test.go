package store

import (
	"context"
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
	st := mustOpenStore(t, "", nil)
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
		"CountToSender":       "SELECT COUNT(*) FROM outbox WHERE recipient_key = 'a@b' AND created_at >= '2026' AND kind IN ('receipt', 'forward')",
		"SearchInsertPending": searchInsertPending,
		"SearchPending":       searchPendingList,
		// Per message: the case number in a subject, the intake ledger,
		// the case sequence, the first Svar, the per-sender caps, the
		// contact, the outbox worker's due rows and its claim.
		"CaseNumberLike": "SELECT " + caseColumns + " FROM cases WHERE number = 'SYN-2026-00001' COLLATE NOCASE",
		"CaseSeq":        "INSERT INTO case_seq(year, last) VALUES(2026, 1) ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
		"FirstResponse":  "UPDATE cases SET first_response_at = '2026' WHERE id = 1 AND first_response_at = ''",
		"Contact":        "SELECT email, phone, wants_reply FROM contacts WHERE case_id = 1",
		"DueOutbox":      "SELECT o.id, c.number FROM outbox o LEFT JOIN cases c ON c.id = o.case_id WHERE o.status = 'pending' AND o.next_attempt_at <= '2026' ORDER BY o.next_attempt_at, o.id LIMIT 10",
		"ClaimOutbox":    "UPDATE outbox SET lease_owner = 'w', lease_until = '2026' WHERE id = 1 AND status = 'pending' AND next_attempt_at <= '2026' AND (lease_owner = 'w' OR lease_until = '' OR lease_until <= '2026')",
		"MarkSent":       "UPDATE outbox SET status = 'sent', sent_at = '2026', attempts = attempts + 1, last_error = '', lease_owner = '', lease_until = '' WHERE id = 1",
		"MaxOutboxID":    "SELECT COALESCE(MAX(id), 0) FROM outbox",
		// `case NUMBER`: the case sheet's notifications and events.
		"CaseOutbox": "SELECT " + outboxMeta + outboxFrom + "o.case_id = 1 ORDER BY o.id",
		"CaseEvents": "SELECT e.id, COALESCE(e.case_id, 0), e.at, e.actor, e.kind, COALESCE(t.text, e.detail) FROM events e LEFT JOIN event_texts t ON t.event_id = e.id WHERE case_id = 1 ORDER BY e.id",
		// `stats`: the messages that opened no case (internal/report).
		"StatsNotCases": `SELECT outcome, CASE WHEN outcome = 'excluded' THEN reason ELSE '' END, COUNT(*) FROM intake
			WHERE outcome IN ('excluded', 'quarantine', 'bounce', 'auto_reply', 'feedback_report', 'read_receipt') AND received_at >= '2026' AND received_at < '2027' GROUP BY 1, 2 ORDER BY 1, 2`,
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, f := range map[string]Filter{
		"ListOpenCases":   {Status: "öppet"},
		"ListOverdue":     {Status: "öppet", OverdueAt: at},
		"PageOpenCases":   {Status: "öppet", Brief: true, Limit: 50, Offset: 100},
		"PageOverdue":     {Status: "öppet", OverdueAt: at, Brief: true, Limit: 50},
		"PageOverdueUnit": {Status: "öppet", Unit: "VA-enheten", OverdueAt: at, Brief: true, Limit: 50},
	} {
		q, args := listQuery(f)
		checkPlan(t, st, name, q, args...)
		q, args = countQuery(f)
		checkPlan(t, st, "Count"+name, q, args...)
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

// TestClerkQueryPlans pins the indexes the clerk's commands are built on:
// overdue cases and the cases due for the scheduler from cases_due_floor
// (the earliest running deadline); statistics from one pass over the
// covering cases_stats in group order (they count every case of their
// period; no case row is read and nothing is sorted); a page of open cases
// from cases_status in ID order; and an unfiltered page as a walk back
// from the newest row that stops at the page (no sort of every case).
func TestClerkQueryPlans(t *testing.T) {
	st := mustOpenStore(t, "", nil)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	overdue, overdueArgs := listQuery(Filter{Status: "öppet", OverdueAt: at, Brief: true, Limit: 50})
	countOverdue, countArgs := countQuery(Filter{Status: "öppet", OverdueAt: at})
	page, pageArgs := listQuery(Filter{Status: "öppet", Brief: true, Limit: 50})
	all, allArgs := listQuery(Filter{Brief: true, Limit: 50, Offset: 50})
	for _, c := range []struct {
		name, q string
		args    []any
		want    string // a step of the plan
		not     string // no step may contain this
	}{
		{"overdue", overdue, overdueArgs, "INDEX cases_due_floor", ""},
		{"count overdue", countOverdue, countArgs, "INDEX cases_due_floor", ""},
		{"due floor", dueFloorQuery, []any{ts(at)}, "INDEX cases_due_floor", "TEMP B-TREE"},
		{"tallies", tallyQuery, []any{ts(at), ts(at.AddDate(1, 0, 0))}, "SCAN cases USING COVERING INDEX cases_stats", "FOR GROUP BY"},
		{"page", page, pageArgs, "USING COVERING INDEX cases_status (status=?)", "TEMP B-TREE FOR ORDER BY"},
		{"unfiltered page", all, allArgs, "SCAN c", "TEMP B-TREE"},
	} {
		plan := queryPlan(t, st, c.q, c.args...)
		joined := strings.Join(plan, " | ")
		if !strings.Contains(joined, c.want) {
			t.Errorf("%s: plan %q lacks %q", c.name, plan, c.want)
		}
		if c.not != "" && strings.Contains(joined, c.not) {
			t.Errorf("%s: plan %q has %q", c.name, plan, c.not)
		}
	}
}

// queryPlan returns the steps of the plan of q.
func queryPlan(t *testing.T, st *Store, q string, args ...any) []string {
	t.Helper()
	rows, err := st.DB().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatalf("explain: scan: %v", err)
		}
		plan = append(plan, detail)
	}
	return plan
}
