package lifecycle

import (
	"strconv"
	"time"
)

// DigestDue reports whether today's digest is due: today (in the calendar's
// location) is a working day, now is at or after today at the local clock
// time at ("07:30"), and the last digest was sent before that. A daemon that
// was down for days sends one digest when it comes back, not one per missed
// day. A malformed at is never due (NewPolicy rejects a malformed
// deadlines.digest_time).
func (p *Policy) DigestDue(last, now time.Time, at string) bool {
	hh, mm, ok := parseClock(at)
	if !ok || !p.cal.IsWorkday(now) {
		return false
	}
	n := now.In(p.cal.Location())
	y, m, d := n.Date()
	slot := time.Date(y, m, d, hh, mm, 0, 0, p.cal.Location())
	return !n.Before(slot) && last.Before(slot)
}

// parseClock parses "HH:MM" (24-hour, two digits each).
func parseClock(s string) (hh, mm int, ok bool) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, 0, false
	}
	hh, _ = strconv.Atoi(s[:2])
	mm, _ = strconv.Atoi(s[3:])
	return hh, mm, hh <= 23 && mm <= 59
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
