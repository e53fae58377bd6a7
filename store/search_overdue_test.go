package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

// TestSearchOverdueIsTheCLIsOverdue: the web view's overdue filter
// (SearchCases with Overdue) selects exactly the cases `cases --overdue`
// lists (ListCases with OverdueAt), including a deadline that falls exactly
// at the moment asked about, which is overdue for both.
func TestSearchOverdueIsTheCLIsOverdue(t *testing.T) {
	s, now, ctx := fixedStore(t)
	ms := time.Millisecond
	for _, c := range []struct {
		key                string
		firstDue, finalDue time.Time
		answered, closed   bool
		overdue            bool
	}{
		{key: "final-at-now", finalDue: now, overdue: true},
		{key: "first-at-now", firstDue: now, finalDue: now.Add(time.Hour), overdue: true},
		{key: "final-after-now", finalDue: now.Add(ms)},
		{key: "first-after-now", firstDue: now.Add(ms), finalDue: now.Add(time.Hour)},
		{key: "final-before-now", finalDue: now.Add(-ms), overdue: true},
		{key: "first-passed-but-answered", firstDue: now.Add(-time.Hour), finalDue: now.Add(time.Hour), answered: true},
		{key: "closed-past-due", finalDue: now.Add(-time.Hour), closed: true},
		{key: "no-deadlines"},
	} {
		nc := newCase(c.key, now.Add(-48*time.Hour))
		nc.Case.Description = "Snöröjning " + c.key
		nc.Case.FirstResponseDue, nc.Case.FinalDue = c.firstDue, c.finalDue
		got := mustOpenCase(t, s, nc)
		if c.answered {
			if _, err := s.DB().Exec("UPDATE cases SET first_response_at = ? WHERE id = ?", ts(now.Add(-2*time.Hour)), got.ID); err != nil {
				t.Fatal(err)
			}
		}
		if c.closed {
			if _, err := s.DB().Exec("UPDATE cases SET status = 'avslutat', closed_at = ? WHERE id = ?", ts(now.Add(-2*time.Hour)), got.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	descs := func(cs []synpunkt.Case) []string {
		var out []string
		for _, c := range cs {
			out = append(out, strings.TrimPrefix(c.Description, "Snöröjning "))
		}
		slices.Sort(out)
		return out
	}
	cli, err := s.ListCases(ctx, Filter{Status: synpunkt.StatusOpen, OverdueAt: now})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"final-at-now", "final-before-now", "first-at-now"}
	if got := descs(cli); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("cases --overdue (ListCases) = %v, want %v", got, want)
	}
	for _, q := range []CaseQuery{
		{Overdue: true, Now: now},
		{Overdue: true, Now: now, Status: synpunkt.StatusOpen, Unit: "Gatu- och parkenheten"},
		{Overdue: true, Now: now, Text: "snöröjning"}, // driven from the search index
	} {
		got, total, err := s.SearchCases(ctx, q)
		if err != nil {
			t.Fatalf("SearchCases(%+v) = %v", q, err)
		}
		if fmt.Sprint(descs(got)) != fmt.Sprint(want) || total != len(want) {
			t.Errorf("SearchCases(%+v) = %v (total %d), want %v as cases --overdue", q, descs(got), total, want)
		}
	}
	// A millisecond earlier the cases due exactly at now are not overdue,
	// for either.
	before := now.Add(-ms)
	cli, err = s.ListCases(ctx, Filter{Status: synpunkt.StatusOpen, OverdueAt: before})
	if err != nil {
		t.Fatal(err)
	}
	web, _, err := s.SearchCases(ctx, CaseQuery{Overdue: true, Now: before})
	if err != nil {
		t.Fatal(err)
	}
	if got := descs(web); fmt.Sprint(got) != "[final-before-now]" || fmt.Sprint(got) != fmt.Sprint(descs(cli)) {
		t.Errorf("overdue a millisecond before: web %v, cases --overdue %v; want [final-before-now] for both", got, descs(cli))
	}
}

// TestSearchOverduePlan: the web view's overdue filter reads
// cases_due_floor, for its count and its page, with or without other
// filters on the case, and never scans the cases; with text it is driven
// from the search index and looks each match's case up by its ID.
func TestSearchOverduePlan(t *testing.T) {
	st := mustOpenStore(t, "", nil)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		q     CaseQuery
		match string
		want  string
	}{
		{"overdue", CaseQuery{Overdue: true, Now: at}, "", "INDEX cases_due_floor"},
		{"overdue in a unit", CaseQuery{Overdue: true, Now: at, Status: synpunkt.StatusOpen, Unit: "VA-enheten", Channel: "e-post"}, "", "INDEX cases_due_floor"},
		{"overdue received in a period", CaseQuery{Overdue: true, Now: at, From: at.AddDate(-1, 0, 0), To: at}, "", "INDEX cases_due_floor"},
		{"overdue with text", CaseQuery{Overdue: true, Now: at, Text: "snö"}, SearchExpr("snö", "redacted"), "USING INTEGER PRIMARY KEY (rowid=?)"},
	} {
		sq, ok := searchQuery(c.q, c.match)
		if !ok {
			t.Fatalf("%s: searchQuery says nothing can match", c.name)
		}
		for kind, q := range map[string]string{
			"count": "SELECT COUNT(*) FROM " + sq.from + sq.cond,
			"page":  "SELECT " + caseColumns + " FROM " + sq.from + sq.cond + " ORDER BY " + sq.order + " LIMIT 200",
		} {
			name := c.name + " (" + kind + ")"
			checkPlan(t, st, name, q, sq.args...)
			plan := queryPlan(t, st, q, sq.args...)
			if joined := strings.Join(plan, " | "); !strings.Contains(joined, c.want) {
				t.Errorf("%s: plan %q lacks %q", name, plan, c.want)
			}
		}
	}
}
