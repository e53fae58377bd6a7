package mimeparse

import (
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"

	gomail "github.com/emersion/go-message/mail"

	synpunkt "github.com/exempelby/synpunkt"
)

// text decodes an unstructured header value: raw 8-bit bytes are sniffed to
// UTF-8 first, then RFC 2047 encoded words are decoded.
func (p *parser) text(v string) string {
	if !isASCII(v) {
		v = sniffUTF8([]byte(v), false)
	}
	if !strings.Contains(v, "=?") {
		return validUTF8(v)
	}
	dec := mime.WordDecoder{CharsetReader: p.wordCharset}
	out, err := dec.DecodeHeader(v)
	if err != nil {
		p.problem("undecodable encoded word")
		return validUTF8(v)
	}
	return validUTF8(out)
}

// wordCharset is the CharsetReader for encoded words. An unknown charset is
// guessed instead of failing the whole header.
func (p *parser) wordCharset(label string, r io.Reader) (io.Reader, error) {
	cr, err := charsetReader(label, r)
	if err == nil {
		return smallCopy{cr}, nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	p.problem("unknown charset in header, guessed")
	return strings.NewReader(p.decodeCharset(b, "")), nil
}

// smallCopy is a reader that copies itself to a writer through a small
// buffer. The mime package io.Copies the charset reader of every encoded
// word, which would otherwise take a buffer of 32 KiB for a few bytes.
type smallCopy struct{ r io.Reader }

func (s smallCopy) Read(b []byte) (int, error) { return s.r.Read(b) }

// WriteTo copies the reader's bytes to w until io.EOF, as io.Copy does.
func (s smallCopy) WriteTo(w io.Writer) (n int64, err error) {
	buf := make([]byte, 512)
	for {
		k, rerr := s.r.Read(buf)
		if k > 0 {
			m, werr := w.Write(buf[:k])
			n += int64(m)
			if werr != nil {
				return n, werr
			}
			if m != k {
				return n, io.ErrShortWrite
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// addresses parses an address-list header with go-message. When that fails
// every local@domain found is taken, lower-cased, with a best-effort name
// for a single address.
func (p *parser) addresses(v string) []synpunkt.Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if !isASCII(v) {
		v = sniffUTF8([]byte(v), false)
	}
	list, err := gomail.ParseAddressList(v)
	if err == nil {
		out := make([]synpunkt.Address, 0, len(list))
		for _, a := range list {
			out = append(out, synpunkt.Address{Name: p.text(a.Name), Addr: strings.ToLower(validUTF8(a.Address))})
		}
		return out
	}
	return p.looseAddresses(v)
}

// addrRE matches something@domain in a header that the strict parser rejects.
var addrRE = regexp.MustCompile(`[^\s<>()"',;:@\[\]]+@[^\s<>()"',;:@]*[^\s<>()"',;:@.]`)

// bracketRE matches an angle-bracketed address.
var bracketRE = regexp.MustCompile(`<[^<>]*@[^<>]*>`)

// looseAddresses is the tolerant fallback of addresses. It looks at each
// comma-separated piece; there, a bracketed address wins over bare ones,
// which are often display names, and the text before "<" is the name.
func (p *parser) looseAddresses(v string) []synpunkt.Address {
	var out []synpunkt.Address
	for _, seg := range strings.Split(v, ",") {
		found := addrRE.FindAllString(strings.Join(bracketRE.FindAllString(seg, 100), " "), 100)
		if len(found) == 0 {
			found = addrRE.FindAllString(seg, 100)
		}
		for _, a := range found {
			out = append(out, synpunkt.Address{Addr: strings.ToLower(validUTF8(a))})
		}
		if i := strings.IndexByte(seg, '<'); len(found) == 1 && i > 0 {
			out[len(out)-1].Name = p.text(strings.Trim(seg[:i], " \t\""))
		}
	}
	if len(out) == 0 && strings.Trim(v, " \t\"<>,;:") == "" {
		return nil
	}
	p.problem("malformed address header, extracted loosely")
	if len(out) == 0 {
		if i := strings.IndexByte(v, '<'); i > 0 {
			v = v[:i]
		}
		return []synpunkt.Address{{Name: p.text(strings.Trim(v, " \t\"<>"))}}
	}
	return out
}

// maxMsgIDs bounds the bracketed message IDs taken from one field.
const maxMsgIDs = 1000

// msgIDs extracts message IDs without brackets. Bracketed IDs are taken
// when there are any; otherwise whitespace-separated tokens holding an "@".
// Junk between IDs is ignored (RFC 5322 §3.6.4 with obsolete syntax).
func msgIDs(v string) []string {
	v = validUTF8(v)
	out := bracketedIDs(v)
	if out != nil {
		return out
	}
	for _, tok := range strings.Fields(v) {
		tok = strings.Trim(tok, "<>,;")
		if strings.Contains(tok, "@") {
			out = append(out, tok)
		}
	}
	return out
}

// bracketedIDs returns the IDs of v in angle brackets, left to right: the
// text of each "<", one or more bytes other than "<", ">" and white space
// (tab, LF, FF, CR, space), and ">". A "<" that starts none starts the
// search again after it. The regexp `<([^<>\s]+)>` found the same ones;
// this scan is the same without the regexp's cost.
func bracketedIDs(v string) []string {
	var out []string
	for len(out) < maxMsgIDs {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			break
		}
		v = v[i+1:]
		j := 0
		for j < len(v) && !idStop[v[j]] {
			j++
		}
		if j > 0 && j < len(v) && v[j] == '>' {
			out = append(out, v[:j])
			v = v[j+1:]
		}
	}
	return out
}

// idStop marks the bytes that cannot be inside a bracketed message ID.
var idStop = [256]bool{'<': true, '>': true, '\t': true, '\n': true, '\f': true, '\r': true, ' ': true}

// firstMsgID returns the first message ID of v, or the trimmed value when
// it has no recognisable ID.
func firstMsgID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return strings.Trim(validUTF8(v), " \t<>")
}

// dateLayouts are tried after net/mail gives up, on a value with comments
// removed and spaces collapsed.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	"Mon, 2 January 2006 15:04:05 -0700",
	"Mon, 02-Jan-2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 3:04:05 PM",
	"Mon, 2 Jan 06 3:04:05 PM -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	time.RFC3339,
}

// colonRE matches a time separator with spaces around it.
var colonRE = regexp.MustCompile(`\s*:\s*`)

// zoneRE matches a numeric zone glued to the time.
var zoneRE = regexp.MustCompile(`(\d:\d\d)([+-]\d{4})$`)

// commentRE matches a parenthesised comment in a date.
var commentRE = regexp.MustCompile(`\([^()]*\)`)

// date parses a Date header; the zero time when nothing fits.
func date(v string) time.Time {
	v = strings.TrimSpace(validUTF8(v))
	if v == "" {
		return time.Time{}
	}
	// The usual form first: mail.ParseDate tries 24 layouts without a day
	// of the week before this, its first with one, each failure costing
	// an error value. What parses here parses there the same way.
	if t, err := time.Parse("Mon, 2 Jan 2006 15:04:05 -0700", v); err == nil {
		return t
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

// returnPath strips the angle brackets of a Return-Path (RFC 5321 §4.4);
// "<>" becomes "".
func returnPath(v string) string {
	v = strings.TrimSpace(validUTF8(v))
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j >= 0 {
			return strings.TrimSpace(v[i+1 : i+j])
		}
	}
	return strings.Trim(v, "<> \t")
}

// lowerTrim lower-cases and trims a loop-prevention header value.
func lowerTrim(v string) string {
	return strings.ToLower(strings.TrimSpace(validUTF8(v)))
}

// autoSubjectRE matches the subject prefixes of out-of-office replies in the
// languages a Swedish municipality sees.
var autoSubjectRE = regexp.MustCompile(`(?i)^\s*(automatic reply|autosvar|automatiskt svar|auto:|out of office|frånvaro|autoreply|abwesend|automatische antwort)`)

// otherAuto reports auto-reply markers other than Auto-Submitted:
//
//   - X-Autoreply (any value but "no") and X-Autorespond: set by vacation
//     programs and many webmail auto-responders;
//   - X-Autogenerated: Reply;
//   - X-POST-MessageClass: 9; Autoresponder (Swedish and German
//     auto-responders);
//   - X-Auto-Response-Suppress: All or OOF only together with an
//     out-of-office subject. Exchange puts that header on its own
//     auto-replies, but Outlook also puts it on meeting responses and
//     ordinary mail from many applications, so alone it says too little.
func otherAuto(h header, subject string) bool {
	if v, ok := h.Lookup("X-Autoreply"); ok && lowerTrim(v) != "no" {
		return true
	}
	if _, ok := h.Lookup("X-Autorespond"); ok {
		return true
	}
	if strings.Contains(lowerTrim(h.Get("X-Autogenerated")), "reply") {
		return true
	}
	if strings.Contains(lowerTrim(h.Get("X-POST-MessageClass")), "autoresponder") {
		return true
	}
	supp := lowerTrim(h.Get("X-Auto-Response-Suppress"))
	return (strings.Contains(supp, "all") || strings.Contains(supp, "oof")) && autoSubjectRE.MatchString(subject)
}
