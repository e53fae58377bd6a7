package casework

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/store"
)

// A big message handed over as a file (Source.File, as the IMAP intake
// streams one) is registered as the same bytes in memory would be: the
// same attachments and key (the in-memory copy is a duplicate of it), the
// file's bytes as the original, and a forward that holds them whole.
func TestHandleFromFileRegistersLikeHandle(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	att := bytes.Repeat([]byte("%PDF-1.4 ritning "), (7<<20)/17)
	enc := base64.StdEncoding.EncodeToString(att)
	var body strings.Builder
	body.WriteString("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGatlyktan på Storgatan är trasig, se bilden.\r\n" +
		"--b1\r\nContent-Type: application/pdf; name=\"ritning.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for len(enc) > 76 {
		body.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	body.WriteString(enc + "\r\n--b1--\r\n")
	raw := []byte("From: anna@example.com\r\nTo: synpunkter@exempelby.se\r\nSubject: Lampa\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\n" +
		"Message-ID: <file@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" + body.String())

	path := filepath.Join(t.TempDir(), "fetch.tmp-1")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lean := &mimeparse.Lean{}
	lean.Write(raw)
	lean.Close()
	if !lean.Elided() {
		t.Fatal("nothing elided: the test needs a bigger attachment")
	}
	src := Source{Name: "test", File: &RawFile{Path: path, File: f, Size: int64(len(raw)), SHA256: store.RawSum(raw), Lean: lean}}
	pre := h.p.Prepare(src, nil)
	if pre == nil || pre.err != nil || pre.perr != nil {
		t.Fatalf("Prepare from a file = %+v", pre)
	}
	res, err := h.p.HandlePrepared(ctx, src, nil, pre)
	if err != nil || res.Outcome != NewCase {
		t.Fatalf("HandlePrepared from a file = %+v, %v; want a new case", res, err)
	}
	c := h.caseByNumber(res.Case)
	d := c.Documents[0]
	if d.RawSHA256 != store.RawSum(raw) || len(d.Attachments) != 1 || d.Attachments[0].Size != int64(len(att)) || d.Attachments[0].Name != "ritning.pdf" {
		t.Errorf("document = %+v, want the message's SHA-256 and ritning.pdf of %d bytes", d, len(att))
	}
	if got, err := h.st.Original(ctx, d.ID); err != nil || !bytes.Equal(got, raw) {
		t.Errorf("Original = %d bytes, %v; want the file's %d", len(got), err, len(raw))
	}
	fwd := h.outbox(synpunkt.KindForward)
	if len(fwd) != 1 {
		t.Fatalf("forwards = %d, want 1", len(fwd))
	}
	if p, err := h.st.OutboxPayload(ctx, fwd[0].ID); err != nil || !bytes.Contains(p, raw) {
		t.Errorf("forward payload = %d bytes, %v; want it to hold the original whole", len(p), err)
	}
	if again := h.handle(raw); again.Outcome != Duplicate || again.Case != res.Case {
		t.Errorf("the same message in memory = %+v, want a duplicate of %s", again, res.Case)
	}
}
