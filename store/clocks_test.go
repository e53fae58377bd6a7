package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

// TestClearsClocksOfCasesNeverForwardedOnUpgrade: a database written before
// schema 3, where import --no-notify set deadlines on cases it forwarded to
// nobody, loses those deadlines on upgrade (with an event); a forwarded
// case keeps its own.
func TestClearsClocksOfCasesNeverForwardedOnUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	ctx := context.Background()
	all := migrations
	migrations = all[:2]
	old, err := Open(ctx, path, Options{})
	migrations = all
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	open := func(number string, forward bool) synpunkt.Case {
		// Rows as schema 2 wrote them (today's OpenCase writes schema 4).
		res, err := old.DB().ExecContext(ctx, `INSERT INTO cases(number, status, received_at, category, unit, committee, initiated_by, description, created_at, first_response_due, final_due)
			VALUES(?, 'öppet', ?, 'Klagomål', 'Gatu- och parkenheten', 'SBN', 'Privatperson', 'Snöröjning', ?, ?, ?)`,
			number, ts(at), ts(at), ts(at.Add(48*time.Hour)), ts(at.Add(14*24*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		if forward {
			if _, err := old.DB().ExecContext(ctx, `INSERT INTO outbox(case_id, kind, channel, sender, recipient, payload, next_attempt_at, created_at)
				VALUES(?, 'forward', 'email', 'synpunkter@exempelby.se', 'gatuchef@exempelby.se', 'f', ?, ?)`, id, ts(at), ts(at)); err != nil {
				t.Fatal(err)
			}
		}
		return synpunkt.Case{ID: id, Number: number}
	}
	imported, forwarded := open("SYN-2026-00001", false), open("SYN-2026-00002", true)
	old.Close()

	s := mustOpenStore(t, path, nil)
	if got, _ := s.Case(ctx, imported.ID); !got.FirstResponseDue.IsZero() || !got.FinalDue.IsZero() {
		t.Errorf("never-forwarded case after upgrade: deadlines %v / %v, want none", got.FirstResponseDue, got.FinalDue)
	}
	if ev, _ := s.Events(ctx, imported.ID); !hasKind(ev, "deadlines_cleared") {
		t.Errorf("never-forwarded case: no deadlines_cleared event in %+v", ev)
	}
	got, _ := s.Case(ctx, forwarded.ID)
	if !got.FirstResponseDue.Equal(at.Add(48*time.Hour)) || !got.FinalDue.Equal(at.Add(14*24*time.Hour)) {
		t.Errorf("forwarded case after upgrade: deadlines %v / %v, want them kept", got.FirstResponseDue, got.FinalDue)
	}
	if ev, _ := s.Events(ctx, forwarded.ID); hasKind(ev, "deadlines_cleared") {
		t.Errorf("forwarded case got a deadlines_cleared event")
	}
}

func hasKind(ev []EventRow, kind string) bool {
	for _, e := range ev {
		if e.Kind == kind {
			return !e.At.IsZero()
		}
	}
	return false
}

func TestStartClocks(t *testing.T) {
	s := mustOpenStore(t, "", nil)
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	c := mustOpenCase(t, s, newCase("backlog", at))
	if text, err := s.DocumentText(ctx, c.Documents[0].ID); err != nil || text != "" {
		t.Errorf("DocumentText = %q, %v", text, err)
	}
	first, final := at.Add(72*time.Hour), at.Add(20*24*time.Hour)
	fwd := []synpunkt.Notification{{Kind: "forward", Channel: "email", To: "gatuchef@exempelby.se", Payload: []byte("f")}}
	if err := s.StartClocks(ctx, c.ID, "gatuchef@exempelby.se", first, final, []Event{{Actor: "cli", Kind: "forwarded"}}, fwd); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Case(ctx, c.ID)
	if !got.FirstResponseDue.Equal(first) || !got.FinalDue.Equal(final) || got.Handler != "gatuchef@exempelby.se" {
		t.Errorf("after StartClocks: %v / %v, handler %q", got.FirstResponseDue, got.FinalDue, got.Handler)
	}
	if err := s.StartClocks(ctx, c.ID, "x@exempelby.se", first, final, nil, fwd); !errors.Is(err, ErrState) {
		t.Errorf("StartClocks on running clocks = %v, want ErrState", err)
	}
	if rows, _ := s.OutboxForCase(ctx, c.ID); len(rows) != 1 {
		t.Errorf("outbox = %d rows, want 1 (the refused start wrote nothing)", len(rows))
	}
	c2 := mustOpenCase(t, s, newCase("closed", at))
	s.SetStatus(ctx, c2.ID, synpunkt.StatusClosed, nil, nil)
	if err := s.StartClocks(ctx, c2.ID, "x@exempelby.se", first, final, nil, nil); !errors.Is(err, ErrState) {
		t.Errorf("StartClocks on a closed case = %v, want ErrState", err)
	}
}
