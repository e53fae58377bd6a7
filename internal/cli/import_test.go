package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/internal/testshared"
	"github.com/exempelby/synpunkt/mailbox/mailfiles"
)

// corpusPaths lists the corpus's source folders (not its LICENSES/ and
// documentation files).
func corpusPaths(t *testing.T) []string {
	dir := testshared.Dir(t, "corpus/mime")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "LICENSES" {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	return paths
}

// TestImportCorpus sends every message of the shared MIME corpus through
// import: each must end as a registration or in quarantine with a reason,
// none lost, none panicking, every registered text valid UTF-8.
func TestImportCorpus(t *testing.T) {
	paths := corpusPaths(t)
	d := sampleDaemon(t)
	ctx := context.Background()
	var sources int
	if err := mailfiles.Walk(paths, func(mailfiles.Source) error { sources++; return nil }); err != nil {
		t.Fatal(err)
	}
	sum, err := d.Pipeline.Import(ctx, paths, false)
	if err != nil {
		t.Fatalf("Import(corpus) = %v", err)
	}
	t.Logf("corpus: %d messages from %d folders: %+v", sources, len(paths), sum)
	if recorded(sum)+sum.Duplicates != sources {
		t.Errorf("accounted for %d of %d messages", recorded(sum)+sum.Duplicates, sources)
	}
	counts, err := d.Store.IntakeCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ledger := 0
	for _, n := range counts {
		ledger += n
	}
	if ledger != recorded(sum) {
		t.Errorf("ledger has %d rows, want all but the duplicates = %d (%v)", ledger, recorded(sum), counts)
	}
	q, err := d.Store.Quarantined(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range q {
		if r.Reason == "" {
			t.Errorf("quarantined %s without a reason", r.Source)
		}
		t.Logf("quarantined %s: %s", strings.TrimPrefix(r.Source, filepath.Dir(paths[0])+"/"), r.Reason)
	}
	rows, err := d.Store.DB().Query("SELECT d.text, c.description FROM documents d JOIN cases c ON c.id = d.case_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var text, desc string
		rows.Scan(&text, &desc)
		if !utf8.ValidString(text) || !utf8.ValidString(desc) {
			t.Errorf("invalid UTF-8 registered: description %q", desc)
		}
	}
	again, err := d.Pipeline.Import(ctx, paths, false)
	if err != nil {
		t.Fatal(err)
	}
	if recorded(again) != 0 {
		t.Errorf("second import = %+v, want nothing new", again)
	}
}

func TestImportCommandJSON(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "c.toml")
	conf := strings.Replace(string(sample.Municipality), "[organisation]", "[store]\npath = \""+filepath.Join(dir, "s.db")+"\"\n\n[organisation]", 1)
	if err := os.WriteFile(cfgPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	eml := filepath.Join(dir, "a.eml")
	os.WriteFile(eml, []byte("From: a@example.com\r\nTo: synpunkter@exempelby.se\r\nSubject: Lampa\r\nMessage-ID: <x1@example.com>\r\n\r\nGatlyktan är trasig.\r\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "empty.eml"), nil, 0o600)
	for i, want := range []casework.ImportSummary{{Registered: 1, Quarantined: 1}, {Duplicates: 2}} {
		var out, errb bytes.Buffer
		code := Run(testCtx(), []string{"import", "--config", cfgPath, "--no-notify", "--json", eml, filepath.Join(dir, "empty.eml")}, &out, &errb)
		if code != 0 {
			t.Fatalf("import #%d exit %d: %s", i, code, errb.String())
		}
		var got casework.ImportSummary
		if err := json.Unmarshal(out.Bytes(), &got); err != nil || got != want {
			t.Errorf("import #%d = %s (%v), want %+v", i, out.String(), err, want)
		}
	}
	var out bytes.Buffer
	if code := Run(testCtx(), []string{"cases", "--config", cfgPath, "--json"}, &out, io.Discard); code != 0 {
		t.Fatalf("cases exit %d", code)
	}
	var cases []map[string]any
	if err := json.Unmarshal(out.Bytes(), &cases); err != nil || len(cases) != 1 {
		t.Fatalf("cases --json = %s (%v), want one case", out.String(), err)
	}
	for _, k := range []string{"number", "status", "category", "unit", "committee", "initiated_by", "description", "received_at", "documents"} {
		if _, ok := cases[0][k]; !ok {
			t.Errorf("cases --json lacks %q", k)
		}
	}
}

func TestCheckConfigNamesTheKey(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(p, []byte(strings.Replace(string(sample.Municipality), `tls = "none"`, `tls = "ssl"`, 1)), 0o600)
	var errb bytes.Buffer
	if code := Run(context.Background(), []string{"check-config", "--config", p}, io.Discard, &errb); code != 1 || !strings.Contains(errb.String(), "imap.tls") {
		t.Errorf("check-config exit %d, stderr %q; want 1 naming imap.tls", code, errb.String())
	}
}

// check-config warns loudly when organisation.authserv_id is unset, and
// is quiet once it is set.
func TestCheckConfigWarnsWithoutAuthservID(t *testing.T) {
	for _, tt := range []struct {
		conf string
		warn bool
	}{
		{string(sample.Municipality), true},
		{strings.Replace(string(sample.Municipality), "[organisation]", "[organisation]\nauthserv_id = \"mx.exempelby.se\"", 1), false},
	} {
		p := filepath.Join(t.TempDir(), "c.toml")
		if err := os.WriteFile(p, []byte(tt.conf), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		if code := Run(context.Background(), []string{"check-config", "--config", p}, &out, &errb); code != 0 {
			t.Fatalf("check-config exit %d: %s", code, errb.String())
		}
		if got := strings.Contains(errb.String(), "WARNING: organisation.authserv_id: not set"); got != tt.warn {
			t.Errorf("check-config warned = %v, want %v; stderr %q", got, tt.warn, errb.String())
		}
	}
}

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
	statsOfYear(t, cfg, "2026", "returmeddelande", "automatiskt svar", "missbruksrapport (ARF)")
}

// recorded is how many messages of an import got a new ledger row.
func recorded(s casework.ImportSummary) int {
	return s.Registered + s.Quarantined + s.Bounces + s.AutoReplies + s.Reports
}
