package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// recordingStore counts the transactions that record results and runs
// check before each.
type recordingStore struct {
	*store.Store
	mu     sync.Mutex
	groups []int // results per RecordOutbox call
	check  func(results []store.OutboxResult)
}

func (s *recordingStore) RecordOutbox(ctx context.Context, results []store.OutboxResult) error {
	if s.check != nil {
		s.check(results)
	}
	s.mu.Lock()
	s.groups = append(s.groups, len(results))
	s.mu.Unlock()
	return s.Store.RecordOutbox(ctx, results)
}

// wantAllSentOnce checks that every notification was delivered once and
// is recorded as sent, with its event on the case.
func (f *fixture) wantAllSentOnce(t *testing.T) {
	t.Helper()
	rows := f.all()
	ids := countIDs(t, f.sink.Messages())
	if len(ids) != len(rows) || duplicates(ids) != 0 {
		t.Errorf("%d distinct messages, %d duplicates for %d notifications; want each once", len(ids), duplicates(ids), len(rows))
	}
	for _, r := range rows {
		if r.Status != store.OutboxSent || r.Attempts != 1 || r.LeaseOwner != "" {
			t.Errorf("row %d: %s, %d attempts, lease %q; want sent on the first attempt, no lease", r.ID, r.Status, r.Attempts, r.LeaseOwner)
		}
		if r.CaseID == 0 {
			continue
		}
		events, err := f.st.Events(context.Background(), r.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(events, func(e store.EventRow) bool {
			return e.Kind == r.Kind+"_sent" && strings.HasPrefix(e.Detail, fmt.Sprintf("outbox %d:", r.ID))
		}) {
			t.Errorf("row %d: no %s_sent event on case %d", r.ID, r.Kind, r.CaseID)
		}
	}
}

// With RecordGroup the results of a pass are recorded in groups of that
// size, one transaction each; by default one per send.
func TestRecordGroupCommitsOncePerGroup(t *testing.T) {
	for _, tt := range []struct {
		group int
		want  []int
	}{
		{0, slices.Repeat([]int{1}, 21)},
		{8, []int{8, 8, 5}},
		{50, []int{21}},
	} {
		f := newFixture(t)
		f.addCases(10, nil)
		rs := &recordingStore{Store: f.st}
		var logs testkit.LogBuffer
		n, err := f.workerWith(rs, f.smtp("", ""), logs.Logger(), Options{RecordGroup: tt.group}).Drain(context.Background())
		if err != nil || n != 21 {
			t.Fatalf("RecordGroup %d: Drain = %d, %v; want 21 sent", tt.group, n, err)
		}
		if !slices.Equal(rs.groups, tt.want) {
			t.Errorf("RecordGroup %d: results per transaction %v, want %v", tt.group, rs.groups, tt.want)
		}
		f.wantAllSentOnce(t)
	}
}

// clockSender advances the fixture's clock by step for each send, as a
// slow server would.
type clockSender struct {
	notify.Sender
	f    *fixture
	step time.Duration
}

func (s clockSender) Send(ctx context.Context, o *synpunkt.Notification) error {
	err := s.Sender.Send(ctx, o)
	s.f.now = s.f.now.Add(s.step)
	return err
}

// Results kept for a group are recorded while their notifications are
// still leased to the worker, so no other worker can claim one that was
// sent, and the first of a group waits about a second at most for others.
func TestRecordGroupWithinLease(t *testing.T) {
	for _, tt := range []struct {
		step     time.Duration
		maxGroup int
	}{
		// Sends as long as SendTimeout: after one, the lease (2 min) left
		// could not outlast another, so each result is recorded first.
		{60 * time.Second, 1},
		// The second result comes 25 s after the first: recorded together.
		{25 * time.Second, 2},
		// The fourth result comes 1.2 s after the first.
		{400 * time.Millisecond, 4},
	} {
		step := tt.step
		f := newFixture(t)
		f.addCases(6, nil)
		rs := &recordingStore{Store: f.st}
		w := f.workerWith(rs, map[synpunkt.Medium]notify.Sender{synpunkt.MediumEmail: clockSender{f.smtp("", "")[synpunkt.MediumEmail], f, step}},
			slog.New(slog.DiscardHandler), Options{RecordGroup: 50})
		rs.check = func(results []store.OutboxResult) {
			rows := map[int64]store.OutboxRow{}
			for _, r := range f.all() {
				rows[r.ID] = r
			}
			for _, r := range results {
				row := rows[r.Row.ID]
				if row.LeaseOwner != w.owner || !row.LeaseUntil.After(f.now) {
					t.Errorf("step %v: row %d recorded at %v with lease %q until %v; want still leased to the worker", step, r.Row.ID, f.now, row.LeaseOwner, row.LeaseUntil)
				}
			}
		}
		n, err := w.Drain(context.Background())
		if err != nil || n != 13 {
			t.Fatalf("step %v: Drain = %d, %v; want 13 sent", step, n, err)
		}
		t.Logf("step %v: results per transaction %v", step, rs.groups)
		if slices.Max(rs.groups) != tt.maxGroup {
			t.Errorf("step %v: results per transaction %v; want groups of %d at most (and one that large)", step, rs.groups, tt.maxGroup)
		}
		f.wantAllSentOnce(t)
	}
}

// A full disk with RecordGroup: the group whose recording fails is the
// last sent; nothing more goes out until the store can be written, and
// then every notification goes out exactly once.
func TestRecordGroupFullDisk(t *testing.T) {
	f := newFixture(t)
	f.addCases(3, nil)
	ctx := context.Background()
	fs := &failingStore{Store: f.st}
	var logs testkit.LogBuffer
	w := f.workerWith(fs, f.smtp("", ""), logs.Logger(), Options{RecordGroup: 3})
	var once sync.Once
	w.st = &hookStore{failingStore: fs, afterClaim: func() { once.Do(func() { fs.mu.Lock(); fs.fail = true; fs.mu.Unlock() }) }}
	for i := range 10 {
		if _, err := w.Drain(ctx); !errors.Is(err, ErrPaused) {
			t.Fatalf("Drain %d on a full disk = %v, want ErrPaused", i, err)
		}
		f.now = f.now.Add(10 * time.Minute)
	}
	if n := len(f.sink.Messages()); n != 3 {
		t.Fatalf("sink has %d messages while the disk is full, want the first group of 3", n)
	}
	fs.mu.Lock()
	fs.fail = false
	fs.mu.Unlock()
	if _, err := w.Drain(ctx); err != nil {
		t.Fatalf("Drain after space returned: %v", err)
	}
	f.wantAllSentOnce(t)
}
