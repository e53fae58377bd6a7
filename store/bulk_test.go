package store

import (
	"context"
	"database/sql"
	"testing"
)

// TestBulkLoadIndexesOnce: rows written through BulkLoad are found by
// search as if registered one by one, and the search triggers are back
// afterwards (a case registered later is indexed by them).
func TestBulkLoadIndexesOnce(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t, "", nil)
	triggers := func() string {
		var s string
		if err := st.DB().QueryRowContext(ctx, "SELECT group_concat(name || sql, ';') FROM (SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name)").Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := triggers()
	err := st.BulkLoad(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`INSERT INTO cases(id, number, status, received_at, category, unit, committee, initiated_by, description, created_at)
				VALUES(7, 'SYN-2020-000007', 'öppet', '2026-01-01T00:00:00.000Z', 'Klagomål', 'VA-enheten', 'Tekniska nämnden', 'Privatperson', 'Brunn', '2026-01-01T00:00:00.000Z')`,
			`INSERT INTO documents(case_id, type, direction, sender_role, received_at, text) VALUES(7, 'Klagomål', 'Inkommande', 'Privatperson', '2026-01-01T00:00:00.000Z', 'Dagvattenbrunnen svämmar över')`,
			`INSERT INTO contacts(case_id, email) VALUES(7, 'bulk@example.net')`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("BulkLoad: %v", err)
	}
	if after := triggers(); after != before {
		t.Errorf("triggers after BulkLoad:\n%s\nwant\n%s", after, before)
	}
	for _, q := range []CaseQuery{{Text: "brunn"}, {Text: "dagvattenbrunnen", Originals: true}, {Text: "bulk", Originals: true}} {
		if got, _, err := st.SearchCases(ctx, q); err != nil || len(got) != 1 || got[0].ID != 7 {
			t.Errorf("SearchCases(%+v) = %d cases, %v; want case 7", q, len(got), err)
		}
	}
	if _, err := st.DB().ExecContext(ctx, "UPDATE cases SET description = 'Kloakstopp' WHERE id = 7"); err != nil {
		t.Fatal(err)
	}
	if got, _, err := st.SearchCases(ctx, CaseQuery{Text: "kloakstopp"}); err != nil || len(got) != 1 {
		t.Errorf("after an update: %d cases, %v; want the trigger to have indexed it", len(got), err)
	}
}
