package notify

import (
	"bytes"
	"io"
	"mime"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"

	"github.com/exempelby/synpunkt"
)

const testReplyTo = "synpunkter+SYN-2026-00042.k3j4h5@exempelby.se"

var testOrg = Org{
	Name:           "Exempelby kommun",
	MailboxAddress: "synpunkter@exempelby.se",
	FromHeader:     "Exempelby kommun <synpunkter@exempelby.se>",
	Domain:         "exempelby.se",
}

func mustComposer(t *testing.T, tpl *Templates) *Composer {
	t.Helper()
	c, err := NewComposer(testOrg, tpl)
	if err != nil {
		t.Fatalf("NewComposer: %v", err)
	}
	c.Now = func() time.Time { return time.Date(2026, 11, 23, 13, 6, 0, 0, time.UTC) }
	return c
}

func testCase() CaseInfo {
	return CaseInfo{
		Number: "SYN-2026-00042", Category: synpunkt.DocKlagomal,
		Unit: "Gatu- och parkenheten", Committee: "Samhällsbyggnadsnämnden",
		InitiatedBy: synpunkt.RolePrivatperson, Description: "Klagomål på snöröjning, Storgatan",
		ReceivedAt:       time.Date(2026, 11, 23, 13, 5, 0, 0, time.UTC),
		CitizenText:      "Storgatan är inte plogad. Gångbanan är spärrad för rullatorer.",
		CitizenMessageID: "CAF1234@mail.example.com",
	}
}

// parsed is an e-mail payload read back with go-message.
type parsed struct {
	h     mail.Header
	text  string            // decoded text/plain parts, concatenated
	parts map[string][]byte // other parts by media type
}

func mustParse(t *testing.T, payload []byte) parsed {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(payload, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("payload has bare LF line endings")
	}
	r, err := mail.CreateReader(bytes.NewReader(payload))
	if err != nil {
		t.Fatalf("parse payload: %v", err)
	}
	p := parsed{h: r.Header, parts: map[string][]byte{}}
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return p
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		b, err := io.ReadAll(part.Body)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		mt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if mt == "text/plain" {
			p.text += string(b)
		} else {
			p.parts[mt] = b
		}
	}
}

// composed fails the test if composing what failed, and parses the
// message composed.
func composed(t *testing.T, what string, o *synpunkt.Notification, err error) parsed {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return mustParse(t, o.Payload)
}

func wantHeader(t *testing.T, h mail.Header, key, want string) {
	t.Helper()
	if got := h.Get(key); got != want {
		t.Errorf("header %s = %q, want %q", key, got, want)
	}
}

func wantText(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("body lacks %q; body:\n%s", w, text)
		}
	}
}

func TestReceipt(t *testing.T) {
	c := mustComposer(t, nil)
	o, err := c.Receipt(testCase(), synpunkt.Address{Name: "Åsa Öberg", Addr: "asa@example.com"}, testReplyTo)
	if err != nil {
		t.Fatalf("Receipt: %v", err)
	}
	if o.Channel != synpunkt.MediumEmail || o.Kind != synpunkt.KindReceipt || o.To != "asa@example.com" || o.From != "synpunkter@exempelby.se" {
		t.Errorf("Receipt envelope = %+v", o)
	}
	p := mustParse(t, o.Payload)
	wantHeader(t, p.h, "Auto-Submitted", "auto-replied")
	wantHeader(t, p.h, "X-Auto-Response-Suppress", "All")
	wantHeader(t, p.h, "In-Reply-To", "<CAF1234@mail.example.com>")
	wantHeader(t, p.h, "References", "<CAF1234@mail.example.com>")
	wantHeader(t, p.h, "Reply-To", "<"+testReplyTo+">")
	wantHeader(t, p.h, "Date", "Mon, 23 Nov 2026 14:06:00 +0100")
	if id, _ := p.h.MessageID(); id != o.MessageID || !strings.HasSuffix(id, "@exempelby.se") {
		t.Errorf("Message-ID = %q, Notification.MessageID %q", id, o.MessageID)
	}
	if subj, _ := p.h.Subject(); subj != "Vi har tagit emot din synpunkt [SYN-2026-00042]" {
		t.Errorf("Subject = %q", subj)
	}
	if to, _ := p.h.AddressList("To"); len(to) != 1 || to[0].Name != "Åsa Öberg" {
		t.Errorf("To = %v, want Åsa Öberg", to)
	}
	wantText(t, p.text, "Tack för", "Ärendenummer: SYN-2026-00042", "Gatu- och parkenheten, Exempelby kommun",
		"Mottagen: 2026-11-23 14:05", "behåll ärendenumret [SYN-2026-00042] i ämnesraden", "Det här är en automatisk bekräftelse.\r\n")
	if bytes.Contains(o.Payload, []byte("Ä")) {
		t.Errorf("payload contains raw 8-bit text; want quoted-printable")
	}
}

func TestReceiptNoCitizenMessageID(t *testing.T) {
	ci := testCase()
	ci.CitizenMessageID = ""
	o, err := mustComposer(t, nil).Receipt(ci, synpunkt.Address{Addr: "a@example.com"}, testReplyTo)
	if p := composed(t, "Receipt", o, err); p.h.Has("In-Reply-To") || p.h.Has("References") {
		t.Errorf("In-Reply-To/References set without a citizen Message-ID")
	}
}

func TestReceiptRejectsBadAddress(t *testing.T) {
	c := mustComposer(t, nil)
	for _, to := range []string{"", "inte en adress", "a@example.com\r\nBcc: x@evil.example"} {
		if _, err := c.Receipt(testCase(), synpunkt.Address{Addr: to}, testReplyTo); err == nil {
			t.Errorf("Receipt(to %q) = nil error, want error", to)
		}
	}
}

func TestForward(t *testing.T) {
	original := []byte("From: =?utf-8?q?=C3=85sa?= <asa@example.com>\r\nTo: synpunkter@exempelby.se\r\n" +
		"Subject: Sn\xc3\xb6r\xc3\xb6jning\r\nMessage-ID: <CAF1234@mail.example.com>\r\n\r\nStorgatan \xc3\xa4r inte plogad.\r\n")
	o, err := mustComposer(t, nil).Forward(testCase(), "chef@exempelby.se", original, testReplyTo)
	p := composed(t, "Forward", o, err)
	if subj, _ := p.h.Subject(); subj != "[SYN-2026-00042] Klagomål – Gatu- och parkenheten" {
		t.Errorf("Subject = %q", subj)
	}
	wantHeader(t, p.h, "Auto-Submitted", "auto-generated")
	wantHeader(t, p.h, "Reply-To", "<"+testReplyTo+">")
	wantText(t, p.text, "Ärendenummer: SYN-2026-00042", "Kategori: Klagomål", "Nämnd: Samhällsbyggnadsnämnden",
		"Initierat av: Privatperson", "Ärendebeskrivning: Klagomål på snöröjning", "kopia till synpunkter@exempelby.se",
		"Gångbanan är spärrad för rullatorer.")
	if got := p.parts["message/rfc822"]; !bytes.Equal(got, original) {
		t.Errorf("message/rfc822 part = %q, want original %q", got, original)
	}
	// Where the original stands, for the store to keep a reference instead.
	if o.OriginalLen != len(original) || !bytes.Equal(o.Payload[o.OriginalAt:o.OriginalAt+o.OriginalLen], original) {
		t.Errorf("OriginalAt, OriginalLen = %d, %d; do not locate the original in the payload", o.OriginalAt, o.OriginalLen)
	}
}

func TestForwardAnonymous(t *testing.T) {
	ci := testCase()
	ci.InitiatedBy = synpunkt.RoleAnonym
	o, err := mustComposer(t, nil).Forward(ci, "chef@exempelby.se", []byte("Subject: x\r\n\r\ny\r\n"), testReplyTo)
	wantText(t, composed(t, "Forward", o, err).text, "lämnad anonymt och kan inte besvaras")
}

func TestStaffMessages(t *testing.T) {
	c := mustComposer(t, nil)
	deadline := time.Date(2026, 11, 25, 13, 5, 0, 0, time.UTC)
	ci := testCase()
	tests := []struct {
		name        string
		compose     func() (*synpunkt.Notification, error)
		wantSubject string
		wantBody    []string
	}{
		{"reminder", func() (*synpunkt.Notification, error) { return c.Reminder(ci, "chef@exempelby.se", deadline, 2) },
			"Påminnelse 2: [SYN-2026-00042] väntar på första besked", []string{"senast 2026-11-25 14:05", "Påminnelse nummer: 2"}},
		{"escalation", func() (*synpunkt.Notification, error) {
			return c.Escalation(ci, "forvaltningschef@exempelby.se", deadline, 1)
		},
			"Eskalering: [SYN-2026-00042] saknar första besked", []string{"Samhällsbyggnadsnämnden", "Eskaleringsnivå: 1"}},
		{"notice", func() (*synpunkt.Notification, error) {
			return c.Notice("chef@exempelby.se", "Ärendet är avslutat", "Kommandot AVSLUTA är utfört.", &ci)
		},
			"Ärendet är avslutat [SYN-2026-00042]", []string{"Kommandot AVSLUTA är utfört.", "Ärendenummer: SYN-2026-00042"}},
		{"notice without case", func() (*synpunkt.Notification, error) {
			return c.Notice("chef@exempelby.se", "Okänt kommando\r\nBcc: x@y", "Försök igen.", nil)
		},
			"Okänt kommando Bcc: x@y", []string{"Försök igen."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := tt.compose()
			p := composed(t, "compose", o, err)
			if subj, _ := p.h.Subject(); subj != tt.wantSubject {
				t.Errorf("Subject = %q, want %q", subj, tt.wantSubject)
			}
			wantHeader(t, p.h, "Auto-Submitted", "auto-generated")
			wantHeader(t, p.h, "X-Auto-Response-Suppress", "All")
			wantText(t, p.text, tt.wantBody...)
		})
	}
}

func TestClosed(t *testing.T) {
	ci := testCase()
	ci.Note = "Storgatan plogades den 24 november."
	o, err := mustComposer(t, nil).Closed(ci, synpunkt.Address{Addr: "asa@example.com"}, testReplyTo)
	p := composed(t, "Closed", o, err)
	if subj, _ := p.h.Subject(); subj != "Ditt ärende är avslutat [SYN-2026-00042]" {
		t.Errorf("Subject = %q", subj)
	}
	wantText(t, p.text, "Ditt ärende SYN-2026-00042 hos Exempelby kommun är nu avslutat.", ci.Note)
}

func TestSMS(t *testing.T) {
	c := mustComposer(t, nil)
	for name, compose := range map[string]func() (*synpunkt.Notification, error){
		"receipt": func() (*synpunkt.Notification, error) { return c.ReceiptSMS(testCase(), "+46701234567") },
		"closed":  func() (*synpunkt.Notification, error) { return c.ClosedSMS(testCase(), "+46701234567") },
	} {
		o, err := compose()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := string(o.Payload)
		if o.Channel != synpunkt.MediumSMS || o.To != "+46701234567" || !utf8.ValidString(text) {
			t.Errorf("%s: Notification = %+v", name, o)
		}
		if n := utf8.RuneCountInString(text); n > MaxSMSLen {
			t.Errorf("%s: %d characters, want ≤ %d", name, n, MaxSMSLen)
		}
		wantText(t, text, "SYN-2026-00042", "Exempelby kommun")
	}
	if _, err := c.ReceiptSMS(testCase(), "070-123 45 67"); err == nil {
		t.Errorf("ReceiptSMS(non-E.164) = nil error, want error")
	}
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, TmplReceipt, `{{define "subject"}}Mottaget {{.Case.Number}}{{end}}{{define "body"}}Hej från {{.Org.Name}}, ärende {{.Case.Number}}.{{end}}`)
	tpl, err := LoadTemplates(dir)
	if err != nil {
		t.Fatalf("LoadTemplates: %v", err)
	}
	c := mustComposer(t, tpl)
	o, err := c.Receipt(testCase(), synpunkt.Address{Addr: "a@example.com"}, testReplyTo)
	p := composed(t, "Receipt", o, err)
	if subj, _ := p.h.Subject(); subj != "Mottaget SYN-2026-00042" {
		t.Errorf("Subject = %q, want override", subj)
	}
	wantText(t, p.text, "Hej från Exempelby kommun, ärende SYN-2026-00042.")
	// Templates not overridden keep the defaults.
	o, err = c.Closed(testCase(), synpunkt.Address{Addr: "a@example.com"}, "")
	wantText(t, composed(t, "Closed", o, err).text, "är nu avslutat")
}

func TestTemplateOverrideErrors(t *testing.T) {
	tests := []struct {
		name, file, content, want string
	}{
		{"syntax", TmplReceipt, `{{define "subject"}}{{.Case.Number}{{end}}`, TmplReceipt},
		{"unknown field", TmplForward, `{{define "subject"}}x{{end}}{{define "body"}}{{.Case.Nummer}}{{end}}`, TmplForward},
		{"missing block", TmplClosed, `{{define "body"}}x{{end}}`, `missing {{define "subject"}}`},
		{"unknown file", "kvitto.tmpl", `x`, "kvitto.tmpl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, tt.file, tt.content)
			_, err := LoadTemplates(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadTemplates = %v, want error mentioning %q", err, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), filepath.Join(dir, tt.file)) {
				t.Errorf("LoadTemplates = %v, want error naming %s", err, filepath.Join(dir, tt.file))
			}
		})
	}
}

func TestSMSOverrideTooLong(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, TmplReceiptSMS, `{{define "body"}}`+strings.Repeat("å", MaxSMSLen+1)+`{{end}}`)
	tpl, err := LoadTemplates(dir)
	if err != nil {
		t.Fatalf("LoadTemplates: %v", err)
	}
	if _, err := mustComposer(t, tpl).ReceiptSMS(testCase(), "+46701234567"); err == nil {
		t.Errorf("ReceiptSMS with %d characters = nil error, want error", MaxSMSLen+1)
	}
}

func TestNewComposerValidatesOrg(t *testing.T) {
	bad := testOrg
	bad.Domain = ""
	if _, err := NewComposer(bad, nil); err == nil {
		t.Errorf("NewComposer(empty domain) = nil error, want error")
	}
	bad = testOrg
	bad.FromHeader = "Exempelby kommun"
	if _, err := NewComposer(bad, nil); err == nil {
		t.Errorf("NewComposer(bad from) = nil error, want error")
	}
}

func TestTemplateOverrideAnonymousBranchChecked(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, TmplForward, `{{define "subject"}}x{{end}}{{define "body"}}{{if .Anonymous}}{{.Case.Avsandare}}{{end}}{{end}}`)
	if _, err := LoadTemplates(dir); err == nil || !strings.Contains(err.Error(), TmplForward) {
		t.Errorf("LoadTemplates = %v, want error for the anonymous branch naming %s", err, TmplForward)
	}
}

// ForwardRef keeps the original out of the payload when the complete
// message is the same either way: joined, it is Forward's message (up to
// the random boundary and Message-ID); an original the MIME writer would
// change (a bare LF, a line over 998 bytes) is embedded as by Forward.
func TestForwardRefSameBytesAsForward(t *testing.T) {
	c := mustComposer(t, nil)
	crlf := []byte("From: asa@example.com\r\nSubject: Sn\xc3\xb6\r\nMessage-ID: <a@b>\r\n\r\nStorgatan \xc3\xa4r inte plogad.\r\n")
	noFinalEOL := []byte("Subject: x\r\n\r\ny")
	bareLF := []byte("Subject: x\n\ny\n")
	long := []byte("Subject: x\r\n\r\n" + strings.Repeat("a", 1200) + "\r\n")
	for name, tc := range map[string]struct {
		original []byte
		detached bool
	}{"crlf": {crlf, true}, "no final line end": {noFinalEOL, true}, "bare LF": {bareLF, false}, "long line": {long, false}} {
		t.Run(name, func(t *testing.T) {
			whole, err := c.Forward(testCase(), "chef@exempelby.se", tc.original, testReplyTo)
			if err != nil {
				t.Fatalf("Forward: %v", err)
			}
			ref, err := c.ForwardRef(testCase(), "chef@exempelby.se", tc.original, testReplyTo)
			if err != nil {
				t.Fatalf("ForwardRef: %v", err)
			}
			if ref.Detached() != tc.detached {
				t.Fatalf("Detached() = %v, want %v", ref.Detached(), tc.detached)
			}
			if tc.detached {
				if &ref.Original[0] != &tc.original[0] || ref.OriginalLen != len(tc.original) {
					t.Errorf("Original is not the original itself (len %d, OriginalLen %d)", len(ref.Original), ref.OriginalLen)
				}
				if bytes.Contains(ref.Payload, tc.original) {
					t.Errorf("the detached payload holds the original")
				}
			}
			full, err := ref.Full()
			if err != nil {
				t.Fatal(err)
			}
			if ref.Size() != len(full) {
				t.Errorf("Size() = %d, want %d", ref.Size(), len(full))
			}
			var w bytes.Buffer
			if _, err := ref.WriteTo(&w); err != nil || !bytes.Equal(w.Bytes(), full) {
				t.Errorf("WriteTo wrote %d bytes (%v), not Full()", w.Len(), err)
			}
			if got, want := normalizeMIME(t, full), normalizeMIME(t, whole.Payload); got != want {
				t.Errorf("joined ForwardRef differs from Forward:\n%s\n---\n%s", got, want)
			}
			if tc.detached { // the same from a reader (the outbox's stream of a stored original)
				st := *ref
				st.Original, st.OriginalFrom = nil, io.NewSectionReader(bytes.NewReader(tc.original), 0, int64(len(tc.original)))
				for range 2 { // read again and again
					if got, err := st.Full(); err != nil || !bytes.Equal(got, full) || st.Size() != len(full) {
						t.Errorf("streamed original: Full() = %d bytes, %v; Size() %d; want %d", len(got), err, st.Size(), len(full))
					}
				}
			}
			if got := mustParse(t, full).parts["message/rfc822"]; tc.detached && !bytes.Equal(got, tc.original) {
				t.Errorf("message/rfc822 part = %q, want the original", got)
			}
			// ForwardRefFrom, reading the original from a file, builds the
			// same message: detached (OriginalFrom) when it passes unchanged.
			from, err := c.ForwardRefFrom(testCase(), "chef@exempelby.se", io.NewSectionReader(bytes.NewReader(tc.original), 0, int64(len(tc.original))), nil, testReplyTo)
			if err != nil {
				t.Fatalf("ForwardRefFrom: %v", err)
			}
			if from.Detached() != tc.detached || (from.OriginalFrom != nil) != tc.detached || from.Original != nil && tc.detached {
				t.Fatalf("ForwardRefFrom: Detached() = %v, OriginalFrom %v; want detached %v from the reader", from.Detached(), from.OriginalFrom != nil, tc.detached)
			}
			fromFull, err := from.Full()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := normalizeMIME(t, fromFull), normalizeMIME(t, whole.Payload); got != want {
				t.Errorf("ForwardRefFrom differs from Forward:\n%s\n---\n%s", got, want)
			}
			// With the scan made as the original was written, in pieces, the
			// same message; a scan of other bytes (here clean, and of
			// another size) is not trusted: the original is scanned again.
			var sc, other OriginalScan
			half := len(tc.original) / 2
			sc.Write(tc.original[:half])
			sc.Write(tc.original[half:])
			other.Write([]byte("x\r\n"))
			for name, scan := range map[string]*OriginalScan{"scanned ahead": &sc, "other bytes": &other} {
				got, err := c.ForwardRefFrom(testCase(), "chef@exempelby.se", io.NewSectionReader(bytes.NewReader(tc.original), 0, int64(len(tc.original))), scan, testReplyTo)
				if err != nil {
					t.Fatalf("ForwardRefFrom (%s): %v", name, err)
				}
				if got.Detached() != tc.detached {
					t.Errorf("ForwardRefFrom (%s): Detached() = %v, want %v", name, got.Detached(), tc.detached)
				}
				gotFull, err := got.Full()
				if err != nil {
					t.Fatal(err)
				}
				if g, want := normalizeMIME(t, gotFull), normalizeMIME(t, whole.Payload); g != want {
					t.Errorf("ForwardRefFrom (%s) differs from Forward:\n%s\n---\n%s", name, g, want)
				}
			}
		})
	}
}

// normalizeMIME replaces a composed message's boundary and Message-ID,
// which are random, by fixed strings.
func normalizeMIME(t *testing.T, payload []byte) string {
	t.Helper()
	s := string(payload)
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`boundary=([0-9a-f]+)`), regexp.MustCompile(`Message-Id: <([^>]+)>`)} {
		m := re.FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("%s not found in %q", re, s)
		}
		s = strings.ReplaceAll(s, m[1], "X")
	}
	return s
}
