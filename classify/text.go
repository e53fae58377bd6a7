package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word (or "?") of a text, with its light stem.
type token struct {
	raw      string // lower-cased word, or "?" or the boundary "\n"
	stem     string
	rawLen   int     // runes in raw
	stemLen  int     // runes in stem
	edges            // of raw and stem
	mult     float64 // weight multiplier of the subject
	contrast float64 // extra multiplier after a contrastive "men" (categories only)
}

// newToken makes a token of the lower-cased word w, counting its runes
// once so that matching never has to.
func newToken(w, st string, mult, contrast float64) token {
	return token{raw: w, stem: st, rawLen: utf8.RuneCountInString(w), stemLen: utf8.RuneCountInString(st),
		edges: edgesOf(w, st), mult: mult, contrast: contrast}
}

// edges are the first four bytes of a stem and the last three of a word
// and of its stem (zero-padded where the string is shorter). A term word
// can only match a token that shares its stem's end, its word's end or,
// for prefix matching, its stem's start: equal strings share all three,
// matchWord's suffix rules need a word or stem of at least three runes
// (so three bytes) and its prefix rule a stem of at least four. Three
// compares rule out almost every pair before any string is looked at, and
// termIndex looks terms up by them.
type edges struct{ stemStart, stemEnd, rawEnd uint32 }

func edgesOf(raw, st string) edges {
	return edges{stemStart: bytesAt(st, 0, 4), stemEnd: bytesAt(st, len(st)-3, 3), rawEnd: bytesAt(raw, len(raw)-3, 3)}
}

// bytesAt returns the n (at most four) bytes of s from i, where i may be
// negative (a string shorter than n) and a missing byte is zero.
func bytesAt(s string, i, n int) uint32 {
	var v uint32
	for k := i; k < i+n; k++ {
		v <<= 8
		if k >= 0 && k < len(s) {
			v |= uint32(s[k])
		}
	}
	return v
}

// boundary separates subject from body so phrases never span them.
const boundary = "\n"

// tokenize splits lower-cased text into words and question marks. Words are
// runs of letters and digits; a hyphen splits ("va-avgift" → va, avgift).
func tokenize(s string, mult float64) []token {
	return appendTokens(make([]token, 0, len(s)/6), s, mult)
}

// appendTokens appends the tokens of s to out, as tokenize makes them.
func appendTokens(out []token, s string, mult float64) []token {
	low := strings.ToLower(s)
	first := len(out) // of s's tokens
	start := -1       // of the word being read
	flush := func(end int) {
		if start >= 0 {
			w := low[start:end] // ToLower leaves valid UTF-8, so this is the word's runes
			out = append(out, newToken(w, stem(w), mult, 1))
			start = -1
		}
	}
	for i, r := range low {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case r == '?' || r == '؟': // the Arabic and Persian question mark too
			flush(i)
			out = append(out, newToken("?", "?", mult, 1))
		case r == '.' || r == '!' || r == ';' || r == '\n':
			flush(i)
			if len(out) > first && out[len(out)-1].raw != boundary {
				out = append(out, newToken(boundary, boundary, mult, 1))
			}
		default:
			flush(i)
		}
	}
	flush(len(low))
	return out
}

// suffixes are Swedish inflection endings (and a few that happen to fit
// English plurals), longest first. Stemming is deliberately light and only
// has to be consistent: terms and texts go through the same function.
var suffixes = []string{
	"heterna", "hetens", "arnas", "ernas", "ornas", "andes", "arens", "heten", "heter", "anden", "andet",
	"arna", "erna", "orna", "ande", "arne", "aste", "ades",
	"ens", "ets", "ade", "are", "ast", "het", "ern", "ors", "ars", "ers",
	"na", "ad", "an", "en", "et", "ar", "er", "or", "as", "es", "at",
	"a", "e",
}

// stem strips inflection suffixes while at least three runes remain, then
// a doubled final consonant ("rumm" → "rum", as Snowball's step 2).
func stem(w string) string {
	for range 2 {
		next := stripOnce(w)
		if next == w {
			break
		}
		w = next
	}
	if utf8.RuneCountInString(w) > 3 {
		last, prev, size := lastTwo(w)
		if last == prev && !strings.ContainsRune("aeiouyåäö", last) {
			w = w[:len(w)-size]
		}
	}
	return w
}

// suffixesByLast are the suffixes by their last byte, each list in the
// order of suffixes, so that stripOnce compares a word only with the
// suffixes it can end with.
var suffixesByLast = func() (by [256][]string) {
	for _, s := range suffixes {
		by[s[len(s)-1]] = append(by[s[len(s)-1]], s)
	}
	return by
}()

// stripOnce removes the longest suffix; single letters only where they
// are endings: -t after -ig (trasigt), -n after a vowel (snön), -s after a
// Snowball s-ending letter (skolans).
func stripOnce(w string) string {
	if w == "" {
		return w
	}
	n := utf8.RuneCountInString(w)
	for _, s := range suffixesByLast[w[len(w)-1]] {
		if strings.HasSuffix(w, s) && n-utf8.RuneCountInString(s) >= 3 {
			return w[:len(w)-len(s)]
		}
	}
	if n < 4 {
		return w
	}
	last, prev, size := lastTwo(w)
	switch {
	case last == 't' && strings.HasSuffix(w, "igt"),
		last == 'n' && strings.ContainsRune("aeiouyåäö", prev),
		last == 's' && strings.ContainsRune("bcdfghjklmnoprtvy", prev):
		return w[:len(w)-size]
	}
	return w
}

// lastTwo returns the last two runes of w and the byte size of the last.
func lastTwo(w string) (last, prev rune, size int) {
	last, size = utf8.DecodeLastRuneInString(w)
	prev, _ = utf8.DecodeLastRuneInString(w[:len(w)-size])
	return last, prev, size
}

// termWord is one word of a term.
type termWord struct {
	raw, stem string
	rawLen    int  // runes in raw
	stemLen   int  // runes in stem
	edges          // of raw and stem
	exact     bool // "=ord" or "?": only the exact word
	whole     bool // inflections only, no compounds: "spark" is not in "stadsparken"
}

// term is a configured or built-in word or phrase.
type term struct {
	text  string // as written, for reasons
	words []termWord
	spec  int  // specificity: stem runes over all words
	noPre bool // no compound-modifier (prefix) matching: category words
}

// parseTerm parses "word", "=word" or "several words".
func parseTerm(s string) term {
	t := term{text: strings.TrimPrefix(strings.TrimSpace(s), "=")}
	exact := strings.HasPrefix(strings.TrimSpace(s), "=")
	for _, tk := range tokenize(t.text, 1) {
		t.words = append(t.words, termWord{raw: tk.raw, stem: tk.stem, rawLen: tk.rawLen, stemLen: tk.stemLen, edges: tk.edges, exact: exact || tk.raw == "?"})
		t.spec += tk.stemLen
	}
	return t
}

// stemOnly are short words that match a term only when written the
// same, never through a shared stem.
var stemOnly = map[string]bool{"the": true, "car": true, "sum": true, "her": true, "hit": true, "man": true, "men": true, "str": true}

// matchWord reports whether a token is an inflection or a compound of w:
// same stem; the term as the compound head ("gatlyktan" ~ "lykta"); or, for
// stems of four runes or more, as the first part ("snöröjningsbil").
func matchWord(tk *token, w *termWord, prefix bool) bool {
	if !w.edgesMatch(tk, prefix) {
		return false
	}
	if w.exact {
		return tk.raw == w.raw
	}
	if tk.raw == w.raw {
		return true
	}
	if tk.stem == w.stem {
		// The light Swedish stemmer cuts some English words down to a
		// common short word ("theater" → "the", "carers" → "car").
		return !stemOnly[tk.raw] && !stemOnly[w.raw]
	}
	if w.whole {
		return false
	}
	ls, lt := w.stemLen, tk.stemLen
	if ls >= 3 && lt-ls >= 3 && strings.HasSuffix(tk.stem, w.stem) {
		return true
	}
	if w.rawLen >= 3 && tk.rawLen-w.rawLen >= 3 && strings.HasSuffix(tk.raw, w.raw) {
		return true
	}
	return prefix && ls >= 4 && lt-ls >= 2 && strings.HasPrefix(tk.stem, w.stem) && !streetName(tk.raw)
}

// streetSuffixes end street names in their usual definite form.
var streetSuffixes = []string{"vägen", "gatan", "gränd", "stigen", "allén", "leden", "backen"}

// streetName reports whether a word looks like a street name
// ("skolvägen", "parkgatan"): its first part names the street, not the
// matter, so it never matches as a compound's first part.
func streetName(raw string) bool {
	for _, s := range streetSuffixes {
		if strings.HasSuffix(raw, s) && len(raw)-len(s) >= 3 {
			return true
		}
	}
	return false
}

// edgesMatch is the cheap test every match passes (see edges).
func (w *termWord) edgesMatch(tk *token, prefix bool) bool {
	return tk.rawEnd == w.rawEnd || tk.stemEnd == w.stemEnd || prefix && tk.stemStart == w.stemStart
}

// matches returns the start indices where t occurs in toks.
func (t *term) matches(toks []token) []int {
	if len(t.words) == 0 {
		return nil
	}
	var out []int
	first := &t.words[0]
	for i := 0; i+len(t.words) <= len(toks); i++ {
		if !first.edgesMatch(&toks[i], !t.noPre) {
			continue // most tokens: decided without a call
		}
		ok := true
		for j := range t.words {
			if !matchWord(&toks[i+j], &t.words[j], !t.noPre) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}

var negators = map[string]bool{"inte": true, "ej": true, "aldrig": true, "inget": true, "ingen": true, "not": true, "never": true, "no": true, "knappast": true}

// negated reports whether one of the two tokens before i negates it.
func negated(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-2; k-- {
		if toks[k].raw == boundary || toks[k].raw == "?" {
			return false
		}
		if negators[toks[k].raw] {
			return true
		}
	}
	return false
}

// contrastives start the part of a sentence that carries the point
// ("personalen är trevlig, men maten är kall").
var contrastives = map[string]bool{"men": true, "but": true, "dock": true, "however": true}

// textTokens tokenizes subject and body: subject words weigh 1.5, words
// after the last contrastive conjunction of the body weigh 1.5.
func textTokens(subject, body string) []token {
	toks := appendTokens(make([]token, 0, (len(subject)+len(body))/6+1), subject, 1.5)
	toks = append(toks, newToken(boundary, boundary, 1, 0))
	all := appendTokens(toks, body, 1)
	bt := all[len(toks):] // the body's
	last := -1
	for i, tk := range bt {
		if contrastives[tk.raw] {
			last = i
		}
	}
	if last >= 0 && last < len(bt)-3 {
		for i := last + 1; i < len(bt); i++ {
			bt[i].contrast = 1.5
		}
	}
	return all
}
