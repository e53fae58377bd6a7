package synpunkt

import "strings"

// Unit is a responsible unit (enhet) in the routing table: who gets its
// cases, who is escalated to, and the words and plus-address names that
// route mail to it. The config reads units from TOML into this type.
type Unit struct {
	Name      string `toml:"name"`      // e.g. "Gatu- och parkenheten"
	Committee string `toml:"committee"` // nämnd, e.g. "Samhällsbyggnadsnämnden"
	Manager   string `toml:"manager"`   // manager's address
	// Handler is an optional designated handler who gets the forward
	// instead of the manager.
	Handler string `toml:"handler"`
	// EscalateTo lists the manager's manager, then the next level.
	EscalateTo []string `toml:"escalate_to"`
	// Aliases are plus-address names routed here (synpunkter+gata@...).
	Aliases []string `toml:"aliases"`
	// Keywords are topic words that route a message here.
	Keywords []string `toml:"keywords"`
	// Topics send specific topics straight to a named handler.
	Topics []Topic `toml:"topics"`
	// Default marks the unit that gets what nothing else matches (exactly
	// one unit, typically the contact center).
	Default bool `toml:"default"`
}

// Topic is a designated handler for some keywords within a unit.
type Topic struct {
	Name     string   `toml:"name"`
	Handler  string   `toml:"handler"`
	Keywords []string `toml:"keywords"`
}

// Units is the routing table, in configuration order.
type Units []Unit

// Index finds a unit by its name or, failing that, one of its aliases,
// case-insensitively and ignoring surrounding space. This is the one
// meaning of a unit name in synpunkt: in the config (deadline overrides,
// the triage unit), a plus-address tag and a staff #enhet command alike.
// A case always records the unit's Name.
func (us Units) Index(name string) (int, bool) {
	name = strings.TrimSpace(name)
	for i, u := range us {
		if strings.EqualFold(u.Name, name) {
			return i, true
		}
	}
	for i, u := range us {
		for _, a := range u.Aliases {
			if strings.EqualFold(a, name) {
				return i, true
			}
		}
	}
	return 0, false
}

// ByName returns the unit Index finds.
func (us Units) ByName(name string) (Unit, bool) {
	i, ok := us.Index(name)
	if !ok {
		return Unit{}, false
	}
	return us[i], true
}

// Domains are the organisation's own mail domains.
type Domains []string

// Own reports whether addr is in one of the domains or a subdomain of one,
// case-insensitively. It says nothing about who sent a message: a From
// address can be forged (staff is decided from authentication).
func (ds Domains) Own(addr string) bool {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return false
	}
	d := strings.ToLower(addr[at+1:])
	for _, o := range ds {
		o = strings.ToLower(o)
		if d == o || strings.HasSuffix(d, "."+o) {
			return true
		}
	}
	return false
}

// Default returns the unit marked default, or the zero Unit.
func (us Units) Default() Unit {
	for _, u := range us {
		if u.Default {
			return u
		}
	}
	return Unit{}
}
