package workday

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/internal/testkit"
)

var stockholm = Stockholm

// at parses "2026-01-16 15:00" as Stockholm local time.
func at(t testing.TB, s string) time.Time { return testkit.At(t, stockholm, s) }

// show formats a result with its weekday and zone so failures read well.
func show(tm time.Time) string { return tm.Format("Mon 2006-01-02 15:04 MST") }

func mustPeriods(t testing.TB, ss ...string) []Period {
	t.Helper()
	var ps []Period
	for _, s := range ss {
		p, err := ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestAddWorkingHours(t *testing.T) {
	sweden := New(Options{})
	summer := New(Options{ExtraDaysOff: mustPeriods(t, "2026-07-06..2026-07-31", "2026-05-15")})
	eves := New(Options{EvesAreWorkdays: true})
	runAdd(t, "AddWorkingHours", (*Calendar).AddWorkingHours, []addCase{
		{"weekday", sweden, "2026-01-14 10:00", 48, "Fri 2026-01-16 10:00 CET"},
		{"zero", sweden, "2026-01-17 10:00", 0, "Sat 2026-01-17 10:00 CET"},
		{"negative", sweden, "2026-01-14 10:00", -5, "Wed 2026-01-14 10:00 CET"},
		{"one hour", sweden, "2026-01-14 10:00", 1, "Wed 2026-01-14 11:00 CET"},
		{"friday afternoon", sweden, "2026-01-16 15:00", 48, "Tue 2026-01-20 15:00 CET"},
		{"friday rest of day", sweden, "2026-01-16 15:00", 9, "Sat 2026-01-17 00:00 CET"},
		{"friday rest of day +1", sweden, "2026-01-16 15:00", 10, "Mon 2026-01-19 01:00 CET"},
		{"saturday", sweden, "2026-01-17 10:00", 48, "Wed 2026-01-21 00:00 CET"},
		{"sunday", sweden, "2026-01-18 23:59", 48, "Wed 2026-01-21 00:00 CET"},
		{"monday midnight", sweden, "2026-01-19 00:00", 48, "Wed 2026-01-21 00:00 CET"},
		{"10 days", sweden, "2026-01-14 10:00", 240, "Wed 2026-01-28 10:00 CET"},
		{"trettondedag jul 2026", sweden, "2026-01-05 10:00", 24, "Wed 2026-01-07 10:00 CET"},
		{"easter 2026", sweden, "2026-04-02 12:00", 48, "Wed 2026-04-08 12:00 CEST"},
		{"easter 2026 långfredag", sweden, "2026-04-03 09:00", 48, "Thu 2026-04-09 00:00 CEST"},
		{"easter 2027 and DST", sweden, "2027-03-25 09:00", 48, "Wed 2027-03-31 09:00 CEST"},
		{"första maj 2026", sweden, "2026-04-30 10:00", 24, "Mon 2026-05-04 10:00 CEST"},
		{"kristi himmelfärd 2026", sweden, "2026-05-13 10:00", 24, "Fri 2026-05-15 10:00 CEST"},
		{"kristi himmelfärd 2026 klämdag", summer, "2026-05-13 10:00", 24, "Mon 2026-05-18 10:00 CEST"},
		{"kristi himmelfärd 2027", sweden, "2027-05-05 10:00", 24, "Fri 2027-05-07 10:00 CEST"},
		{"nationaldagen 2028 tuesday", sweden, "2028-06-05 10:00", 24, "Wed 2028-06-07 10:00 CEST"},
		{"nationaldagen 2026 saturday", sweden, "2026-06-05 10:00", 24, "Mon 2026-06-08 10:00 CEST"},
		{"midsommar 2026", sweden, "2026-06-18 10:00", 24, "Mon 2026-06-22 10:00 CEST"},
		{"midsommarafton workday", eves, "2026-06-18 10:00", 24, "Fri 2026-06-19 10:00 CEST"},
		{"christmas 2026", sweden, "2026-12-23 10:00", 48, "Tue 2026-12-29 10:00 CET"},
		{"christmas 2026 eves workdays", eves, "2026-12-23 10:00", 48, "Mon 2026-12-28 10:00 CET"},
		{"new year 2026/27", sweden, "2026-12-30 10:00", 48, "Tue 2027-01-05 10:00 CET"},
		{"new year and trettondagen", sweden, "2026-12-30 10:00", 72, "Thu 2027-01-07 10:00 CET"},
		{"summer closing", summer, "2026-07-03 15:00", 48, "Tue 2026-08-04 15:00 CEST"},
		{"inside summer closing", summer, "2026-07-15 10:00", 48, "Wed 2026-08-05 00:00 CEST"},
		{"DST spring 2026", sweden, "2026-03-27 10:00", 24, "Mon 2026-03-30 10:00 CEST"},
		{"DST autumn 2026", sweden, "2026-10-23 10:00", 24, "Mon 2026-10-26 10:00 CET"},
		{"alla helgons dag saturday", sweden, "2026-10-30 10:00", 24, "Mon 2026-11-02 10:00 CET"},
	})
}

func TestAddWorkingDays(t *testing.T) {
	sweden := New(Options{})
	summer := New(Options{ExtraDaysOff: mustPeriods(t, "2026-07-06..2026-07-31")})
	runAdd(t, "AddWorkingDays", (*Calendar).AddWorkingDays, []addCase{
		{"two weeks", sweden, "2026-01-14 10:00", 10, "Wed 2026-01-28 10:00 CET"},
		{"zero", sweden, "2026-01-17 10:00", 0, "Sat 2026-01-17 10:00 CET"},
		{"friday", sweden, "2026-01-16 15:00", 1, "Mon 2026-01-19 15:00 CET"},
		{"friday midnight", sweden, "2026-01-16 00:00", 1, "Mon 2026-01-19 00:00 CET"},
		{"saturday", sweden, "2026-01-17 10:00", 1, "Tue 2026-01-20 00:00 CET"},
		{"saturday 10", sweden, "2026-01-17 10:00", 10, "Mon 2026-02-02 00:00 CET"},
		{"easter 2026", sweden, "2026-04-01 10:00", 10, "Fri 2026-04-17 10:00 CEST"},
		{"easter 2027 and DST", sweden, "2027-03-24 10:00", 10, "Fri 2027-04-09 10:00 CEST"},
		{"kristi himmelfärd 2026", sweden, "2026-05-11 10:00", 5, "Tue 2026-05-19 10:00 CEST"},
		{"nationaldagen 2028", sweden, "2028-06-01 10:00", 10, "Fri 2028-06-16 10:00 CEST"},
		{"midsommar 2026", sweden, "2026-06-17 10:00", 10, "Thu 2026-07-02 10:00 CEST"},
		{"christmas 2026", sweden, "2026-12-23 10:00", 10, "Wed 2027-01-13 10:00 CET"},
		{"summer closing", summer, "2026-07-01 09:30", 10, "Wed 2026-08-12 09:30 CEST"},
		{"DST autumn 2026", sweden, "2026-10-23 10:00", 1, "Mon 2026-10-26 10:00 CET"},
	})
}

// addCase is one expectation of an Add method: from start, n hours or
// days on cal give want.
type addCase struct {
	name  string
	cal   *Calendar
	start string
	n     int
	want  string
}

// runAdd checks each case of tests against the Add method add named name.
func runAdd(t *testing.T, name string, add func(*Calendar, time.Time, int) time.Time, tests []addCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := add(tt.cal, at(t, tt.start), tt.n)
			if show(got) != tt.want {
				t.Errorf("%s(%s, %d) = %s, want %s", name, tt.start, tt.n, show(got), tt.want)
			}
		})
	}
}

func TestWorkingHoursBetween(t *testing.T) {
	c := New(Options{})
	tests := []struct {
		a, b string
		want time.Duration
	}{
		{"2026-01-16 15:00", "2026-01-20 15:00", 48 * time.Hour},
		{"2026-01-20 15:00", "2026-01-16 15:00", -48 * time.Hour},
		{"2026-01-17 10:00", "2026-01-18 20:00", 0},
		{"2026-01-17 10:00", "2026-01-19 00:30", 30 * time.Minute},
		{"2026-04-02 00:00", "2026-04-08 00:00", 48 * time.Hour},
		{"2026-03-27 10:00", "2026-03-30 10:00", 24 * time.Hour}, // DST weekend
		{"2026-01-14 10:00", "2026-01-14 10:00", 0},
	}
	for _, tt := range tests {
		if got := c.WorkingHoursBetween(at(t, tt.a), at(t, tt.b)); got != tt.want {
			t.Errorf("WorkingHoursBetween(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestConsistency checks WorkingHoursBetween against AddWorkingHours and
// AddWorkingDays from random starts over several years, working day or not.
func TestConsistency(t *testing.T) {
	cals := map[string]*Calendar{
		"sweden": New(Options{}),
		"summer": New(Options{ExtraDaysOff: mustPeriods(t, "2026-07-06..2026-07-31", "2027-07-05..2027-07-30", "2026-05-15")}),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	lo, hi := at(t, "2025-11-01 00:00").Unix(), at(t, "2028-02-01 00:00").Unix()
	for name, c := range cals {
		for range 2000 {
			start := time.Unix(lo+rng.Int64N(hi-lo), 0).In(stockholm)
			h := rng.IntN(24 * 30)
			end := c.AddWorkingHours(start, h)
			if got := c.WorkingHoursBetween(start, end); got != time.Duration(h)*time.Hour {
				t.Fatalf("%s: WorkingHoursBetween(%s, AddWorkingHours(_, %d) = %s) = %v", name, show(start), h, show(end), got)
			}
			if h > 0 && c.WorkingHoursBetween(start, end.Add(-time.Second)) >= time.Duration(h)*time.Hour {
				t.Fatalf("%s: AddWorkingHours(%s, %d) = %s is not the earliest", name, show(start), h, show(end))
			}
			n := h / 24
			endDays := c.AddWorkingDays(start, n)
			if got := c.WorkingHoursBetween(start, endDays); got != time.Duration(24*n)*time.Hour {
				t.Fatalf("%s: WorkingHoursBetween(%s, AddWorkingDays(_, %d) = %s) = %v", name, show(start), n, show(endDays), got)
			}
			if c.IsWorkday(start) && n > 0 {
				if endDays.Format("15:04:05") != start.Format("15:04:05") || !c.IsWorkday(endDays) {
					t.Fatalf("%s: AddWorkingDays(%s, %d) = %s, want same clock on a working day", name, show(start), n, show(endDays))
				}
			}
		}
	}
}

func TestIsWorkday(t *testing.T) {
	c := New(Options{ExtraDaysOff: []Period{{From: Date{2026, 7, 6}, To: Date{2026, 7, 31}, Name: "Sommarstängt"}}})
	tests := []struct {
		when string
		want bool
	}{
		{"2026-01-14 10:00", true},
		{"2026-01-17 10:00", false}, // Saturday
		{"2026-04-03 10:00", false}, // långfredagen
		{"2026-04-06 23:59", false}, // annandag påsk
		{"2026-04-07 00:00", true},
		{"2026-06-19 10:00", false}, // midsommarafton
		{"2026-07-03 23:59", true},
		{"2026-07-06 00:00", false}, // summer closing
		{"2026-07-31 12:00", false},
		{"2026-08-03 00:00", true},
		{"2026-12-24 10:00", false},
		{"2026-12-31 10:00", false},
		{"2028-06-06 10:00", false}, // nationaldagen, a Tuesday
	}
	for _, tt := range tests {
		if got := c.IsWorkday(at(t, tt.when)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.when, got, tt.want)
		}
	}
	// The day is decided in the calendar's Location, not the argument's.
	utc := time.Date(2026, 1, 16, 23, 30, 0, 0, time.UTC) // Saturday 00:30 in Stockholm
	if New(Options{}).IsWorkday(utc) {
		t.Errorf("IsWorkday(%s) = true, want false (Saturday in Stockholm)", utc)
	}
}

func TestHolidays2026(t *testing.T) {
	want := []string{
		"2026-01-01 Nyårsdagen",
		"2026-01-06 Trettondedag jul",
		"2026-04-03 Långfredagen",
		"2026-04-05 Påskdagen",
		"2026-04-06 Annandag påsk",
		"2026-05-01 Första maj",
		"2026-05-14 Kristi himmelfärds dag",
		"2026-05-24 Pingstdagen",
		"2026-06-06 Sveriges nationaldag",
		"2026-06-19 Midsommarafton (eve)",
		"2026-06-20 Midsommardagen",
		"2026-10-31 Alla helgons dag",
		"2026-12-24 Julafton (eve)",
		"2026-12-25 Juldagen",
		"2026-12-26 Annandag jul",
		"2026-12-31 Nyårsafton (eve)",
	}
	if got := format(New(Options{}).Holidays(2026)); !slices.Equal(got, want) {
		t.Errorf("Holidays(2026) = %q, want %q", got, want)
	}
	got := format(New(Options{EvesAreWorkdays: true}).Holidays(2026))
	if len(got) != len(want)-3 || slices.ContainsFunc(got, func(s string) bool { return len(s) > 5 && s[len(s)-5:] == "(eve)" }) {
		t.Errorf("Holidays(2026) with EvesAreWorkdays = %q, want no eves", got)
	}
}

func TestHolidaysOtherYears(t *testing.T) {
	tests := []struct {
		year int
		want []string // must be listed
		not  []string // must not be listed
	}{
		{2027, []string{"2027-03-26 Långfredagen", "2027-03-29 Annandag påsk", "2027-05-06 Kristi himmelfärds dag", "2027-06-25 Midsommarafton (eve)", "2027-11-06 Alla helgons dag"}, nil},
		{2008, []string{"2008-05-01 Första maj", "2008-05-01 Kristi himmelfärds dag"}, nil},
		{2004, []string{"2004-05-31 Annandag pingst"}, []string{"2004-06-06 Sveriges nationaldag"}},
		{2005, []string{"2005-06-06 Sveriges nationaldag"}, []string{"2005-05-16 Annandag pingst"}},
	}
	for _, tt := range tests {
		got := format(New(Options{}).Holidays(tt.year))
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Holidays(%d) = %q, want it to contain %q", tt.year, got, w)
			}
		}
		for _, n := range tt.not {
			if slices.Contains(got, n) {
				t.Errorf("Holidays(%d) = %q, want it not to contain %q", tt.year, got, n)
			}
		}
	}
}

func format(hs []Holiday) []string {
	var out []string
	for _, h := range hs {
		s := h.Date.String() + " " + h.Name
		if h.Eve {
			s += " (eve)"
		}
		out = append(out, s)
	}
	return out
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    Period
		wantErr bool
	}{
		{"2026-07-06..2026-07-31", Period{From: Date{2026, 7, 6}, To: Date{2026, 7, 31}}, false},
		{"2026-12-23", Period{From: Date{2026, 12, 23}, To: Date{2026, 12, 23}}, false},
		{" 2026-12-23 ", Period{From: Date{2026, 12, 23}, To: Date{2026, 12, 23}}, false},
		{"2026-12-31..2027-01-06", Period{From: Date{2026, 12, 31}, To: Date{2027, 1, 6}}, false},
		{"2026-07-31..2026-07-06", Period{}, true},
		{"2026-02-30", Period{}, true},
		{"2026-07-06..", Period{}, true},
		{"2026-07-06...2026-07-31", Period{}, true},
		{"6/7 2026", Period{}, true},
		{"", Period{}, true},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if tt.wantErr {
			if !errors.Is(err, ErrInvalidPeriod) {
				t.Errorf("ParsePeriod(%q) error = %v, want ErrInvalidPeriod", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
		if back, err := ParsePeriod(got.String()); err != nil || back != got {
			t.Errorf("ParsePeriod(%q) = %v, %v, want round trip of %v", got.String(), back, err, got)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	opt := Options{ExtraDaysOff: []Period{
		{From: Date{2026, 5, 15}, To: Date{2026, 5, 15}},
		{From: Date{2026, 7, 31}, To: Date{2026, 7, 6}},
	}}
	err := opt.Validate()
	if !errors.Is(err, ErrInvalidPeriod) || err.Error() != "ExtraDaysOff[1]: invalid period: 2026-07-31..2026-07-06: from is after to" {
		t.Errorf("Validate() = %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("New with an invalid period did not panic")
		}
	}()
	New(opt)
}

func TestCalendarIsImmutable(t *testing.T) {
	ps := mustPeriods(t, "2026-07-06..2026-07-31")
	c := New(Options{ExtraDaysOff: ps})
	ps[0] = Period{From: Date{2026, 1, 14}, To: Date{2026, 1, 14}}
	if !c.IsWorkday(at(t, "2026-01-14 10:00")) || c.IsWorkday(at(t, "2026-07-06 10:00")) {
		t.Error("changing Options.ExtraDaysOff after New changed the Calendar")
	}
}

func TestOtherLocation(t *testing.T) {
	// Day boundaries follow Location, not the zone of the argument.
	c := New(Options{Location: time.FixedZone("UTC+14", 14*3600)})
	start := time.Date(2026, 1, 16, 9, 0, 0, 0, time.UTC) // Friday 23:00 at UTC+14
	want := time.Date(2026, 1, 16, 10, 0, 0, 0, time.UTC) // Saturday 00:00 at UTC+14
	if got := c.AddWorkingHours(start, 1); !got.Equal(want) {
		t.Errorf("AddWorkingHours(%s, 1) = %s, want %s", start, got, want)
	}
	if c.Location().String() != "UTC+14" || New(Options{}).Location().String() != "Europe/Stockholm" {
		t.Error("Location() does not report the configured location")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := New(Options{ExtraDaysOff: mustPeriods(t, "2026-07-06..2026-07-31")})
	start := at(t, "2026-07-03 15:00")
	done := make(chan time.Time)
	for range 8 {
		go func() { done <- c.AddWorkingHours(start, 48) }()
	}
	for range 8 {
		if got := <-done; show(got) != "Tue 2026-08-04 15:00 CEST" {
			t.Errorf("AddWorkingHours = %s", show(got))
		}
	}
}

func TestWorkingDayWithClockChange(t *testing.T) {
	// Israel moves its clocks on a Friday (2026-03-27 02:00 → 03:00), a
	// working day here: it contributes its real 23 hours.
	jerusalem, err := time.LoadLocation("Asia/Jerusalem")
	if err != nil {
		t.Fatal(err)
	}
	c := New(Options{Location: jerusalem})
	start := time.Date(2026, 3, 26, 10, 0, 0, 0, jerusalem)
	if got, want := c.AddWorkingHours(start, 24), time.Date(2026, 3, 27, 11, 0, 0, 0, jerusalem); !got.Equal(want) {
		t.Errorf("AddWorkingHours(%s, 24) = %s, want %s", show(start), show(got), show(want))
	}
	if got, want := c.AddWorkingDays(start, 1), time.Date(2026, 3, 27, 10, 0, 0, 0, jerusalem); !got.Equal(want) {
		t.Errorf("AddWorkingDays(%s, 1) = %s, want %s", show(start), show(got), show(want))
	}
}
