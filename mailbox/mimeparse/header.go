package mimeparse

import (
	"bytes"
	"strings"
)

// field is one unfolded header field. Value may hold raw 8-bit bytes.
type field struct {
	Key   string
	Value string
}

// header is a header block in message order. Lookups are case-insensitive
// and return the first (topmost) field.
type header []field

// Get returns the value of the first field named key, or "".
func (h header) Get(key string) string {
	v, _ := h.Lookup(key)
	return v
}

// Lookup returns the value of the first field named key and whether it exists.
func (h header) Lookup(key string) (string, bool) {
	for _, f := range h {
		if strings.EqualFold(f.Key, key) {
			return f.Value, true
		}
	}
	return "", false
}

// lineReader yields the lines of b, accepting LF and CRLF endings.
type lineReader struct {
	b   []byte
	pos int
}

// next returns the line at the current position without its ending, and the
// offset of the following line; ok is false at the end of input.
func (r *lineReader) peek() (line []byte, next int, ok bool) {
	if r.pos >= len(r.b) {
		return nil, r.pos, false
	}
	rest := r.b[r.pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		return bytes.TrimSuffix(rest, []byte("\r")), len(r.b), true
	}
	return bytes.TrimSuffix(rest[:i], []byte("\r")), r.pos + i + 1, true
}

// splitHeader separates the header block from the body. It repairs what
// go-message's strict reader rejects: whitespace-only lines at the top,
// stray lines between fields (dropped), and a header block that runs into
// the body without a blank line (the body starts at the first line that
// cannot be a field).
func (p *parser) splitHeader(b []byte) (header, []byte) {
	hb := headerBuilder{val: p.hval[:0]}
	defer func() { p.hval = hb.val[:0] }()
	r := &lineReader{b: b}
	fieldAhead := -1 // offset of a field known to follow bad lines
	for {
		line, next, ok := r.peek()
		if !ok {
			return hb.done(), nil
		}
		switch {
		case isBlank(line) && len(hb.h) == 0 && len(line) > 0:
			p.problem("whitespace line before header")
		case isBlank(line):
			return hb.done(), b[next:]
		case (line[0] == ' ' || line[0] == '\t') && len(hb.h) > 0:
			hb.cont(line)
		case line[0] == ' ' || line[0] == '\t':
			if k, v, ok := fieldStart(bytes.TrimLeft(line, " \t")); ok {
				p.problem("header starts with whitespace")
				hb.add(k, v)
			} else {
				p.problem("dropped malformed header line")
			}
		default:
			if k, v, ok := fieldStart(line); ok {
				hb.add(k, v)
				break
			}
			if fieldAhead < next {
				fieldAhead = nextField(b, next)
			}
			if fieldAhead < 0 {
				if len(hb.h) > 0 {
					p.problem("header not terminated by blank line")
				}
				return hb.done(), b[r.pos:]
			}
			p.problem("dropped malformed header line")
			r.pos = skipContinuations(b, next)
			continue
		}
		r.pos = next
	}
}

// headerBuilder collects fields, unfolding continuation lines in linear
// time (RFC 5322 §2.2.3).
type headerBuilder struct {
	h   header
	val []byte // value of the last field, still growing
}

// add starts a new field. Its value has NUL bytes and byte-order marks
// dropped before continuation lines join it, as well as after.
func (hb *headerBuilder) add(k string, v []byte) {
	hb.flush()
	hb.h = append(hb.h, field{Key: k})
	if bytes.IndexByte(v, 0) >= 0 || bytes.Contains(v, []byte("\uFEFF")) {
		hb.val = append(hb.val[:0], stripNUL(string(v))...)
	} else {
		hb.val = append(hb.val[:0], v...)
	}
}

// cont appends a continuation line to the last field.
func (hb *headerBuilder) cont(line []byte) {
	hb.val = append(hb.val, ' ')
	hb.val = append(hb.val, bytes.Trim(line, " \t")...)
}

// flush stores the growing value in the last field.
func (hb *headerBuilder) flush() {
	if len(hb.h) > 0 {
		hb.h[len(hb.h)-1].Value = stripNUL(string(hb.val))
	}
}

// done returns the header block.
func (hb *headerBuilder) done() header {
	hb.flush()
	return hb.h
}

// fieldStart parses "Key: value". The key is printable ASCII without colon;
// obsolete whitespace before the colon (RFC 5322 §4.5.3) is accepted. The
// value, trimmed, is a slice of line.
func fieldStart(line []byte) (key string, value []byte, ok bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return "", nil, false
	}
	k := bytes.TrimRight(line[:i], " \t")
	if len(k) == 0 {
		return "", nil, false
	}
	for _, c := range k {
		if c <= ' ' || c >= 0x7f {
			return "", nil, false
		}
	}
	return string(k), bytes.Trim(line[i+1:], " \t"), true
}

// nextField returns the offset of the first header field starting at or
// after pos and before the next blank line, or -1: whether a bad line sits
// inside the header block or starts the body.
func nextField(b []byte, pos int) int {
	r := &lineReader{b: b, pos: pos}
	for {
		line, next, ok := r.peek()
		if !ok || isBlank(line) {
			return -1
		}
		if line[0] != ' ' && line[0] != '\t' {
			if _, _, ok := fieldStart(line); ok {
				return r.pos
			}
		}
		r.pos = next
	}
}

// skipContinuations returns the offset of the first line at or after pos
// that is not a continuation line.
func skipContinuations(b []byte, pos int) int {
	r := &lineReader{b: b, pos: pos}
	for {
		line, next, ok := r.peek()
		if !ok || len(line) == 0 || (line[0] != ' ' && line[0] != '\t') || isBlank(line) {
			return r.pos
		}
		r.pos = next
	}
}

// isBlank reports whether line holds only spaces and tabs.
func isBlank(line []byte) bool {
	return len(bytes.Trim(line, " \t")) == 0
}
