package mimeparse

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	synpunkt "github.com/exempelby/synpunkt"
)

const snow = "Hej! Snöröjningen på Storgatan är dålig, varför?"

func init() {
	dontRecover = true // a panic in a test is a bug, never an error
}

// mustParse parses raw and fails the test on error or invalid UTF-8.
func mustParse(t *testing.T, raw []byte) *synpunkt.Message {
	t.Helper()
	msg, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkUTF8(t, msg)
	return msg
}

// mustReadFile reads a testdata file.
func mustReadFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkUTF8 asserts the decoded strings of msg are valid UTF-8 without NUL.
func checkUTF8(t *testing.T, msg *synpunkt.Message) {
	t.Helper()
	for what, s := range map[string]string{"Text": msg.Text, "Subject": msg.Subject, "From.Name": msg.From.Name} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Errorf("%s = %q: not valid UTF-8", what, s)
		}
	}
}

func hasProblem(msg *synpunkt.Message, s string) bool {
	return slices.Contains(msg.Problems, s)
}

func TestParseFiles(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, m *synpunkt.Message)
	}{
		{"iso-8859-1-qp.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Subject", m.Subject, "Snöröjning på Storgatan")
			wantStr(t, "Text", m.Text, snow+"\nMånga hälsningar\nBjörn")
			wantAddr(t, "From", m.From, synpunkt.Address{Name: "Björn Åström", Addr: "bjorn.astrom@example.se"})
			wantStr(t, "MessageID", m.MessageID, "abc.123@mail.example.se")
			wantStr(t, "ReturnPath", m.ReturnPath, "bjorn.astrom@example.se")
			if len(m.Cc) != 2 || m.Cc[0].Name != "Kalle Kula" || m.Cc[1].Addr != "anna@example.se" {
				t.Errorf("Cc = %+v", m.Cc)
			}
			want := time.Date(2026, 1, 13, 7, 15, 0, 0, time.UTC)
			if !m.Date.Equal(want) {
				t.Errorf("Date = %v, want %v", m.Date, want)
			}
			if len(m.Problems) != 0 {
				t.Errorf("Problems = %q, want none", m.Problems)
			}
		}},
		{"windows-1252-8bit.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Subject", m.Subject, "Gatubelysning – trasig")
			wantStr(t, "Text", m.Text, snow+"\nDet kostar väl 5 € – minst.")
			wantStr(t, "From.Name", m.From.Name, "Åsa Öberg")
		}},
		{"utf-8-base64.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Subject", m.Subject, "Fråga om bygglov")
			wantStr(t, "Text", m.Text, snow+"\nTack på förhand.")
			wantStr(t, "From.Name", m.From.Name, "Örjan Ärlig")
			wantList(t, "InReplyTo", m.InReplyTo, []string{"prev@exempelby.se"})
			wantList(t, "References", m.References, []string{"first@exempelby.se", "prev@exempelby.se"})
		}},
		{"undeclared-utf-8.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Subject", m.Subject, "Snöröjning på Storgatan")
			wantStr(t, "Text", m.Text, snow)
			wantStr(t, "From.Name", m.From.Name, "Göran Ström")
			if m.Date.IsZero() {
				t.Error("Date is zero")
			}
		}},
		{"undeclared-cp1252.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Subject", m.Subject, "Snöröjning på Storgatan")
			wantStr(t, "Text", m.Text, snow)
			wantAddr(t, "From", m.From, synpunkt.Address{Name: "Göran Ström", Addr: "goran@example.se"})
		}},
		{"html-only.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Text", m.Text, snow+"\n\nSe kartan & bilderna.\nRad två\n\n- Ett\n- Två")
			if !m.FromHTML {
				t.Error("FromHTML = false, want true")
			}
		}},
		{"alternative.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Text", m.Text, snow)
			if m.FromHTML || len(m.Attachments) != 0 {
				t.Errorf("FromHTML = %v, Attachments = %+v; want plain text only", m.FromHTML, m.Attachments)
			}
		}},
		{"attachments.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Text", m.Text, "Se bifogade filer om snöröjningen.")
			wantAtts(t, m.Attachments, []synpunkt.Attachment{
				{Name: "", ContentType: "image/png", Size: 8},
				{Name: "Beslut om snöröjning.pdf", ContentType: "application/pdf", Size: 1009},
				{Name: "bild på gatan.jpg", ContentType: "image/jpeg", Size: 768},
				{Name: "Räkning.txt", ContentType: "text/plain", Size: 8},
			})
		}},
		{"forwarded.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Subject", m.Subject, "Fwd: Snöröjning")
			wantStr(t, "Text", m.Text, snow)
			if len(m.Attachments) != 1 || m.Attachments[0].ContentType != "message/rfc822" {
				t.Errorf("Attachments = %+v, want one message/rfc822", m.Attachments)
			}
		}},
		{"mbox-from.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Subject", m.Subject, "Från mbox")
			wantStr(t, "From.Addr", m.From.Addr, "goran@example.se")
			wantStr(t, "Text", m.Text, snow)
		}},
		{"missing-boundary.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "Text", m.Text, snow)
			wantAtts(t, m.Attachments, []synpunkt.Attachment{{Name: "data.bin", ContentType: "application/octet-stream", Size: 6}})
			if !hasProblem(m, "missing closing multipart boundary") {
				t.Errorf("Problems = %q, want missing closing boundary", m.Problems)
			}
		}},
		{"bounce.eml", func(t *testing.T, m *synpunkt.Message) {
			if !m.HasReturnPath || m.ReturnPath != "" {
				t.Errorf("ReturnPath = %q, %v; want null sender", m.ReturnPath, m.HasReturnPath)
			}
			if !strings.HasPrefix(m.Text, "I'm sorry to have to inform you") {
				t.Errorf("Text = %q", m.Text)
			}
			wantStr(t, "AutoSubmitted", m.AutoSubmitted, "auto-replied")
			if len(m.Attachments) != 2 || m.Attachments[0].ContentType != "message/delivery-status" || m.Attachments[1].ContentType != "text/rfc822-headers" {
				t.Errorf("Attachments = %+v", m.Attachments)
			}
		}},
		{"autoreply.eml", func(t *testing.T, m *synpunkt.Message) {
			wantStr(t, "AutoSubmitted", m.AutoSubmitted, "auto-replied")
			wantStr(t, "Precedence", m.Precedence, "bulk")
			wantStr(t, "ListID", m.ListID, "synpunkter <synpunkter.exempelby.se>")
			wantStr(t, "Text", m.Text, "Jag är ledig till måndag.")
			if !m.OtherAuto {
				t.Error("OtherAuto = false, want true")
			}
			if m.HasReturnPath {
				t.Error("HasReturnPath = true without header")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw := mustReadFile(t, tt.file)
			m := mustParse(t, raw)
			if &m.Raw[0] != &raw[0] || len(m.Raw) != len(raw) {
				t.Error("Raw is not the input slice")
			}
			tt.check(t, m)
		})
	}
}

func wantStr(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func wantAddr(t *testing.T, what string, got, want synpunkt.Address) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func wantList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func wantAtts(t *testing.T, got, want []synpunkt.Attachment) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("Attachments = %+v, want %+v", got, want)
	}
}

func TestParseRepairs(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		text     string
		subject  string
		from     string
		problem  string // expected among Problems, "" for none checked
		otherAut bool
	}{
		{"CR-only endings", "From: a@example.se\rSubject: Hej\r\rHej! Snöröjningen\rpå Storgatan\r", "Hej! Snöröjningen\npå Storgatan", "Hej", "a@example.se", "CR-only line endings", false},
		{"mixed endings", "From: a@example.se\r\nSubject: Hej\n\r\nRad 1\r\nRad 2\nRad 3\r", "Rad 1\nRad 2\nRad 3", "Hej", "a@example.se", "", false},
		{"BOM and NUL", "\xef\xbb\xbfFrom: a@example.se\nSubject: H\x00ej\n\nHej\x00 då\n", "Hej då", "Hej", "a@example.se", "byte-order mark stripped", false},
		{"stray header line", "From: a@example.se\nReferences: <x@y>\n something@bar.net>\njunk line\nSubject: Hej\n\nText\n", "Text", "Hej", "a@example.se", "dropped malformed header line", false},
		{"header runs into body", "From: a@example.se\nSubject: Hej\nDetta är texten.\nRad två.\n", "Detta är texten.\nRad två.", "Hej", "a@example.se", "header not terminated by blank line", false},
		{"leading whitespace line", "     \nFrom: a@example.se\nSubject: Hej\n\nText\n", "Text", "Hej", "a@example.se", "whitespace line before header", false},
		{"no header", "Bara text utan huvud.\n", "Bara text utan huvud.", "", "", "no header fields", false},
		{"unknown charset", "From: a@example.se\nContent-Type: text/plain; charset=x-bogus\n\nv\xe4g\n", "väg", "", "a@example.se", "unknown charset, guessed", false},
		{"us-ascii with 8bit", "From: a@example.se\nContent-Type: text/plain; charset=us-ascii\n\nv\xe4g\n", "väg", "", "a@example.se", "", false},
		{"utf-8 with stray latin1", "From: a@example.se\nContent-Type: text/plain; charset=utf-8\n\nv\xc3\xa4g och v\xe4g\n", "väg och väg", "", "a@example.se", "", false},
		{"unknown transfer encoding", "From: a@example.se\nContent-Transfer-Encoding: x-uue\n\nv\xc3\xa4g\n", "väg", "", "a@example.se", "unknown transfer encoding, raw bytes used", false},
		{"illegal base64", "From: a@example.se\nContent-Transfer-Encoding: base64\n\nSGVq!IGTD\npQ==\n", "Hej då", "", "a@example.se", "illegal base64 data, decoded what could be", false},
		{"bad from", "From: Kalle Anka kalle@ANKA.se (hemma)\n\nx\n", "x", "", "kalle@anka.se", "malformed address header, extracted loosely", false},
		{"encoded word unknown charset", "From: a@example.se\nSubject: =?x-bogus?q?v=E4g?=\n\nx\n", "x", "väg", "a@example.se", "unknown charset in header, guessed", false},
		{"latin1 label on UTF-8 bytes", "From: a@example.se\nContent-Type: text/plain; charset=iso-8859-1\n\nv\xc3\xa4g\n", "väg", "", "a@example.se", "declared charset contradicted, read as UTF-8", false},
		{"misspelt transfer encoding", "From: a@example.se\nContent-Transfer-Encoding: quoted printable\n\nv=C3=A4g\n", "väg", "", "a@example.se", "", false},
		{"cp932 alias", "From: a@example.se\nSubject: =?cp932?Q?=82=b1?=\nContent-Type: text/plain; charset=cp932\n\n\x82\xb1\n", "こ", "こ", "a@example.se", "", false},
		{"suppress alone is not auto", "From: a@example.se\nX-Auto-Response-Suppress: All\nSubject: Möte\n\nx\n", "x", "Möte", "a@example.se", "", false},
		{"suppress with OOF subject", "From: a@example.se\nX-Auto-Response-Suppress: All\nSubject: Automatic reply: Möte\n\nx\n", "x", "Automatic reply: Möte", "a@example.se", "", true},
		{"X-POST-MessageClass", "From: a@example.se\nX-POST-MessageClass: 9; Autoresponder\n\nx\n", "x", "", "a@example.se", "", true},
		{"boundary missing in header", "From: a@example.se\nContent-Type: multipart/mixed\n\n--abcd1234\nContent-Type: text/plain\n\nInne\n--abcd1234--\n", "Inne", "", "a@example.se", "multipart boundary guessed", false},
		{"empty boundary, no parts", "From: a@example.se\nContent-Type: multipart/mixed; boundary=\"\"\n\nBara text\n", "Bara text", "", "a@example.se", "multipart without usable boundary, read as text", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, []byte(tt.raw))
			wantStr(t, "Text", m.Text, tt.text)
			wantStr(t, "Subject", m.Subject, tt.subject)
			wantStr(t, "From.Addr", m.From.Addr, tt.from)
			if tt.problem != "" && !hasProblem(m, tt.problem) {
				t.Errorf("Problems = %q, want %q among them", m.Problems, tt.problem)
			}
			if m.OtherAuto != tt.otherAut {
				t.Errorf("OtherAuto = %v, want %v", m.OtherAuto, tt.otherAut)
			}
		})
	}
}

func TestParseUnparseable(t *testing.T) {
	for _, raw := range []string{"", " ", "\r\n\r\n", "\n\n\n", "\x00\x01\x02\x03binary\x00", "From x@y Mon Jan 1 00:00:00 2026\n"} {
		m, err := Parse([]byte(raw))
		if !errors.Is(err, ErrUnparseable) {
			t.Errorf("Parse(%q) = %v, %v; want ErrUnparseable", raw, m, err)
		}
	}
}

func TestParseLimits(t *testing.T) {
	t.Run("text cap", func(t *testing.T) {
		raw := "From: a@example.se\n\n" + strings.Repeat("åäö ", MaxText/3)
		m := mustParse(t, []byte(raw))
		if len(m.Text) > MaxText || !hasProblem(m, "text truncated") {
			t.Errorf("len(Text) = %d, Problems = %q; want capped", len(m.Text), m.Problems)
		}
	})
	t.Run("nesting", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@example.se\n")
		for i := range 200 {
			b.WriteString("Content-Type: multipart/mixed; boundary=\"b" + strings.Repeat("x", i) + "\"\n\n--b" + strings.Repeat("x", i) + "\n")
		}
		b.WriteString("Content-Type: text/plain\n\ndeep\n")
		m := mustParse(t, []byte(b.String()))
		if !hasProblem(m, "nesting too deep, inner parts ignored") {
			t.Errorf("Problems = %q, want nesting problem", m.Problems)
		}
	})
	t.Run("parts", func(t *testing.T) {
		raw := "From: a@example.se\nContent-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\nContent-Type: image/gif\n\nx\n", 3000) + "--b--\n"
		m := mustParse(t, []byte(raw))
		if len(m.Attachments) >= MaxParts || !hasProblem(m, "too many MIME parts, rest ignored") {
			t.Errorf("len(Attachments) = %d, Problems = %q; want capped", len(m.Attachments), m.Problems)
		}
	})
}

func TestDate(t *testing.T) {
	want := time.Date(2026, 1, 13, 7, 15, 0, 0, time.UTC)
	for _, v := range []string{
		"Tue, 13 Jan 2026 08:15:00 +0100",
		"Tue, 13 Jan 2026 08:15:00 +0100 (CET)",
		"Tue,13 Jan 2026 08:15:00 +0100",
		"13 Jan 2026 08:15:00 +0100",
		"Tue, 13 Jan 2026 08:15:00   +0100",
		"Tue Jan 13 08:15:00 +0100 2026",
		"Tue, 13 Jan 2026 07:15:00 GMT",
		"2026-01-13T08:15:00+01:00",
		"Tue, 13-Jan-2026 08:15:00 +0100",
		"13 Jan 2026 08:15+0100",
		"Tue, 13 Jan 2026 08 : 15 : 00 +0100",
	} {
		if got := date(v); !got.Equal(want) {
			t.Errorf("date(%q) = %v, want %v", v, got, want)
		}
	}
	for _, v := range []string{"", "igår", "Tue, 99 Foo 2026"} {
		if got := date(v); !got.IsZero() {
			t.Errorf("date(%q) = %v, want zero", v, got)
		}
	}
}

func TestMsgIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"<a@b> <c@d>", []string{"a@b", "c@d"}},
		{"<a@b>,\n\t<c@d> (comment)", []string{"a@b", "c@d"}},
		{"a@b", []string{"a@b"}},
		{"junk", nil},
		{"", nil},
	}
	for _, tt := range tests {
		wantList(t, "msgIDs("+tt.in+")", msgIDs(tt.in), tt.want)
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Hej</p><p>då</p>", "Hej\n\ndå"},
		{"a<br>b<br/>c", "a\nb\nc"},
		{"<ul><li>ett</li><li>två</li></ul>", "- ett\n- två"},
		{"<a href='x'>länk</a> &auml;r &lt;här&gt;", "länk är <här>"},
		{"<head><title>t</title></head><body><script>x()</script>  mycket   luft  </body>", "mycket luft"},
		{"<pre>a  b\n c</pre>", "a  b\n c"},
		{"<table><tr><td>a</td><td>b</td></tr></table>", "a b"},
	}
	for _, tt := range tests {
		if got := htmlToText(tt.in); got != tt.want {
			t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
