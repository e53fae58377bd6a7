package notify

import (
	"strconv"
	"time"

	"github.com/exempelby/synpunkt/workday"
)

var (
	swedishWeekdays = [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}
	swedishMonths   = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}
)

// lastDay names, in words a citizen reads, the last day on which deadline
// is met: "tisdag 8 december". A deadline at local midnight is the end of
// the day before (the workday package's reading: Wednesday 00:00 means "by
// the end of Tuesday"). The year is added when it differs from the year of
// ref, the first of refs (e.g. when the case was received); without refs it
// is never added. The zero time renders as "–".
func lastDay(deadline time.Time, refs ...time.Time) string {
	if deadline.IsZero() {
		return "–"
	}
	t := deadline.In(stockholm)
	d := workday.DateOf(t)
	if t.Equal(d.Midnight(stockholm)) {
		d = d.AddDays(-1)
	}
	s := swedishWeekdays[d.Weekday()] + " " + strconv.Itoa(d.Day) + " " + swedishMonths[d.Month-1]
	if len(refs) > 0 && !refs[0].IsZero() && refs[0].In(stockholm).Year() != d.Year {
		s += " " + strconv.Itoa(d.Year)
	}
	return s
}
