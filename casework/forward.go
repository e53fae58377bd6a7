package casework

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// ErrClocksRunning is returned when Forward is asked to forward a case that
// was already forwarded and whose deadlines run.
var ErrClocksRunning = errors.New("the case was already forwarded and its deadlines run")

// Forward forwards a case that was registered without being forwarded (a
// historical backlog: import --no-notify, or older than
// intake.old_message_age) to its handler, and starts its deadline clocks
// counting from at (zero: now). The handler is the one classification
// chose at registration (topic or unit handler, else the manager). The
// citizen gets no receipt: the first response the deadline asks for is
// the handler's.
func (s *Service) Forward(ctx context.Context, number string, at time.Time, actor string) (synpunkt.Case, error) {
	c, err := s.caseByNumber(ctx, number)
	if err != nil {
		return c, err
	}
	switch {
	case c.Status != synpunkt.StatusOpen:
		return c, fmt.Errorf("forward %s: it is %s: %w", c.Number, c.Status, store.ErrState)
	case !c.FirstResponseDue.IsZero() || !c.FinalDue.IsZero():
		return c, fmt.Errorf("forward %s: %w", c.Number, ErrClocksRunning)
	}
	if at.IsZero() {
		at = s.now()
	}
	handler, err := s.handlerOf(c)
	if err != nil {
		return c, fmt.Errorf("forward %s: %w", c.Number, err)
	}
	started := c
	started.FirstResponseDue, started.FinalDue = s.policy.Deadlines(c.Unit, c.Category, at)
	fwd, err := s.backlogForward(ctx, started, handler, at)
	if err != nil {
		return c, fmt.Errorf("forward %s: %w", c.Number, err)
	}
	ev := []store.Event{{Actor: actor, Kind: "forwarded", Detail: fmt.Sprintf("till %s; frister från %s", handler, at.In(stockholm).Format("2006-01-02 15:04"))}}
	if err := s.st.StartClocks(ctx, c.ID, handler, started.FirstResponseDue, started.FinalDue, ev, []synpunkt.Notification{*fwd}); err != nil {
		return c, fmt.Errorf("forward %s: %w", c.Number, err)
	}
	s.committed(1)
	s.log.Info("case forwarded", "case", c.Number, "unit", c.Unit)
	return s.caseByNumber(ctx, number)
}

// handlerOf returns who gets a case: the handler chosen at registration,
// else the unit's handler or manager.
func (s *Service) handlerOf(c synpunkt.Case) (string, error) {
	if c.Handler != "" {
		return c.Handler, nil
	}
	u, ok := s.opt.Units.ByName(c.Unit)
	if !ok {
		return "", fmt.Errorf("unit %q: %w", c.Unit, ErrUnknownUnit)
	}
	if u.Handler != "" {
		return u.Handler, nil
	}
	return u.Manager, nil
}

// backlogForward renders the forward of c, with its original message and
// text, and a note saying the clocks count from at.
func (s *Service) backlogForward(ctx context.Context, c synpunkt.Case, handler string, at time.Time) (*synpunkt.Notification, error) {
	if len(c.Documents) == 0 {
		return nil, fmt.Errorf("no document to forward: %w", store.ErrNotFound)
	}
	raw, err := s.st.Original(ctx, c.Documents[0].ID)
	if err != nil {
		return nil, err
	}
	ci := notify.CaseInfoFrom(&c)
	if ci.CitizenText, err = s.st.DocumentText(ctx, c.Documents[0].ID); err != nil {
		return nil, err
	}
	ci.Note = fmt.Sprintf("Ärendet kom in %s och registrerades utan att skickas vidare. Fristerna räknas från %s.",
		c.ReceivedAt.In(stockholm).Format("2006-01-02"), at.In(stockholm).Format("2006-01-02 15:04"))
	return s.compose.ForwardRef(ci, handler, raw, s.threads.ReplyAddress(c.Number))
}
