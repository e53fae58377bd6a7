package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/internal/testkit"
)

// withSecretsConfig writes a second config for the same database whose IMAP,
// SMTP and SMS secrets come from environment variables that are not set.
func withSecretsConfig(t *testing.T, dir, cfg string) string {
	t.Helper()
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.Replace(string(b), "\n[imap]\n", "\n[imap]\nusername = \"synpunkter@exempelby.se\"\npassword_env = \"SYNPUNKT_TEST_UNSET_IMAP\"\n", 1)
	conf = strings.Replace(conf, "\n[smtp]\n", "\n[smtp]\nusername = \"synpunkter@exempelby.se\"\npassword_env = \"SYNPUNKT_TEST_UNSET_SMTP\"\n", 1)
	conf = strings.Replace(conf, "\n[organisation]\n", "\n[organisation]\nthread_key_env = \"SYNPUNKT_TEST_UNSET_KEY\"\n", 1)
	conf += "\n[sms]\nprovider = \"twilio\"\naccount_sid = \"AC00000000000000000000000000000000\"\nauth_token_env = \"SYNPUNKT_TEST_UNSET_TOKEN\"\nfrom = \"+46700000000\"\n"
	p := filepath.Join(dir, "secrets.toml")
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadOnlyCommandsNeedNoSecrets: cases, case, stats and deadlines
// --dry-run work for a clerk who has the config but not the daemon's
// passwords; a command that sends still names the missing variable.
func TestReadOnlyCommandsNeedNoSecrets(t *testing.T) {
	cfg := importSnow(t, "ro@example.net")
	// A backlog import starts no clocks; forwarding the case starts them.
	if out, code := run(t, "forward", "--config", cfg, "--at", "2026-11-23T09:00", "SYN-2026-00001"); code != 0 {
		t.Fatalf("forward: exit %d, %q", code, out)
	}
	sec := withSecretsConfig(t, filepath.Dir(cfg), cfg)
	for _, args := range [][]string{
		{"cases", "--config", sec},
		{"cases", "--config", sec, "--overdue"},
		{"case", "--config", sec, "SYN-2026-00001"},
		{"stats", "--config", sec, "--from", "2026-01-01", "--to", "2026-12-31"},
		{"deadlines", "--config", sec, "--dry-run", "--at", "2026-11-25T09:00"},
	} {
		out, code := run(t, args...)
		if code != 0 {
			t.Errorf("synpunkt %s without secrets: exit %d", strings.Join(args, " "), code)
		}
		if args[0] == "deadlines" && !strings.Contains(out, "1 åtgärder att skicka") {
			t.Errorf("deadlines --dry-run = %q, want one action", out)
		}
	}
	var errb bytes.Buffer
	if code := Run(testCtx(), []string{"deadlines", "--config", sec, "--at", "2026-11-25T09:00"}, io.Discard, &errb); code != 1 || !strings.Contains(errb.String(), "SYNPUNKT_TEST_UNSET_") {
		t.Errorf("deadlines (sending) without secrets: exit %d, %q; want 1 naming the variable", code, errb.String())
	}
}

// TestSIGHUPReloadsLogLevel: SIGHUP no longer kills the daemon (exit 129);
// it re-reads log.level, and the daemon still stops cleanly with exit 0.
func TestSIGHUPReloadsLogLevel(t *testing.T) {
	e := startConnectEnv(t)
	cfg := e.config(t, "[store]\n", "[log]\nformat = \"json\"\n[store]\n")
	ctx, cancel := context.WithCancel(testCtx())
	defer cancel()
	var logs testkit.LogBuffer
	done := make(chan int, 1)
	go func() { done <- Run(ctx, []string{"run", "--config", cfg}, io.Discard, &logs) }()
	logs.WaitFor(t, `"msg":"synpunkt started"`)
	if strings.Contains(logs.String(), `"level":"DEBUG"`) {
		t.Fatalf("debug logs at level info:\n%s", logs.String())
	}
	e.config(t, "[store]\n", "[log]\nformat = \"json\"\nlevel = \"debug\"\n[store]\n")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	logs.WaitFor(t, `"level":"DEBUG"`) // the reload message itself is logged at info
	if !strings.Contains(logs.String(), `SIGHUP: log level reloaded`) {
		t.Errorf("no reload message:\n%s", logs.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("run after SIGHUP and cancel: exit %d, want 0:\n%s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop")
	}
}

// TestHelpAndVersion: every command's --help exits 0 and names its
// positional arguments; version prints the Go version.
func TestHelpAndVersion(t *testing.T) {
	for _, tt := range []struct{ cmd, want string }{
		{"case", "NUMBER  the case number"}, {"note", "TEXT"}, {"import", "PATH  an .eml file"}, {"eval-pii", "DIR"}, {"cases", "-overdue"},
	} {
		var out, errb bytes.Buffer
		if code := Run(testCtx(), []string{tt.cmd, "--help"}, &out, &errb); code != 0 || !strings.Contains(errb.String()+out.String(), tt.want) {
			t.Errorf("%s --help: exit %d, %q; want 0 and %q", tt.cmd, code, errb.String()+out.String(), tt.want)
		}
	}
	out, code := run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "synpunkt ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("version = %q, exit %d", out, code)
	}
}
