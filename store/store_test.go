package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

func mustOpenStore(t testing.TB, path string, now func() time.Time) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "synpunkt.db")
	}
	s, err := Open(context.Background(), path, Options{Now: now})
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fixedStore opens a fresh store whose clock stands still at 2 March 2026
// 10:00 UTC, and returns it with that time and a context.
func fixedStore(t *testing.T) (*Store, time.Time, context.Context) {
	t.Helper()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	return mustOpenStore(t, "", func() time.Time { return at }), at, context.Background()
}

// mustOpenCase registers nc without notifications, failing the test on
// an error.
func mustOpenCase(t *testing.T, s *Store, nc NewCase) synpunkt.Case {
	t.Helper()
	c, err := s.OpenCase(context.Background(), nc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newCase(key string, at time.Time) NewCase {
	return NewCase{
		Intake: Intake{Key: key, Source: "test", ReceivedAt: at, Raw: []byte("Subject: x\r\n\r\nhej " + key)},
		Case: synpunkt.Case{ReceivedAt: at, Category: synpunkt.DocKlagomal, Unit: "Gatu- och parkenheten",
			Committee: "Samhällsbyggnadsnämnden", InitiatedBy: synpunkt.RolePrivatperson, Description: "Snöröjning"},
		Document: synpunkt.Document{Type: synpunkt.DocKlagomal, Direction: synpunkt.Inkommande, SenderRole: "Privatperson", ReceivedAt: at, MessageID: key + "@example.com"},
		Contact:  &Contact{Email: "anna@example.com", WantsReply: true},
	}
}

// TestCaseNumbersRestartEveryYear: the year is that of registration (the
// store's clock) in Stockholm, whatever the message claims.
func TestCaseNumbersRestartEveryYear(t *testing.T) {
	var now time.Time
	s := mustOpenStore(t, "", func() time.Time { return now })
	ctx := context.Background()
	claimed := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	dates := []time.Time{
		time.Date(2025, 12, 31, 10, 0, 0, 0, time.UTC),
		time.Date(2025, 12, 31, 22, 30, 0, 0, time.UTC), // 23:30 in Stockholm: still 2025
		time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), // 00:30 in Stockholm: 2026
		time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
	}
	want := []string{"SYN-2025-00001", "SYN-2025-00002", "SYN-2026-00001", "SYN-2026-00002"}
	for i, d := range dates {
		now = d
		c, err := s.OpenCase(ctx, newCase(string(rune('a'+i)), claimed), nil)
		if err != nil {
			t.Fatalf("OpenCase #%d = %v", i, err)
		}
		if c.Number != want[i] {
			t.Errorf("case #%d number = %q, want %q", i, c.Number, want[i])
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tt := range []struct {
		format string
		want   string
	}{
		{"SYN-{year}-{seq:5}", "SYN-2026-00042"},
		{"KS {year}/{seq}", "KS 2026/42"},
		{"{year}-{seq:3}", "2026-042"},
	} {
		if got := FormatNumber(tt.format, 2026, 42); got != tt.want {
			t.Errorf("FormatNumber(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
}

func TestOpenCaseIsIdempotentAndAtomic(t *testing.T) {
	s := mustOpenStore(t, "", nil)
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	compose := func(c synpunkt.Case) ([]synpunkt.Notification, error) {
		return []synpunkt.Notification{{Kind: "forward", Channel: "email", To: "chef@exempelby.se", MessageID: "fwd-" + c.Number, Payload: []byte("x")}}, nil
	}
	c, err := s.OpenCase(ctx, newCase("k1", at), compose)
	if err != nil {
		t.Fatalf("OpenCase = %v", err)
	}
	if _, err := s.OpenCase(ctx, newCase("k1", at), compose); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second OpenCase error = %v, want ErrDuplicate", err)
	}
	// A composer failure rolls back everything, including the case number.
	boom := errors.New("template broken")
	if _, err := s.OpenCase(ctx, newCase("k2", at), func(synpunkt.Case) ([]synpunkt.Notification, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("OpenCase with failing composer = %v, want %v", err, boom)
	}
	if _, _, seen, _ := s.Seen(ctx, "k2"); seen {
		t.Errorf("k2 recorded although its transaction failed")
	}
	c2, err := s.OpenCase(ctx, newCase("k3", at), compose)
	if err != nil {
		t.Fatal(err)
	}
	if c.Number != "SYN-2026-00001" || c2.Number != "SYN-2026-00002" {
		t.Errorf("numbers = %s, %s; want 00001, 00002 (rolled-back number reused)", c.Number, c2.Number)
	}
	cases, err := s.ListCases(ctx, Filter{})
	if err != nil || len(cases) != 2 {
		t.Fatalf("ListCases = %d cases, %v; want 2", len(cases), err)
	}
	out, _ := s.AllOutbox(ctx)
	if len(out) != 2 {
		t.Errorf("outbox has %d rows, want 2", len(out))
	}
	id, sentByUs, err := s.CaseByMessageID(ctx, []string{"nope", "fwd-" + c2.Number})
	if err != nil || id != c2.ID || !sentByUs {
		t.Errorf("CaseByMessageID = %d, %v, %v; want %d, true", id, sentByUs, err, c2.ID)
	}
}

func TestConcurrentOpenCaseGivesUniqueNumbers(t *testing.T) {
	s := mustOpenStore(t, "", nil)
	ctx := context.Background()
	at := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	numbers := make(chan string, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.OpenCase(ctx, newCase(string(rune(0x100+i)), at), nil)
			if err != nil {
				t.Errorf("OpenCase = %v", err)
				return
			}
			numbers <- c.Number
		}()
	}
	wg.Wait()
	close(numbers)
	seen := map[string]bool{}
	for n := range numbers {
		if seen[n] {
			t.Errorf("case number %s given twice", n)
		}
		seen[n] = true
	}
	if len(seen) != 40 {
		t.Errorf("got %d unique numbers, want 40", len(seen))
	}
}

func TestOutboxRetryStateSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s := mustOpenStore(t, path, clock)
	ctx := context.Background()
	c, err := s.OpenCase(ctx, newCase("k", now), func(synpunkt.Case) ([]synpunkt.Notification, error) {
		return []synpunkt.Notification{{Kind: "receipt", Channel: "email", To: "anna@example.com", Payload: []byte("x")}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	due, _ := s.DueOutbox(ctx, now, 10)
	if len(due) != 1 {
		t.Fatalf("due = %d, want 1", len(due))
	}
	if err := s.MarkRetry(ctx, due[0].ID, now.Add(time.Minute), "451 try later"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpenStore(t, path, clock)
	if due, _ := s.DueOutbox(ctx, now, 10); len(due) != 0 {
		t.Errorf("due right after retry = %d, want 0", len(due))
	}
	due, _ = s.DueOutbox(ctx, now.Add(time.Minute), 10)
	if len(due) != 1 || due[0].Attempts != 1 || due[0].LastError != "451 try later" {
		t.Fatalf("due after reopen = %+v, want one row with attempts 1", due)
	}
	if err := s.MarkFailed(ctx, due[0], "550 <anna@example.com>: no such user", "permanent failure at rcpt (code 550)"); err != nil {
		t.Fatal(err)
	}
	events, _ := s.Events(ctx, c.ID)
	if last := events[len(events)-1]; last.Kind != "receipt_failed" {
		t.Errorf("last event = %+v, want receipt_failed", last)
	}
	if n, _ := s.CountOutbox(ctx, "receipt", "ANNA@example.com", now.Add(-24*time.Hour)); n != 1 {
		t.Errorf("CountOutbox = %d, want 1", n)
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	s := mustOpenStore(t, "", nil)
	ctx := context.Background()
	if err := s.AddEvent(ctx, 0, Event{Actor: "test", Kind: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "UPDATE events SET kind = 'y'"); err == nil {
		t.Error("UPDATE events succeeded, want append-only error")
	}
	if _, err := s.DB().ExecContext(ctx, "DELETE FROM events"); err == nil {
		t.Error("DELETE FROM events succeeded, want append-only error")
	}
}

func TestIdempotencyKeyIgnoresTransportHeaders(t *testing.T) {
	a := []byte("Received: from a\r\nMessage-ID: <x@y>\r\n\r\nHej\r\n")
	b := []byte("Received: from b\nReceived: from c\nMessage-ID: <x@y>\n\nHej\n")
	if IdempotencyKey("x@y", a) != IdempotencyKey("x@y", b) {
		t.Error("re-delivered copy with other Received headers got another key")
	}
	if IdempotencyKey("x@y", a) == IdempotencyKey("x@y", []byte("Message-ID: <x@y>\r\n\r\nHej då\r\n")) {
		t.Error("same Message-ID with another body got the same key")
	}
	if IdempotencyKey("", a) == IdempotencyKey("", b) {
		t.Error("without Message-ID, different raw messages got the same key")
	}
}

func TestCheckpointAndSecret(t *testing.T) {
	s := mustOpenStore(t, "", nil)
	ctx := context.Background()
	if v, u, err := s.LoadCheckpoint(ctx, "INBOX"); v != 0 || u != 0 || err != nil {
		t.Errorf("LoadCheckpoint(empty) = %d, %d, %v", v, u, err)
	}
	s.SaveCheckpoint(ctx, "INBOX", 7, 42)
	s.SaveCheckpoint(ctx, "INBOX", 7, 43)
	if v, u, _ := s.LoadCheckpoint(ctx, "INBOX"); v != 7 || u != 43 {
		t.Errorf("LoadCheckpoint = %d, %d; want 7, 43", v, u)
	}
	k1, err := s.Secret(ctx, "thread_key", 32)
	k2, _ := s.Secret(ctx, "thread_key", 32)
	if err != nil || len(k1) != 32 || string(k1) != string(k2) {
		t.Errorf("Secret not stable: %x vs %x (%v)", k1, k2, err)
	}
}

// TestConcurrentOpenOfNewDatabase opens one new database from several
// handles at once, as two processes started together do (the daemon and a
// `cases` command): every Open succeeds and the schema is migrated once.
func TestConcurrentOpenOfNewDatabase(t *testing.T) {
	for round := 0; round < 5; round++ {
		path := filepath.Join(t.TempDir(), "synpunkt.db")
		const n = 6
		errs := make(chan error, n)
		stores := make(chan *Store, n)
		var start, wg sync.WaitGroup
		start.Add(1)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start.Wait()
				s, err := Open(context.Background(), path, Options{})
				if err != nil {
					errs <- err
					return
				}
				stores <- s
			}()
		}
		start.Done()
		wg.Wait()
		close(errs)
		close(stores)
		for err := range errs {
			t.Errorf("round %d: concurrent Open = %v", round, err)
		}
		for s := range stores {
			var v int
			if err := s.DB().QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != len(migrations) {
				t.Errorf("round %d: user_version = %d, %v; want %d", round, v, err, len(migrations))
			}
			s.Close()
		}
	}
}
