package lifecycle

import (
	"testing"
	"time"
)

func TestDigestDue(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	tests := []struct {
		name      string
		last, now string // "" last: never sent
		at        string
		want      bool
	}{
		{"before time", "", "2026-01-14 07:29", "07:30", false},
		{"at time, never sent", "", "2026-01-14 07:30", "07:30", true},
		{"sent today", "2026-01-14 07:30", "2026-01-14 12:00", "07:30", false},
		{"sent yesterday", "2026-01-13 07:31", "2026-01-14 07:30", "07:30", true},
		{"sent early today, before the time", "2026-01-14 06:00", "2026-01-14 07:30", "07:30", true},
		{"saturday", "2026-01-16 07:30", "2026-01-17 09:00", "07:30", false},
		{"sunday evening", "2026-01-16 07:30", "2026-01-18 23:59", "07:30", false},
		{"monday before time", "2026-01-16 07:30", "2026-01-19 07:29", "07:30", false},
		{"monday", "2026-01-16 07:30", "2026-01-19 07:30", "07:30", true},
		{"down for days", "2026-01-14 07:30", "2026-01-19 13:00", "07:30", true},
		{"caught up", "2026-01-19 13:00", "2026-01-19 16:00", "07:30", false},
		{"långfredagen", "2026-04-02 07:30", "2026-04-03 08:00", "07:30", false},
		{"annandag påsk", "2026-04-02 07:30", "2026-04-06 08:00", "07:30", false},
		{"after easter", "2026-04-02 07:30", "2026-04-07 07:30", "07:30", true},
		{"midsommarafton", "2026-06-18 07:30", "2026-06-19 08:00", "07:30", false},
		{"summer closing", "2026-07-03 07:30", "2026-07-15 08:00", "07:30", false},
		{"after summer closing", "2026-07-03 07:30", "2026-08-03 08:00", "07:30", true},
		{"julafton", "2026-12-23 07:30", "2026-12-24 08:00", "07:30", false},
		{"after DST change", "2026-03-27 07:30", "2026-03-30 07:30", "07:30", true},
		{"midnight digest", "2026-01-13 00:00", "2026-01-14 00:00", "00:00", true},
		{"bad time", "", "2026-01-14 12:00", "7:30", false},
		{"bad hour", "", "2026-01-14 12:00", "24:00", false},
		{"bad minute", "", "2026-01-14 12:00", "07:60", false},
		{"sign", "", "2026-01-14 12:00", "+7:30", false},
		{"empty", "", "2026-01-14 12:00", "", false},
	}
	for _, tt := range tests {
		var last time.Time
		if tt.last != "" {
			last = at(t, tt.last)
		}
		if got := p.DigestDue(last, at(t, tt.now), tt.at); got != tt.want {
			t.Errorf("%s: DigestDue(%s, %s, %q) = %v, want %v", tt.name, tt.last, tt.now, tt.at, got, tt.want)
		}
	}
}

func TestDigestDueUTC(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	last := time.Date(2026, 1, 13, 6, 30, 0, 0, time.UTC) // Tuesday 07:30 CET
	if p.DigestDue(last, time.Date(2026, 1, 14, 6, 29, 0, 0, time.UTC), "07:30") {
		t.Errorf("DigestDue(_, 06:29 UTC = 07:29 CET, 07:30) = true, want false")
	}
	if !p.DigestDue(last, time.Date(2026, 1, 14, 6, 30, 0, 0, time.UTC), "07:30") {
		t.Errorf("DigestDue(_, 06:30 UTC = 07:30 CET, 07:30) = false, want true")
	}
	if p.DigestDue(last, time.Date(2026, 1, 16, 23, 30, 0, 0, time.UTC), "07:30") {
		t.Errorf("DigestDue(_, Fri 23:30 UTC = Sat 00:30 CET, 07:30) = true, want false")
	}
}

// TestDigestTicks runs a daemon that checks every 5 minutes for three weeks
// with an outage from Thursday to Monday noon: one digest per working day it
// was up, one on the Monday it came back, none on days off.
func TestDigestTicks(t *testing.T) {
	p := mustPolicy(t, testDeadlines(), testUnits())
	down, up := at(t, "2026-01-15 06:00"), at(t, "2026-01-19 12:00")
	var last time.Time
	sent := map[string]int{}
	for now := at(t, "2026-01-12 00:00"); now.Before(at(t, "2026-02-02 00:00")); now = now.Add(5 * time.Minute) {
		if !now.Before(down) && now.Before(up) {
			continue
		}
		if p.DigestDue(last, now, "07:30") {
			sent[now.Format("Mon 2006-01-02 15:04")]++
			last = now
		}
	}
	want := map[string]int{
		"Mon 2026-01-12 07:30": 1, "Tue 2026-01-13 07:30": 1, "Wed 2026-01-14 07:30": 1,
		"Mon 2026-01-19 12:00": 1, "Tue 2026-01-20 07:30": 1, "Wed 2026-01-21 07:30": 1, "Thu 2026-01-22 07:30": 1, "Fri 2026-01-23 07:30": 1,
		"Mon 2026-01-26 07:30": 1, "Tue 2026-01-27 07:30": 1, "Wed 2026-01-28 07:30": 1, "Thu 2026-01-29 07:30": 1, "Fri 2026-01-30 07:30": 1,
	}
	if len(sent) != len(want) {
		t.Errorf("digests sent %v, want %v", sent, want)
	}
	for k, n := range want {
		if sent[k] != n {
			t.Errorf("digests at %s = %d, want %d", k, sent[k], n)
		}
	}
}
