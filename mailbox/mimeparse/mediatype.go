package mimeparse

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// parseParams splits a Content-Type or Content-Disposition value into its
// lower-cased value and parameters. Unlike mime.ParseMediaType it never
// fails: junk is skipped, duplicate parameters keep the first, and RFC 2231
// parameters are decoded in any charset (RFC 2231 §3, §4). Values are
// returned raw; RFC 2047 words in them are decoded by the caller. The map
// is nil when there are none.
func (p *parser) parseParams(v string) (string, map[string]string) {
	value, rest, _ := strings.Cut(v, ";")
	var params map[string]string       // made when a parameter is met
	var ext map[string]map[int]extPart // RFC 2231 sections, made when met
	for rest != "" {
		var k, val string
		k, val, rest = nextParam(rest)
		if k == "" {
			continue
		}
		name, idx, encoded := splitExtName(k)
		if idx < 0 && !encoded {
			if params == nil {
				params = map[string]string{}
			}
			if _, dup := params[name]; !dup {
				params[name] = val
			}
			continue
		}
		if ext == nil {
			ext = map[string]map[int]extPart{}
		}
		if ext[name] == nil {
			ext[name] = map[int]extPart{}
		}
		ext[name][max(idx, 0)] = extPart{val, encoded}
	}
	for name, parts := range ext {
		if params == nil {
			params = map[string]string{}
		}
		params[name] = p.joinExt(parts)
	}
	return strings.ToLower(strings.Trim(value, " \t\"")), params
}

// extPart is one RFC 2231 section of a parameter value.
type extPart struct {
	value   string
	encoded bool
}

// nextParam reads one "key=value" from s, returning the rest after the
// following semicolon. Quoted values may contain semicolons.
func nextParam(s string) (key, val, rest string) {
	s = strings.TrimLeft(s, " \t;")
	eq := strings.IndexAny(s, "=;")
	if eq < 0 || s[eq] == ';' {
		if eq < 0 {
			return "", "", ""
		}
		return "", "", s[eq+1:]
	}
	key = strings.ToLower(strings.Trim(s[:eq], " \t"))
	s = strings.TrimLeft(s[eq+1:], " \t")
	if strings.HasPrefix(s, `"`) {
		val, rest = readQuoted(s[1:])
		return key, val, rest
	}
	val, rest, _ = strings.Cut(s, ";")
	return key, strings.Trim(val, " \t"), rest
}

// readQuoted reads a quoted-string body up to the closing quote, resolving
// backslash escapes. An unterminated string runs to the end.
func readQuoted(s string) (val, rest string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			rest = s[i+1:]
			if j := strings.IndexByte(rest, ';'); j >= 0 {
				return b.String(), rest[j+1:]
			}
			return b.String(), ""
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// splitExtName splits an RFC 2231 name such as "filename*1*" into its base
// name, section index (-1 when absent) and whether the section is encoded.
func splitExtName(k string) (name string, idx int, encoded bool) {
	name, idx = k, -1
	if strings.HasSuffix(name, "*") {
		name, encoded = strings.TrimSuffix(name, "*"), true
	}
	if base, num, ok := strings.Cut(name, "*"); ok {
		if n, err := strconv.Atoi(num); err == nil && n >= 0 && n < 1000 {
			return base, n, encoded
		}
	}
	return name, idx, encoded
}

// joinExt concatenates the sections of an RFC 2231 value in order and
// decodes the percent-escapes of encoded sections in the charset named by
// the first one.
func (p *parser) joinExt(parts map[int]extPart) string {
	idxs := make([]int, 0, len(parts))
	for i := range parts {
		idxs = append(idxs, i)
	}
	sort.Ints(idxs)
	var label string
	var raw strings.Builder
	for n, i := range idxs {
		v := parts[i]
		if !v.encoded {
			raw.WriteString(v.value)
			continue
		}
		s := v.value
		if n == 0 {
			if cs, after, ok := strings.Cut(s, "'"); ok {
				label = cs
				if _, after2, ok := strings.Cut(after, "'"); ok {
					s = after2
				} else {
					s = after
				}
			}
		}
		raw.WriteString(unescapePct(s))
	}
	return p.decodeCharset([]byte(raw.String()), label)
}

// unescapePct decodes %XX escapes, keeping malformed ones as they are.
func unescapePct(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
