package pii

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// token is one word: a run of letters, with single inner hyphens and
// apostrophes ("Ann-Marie", "O'Brien").
type token struct {
	start, end int
	cap        bool // first rune is upper case
	allCaps    bool // every letter is upper case
}

// tokenize appends the letter tokens of t to toks. Digits and punctuation
// separate them.
func tokenize(toks []token, t string) []token {
	for i := 0; i < len(t); {
		if c := t[i]; c < utf8.RuneSelf && !isLetterByte(c) {
			i++ // the common case, decided without decoding
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		if !isLetterRune(r) {
			i += n
			continue
		}
		tk := token{start: i, cap: isUpperRune(r), allCaps: true}
		i = tk.wordEnd(t, i)
		tk.end = i
		toks = append(toks, tk)
	}
	return toks
}

// wordEnd returns the end of the word starting at i, and clears allCaps
// when one of its letters is not upper case.
func (tk *token) wordEnd(t string, i int) int {
	for i < len(t) {
		if c := t[i]; c < utf8.RuneSelf && isLetterByte(c) {
			if c >= 'a' {
				tk.allCaps = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		if isLetterRune(r) {
			if tk.allCaps && !isUpperRune(r) {
				tk.allCaps = false
			}
			i += n
			continue
		}
		if (r == '-' || r == '\'' || r == '’') && i+n < len(t) {
			r2, _ := utf8.DecodeRuneInString(t[i+n:])
			if isLetterRune(r2) {
				i += n
				continue
			}
		}
		break
	}
	return i
}

// wordBufs are the per-call slices of words, reused across calls: they
// are large (a token per word) and never leave the call.
type wordBufs struct {
	toks  []token
	taken []bool
}

var wordBufPool = sync.Pool{New: func() any { return new(wordBufs) }}

func isUpperRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z'
	}
	return unicode.IsUpper(r)
}

func isLetterRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
	}
	return unicode.IsLetter(r)
}

// sentenceStart reports whether the token at i begins a sentence or a line.
func sentenceStart(t string, i int) bool {
	for i > 0 {
		c := t[i-1]
		switch c {
		case ' ', '\t', '"', '(', '\'', '*':
			i--
			continue
		case '.', '!', '?', '\n', '\r', ':', ';', '-', '>', '/':
			return true
		}
		if strings.HasSuffix(t[:i], "–") || strings.HasSuffix(t[:i], "•") || strings.HasSuffix(t[:i], "”") {
			return true
		}
		return false
	}
	return true
}

// gapIs reports whether t[a:b] contains only bytes from allowed and at
// most maxNL newlines.
func gapIs(t string, a, b int, allowed string, maxNL int) bool {
	if b < a || b-a > 12 {
		return false
	}
	nl := 0
	for k := a; k < b; k++ {
		c := t[k]
		if c == '\n' {
			nl++
			if nl > maxNL {
				return false
			}
			continue
		}
		if c == '\r' && maxNL > 0 {
			continue
		}
		if strings.IndexByte(allowed, c) < 0 {
			return false
		}
	}
	return true
}
