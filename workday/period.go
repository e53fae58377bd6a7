package workday

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidPeriod is wrapped by errors from ParsePeriod, ParseDate and
// Options.Validate.
var ErrInvalidPeriod = errors.New("invalid period")

// Period is an inclusive range of local days off, e.g. a summer closing
// 2026-07-06..2026-07-31 or a single "klämdag" (From == To).
type Period struct {
	From, To Date   // inclusive; From on or before To
	Name     string // for reports, e.g. "Sommarstängt"; may be empty
}

// ParsePeriod parses "2026-07-06..2026-07-31" (inclusive) or a single date
// "2026-12-23". The result has an empty Name.
func ParsePeriod(s string) (Period, error) {
	fromStr, toStr, isRange := strings.Cut(strings.TrimSpace(s), "..")
	from, err := ParseDate(fromStr)
	if err != nil {
		return Period{}, err
	}
	to := from
	if isRange {
		if to, err = ParseDate(toStr); err != nil {
			return Period{}, err
		}
	}
	p := Period{From: from, To: to}
	return p, p.Validate()
}

// Validate reports whether both ends are real dates and From is not after To.
func (p Period) Validate() error {
	switch {
	case !p.From.Valid():
		return fmt.Errorf("%w: %s: from is not a date", ErrInvalidPeriod, p)
	case !p.To.Valid():
		return fmt.Errorf("%w: %s: to is not a date", ErrInvalidPeriod, p)
	case p.From.Compare(p.To) > 0:
		return fmt.Errorf("%w: %s: from is after to", ErrInvalidPeriod, p)
	}
	return nil
}

// Contains reports whether d lies in p.
func (p Period) Contains(d Date) bool {
	return p.From.Compare(d) <= 0 && d.Compare(p.To) <= 0
}

// String formats p as ParsePeriod accepts it.
func (p Period) String() string {
	if p.From == p.To {
		return p.From.String()
	}
	return p.From.String() + ".." + p.To.String()
}
