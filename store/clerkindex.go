package store

import "github.com/exempelby/synpunkt"

// The clerk's commands read an index, never every case: `cases --overdue`
// and `deadlines --dry-run` the cases_due_floor index of the earliest
// running deadline, `stats` the covering cases_stats index, and `cases`
// one page of cases_status. The migration is appended here (not written
// into store.go's list) so that it is the next one after whatever the
// list holds.
func init() { migrations = append(migrations, clerkIndexSchema) }

var clerkIndexSchema = `
-- Schema 12: the clerk's commands on an index. cases_due_floor is the
-- earliest running deadline of an open case (NULL otherwise): a case is
-- overdue at t, and may need a reminder or escalation at t, only when it
-- is at or before t. cases_stats covers the statistics' counts over a
-- period of registration.
CREATE INDEX cases_due_floor ON cases(` + dueFloor("") + `);
CREATE INDEX cases_stats ON cases(received_at, committee, unit, category, status, channel);
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
