package workday

import (
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // Europe/Stockholm must load even on hosts without zoneinfo
)

// MaxWorkingDays bounds the amounts AddWorkingDays and AddWorkingHours accept:
// larger amounts are clamped to it. 10 000 working days is about 38 years.
const MaxWorkingDays = 10000

// DefaultLocation is the time zone the clock runs in unless Options.Location
// is set.
const DefaultLocation = "Europe/Stockholm"

// Stockholm is the Europe/Stockholm time zone, in which synpunkt shows
// times to people. It always loads: time/tzdata is embedded.
var Stockholm = func() *time.Location {
	loc, err := time.LoadLocation(DefaultLocation)
	if err != nil {
		panic("workday: " + err.Error()) // unreachable: time/tzdata is embedded
	}
	return loc
}()

// Options configures a Calendar. The zero value is the Swedish calendar in
// Europe/Stockholm with midsommarafton, julafton and nyårsafton off.
type Options struct {
	// Location decides where days start and end; nil means Europe/Stockholm.
	Location *time.Location
	// ExtraDaysOff are local days off such as a summer closing or klämdagar;
	// each must pass Period.Validate. May overlap each other and holidays.
	ExtraDaysOff []Period
	// EvesAreWorkdays makes midsommarafton, julafton and nyårsafton working
	// days. They are not public holidays by law, but the zero value (false)
	// treats them as days off, as nearly every employer does.
	EvesAreWorkdays bool
}

// Validate checks every period, naming the first bad one by index, e.g.
// "ExtraDaysOff[1]: invalid period: 2026-07-31..2026-07-06: from is after to".
func (o Options) Validate() error {
	for i, p := range o.ExtraDaysOff {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("ExtraDaysOff[%d]: %w", i, err)
		}
	}
	return nil
}

// Calendar answers which days are working days and does deadline arithmetic.
// It is immutable and safe for concurrent use.
type Calendar struct {
	loc   *time.Location // never nil
	eves  bool           // midsommarafton, julafton, nyårsafton are days off
	extra []Period       // immutable copy of Options.ExtraDaysOff, all valid
}

// New returns the calendar opt describes. It panics if opt.Validate fails;
// validate options from configuration first (ParsePeriod only returns valid
// periods).
func New(opt Options) *Calendar {
	if err := opt.Validate(); err != nil {
		panic("workday.New: " + err.Error())
	}
	c := &Calendar{loc: opt.Location, eves: !opt.EvesAreWorkdays, extra: slices.Clone(opt.ExtraDaysOff)}
	if c.loc == nil {
		c.loc = Stockholm
	}
	return c
}

// Location returns the time zone whose midnights bound working days.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsWorkday reports whether t falls on a working day in the calendar's
// Location.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.IsWorkDate(DateOf(t.In(c.loc)))
}

// IsWorkDate reports whether d is a working day.
func (c *Calendar) IsWorkDate(d Date) bool {
	var y year
	return !y.off(c, d)
}

// Holidays returns the Swedish public holidays of year in date order with
// their Swedish names, plus midsommarafton, julafton and nyårsafton unless
// they are working days in this calendar. Weekend holidays (påskdagen,
// pingstdagen, often nationaldagen) are included; local ExtraDaysOff are not.
func (c *Calendar) Holidays(year int) []Holiday {
	return holidays(year, c.eves)
}

// AddWorkingHours returns the earliest instant at which h hours of working
// time have passed since start: time passes only on working days, 24 hours
// per day. Friday 15:00 + 48 is Tuesday 15:00; Saturday 10:00 + 48 is
// Wednesday 00:00. h ≤ 0 returns start.
func (c *Calendar) AddWorkingHours(start time.Time, h int) time.Time {
	h = min(max(h, 0), 24*MaxWorkingDays)
	return c.addWorkingTime(start.In(c.loc), time.Duration(h)*time.Hour)
}

// addWorkingTime walks t forward a day at a time, spending d on working days.
func (c *Calendar) addWorkingTime(t time.Time, d time.Duration) time.Time {
	var y year
	day := DateOf(t)
	for d > 0 {
		next := day.AddDays(1).Midnight(c.loc)
		if !next.After(t) {
			return t // time.Time overflow far outside years 1–9999
		}
		if avail := next.Sub(t); !y.off(c, day) {
			if d <= avail {
				return t.Add(d)
			}
			d -= avail
		}
		day, t = day.AddDays(1), next
	}
	return t
}

// AddWorkingDays returns the same local clock time as start on the n-th
// working day after start's day. A start on a day off counts from 00:00 of
// the next working day, so Saturday 10:00 + 1 is Tuesday 00:00. n ≤ 0 returns
// start.
func (c *Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	t := start.In(c.loc)
	if n <= 0 {
		return t
	}
	n = min(n, MaxWorkingDays)
	var y year
	day := DateOf(t)
	if y.off(c, day) {
		day = c.nextWorkDate(&y, day)
		t = day.Midnight(c.loc)
	}
	for ; n > 0; n-- {
		day = c.nextWorkDate(&y, day)
	}
	hh, mm, ss := t.Clock()
	return time.Date(day.Year, day.Month, day.Day, hh, mm, ss, t.Nanosecond(), c.loc)
}

// nextWorkDate returns the first working day after d.
func (c *Calendar) nextWorkDate(y *year, d Date) Date {
	for d = d.AddDays(1); y.off(c, d); d = d.AddDays(1) {
	}
	return d
}

// WorkingHoursBetween returns the working time from a to b: the part of
// [a, b) that lies on working days. It is negative if b is before a. Its cost
// grows with the number of days between a and b.
func (c *Calendar) WorkingHoursBetween(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.WorkingHoursBetween(b, a)
	}
	var y year
	var total time.Duration
	t, day := a.In(c.loc), DateOf(a.In(c.loc))
	for t.Before(b) {
		next := day.AddDays(1).Midnight(c.loc)
		if !next.After(t) {
			break // time.Time overflow far outside years 1–9999
		}
		if !y.off(c, day) {
			total += minTime(next, b).Sub(t)
		}
		day, t = day.AddDays(1), next
	}
	return total
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// year caches the days off of one year while a computation walks the
// calendar. It is local to one call, which keeps Calendar immutable.
type year struct {
	loaded bool
	year   int
	days   [367]bool // true: day off, by Date.yearDay; weekends not included
}

// off reports whether d is a day off in c.
func (y *year) off(c *Calendar, d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return true
	}
	if !y.loaded || y.year != d.Year {
		y.load(c, d.Year)
	}
	return y.days[d.yearDay()]
}

// load fills y with the holidays and extra days off of c in year yr.
func (y *year) load(c *Calendar, yr int) {
	*y = year{loaded: true, year: yr}
	for _, h := range holidays(yr, c.eves) {
		y.days[h.Date.yearDay()] = true
	}
	first, last := Date{yr, time.January, 1}, Date{yr, time.December, 31}
	for _, p := range c.extra {
		if p.To.Compare(first) < 0 || p.From.Compare(last) > 0 {
			continue
		}
		from, to := 1, last.yearDay()
		if p.From.Year == yr {
			from = p.From.yearDay()
		}
		if p.To.Year == yr {
			to = p.To.yearDay()
		}
		for i := from; i <= to; i++ {
			y.days[i] = true
		}
	}
}
