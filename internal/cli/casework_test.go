package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/testshared"
	"github.com/exempelby/synpunkt/workday"
)

// sampleConfigFile writes the sample municipality with its store in dir.
func sampleConfigFile(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "c.toml")
	conf := strings.Replace(string(sample.Municipality), "[organisation]", "[store]\npath = \""+filepath.Join(dir, "s.db")+"\"\n\n[organisation]", 1)
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// testNow is the command line's clock in tests: Monday 2026-11-23 10:00
// Stockholm, an hour after the test messages were sent, so that no result
// depends on today's date.
func testNow() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, workday.Stockholm) }

// importSnow imports, without notifying, the snow-clearing complaint with
// Message-ID id, received Monday 2026-11-23 09:00 Stockholm, into a fresh
// sample config, whose path it returns.
func importSnow(t *testing.T, id string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	eml := filepath.Join(dir, "a.eml")
	raw := "From: per@example.net\r\nTo: synpunkter@exempelby.se\r\nSubject: Snöröjning\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <" + id + ">\r\n\r\nSnöröjningen på Storgatan fungerar inte.\r\n"
	if err := os.WriteFile(eml, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, code := run(t, "import", "--config", cfg, "--no-notify", eml); code != 0 {
		t.Fatal("import failed")
	}
	return cfg
}

// sampleDaemon is the sample municipality's daemon at testNow.
func sampleDaemon(t *testing.T) *daemon.Daemon {
	t.Helper()
	return daemonAt(t, testNow)
}

// daemonAt is the sample municipality's daemon with its clock at now.
func daemonAt(t *testing.T, now func() time.Time) *daemon.Daemon {
	t.Helper()
	return openDaemon(t, testshared.SampleConfig(t), daemon.Options{Now: now})
}

// openDaemon wires cfg's daemon with opt and a silent log; it is closed
// at cleanup, and its intake lets panics through.
func openDaemon(t *testing.T, cfg *config.Config, opt daemon.Options) *daemon.Daemon {
	t.Helper()
	d, err := daemon.New(context.Background(), cfg, slog.New(slog.DiscardHandler), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	d.Pipeline.DontRecover = true
	return d
}

// testCtx is the context the tests run commands under: the fixed clock.
func testCtx() context.Context { return WithNow(context.Background(), testNow) }

func run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(testCtx(), args, &out, &errb)
	if code != 0 {
		t.Logf("synpunkt %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String(), code
}

// statsOfYear runs stats for the calendar year, fails the test unless it
// succeeds and its output holds every want, and returns the output.
func statsOfYear(t *testing.T, cfg, year string, wants ...string) string {
	t.Helper()
	out, code := run(t, "stats", "--config", cfg, "--from", year+"-01-01", "--to", year+"-12-31")
	if code != 0 {
		t.Fatal("stats failed")
	}
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	return out
}

func TestDeadlinesAndCaseCommands(t *testing.T) {
	cfg := importSnow(t, "cli-dl@example.net")
	var cases []caseJSON
	out, _ := run(t, "cases", "--config", cfg, "--json")
	json.Unmarshal([]byte(out), &cases)
	if len(cases) != 1 || cases[0].FirstResponseDue != nil {
		t.Fatalf("cases = %s, want one case without deadlines (import --no-notify forwards nothing)", out)
	}
	number := cases[0].Number
	// Forwarding it starts the clocks, here as of the day it came in.
	if _, code := run(t, "forward", "--config", cfg, "--at", "2026-11-23T09:00", number); code != 0 {
		t.Fatal("forward failed")
	}

	dry := func(at string) []actionJSON {
		out, code := run(t, "deadlines", "--config", cfg, "--at", at, "--dry-run", "--json")
		if code != 0 {
			t.Fatalf("deadlines --dry-run failed")
		}
		var a []actionJSON
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("deadlines --json = %q: %v", out, err)
		}
		return a
	}
	if a := dry("2026-11-25T08:59"); len(a) != 0 {
		t.Errorf("due before the deadline = %+v", a)
	}
	a := dry("2026-11-25T09:00")
	if len(a) != 1 || a[0].Case != number || a[0].Kind != "reminder" || a[0].Recipient != "gatuchef@exempelby.se" {
		t.Fatalf("due at the deadline = %+v, want one reminder to gatuchef@exempelby.se", a)
	}
	if a := dry("2026-11-25T09:00"); len(a) != 1 {
		t.Errorf("a dry run took the action: now %+v", a)
	}
	// The sample's SMTP server is unreachable: the reminder stays queued
	// for the daemon, but the action is taken once.
	run(t, "deadlines", "--config", cfg, "--at", "2026-11-25T09:00")
	if a := dry("2026-11-25T09:00"); len(a) != 0 {
		t.Errorf("after sending, still due: %+v", a)
	}
	if _, code := run(t, "note", "--config", cfg, number, "Plogbil", "beställd"); code != 0 {
		t.Error("note failed")
	}
	if _, code := run(t, "route", "--config", cfg, number, "--unit", "bibliotek"); code != 0 {
		t.Error("route failed")
	}
	if _, code := run(t, "close", "--config", cfg, number, "--note", "Plogat"); code != 0 {
		t.Error("close failed")
	}
	if _, code := run(t, "close", "--config", cfg, number); code != 1 {
		t.Errorf("closing a closed case: exit %d, want 1", code)
	}
	out, _ = run(t, "case", "--config", cfg, number)
	for _, want := range []string{"(avslutat)", "Bibliotek", "note", "rerouted", "closed", "reminder"} {
		if !strings.Contains(out, want) {
			t.Errorf("case sheet lacks %q:\n%s", want, out)
		}
	}
	if _, code := run(t, "reopen", "--config", cfg, number); code != 0 {
		t.Error("reopen failed")
	}
	var errb bytes.Buffer
	if code := Run(testCtx(), []string{"route", "--config", cfg, number, "--unit", "Ingen sådan"}, io.Discard, &errb); code != 1 || !strings.Contains(errb.String(), "no such unit") {
		t.Errorf("route to an unknown unit: exit %d, %q", code, errb.String())
	}
}

func TestStats(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	write := func(name, msg string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(strings.ReplaceAll(msg, "\n", "\r\n")), 0o600)
		return p
	}
	a := write("a.eml", "From: a@example.com\nTo: synpunkter@exempelby.se\nSubject: Lampa\nDate: Mon, 23 Nov 2026 09:00:00 +0100\nMessage-ID: <s1@example.com>\n\nGatlyktan på Storgatan är trasig.\n")
	b := write("b.eml", "From: ordf@exempelbypartiet.example\nTo: synpunkter@exempelby.se\nSubject: Motion\nDate: Mon, 23 Nov 2026 09:00:00 +0100\nMessage-ID: <s2@example.com>\n\nPartiet lämnar en motion om cykelbanor.\n")
	if _, code := run(t, "import", "--config", cfg, "--no-notify", a, b); code != 0 {
		t.Fatal("import failed")
	}
	statsOfYear(t, cfg, "2026", "Samhällsbyggnadsnämnden", "Gatu- och parkenheten", "överlämnat (politisk)")
	if out, _ := run(t, "stats", "--config", cfg, "--from", "2025-01-01", "--to", "2025-12-31"); strings.Contains(out, "Gatu- och parkenheten") {
		t.Errorf("stats for 2025 show a 2026 case:\n%s", out)
	}
}

// TestRefusesDatabaseReadableByOthers: a command refuses a database others
// can read, saying what to do; store.allow_group_read admits the group.
func TestRefusesDatabaseReadableByOthers(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	if _, code := run(t, "deadlines", "--config", cfg, "--dry-run"); code != 0 {
		t.Fatal("deadlines on a new database failed")
	}
	db := filepath.Join(dir, "s.db")
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new database: %v, %v; want mode 0600", fi.Mode(), err)
	}
	os.Chmod(db, 0o640)
	var errb bytes.Buffer
	if code := Run(testCtx(), []string{"cases", "--config", cfg}, io.Discard, &errb); code != 1 || !strings.Contains(errb.String(), "chmod 600 "+db) {
		t.Errorf("cases on a 0640 database: exit %d, %q; want 1 and the chmod to run", code, errb.String())
	}
	conf, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(conf), "[store]\n", "[store]\nallow_group_read = true\n", 1)), 0o600)
	if _, code := run(t, "cases", "--config", cfg); code != 0 {
		t.Error("cases on a 0640 database with allow_group_read failed")
	}
}

func TestRegisterCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	out, code := run(t, "register", "--config", cfg, "--channel", "telefon", "--phone", "070-555 12 34",
		"--subject", "Simhallen", "--text", "När öppnar simhallen efter renoveringen?", "--received", "2021-03-15T09:00")
	// Cases are numbered by when synpunkt registered them, not by the
	// --received time the clerk gives.
	number := regexp.MustCompile(`SYN-\d{4}-00001`).FindString(out)
	if code != 0 || number == "" || strings.Contains(out, "SYN-2021-") || !strings.Contains(out, "telefon") {
		t.Fatalf("register telefon: exit %d, %q; want the first case number of the registration year, by telefon", code, out)
	}
	if _, code := run(t, "register", "--config", cfg, "--channel", "besok", "--from", "per@example.net",
		"--subject", "Snöröjning", "--text", "Snöröjningen på Storgatan fungerar inte.", "--received", "2021-03-16T10:00"); code != 0 {
		t.Fatalf("register besök: exit %d", code)
	}
	eml := filepath.Join(dir, "a.eml")
	os.WriteFile(eml, []byte("From: anna@example.com\r\nTo: synpunkter@exempelby.se\r\nSubject: Lampa\r\nDate: Tue, 16 Mar 2021 09:00:00 +0100\r\nMessage-ID: <reg-cli@example.com>\r\n\r\nGatlyktan på Storgatan är trasig.\r\n"), 0o600)
	if _, code := run(t, "import", "--config", cfg, "--no-notify", eml); code != 0 {
		t.Fatal("import failed")
	}
	for _, bad := range [][]string{
		{"--channel", "fax", "--text", "x", "--subject", "x"},
		{"--channel", "e-post", "--text", "x", "--subject", "x"},
		{"--channel", "brev", "--subject", "x"},
		{"--channel", "brev", "--text", "x", "--subject", "x", "--anonymous", "--phone", "070-555 12 34"},
		{"--channel", "brev", "--text", "x", "--subject", "x", "--from", "kollega@exempelby.se"},
		{"--channel", "brev", "--text", "x", "--subject", "x", "--received", "i förrgår"},
		{"--channel", "brev", "--text", "x", "--subject", "x", "--received", "9999-01-01"},
		{"--text", "x", "--subject", "x"},
	} {
		if _, code := run(t, append([]string{"register", "--config", cfg}, bad...)...); code != 2 {
			t.Errorf("register %v: exit %d, want 2", bad, code)
		}
	}

	var cases []caseJSON
	out, _ = run(t, "cases", "--config", cfg, "--json")
	if err := json.Unmarshal([]byte(out), &cases); err != nil {
		t.Fatalf("cases --json = %q: %v", out, err)
	}
	var got []string
	for _, c := range cases {
		got = append(got, c.Channel)
	}
	if strings.Join(got, ",") != "telefon,besök,e-post" {
		t.Errorf("channels = %v, want telefon, besök, e-post", got)
	}
	if !strings.Contains(out, `"channel": "telefon"`) {
		t.Errorf("cases --json lacks \"channel\":\n%s", out)
	}
	out, _ = run(t, "case", "--config", cfg, number)
	if !strings.Contains(out, "Kanal:        telefon") || !strings.Contains(out, "registered") {
		t.Errorf("case sheet lacks the channel or the registration event:\n%s", out)
	}
	out = statsOfYear(t, cfg, "2021", "Per kanal", "e-post", "telefon", "besök")
	if !strings.Contains(channelLine(out, "telefon"), "1") || !strings.Contains(channelLine(out, "brev"), "0") {
		t.Errorf("stats per channel wrong:\n%s", out)
	}
}

// channelLine returns the stats line of one channel.
func channelLine(stats, channel string) string {
	_, after, _ := strings.Cut(stats, "Per kanal")
	for _, l := range strings.Split(after, "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == channel {
			return l
		}
	}
	return ""
}
