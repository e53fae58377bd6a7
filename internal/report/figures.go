package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// Statistics is a committee report: counts and times only, never a name,
// an address, a case number or a citizen's words (topics are single words
// many cases share; see Trends).
type Statistics struct {
	Organisation string    `json:"organisation"`
	Committee    string    `json:"committee"` // "" for all committees
	Period       string    `json:"period"`
	From         time.Time `json:"from"`
	To           time.Time `json:"to"` // exclusive
	Total        Figures   `json:"total"`
	// Units are the committee's units (all units without a committee).
	Units       []Group      `json:"units"`
	Categories  []Group      `json:"categories"`
	Channels    []Group      `json:"channels"`
	Months      []Month      `json:"months"`
	NotCases    NotCases     `json:"not_cases"`
	Trends      []Trend      `json:"trends"`
	Definitions []Definition `json:"definitions"`
}

// Group is the figures of one unit, category or channel.
type Group struct {
	Committee string  `json:"committee,omitempty"` // units only
	Name      string  `json:"name"`
	Figures   Figures `json:"figures"`
	// Months are the unit's month-by-month figures (units only).
	Months []Month `json:"months,omitempty"`
}

// Month is the figures of one calendar month, with the cases received per
// category.
type Month struct {
	Month      string         `json:"month"` // "2026-11"
	Figures    Figures        `json:"figures"`
	ByCategory map[string]int `json:"received_by_category"`
}

// Figures are the key figures of a set of cases over a period.
type Figures struct {
	Received  int `json:"received"`    // received in the period
	Closed    int `json:"closed"`      // closed in the period
	OpenAtEnd int `json:"open_at_end"` // received before the end and not closed by it
	// ClosedWithDeadline is how many of Closed had a final-answer
	// deadline, ClosedInTime how many of those closed by it.
	ClosedWithDeadline int      `json:"closed_with_deadline"`
	ClosedInTime       int      `json:"closed_in_time"`
	ShareInTime        *float64 `json:"share_in_time"` // ClosedInTime/ClosedWithDeadline; null without any
	// Times are working time on the Swedish calendar (24 hours per working
	// day): to receipt and first response in hours, to close in days.
	ToReceipt       Times `json:"to_receipt_hours"`
	ToFirstResponse Times `json:"to_first_response_hours"`
	ToClose         Times `json:"to_close_days"`
	Escalations     int   `json:"escalations"`
	Reopened        int   `json:"reopened"`
}

// Times is a median and 90th percentile; null without any value.
type Times struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	P90    *float64 `json:"p90"`
}

// NotCases counts the messages that opened no case (the whole mailbox,
// whatever the committee).
type NotCases struct {
	Excluded        map[string]int `json:"excluded_by_class"`
	AutoReplies     int            `json:"auto_replies"`
	FeedbackReports int            `json:"feedback_reports"`
	ReadReceipts    int            `json:"read_receipts"`
	Quarantine      int            `json:"quarantine"`
	Bounces         int            `json:"bounces"`
}

// Definition says in Swedish what a figure means.
type Definition struct {
	Term string `json:"term"`
	Text string `json:"text"`
}

// Definitions are written under the key figures and in the JSON.
var Definitions = []Definition{
	{"Inkomna", "Ärenden registrerade under perioden (mottagningstid enligt e-postservern eller registreringen)."},
	{"Avslutade", "Ärenden som avslutades under perioden, oavsett när de kom in."},
	{"Öppna vid periodens slut", "Ärenden som kommit in före periodens slut och inte var avslutade då."},
	{"Avslutade i tid", "Avslutade ärenden med frist för slutligt svar som avslutades senast vid fristen (normalt 10 arbetsdagar). Andelen räknas på avslutade ärenden med frist; ärenden som aldrig skickades vidare har ingen frist."},
	{"Tid till mottagningsbekräftelse", "Arbetstimmar från att synpunkten kom in till att bekräftelsen skickades. Median och 90:e percentil."},
	{"Tid till första svar", "Arbetstimmar från att synpunkten kom in till det första svaret (Svar) i ärendet, för ärenden inkomna under perioden."},
	{"Tid till avslut", "Arbetsdagar från att synpunkten kom in till avslut, för ärenden avslutade under perioden."},
	{"Arbetstid", "Räknas på den svenska kalendern: helger, helgdagar, midsommar-, jul- och nyårsafton och kommunens lediga dagar räknas inte; en arbetsdag är 24 timmar."},
	{"Eskaleringar, återöppnade", "Eskaleringar till chef och återöppnade ärenden under perioden."},
	{"Inte synpunkter", "Meddelanden till brevlådan som inte blev ärenden (hela brevlådan, alla nämnder): överlämnade per klass, automatiska svar, returmeddelanden, karantän."},
	{"Efterfrågan", "De ord som flest ärenden per enhet och månad använder i den avidentifierade beskrivningen (minst två ärenden), jämfört med föregående period."},
}

// Compute makes the statistics of period from cases (store.ReportCases
// over period and its previous period, for trends) and the not-case tallies.
func Compute(org, committee string, p Period, cases []store.ReportCase, tallies []store.IntakeTally, cal *workday.Calendar) *Statistics {
	s := &Statistics{Organisation: org, Committee: committee, Period: p.Label, From: p.From, To: p.To, Definitions: Definitions}
	months := p.Months()
	acc := newAccumulator(cal)
	for i := range cases {
		acc.add(&cases[i], p, months)
	}
	s.Total = acc.figures(key{})
	for _, u := range acc.names[dimUnit] {
		g := Group{Committee: acc.committee[u], Name: u, Figures: acc.figures(key{dimUnit, u, ""})}
		for _, m := range months {
			g.Months = append(g.Months, Month{Month: m.Label, Figures: acc.figures(key{dimUnit, u, m.Label}), ByCategory: acc.byCategory[key{dimUnit, u, m.Label}]})
		}
		s.Units = append(s.Units, g)
	}
	for _, c := range synpunkt.Categories {
		s.Categories = append(s.Categories, Group{Name: string(c), Figures: acc.figures(key{dimCategory, string(c), ""})})
	}
	for _, c := range synpunkt.Channels {
		s.Channels = append(s.Channels, Group{Name: string(c), Figures: acc.figures(key{dimChannel, string(c), ""})})
	}
	for _, m := range months {
		s.Months = append(s.Months, Month{Month: m.Label, Figures: acc.figures(key{"", "", m.Label}), ByCategory: acc.byCategory[key{"", "", m.Label}]})
	}
	s.NotCases = notCaseFigures(tallies)
	s.Trends = Trends(cases, p)
	return s
}

const (
	dimUnit     = "unit"
	dimCategory = "category"
	dimChannel  = "channel"
)

// key is one cell of the accumulator: a dimension and value ("" for the
// total) and a month ("" for the whole period).
type key struct{ dim, name, month string }

type bucket struct {
	f                          Figures
	receipt, first, closeTimes []float64
}

type accumulator struct {
	cal        *workday.Calendar
	buckets    map[key]*bucket
	byCategory map[key]map[string]int
	names      map[string][]string // dimension → values in order of appearance (units sorted later)
	committee  map[string]string   // unit → committee
}

func newAccumulator(cal *workday.Calendar) *accumulator {
	return &accumulator{cal: cal, buckets: map[key]*bucket{}, byCategory: map[key]map[string]int{}, names: map[string][]string{}, committee: map[string]string{}}
}

func (a *accumulator) bucket(k key) *bucket {
	b := a.buckets[k]
	if b == nil {
		b = &bucket{}
		a.buckets[k] = b
	}
	return b
}

// add counts one case into the period and each month, for the total and
// its unit, category and channel.
func (a *accumulator) add(c *store.ReportCase, p Period, months []Period) {
	if !c.ReceivedAt.Before(p.To) {
		return
	}
	if _, ok := a.committee[c.Unit]; !ok && touches(c, p) {
		a.committee[c.Unit] = c.Committee
		a.names[dimUnit] = append(a.names[dimUnit], c.Unit)
		sort.Strings(a.names[dimUnit])
	}
	t := a.timesOf(c)
	dims := []key{{}, {dimUnit, c.Unit, ""}, {dimCategory, string(c.Category), ""}, {dimChannel, string(c.Channel), ""}}
	for _, d := range dims {
		a.count(d, c, p, t)
		for _, m := range months {
			if d.dim == dimCategory || d.dim == dimChannel {
				continue // months per total and per unit only
			}
			mk := key{d.dim, d.name, m.Label}
			a.count(mk, c, m, t)
			if in(c.ReceivedAt, m) {
				if a.byCategory[mk] == nil {
					a.byCategory[mk] = map[string]int{}
				}
				a.byCategory[mk][string(c.Category)]++
			}
		}
	}
}

// touches reports whether c counts in p at all (received, closed or open
// in it).
func touches(c *store.ReportCase, p Period) bool {
	return c.ReceivedAt.Before(p.To) && (c.ClosedAt.IsZero() || !c.ClosedAt.Before(p.From))
}

// caseTimes are a case's working times, computed once: -1 when missing.
type caseTimes struct{ receipt, first, close float64 }

func (a *accumulator) timesOf(c *store.ReportCase) caseTimes {
	t := caseTimes{-1, -1, -1}
	if !c.ReceiptAt.IsZero() {
		t.receipt = a.cal.WorkingHoursBetween(c.ReceivedAt, c.ReceiptAt).Hours()
	}
	if !c.FirstResponseAt.IsZero() {
		t.first = a.cal.WorkingHoursBetween(c.ReceivedAt, c.FirstResponseAt).Hours()
	}
	if !c.ClosedAt.IsZero() {
		t.close = a.cal.WorkingHoursBetween(c.ReceivedAt, c.ClosedAt).Hours() / 24
	}
	return t
}

func in(t time.Time, p Period) bool { return !t.Before(p.From) && t.Before(p.To) }

// count adds c to bucket k for period p.
func (a *accumulator) count(k key, c *store.ReportCase, p Period, t caseTimes) {
	if !touches(c, p) {
		return
	}
	b := a.bucket(k)
	if in(c.ReceivedAt, p) {
		b.f.Received++
		if t.receipt >= 0 {
			b.receipt = append(b.receipt, t.receipt)
		}
		if t.first >= 0 {
			b.first = append(b.first, t.first)
		}
	}
	if !c.ClosedAt.IsZero() && in(c.ClosedAt, p) {
		b.f.Closed++
		b.closeTimes = append(b.closeTimes, t.close)
		if !c.FinalDue.IsZero() {
			b.f.ClosedWithDeadline++
			if !c.ClosedAt.After(c.FinalDue) {
				b.f.ClosedInTime++
			}
		}
	}
	if c.ClosedAt.IsZero() || !c.ClosedAt.Before(p.To) {
		b.f.OpenAtEnd++
	}
	for _, e := range c.Escalations {
		if in(e, p) {
			b.f.Escalations++
		}
	}
	for _, r := range c.Reopenings {
		if in(r, p) {
			b.f.Reopened++
		}
	}
}

// figures finishes bucket k: shares and percentiles.
func (a *accumulator) figures(k key) Figures {
	b := a.buckets[k]
	if b == nil {
		return Figures{ToReceipt: Times{}, ToFirstResponse: Times{}, ToClose: Times{}}
	}
	f := b.f
	if f.ClosedWithDeadline > 0 {
		share := float64(f.ClosedInTime) / float64(f.ClosedWithDeadline)
		f.ShareInTime = &share
	}
	f.ToReceipt, f.ToFirstResponse, f.ToClose = times(b.receipt), times(b.first), times(b.closeTimes)
	return f
}

// times returns the median and 90th percentile of vs (nearest rank),
// rounded to one decimal.
func times(vs []float64) Times {
	t := Times{N: len(vs)}
	if len(vs) == 0 {
		return t
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	med := round1(percentile(s, 50))
	p90 := round1(percentile(s, 90))
	t.Median, t.P90 = &med, &p90
	return t
}

// percentile is the nearest-rank percentile of sorted s: the smallest
// value with at least pct % of the values at or below it. The median of an
// even count is the mean of the middle two.
func percentile(s []float64, pct int) float64 {
	if pct == 50 && len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	rank := int(math.Ceil(float64(pct) / 100 * float64(len(s))))
	return s[max(rank, 1)-1]
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// notCaseFigures sums the tallies over the period.
func notCaseFigures(ts []store.IntakeTally) NotCases {
	n := NotCases{Excluded: map[string]int{}}
	for _, t := range ts {
		switch t.Outcome {
		case store.OutcomeExcluded:
			n.Excluded[t.Class] += t.Count
		case store.OutcomeAutoReply:
			n.AutoReplies += t.Count
		case store.OutcomeFeedbackReport:
			n.FeedbackReports += t.Count
		case store.OutcomeReadReceipt:
			n.ReadReceipts += t.Count
		case store.OutcomeQuarantine:
			n.Quarantine += t.Count
		case store.OutcomeBounce:
			n.Bounces += t.Count
		}
	}
	return n
}

// Build reads the statistics of committee ("" for all) over p from st.
// The cases reach back one period, for the trends' comparison.
func Build(ctx context.Context, st *store.Store, org, committee string, p Period, cal *workday.Calendar) (*Statistics, error) {
	prev := p.Previous()
	cases, err := st.ReportCases(ctx, committee, prev.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("statistics %s: %w", p.Label, err)
	}
	tallies, err := st.NotCaseCounts(ctx, p.From, p.To, stockholm)
	if err != nil {
		return nil, fmt.Errorf("statistics %s: %w", p.Label, err)
	}
	return Compute(org, committee, p, cases, tallies, cal), nil
}
