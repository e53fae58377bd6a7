package config

import (
	"fmt"
	"net/mail"
)

// Report is one [[reports]] entry: statistics sent to a committee's
// registry mailbox after every period, with the report attached.
type Report struct {
	// Committee is the committee (nämnd) reported on; it must be the
	// committee of at least one [[units]] entry.
	Committee string `toml:"committee"`
	// To is the committee's registry mailbox, e.g. "kfn@exempelby.se".
	To string `toml:"to"`
	// Every is "month" or "quarter": the report of a period is sent on
	// the first working day after it.
	Every string `toml:"every"`
	// Format is the attachment's format: "xlsx" (default), "csv" or "json".
	Format string `toml:"format"`
}

// validateReports checks every [[reports]] entry and fills in the default
// format.
func (c *Config) validateReports() error {
	seen := map[string]bool{}
	for i := range c.Reports {
		r := &c.Reports[i]
		key := func(k string) string { return fmt.Sprintf("reports[%d].%s", i, k) }
		if !c.hasCommittee(r.Committee) {
			return bad(key("committee"), "must be the committee of a [[units]] entry")
		}
		if _, err := mail.ParseAddress(r.To); err != nil || r.To == "" {
			return bad(key("to"), "must be a mail address")
		}
		if r.Every != "month" && r.Every != "quarter" {
			return bad(key("every"), "must be month or quarter")
		}
		if r.Format == "" {
			r.Format = "xlsx"
		}
		if r.Format != "xlsx" && r.Format != "csv" && r.Format != "json" {
			return bad(key("format"), "must be xlsx, csv or json")
		}
		if seen[r.Committee+"\x00"+r.Every] {
			return bad(key("committee"), "reported twice with the same every")
		}
		seen[r.Committee+"\x00"+r.Every] = true
	}
	return nil
}

func (c *Config) hasCommittee(name string) bool {
	for _, u := range c.Units {
		if name != "" && u.Committee == name {
			return true
		}
	}
	return false
}
