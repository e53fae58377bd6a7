package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// backlogNow is the injected clock of the backlog tests: Monday 23 November
// 2026 10:00 in Stockholm.
var backlogNow = time.Date(2026, 11, 23, 10, 0, 0, 0, workday.Stockholm)

// clockDaemon is the sample municipality's daemon with its clock at *now.
func clockDaemon(t *testing.T, now *time.Time) *daemon.Daemon {
	t.Helper()
	return daemonAt(t, func() time.Time { return *now })
}

// backlogTexts route to different units, handlers and categories.
var backlogTexts = []struct{ subject, body string }{
	{"Snöröjning", "Snöröjningen på Storgatan fungerar inte, gångbanan är full av snö."},
	{"Trasig gatlykta", "Gatlyktan vid Torget är trasig och lyser inte."},
	{"Bygglov", "Jag sökte bygglov för ett garage och har inte hört något från bygglovsenheten."},
	{"Sophämtning", "Soporna har inte hämtats på tre veckor, kärlet är överfullt."},
	{"Beröm", "Tack till personalen på Solrosen förskola, ni gör ett fantastiskt jobb!"},
	{"Hemsidan", "Det går inte att hitta öppettiderna på hemsidan."},
	{"Skolskjuts", "Skolbussen till Kyrkskolan kom inte i morse."},
}

// writeBacklogMbox writes an mbox of n messages as a migrated mailbox
// holds them: most dated over the year before backlogNow (some within
// old_message_age), every tenth without a Date header, every tenth with a
// Date after backlogNow.
func writeBacklogMbox(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		txt := backlogTexts[i%len(backlogTexts)]
		fmt.Fprintf(&b, "From medborgare%d@example.net Mon Jan  5 10:00:00 2026\n", i)
		fmt.Fprintf(&b, "From: Medborgare %d <medborgare%d@example.net>\nTo: synpunkter@exempelby.se\n", i, i)
		switch i % 10 {
		case 0: // no Date header
		case 1:
			fmt.Fprintf(&b, "Date: %s\n", backlogNow.Add(time.Duration(i)*time.Hour).Format(time.RFC1123Z))
		default:
			fmt.Fprintf(&b, "Date: %s\n", backlogNow.Add(-time.Duration(i)*3*time.Hour).Format(time.RFC1123Z))
		}
		fmt.Fprintf(&b, "Subject: %s\nMessage-ID: <backlog-%d@example.net>\nContent-Type: text/plain; charset=utf-8\n\n%s\nÄrende nummer %d.\n\n",
			txt.subject, i, txt.body, i)
	}
	p := filepath.Join(t.TempDir(), "backlog.mbox")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportedBacklogSendsNothing: `import --no-notify` of a 3,000-message
// mbox, then the deadline scheduler at later and later times: no reminder,
// no escalation, nothing in the outbox. Nobody was ever sent these cases.
func TestImportedBacklogSendsNothing(t *testing.T) {
	n := 3000 // the experiment; figures in the closing note come from this size
	if testing.Short() || raceEnabled {
		n = 300
	}
	now := backlogNow
	d := clockDaemon(t, &now)
	ctx := context.Background()
	start := time.Now()
	sum, err := d.Pipeline.Import(ctx, []string{writeBacklogMbox(t, n)}, true)
	if err != nil {
		t.Fatalf("Import = %v", err)
	}
	t.Logf("imported %d messages in %s: %+v", n, time.Since(start).Round(time.Millisecond), sum)
	if sum.Registered != n {
		t.Fatalf("registered %d of %d", sum.Registered, n)
	}
	actions := map[string]int{}
	for _, later := range []time.Duration{0, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 400 * 24 * time.Hour, 10 * 365 * 24 * time.Hour} {
		now = backlogNow.Add(later)
		sent, err := d.Casework.RunDeadlines(ctx, now, false)
		if err != nil {
			t.Fatalf("RunDeadlines(%s) = %v", now, err)
		}
		for _, a := range sent {
			actions[a.Kind]++
		}
	}
	t.Logf("deadline actions sent over ten years: %d reminders, %d escalations", actions[lifecycle.KindReminder], actions[lifecycle.KindEscalation])
	if len(actions) != 0 {
		t.Errorf("deadline actions for cases never forwarded: %v, want none", actions)
	}
	out, err := d.Store.AllOutbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 0 {
		t.Errorf("outbox after import --no-notify and deadlines = %d rows, want 0", len(out))
	}
	open, err := d.Store.ListCases(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range open {
		if !c.FirstResponseDue.IsZero() || !c.FinalDue.IsZero() {
			t.Fatalf("%s has deadlines %s / %s though it was never forwarded", c.Number, c.FirstResponseDue, c.FinalDue)
		}
	}
}

// TestForwardStartsTheClocks: the clerk forwards chosen cases of an
// imported backlog; each gets one forward to its handler and deadlines
// counted from the forward, and only those cases get reminders.
func TestForwardStartsTheClocks(t *testing.T) {
	now := backlogNow
	d := clockDaemon(t, &now)
	ctx := context.Background()
	if _, err := d.Pipeline.Import(ctx, []string{writeBacklogMbox(t, 70)}, true); err != nil {
		t.Fatal(err)
	}
	cases, err := d.Store.ListCases(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	chosen := []string{cases[0].Number, cases[2].Number, cases[55].Number} // undated, bygglov (unit handler), a month old
	now = time.Date(2027, 3, 1, 9, 0, 0, 0, workday.Stockholm)             // Monday
	for _, n := range chosen {
		c, err := d.Casework.Forward(ctx, n, time.Time{}, "cli")
		if err != nil {
			t.Fatalf("Forward(%s) = %v", n, err)
		}
		if want := time.Date(2027, 3, 3, 9, 0, 0, 0, workday.Stockholm); !c.FirstResponseDue.Equal(want) {
			t.Errorf("Forward(%s): first response due %s, want %s (48 working hours from the forward)", n, c.FirstResponseDue, want)
		}
	}
	if _, err := d.Casework.Forward(ctx, chosen[0], time.Time{}, "cli"); !errors.Is(err, casework.ErrClocksRunning) {
		t.Errorf("Forward twice = %v, want ErrClocksRunning", err)
	}
	fwd := outboxOf(t, d, synpunkt.KindForward)
	if len(fwd) != 3 {
		t.Fatalf("forwards = %d, want 3", len(fwd))
	}
	if c := caseOf(t, d, chosen[1]); c.Unit != "Bygglovsenheten" || fwd[1].To != "bygglov@exempelby.se" {
		t.Errorf("bygglov case (%s) forwarded to %s, want the unit's handler bygglov@exempelby.se", c.Unit, fwd[1].To)
	}
	m, err := mimeparse.Parse(fwd[2].Payload)
	if err != nil {
		t.Fatal(err)
	}
	if body := m.Text; !strings.Contains(body, "Fristerna räknas från 2027-03-01 09:00") || !strings.Contains(body, "första besked senast onsdag 3 mars") {
		t.Errorf("forward does not say the deadlines count from the forward:\n%s", body)
	}
	sent, err := d.Casework.RunDeadlines(ctx, now.AddDate(1, 0, 0), false)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, a := range sent {
		per[a.Number]++
	}
	if len(per) != 3 || per[chosen[0]] == 0 || per[chosen[1]] == 0 || per[chosen[2]] == 0 {
		t.Errorf("deadline actions per case = %v, want actions for exactly %v", per, chosen)
	}
	t.Logf("a year after forwarding 3 of 70 cases: %d deadline actions, %v", len(sent), per)
}

func outboxOf(t *testing.T, d *daemon.Daemon, kind string) []store.OutboxRow {
	t.Helper()
	all, err := d.Store.AllOutbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []store.OutboxRow
	for _, o := range all {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}

func caseOf(t *testing.T, d *daemon.Daemon, number string) synpunkt.Case {
	t.Helper()
	c, err := d.Store.CaseByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestForwardCommand runs `synpunkt forward` on an imported case.
func TestForwardCommand(t *testing.T) {
	cfg := importSnow(t, "cli-fwd@example.net")
	var cases []caseJSON
	out, _ := run(t, "cases", "--config", cfg, "--json")
	if err := json.Unmarshal([]byte(out), &cases); err != nil || len(cases) != 1 {
		t.Fatalf("cases = %s (%v), want one", out, err)
	}
	number := cases[0].Number // numbered by the (real) day of registration
	if d := cases[0].Documents[0].ClaimedDate; d == nil || !d.Equal(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("claimed_date = %v, want the Date header 2026-11-23 09:00 +0100", d)
	}
	out, code := run(t, "forward", "--config", cfg, "--at", "2026-11-23T09:00", number)
	if code != 0 || !strings.Contains(out, number+" skickat till gatuchef@exempelby.se; första besked senast 2026-11-25 09:00, svar senast 2026-12-07 09:00") {
		t.Errorf("forward: exit %d, %q", code, out)
	}
	if _, code := run(t, "forward", "--config", cfg, number); code != 1 {
		t.Errorf("forwarding a forwarded case: exit %d, want 1", code)
	}
	if _, code := run(t, "forward", "--config", cfg); code != 2 {
		t.Errorf("forward without NUMBER: exit %d, want 2", code)
	}
	out, _ = run(t, "deadlines", "--config", cfg, "--at", "2026-11-25T09:00", "--dry-run")
	if !strings.Contains(out, number+"  reminder") {
		t.Errorf("deadlines after forward:\n%s", out)
	}
}
