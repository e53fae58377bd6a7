package workday

import (
	"slices"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/se"
)

// Holiday is a Swedish public holiday or de facto day off on a given date.
type Holiday struct {
	Date Date
	Name string // Swedish, e.g. "Långfredagen"
	Eve  bool   // de facto day off (midsommarafton, julafton, nyårsafton), not a public holiday by law
}

// holidayRule pairs a rickar/cal rule (the date arithmetic) with our name.
// The names here replace rickar's: it spells "Kristi himmelsfärds dag" and
// "Första Maj".
type holidayRule struct {
	rule *cal.Holiday
	name string
	eve  bool
}

var (
	// nationaldagen has been a public holiday since 2005; rickar/cal has no
	// start year.
	nationaldagen = se.Nationaldagen.Clone(&cal.Holiday{StartYear: 2005})
	// annandagPingst was the public holiday nationaldagen replaced; rickar/cal
	// leaves it out.
	annandagPingst = aa.PentecostMonday.Clone(&cal.Holiday{Type: cal.ObservancePublic, EndYear: 2004})
)

// rules lists every day off the Swedish calendar knows, in calendar order.
// Påskdagen and pingstdagen are always Sundays and change no deadline, but
// reports list them as röda dagar; se.Holidays leaves them out.
var rules = []holidayRule{
	{se.Nyarsdagen, "Nyårsdagen", false},
	{se.TrettondedagJul, "Trettondedag jul", false},
	{se.Langfredagen, "Långfredagen", false},
	{se.Paskdagen, "Påskdagen", false},
	{se.AnnandagPask, "Annandag påsk", false},
	{se.ForstaMaj, "Första maj", false},
	{se.KristiHimmelfardsdag, "Kristi himmelfärds dag", false},
	{se.Pingstdagen, "Pingstdagen", false},
	{annandagPingst, "Annandag pingst", false},
	{nationaldagen, "Sveriges nationaldag", false},
	{se.Midsommarafton, "Midsommarafton", true},
	{se.Midsommardagen, "Midsommardagen", false},
	{se.AllaHelgonsDag, "Alla helgons dag", false},
	{se.Julafton, "Julafton", true},
	{se.Juldagen, "Juldagen", false},
	{se.AnnandagJul, "Annandag jul", false},
	{se.Nyarsafton, "Nyårsafton", true},
}

// holidays returns the holidays of year in date order, leaving out the eves
// unless withEves.
func holidays(year int, withEves bool) []Holiday {
	var hs []Holiday
	for _, r := range rules {
		if r.eve && !withEves {
			continue
		}
		// rickar/cal returns midnight in cal.DefaultLoc; only the date matters.
		actual, _ := r.rule.Calc(year)
		if actual.IsZero() {
			continue // not observed that year
		}
		hs = append(hs, Holiday{Date: DateOf(actual), Name: r.name, Eve: r.eve})
	}
	slices.SortStableFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}
