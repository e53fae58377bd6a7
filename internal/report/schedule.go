package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"

	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// Schedule sends the configured [[reports]] to the committees: the report
// of each period goes out through the outbox on the first working day
// after it, once per committee and period however often the daemon
// restarts (the delivery is recorded in the same transaction as the
// enqueue). Only the latest finished period is sent: after a long
// downtime the missed ones are not caught up, the report command makes
// them.
type Schedule struct {
	deps ScheduleDeps
}

// ScheduleDeps is what a Schedule needs.
type ScheduleDeps struct {
	Store        *store.Store
	Composer     *notify.Composer
	Reports      []config.Report // validated
	Organisation string
	Calendar     *workday.Calendar
	Now          func() time.Time // nil: time.Now
	Log          *slog.Logger     // nil: slog.Default
	OnCommit     func()           // called after a report is queued (the outbox kick); may be nil
}

// NewSchedule returns the schedule of deps.Reports.
func NewSchedule(deps ScheduleDeps) *Schedule {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	deps.Log = deps.Log.With("component", "reports")
	return &Schedule{deps: deps}
}

// Run queues every report due at now and returns how many it queued.
func (s *Schedule) Run(ctx context.Context, now time.Time) (int, error) {
	n := 0
	for _, r := range s.deps.Reports {
		sent, err := s.one(ctx, r, now)
		if err != nil {
			return n, fmt.Errorf("report to %s: %w", r.Committee, err)
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// Due returns the period whose report r is due at now, if any: the
// latest finished period, from the first working day after it.
func (s *Schedule) Due(r config.Report, now time.Time) (Period, bool) {
	p := LastComplete(r.Every, now)
	day := workday.DateOf(p.To.In(s.deps.Calendar.Location()))
	for !s.deps.Calendar.IsWorkDate(day) {
		day = day.AddDays(1)
	}
	return p, !now.Before(day.Midnight(s.deps.Calendar.Location()))
}

func (s *Schedule) one(ctx context.Context, r config.Report, now time.Time) (bool, error) {
	p, due := s.Due(r, now)
	if !due {
		return false, nil
	}
	if done, err := s.deps.Store.ReportDelivered(ctx, r.Committee, p.Label); err != nil || done {
		return false, err
	}
	st, err := Build(ctx, s.deps.Store, s.deps.Organisation, r.Committee, p, s.deps.Calendar)
	if err != nil {
		return false, err
	}
	var buf bytes.Buffer
	if err := Write(&buf, st, r.Format); err != nil {
		return false, err
	}
	file := FileName(r.Committee, p, r.Format)
	o, err := s.deps.Composer.Report(r.To, notify.ReportInfo{Committee: r.Committee, Period: p.Label, File: file},
		notify.Attachment{Name: file, ContentType: contentTypes[r.Format], Data: buf.Bytes()})
	if err != nil {
		return false, err
	}
	d := store.ReportDelivery{Committee: r.Committee, Period: p.Label, Recipient: r.To, File: file}
	ev := []store.Event{{Actor: "synpunkt", Kind: "report", Detail: fmt.Sprintf("%s %s → %s (%s)", r.Committee, p.Label, r.To, file)}}
	out := []synpunkt.Notification{*o}
	err = s.deps.Store.TakeReportDelivery(ctx, d, ev, out)
	if errors.Is(err, store.ErrDuplicate) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.deps.Log.Info("report queued", "committee", r.Committee, "period", p.Label, "format", r.Format)
	if s.deps.OnCommit != nil {
		s.deps.OnCommit()
	}
	return true, nil
}

var contentTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
	"json": "application/json",
}

// FileName is the attachment's name, e.g.
// "synpunkter-samhallsbyggnadsnamnden-2026-11.xlsx": ASCII only, so that
// every mail client shows it.
func FileName(committee string, p Period, format string) string {
	r := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "a", "Ä", "a", "Ö", "o", "é", "e")
	name := strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			return c
		case c >= 'A' && c <= 'Z':
			return c + 'a' - 'A'
		}
		return '-'
	}, r.Replace(committee))
	for strings.Contains(name, "--") {
		name = strings.ReplaceAll(name, "--", "-")
	}
	return "synpunkter-" + strings.Trim(name, "-") + "-" + p.Label + "." + format
}

// Loop runs the schedule every interval until ctx is cancelled. Errors
// are logged and retried on the next tick.
func (s *Schedule) Loop(ctx context.Context, interval time.Duration) {
	if len(s.deps.Reports) == 0 {
		return
	}
	if interval <= 0 {
		interval = time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Run(ctx, s.deps.Now()); err != nil && ctx.Err() == nil {
			s.deps.Log.Error("scheduled report failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
