package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueriesUseIndexes runs EXPLAIN QUERY PLAN on the queries made per
// message and per clerk command and fails on a full SCAN of cases,
// outbox, events or intake: their cost must not grow with the store.
func TestQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer st.Close()
	queries := map[string]string{
		"Seen":            "SELECT outcome, case_id FROM intake WHERE idem_key = 'k'",
		"CaseByNumber":    "SELECT id FROM cases WHERE number = 'SYN-2026-00001' COLLATE NOCASE",
		"CountOutbox":     "SELECT COUNT(*) FROM outbox WHERE kind = 'receipt' AND recipient = 'a@b' COLLATE NOCASE AND created_at >= '2026'",
		"OutboxForCase":   "SELECT id FROM outbox o WHERE o.case_id = 1 ORDER BY o.id",
		"EventsSince":     "SELECT id FROM events WHERE kind = 'escalated' AND at >= '2026' ORDER BY id",
		"Events":          "SELECT id FROM events WHERE case_id = 1 ORDER BY id",
		"CaseByMessageID": "SELECT case_id FROM documents WHERE message_id = 'm' LIMIT 1",
		"OutboxByMsgID":   "SELECT case_id FROM outbox WHERE message_id = 'm' AND case_id IS NOT NULL LIMIT 1",
		"Documents":       "SELECT id FROM documents WHERE case_id = 1 ORDER BY id",
		"OpenCases":       "SELECT id FROM cases WHERE status = 'open'",
	}
	for name, q := range queries {
		rows, err := st.DB().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q)
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
		for _, d := range plan {
			for _, table := range []string{"cases", "outbox", "events", "intake", "documents"} {
				if strings.HasPrefix(d, "SCAN "+table) {
					t.Errorf("%s: plan %q scans %s", name, plan, table)
				}
			}
		}
	}
}
