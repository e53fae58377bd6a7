package lifecycle

import (
	"fmt"
	"strings"
	"time"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/workday"
)

// Policy applies the [deadlines] configuration to cases. It is immutable.
type Policy struct {
	cal           *workday.Calendar        // never nil
	def           rule                     // deadlines.first_response and final_answer_days
	escalateAfter time.Duration            // > 0
	overrides     map[ruleKey]rule         // by lower-cased unit and canonical category
	units         map[string]synpunkt.Unit // by lower-cased name
	all           synpunkt.Units           // for overrides, which may name an alias
	fingerprint   string                   // of the config it was built from
}

// rule is one set of deadlines; a zero field is not set and falls back to
// the next less specific rule.
type rule struct {
	first     time.Duration
	finalDays int
}

// ruleKey selects an override: an empty field matches any unit or category.
type ruleKey struct {
	unit     string // lower-cased
	category synpunkt.DocType
}

// NewPolicy checks d and units and builds the working calendar from
// d.DaysOff. Errors are *config.ValidationError naming the key.
func NewPolicy(d config.Deadlines, units synpunkt.Units) (*Policy, error) {
	if err := checkDeadlines(d); err != nil {
		return nil, err
	}
	p := &Policy{
		def:           rule{d.FirstResponse.Duration, d.FinalAnswerDays},
		escalateAfter: d.EscalateAfter.Duration,
		overrides:     map[ruleKey]rule{},
		units:         map[string]synpunkt.Unit{},
		all:           units,
		fingerprint:   fingerprint(d, units),
	}
	for i, u := range units {
		k := strings.ToLower(u.Name)
		if _, dup := p.units[k]; dup {
			return nil, invalid(fmt.Sprintf("units[%d].name", i), "duplicate unit %q", u.Name)
		}
		p.units[k] = u
	}
	periods, err := parseDaysOff(d.DaysOff)
	if err != nil {
		return nil, err
	}
	p.cal = workday.New(workday.Options{ExtraDaysOff: periods})
	for i, o := range d.Overrides {
		if err := p.addOverride(fmt.Sprintf("deadlines.overrides[%d]", i), o); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func invalid(field, format string, args ...any) error {
	return &config.ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func checkDeadlines(d config.Deadlines) error {
	switch {
	case d.FirstResponse.Duration <= 0:
		return invalid("deadlines.first_response", "must be positive")
	case d.FinalAnswerDays < 1:
		return invalid("deadlines.final_answer_days", "must be at least 1")
	case d.EscalateAfter.Duration <= 0:
		return invalid("deadlines.escalate_after", "must be positive")
	case d.DigestTime != "":
		if _, _, ok := parseClock(d.DigestTime); !ok {
			return invalid("deadlines.digest_time", "must be HH:MM (got %q)", d.DigestTime)
		}
	}
	return nil
}

func parseDaysOff(ss []string) ([]workday.Period, error) {
	ps := make([]workday.Period, 0, len(ss))
	for i, s := range ss {
		p, err := workday.ParsePeriod(s)
		if err != nil {
			return nil, invalid(fmt.Sprintf("deadlines.days_off[%d]", i), "%v", err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

func (p *Policy) addOverride(field string, o config.DeadlineOverride) error {
	k := ruleKey{unit: strings.ToLower(o.Unit)}
	switch {
	case o.Unit == "" && o.Category == "":
		return invalid(field, "needs unit, category or both")
	case o.FirstResponse.Duration < 0 || o.FinalAnswerDays < 0:
		return invalid(field, "first_response and final_answer_days must not be negative")
	case o.FirstResponse.Duration == 0 && o.FinalAnswerDays == 0:
		return invalid(field, "sets neither first_response nor final_answer_days")
	}
	if o.Unit != "" {
		u, ok := p.all.ByName(o.Unit)
		if !ok {
			return invalid(field+".unit", "no unit named %q", o.Unit)
		}
		k.unit = strings.ToLower(u.Name)
	}
	if o.Category != "" {
		var ok bool
		if k.category, ok = canonicalCategory(o.Category); !ok {
			return invalid(field+".category", "no category named %q (want one of %v)", o.Category, synpunkt.Categories)
		}
	}
	if _, dup := p.overrides[k]; dup {
		return invalid(field, "another override already sets unit %q, category %q", o.Unit, o.Category)
	}
	p.overrides[k] = rule{o.FirstResponse.Duration, o.FinalAnswerDays}
	return nil
}

// canonicalCategory finds the category spelled s in any letter case.
func canonicalCategory(s string) (synpunkt.DocType, bool) {
	for _, c := range synpunkt.Categories {
		if strings.EqualFold(string(c), s) {
			return c, true
		}
	}
	return "", false
}

// Calendar returns the working calendar deadlines are counted on.
func (p *Policy) Calendar() *workday.Calendar { return p.cal }

// Deadlines returns the first-response and final-answer deadlines of a case
// of unit and category received at received, in the calendar's location.
// Each of the two is taken from the most specific override that sets it
// (unit and category, then unit, then category, then the default); units
// and categories match in any letter case.
func (p *Policy) Deadlines(unit string, category synpunkt.DocType, received time.Time) (firstResponse, final time.Time) {
	r := p.rule(unit, category)
	return p.addWorking(received, r.first), p.cal.AddWorkingDays(received, r.finalDays)
}

func (p *Policy) rule(unit string, category synpunkt.DocType) rule {
	r := p.def
	u := strings.ToLower(unit)
	c, _ := canonicalCategory(string(category))
	for _, k := range []ruleKey{{"", c}, {u, ""}, {u, c}} { // least specific first
		o, ok := p.overrides[k]
		if !ok {
			continue
		}
		if o.first > 0 {
			r.first = o.first
		}
		if o.finalDays > 0 {
			r.finalDays = o.finalDays
		}
	}
	return r
}

// addWorking is AddWorkingHours for any duration: the earliest instant with
// d of working time after t. Durations that are not whole hours ("90m") are
// legal in the config.
func (p *Policy) addWorking(t time.Time, d time.Duration) time.Time {
	t = p.cal.AddWorkingHours(t, int(d/time.Hour))
	rem := d % time.Hour
	if rem <= 0 {
		return t
	}
	if end := t.Add(rem); p.cal.WorkingHoursBetween(t, end) == rem {
		return end
	}
	// rem crosses a day off. One working hour after t spans at most two
	// stretches of working time (working days are longer than an hour), and
	// rem runs out in the second, which ends at that hour's end.
	return p.cal.AddWorkingHours(t, 1).Add(rem - time.Hour)
}
