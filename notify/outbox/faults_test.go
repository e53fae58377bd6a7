package outbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smtpsend"
	"github.com/exempelby/synpunkt/store"
)

// addCases opens n cases, each with a forward to the manager and a receipt
// to the citizen, and returns the cases.
func (f *fixture) addCases(n int, original []byte) []synpunkt.Case {
	f.t.Helper()
	var cases []synpunkt.Case
	for i := range n {
		c, err := f.st.OpenCase(context.Background(), store.NewCase{
			Intake:   store.Intake{Key: fmt.Sprintf("case-%d", i), Source: "t", ReceivedAt: f.now, Raw: []byte("x")},
			Case:     synpunkt.Case{ReceivedAt: f.now, Category: synpunkt.DocKlagomal, Unit: "Gata", Committee: "Teknik", InitiatedBy: synpunkt.RolePrivatperson, Description: "Klagomål"},
			Document: synpunkt.Document{Type: synpunkt.DocKlagomal, Direction: synpunkt.Inkommande, SenderRole: "Privatperson", ReceivedAt: f.now},
		}, func(c synpunkt.Case) ([]synpunkt.Notification, error) {
			return []synpunkt.Notification{
				forward(f.t, c.Number, fmt.Sprintf("fwd-%d@exempelby.se", i), original),
				{Kind: "receipt", Channel: "email", From: "synpunkter@exempelby.se", To: fmt.Sprintf("citizen%d@example.com", i), MessageID: fmt.Sprintf("rcpt-%d@exempelby.se", i),
					Payload: []byte(fmt.Sprintf("From: synpunkter@exempelby.se\r\nTo: citizen%d@example.com\r\nMessage-ID: <rcpt-%d@exempelby.se>\r\nSubject: Kvitto\r\n\r\nHej\r\n", i, i))},
			}, nil
		})
		if err != nil {
			f.t.Fatal(err)
		}
		cases = append(cases, c)
	}
	return cases
}

// forward composes a real forward with original attached.
func forward(t testing.TB, number, id string, original []byte) synpunkt.Notification {
	t.Helper()
	comp, err := notify.NewComposer(notify.Org{Name: "Exempelby kommun", MailboxAddress: "synpunkter@exempelby.se", FromHeader: "Exempelby kommun <synpunkter@exempelby.se>", Domain: "exempelby.se"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if original == nil {
		original = []byte("From: anna@example.com\r\nSubject: Snö\r\n\r\nPloga!\r\n")
	}
	o, err := comp.Forward(notify.CaseInfo{Number: number, Category: synpunkt.DocKlagomal, Unit: "Gata", Committee: "Teknik", InitiatedBy: synpunkt.RolePrivatperson,
		Description: "Klagomål", CitizenText: "Ploga!"}, "chef@exempelby.se", original, "synpunkter@exempelby.se")
	if err != nil {
		t.Fatal(err)
	}
	n := *o
	n.MessageID = id
	return n
}

func (f *fixture) smtp(user, pass string) map[synpunkt.Medium]notify.Sender {
	return map[synpunkt.Medium]notify.Sender{synpunkt.MediumEmail: smtpsend.New(smtpsend.Config{
		Address: f.sink.Addr(), TLS: "none", Username: user, Password: pass, Timeout: 5 * time.Second})}
}

func (f *fixture) workerWith(st Store, senders map[synpunkt.Medium]notify.Sender, log *slog.Logger, opt Options) *Worker {
	opt.MaxAttempts, opt.MinBackoff, opt.MaxBackoff = 3, time.Minute, 10*time.Minute
	opt.Now = func() time.Time { return f.now }
	return New(st, senders, opt, log)
}

func (f *fixture) all() []store.OutboxRow {
	f.t.Helper()
	rows, err := f.st.AllOutbox(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return rows
}

// countIDs counts the messages the sink accepted per Message-ID header.
func countIDs(t *testing.T, msgs []smtpsink.Received) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, m := range msgs {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil || msg.Header.Get("Message-Id") == "" {
			t.Fatalf("message without Message-ID (%v): %.200q", err, m.Data)
		}
		n[strings.Trim(msg.Header.Get("Message-Id"), "<>")]++
	}
	return n
}

func duplicates(n map[string]int) int {
	d := 0
	for _, k := range n {
		d += k - 1
	}
	return d
}

// A wrong SMTP password must not burn the notifications: they wait, the
// channel is paused (logged once), and after the password is fixed and the
// daemon restarted every one goes out once.
func TestWrongPasswordThenFixed(t *testing.T) {
	f := newFixtureWith(t, smtpsink.WithAuth("svc", "rätt-lösen"))
	f.addCases(20, nil)
	ctx := context.Background()
	var logs testkit.LogBuffer
	w := f.workerWith(f.st, f.smtp("svc", "fel-lösen"), logs.Logger(), Options{})
	// Three days of retries with the wrong password.
	for range 3 * 24 * 12 {
		if n, err := w.Drain(ctx); n != 0 || err != nil {
			t.Fatalf("Drain with the wrong password = %d, %v", n, err)
		}
		f.now = f.now.Add(5 * time.Minute)
	}
	probed := 0
	for _, r := range f.all() {
		if r.Status != store.OutboxPending || r.Attempts != 0 {
			t.Fatalf("after 3 days of 535: row %d %s %s, %d attempts; want pending, no attempts used", r.ID, r.Kind, r.Status, r.Attempts)
		}
		if strings.Contains(r.LastError, "535") {
			probed++
		}
	}
	if probed == 0 {
		t.Error("no row records the 535")
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("%d ERROR lines while paused, want 1 (once per state change):\n%s", n, logs.String())
	}
	// Fix the password and restart.
	f.st.Close()
	f.open()
	f.addCases(0, nil)
	w = f.workerWith(f.st, f.smtp("svc", "rätt-lösen"), logs.Logger(), Options{})
	n, err := w.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.sink.Messages()
	ids := countIDs(t, msgs)
	forwards, receipts := 0, 0
	for _, m := range msgs {
		switch {
		case m.To[0] == "chef@exempelby.se":
			forwards++
		case strings.HasPrefix(m.To[0], "citizen"):
			receipts++
		}
	}
	t.Logf("after the fix: Drain sent %d; sink has %d messages: %d forwards, %d receipts of the 20 cases (+1 fixture receipt), %d duplicate Message-IDs", n, len(msgs), forwards, receipts, duplicates(ids))
	if n != 41 || forwards != 20 || receipts != 20 || duplicates(ids) != 0 {
		t.Errorf("after the fix: sent %d, %d forwards, %d receipts, %d duplicates; want 41, 20, 20, 0", n, forwards, receipts, duplicates(ids))
	}
	for _, r := range f.all() {
		if r.Status != store.OutboxSent {
			t.Errorf("row %d %s: %s, want sent", r.ID, r.Kind, r.Status)
		}
	}
}

// Without a restart the paused channel is probed again and resumes.
func TestPausedChannelResumes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var logs testkit.LogBuffer
	w := f.workerWith(f.st, f.smtp("", ""), logs.Logger(), Options{MaxPause: 2 * time.Minute})
	f.sink.FailNext(1, 421)
	if n, _ := w.Drain(ctx); n != 0 {
		t.Fatalf("Drain on 421 sent %d", n)
	}
	if n, _ := w.Drain(ctx); n != 0 || len(f.sink.Messages()) != 0 {
		t.Fatalf("sent during the pause")
	}
	f.now = f.now.Add(2 * time.Minute)
	if n, err := w.Drain(ctx); n != 1 || err != nil {
		t.Fatalf("Drain after the pause = %d, %v; want 1 sent", n, err)
	}
	if !strings.Contains(logs.String(), "channel resumed") {
		t.Errorf("no INFO on resume:\n%s", logs.String())
	}
}

// A 550 naming the citizen: the address stays in the purgeable outbox row,
// out of the log and the append-only event log.
func TestRejectedRecipientLeavesNoAddressInLogsOrEvents(t *testing.T) {
	const addr = "citizen.rcpt550@example.com"
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.st.DB().ExecContext(ctx, "UPDATE outbox SET recipient = ?", addr); err != nil {
		t.Fatal(err)
	}
	f.sink.RejectRecipient(addr, 550)
	var logs testkit.LogBuffer
	f.workerWith(f.st, f.smtp("", ""), logs.Logger(), Options{}).Drain(ctx)
	r := f.row()
	if r.Status != store.OutboxFailed || !strings.Contains(r.LastError, addr) {
		t.Errorf("row = %+v, want failed with the server's text in last_error", r)
	}
	if strings.Contains(logs.String(), addr) {
		t.Errorf("the log names the recipient:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), fmt.Sprintf("outbox_id=%d", r.ID)) || !strings.Contains(logs.String(), "code=550") {
		t.Errorf("the log lacks the outbox id and the code:\n%s", logs.String())
	}
	events, _ := f.st.Events(ctx, f.c.ID)
	last := events[len(events)-1]
	if last.Kind != "receipt_failed" || strings.Contains(last.Detail, addr) || !strings.Contains(last.Detail, "550") ||
		!strings.Contains(last.Detail, fmt.Sprintf("outbox %d", r.ID)) {
		t.Errorf("last event = %+v, want receipt_failed with the id and code, without the address", last)
	}
}

// Two workers (two daemons, or a command beside the daemon) on one
// database with a slow server send every notification once.
func TestTwoWorkersSendEachOnce(t *testing.T) {
	f := newFixture(t)
	f.addCases(20, nil)
	f.sink.SetDelay(20 * time.Millisecond)
	other, err := store.Open(context.Background(), f.path, store.Options{Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var logs testkit.LogBuffer
	workers := []*Worker{f.workerWith(f.st, f.smtp("", ""), logs.Logger(), Options{}), f.workerWith(other, f.smtp("", ""), logs.Logger(), Options{})}
	var wg sync.WaitGroup
	sent := make([]int, 2)
	for i, w := range workers {
		wg.Go(func() {
			n, err := w.Drain(context.Background())
			if err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
			sent[i] = n
		})
	}
	wg.Wait()
	ids := countIDs(t, f.sink.Messages())
	t.Logf("two workers sent %d + %d; sink has %d messages, %d distinct Message-IDs, %d duplicates", sent[0], sent[1], len(f.sink.Messages()), len(ids), duplicates(ids))
	if len(ids) != 41 || duplicates(ids) != 0 || sent[0]+sent[1] != 41 {
		t.Errorf("got %d distinct, %d duplicates, %d sent; want 41, 0, 41", len(ids), duplicates(ids), sent[0]+sent[1])
	}
}

// failingStore is a store whose writes of results fail while fail is set,
// as on a full disk.
type failingStore struct {
	*store.Store
	mu   sync.Mutex
	fail bool
}

var errDiskFull = errors.New("database or disk is full (13)")

func (s *failingStore) failing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fail
}

func (s *failingStore) RecordOutbox(ctx context.Context, results []store.OutboxResult) error {
	if s.failing() {
		return errDiskFull
	}
	return s.Store.RecordOutbox(ctx, results)
}

func (s *failingStore) ClaimOutbox(ctx context.Context, id int64, owner string, now, until time.Time) ([]byte, bool, error) {
	if s.failing() {
		return nil, false, errDiskFull
	}
	return s.Store.ClaimOutbox(ctx, id, owner, now, until)
}

func (s *failingStore) ClaimOutboxBatch(ctx context.Context, ids []int64, owner string, now, until time.Time) ([]int64, error) {
	if s.failing() {
		return nil, errDiskFull
	}
	return s.Store.ClaimOutboxBatch(ctx, ids, owner, now, until)
}

func (s *failingStore) ReleaseClaims(ctx context.Context, owner string, ids []int64) error {
	if s.failing() {
		return errDiskFull
	}
	return s.Store.ReleaseClaims(ctx, owner, ids)
}

// A full disk: the first send succeeds but cannot be recorded. Nothing is
// sent again, nothing else is sent, until a write succeeds; then each
// notification goes out exactly once.
func TestFullDiskStopsSending(t *testing.T) {
	f := newFixture(t)
	f.addCases(3, nil)
	ctx := context.Background()
	fs := &failingStore{Store: f.st}
	var logs testkit.LogBuffer
	w := f.workerWith(fs, f.smtp("", ""), logs.Logger(), Options{})
	// The claim succeeds, the send succeeds, recording it fails.
	var once sync.Once
	hook := &hookStore{failingStore: fs, afterClaim: func() { once.Do(func() { fs.mu.Lock(); fs.fail = true; fs.mu.Unlock() }) }}
	w.st = hook
	for i := range 20 {
		_, err := w.Drain(ctx)
		if !errors.Is(err, ErrPaused) {
			t.Fatalf("Drain %d on a full disk = %v, want ErrPaused", i, err)
		}
		f.now = f.now.Add(10 * time.Minute) // leases run out, backoffs elapse
	}
	if n := len(f.sink.Messages()); n != 1 {
		t.Fatalf("sink has %d messages while the disk is full, want 1", n)
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("%d ERROR lines while the disk is full, want 1:\n%s", n, logs.String())
	}
	fs.mu.Lock()
	fs.fail = false
	fs.mu.Unlock()
	if _, err := w.Drain(ctx); err != nil {
		t.Fatalf("Drain after space returned: %v", err)
	}
	ids := countIDs(t, f.sink.Messages())
	t.Logf("after space returned: sink has %d messages, %d distinct, %d duplicates", len(f.sink.Messages()), len(ids), duplicates(ids))
	if len(ids) != 7 || duplicates(ids) != 0 {
		t.Errorf("got %d distinct, %d duplicates; want 7 notifications exactly once", len(ids), duplicates(ids))
	}
	for _, r := range f.all() {
		if r.Status != store.OutboxSent {
			t.Errorf("row %d: %s, want sent", r.ID, r.Status)
		}
	}
	if !strings.Contains(logs.String(), "outbox resumed") {
		t.Errorf("no INFO on resume:\n%s", logs.String())
	}
}

// hookStore runs afterClaim after each successful claim.
type hookStore struct {
	*failingStore
	afterClaim func()
}

func (h *hookStore) ClaimOutbox(ctx context.Context, id int64, owner string, now, until time.Time) ([]byte, bool, error) {
	p, ok, err := h.failingStore.ClaimOutbox(ctx, id, owner, now, until)
	if err == nil && ok {
		h.afterClaim()
	}
	return p, ok, err
}

func (h *hookStore) ClaimOutboxBatch(ctx context.Context, ids []int64, owner string, now, until time.Time) ([]int64, error) {
	got, err := h.failingStore.ClaimOutboxBatch(ctx, ids, owner, now, until)
	if err == nil && len(got) > 0 {
		h.afterClaim()
	}
	return got, err
}

// A 16 MB forward against a relay that takes 10 MB goes without the
// original, with a note, instead of failing for good.
func TestTooLargeForwardGoesWithoutOriginal(t *testing.T) {
	f := newFixtureWith(t, smtpsink.WithMaxSize(10<<20))
	photo := bytes.Repeat([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n"), 16<<20/38)
	original := append([]byte("From: anna@example.com\r\nSubject: Foto\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n"), photo...)
	cases := f.addCases(1, original)
	var logs testkit.LogBuffer
	if _, err := f.workerWith(f.st, f.smtp("", ""), logs.Logger(), Options{}).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	var fwd []byte
	for _, m := range f.sink.Messages() {
		if m.To[0] == "chef@exempelby.se" {
			fwd = m.Data
		}
	}
	if fwd == nil {
		t.Fatalf("no forward delivered; rows: %+v", f.all())
	}
	if len(fwd) > 64<<10 || bytes.Contains(fwd, []byte("message/rfc822")) || !bytes.Contains(fwd, []byte(cases[0].Number)) ||
		!bytes.Contains(fwd, []byte("inte bifogat")) {
		t.Errorf("forward delivered is %d bytes, want it small, without the original, with the note naming the case:\n%.2000s", len(fwd), fwd)
	}
	for _, r := range f.all() {
		if r.Status != store.OutboxSent {
			t.Errorf("row %d %s: %s (%s), want sent", r.ID, r.Kind, r.Status, r.LastError)
		}
	}
}

// A forward that fails for good is reported through OnFailed (the daemon
// alerts the contact center) and recorded on the case.
func TestFailedForwardIsReported(t *testing.T) {
	f := newFixture(t)
	cases := f.addCases(1, nil)
	f.sink.RejectRecipient("chef@exempelby.se", 550)
	var failed []store.OutboxRow
	var logs testkit.LogBuffer
	w := f.workerWith(f.st, f.smtp("", ""), logs.Logger(), Options{OnFailed: func(_ context.Context, o store.OutboxRow, summary string) {
		failed = append(failed, o)
	}})
	w.Drain(context.Background())
	if len(failed) != 1 || failed[0].Kind != "forward" || failed[0].CaseID != cases[0].ID || failed[0].CaseNumber != cases[0].Number {
		t.Fatalf("OnFailed got %+v, want the one forward of %s", failed, cases[0].Number)
	}
	events, _ := f.st.Events(context.Background(), cases[0].ID)
	found := false
	for _, e := range events {
		found = found || e.Kind == "forward_failed"
	}
	if !found {
		t.Errorf("events = %+v, want forward_failed", events)
	}
}

// A daemon killed mid-send leaves a lease; the next one on this host
// releases it at start instead of waiting for it to run out. A live
// owner's lease is kept.
func TestReleaseStaleLeases(t *testing.T) {
	f := newFixture(t)
	f.addCases(1, nil)
	ctx := context.Background()
	host, _ := os.Hostname()
	dead, live := host+"/999999999/dead", host+fmt.Sprintf("/%d/live", os.Getpid())
	if _, err := f.st.DB().ExecContext(ctx, "UPDATE outbox SET lease_owner = CASE WHEN id = 1 THEN ? ELSE ? END, lease_until = '2999-01-01T00:00:00.000Z'", dead, live); err != nil {
		t.Fatal(err)
	}
	n, err := ReleaseStale(ctx, f.st)
	if err != nil || n != 1 {
		t.Fatalf("ReleaseStale = %d, %v; want the dead owner's 1 lease", n, err)
	}
	for _, r := range f.all() {
		if want := map[bool]string{true: "", false: live}[r.ID == 1]; r.LeaseOwner != want {
			t.Errorf("row %d lease owner %q, want %q", r.ID, r.LeaseOwner, want)
		}
	}
}

// A relay that announces no SIZE but answers 552 at the end of DATA: the
// forward goes again without the original, in the same pass.
func TestForwardRefused552GoesWithoutOriginal(t *testing.T) {
	f := newFixture(t)
	var logs testkit.LogBuffer
	w := f.workerWith(f.st, f.smtp("", ""), logs.Logger(), Options{})
	w.Drain(context.Background()) // the fixture's receipt
	f.addCases(1, nil)            // a forward, then a receipt
	f.sink.FailNext(1, 552)
	n, err := w.Drain(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("Drain = %d, %v; want 2 sent", n, err)
	}
	for _, r := range f.all() {
		if r.Status != store.OutboxSent {
			t.Errorf("row %d %s: %s (%s), want sent", r.ID, r.Kind, r.Status, r.LastError)
		}
	}
	for _, m := range f.sink.Messages() {
		if m.To[0] == "chef@exempelby.se" && bytes.Contains(m.Data, []byte("message/rfc822")) {
			t.Error("the forward after 552 still carries the original")
		}
	}
}
