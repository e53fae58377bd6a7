package workday

import (
	"testing"
	"time"
)

// FuzzAddWorkingHours checks that AddWorkingHours never panics, never returns
// a time before the start, is monotonic in h and agrees with
// WorkingHoursBetween, for starts in years 1900–2199 and any h.
func FuzzAddWorkingHours(f *testing.F) {
	f.Add(at(f, "2026-01-16 15:00").Unix(), 48, 49)
	f.Add(at(f, "2026-04-02 12:00").Unix(), 48, 240)
	f.Add(at(f, "2027-03-27 02:30").Unix(), 0, 1)
	f.Add(at(f, "2026-12-23 23:59").Unix(), -1, 1<<40)
	f.Add(int64(-1), -1<<62, 1<<62)
	cals := []*Calendar{
		New(Options{}),
		New(Options{EvesAreWorkdays: true, ExtraDaysOff: mustPeriods(f, "2026-07-06..2026-07-31", "2030-01-01..2031-12-31")}),
	}
	lo := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	span := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix() - lo
	f.Fuzz(func(t *testing.T, sec int64, h1, h2 int) {
		start := time.Unix(lo+(sec%span+span)%span, 0)
		if h1 > h2 {
			h1, h2 = h2, h1
		}
		for _, c := range cals {
			r1, r2 := c.AddWorkingHours(start, h1), c.AddWorkingHours(start, h2)
			if r1.Before(start) || r2.Before(r1) {
				t.Fatalf("AddWorkingHours(%s, %d) = %s, (_, %d) = %s: want start ≤ first ≤ second", start, h1, r1, h2, r2)
			}
			if h1 >= 0 && h1 <= 24*400 {
				if got := c.WorkingHoursBetween(start, r1); got != time.Duration(h1)*time.Hour {
					t.Fatalf("WorkingHoursBetween(%s, %s) = %v, want %dh", start, r1, got, h1)
				}
			}
		}
	})
}
