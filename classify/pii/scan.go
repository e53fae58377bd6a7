package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// scan is the state of one Find call over one text.
type scan struct {
	r     *Redactor
	text  string
	lower string // text with ASCII and ÅÄÖÉ lower-cased; same byte offsets
	known map[string]bool
	found []Finding
}

func newScan(r *Redactor, text string, opt Options) *scan {
	s := &scan{r: r, text: text, lower: lowerSameLen(text), found: make([]Finding, 0, 8)}
	for _, n := range opt.KnownNames {
		if n == "" || r.orgName(n) {
			continue // "Brf Solgläntan", "Café Torget": not a person
		}
		eachWord(n, true, func(w string) {
			lw := lowerSameLen(w)
			if utf8.RuneCountInString(w) < 2 || r.common[lw] {
				return
			}
			if s.known == nil {
				s.known = make(map[string]bool, 4)
			}
			s.known[lw] = true
		})
	}
	return s
}

// eachWord calls fn for each letter run in n; with hyphens set it also
// calls it for hyphenated words as a whole ("Per-Erik", "Per", "Erik").
func eachWord(n string, hyphens bool, fn func(string)) {
	start := -1
	for i, r := range n + " " {
		letter := unicode.IsLetter(r) || hyphens && r == '-' && start >= 0
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			w := strings.Trim(n[start:i], "-")
			fn(w)
			if hyphens && strings.Contains(w, "-") {
				for _, p := range strings.Split(w, "-") {
					fn(p)
				}
			}
			start = -1
		}
	}
}

func (s *scan) add(t Type, start, end int, conf float64, pattern, validation, ctx string) {
	s.found = append(s.found, Finding{Type: t, Start: start, End: end, Confidence: conf,
		Trace: Trace{Pattern: pattern, Validation: validation, Context: ctx}})
}

// lowerSameLen lower-cases ASCII letters and the Swedish capitals Å, Ä, Ö, É
// without changing any byte offset, so spans found in it apply to the input.
func lowerSameLen(s string) string {
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if ('A' <= c && c <= 'Z') || c == 0xC3 {
			break
		}
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case 'A' <= c && c <= 'Z':
			b[i] = c + 32
		case c == 0xC3 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9E && b[i+1] != 0x97:
			b[i+1] += 0x20 // À..Þ -> à..þ, except × (0x97)
			i++
		}
	}
	return string(b)
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlnumByte(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// wordBefore reports whether the rune ending at i is a letter or digit.
func wordBefore(t string, i int) bool {
	if i <= 0 {
		return false
	}
	if c := t[i-1]; c < utf8.RuneSelf {
		return isAlnumByte(c)
	}
	r, _ := utf8.DecodeLastRuneInString(t[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordAfter reports whether the rune starting at i is a letter or digit.
func wordAfter(t string, i int) bool {
	if i >= len(t) {
		return false
	}
	if c := t[i]; c < utf8.RuneSelf {
		return isAlnumByte(c)
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// digitRun returns the number of ASCII digits starting at i.
func digitRun(t string, i int) int {
	n := 0
	for i+n < len(t) && isDigit(t[i+n]) {
		n++
	}
	return n
}

// contextBefore returns the first of words found in the lower-cased text
// within window bytes before i, or "".
func (s *scan) contextBefore(i, window int, words []string) string {
	lo := max(0, i-window)
	seg := s.lower[lo:i]
	for _, w := range words {
		if strings.Contains(seg, w) {
			return w
		}
	}
	return ""
}

// contextNear is contextBefore extended by after bytes after j.
func (s *scan) contextNear(i, j, before, after int, words []string) string {
	lo, hi := max(0, i-before), min(len(s.lower), j+after)
	seg := s.lower[lo:hi]
	for _, w := range words {
		if strings.Contains(seg, w) {
			return w
		}
	}
	return ""
}

// orgMarkers in a display name show that it names an organisation.
var orgMarkers = map[string]bool{"ab": true, "hb": true, "kb": true, "brf": true, "hsb": true, "if": true, "ik": true, "ifk": true, "café": true, "cafe": true, "kommun": true, "kommunen": true, "kommunens": true, "konsult": true, "bygg": true, "aktiebolag": true, "kansli": true, "kansliet": true, "växel": true, "info": true, "kontaktcenter": true, "synpunktsbrevlådan": true, "region": true}

// orgName reports whether a display name names an organisation rather than
// a person.
func (r *Redactor) orgName(n string) bool {
	org := false
	eachWord(n, false, func(w string) {
		lw := lowerSameLen(w)
		org = org || orgMarkers[lw] || orgish(lw)
	})
	return org
}
