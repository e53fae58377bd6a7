package mimeparse

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// part is one MIME entity. body is the raw, still transfer-encoded content
// and shares memory with the input.
type part struct {
	hdr         header
	body        []byte
	mediaType   string            // lower-case, e.g. "text/plain"
	params      map[string]string // Content-Type parameters
	disposition string            // lower-case, may be empty
	dparams     map[string]string // Content-Disposition parameters
	children    []*part           // multipart children, may be nil
	depth       int
}

// newPart parses the entity in b at the given nesting depth.
func (p *parser) newPart(b []byte, depth int) *part {
	p.parts++
	pt := &part{depth: depth}
	pt.hdr, pt.body = p.splitHeader(b)
	p.contentType(pt)
	if strings.HasPrefix(pt.mediaType, "multipart/") {
		p.splitChildren(pt)
	}
	return pt
}

// contentType fills the media type and disposition of pt.
func (p *parser) contentType(pt *part) {
	ct, ok := pt.hdr.Lookup("Content-Type")
	pt.mediaType, pt.params = p.parseParams(ct)
	if !ok || pt.mediaType == "" {
		pt.mediaType = "text/plain"
	} else if !strings.Contains(pt.mediaType, "/") {
		p.problem("malformed content type")
		if strings.HasPrefix(pt.mediaType, "text") {
			pt.mediaType = "text/plain"
		} else {
			pt.mediaType = "application/octet-stream"
		}
	}
	if !plainToken(pt.mediaType) {
		pt.mediaType = strings.Join(strings.Fields(pt.mediaType), "")
	}
	pt.mediaType = validUTF8(pt.mediaType)
	if cd, ok := pt.hdr.Lookup("Content-Disposition"); ok {
		pt.disposition, pt.dparams = p.parseParams(cd)
	}
}

// plainToken reports whether s is ASCII without white space, which
// strings.Fields would return whole.
func plainToken(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			return false
		}
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// splitChildren parses the parts of a multipart entity. Without a usable
// boundary the body is treated as text/plain.
func (p *parser) splitChildren(pt *part) {
	if pt.depth >= MaxDepth {
		p.problem("nesting too deep, inner parts ignored")
		pt.mediaType = "application/octet-stream"
		return
	}
	boundary := pt.params["boundary"]
	chunks, closed := splitMultipart(pt.body, boundary)
	if len(chunks) == 0 {
		if guessed := guessBoundary(pt.body); guessed != "" && guessed != boundary {
			chunks, closed = splitMultipart(pt.body, guessed)
			if len(chunks) > 0 {
				p.problem("multipart boundary guessed")
			}
		}
	}
	if len(chunks) == 0 {
		p.problem("multipart without usable boundary, read as text")
		pt.mediaType = "text/plain"
		return
	}
	if !closed {
		p.problem("missing closing multipart boundary")
	}
	for _, c := range chunks {
		if p.parts >= MaxParts {
			p.problem("too many MIME parts, rest ignored")
			return
		}
		pt.children = append(pt.children, p.newPart(c, pt.depth+1))
	}
}

// splitMultipart cuts body at the delimiter lines of boundary (RFC 2046
// §5.1.1). The line break before a delimiter belongs to the delimiter.
// closed reports whether the close delimiter was seen.
func splitMultipart(body []byte, boundary string) (chunks [][]byte, closed bool) {
	if boundary == "" || len(boundary) > 2000 {
		return nil, false
	}
	delim := []byte("--" + boundary)
	start := -1
	r := &lineReader{b: body}
	for {
		line, next, ok := r.peek()
		if !ok {
			break
		}
		if bytes.HasPrefix(line, delim) {
			rest := line[len(delim):]
			isClose := bytes.HasPrefix(rest, []byte("--"))
			if isClose || isBlank(rest) {
				if start >= 0 {
					chunks = append(chunks, body[start:max(start, trimEOL(body, r.pos))])
				}
				if isClose {
					return chunks, true
				}
				start = next
			}
		}
		r.pos = next
	}
	if start >= 0 {
		chunks = append(chunks, body[start:])
	}
	return chunks, false
}

// trimEOL returns the offset before the line break that ends at pos.
func trimEOL(b []byte, pos int) int {
	if pos > 0 && b[pos-1] == '\n' {
		pos--
		if pos > 0 && b[pos-1] == '\r' {
			pos--
		}
	}
	return pos
}

// guessBoundary takes the first line starting with "--" as the delimiter,
// for multiparts whose boundary parameter is missing or wrong.
func guessBoundary(body []byte) string {
	r := &lineReader{b: body}
	for n := 0; n < 1000; n++ {
		line, next, ok := r.peek()
		if !ok {
			return ""
		}
		if bytes.HasPrefix(line, []byte("--")) {
			b := strings.TrimRight(string(line[2:]), " \t")
			if len(b) >= 4 && len(b) <= 200 && !strings.HasSuffix(b, "--") {
				return b
			}
		}
		r.pos = next
	}
	return ""
}
