package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/casework"
)

// TestImportAndStatsCountMachineMail: import reports a bounce, an
// auto-reply and a feedback report as what they are, not as registered,
// and stats counts them among the messages that opened no case.
func TestImportAndStatsCountMachineMail(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	write := func(name, msg string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(msg, "\n", "\r\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const date = "Date: Mon, 23 Nov 2026 09:00:00 +0100\n"
	files := []string{
		write("case.eml", "From: a@example.com\nTo: synpunkter@exempelby.se\nSubject: Lampa\n"+date+"Message-ID: <m1@example.com>\n\nGatlyktan på Storgatan är trasig.\n"),
		write("bounce.eml", "From: MAILER-DAEMON@mx.example.com\nReturn-Path: <>\nTo: synpunkter@exempelby.se\nSubject: Undelivered Mail Returned to Sender\n"+date+"Message-ID: <m2@mx.example.com>\n"+
			"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nThis is the mail system at host mx.example.com.\n--b\nContent-Type: message/delivery-status\n\nAction: failed\n--b--\n"),
		write("oof.eml", "From: lars@example.com\nTo: synpunkter@exempelby.se\nSubject: =?utf-8?q?Fr=C3=A5nvaro=3A_Ditt_meddelande?=\n"+date+"Message-ID: <m3@example.com>\nAuto-Submitted: auto-replied\n\nJag är på semester.\n"),
		write("arf.eml", "From: fbl@isp.example\nTo: synpunkter@exempelby.se\nSubject: Email Feedback Report for IP 192.0.2.1\n"+date+"Message-ID: <m4@isp.example>\n"+
			"Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nabuse\n--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n--b--\n"),
	}
	out, code := run(t, append([]string{"import", "--config", cfg, "--no-notify", "--json"}, files...)...)
	if code != 0 {
		t.Fatal("import failed")
	}
	var got casework.ImportSummary
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("import --json = %q: %v", out, err)
	}
	if want := (casework.ImportSummary{Registered: 1, Bounces: 1, AutoReplies: 1, Reports: 1}); got != want {
		t.Errorf("import = %+v, want %+v", got, want)
	}
	out, code = run(t, "stats", "--config", cfg, "--from", "2026-01-01", "--to", "2026-12-31")
	if code != 0 {
		t.Fatal("stats failed")
	}
	for _, want := range []string{"returmeddelande", "automatiskt svar", "missbruksrapport (ARF)"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
}

// recorded is how many messages of an import got a new ledger row.
func recorded(s casework.ImportSummary) int {
	return s.Registered + s.Quarantined + s.Bounces + s.AutoReplies + s.Reports
}
