package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/exempelby/synpunkt"
)

// CaseQuery selects cases for the web view and the public diary. Empty
// fields select everything.
type CaseQuery struct {
	Text      string // words to find (prefix match); see SearchExpr
	Originals bool   // search the original text and contacts too, not only the redacted metadata
	Public    bool   // the public diary: text never matches a sensitive case
	Status    synpunkt.Status
	Unit      string
	Units     []string // when non-nil, only cases of these units (an "enhet" user)
	Committee string
	Category  string
	Channel   string
	Overdue   bool      // open with a running deadline at or before Now, as `cases --overdue`
	Now       time.Time // for Overdue
	From, To  time.Time // received in [From, To); zero: open-ended
	Limit     int       // 0: 200
	// CountLimit, when > 0, bounds the count of a text search that also
	// filters on the case (status, unit, sensitive ...): it counts at most
	// CountLimit+1 matches, so a total above CountLimit means "more than
	// CountLimit". 0: count them all. A text search without other
	// filters, and a search without text, are always counted exactly
	// (both are cheap: FTS5's own count, or an index).
	CountLimit int
}

// SearchExpr turns what a person typed into an FTS5 expression: every
// word (letters and digits; anything else separates words) must occur as
// a prefix, in column col ("" for any column). It returns "" when nothing
// searchable was typed, so no FTS5 syntax from the user ever reaches the
// engine.
func SearchExpr(text, col string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var parts []string
	for _, w := range words {
		p := `"` + strings.ToLower(w) + `"*`
		if col != "" {
			p = col + " : " + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " AND ")
}

// SearchCases returns the cases q selects, newest first, without their
// documents, and how many match in all (bounded by q.CountLimit, see
// there).
//
// A text search is driven from the FTS5 index: it walks the matches in
// descending rowid (the case id) and joins each to its case, so the
// first page costs a few hundred lookups however many cases match. (The
// form "id IN (SELECT rowid FROM case_search ...) ORDER BY id DESC"
// materialised every match first, for the page and again for the count:
// 50-350 ms at 100,000 cases.)
func (s *Store) SearchCases(ctx context.Context, q CaseQuery) ([]synpunkt.Case, int, error) {
	match := ""
	if q.Text != "" {
		col := "redacted"
		if q.Originals {
			col = ""
		}
		match = SearchExpr(q.Text, col)
		if match == "" {
			return nil, 0, nil
		}
		// What another writer left unindexed (see SyncSearch) is found too.
		if err := s.SyncSearch(ctx); err != nil {
			return nil, 0, fmt.Errorf("search cases: %w", err)
		}
	}
	sq, ok := searchQuery(q, match)
	if !ok {
		return nil, 0, nil
	}
	from, cond, args := sq.from, sq.cond, sq.args
	var total int
	var err error
	switch {
	case match != "" && !sq.caseFilters:
		err = s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_search WHERE case_search MATCH ?", match).Scan(&total)
	case match != "" && q.CountLimit > 0:
		err = s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+from+cond+" LIMIT ?)", append(args[:len(args):len(args)], q.CountLimit+1)...).Scan(&total)
	default:
		err = s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+from+cond, args...).Scan(&total)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("search cases: count: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 200
	}
	out, err := collect(ctx, s.db, "search cases", func(r *sql.Rows) (synpunkt.Case, error) { return scanCase(r) },
		"SELECT "+caseColumns+" FROM "+from+cond+" ORDER BY "+sq.order+" LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// searchSQL is the SQL of a SearchCases query: the FROM (cases as c, and
// the search index as s for a text search), the WHERE with its arguments,
// the ORDER BY, and whether it filters on the case itself.
type searchSQL struct {
	from, cond, order string
	args              []any
	caseFilters       bool
}

// searchQuery builds the SQL of q, whose text is the FTS5 expression
// match ("" for no text); false when nothing can match (an empty Units).
//
// Overdue is the condition of `cases --overdue` (Filter.OverdueAt): the
// earliest running deadline of an open case (dueFloor) is at or before
// Now. Without text the cases are read from cases_due_floor, named (see
// Filter.table), so the count and the page cost what is overdue, not what
// is open; a text search keeps the search index as its outer loop and
// checks the condition on each match's case.
func searchQuery(q CaseQuery, match string) (searchSQL, bool) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	sq := searchSQL{from: "cases c", order: "c.id DESC"}
	if match != "" {
		// CROSS JOIN keeps the FTS table the outer loop, whose rowid
		// order FTS5 gives without sorting. caseColumns need no "c.":
		// the FTS table's columns (redacted, original) are not among them.
		sq.from, sq.order = "case_search s CROSS JOIN cases c ON c.id = s.rowid", "s.rowid DESC"
		if q.Public {
			add("c.sensitive = 0")
		}
	} else if q.Overdue {
		sq.from = "cases c INDEXED BY cases_due_floor"
	}
	if q.Status != "" {
		add("c.status = ?", q.Status)
	}
	if q.Unit != "" {
		add("c.unit = ?", q.Unit)
	}
	if q.Units != nil {
		if len(q.Units) == 0 {
			return sq, false
		}
		add("c.unit IN (?"+strings.Repeat(", ?", len(q.Units)-1)+")", anys(q.Units)...)
	}
	if q.Committee != "" {
		add("c.committee = ?", q.Committee)
	}
	if q.Category != "" {
		add("c.category = ?", q.Category)
	}
	if q.Channel != "" {
		add("c.channel = ?", q.Channel)
	}
	if q.Overdue {
		add(dueFloor("c.")+" <= ?", ts(q.Now))
	}
	if !q.From.IsZero() {
		add("c.received_at >= ?", ts(q.From))
	}
	if !q.To.IsZero() {
		add("c.received_at < ?", ts(q.To))
	}
	sq.caseFilters = len(where) > 0
	if match != "" {
		where, args = append([]string{"s.case_search MATCH ?"}, where...), append([]any{match}, args...)
	}
	if len(where) > 0 {
		sq.cond = " WHERE " + strings.Join(where, " AND ")
	}
	sq.args = args
	return sq, true
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Facets are the distinct values the case list's filters offer.
type Facets struct {
	Units, Committees, Categories, Channels []string
}

// CaseFacets returns the units, committees, categories and channels that
// occur among the cases.
func (s *Store) CaseFacets(ctx context.Context) (Facets, error) {
	var f Facets
	for _, x := range []struct {
		col string
		dst *[]string
	}{{"unit", &f.Units}, {"committee", &f.Committees}, {"category", &f.Categories}, {"channel", &f.Channels}} {
		vs, err := collect(ctx, s.db, "case facets", func(r *sql.Rows) (string, error) {
			var v string
			return v, r.Scan(&v)
		}, "SELECT DISTINCT "+x.col+" FROM cases ORDER BY 1")
		if err != nil {
			return f, err
		}
		*x.dst = vs
	}
	return f, nil
}
