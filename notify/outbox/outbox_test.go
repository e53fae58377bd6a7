package outbox

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smtpsend"
	"github.com/exempelby/synpunkt/store"
)

// fixture is an outbox over a real store and a real SMTP sink, with a
// settable clock.
type fixture struct {
	t    *testing.T
	path string
	st   *store.Store
	sink *smtpsink.Sink
	now  time.Time
	c    synpunkt.Case
}

func newFixture(t *testing.T) *fixture { t.Helper(); return newFixtureWith(t) }

func newFixtureWith(t *testing.T, opts ...smtpsink.Option) *fixture {
	t.Helper()
	sink, err := smtpsink.Start("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "s.db"), sink: sink, now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	f.open()
	c, err := f.st.OpenCase(context.Background(), store.NewCase{
		Intake:   store.Intake{Key: "k", Source: "t", ReceivedAt: f.now, Raw: []byte("x")},
		Case:     synpunkt.Case{ReceivedAt: f.now, Category: synpunkt.DocFraga, Unit: "Bibliotek", Committee: "Kultur", InitiatedBy: synpunkt.RolePrivatperson, Description: "Fråga"},
		Document: synpunkt.Document{Type: synpunkt.DocFraga, Direction: synpunkt.Inkommande, SenderRole: "Privatperson", ReceivedAt: f.now},
	}, func(synpunkt.Case) ([]synpunkt.Notification, error) {
		return []synpunkt.Notification{{Kind: "receipt", Channel: "email", From: "synpunkter@exempelby.se", To: "anna@example.com", MessageID: "r1@exempelby.se",
			Payload: []byte("From: synpunkter@exempelby.se\r\nTo: anna@example.com\r\nMessage-ID: <r1@exempelby.se>\r\nSubject: Kvitto\r\n\r\nHej\r\n")}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.c = c
	return f
}

func (f *fixture) open() {
	st, err := store.Open(context.Background(), f.path, store.Options{Now: func() time.Time { return f.now }})
	if err != nil {
		f.t.Fatal(err)
	}
	f.st = st
	f.t.Cleanup(func() { st.Close() })
}

func (f *fixture) worker(senders map[synpunkt.Medium]notify.Sender) *Worker {
	if senders == nil {
		senders = map[synpunkt.Medium]notify.Sender{synpunkt.MediumEmail: smtpsend.New(smtpsend.Config{Address: f.sink.Addr(), TLS: "none", Timeout: 5 * time.Second})}
	}
	return New(f.st, senders, Options{MaxAttempts: 3, MinBackoff: time.Minute, MaxBackoff: 10 * time.Minute, Now: func() time.Time { return f.now }},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func (f *fixture) row() store.OutboxRow {
	f.t.Helper()
	rows, err := f.st.OutboxForCase(context.Background(), f.c.ID)
	if err != nil || len(rows) != 1 {
		f.t.Fatalf("outbox rows = %d, %v; want 1", len(rows), err)
	}
	return rows[0]
}

func TestTemporaryFailureIsRetriedAfterRestart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.sink.FailNextRcpt(1, 450)
	if n, err := f.worker(nil).Drain(ctx); n != 0 || err != nil {
		t.Fatalf("Drain with 450 = %d, %v; want 0 sent", n, err)
	}
	r := f.row()
	if r.Status != store.OutboxPending || r.Attempts != 1 || !r.NextAttemptAt.After(f.now) {
		t.Fatalf("after 450: %+v, want pending, 1 attempt, a later next attempt", r)
	}
	// The daemon restarts: the retry state is in the database.
	f.st.Close()
	f.open()
	if n, _ := f.worker(nil).Drain(ctx); n != 0 {
		t.Error("retried before the backoff elapsed")
	}
	f.now = r.NextAttemptAt
	if n, err := f.worker(nil).Drain(ctx); n != 1 || err != nil {
		t.Fatalf("Drain after backoff = %d, %v; want 1 sent", n, err)
	}
	if r := f.row(); r.Status != store.OutboxSent || r.Attempts != 2 || r.SentAt.IsZero() {
		t.Errorf("after retry: %+v, want sent on attempt 2", r)
	}
	if got := len(f.sink.Messages()); got != 1 {
		t.Errorf("sink received %d messages, want 1", got)
	}
}

func TestPermanentFailureIsRecordedOnTheCase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.sink.FailNext(1, 550)
	f.worker(nil).Drain(ctx)
	if r := f.row(); r.Status != store.OutboxFailed || r.LastError == "" {
		t.Fatalf("after 550: %+v, want failed with the error", r)
	}
	events, _ := f.st.Events(ctx, f.c.ID)
	if e := events[len(events)-1]; e.Kind != "receipt_failed" {
		t.Errorf("last event = %+v, want receipt_failed", e)
	}
}

func TestAttemptsRunOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.sink.FailNextRcpt(10, 450)
	w := f.worker(nil)
	for range 3 {
		w.Drain(ctx)
		f.now = f.now.Add(time.Hour)
	}
	if r := f.row(); r.Status != store.OutboxFailed || r.Attempts != 3 {
		t.Errorf("after 3 temporary failures: %+v, want failed after 3 attempts", r)
	}
}

func TestUnreachableServerPausesTheChannel(t *testing.T) {
	f := newFixture(t)
	down := map[synpunkt.Medium]notify.Sender{synpunkt.MediumEmail: smtpsend.New(smtpsend.Config{Address: "127.0.0.1:1", TLS: "none", Timeout: time.Second})}
	f.worker(down).Drain(context.Background())
	if r := f.row(); r.Status != store.OutboxPending || r.Attempts != 0 || r.LastError == "" {
		t.Errorf("after connection refused: %+v, want pending, no attempt counted, the error kept", r)
	}
}

func TestMissingChannelFailsPermanently(t *testing.T) {
	f := newFixture(t)
	f.worker(map[synpunkt.Medium]notify.Sender{}).Drain(context.Background())
	if r := f.row(); r.Status != store.OutboxFailed {
		t.Errorf("with no e-mail sender: %+v, want failed", r)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	w := New(nil, nil, Options{MinBackoff: time.Minute, MaxBackoff: 10 * time.Minute}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	prev := time.Duration(0)
	for n := range 8 {
		d := w.backoff(n)
		if d > 12*time.Minute {
			t.Errorf("backoff(%d) = %v, above the cap with jitter", n, d)
		}
		if n < 3 && d <= prev {
			t.Errorf("backoff(%d) = %v, not above backoff(%d) = %v", n, d, n-1, prev)
		}
		prev = d
	}
}

func TestRunSendsAfterKick(t *testing.T) {
	f := newFixture(t)
	w := f.worker(nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	w.Kick()
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if _, err := f.sink.Wait(wctx, 1); err != nil {
		t.Fatalf("nothing sent: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run() = %v", err)
	}
}

// A worker that gives way (Options.GiveWay) claims and sends nothing until
// GiveWay returns; then it sends as before.
func TestGiveWayHoldsSendsBack(t *testing.T) {
	f := newFixture(t)
	w := f.worker(nil)
	asked, open := make(chan struct{}, 1), make(chan struct{})
	w.GiveWayTo(func(ctx context.Context) {
		select {
		case asked <- struct{}{}:
		default:
		}
		<-open
	})
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := w.Drain(context.Background())
		done <- result{n, err}
	}()
	<-asked
	if r := f.row(); r.Status != store.OutboxPending || r.Attempts != 0 {
		t.Errorf("while giving way: %+v, want pending, never tried", r)
	}
	if got := len(f.sink.Messages()); got != 0 {
		t.Errorf("sink received %d messages while the worker gave way, want 0", got)
	}
	close(open)
	if r := <-done; r.n != 1 || r.err != nil {
		t.Fatalf("Drain after giving way = %d, %v; want 1 sent", r.n, r.err)
	}
	if r := f.row(); r.Status != store.OutboxSent {
		t.Errorf("after giving way: %+v, want sent", r)
	}
}
