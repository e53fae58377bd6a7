package notify

import (
	"bytes"
	"errors"
	"testing"
)

func TestWithoutOriginal(t *testing.T) {
	// A 16 MB photo message, as in the report against a 10 MB relay.
	photo := bytes.Repeat([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n"), 16<<20/38)
	original := append([]byte("From: asa@example.com\r\nSubject: Trasig lekplats\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n"), photo...)
	o, err := mustComposer(t, nil).Forward(testCase(), "chef@exempelby.se", original, testReplyTo)
	if err != nil {
		t.Fatalf("Forward: %v", err)
	}
	small, err := WithoutOriginal(o.Payload, "SYN-2026-00042", 10<<20)
	if err != nil {
		t.Fatalf("WithoutOriginal: %v", err)
	}
	if len(small) > 16<<10 {
		t.Errorf("rebuilt forward is %d bytes, want a few kB", len(small))
	}
	before, after := mustParse(t, o.Payload), mustParse(t, small)
	if _, ok := after.parts["message/rfc822"]; ok {
		t.Error("rebuilt forward still has the message/rfc822 part")
	}
	for _, h := range []string{"Message-ID", "Subject", "To", "Reply-To", "Auto-Submitted"} {
		wantHeader(t, after.h, h, before.h.Get(h))
	}
	wantText(t, after.text, "Ärendenummer: SYN-2026-00042", "Gångbanan är spärrad för rullatorer.",
		"inte bifogat", "för stort för e-post", "högst 10,0 MB", "i ärende SYN-2026-00042")
	if _, err := WithoutOriginal(small, "SYN-2026-00042", 0); !errors.Is(err, ErrNoOriginal) {
		t.Errorf("WithoutOriginal(no original) = %v, want ErrNoOriginal", err)
	}
}
