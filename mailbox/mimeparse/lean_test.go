package mimeparse

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
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

// latin1Letter is a text message of about 1 MB in 8-bit ISO-8859-1, as
// older Swedish mail programs write it: lines no base64 run holds.
func latin1Letter() []byte {
	var b bytes.Buffer
	b.WriteString("From: =?iso-8859-1?q?G=F6ran?= <goran@example.se>\r\nSubject: Lekplatsen\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	line := "Lekplatsen p\xe5 \xc5sgatan \xe4r trasig sedan i h\xf6stas, gungorna saknas och sanden \xe4r smutsig.\r\n"
	for b.Len() < 1<<20 {
		b.WriteString(line)
	}
	return b.Bytes()
}

// BenchmarkLeanWritePieces streams a message with a 2 MB base64 attachment,
// and a latin-1 text message, into a Lean copy in 256 KiB and in 4 KiB
// pieces.
func BenchmarkLeanWritePieces(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	att := make([]byte, 2<<20)
	for i := range att {
		att[i] = byte(r.Uint32())
	}
	attachment := []byte("From: Anna <anna@example.org>\r\nSubject: Ritning\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSe bifogad ritning.\r\n" +
		"--b1\r\nContent-Type: application/pdf; name=ritning.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		wrapped(att, "\r\n") + "--b1--\r\n")
	for _, msg := range []struct {
		name string
		raw  []byte
	}{{"attachment", attachment}, {"latin1", latin1Letter()}} {
		for _, piece := range []int{256 << 10, 4 << 10} {
			b.Run(fmt.Sprintf("%s/%dKiB", msg.name, piece>>10), func(b *testing.B) {
				b.SetBytes(int64(len(msg.raw)))
				b.ReportAllocs()
				defer cpuPerOp(b)()
				for b.Loop() {
					leanOf(msg.raw, piece)
				}
			})
		}
	}
}
