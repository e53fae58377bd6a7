package lifecycle

import (
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/workday"
)

var stockholm = workday.Stockholm

// at parses a local Stockholm time "2026-01-14 10:00".
func at(t testing.TB, s string) time.Time { return testkit.At(t, stockholm, s) }

func show(tm time.Time) string {
	if tm.IsZero() {
		return "zero"
	}
	return tm.In(stockholm).Format("Mon 2006-01-02 15:04 MST")
}

func hours(h float64) config.Duration {
	return config.Duration{Duration: time.Duration(h * float64(time.Hour))}
}

// Addresses of the test units.
const (
	gataChef   = "gata-chef@exempelby.se"
	sbfChef    = "sbf-chef@exempelby.se"
	kd         = "kommundirektor@exempelby.se"
	kcChef     = "kc-chef@exempelby.se"
	skolaChef  = "skola-chef@exempelby.se"
	skolaHandl = "skola-handlaggare@exempelby.se"
	rektorChef = "forvaltningschef@exempelby.se"
	gata       = "Gatu- och parkenheten"
)

func testUnits() synpunkt.Units {
	return synpunkt.Units{
		{Name: "Kontaktcenter", Committee: "KS", Manager: kcChef, Default: true},
		{Name: gata, Committee: "SBN", Manager: gataChef, EscalateTo: []string{sbfChef, kd}},
		{Name: "Skola", Committee: "BUN", Manager: skolaChef, Handler: skolaHandl, EscalateTo: []string{rektorChef}},
	}
}

// testDeadlines are the defaults plus a summer closing and three overrides.
func testDeadlines() config.Deadlines {
	d := config.DefaultDeadlines()
	d.DaysOff = []string{"2026-07-06..2026-07-31"}
	d.Overrides = []config.DeadlineOverride{
		{Category: "Felanmälan", FirstResponse: hours(24)},
		{Unit: gata, FinalAnswerDays: 5},
		{Unit: "gatu- och parkenheten", Category: "felanmälan", FirstResponse: hours(8)},
	}
	return d
}

func mustPolicy(t testing.TB, d config.Deadlines, units synpunkt.Units) *Policy {
	t.Helper()
	p, err := NewPolicy(d, units)
	if err != nil {
		t.Fatalf("NewPolicy: %v", err)
	}
	return p
}
