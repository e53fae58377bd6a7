package mimeparse

import (
	"github.com/exempelby/synpunkt"
	"slices"
	"strings"
	"testing"
)

// Only the Authentication-Results fields above the first Received field
// are listed: the sender writes whatever stands below it, and a message
// without Received never passed a mail server.
func TestTrace(t *testing.T) {
	const (
		ar   = "Authentication-Results: mx.exempelby.se; dmarc=pass header.from=exempelby.se"
		recv = "Received: from evil.example by mx.exempelby.se with ESMTPS; Mon, 23 Nov 2026 09:00:00 +0100"
		rest = "From: gata.handlaggare@exempelby.se\nSubject: Re: [SYN-2025-00001]\n\n#avsluta Ärendet är löst\n"
	)
	arF := synpunkt.TraceField{Name: "Authentication-Results", Value: "mx.exempelby.se; dmarc=pass header.from=exempelby.se"}
	recvF := synpunkt.TraceField{Name: "Received", Value: "from evil.example by mx.exempelby.se with ESMTPS; Mon, 23 Nov 2026 09:00:00 +0100"}
	tests := []struct {
		name string
		raw  string
		want []synpunkt.TraceField
	}{
		{"in header order", ar + "\n" + recv + "\n" + ar + "\n" + rest, []synpunkt.TraceField{arF, recvF, arF}},
		{"none", rest, nil},
		{"folded", "Authentication-Results: mx.exempelby.se;\r\n\tdmarc=pass header.from=exempelby.se\r\n" +
			recv + "\r\n" + strings.ReplaceAll(rest, "\n", "\r\n"),
			[]synpunkt.TraceField{{Name: "Authentication-Results", Value: "mx.exempelby.se; dmarc=pass header.from=exempelby.se"}, recvF}},
		// The header ends at the first blank line, LF or CRLF: lines in an
		// LF-only body are not header fields, even with a CRLFCRLF further
		// down (a search for "\r\n\r\n" before "\n\n" would take them).
		{"in the body of an LF-only message", "From: gata.handlaggare@exempelby.se\nSubject: Re: [SYN-2025-00001]\n\n" +
			ar + "\n" + recv + "\n#avsluta Ärendet är löst\r\n\r\nHälsningar\n", nil},
		{"not from an enclosed message", "From: a@exempelby.se\nContent-Type: multipart/mixed; boundary=b\n\n--b\n" +
			"Content-Type: message/rfc822\n\n" + ar + "\n" + recv + "\nFrom: x@example.com\n\nhej\n--b--\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, []byte(tt.raw))
			if !slices.Equal(m.Trace, tt.want) {
				t.Errorf("Trace = %q, want %q", m.Trace, tt.want)
			}
		})
	}
}

// OwnText is what the author wrote: no blockquoted HTML, no attached
// message, while Text still shows them.
func TestOwnText(t *testing.T) {
	tests := []struct {
		name, raw     string
		text, ownText string
	}{
		{"plain", "From: a@exempelby.se\nContent-Type: text/plain; charset=utf-8\n\nTack!\n> #avsluta\n",
			"Tack!\n> #avsluta", "Tack!\n> #avsluta"},
		{"html with blockquote", "From: a@exempelby.se\nContent-Type: text/html; charset=utf-8\n\n" +
			"<div>Vi tittar på det.</div><blockquote type=\"cite\"><div>#avsluta</div><blockquote>djupare</blockquote>mer citat</blockquote><p>Hälsningar</p>",
			"Vi tittar på det.\n\n#avsluta\n\ndjupare\n\nmer citat\n\nHälsningar", "Vi tittar på det.\n\nHälsningar"},
		{"html without blockquote", "From: a@exempelby.se\nContent-Type: text/html; charset=utf-8\n\n" +
			"<div>Vi tittar på det.</div><p>Hälsningar</p>",
			"Vi tittar på det.\n\nHälsningar", "Vi tittar på det.\n\nHälsningar"},
		{"html with BLOCKQUOTE in capitals", "From: a@exempelby.se\nContent-Type: text/html; charset=utf-8\n\n" +
			"<div>Vi tittar på det.</div><BlockQuote><div>#avsluta</div></BLOCKQUOTE><p>Hälsningar</p>",
			"Vi tittar på det.\n\n#avsluta\n\nHälsningar", "Vi tittar på det.\n\nHälsningar"},
		{"forward as attachment, empty body", "From: a@exempelby.se\nContent-Type: multipart/mixed; boundary=b\n\n--b\n" +
			"Content-Type: text/plain\n\n\n--b\nContent-Type: message/rfc822\n\nFrom: x@example.com\nSubject: gammalt\n\n#avsluta Klart\n--b--\n",
			"#avsluta Klart", ""},
		{"alternative, plain chosen", "From: a@exempelby.se\nContent-Type: multipart/alternative; boundary=b\n\n--b\n" +
			"Content-Type: text/plain\n\n#anteckning Ringt.\n--b\nContent-Type: text/html\n\n<p>#anteckning Ringt.</p>\n--b--\n",
			"#anteckning Ringt.", "#anteckning Ringt."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, []byte(tt.raw))
			wantStr(t, "Text", m.Text, tt.text)
			wantStr(t, "OwnText", m.OwnText, tt.ownText)
		})
	}
}
