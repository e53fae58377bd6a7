package store

import (
	"context"
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
	Overdue   bool      // open and past a deadline at Now
	Now       time.Time // for Overdue
	From, To  time.Time // received in [From, To); zero: open-ended
	Limit     int       // 0: 200
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
// documents, and how many match in all.
func (s *Store) SearchCases(ctx context.Context, q CaseQuery) ([]synpunkt.Case, int, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if q.Text != "" {
		col := "redacted"
		if q.Originals {
			col = ""
		}
		expr := SearchExpr(q.Text, col)
		if expr == "" {
			return nil, 0, nil
		}
		add("id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)", expr)
		if q.Public {
			add("sensitive = 0")
		}
	}
	if q.Status != "" {
		add("status = ?", q.Status)
	}
	if q.Unit != "" {
		add("unit = ?", q.Unit)
	}
	if q.Units != nil {
		if len(q.Units) == 0 {
			return nil, 0, nil
		}
		add("unit IN (?"+strings.Repeat(", ?", len(q.Units)-1)+")", anys(q.Units)...)
	}
	if q.Committee != "" {
		add("committee = ?", q.Committee)
	}
	if q.Category != "" {
		add("category = ?", q.Category)
	}
	if q.Channel != "" {
		add("channel = ?", q.Channel)
	}
	if q.Overdue {
		now := ts(q.Now)
		add("status = ? AND ((first_response_at = '' AND first_response_due <> '' AND first_response_due < ?) OR (final_due <> '' AND final_due < ?))",
			synpunkt.StatusOpen, now, now)
	}
	if !q.From.IsZero() {
		add("received_at >= ?", ts(q.From))
	}
	if !q.To.IsZero() {
		add("received_at < ?", ts(q.To))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM cases"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search cases: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+caseColumns+" FROM cases"+cond+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search cases: %w", err)
	}
	defer rows.Close()
	var out []synpunkt.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan case: %w", err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
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
		rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT "+x.col+" FROM cases ORDER BY 1")
		if err != nil {
			return f, fmt.Errorf("case facets: %w", err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return f, fmt.Errorf("case facets: %w", err)
			}
			*x.dst = append(*x.dst, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, fmt.Errorf("case facets: %w", err)
		}
	}
	return f, nil
}
