package casework

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// ErrNoteRequired is returned when an anonymous case is closed without an
// action note (the routine requires recording how it was handled).
var ErrNoteRequired = errors.New("an anonymous case can only be closed with an action note")

// ErrEmptyNote is returned when a note has no text.
var ErrEmptyNote = errors.New("the note is empty")

// ErrUnknownUnit is returned when a unit name or alias matches no unit.
var ErrUnknownUnit = errors.New("no such unit")

// Service performs case operations.
type Service struct {
	opt     Options
	st      *store.Store
	compose *notify.Composer
	threads *Threads
	policy  *lifecycle.Policy
	now     func() time.Time
	log     *slog.Logger
	// OnCommit wakes the outbox after notifications were queued; may be nil.
	OnCommit func()
}

// Deps are what a Service is built from.
type Deps struct {
	Options  Options
	Store    *store.Store
	Composer *notify.Composer
	Threads  *Threads
	Policy   *lifecycle.Policy
	Now      func() time.Time // nil: time.Now
	Log      *slog.Logger
}

// New returns a Service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{opt: d.Options, st: d.Store, compose: d.Composer, threads: d.Threads, policy: d.Policy, now: d.Now, log: d.Log.With("component", "casework")}
}

func (s *Service) committed(n int) {
	if n > 0 && s.OnCommit != nil {
		s.OnCommit()
	}
}

func (s *Service) caseByNumber(ctx context.Context, number string) (synpunkt.Case, error) {
	c, err := s.st.CaseByNumber(ctx, number)
	if err != nil {
		return c, fmt.Errorf("case %s: %w", number, err)
	}
	return c, nil
}

// Close closes a case with an optional action note and tells the citizen.
// actor names who closed it (a staff address or "cli").
func (s *Service) Close(ctx context.Context, number, note, actor string) (synpunkt.Case, error) {
	c, err := s.caseByNumber(ctx, number)
	if err != nil {
		return c, err
	}
	note = strings.TrimSpace(note)
	if c.InitiatedBy == synpunkt.RoleAnonym && note == "" {
		return c, fmt.Errorf("close %s: %w", c.Number, ErrNoteRequired)
	}
	out, err := s.closingNotice(ctx, c, note)
	if err != nil {
		return c, fmt.Errorf("close %s: %w", c.Number, err)
	}
	events := []store.Event{{Actor: actor, Kind: "closed", Detail: note}}
	if len(out) == 0 {
		events = append(events, store.Event{Actor: "synpunkt", Kind: "close_notice_skipped", Detail: "anonym, inga kontaktuppgifter eller inget svar önskat"})
	}
	if err := s.st.SetStatus(ctx, c.ID, synpunkt.StatusClosed, events, out); err != nil {
		return c, fmt.Errorf("close %s: %w", c.Number, err)
	}
	s.committed(len(out))
	s.log.Info("case closed", "case", c.Number, "notified", len(out) > 0)
	return s.caseByNumber(ctx, number)
}

// closingNotice renders the citizen's closing notice by their channel.
func (s *Service) closingNotice(ctx context.Context, c synpunkt.Case, note string) ([]synpunkt.Notification, error) {
	contact, ok, err := s.st.Contact(ctx, c.ID)
	if err != nil || !ok || !contact.WantsReply || c.InitiatedBy == synpunkt.RoleAnonym {
		return nil, err
	}
	ci := notify.CaseInfoFrom(&c)
	ci.Note = note
	var o *synpunkt.Notification
	switch {
	case contact.Email != "":
		o, err = s.compose.Closed(ci, synpunkt.Address{Addr: contact.Email}, s.threads.ReplyAddress(c.Number))
	case contact.Phone != "":
		o, err = s.compose.ClosedSMS(ci, contact.Phone)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []synpunkt.Notification{*o}, nil
}

// Reopen reopens a closed case.
func (s *Service) Reopen(ctx context.Context, number, actor string) (synpunkt.Case, error) {
	c, err := s.caseByNumber(ctx, number)
	if err != nil {
		return c, err
	}
	if err := s.st.SetStatus(ctx, c.ID, synpunkt.StatusOpen, []store.Event{{Actor: actor, Kind: "reopened"}}, nil); err != nil {
		return c, fmt.Errorf("reopen %s: %w", c.Number, err)
	}
	s.log.Info("case reopened", "case", c.Number)
	return s.caseByNumber(ctx, number)
}

// Note adds an action note (åtgärdsanteckning) to the case's event log.
func (s *Service) Note(ctx context.Context, number, text, actor string) error {
	c, err := s.caseByNumber(ctx, number)
	if err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("note on %s: %w", c.Number, ErrEmptyNote)
	}
	return s.st.AddEvent(ctx, c.ID, store.Event{Actor: actor, Kind: "note", Detail: strings.TrimSpace(text)})
}

// Route moves a case to another unit: the new handler gets the forward with
// a note, the old one is told it moved.
func (s *Service) Route(ctx context.Context, number, unitName, actor string) (synpunkt.Case, error) {
	c, err := s.caseByNumber(ctx, number)
	if err != nil {
		return c, err
	}
	u, ok := s.opt.Units.ByName(unitName)
	if !ok {
		return c, fmt.Errorf("route %s to %q: %w", c.Number, unitName, ErrUnknownUnit)
	}
	handler := u.Manager
	if u.Handler != "" {
		handler = u.Handler
	}
	var raw []byte
	if len(c.Documents) > 0 {
		if raw, err = s.st.Original(ctx, c.Documents[0].ID); err != nil {
			return c, err
		}
	}
	moved := c
	moved.Unit, moved.Committee = u.Name, u.Committee
	ci := notify.CaseInfoFrom(&moved)
	ci.Note = fmt.Sprintf("Ärendet har flyttats hit från %s.", c.Unit)
	fwd, err := s.compose.ForwardRef(ci, handler, raw, s.threads.ReplyAddress(c.Number))
	if err != nil {
		return c, fmt.Errorf("route %s: %w", c.Number, err)
	}
	out := []synpunkt.Notification{*fwd}
	if c.Handler != "" && !strings.EqualFold(c.Handler, handler) {
		old := notify.CaseInfoFrom(&c)
		body := fmt.Sprintf("Ärende %s har flyttats från %s till %s. Ni behöver inte göra något mer med det.", c.Number, c.Unit, u.Name)
		n, err := s.compose.Notice(c.Handler, "Ärendet har flyttats", body, &old)
		if err != nil {
			return c, fmt.Errorf("route %s: %w", c.Number, err)
		}
		out = append(out, *n)
	}
	ev := []store.Event{{Actor: actor, Kind: "rerouted", Detail: fmt.Sprintf("%s → %s", c.Unit, u.Name)}}
	if err := s.st.Reroute(ctx, c.ID, u.Name, u.Committee, handler, ev, out); err != nil {
		return c, fmt.Errorf("route %s: %w", c.Number, err)
	}
	s.committed(len(out))
	s.log.Info("case rerouted", "case", c.Number, "from", c.Unit, "to", u.Name)
	return s.caseByNumber(ctx, number)
}
