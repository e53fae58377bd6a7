package pii

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scan is the state of one Find call over one text.
type scan struct {
	r     *Redactor
	text  string
	lower string   // text with ASCII and ÅÄÖÉ lower-cased; same byte offsets
	known knownSet // may be nil
	found []Finding
	// metadata: redact anything shaped like a personnummer (Options.Metadata).
	metadata bool
}

// knownSet holds the lower-cased words of the caller's known names. There
// are a handful, and every token is looked up, so a slice beats a map.
type knownSet []string

func (k knownSet) has(lw string) bool { return slices.Contains(k, lw) }

// init prepares s for one Find call over text.
func (s *scan) init(r *Redactor, text string, opt Options) {
	*s = scan{r: r, text: text, lower: lowerSameLen(text), found: make([]Finding, 0, 8), metadata: opt.Metadata}
	if len(opt.KnownNames) > 0 {
		s.known = make(knownSet, 0, 4) // a name or two of a few words
	}
	for _, n := range opt.KnownNames {
		s.addKnown(n)
	}
}

// addKnown adds the words of the display name n to s.known, unless n names
// an organisation ("Brf Solgläntan", "Café Torget"): one of its words,
// split at hyphens, is an organisation marker or ends like one.
func (s *scan) addKnown(n string) {
	mark, org := len(s.known), false
	eachWord(n, true, func(w, lw string) {
		if !strings.Contains(w, "-") {
			org = org || orgMarkers[lw] || orgish(lw)
		}
		if org || utf8.RuneCountInString(w) < 2 || s.r.common[lw] || s.known.has(lw) {
			return
		}
		s.known = append(s.known, lw)
	})
	if org {
		s.known = s.known[:mark]
	}
}

// eachWord calls fn for each letter run w in n, and lw, w lower-cased as
// by lowerSameLen; with hyphens set it also calls it for hyphenated words
// as a whole ("Per-Erik", "Per", "Erik").
func eachWord(n string, hyphens bool, fn func(w, lw string)) {
	ln := lowerSameLen(n) // same offsets, and a word's bytes lower-case alone as they do in n
	start := -1
	for i, r := range n {
		letter := unicode.IsLetter(r) || hyphens && r == '-' && start >= 0
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			eachPart(n, ln, start, i, hyphens, fn)
			start = -1
		}
	}
	if start >= 0 {
		eachPart(n, ln, start, len(n), hyphens, fn)
	}
}

// eachPart is eachWord for the word n[a:b], which starts with a letter.
func eachPart(n, ln string, a, b int, hyphens bool, fn func(w, lw string)) {
	b = a + len(strings.TrimRight(n[a:b], "-"))
	fn(n[a:b], ln[a:b])
	if !hyphens || !strings.Contains(n[a:b], "-") {
		return
	}
	for k := a; k <= b; k++ {
		if k == b || n[k] == '-' {
			fn(n[a:k], ln[a:k])
			a = k + 1
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
	return s.contextNear(i, i, window, 0, words)
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
