package config

import (
	"fmt"
	"regexp"
	"time"

	"github.com/exempelby/synpunkt/workday"
)

// Deadlines is the [deadlines] section: the routine's clocks and the
// reminder and escalation chain. Times count on the Swedish working
// calendar (package workday): weekends, public holidays and DaysOff do not
// count.
type Deadlines struct {
	// FirstResponse is the working time within which the citizen gets a
	// first response (the routine: 48 hours). Default "48h".
	FirstResponse Duration `toml:"first_response"`
	// FinalAnswerDays is the number of working days for the final answer
	// (Burlöv: 14 days, i.e. 10 working days). Default 10.
	FinalAnswerDays int `toml:"final_answer_days"`
	// EscalateAfter is the working time between the steps of the chain
	// after a missed first-response deadline: the reminder to the handler
	// at the deadline, then the unit's manager (when a handler got the
	// case), escalate_to[0] (the manager's manager) and escalate_to[1].
	// Default "24h".
	EscalateAfter Duration `toml:"escalate_after"`
	// DaysOff are local days off that do not count, e.g. a summer closing
	// "2026-07-06..2026-07-31" or a single "2026-05-15".
	DaysOff []string `toml:"days_off"`
	// Overrides set other deadlines for a unit, a category, or both.
	Overrides []DeadlineOverride `toml:"overrides"`
	// CheckInterval is how often the daemon looks for due deadlines.
	// Default "1m".
	CheckInterval Duration `toml:"check_interval"`
	// DigestTime is the local time ("07:30") of the daily digest to the
	// contact center, sent on working days only. Empty: no digest.
	DigestTime string `toml:"digest_time"`
	// DigestTo is the digest's recipient. Default: the default unit's
	// manager.
	DigestTo string `toml:"digest_to"`
}

// DeadlineOverride sets the deadlines of one unit and/or category.
type DeadlineOverride struct {
	Unit            string   `toml:"unit"`     // unit name; empty: any
	Category        string   `toml:"category"` // e.g. "Felanmälan"; empty: any
	FirstResponse   Duration `toml:"first_response"`
	FinalAnswerDays int      `toml:"final_answer_days"`
}

// DefaultDeadlines returns the routine's defaults.
func DefaultDeadlines() Deadlines {
	return Deadlines{
		FirstResponse: Duration{48 * time.Hour}, FinalAnswerDays: 10,
		EscalateAfter: Duration{24 * time.Hour}, CheckInterval: Duration{time.Minute},
	}
}

var clockTime = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

func (c *Config) validateDeadlines() error {
	d := c.Deadlines
	if d.FirstResponse.Duration < time.Hour {
		return bad("deadlines.first_response", "must be at least 1h")
	}
	if d.FinalAnswerDays < 1 {
		return bad("deadlines.final_answer_days", "must be at least 1")
	}
	if d.EscalateAfter.Duration < time.Hour {
		return bad("deadlines.escalate_after", "must be at least 1h")
	}
	if d.CheckInterval.Duration < time.Second {
		return bad("deadlines.check_interval", "must be at least 1s")
	}
	if d.DigestTime != "" && !clockTime.MatchString(d.DigestTime) {
		return bad("deadlines.digest_time", "must be HH:MM (got %q)", d.DigestTime)
	}
	if d.DigestTo != "" {
		if err := checkAddr("deadlines.digest_to", d.DigestTo); err != nil {
			return err
		}
	}
	for i, p := range d.DaysOff {
		if _, err := workday.ParsePeriod(p); err != nil {
			return bad(fmt.Sprintf("deadlines.days_off[%d]", i), "%v", err)
		}
	}
	for i, o := range d.Overrides {
		f := fmt.Sprintf("deadlines.overrides[%d]", i)
		if o.Unit == "" && o.Category == "" {
			return bad(f, "needs unit, category or both")
		}
		if o.Unit != "" {
			if !hasUnit(c.Units, o.Unit) {
				return bad(f+".unit", "no unit named %q", o.Unit)
			}
		}
	}
	return nil
}
