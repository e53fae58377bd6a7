package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileTerminalMessage has an encoded subject that clears the screen and
// turns the text red (ESC[2J ESC[31m) and an attachment whose filename
// carries ESC, BEL and CR/LF to forge a line of the case sheet.
const hostileTerminalMessage = "From: per@example.net\r\n" +
	"To: synpunkter@exempelby.se\r\n" +
	"Subject: =?utf-8?q?Trasig_gatlykta_=1B[2J=1B[31m_p=C3=A5_Storgatan?=\r\n" +
	"Date: Mon, 23 Nov 2026 09:00:00 +0100\r\n" +
	"Message-ID: <esc@example.net>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=b\r\n\r\n" +
	"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGatlyktan på Storgatan är trasig.\r\n" +
	"--b\r\nContent-Type: image/jpeg\r\n" +
	"Content-Disposition: attachment; filename*=utf-8''bild%1B%5B2J%07.jpg%0D%0A%20%202.%202026-11-23%2009%3A00%20%20Svar%20%20Uppr%C3%A4ttad\r\n" +
	"Content-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n" +
	"--b--\r\n"

// TestHumanOutputEscapesControlCharacters: `case` and `cases` print no
// control character from a message (only their own line ends), so a
// subject or filename can neither drive the clerk's terminal nor forge a
// line.
func TestHumanOutputEscapesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	eml := filepath.Join(dir, "esc.eml")
	os.WriteFile(eml, []byte(hostileTerminalMessage), 0o600)
	if _, code := run(t, "import", "--config", cfg, "--no-notify", eml); code != 0 {
		t.Fatal("import failed")
	}
	number := "SYN-2026-00001"
	for _, args := range [][]string{{"cases", "--config", cfg}, {"case", "--config", cfg, number}} {
		out, code := run(t, args...)
		if code != 0 {
			t.Fatalf("%s failed", args[0])
		}
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if i := strings.IndexFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }); i >= 0 {
				t.Errorf("%s prints control character %q in line %q", args[0], line[i], line)
			}
		}
		if strings.Contains(out, "\n  2. ") {
			t.Errorf("%s prints a forged document line:\n%s", args[0], out)
		}
		if args[0] == "case" && (!strings.Contains(out, `\x1b[2J\a.jpg\r\n`) || !strings.Contains(out, `Trasig gatlykta \x1b[2J\x1b[31m på Storgatan`)) {
			t.Errorf("case sheet does not show the escaped subject and filename:\n%s", out)
		}
	}
}
