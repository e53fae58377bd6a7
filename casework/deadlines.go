package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// DueActions lists the reminders and escalations due at now that have not
// been taken yet, for every open case. It reads only the cases whose
// next due time (store.DueCases) has come.
func (s *Service) DueActions(ctx context.Context, now time.Time) ([]lifecycle.Action, error) {
	due, _, err := s.dueActions(ctx, now, false)
	return due, err
}

// dueActions returns the due actions ordered by DueAt, and the schedule
// state of every case looked at, by ID. With readOnly it writes nothing
// (no schedule reset): it reads the cases due as the reset would leave
// them.
func (s *Service) dueActions(ctx context.Context, now time.Time, readOnly bool) ([]lifecycle.Action, map[int64]store.Scheduled, error) {
	var ids []int64
	var err error
	if readOnly {
		ids, err = s.st.DueCasesReadOnly(ctx, now, s.policy.Fingerprint())
	} else if _, err = s.st.ResetSchedule(ctx, s.policy.Fingerprint()); err == nil {
		ids, err = s.st.DueCases(ctx, now)
	}
	if err != nil {
		return nil, nil, err
	}
	var out []lifecycle.Action
	seen := make(map[int64]store.Scheduled, len(ids))
	for _, id := range ids {
		sc, err := s.st.ScheduleState(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		seen[id] = sc
		out = append(out, s.policy.Due(state(sc.Case, sc.Done), now)...)
	}
	slices.SortStableFunc(out, func(a, b lifecycle.Action) int { return a.DueAt.Compare(b.DueAt) })
	return out, seen, nil
}

// reschedule records when each case looked at next needs the scheduler,
// counting the actions just taken as done.
func (s *Service) reschedule(ctx context.Context, seen map[int64]store.Scheduled) error {
	for _, sc := range seen {
		if err := s.st.SetNextDue(ctx, sc, s.policy.NextDue(state(sc.Case, sc.Done))); err != nil {
			return err
		}
	}
	return nil
}

func state(c synpunkt.Case, done map[string]bool) lifecycle.CaseState {
	return lifecycle.CaseState{
		ID: c.ID, Number: c.Number, Unit: c.Unit, Category: c.Category, Status: c.Status,
		ReceivedAt: c.ReceivedAt, FirstResponseDue: c.FirstResponseDue, FinalDue: c.FinalDue,
		FirstResponseAt: c.FirstResponseAt, Handler: c.Handler, Done: done,
	}
}

// RunDeadlines sends every reminder and escalation due at now (each at
// most once per case, however long the daemon was down) and returns them.
// With dryRun it only returns what would be sent.
func (s *Service) RunDeadlines(ctx context.Context, now time.Time, dryRun bool) ([]lifecycle.Action, error) {
	due, seen, err := s.dueActions(ctx, now, dryRun)
	if err != nil || dryRun {
		return due, err
	}
	var sent []lifecycle.Action
	for _, a := range due {
		err := s.take(ctx, a)
		if errors.Is(err, store.ErrDuplicate) {
			seen[a.CaseID].Done[a.Key] = true
			continue
		}
		if err != nil {
			return sent, err // next_due stays: retried on the next tick
		}
		seen[a.CaseID].Done[a.Key] = true
		sent = append(sent, a)
	}
	return sent, s.reschedule(ctx, seen)
}

func (s *Service) take(ctx context.Context, a lifecycle.Action) error {
	c, err := s.st.Case(ctx, a.CaseID)
	if err != nil {
		return err
	}
	ci := notify.CaseInfoFrom(&c)
	ci.Deadline = a.Deadline
	var o *synpunkt.Notification
	switch {
	case a.Kind == lifecycle.KindEscalation:
		o, err = s.compose.Escalation(ci, a.To, a.Deadline, a.Level)
	case a.Key == lifecycle.KeyFinalReminder:
		o, err = s.compose.FinalReminder(ci, a.To, a.Deadline)
	default:
		o, err = s.compose.Reminder(ci, a.To, a.Deadline, a.Level)
	}
	if err != nil {
		return fmt.Errorf("%s for %s: %w", a.Key, c.Number, err)
	}
	ev := []store.Event{{Actor: "synpunkt", Kind: a.Kind, Detail: fmt.Sprintf("%s: nivå %d till %s (frist %s)", a.Key, a.Level, a.To, a.Deadline.In(stockholm).Format("2006-01-02 15:04"))}}
	if err := s.st.TakeAction(ctx, c.ID, a.Key, ev, []synpunkt.Notification{*o}); err != nil {
		return err
	}
	s.committed(1)
	s.log.Info("deadline action", "case", c.Number, "key", a.Key, "kind", a.Kind, "level", a.Level)
	return nil
}

var stockholm = workday.Stockholm

// RunScheduler runs deadlines and the digest every interval until ctx is
// cancelled. Errors are logged and retried on the next tick.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		now := s.now()
		if _, err := s.RunDeadlines(ctx, now, false); err != nil && ctx.Err() == nil {
			s.log.Error("deadline check failed", "err", err)
		}
		if _, err := s.Digest(ctx, now); err != nil && ctx.Err() == nil {
			s.log.Error("digest failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Overdue returns the open cases past their first-response or final-answer
// deadline at now.
func (s *Service) Overdue(ctx context.Context, now time.Time) ([]synpunkt.Case, error) {
	open, err := s.st.ListCases(ctx, store.Filter{Status: synpunkt.StatusOpen, OverdueAt: now})
	if err != nil {
		return nil, err
	}
	var out []synpunkt.Case
	for _, c := range open {
		if first, final := s.policy.Overdue(state(c, nil), now); first || final {
			out = append(out, c)
		}
	}
	return out, nil
}
