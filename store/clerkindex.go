package store

import "github.com/exempelby/synpunkt"

// clerkIndexSchema (schema 15): the clerk's commands read an index, never every case row: `cases
// --overdue` and `deadlines --dry-run` the cases_due_floor index of the
// earliest running deadline, `cases` one page of cases_status, and `stats`
// the covering cases_stats. Statistics count every case of their period
// (by default the year so far: most of the store), so cases_stats is in
// the order they group by, with received_at last: one pass over a narrow
// index, no sort, where an index led by received_at would have SQLite sort
// every case of the period to group them (0.9–1.1 s against 0.07–0.2 s at
// 100,000 cases).
var clerkIndexSchema = `
-- Schema 15: the clerk's commands on an index. cases_due_floor is the
-- earliest running deadline of an open case (NULL otherwise): a case is
-- overdue at t, and may need a reminder or escalation at t, only when it
-- is at or before t. cases_stats covers the statistics' counts over a
-- period of registration, in the order they are grouped.
CREATE INDEX cases_due_floor ON cases(` + dueFloor("") + `);
CREATE INDEX cases_stats ON cases(committee, unit, category, status, channel, received_at);
`

// dueFloor is the SQL of a case's earliest running deadline on the columns
// of alias (a table alias with its dot, e.g. "c.", or ""): the
// first-response deadline while no first response is registered, and the
// final-answer deadline; NULL for a case that is not open or has neither.
// A query must use exactly this expression for SQLite to read
// cases_due_floor.
func dueFloor(alias string) string {
	return `CASE WHEN ` + alias + `status = '` + string(synpunkt.StatusOpen) + `' THEN NULLIF(min(
		CASE WHEN ` + alias + `first_response_at = '' AND ` + alias + `first_response_due <> '' THEN ` + alias + `first_response_due ELSE '~' END,
		CASE WHEN ` + alias + `final_due <> '' THEN ` + alias + `final_due ELSE '~' END), '~') END`
}
