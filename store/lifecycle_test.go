package store

import (
	"errors"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

func TestLifecycleState(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	s := mustOpenStore(t, "", func() time.Time { return at })
	ctx := t.Context()
	nc := newCase("life", at)
	nc.Case.FirstResponseDue, nc.Case.FinalDue = at.Add(48*time.Hour), at.Add(14*24*time.Hour)
	nc.Document.Attachments = []synpunkt.Attachment{{Name: "foto.jpg", ContentType: "image/jpeg", Size: 1234}}
	c := mustOpenCase(t, s, nc)
	got, _ := s.Case(ctx, c.ID)
	if !got.FirstResponseDue.Equal(nc.Case.FirstResponseDue) || !got.FirstResponseAt.IsZero() {
		t.Errorf("deadlines = %v / %v, want %v and no first response", got.FirstResponseDue, got.FirstResponseAt, nc.Case.FirstResponseDue)
	}
	if a := got.Documents[0].Attachments; len(a) != 1 || a[0].Name != "foto.jpg" || a[0].Size != 1234 {
		t.Errorf("attachments = %+v", a)
	}
	svar := synpunkt.Document{Type: synpunkt.DocSvar, Direction: synpunkt.Upprattad, SenderRole: "Gatu- och parkenheten", ReceivedAt: at.Add(time.Hour)}
	if _, err := s.AddDocument(ctx, c.ID, Intake{Key: "svar", Source: "t", ReceivedAt: at.Add(time.Hour), Raw: []byte("x")}, svar, "Svar", nil, nil); err != nil {
		t.Fatal(err)
	}
	svar.ReceivedAt = at.Add(5 * time.Hour)
	s.AddDocument(ctx, c.ID, Intake{Key: "svar2", Source: "t", ReceivedAt: svar.ReceivedAt, Raw: []byte("y")}, svar, "Svar 2", nil, nil)
	if got, _ := s.Case(ctx, c.ID); !got.FirstResponseAt.Equal(at.Add(time.Hour)) {
		t.Errorf("first_response_at = %v, want the first Svar at %v", got.FirstResponseAt, at.Add(time.Hour))
	}
	if err := s.TakeAction(ctx, c.ID, "first/reminder", nil, []synpunkt.Notification{{Kind: "reminder", Channel: "email", To: "chef@exempelby.se", Payload: []byte("r")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.TakeAction(ctx, c.ID, "first/reminder", nil, []synpunkt.Notification{{Kind: "reminder", Channel: "email", To: "chef@exempelby.se", Payload: []byte("r")}}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second TakeAction = %v, want ErrDuplicate", err)
	}
	if n, _ := s.CountOutbox(ctx, "reminder", "chef@exempelby.se", at.Add(-time.Hour)); n != 1 {
		t.Errorf("reminders queued = %d, want 1 (the duplicate wrote nothing)", n)
	}
	if err := s.SetStatus(ctx, c.ID, synpunkt.StatusClosed, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, c.ID, synpunkt.StatusClosed, nil, nil); !errors.Is(err, ErrState) {
		t.Errorf("closing a closed case = %v, want ErrState", err)
	}
	if got, _ := s.Case(ctx, c.ID); got.Status != synpunkt.StatusClosed || got.ClosedAt.IsZero() {
		t.Errorf("after close: %s, closed_at %v", got.Status, got.ClosedAt)
	}
	s.SetStatus(ctx, c.ID, synpunkt.StatusOpen, nil, nil)
	if got, _ := s.Case(ctx, c.ID); got.Status != synpunkt.StatusOpen || !got.ClosedAt.IsZero() {
		t.Errorf("after reopen: %s, closed_at %v", got.Status, got.ClosedAt)
	}
	if err := s.TakeDigest(ctx, "2026-11-23", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.TakeDigest(ctx, "2026-11-23", nil, nil); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second digest of a day = %v, want ErrDuplicate", err)
	}
}
