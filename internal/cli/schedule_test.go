package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/xuri/excelize/v2"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/smtpsink"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smtpsend"
	"github.com/exempelby/synpunkt/workday"
)

// reportDaemon wires the sample municipality with a monthly report to
// Samhällsbyggnadsnämnden, its database at db, its clock at *now and its mail to
// sink. Each call is a restart.
func reportDaemon(t *testing.T, db string, now *time.Time, sink *smtpsink.Sink) *daemon.Daemon {
	t.Helper()
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store.Path = db
	cfg.Deadlines.DigestTime, cfg.Deadlines.DigestTo = "07:30", "kontaktcenter@exempelby.se"
	cfg.Reports = []config.Report{{Committee: "Samhällsbyggnadsnämnden", To: "sbn@exempelby.se", Every: "month", Format: "xlsx"}}
	senders := map[synpunkt.Medium]notify.Sender{synpunkt.MediumEmail: smtpsend.New(smtpsend.Config{Address: sink.Addr(), TLS: "none", Timeout: 5 * time.Second})}
	d, err := daemon.New(context.Background(), cfg, slog.New(slog.DiscardHandler), daemon.Options{Now: func() time.Time { return *now }, Senders: senders})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tick runs the report schedule and the digest at now, then sends what
// they queued.
func tick(t *testing.T, d *daemon.Daemon, now time.Time) int {
	t.Helper()
	ctx := context.Background()
	n, err := d.Reports.Run(ctx, now)
	if err != nil {
		t.Fatalf("reports at %s: %v", now, err)
	}
	if _, err := d.Casework.Digest(ctx, now); err != nil {
		t.Fatalf("digest at %s: %v", now, err)
	}
	if _, err := d.Outbox.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestScheduledReports crosses two period boundaries (November→December,
// December→January, whose first working day is Monday 4 January), with
// restarts in between, and sees one report mail per period on the first
// working day after it, with the workbook attached, and the digest naming
// it.
func TestScheduledReports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	local := func(m time.Month, day, h int, y ...int) time.Time {
		year := 2026
		if len(y) > 0 {
			year = y[0]
		}
		return time.Date(year, m, day, h, 0, 0, 0, workday.Stockholm)
	}
	now := local(11, 10, 9)
	d := reportDaemon(t, db, &now, sink)
	var paths []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("n%d.eml", i))
		msg := fmt.Sprintf("From: per%d@example.net\r\nTo: synpunkter@exempelby.se\r\nSubject: Snöröjning\r\nDate: Tue, 10 Nov 2026 08:0%d:00 +0100\r\nMessage-ID: <sched-%d@example.net>\r\n\r\nSnöröjningen på Storgatan fungerar inte, gångbanan är full av snö.\r\n", i, i, i)
		os.WriteFile(p, []byte(msg), 0o600)
		paths = append(paths, p)
	}
	if _, err := d.Pipeline.Import(context.Background(), paths, false); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		at      time.Time
		restart bool
		want    int // reports queued at this tick
	}{
		{local(11, 27, 10), false, 1},     // first run: the last finished month, October
		{local(11, 30, 23), true, 0},      // November not over
		{local(12, 1, 0), false, 1},       // Tuesday 1 December: November
		{local(12, 1, 9), true, 0},        // restart: not again
		{local(12, 15, 9), true, 0},       // nor later in the month
		{local(1, 1, 10, 2027), false, 0}, // New Year's Day: a holiday
		{local(1, 2, 10, 2027), true, 0},  // Saturday
		{local(1, 4, 0, 2027), false, 1},  // Monday 4 January: December
		{local(1, 4, 9, 2027), true, 0},   // restart: not again
		{local(1, 20, 9, 2027), false, 0}, // nor later
	}
	for _, s := range steps {
		now = s.at
		if s.restart {
			d.Close()
			d = reportDaemon(t, db, &now, sink)
		}
		if got := tick(t, d, s.at); got != s.want {
			t.Errorf("at %s: %d reports queued, want %d", s.at.Format("2006-01-02 15:04"), got, s.want)
		}
	}
	d.Close()
	reports := map[string]int{}
	var digests []string
	for _, m := range sink.Messages() {
		subject, parts := readMail(t, m.Data)
		switch {
		case strings.HasPrefix(subject, "Synpunkter 2026-") && strings.Contains(subject, "statistik"):
			reports[subject]++
			if m.To[0] != "sbn@exempelby.se" {
				t.Errorf("report to %v", m.To)
			}
			checkAttachedWorkbook(t, subject, parts)
		case strings.HasPrefix(subject, "Synpunkter: daglig översikt"):
			digests = append(digests, string(parts[0].body))
		}
	}
	for _, p := range []string{"2026-10", "2026-11", "2026-12"} {
		if n := reports["Synpunkter "+p+": statistik för Samhällsbyggnadsnämnden"]; n != 1 {
			t.Errorf("report %s sent %d times, want once (all: %v)", p, n, reports)
		}
	}
	if len(reports) != 3 {
		t.Errorf("reports = %v, want 3", reports)
	}
	mentioned := 0
	for _, body := range digests {
		if strings.Contains(body, "Statistik skickad till nämnderna") && strings.Contains(body, "synpunkter-samhallsbyggnadsnamnden-2026-11.xlsx") {
			mentioned++
		}
	}
	if mentioned != 1 {
		t.Errorf("%d digests name the November report, want 1; digests:\n%s", mentioned, strings.Join(digests, "\n---\n"))
	}
}

type mailPart struct {
	name string
	body []byte
}

func readMail(t *testing.T, data []byte) (string, []mailPart) {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := r.Header.Subject()
	var parts []mailPart
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p.Body)
		var name string
		if h, ok := p.Header.(*mail.AttachmentHeader); ok {
			name, _ = h.Filename()
		}
		parts = append(parts, mailPart{name, body})
	}
	return subject, parts
}

// checkAttachedWorkbook opens the attached workbook of a report mail.
func checkAttachedWorkbook(t *testing.T, subject string, parts []mailPart) {
	t.Helper()
	if len(parts) != 2 || !strings.HasSuffix(parts[1].name, ".xlsx") {
		t.Errorf("%s: parts %d, attachment %q", subject, len(parts), parts[len(parts)-1].name)
		return
	}
	f, err := excelize.OpenReader(bytes.NewReader(parts[1].body))
	if err != nil {
		t.Errorf("%s: attachment does not open: %v", subject, err)
		return
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Sammanfattning", "A1"); !strings.Contains(v, "Samhällsbyggnadsnämnden") {
		t.Errorf("%s: summary title %q", subject, v)
	}
	if strings.Contains(subject, "2026-11") {
		if v, _ := f.GetCellValue("Sammanfattning", "B5"); v != "3" {
			t.Errorf("%s: received %q, want the 3 November cases", subject, v)
		}
	}
}
