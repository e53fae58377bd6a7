package pipeline

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/exempelby/synpunkt"
)

// automation says why a message must never be answered, or "" for a human.
// RFC 3834 §2 (Auto-Submitted, where "no" means a human wrote it), RFC 2919
// (List-Id), the de-facto Precedence header, RFC 5321 §4.5.5 (the null
// reverse-path of delivery reports) and the MAILER-DAEMON/postmaster
// senders of bounces.
func automation(m *synpunkt.Message) string {
	local, _, _ := strings.Cut(m.From.Addr, "@")
	switch {
	case local == "mailer-daemon" || local == "postmaster":
		return "bounce: sender " + local
	case m.HasReturnPath && strings.Trim(m.ReturnPath, "<> ") == "":
		return "bounce: empty Return-Path"
	case m.AutoSubmitted != "" && m.AutoSubmitted != "no":
		return "Auto-Submitted: " + m.AutoSubmitted
	case m.Precedence == "bulk" || m.Precedence == "list" || m.Precedence == "junk":
		return "Precedence: " + m.Precedence
	case m.ListID != "":
		return "List-Id present"
	case m.OtherAuto:
		return "auto-reply header"
	}
	return ""
}

// isBounce reports whether the automation reason is a delivery report.
func isBounce(reason string, m *synpunkt.Message) bool {
	return strings.HasPrefix(reason, "bounce:") || bytes.Contains(bytes.ToLower(headerBlock(m.Raw)), []byte("multipart/report"))
}

func headerBlock(raw []byte) []byte {
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n")} {
		if i := bytes.Index(raw, sep); i >= 0 {
			return raw[:i]
		}
	}
	return raw
}

var messageIDHeader = regexp.MustCompile(`(?im)^(?:Message-ID|In-Reply-To|References):[ \t]*((?:<[^>\r\n]+>[ \t]*)+)`)
var bracketed = regexp.MustCompile(`<([^>\s]+)>`)

// referencedIDs lists every Message-ID the raw message mentions in header
// lines, including those of an enclosed original in a delivery report.
func referencedIDs(raw []byte) []string {
	var ids []string
	for _, m := range messageIDHeader.FindAllSubmatch(raw, 50) {
		for _, id := range bracketed.FindAllSubmatch(m[1], 20) {
			ids = append(ids, string(id[1]))
		}
	}
	return ids
}
