package health

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	descIntake = prometheus.NewDesc("synpunkt_intake_messages_total", "Messages taken in, by what became of them (the intake ledger).",
		[]string{"disposition"}, nil)
	descCases = prometheus.NewDesc("synpunkt_cases_opened_total", "Cases opened, by category and unit.", []string{"category", "unit"}, nil)
	descNotes = prometheus.NewDesc("synpunkt_notifications", "Notifications in the outbox by kind, channel and status (pending, sent, failed).",
		[]string{"kind", "channel", "status"}, nil)
	descOldest  = prometheus.NewDesc("synpunkt_outbox_oldest_unsent_age_seconds", "Age of the oldest pending notification; 0 when none.", nil, nil)
	descOverdue = prometheus.NewDesc("synpunkt_deadlines_overdue", "Open cases past a deadline, by deadline (first_response, final_answer).",
		[]string{"deadline"}, nil)
	descReconnects = prometheus.NewDesc("synpunkt_imap_reconnects_total", "IMAP sessions ended by a failure since the daemon started.", nil, nil)
	descConnected  = prometheus.NewDesc("synpunkt_imap_connected", "1 while an IMAP session is up and the mailbox is read.", nil, nil)
	descLastWait   = prometheus.NewDesc("synpunkt_imap_last_wait_timestamp_seconds", "When a pass over the mailbox last finished and IDLE or the poll began.", nil, nil)
	descToken      = prometheus.NewDesc("synpunkt_oauth2_token_fresh", "1 while the OAuth2 token is valid and its last refresh worked.", []string{"for"}, nil)
	descTokenExp   = prometheus.NewDesc("synpunkt_oauth2_token_expiry_timestamp_seconds", "When the OAuth2 token held expires.", []string{"for"}, nil)
	descPaused     = prometheus.NewDesc("synpunkt_channel_paused", "1 while the outbox has paused a channel after a channel fault.", []string{"channel"}, nil)
)

// collector reads the figures at scrape time.
type collector struct{ s *Server }

// descs are the metrics collector may send.
var descs = []*prometheus.Desc{descIntake, descCases, descNotes, descOldest, descOverdue,
	descReconnects, descConnected, descLastWait, descToken, descTokenExp, descPaused}

// Describe sends descs. Not prometheus.DescribeByCollect: that collects
// once when the collector is registered, and the store's counts read every
// case and ledger row (0.9 s of the daemon's start at 100,000 cases).
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range descs {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	src := c.s.src
	now := src.Now()
	if src.Store != nil {
		c.collectStore(ch, now)
	}
	if src.Intake != nil {
		if st, ok := src.Intake(); ok {
			ch <- prometheus.MustNewConstMetric(descReconnects, prometheus.CounterValue, float64(st.Reconnects))
			ch <- prometheus.MustNewConstMetric(descConnected, prometheus.GaugeValue, b2f(st.Connected))
			if !st.LastWait.IsZero() {
				ch <- prometheus.MustNewConstMetric(descLastWait, prometheus.GaugeValue, float64(st.LastWait.UnixMilli())/1000)
			}
		}
	}
	for name, t := range src.Tokens {
		st := t.Status()
		ch <- prometheus.MustNewConstMetric(descToken, prometheus.GaugeValue, b2f(st.Fresh), name)
		if !st.Expiry.IsZero() {
			ch <- prometheus.MustNewConstMetric(descTokenExp, prometheus.GaugeValue, float64(st.Expiry.Unix()), name)
		}
	}
	if src.Paused != nil {
		paused := map[string]bool{}
		for _, p := range src.Paused() {
			paused[p] = true
		}
		for _, name := range src.Channels {
			ch <- prometheus.MustNewConstMetric(descPaused, prometheus.GaugeValue, b2f(paused[name]), name)
		}
	}
}

func (c *collector) collectStore(ch chan<- prometheus.Metric, now time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	oc, err := c.s.src.Store.OpsCounts(ctx, now)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descIntake, err)
		return
	}
	for outcome, n := range oc.Intake {
		ch <- prometheus.MustNewConstMetric(descIntake, prometheus.CounterValue, float64(n), outcome)
	}
	for k, n := range oc.Cases {
		ch <- prometheus.MustNewConstMetric(descCases, prometheus.CounterValue, float64(n), k[0], k[1])
	}
	for k, n := range oc.Notifications {
		ch <- prometheus.MustNewConstMetric(descNotes, prometheus.GaugeValue, float64(n), k[0], k[1], k[2])
	}
	age := 0.0
	if !oc.OldestUnsent.IsZero() {
		age = max(now.Sub(oc.OldestUnsent).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(descOverdue, prometheus.GaugeValue, float64(oc.OverdueFirst), "first_response")
	ch <- prometheus.MustNewConstMetric(descOverdue, prometheus.GaugeValue, float64(oc.OverdueFinal), "final_answer")
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
