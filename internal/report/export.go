package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Formats are the output formats of a statistics report.
var Formats = []string{"xlsx", "csv", "json"}

// Write writes s in format ("xlsx", "csv" or "json").
func Write(w io.Writer, s *Statistics, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	case "csv":
		return WriteCSV(w, s)
	case "xlsx":
		return WriteXLSX(w, s)
	}
	return fmt.Errorf("format %q: must be one of %s", format, strings.Join(Formats, ", "))
}

// WriteCSV writes s in long form, one figure a line: section, committee,
// name, month, measure, value (RFC 4180, comma-separated, decimal point).
// A field that a spreadsheet would read as a formula gets a leading '.
func WriteCSV(w io.Writer, s *Statistics) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"section", "committee", "name", "month", "measure", "value"})
	put := func(section, committee, name, month string, f Figures) {
		for _, m := range measures(f) {
			cw.Write(csvSafe(section, committee, name, month, m.name, m.value))
		}
	}
	put("total", s.Committee, "", "", s.Total)
	for _, u := range s.Units {
		put("unit", u.Committee, u.Name, "", u.Figures)
		for _, m := range u.Months {
			put("unit_month", u.Committee, u.Name, m.Month, m.Figures)
		}
	}
	for _, g := range s.Categories {
		put("category", s.Committee, g.Name, "", g.Figures)
	}
	for _, g := range s.Channels {
		put("channel", s.Committee, g.Name, "", g.Figures)
	}
	for _, m := range s.Months {
		put("month", s.Committee, "", m.Month, m.Figures)
		for _, c := range sortedKeys(m.ByCategory) {
			cw.Write(csvSafe("month_category", s.Committee, c, m.Month, "received", strconv.Itoa(m.ByCategory[c])))
		}
	}
	for _, n := range notCaseRows(s.NotCases) {
		cw.Write(csvSafe("not_case", "", n.name, "", "count", strconv.Itoa(n.count)))
	}
	for _, t := range s.Trends {
		for _, tp := range t.Topics {
			cw.Write(csvSafe("topic", s.Committee, t.Unit, t.Month, tp.Term, strconv.Itoa(tp.Cases)))
			cw.Write(csvSafe("topic_previous", s.Committee, t.Unit, t.Month, tp.Term, strconv.Itoa(tp.Previous)))
		}
	}
	cw.Flush()
	return cw.Error()
}

type measure struct{ name, value string }

// measures lists the figures of f as name and value ("" when undefined).
func measures(f Figures) []measure {
	return []measure{
		{"received", strconv.Itoa(f.Received)}, {"closed", strconv.Itoa(f.Closed)}, {"open_at_end", strconv.Itoa(f.OpenAtEnd)},
		{"closed_with_deadline", strconv.Itoa(f.ClosedWithDeadline)}, {"closed_in_time", strconv.Itoa(f.ClosedInTime)},
		{"share_in_time", optFloat(f.ShareInTime, 4)},
		{"to_receipt_hours_median", optFloat(f.ToReceipt.Median, 1)}, {"to_receipt_hours_p90", optFloat(f.ToReceipt.P90, 1)},
		{"to_first_response_hours_median", optFloat(f.ToFirstResponse.Median, 1)}, {"to_first_response_hours_p90", optFloat(f.ToFirstResponse.P90, 1)},
		{"to_close_days_median", optFloat(f.ToClose.Median, 1)}, {"to_close_days_p90", optFloat(f.ToClose.P90, 1)},
		{"escalations", strconv.Itoa(f.Escalations)}, {"reopened", strconv.Itoa(f.Reopened)},
	}
}

func optFloat(v *float64, prec int) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', prec, 64)
}

// csvSafe guards fields against formula injection when the CSV is opened
// in a spreadsheet (OWASP: CSV injection).
func csvSafe(fields ...string) []string {
	for i, f := range fields {
		if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
			fields[i] = "'" + f
		}
	}
	return fields
}

type notCaseRow struct {
	name  string
	count int
}

// notCaseRows lists the not-case counts in a fixed order with Swedish
// names, exclusions per class last.
func notCaseRows(n NotCases) []notCaseRow {
	rows := []notCaseRow{
		{"automatiska svar", n.AutoReplies}, {"returmeddelanden", n.Bounces}, {"karantän", n.Quarantine},
		{"missbruksrapporter (ARF)", n.FeedbackReports}, {"läskvitton", n.ReadReceipts},
	}
	for _, c := range sortedKeys(n.Excluded) {
		rows = append(rows, notCaseRow{"överlämnat: " + c, n.Excluded[c]})
	}
	return rows
}

func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }
