package report

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrPeriod is returned (wrapped) for a period that cannot be read.
var ErrPeriod = errors.New("period must look like 2026-11, 2026-Q4 or 2026")

// Period is a reporting period: a calendar month, quarter or year in
// Europe/Stockholm, or any range of days (stats --from/--to).
type Period struct {
	Label string    // "2026-11", "2026-Q4", "2026" or "2026-01-01–2026-03-31"
	From  time.Time // first instant, local midnight
	To    time.Time // first instant after the period
	Kind  string    // "month", "quarter", "year" or "range"
}

// ParsePeriod reads "2026-11", "2026-Q4" or "2026".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	y, rest, _ := strings.Cut(s, "-")
	year, err := strconv.Atoi(y)
	if err != nil || len(y) != 4 || year < 2000 {
		return Period{}, fmt.Errorf("%q: %w", s, ErrPeriod)
	}
	switch {
	case rest == "" && !strings.Contains(s, "-"):
		return YearPeriod(year), nil
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' && rest[1] <= '4':
		return QuarterPeriod(year, int(rest[1]-'0')), nil
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return Period{}, fmt.Errorf("%q: %w", s, ErrPeriod)
		}
		return MonthPeriod(year, time.Month(m)), nil
	}
	return Period{}, fmt.Errorf("%q: %w", s, ErrPeriod)
}

// MonthPeriod is one calendar month.
func MonthPeriod(year int, m time.Month) Period {
	from := time.Date(year, m, 1, 0, 0, 0, 0, stockholm)
	return Period{Label: from.Format("2006-01"), From: from, To: from.AddDate(0, 1, 0), Kind: "month"}
}

// QuarterPeriod is quarter q (1–4) of year.
func QuarterPeriod(year, q int) Period {
	from := time.Date(year, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, stockholm)
	return Period{Label: fmt.Sprintf("%d-Q%d", year, q), From: from, To: from.AddDate(0, 3, 0), Kind: "quarter"}
}

// YearPeriod is a calendar year.
func YearPeriod(year int) Period {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, stockholm)
	return Period{Label: strconv.Itoa(year), From: from, To: from.AddDate(1, 0, 0), Kind: "year"}
}

// RangePeriod is the days from first to last, both included.
func RangePeriod(from, to time.Time) Period {
	return Period{Label: from.Format("2006-01-02") + "–" + to.AddDate(0, 0, -1).Format("2006-01-02"), From: from, To: to, Kind: "range"}
}

// Previous is the period of the same kind just before p (for a range: as
// many days before it).
func (p Period) Previous() Period {
	switch p.Kind {
	case "month":
		return MonthPeriod(p.From.AddDate(0, -1, 0).Year(), p.From.AddDate(0, -1, 0).Month())
	case "quarter":
		f := p.From.AddDate(0, -3, 0)
		return QuarterPeriod(f.Year(), (int(f.Month())-1)/3+1)
	case "year":
		return YearPeriod(p.From.Year() - 1)
	}
	days := int(p.To.Sub(p.From).Hours()/24 + 0.5)
	return RangePeriod(p.From.AddDate(0, 0, -days), p.From)
}

// Months lists the calendar months that p touches, as "2006-01", with
// their bounds clipped to p.
func (p Period) Months() []Period {
	var out []Period
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, stockholm); m.Before(p.To); m = m.AddDate(0, 1, 0) {
		mp := MonthPeriod(m.Year(), m.Month())
		if mp.From.Before(p.From) {
			mp.From = p.From
		}
		if mp.To.After(p.To) {
			mp.To = p.To
		}
		out = append(out, mp)
	}
	return out
}

// LastComplete is the latest period of kind ("month" or "quarter") that
// ended at or before now.
func LastComplete(kind string, now time.Time) Period {
	n := now.In(stockholm)
	if kind == "quarter" {
		cur := QuarterPeriod(n.Year(), (int(n.Month())-1)/3+1)
		return cur.Previous()
	}
	return MonthPeriod(n.Year(), n.Month()).Previous()
}
