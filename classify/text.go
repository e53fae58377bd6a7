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
	mult     float64 // weight multiplier of the subject
	contrast float64 // extra multiplier after a contrastive "men" (categories only)
}

// boundary separates subject from body so phrases never span them.
const boundary = "\n"

// tokenize splits lower-cased text into words and question marks. Words are
// runs of letters and digits; a hyphen splits ("va-avgift" → va, avgift).
func tokenize(s string, mult float64) []token {
	var out []token
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			w := b.String()
			out = append(out, token{raw: w, stem: stem(w), mult: mult, contrast: 1})
			b.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == '?':
			flush()
			out = append(out, token{raw: "?", stem: "?", mult: mult, contrast: 1})
		case r == '.' || r == '!' || r == ';' || r == '\n':
			flush()
			if len(out) > 0 && out[len(out)-1].raw != boundary {
				out = append(out, token{raw: boundary, stem: boundary, mult: mult, contrast: 1})
			}
		default:
			flush()
		}
	}
	flush()
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
	r := []rune(w)
	if n := len(r); n > 3 && r[n-1] == r[n-2] && !strings.ContainsRune("aeiouyåäö", r[n-1]) {
		w = string(r[:n-1])
	}
	return w
}

// stripOnce removes the longest suffix; single letters only where they
// are endings: -t after -ig (trasigt), -n after a vowel (snön), -s after a
// Snowball s-ending letter (skolans).
func stripOnce(w string) string {
	r := []rune(w)
	n := len(r)
	for _, s := range suffixes {
		if strings.HasSuffix(w, s) && n-utf8.RuneCountInString(s) >= 3 {
			return w[:len(w)-len(s)]
		}
	}
	if n < 4 {
		return w
	}
	last, prev := r[n-1], r[n-2]
	switch {
	case last == 't' && strings.HasSuffix(w, "igt"),
		last == 'n' && strings.ContainsRune("aeiouyåäö", prev),
		last == 's' && strings.ContainsRune("bcdfghjklmnoprtvy", prev):
		return string(r[:n-1])
	}
	return w
}

// termWord is one word of a term.
type termWord struct {
	raw, stem string
	exact     bool // "=ord": only the exact word
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
		t.words = append(t.words, termWord{raw: tk.raw, stem: tk.stem, exact: exact})
		t.spec += utf8.RuneCountInString(tk.stem)
	}
	return t
}

// matchWord reports whether a token is an inflection or a compound of w:
// same stem; the term as the compound head ("gatlyktan" ~ "lykta"); or, for
// stems of four runes or more, as the first part ("snöröjningsbil").
func matchWord(tk token, w termWord, prefix bool) bool {
	if w.exact || w.raw == "?" {
		return tk.raw == w.raw
	}
	if tk.stem == w.stem || tk.raw == w.raw {
		return true
	}
	ls, lt := utf8.RuneCountInString(w.stem), utf8.RuneCountInString(tk.stem)
	if ls >= 3 && lt-ls >= 3 && strings.HasSuffix(tk.stem, w.stem) {
		return true
	}
	lr, ltr := utf8.RuneCountInString(w.raw), utf8.RuneCountInString(tk.raw)
	if lr >= 3 && ltr-lr >= 3 && strings.HasSuffix(tk.raw, w.raw) {
		return true
	}
	return prefix && ls >= 4 && lt-ls >= 2 && strings.HasPrefix(tk.stem, w.stem)
}

// matches returns the start indices where t occurs in toks.
func (t term) matches(toks []token) []int {
	if len(t.words) == 0 {
		return nil
	}
	var out []int
	for i := 0; i+len(t.words) <= len(toks); i++ {
		ok := true
		for j, w := range t.words {
			if !matchWord(toks[i+j], w, !t.noPre) {
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
	toks := tokenize(subject, 1.5)
	toks = append(toks, token{raw: boundary, stem: boundary, mult: 1})
	bt := tokenize(body, 1)
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
	return append(toks, bt...)
}
