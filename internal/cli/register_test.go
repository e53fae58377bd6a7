package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

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
	out, _ = run(t, "stats", "--config", cfg, "--from", "2021-01-01", "--to", "2021-12-31")
	for _, want := range []string{"Per kanal", "e-post", "telefon", "besök"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
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
