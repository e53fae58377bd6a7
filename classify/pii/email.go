package pii

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// emails detects plain addresses around each '@' and obfuscated ones written
// "anna (at) example.se", "anna[at]example(dot)se" or "anna snabel-a
// example.se". A display name directly before "<address>" is a name.
func (s *scan) emails() {
	t := s.text
	for k := 0; k < len(t); {
		at := strings.IndexByte(t[k:], '@')
		if at < 0 {
			break
		}
		at += k
		k = at + 1
		start := localStart(t, at)
		end := domainEnd(t, at+1)
		if start == at || end == at+1 {
			continue
		}
		s.add(Epost, start, end, 0.99, "email", "domain ok", "")
		if start > 0 && t[start-1] == '<' {
			s.displayName(start - 1)
		}
		k = end
	}
	s.obfuscatedEmails()
}

func localChar(r rune) bool {
	return r < utf8.RuneSelf && (isAlnumByte(byte(r)) || strings.ContainsRune("._%+-'", r)) || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

// localStart returns where the local part ending at at begins.
func localStart(t string, at int) int {
	i := at
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(t[:i])
		if !localChar(r) {
			break
		}
		i -= n
	}
	for i < at-1 && t[i] == '\'' {
		i++
	}
	return i
}

func domainChar(r rune) bool {
	return r < utf8.RuneSelf && (isAlnumByte(byte(r)) || r == '-' || r == '.') || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

// domainEnd returns the end of the domain starting at i, or i when there is
// no dotted domain with a top-level label of two or more letters.
func domainEnd(t string, i int) int {
	j := i
	for j < len(t) {
		r, n := utf8.DecodeRuneInString(t[j:])
		if !domainChar(r) {
			break
		}
		j += n
	}
	for j > i && (t[j-1] == '.' || t[j-1] == '-') {
		j--
	}
	// The top-level label is the leading letters after the last dot that
	// has two or more: "b.se1" ends after "se", "b.se.1x" after "se".
	for j > i {
		dot := strings.LastIndexByte(t[i:j], '.')
		if dot <= 0 {
			return i
		}
		k := i + dot + 1
		for k < j {
			r, n := utf8.DecodeRuneInString(t[k:])
			if !unicode.IsLetter(r) {
				break
			}
			k += n
		}
		if k-(i+dot+1) >= 2 {
			return k
		}
		j = i + dot
	}
	return i
}

// atMarkers are the obfuscated '@' forms, lower case. " at " is English and
// is only accepted before a domain with a real dot and a known TLD.
var atMarkers = [...]string{"(at)", "[at]", "{at}", "(snabel-a)", "[snabel-a]", " snabel-a ", "(snabela)", " @ ", " at "}

// dotMarkers are the obfuscated '.' forms inside a domain, lower case.
var dotMarkers = []string{".", " (dot) ", "(dot)", " [dot] ", "[dot]", " (punkt) ", "(punkt)", " [punkt] ", "[punkt]", " dot ", " punkt "}

var knownTLD = map[string]bool{"se": true, "com": true, "nu": true, "net": true, "org": true, "eu": true, "info": true, "fi": true, "no": true, "dk": true, "de": true, "uk": true, "io": true}

// atMarkerBytes has bit 1 set for the first bytes of atMarkers and bit 2
// for their second bytes: two lookups rule out almost every position.
var atMarkerBytes = func() (m [256]uint8) {
	for _, x := range atMarkers {
		m[x[0]] |= 1
		m[x[1]] |= 2
	}
	return m
}()

// atHit is an at-marker found at pos.
type atHit struct{ marker, pos int }

// obfuscatedEmails finds every at-marker in one pass over the text and
// tries them marker by marker, in atMarkers order, so that findings come
// out as if each marker had been searched for on its own. Occurrences of
// one marker do not overlap.
func (s *scan) obfuscatedEmails() {
	var hits []atHit
	var next [len(atMarkers)]int // where the next occurrence of each marker may start
	low := s.lower
	for p := 0; p+1 < len(low); p++ {
		if atMarkerBytes[low[p]]&(atMarkerBytes[low[p+1]]>>1)&1 == 0 { // no branch on the common space
			continue
		}
		for m, x := range atMarkers {
			if p >= next[m] && strings.HasPrefix(low[p:], x) {
				hits = append(hits, atHit{m, p})
				next[m] = p + len(x)
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b atHit) int { return a.marker - b.marker })
	for _, h := range hits {
		m := atMarkers[h.marker]
		s.obfuscatedAt(h.pos, h.pos+len(m), m == " at ")
	}
}

// obfuscatedAt tries the local part before the marker [p,q) and a domain
// after it.
func (s *scan) obfuscatedAt(p, q int, strict bool) {
	t := s.text
	i := p
	for i > 0 && t[i-1] == ' ' && !strict {
		i--
	}
	start := localStart(t, i)
	if start == i {
		return
	}
	start = s.obfuscatedLocal(start)
	j := q
	for j < len(t) && t[j] == ' ' && !strict {
		j++
	}
	end, tld, realDot := s.obfuscatedDomain(j)
	if end == j || (strict && (!realDot || !knownTLD[tld])) {
		return
	}
	s.add(Epost, start, end, 0.95, "email/obfuscated", "domain ok", strings.TrimSpace(t[p:q]))
}

// obfuscatedDomain reads labels separated by dot markers from j. It returns
// the end, the last label lower-cased and whether every separator was '.'.
func (s *scan) obfuscatedDomain(j int) (end int, tld string, realDot bool) {
	t, low := s.text, s.lower
	end, labels, realDot := j, 0, true
	for {
		k := j
		for k < len(t) {
			r, n := utf8.DecodeRuneInString(t[k:])
			if !(r < utf8.RuneSelf && (isAlnumByte(byte(r)) || r == '-')) && !(r >= utf8.RuneSelf && unicode.IsLetter(r)) {
				break
			}
			k += n
		}
		if k == j {
			break
		}
		labels++
		end, tld = k, low[j:k]
		sep := ""
		for _, d := range dotMarkers {
			if strings.HasPrefix(low[k:], d) {
				sep = d
				break
			}
		}
		if sep == "" || k+len(sep) >= len(t) || !wordAfter(t, k+len(sep)) {
			break
		}
		if sep != "." {
			realDot = false
		}
		j = k + len(sep)
	}
	if labels < 2 || len(tld) < 2 {
		return j, "", false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return j, "", false
		}
	}
	return end, tld, realDot
}

// displayName marks the words between the start of the line (or a ':' or
// '"') and the '<' at lt as a name when they look like one.
func (s *scan) displayName(lt int) {
	t := s.text
	i := lt
	for i > 0 && t[i-1] != '\n' && t[i-1] != ':' && t[i-1] != '>' && lt-i < 80 {
		i--
	}
	seg := t[i:lt]
	trimmed := strings.Trim(seg, " \t\"',")
	if trimmed == "" {
		return
	}
	off := i + strings.Index(seg, trimmed)
	words := strings.FieldsFunc(trimmed, func(r rune) bool { return r == ' ' || r == ',' || r == '"' })
	if len(words) == 0 || len(words) > 4 {
		return
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || s.r.common[lowerSameLen(w)] || orgish(lowerSameLen(w)) {
			return
		}
	}
	s.add(Namn, off, off+len(trimmed), 0.9, "name/display", "before address", "<")
}

// obfuscatedLocal extends a local part to the left over dot markers:
// "ebba punkt karlstrom".
func (s *scan) obfuscatedLocal(start int) int {
	for {
		moved := false
		for _, d := range dotMarkers[1:] {
			if start >= len(d) && s.lower[start-len(d):start] == d {
				if k := localStart(s.text, start-len(d)); k < start-len(d) {
					start, moved = k, true
					break
				}
			}
		}
		if !moved {
			return start
		}
	}
}
