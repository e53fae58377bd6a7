package mimeparse

import (
	"net/mail"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The regexp msgIDs took bracketed IDs with, and the date parsing that
// asked net/mail first, kept as the references the faster code must equal.
var refMsgIDRE = regexp.MustCompile(`<([^<>\s]+)>`)

func refBracketedIDs(v string) []string {
	var out []string
	for _, m := range refMsgIDRE.FindAllStringSubmatch(v, 1000) {
		out = append(out, m[1])
	}
	return out
}

// refDate parses a Date header; the zero time when nothing fits.
func refDate(v string) time.Time {
	v = strings.TrimSpace(validUTF8(v))
	if v == "" {
		return time.Time{}
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t
	}
	v = strings.Join(strings.Fields(commentRE.ReplaceAllString(v, " ")), " ")
	v = colonRE.ReplaceAllString(v, ":")
	v = zoneRE.ReplaceAllString(v, "$1 $2")
	v = strings.TrimSuffix(strings.TrimRight(v, " ,."), " GMT+0000")
	v = strings.Replace(v, ",", ", ", 1)
	v = strings.Join(strings.Fields(v), " ")
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t
		}
	}
	if i := strings.Index(v, ", "); i >= 0 && i <= 10 {
		if t, err := mail.ParseDate(v[i+2:]); err == nil {
			return t
		}
	}
	return time.Time{}
}

// sameDate fails the test when date and refDate differ for v.
func sameDate(t *testing.T, v string) {
	t.Helper()
	got, want := date(v), refDate(v)
	if !got.Equal(want) || got.String() != want.String() {
		t.Fatalf("date(%q) = %v, the reference says %v", v, got, want)
	}
}

// sameIDs fails the test when bracketedIDs and the regexp differ for v.
func sameIDs(t *testing.T, v string) {
	t.Helper()
	if got, want := bracketedIDs(v), refBracketedIDs(v); !slices.Equal(got, want) || (got == nil) != (want == nil) {
		t.Fatalf("bracketedIDs(%q) = %q, the regexp says %q", v, got, want)
	}
}

// corpusFields returns the values of every header field of every header
// block (each line followed by a blank one) of the corpus messages.
func corpusFields(t *testing.T) []field {
	t.Helper()
	var fields []field
	for _, f := range corpusFiles(t, corpusDir(t)) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(raw), "\r\n", "\n")
		for _, block := range strings.Split(s, "\n\n") {
			h, _ := (&parser{}).splitHeader([]byte(block))
			fields = append(fields, h...)
		}
	}
	return fields
}

// date answers as before for the dates of the corpus and for dates near
// the usual form in every way it can be broken.
func TestDateAsBefore(t *testing.T) {
	dates := []string{
		"Tue, 13 Jan 2026 08:15:00 +0100", "Tue, 3 Jan 2026 08:15:00 +0100", "tue, 03 jan 2026 8:15:00 -0000",
		"Mon, 13 Jan 2026 08:15:00 +0100", "Tue, 13 Jan 26 08:15:00 +0100", "Tue, 13 Jan 2026 08:15 +0100",
		"Tue, 13 Jan 2026 08:15:00 +0100 (CET)", "Tue, 13 Jan 2026 08:15:00 CET", "Tue, 13 Jan 2026 08:15:00 UT",
		"Tue, 13 Jan 2026 08:15:00 +2400", "Tue, 13 Jan 2026 08:15:00 +0199", "Tue, 13 Jan 2026 24:00:00 +0100",
		"Tue, 31 Feb 2026 08:15:00 +0100", "Tue, 13 Jan 2026 08:15:60 +0100", "Tue,  13 Jan 2026 08:15:00 +0100",
		"Tue, 13 Jan 2026 08:15:00 +01000", "Tue, 13 Jan 2026 08:15:00 +010", "Tue, 13 January 2026 08:15:00 +0100",
		"Tue, 13 Jan 2026 08:15:00.5 +0100", "Tue, 13 Jan 02026 08:15:00 +0100", "Tue, 013 Jan 2026 08:15:00 +0100",
		"Tuesday, 13 Jan 2026 08:15:00 +0100", "Tue, 13 Jan 2026 08:15:00 +0000", "Tue, 13 Jan 2026 08:15:00 -0000",
		"Tue, 13 Jan 2026 08:15:00 +0100\r\n", "Tue, 13 Jan 2026\r\n 08:15:00 +0100", " Tue, 13 Jan 2026 08:15:00 +0100",
		"Tue, 13 Jan 2026 08:15:00 +0100 ", "Tue, 13 Jan 2026 08:15:00+0100", "Tue, 13-Jan-2026 08:15:00 +0100",
	}
	for _, v := range dates {
		sameDate(t, v)
	}
	n := 0
	for _, f := range corpusFields(t) { // skips when the corpus is absent
		if strings.EqualFold(f.Key, "Date") || strings.HasSuffix(strings.ToLower(f.Key), "-date") {
			sameDate(t, f.Value)
			n++
		}
	}
	t.Logf("%d made-up dates and %d of the corpus compared", len(dates), n)
}

// bracketedIDs finds what the regexp found, in every header field of the
// corpus and in IDs broken in every way.
func TestBracketedIDsAsRegexp(t *testing.T) {
	values := []string{"", "<", ">", "<>", "<<a>", "<a<b>", "<a>>", "<a b>", "<a\tb> <c>", "<a\u00a0b>", "<\xff@x>", "<a\fb>", "<a\rb>", "<a\nb>", "<a\vb>",
		"<a@b> <c@d>", "x <a@b", "<a@b>x<c@d>", strings.Repeat("<a>", 1200), "<é@exempelby.se>", "< a@b >"}
	for _, v := range values {
		sameIDs(t, v)
	}
	fields := corpusFields(t) // skips when the corpus is absent
	for _, f := range fields {
		sameIDs(t, f.Value)
	}
	t.Logf("%d made-up values and %d fields of the corpus compared", len(values), len(fields))
}

func FuzzDate(f *testing.F) {
	f.Add("Tue, 13 Jan 2026 08:15:00 +0100")
	f.Add("Tue, 13 Jan 2026 08:15:00 +0100 (CET)")
	f.Add("13 Jan 2026 08:15+0100")
	f.Fuzz(func(t *testing.T, v string) { sameDate(t, v) })
}

func FuzzBracketedIDs(f *testing.F) {
	f.Add("<a@b> <c@d>")
	f.Add("<a<b> x <c d> <>")
	f.Fuzz(func(t *testing.T, v string) { sameIDs(t, v) })
}
