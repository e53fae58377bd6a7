package casework

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/store"
)

// Digest sends the daily digest to the contact center when it is due at
// now: open cases per unit (ärendebalans), cases past their deadlines, and
// escalations since the last digest. It reports whether one was sent.
func (s *Service) Digest(ctx context.Context, now time.Time) (bool, error) {
	at := s.opt.DigestTime
	if at == "" {
		return false, nil
	}
	last, err := s.st.LastDigest(ctx)
	if err != nil {
		return false, err
	}
	if !s.policy.DigestDue(last, now, at) {
		return false, nil
	}
	body, err := s.digestBody(ctx, now, last)
	if err != nil {
		return false, err
	}
	to := s.opt.DigestTo
	if to == "" {
		to = s.opt.Units.Default().Manager
	}
	day := now.In(stockholm).Format("2006-01-02")
	o, err := s.compose.Notice(to, "Synpunkter: daglig översikt "+day, body, nil)
	if err != nil {
		return false, err
	}
	err = s.st.TakeDigest(ctx, day, []store.Event{{Actor: "synpunkt", Kind: "digest", Detail: day}}, []synpunkt.Notification{*o})
	if errors.Is(err, store.ErrDuplicate) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.committed(1)
	return true, nil
}

func (s *Service) digestBody(ctx context.Context, now, last time.Time) (string, error) {
	perUnit, err := s.st.OpenPerUnit(ctx)
	if err != nil {
		return "", err
	}
	late, err := s.Overdue(ctx, now)
	if err != nil {
		return "", err
	}
	total := 0
	for _, n := range perUnit {
		total += n
	}
	var overdue []string
	for _, c := range late {
		first, final := s.policy.Overdue(state(c, nil), now)
		if first || final {
			what := "första besked"
			if final {
				what = "slutligt svar"
			}
			overdue = append(overdue, fmt.Sprintf("%s  %s  %s (%s försenat)", c.Number, c.Unit, c.Category, what))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Öppna ärenden per enhet (ärendebalans), totalt %d:\n", total)
	units := slices.Sorted(maps.Keys(perUnit))
	for _, u := range units {
		fmt.Fprintf(&b, "  %-40s %d\n", u, perUnit[u])
	}
	fmt.Fprintf(&b, "\nÄrenden efter frist (%d):\n", len(overdue))
	for _, o := range overdue {
		b.WriteString("  " + o + "\n")
	}
	esc, err := s.st.EventsSince(ctx, lifecycle.KindEscalation, last)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "\nEskaleringar sedan förra översikten (%d):\n", len(esc))
	for _, e := range esc {
		c, err := s.st.Case(ctx, e.CaseID)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "  %s  %s  %s\n", e.At.In(stockholm).Format("2006-01-02 15:04"), c.Number, e.Detail)
	}
	if err := s.digestReports(ctx, &b, last); err != nil {
		return "", err
	}
	return b.String(), nil
}

// digestReports lists the statistics reports sent to committees since the
// last digest: which file went to which registry mailbox.
func (s *Service) digestReports(ctx context.Context, b *strings.Builder, last time.Time) error {
	reps, err := s.st.ReportDeliveriesSince(ctx, last)
	if err != nil || len(reps) == 0 {
		return err
	}
	fmt.Fprintf(b, "\nStatistik skickad till nämnderna (%d):\n", len(reps))
	for _, r := range reps {
		fmt.Fprintf(b, "  %s  %s  %s till %s (bifogad fil %s)\n", r.SentAt.In(stockholm).Format("2006-01-02 15:04"), r.Committee, r.Period, r.Recipient, r.File)
	}
	return nil
}
