package mimeparse

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	synpunkt "github.com/exempelby/synpunkt"
)

// leanOf writes raw into a Lean copy in chunks of n bytes.
func leanOf(raw []byte, n int) *Lean {
	l := &Lean{}
	for len(raw) > 0 {
		k := min(n, len(raw))
		l.Write(raw[:k])
		raw = raw[k:]
	}
	l.Close()
	return l
}

// wrapped is b in base64, in lines of 76 characters ending in eol.
func wrapped(b []byte, eol string) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out bytes.Buffer
	for len(s) > 76 {
		out.WriteString(s[:76] + eol)
		s = s[76:]
	}
	out.WriteString(s + eol)
	return out.String()
}

// bigMessage is a multipart message with a base64 text part and a base64
// attachment, each longer than LeanKeep.
func bigMessage(eol string, textLen, attLen int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	att := make([]byte, attLen)
	for i := range att {
		att[i] = byte(r.Uint32())
	}
	text := bytes.Repeat([]byte("Hej kommunen, gatlampan på Storgatan 3 är trasig. "), textLen/51+1)[:textLen]
	var b bytes.Buffer
	for _, l := range []string{"From: Anna <anna@example.org>", "To: synpunkt@exempelby.se", "Subject: Stor bilaga",
		"Message-ID: <big@example.org>", "MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="b1"`, "",
		"--b1", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", ""} {
		b.WriteString(l + eol)
	}
	b.WriteString(wrapped(text, eol))
	for _, l := range []string{"--b1", `Content-Type: application/pdf; name="ritning.pdf"`, "Content-Transfer-Encoding: base64",
		`Content-Disposition: attachment; filename="ritning.pdf"`, ""} {
		b.WriteString(l + eol)
	}
	b.WriteString(wrapped(att, eol))
	b.WriteString("--b1--" + eol)
	return b.Bytes()
}

// sameAsParse checks that ParseLean of raw, written in chunks, gives what
// Parse gives, and returns the Lean copy.
func sameAsParse(t *testing.T, name string, raw []byte, chunk int) *Lean {
	t.Helper()
	want, werr := Parse(raw)
	l := leanOf(raw, chunk)
	got, gerr := ParseLean(l)
	if errors.Is(gerr, ErrLeanUnfit) {
		return l // the caller parses the whole message instead
	}
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%s: Parse error %v, ParseLean error %v", name, werr, gerr)
	}
	if want != nil {
		want.Raw = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: ParseLean differs from Parse:\n got %+v\nwant %+v", name, brief(got), brief(want))
	}
	return l
}

func brief(m *synpunkt.Message) any {
	if m == nil {
		return nil
	}
	return struct {
		Subject  string
		TextLen  int
		Atts     []synpunkt.Attachment
		Problems []string
	}{m.Subject, len(m.Text), m.Attachments, m.Problems}
}

func TestParseLeanOfBigAttachment(t *testing.T) {
	for _, eol := range []string{"\r\n", "\n"} {
		raw := bigMessage(eol, 5<<20, 9<<20)
		for _, chunk := range []int{1 << 10, 32<<10 + 7} {
			l := sameAsParse(t, "big", raw, chunk)
			if !l.Elided() {
				t.Fatalf("nothing elided from a %d-byte message", len(raw))
			}
			// The text run (6.8 MB of base64) keeps LeanKeep bytes, the
			// attachment run (12.2 MB) LeanKeepBinary, each its last line.
			if max := LeanKeep + LeanKeepBinary + 8<<10; l.Len() > max {
				t.Errorf("lean copy of %d bytes holds %d, want at most %d", len(raw), l.Len(), max)
			}
		}
		msg, _ := ParseLean(leanOf(raw, 64<<10))
		if len(msg.Attachments) != 1 || msg.Attachments[0].Size != 9<<20 || msg.Attachments[0].Name != "ritning.pdf" {
			t.Errorf("attachments %+v, want ritning.pdf of %d bytes", msg.Attachments, 9<<20)
		}
	}
}

// Binary parts of the corpus lose the middle of their base64 beyond
// LeanKeepBinary, nested in message/rfc822 parts too, and the sizes
// still come out as Parse counts them.
func TestParseLeanOfCorpus(t *testing.T) {
	dir := corpusDir(t)
	elided := 0
	for _, f := range corpusFiles(t, dir) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if l := sameAsParse(t, f, raw, 97); l.Elided() {
			elided++
		}
	}
	if elided == 0 {
		t.Error("nothing elided from any message of the corpus: the comparison proves little")
	}
	t.Logf("%d messages with lines elided", elided)
}

func TestParseLeanUnfitWhenLineEndsRewritten(t *testing.T) {
	raw := bigMessage("\r\n", 100, 7<<20)
	raw = append([]byte("X-Odd: a\rb\r\n"), raw...) // a lone CR: Parse rewrites the line ends
	if _, err := ParseLean(leanOf(raw, 1<<16)); !errors.Is(err, ErrLeanUnfit) {
		t.Fatalf("ParseLean error %v, want ErrLeanUnfit", err)
	}
}

// BenchmarkLeanWrite streams a 1.4 MB message with a binary attachment
// into a Lean copy in 32 KB pieces, as the IMAP intake's spooling does.
func BenchmarkLeanWrite(b *testing.B) {
	raw := []byte("Message-ID: <x@y>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nHej\r\n--b\r\n" +
		"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + strings.Repeat(strings.Repeat("QUJD", 19)+"\r\n", 18000) + "--b--\r\n")
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		l := &Lean{}
		for rest := raw; len(rest) > 0; {
			k := min(32<<10, len(rest))
			l.Write(rest[:k])
			rest = rest[k:]
		}
		l.Close()
	}
}
