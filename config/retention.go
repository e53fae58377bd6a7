package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Retention is the [retention] section: the document management plan's
// rules for purging (gallring) and preserving (bevarande) case documents.
type Retention struct {
	// InactualAfter is how long after closing a case "gallras vid
	// inaktualitet" (purged when no longer current) falls due: the plan
	// leaves the number to the archivist. Default "3 months".
	InactualAfter Period `toml:"inactual_after"`
	// PurgeTime is the local time ("02:30") of the daemon's daily purge.
	// Empty: the daemon does not purge (run synpunkt purge by hand).
	PurgeTime string `toml:"purge_time"`
	// Vacuum rebuilds the database after a purge that removed something
	// (smaller file, slower); the purge is complete without it, since
	// secure_delete zeroes freed space.
	Vacuum bool `toml:"vacuum"`
	// Rules say which parts of which cases are purged when. A case to be
	// preserved is never purged. Default: DefaultRetentionRules.
	Rules []RetentionRule `toml:"rules"`
	// Preserve lists the rules that mark a case to be preserved
	// automatically. Default: DefaultPreserveRules.
	Preserve []PreserveRule `toml:"preserve"`
}

// RetentionRule purges parts of the cases of some categories a period after
// an event.
type RetentionRule struct {
	// Ref cites the plan, e.g. "3.2.1.1"; it is recorded in each purge event.
	Ref string `toml:"ref"`
	// Categories the rule applies to (a case's first document type, e.g.
	// "Fråga"); empty: every category.
	Categories []string `toml:"categories"`
	// DocumentTypes further limits the rule to cases holding a document of
	// one of these types (e.g. "Svar"); empty: any.
	DocumentTypes []string `toml:"document_types"`
	// Parts to purge: original, attachments, contact, notes, outbox.
	Parts []string `toml:"parts"`
	// From is the event the period counts from: "received" or "closed"
	// (an open case is never due under a "closed" rule).
	From string `toml:"from"`
	// After is the period, e.g. "6 months", "1 year", "90 days", or
	// "inactual": retention.inactual_after.
	After string `toml:"after"`
}

// PreserveRule marks cases to be preserved (bevaras): those of the
// categories that hold a document of one of the types.
type PreserveRule struct {
	Ref           string   `toml:"ref"`
	Categories    []string `toml:"categories"`
	DocumentTypes []string `toml:"document_types"`
}

// Period is a calendar period: years, months and days, counted with
// time.AddDate in local time (so "6 months" after 31 August is 3 March).
type Period struct {
	Years, Months, Days int
}

var periodPart = regexp.MustCompile(`^(\d+)\s*(years?|år|months?|månader|månad|mån|days?|dagar|dag|d)$`)

// ParsePeriod reads "6 months", "1 year", "3 years 2 months", "90 days"
// (Swedish words too: "6 månader", "1 år").
func ParsePeriod(s string) (Period, error) {
	var p Period
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if len(f) == 0 || len(f)%2 != 0 {
		return p, fmt.Errorf("want e.g. \"6 months\", \"1 year\" or \"90 days\", got %q", s)
	}
	for i := 0; i < len(f); i += 2 {
		m := periodPart.FindStringSubmatch(f[i] + " " + f[i+1])
		if m == nil {
			return p, fmt.Errorf("want e.g. \"6 months\", \"1 year\" or \"90 days\", got %q", s)
		}
		n, _ := strconv.Atoi(m[1])
		switch m[2][0] {
		case 'y', 0xc3: // year(s), år
			p.Years += n
		case 'm':
			p.Months += n
		default:
			p.Days += n
		}
	}
	return p, nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// After returns t plus the period.
func (p Period) After(t time.Time) time.Time { return t.AddDate(p.Years, p.Months, p.Days) }

// String renders the period as ParsePeriod reads it.
func (p Period) String() string {
	var parts []string
	if p.Years > 0 {
		parts = append(parts, fmt.Sprintf("%d years", p.Years))
	}
	if p.Months > 0 {
		parts = append(parts, fmt.Sprintf("%d months", p.Months))
	}
	if p.Days > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d days", p.Days))
	}
	return strings.Join(parts, " ")
}

// Period resolves a rule's After ("inactual" is inactual_after).
func (r RetentionRule) Period(inactual Period) (Period, error) {
	if strings.EqualFold(strings.TrimSpace(r.After), "inactual") {
		return inactual, nil
	}
	return ParsePeriod(r.After)
}

// DefaultRetentionRules are the document management plan of Växjö
// kommun, structure 3.2.1 (seeds/000), for this mailbox.
func DefaultRetentionRules() []RetentionRule {
	all := []string{"original", "attachments", "contact", "notes", "outbox"}
	return []RetentionRule{
		// 3.2.1.1 Frågor: headings and questions, and the personal-data
		// fields of an incoming question, 6 months.
		{Ref: "3.2.1.1", Categories: []string{"Fråga"}, Parts: []string{"original", "contact", "notes", "outbox"}, From: "received", After: "6 months"},
		// 3.2.1.1 Frågor: attached documents 1 year.
		{Ref: "3.2.1.1", Categories: []string{"Fråga"}, Parts: []string{"attachments"}, From: "received", After: "1 year"},
		// 3.2.1.2 Klagomål/synpunkter not of importance, and the reply
		// (svarsutlåtande): purged when no longer current.
		{Ref: "3.2.1.2", Categories: []string{"Klagomål", "Beröm", "Förslag"}, Parts: all, From: "closed", After: "inactual"},
		// 3.2.1.3 Felanmälan and action reports: purged when no longer current.
		{Ref: "3.2.1.3", Categories: []string{"Felanmälan"}, Parts: all, From: "closed", After: "inactual"},
	}
}

// DefaultPreserveRules: 3.2.1.2, a complaint answered with a Svar adds
// facts to a case and is preserved (and delivered to the archive).
func DefaultPreserveRules() []PreserveRule {
	return []PreserveRule{{Ref: "3.2.1.2", Categories: []string{"Klagomål"}, DocumentTypes: []string{"Svar"}}}
}

// DefaultRetention returns the plan's defaults.
func DefaultRetention() Retention {
	return Retention{InactualAfter: Period{Months: 3}, PurgeTime: "02:30"}
}

var retentionParts = map[string]bool{"original": true, "attachments": true, "contact": true, "notes": true, "outbox": true}

func (c *Config) validateRetention() error {
	r := &c.Retention
	if r.Rules == nil {
		r.Rules = DefaultRetentionRules()
	}
	if r.Preserve == nil {
		r.Preserve = DefaultPreserveRules()
	}
	if r.InactualAfter == (Period{}) {
		return bad("retention.inactual_after", "must be a period such as \"3 months\"")
	}
	if r.PurgeTime != "" && !clockTime.MatchString(r.PurgeTime) {
		return bad("retention.purge_time", "must be HH:MM (got %q)", r.PurgeTime)
	}
	for i, rule := range r.Rules {
		key := fmt.Sprintf("retention.rules[%d]", i)
		if len(rule.Parts) == 0 {
			return bad(key+".parts", "must name at least one of original, attachments, contact, notes, outbox")
		}
		for _, p := range rule.Parts {
			if !retentionParts[p] {
				return bad(key+".parts", "unknown part %q (want original, attachments, contact, notes, outbox)", p)
			}
		}
		if rule.From != "received" && rule.From != "closed" {
			return bad(key+".from", "must be received or closed")
		}
		if _, err := rule.Period(r.InactualAfter); err != nil {
			return bad(key+".after", "%v", err)
		}
	}
	return nil
}
