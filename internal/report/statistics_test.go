package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

const (
	unitGata   = "Gatu- och parkenheten"
	unitKultur = "Kulturenheten"
	sbn        = "Samhällsbyggnadsnämnden"
	kfn        = "Kultur- och fritidsnämnden"
)

// at is a local time in November 2026 (or another month) in Stockholm.
func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, workday.Stockholm)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// fixtureCase is one case of the hand-counted fixture.
type fixtureCase struct {
	unit, committee, category, channel, description    string
	received, receipt, firstResponse, closed, finalDue time.Time
}

func mustOpenStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), store.Options{Now: func() time.Time { return at(12, 1, 8, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func exec(t *testing.T, st *store.Store, q string, args ...any) int64 {
	t.Helper()
	res, err := st.DB().Exec(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	id, _ := res.LastInsertId()
	return id
}

// insertCase writes a case, its sent receipt and its contact details
// (personal data the report must never show).
func insertCase(t *testing.T, st *store.Store, n int, c fixtureCase) int64 {
	t.Helper()
	status, closed := "open", any(nil)
	if !c.closed.IsZero() {
		status, closed = "closed", stamp(c.closed)
	}
	id := exec(t, st, `INSERT INTO cases(number, status, received_at, category, unit, committee, initiated_by, description, created_at,
		closed_at, final_due, first_response_at, channel) VALUES(?, ?, ?, ?, ?, ?, 'Privatperson', ?, ?, ?, ?, ?, ?)`,
		fmt.Sprintf("SYN-2026-%05d", n), status, stamp(c.received), c.category, c.unit, c.committee, c.description, stamp(c.received),
		closed, stamp(c.finalDue), stamp(c.firstResponse), c.channel)
	exec(t, st, "INSERT INTO contacts(case_id, email, phone) VALUES(?, ?, ?)", id, "anna.svensson@example.com", "+46701234567")
	if !c.receipt.IsZero() {
		exec(t, st, `INSERT INTO outbox(case_id, kind, channel, sender, recipient, payload, status, next_attempt_at, created_at, sent_at)
			VALUES(?, 'receipt', 'email', 'synpunkter@exempelby.se', 'anna.svensson@example.com', 'Hej Anna Svensson', 'sent', ?, ?, ?)`,
			id, stamp(c.received), stamp(c.received), stamp(c.receipt))
	}
	return id
}

func insertEvent(t *testing.T, st *store.Store, caseID int64, kind string, when time.Time) {
	t.Helper()
	exec(t, st, "INSERT INTO events(case_id, at, actor, kind, detail) VALUES(?, ?, 'synpunkt', ?, 'till anna.svensson@example.com')", caseID, stamp(when), kind)
}

func insertIntake(t *testing.T, st *store.Store, key, outcome, reason string, when time.Time) {
	t.Helper()
	exec(t, st, "INSERT INTO intake(idem_key, source, received_at, outcome, reason, raw_sha256, raw) VALUES(?, 'test', ?, ?, ?, 'x', 'From: Anna Svensson')",
		key, stamp(when), outcome, reason)
}

// fixture is a small database whose November 2026 figures are counted
// by hand in TestStatisticsHandCount.
func fixture(t *testing.T) *store.Store {
	st := mustOpenStore(t)
	cases := []fixtureCase{
		// 1: in time; receipt 1 h, first response 24 h, closed after 5 working days.
		{unitGata, sbn, "Klagomål", "e-post", "Snöröjning saknas på gångvägen vid skolan. Ring [telefon].",
			at(11, 2, 9, 0), at(11, 2, 10, 0), at(11, 3, 9, 0), at(11, 9, 9, 0), at(11, 16, 9, 0)},
		// 2: late; Friday 15:00, receipt 2 h, first response Monday 15:00 (24 working hours), closed after 16 working days.
		{unitGata, sbn, "Klagomål", "telefon", "Ingen snöröjning, gångvägen är hal. Anna Svensson",
			at(11, 6, 15, 0), at(11, 6, 17, 0), at(11, 9, 15, 0), at(11, 30, 15, 0), at(11, 20, 15, 0)},
		// 3: still open; receipt after 30 minutes.
		{unitKultur, kfn, "Beröm", "e-post", "Tack för konserten i biblioteket.",
			at(11, 10, 10, 0), at(11, 10, 10, 30), time.Time{}, time.Time{}, at(11, 24, 10, 0)},
		// 4: October case closed late in November: 11 working days.
		{unitGata, sbn, "Felanmälan", "e-tjänst", "Snöröjning behövs vid gångvägen",
			at(10, 20, 10, 0), time.Time{}, time.Time{}, at(11, 4, 10, 0), at(11, 3, 10, 0)},
		// 5: October, closed in October: not in November.
		{unitKultur, kfn, "Fråga", "brev", "Öppettider för biblioteket",
			at(10, 5, 10, 0), time.Time{}, time.Time{}, at(10, 9, 10, 0), at(10, 19, 10, 0)},
		// 6: December: after the period.
		{unitGata, sbn, "Klagomål", "e-post", "Snöröjning igen", at(12, 1, 7, 0), time.Time{}, time.Time{}, time.Time{}, time.Time{}},
		// 7: never forwarded (no deadline), closed after 3 working days, no receipt.
		{unitGata, sbn, "Förslag", "e-post", "Förslag om fler bänkar i parken",
			at(11, 20, 10, 0), time.Time{}, time.Time{}, at(11, 25, 10, 0), time.Time{}},
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = insertCase(t, st, i+1, c)
	}
	insertEvent(t, st, ids[3], "escalation", at(11, 2, 8, 0))
	insertEvent(t, st, ids[3], "escalation", at(10, 30, 8, 0)) // October: not counted
	insertEvent(t, st, ids[0], "reopened", at(11, 5, 8, 0))
	insertIntake(t, st, "a", "excluded", "upphandling", at(11, 3, 8, 0))
	insertIntake(t, st, "b", "excluded", "upphandling", at(11, 4, 8, 0))
	insertIntake(t, st, "c", "excluded", "upphandling", at(10, 4, 8, 0)) // October
	insertIntake(t, st, "d", "auto_reply", "Automatiskt svar från Anna Svensson", at(11, 5, 8, 0))
	insertIntake(t, st, "e", "bounce", "", at(11, 5, 9, 0))
	insertIntake(t, st, "f", "quarantine", "trasig MIME från anna.svensson@example.com", at(11, 6, 9, 0))
	return st
}

func buildFixture(t *testing.T, committee string, p Period) *Statistics {
	t.Helper()
	s, err := Build(context.Background(), fixture(t), "Exempelby kommun", committee, p, workday.New(workday.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fp(v float64) *float64 { return &v }

func eqOpt(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return fmt.Sprintf("%.4f", *a) == fmt.Sprintf("%.4f", *b)
}

func checkFigures(t *testing.T, what string, got, want Figures) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if got.Received != want.Received || got.Closed != want.Closed || got.OpenAtEnd != want.OpenAtEnd ||
		got.ClosedWithDeadline != want.ClosedWithDeadline || got.ClosedInTime != want.ClosedInTime || !eqOpt(got.ShareInTime, want.ShareInTime) ||
		!eqTimes(got.ToReceipt, want.ToReceipt) || !eqTimes(got.ToFirstResponse, want.ToFirstResponse) || !eqTimes(got.ToClose, want.ToClose) ||
		got.Escalations != want.Escalations || got.Reopened != want.Reopened {
		t.Errorf("%s:\n got  %s\n want %s", what, g, w)
	}
}

func eqTimes(a, b Times) bool { return a.N == b.N && eqOpt(a.Median, b.Median) && eqOpt(a.P90, b.P90) }

// TestStatisticsHandCount checks the November 2026 figures of the fixture
// against a count by hand (the comments in fixture).
func TestStatisticsHandCount(t *testing.T) {
	s := buildFixture(t, "", MonthPeriod(2026, time.November))
	checkFigures(t, "total", s.Total, Figures{
		Received: 4, Closed: 4, OpenAtEnd: 1, ClosedWithDeadline: 3, ClosedInTime: 1, ShareInTime: fp(1.0 / 3),
		ToReceipt:       Times{N: 3, Median: fp(1), P90: fp(2)},   // 0.5, 1, 2 h
		ToFirstResponse: Times{N: 2, Median: fp(24), P90: fp(24)}, // 24, 24 h
		ToClose:         Times{N: 4, Median: fp(8), P90: fp(16)},  // 3, 5, 11, 16 days
		Escalations:     1, Reopened: 1,
	})
	if len(s.Units) != 2 || s.Units[0].Name != unitGata || s.Units[1].Name != unitKultur {
		t.Fatalf("units = %+v", s.Units)
	}
	checkFigures(t, "Gata", s.Units[0].Figures, Figures{
		Received: 3, Closed: 4, OpenAtEnd: 0, ClosedWithDeadline: 3, ClosedInTime: 1, ShareInTime: fp(1.0 / 3),
		ToReceipt: Times{N: 2, Median: fp(1.5), P90: fp(2)}, ToFirstResponse: Times{N: 2, Median: fp(24), P90: fp(24)},
		ToClose: Times{N: 4, Median: fp(8), P90: fp(16)}, Escalations: 1, Reopened: 1,
	})
	checkFigures(t, "Kultur", s.Units[1].Figures, Figures{
		Received: 1, OpenAtEnd: 1, ToReceipt: Times{N: 1, Median: fp(0.5), P90: fp(0.5)},
	})
	byName := map[string]Figures{}
	for _, g := range append(s.Categories, s.Channels...) {
		byName[g.Name] = g.Figures
	}
	for name, want := range map[string][2]int{ // received, closed
		"Klagomål": {2, 2}, "Beröm": {1, 0}, "Felanmälan": {0, 1}, "Förslag": {1, 1}, "Fråga": {0, 0},
		"e-post": {3, 2}, "telefon": {1, 1}, "e-tjänst": {0, 1}, "brev": {0, 0},
	} {
		if got := byName[name]; got.Received != want[0] || got.Closed != want[1] {
			t.Errorf("%s: received %d closed %d, want %d %d", name, got.Received, got.Closed, want[0], want[1])
		}
	}
	if len(s.Months) != 1 || s.Months[0].Month != "2026-11" || s.Months[0].ByCategory["Klagomål"] != 2 || s.Months[0].Figures.Received != 4 {
		t.Errorf("months = %+v", s.Months)
	}
	n := s.NotCases
	if n.Excluded["upphandling"] != 2 || n.AutoReplies != 1 || n.Bounces != 1 || n.Quarantine != 1 || n.ReadReceipts != 0 {
		t.Errorf("not cases = %+v", n)
	}
}

// TestStatisticsCommittee: a committee's report has only its units.
func TestStatisticsCommittee(t *testing.T) {
	s := buildFixture(t, kfn, MonthPeriod(2026, time.November))
	if len(s.Units) != 1 || s.Units[0].Name != unitKultur || s.Total.Received != 1 || s.Total.OpenAtEnd != 1 {
		t.Errorf("committee %s: units %+v total %+v", kfn, s.Units, s.Total)
	}
}

// TestStatisticsQuarter: a quarter has its months, and figures per month
// add up to the quarter's.
func TestStatisticsQuarter(t *testing.T) {
	s := buildFixture(t, "", QuarterPeriod(2026, 4))
	if len(s.Months) != 3 || s.Months[0].Month != "2026-10" || s.Months[2].Month != "2026-12" {
		t.Fatalf("months = %+v", s.Months)
	}
	sum := 0
	for _, m := range s.Months {
		sum += m.Figures.Received
	}
	if sum != 7 || s.Total.Received != 7 || s.Months[0].Figures.Received != 2 || s.Months[2].Figures.Received != 1 {
		t.Errorf("received per month %d %d %d, total %d; want 2 4 1, 7", s.Months[0].Figures.Received, s.Months[1].Figures.Received, s.Months[2].Figures.Received, s.Total.Received)
	}
	if s.Total.Escalations != 2 || s.Months[0].Figures.Escalations != 1 {
		t.Errorf("escalations %d (October %d), want 2 (1)", s.Total.Escalations, s.Months[0].Figures.Escalations)
	}
}

// TestTrends: topics are words many cases share, never capitalised words
// inside a sentence (names) or placeholders, marked against the month
// before.
func TestTrends(t *testing.T) {
	s := buildFixture(t, "", MonthPeriod(2026, time.November))
	var gata *Trend
	for i := range s.Trends {
		if s.Trends[i].Unit == unitGata && s.Trends[i].Month == "2026-11" {
			gata = &s.Trends[i]
		}
	}
	if gata == nil {
		t.Fatalf("no trend for %s 2026-11: %+v", unitGata, s.Trends)
	}
	got := map[string]Topic{}
	for _, tp := range gata.Topics {
		got[tp.Term] = tp
	}
	if tp := got["snöröjning"]; tp.Cases != 2 || tp.Previous != 1 || tp.Direction != "ökar" {
		t.Errorf("snöröjning = %+v, want 2 cases, 1 before, ökar", tp)
	}
	if tp := got["gångvägen"]; tp.Cases != 2 || tp.Direction != "ökar" {
		t.Errorf("gångvägen = %+v, want 2 cases, ökar", tp)
	}
	for term := range got {
		for _, bad := range []string{"anna", "svensson", "telefon", "bänkar"} { // name, placeholder, one case only
			if term == bad || bytes.Contains([]byte(term), []byte(bad)) {
				t.Errorf("topic %q shown", term)
			}
		}
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Snöröjning saknas på gångvägen.", "snöröjning,snöröjning saknas,saknas,gångvägen"},
		{"Hej! Anna Svensson ringer om [telefon] 070-1234567", "ringer"},
		{"Skriv till anna@example.com om parkeringen", "skriv,parkeringen"},
		{"SVT och McDonald", ""},
	}
	for _, tt := range tests {
		got := fmt.Sprint(Terms(tt.in))
		want := fmt.Sprint(splitNonEmpty(tt.want))
		if got != want {
			t.Errorf("Terms(%q) = %s, want %s", tt.in, got, want)
		}
	}
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range bytes.Split([]byte(s), []byte(",")) {
		out = append(out, string(p))
	}
	return out
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]string{"2026-11": "2026-11 2026-11-01 2026-12-01", "2026-Q4": "2026-Q4 2026-10-01 2027-01-01", "2026": "2026 2026-01-01 2027-01-01"} {
		p, err := ParsePeriod(in)
		if err != nil {
			t.Fatalf("ParsePeriod(%q): %v", in, err)
		}
		if got := p.Label + " " + p.From.Format("2006-01-02") + " " + p.To.Format("2006-01-02"); got != want {
			t.Errorf("ParsePeriod(%q) = %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{"", "26-11", "2026-13", "2026-Q5", "2026-11-01", "nov"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) = nil error", bad)
		}
	}
	if p := MonthPeriod(2026, time.January).Previous(); p.Label != "2025-12" {
		t.Errorf("previous of 2026-01 = %s", p.Label)
	}
	if p := QuarterPeriod(2026, 1).Previous(); p.Label != "2025-Q4" {
		t.Errorf("previous of 2026-Q1 = %s", p.Label)
	}
}
