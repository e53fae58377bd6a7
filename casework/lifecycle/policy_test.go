package lifecycle

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
)

func TestDeadlines(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	tests := []struct {
		name       string
		unit       string
		cat        synpunkt.DocType
		received   string
		first, fin string
	}{
		{"weekday", "Kontaktcenter", synpunkt.DocKlagomal, "2026-01-14 10:00", "Fri 2026-01-16 10:00 CET", "Wed 2026-01-28 10:00 CET"},
		{"friday afternoon", "Kontaktcenter", synpunkt.DocFraga, "2026-01-16 15:00", "Tue 2026-01-20 15:00 CET", "Fri 2026-01-30 15:00 CET"},
		{"saturday", "Kontaktcenter", synpunkt.DocBerom, "2026-01-17 10:00", "Wed 2026-01-21 00:00 CET", "Mon 2026-02-02 00:00 CET"},
		{"skärtorsdagen", "Kontaktcenter", synpunkt.DocKlagomal, "2026-04-02 12:00", "Wed 2026-04-08 12:00 CEST", "Mon 2026-04-20 12:00 CEST"},
		{"långfredagen", "Kontaktcenter", synpunkt.DocKlagomal, "2026-04-03 09:00", "Thu 2026-04-09 00:00 CEST", "Tue 2026-04-21 00:00 CEST"},
		{"annandag påsk", "Kontaktcenter", synpunkt.DocKlagomal, "2026-04-06 23:59", "Thu 2026-04-09 00:00 CEST", "Tue 2026-04-21 00:00 CEST"},
		{"midsommar", "Kontaktcenter", synpunkt.DocKlagomal, "2026-06-18 10:00", "Tue 2026-06-23 10:00 CEST", "Fri 2026-07-03 10:00 CEST"},
		{"christmas", "Kontaktcenter", synpunkt.DocKlagomal, "2026-12-23 10:00", "Tue 2026-12-29 10:00 CET", "Wed 2027-01-13 10:00 CET"},
		{"new year and trettondagen", "Kontaktcenter", synpunkt.DocKlagomal, "2026-12-30 10:00", "Tue 2027-01-05 10:00 CET", "Mon 2027-01-18 10:00 CET"},
		{"summer closing", "Kontaktcenter", synpunkt.DocKlagomal, "2026-07-03 15:00", "Tue 2026-08-04 15:00 CEST", "Fri 2026-08-14 15:00 CEST"},
		{"inside summer closing", "Kontaktcenter", synpunkt.DocKlagomal, "2026-07-15 10:00", "Wed 2026-08-05 00:00 CEST", "Mon 2026-08-17 00:00 CEST"},
		{"override category", "Kontaktcenter", synpunkt.DocFelanmalan, "2026-01-14 10:00", "Thu 2026-01-15 10:00 CET", "Wed 2026-01-28 10:00 CET"},
		{"override unit", gata, synpunkt.DocKlagomal, "2026-01-14 10:00", "Fri 2026-01-16 10:00 CET", "Wed 2026-01-21 10:00 CET"},
		{"override unit+category over weekend", gata, synpunkt.DocFelanmalan, "2026-01-16 20:00", "Mon 2026-01-19 04:00 CET", "Fri 2026-01-23 20:00 CET"},
		{"override any letter case", "GATU- OCH PARKENHETEN", "felanmälan", "2026-01-16 20:00", "Mon 2026-01-19 04:00 CET", "Fri 2026-01-23 20:00 CET"},
		{"unknown unit gets category override", "Okänd enhet", synpunkt.DocFelanmalan, "2026-01-14 10:00", "Thu 2026-01-15 10:00 CET", "Wed 2026-01-28 10:00 CET"},
		{"utc input", "Kontaktcenter", synpunkt.DocKlagomal, "2026-01-14 10:00", "Fri 2026-01-16 10:00 CET", "Wed 2026-01-28 10:00 CET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			received := at(t, tt.received)
			if tt.name == "utc input" {
				received = received.UTC()
			}
			first, fin := p.Deadlines(tt.unit, tt.cat, received)
			if show(first) != tt.first || show(fin) != tt.fin {
				t.Errorf("Deadlines(%q, %q, %s) = %s, %s, want %s, %s", tt.unit, tt.cat, tt.received, show(first), show(fin), tt.first, tt.fin)
			}
			if first.Location().String() != "Europe/Stockholm" {
				t.Errorf("Deadlines(...) location = %v, want Europe/Stockholm", first.Location())
			}
		})
	}
}

func TestDeadlinesWithoutDaysOff(t *testing.T) {
	d := config.DefaultDeadlines()
	p := mustPolicy(t, d, testUnits())
	first, fin := p.Deadlines("Kontaktcenter", synpunkt.DocKlagomal, at(t, "2026-07-03 15:00"))
	if show(first) != "Tue 2026-07-07 15:00 CEST" || show(fin) != "Fri 2026-07-17 15:00 CEST" {
		t.Errorf("Deadlines(2026-07-03 15:00) = %s, %s, want Tue 2026-07-07 15:00 CEST, Fri 2026-07-17 15:00 CEST", show(first), show(fin))
	}
	if !p.Calendar().IsWorkday(at(t, "2026-07-15 10:00")) {
		t.Errorf("Calendar().IsWorkday(2026-07-15) = false without days_off, want true")
	}
	if mustPolicy(t, testDeadlines(), testUnits()).Calendar().IsWorkday(at(t, "2026-07-15 10:00")) {
		t.Errorf("Calendar().IsWorkday(2026-07-15) = true inside days_off, want false")
	}
}

func TestAddWorkingPartialHours(t *testing.T) {
	p := mustPolicy(t, config.DefaultDeadlines(), nil)
	tests := []struct {
		start string
		d     time.Duration
		want  string
	}{
		{"2026-01-14 10:00", 90 * time.Minute, "Wed 2026-01-14 11:30 CET"},
		{"2026-01-16 23:00", 90 * time.Minute, "Mon 2026-01-19 00:30 CET"},
		{"2026-01-16 23:45", 90 * time.Minute, "Mon 2026-01-19 01:15 CET"},
		{"2026-01-16 23:45", 15 * time.Minute, "Sat 2026-01-17 00:00 CET"},
		{"2026-01-17 10:00", 30 * time.Minute, "Mon 2026-01-19 00:30 CET"},
		{"2026-04-02 23:30", 25*time.Hour + 45*time.Minute, "Wed 2026-04-08 01:15 CEST"},
	}
	for _, tt := range tests {
		if got := p.addWorking(at(t, tt.start), tt.d); show(got) != tt.want {
			t.Errorf("addWorking(%s, %v) = %s, want %s", tt.start, tt.d, show(got), tt.want)
		}
	}
}

// TestAddWorkingConsistency checks addWorking against the calendar: exactly
// d of working time, and the earliest such instant.
func TestAddWorkingConsistency(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	cal := p.Calendar()
	rng := rand.New(rand.NewPCG(3, 4))
	lo, hi := at(t, "2025-12-01 00:00").Unix(), at(t, "2027-02-01 00:00").Unix()
	for range 3000 {
		start := time.Unix(lo+rng.Int64N(hi-lo), 0).In(stockholm)
		d := time.Duration(rng.IntN(60*24*12)) * time.Minute
		end := p.addWorking(start, d)
		if got := cal.WorkingHoursBetween(start, end); got != d {
			t.Fatalf("WorkingHoursBetween(%s, addWorking(_, %v) = %s) = %v", show(start), d, show(end), got)
		}
		if d > 0 && cal.WorkingHoursBetween(start, end.Add(-time.Second)) >= d {
			t.Fatalf("addWorking(%s, %v) = %s is not the earliest", show(start), d, show(end))
		}
	}
}

func TestNewPolicyErrors(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*config.Deadlines, *synpunkt.Units)
		field string
	}{
		{"bad days_off", func(d *config.Deadlines, _ *synpunkt.Units) {
			d.DaysOff = []string{"2026-05-15", "2026-07-31..2026-07-06"}
		}, "deadlines.days_off[1]"},
		{"zero first_response", func(d *config.Deadlines, _ *synpunkt.Units) { d.FirstResponse = hours(0) }, "deadlines.first_response"},
		{"zero final days", func(d *config.Deadlines, _ *synpunkt.Units) { d.FinalAnswerDays = 0 }, "deadlines.final_answer_days"},
		{"zero escalate_after", func(d *config.Deadlines, _ *synpunkt.Units) { d.EscalateAfter = hours(0) }, "deadlines.escalate_after"},
		{"bad digest_time", func(d *config.Deadlines, _ *synpunkt.Units) { d.DigestTime = "7:30" }, "deadlines.digest_time"},
		{"unknown unit", func(d *config.Deadlines, _ *synpunkt.Units) {
			d.Overrides = append(d.Overrides, config.DeadlineOverride{Unit: "Okänd", FinalAnswerDays: 3})
		}, "deadlines.overrides[3].unit"},
		{"unknown category", func(d *config.Deadlines, _ *synpunkt.Units) {
			d.Overrides[0].Category = "Svar"
		}, "deadlines.overrides[0].category"},
		{"duplicate override", func(d *config.Deadlines, _ *synpunkt.Units) {
			d.Overrides = append(d.Overrides, config.DeadlineOverride{Unit: "GATU- och parkenheten", FinalAnswerDays: 3})
		}, "deadlines.overrides[3]"},
		{"empty override", func(d *config.Deadlines, _ *synpunkt.Units) {
			d.Overrides = append(d.Overrides, config.DeadlineOverride{Unit: "Skola"})
		}, "deadlines.overrides[3]"},
		{"no selector", func(d *config.Deadlines, _ *synpunkt.Units) {
			d.Overrides = append(d.Overrides, config.DeadlineOverride{FinalAnswerDays: 3})
		}, "deadlines.overrides[3]"},
		{"negative override", func(d *config.Deadlines, _ *synpunkt.Units) { d.Overrides[1].FinalAnswerDays = -1 }, "deadlines.overrides[1]"},
		{"duplicate unit", func(_ *config.Deadlines, u *synpunkt.Units) {
			*u = append(*u, synpunkt.Unit{Name: "skola", Manager: skolaChef})
		}, "units[3].name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, units := testDeadlines(), testUnits()
			tt.edit(&d, &units)
			p, err := NewPolicy(d, units)
			var ve *config.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("NewPolicy() = %v, %v, want *config.ValidationError for %s", p, err, tt.field)
			}
		})
	}
}
