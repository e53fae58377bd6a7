package casework

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"

	"github.com/exempelby/synpunkt"
)

// An English mail gets an English receipt, an Arabic one a Swedish
// receipt (not in receipts.languages), and the forward names the
// language (issue #13).
func TestReceiptInTheCitizensLanguage(t *testing.T) {
	h := newHarness(t)
	h.handle(citizen("en1@example.com", "Tom <tom@example.com>", "Street light out", "Hi, the street light outside Björkvägen 22 has been out for a week. Could you please fix it?"))
	h.handle(citizen("ar1@example.com", "Ahmad <ahmad@example.com>", "الثلج", "لماذا لا يتم إزالة الثلج من شارعنا؟ لقد انتظرنا ثلاثة أيام."))
	rc, fwd := h.outbox(synpunkt.KindReceipt), h.outbox(synpunkt.KindForward)
	if len(rc) != 2 || len(fwd) != 2 {
		t.Fatalf("receipts %d, forwards %d; want 2 and 2", len(rc), len(fwd))
	}
	if p := decodedText(t, rc[0].Payload); !strings.Contains(p, "Thank you for contacting") {
		t.Errorf("English mail: receipt is not in English:\n%s", p)
	}
	if p := decodedText(t, rc[1].Payload); !strings.Contains(p, "Vi har tagit emot din synpunkt") {
		t.Errorf("Arabic mail: receipt is not the Swedish fallback:\n%s", p)
	}
	for i, want := range []string{"engelska", "arabiska"} {
		if p := decodedText(t, fwd[i].Payload); !strings.Contains(p, "Språk i meddelandet: "+want) {
			t.Errorf("forward %d does not state the language %s", i, want)
		}
	}
}

// decodedText returns the decoded text/plain parts of a mail payload.
func decodedText(t *testing.T, payload []byte) string {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(payload))
	if err != nil {
		t.Fatalf("parse payload: %v", err)
	}
	var out strings.Builder
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return out.String()
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		if ct := part.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/plain") {
			b, _ := io.ReadAll(part.Body)
			out.Write(b)
		}
	}
}
