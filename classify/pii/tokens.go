package pii

import (
	"strings"
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

// tokenize splits t into letter tokens. Digits and punctuation separate them.
func tokenize(t string) []token {
	toks := make([]token, 0, len(t)/6)
	for i := 0; i < len(t); {
		r, n := utf8.DecodeRuneInString(t[i:])
		if !isLetterRune(r) {
			i += n
			continue
		}
		tk := token{start: i, cap: isUpperRune(r), allCaps: true}
		for i < len(t) {
			r, n = rune(t[i]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(t[i:])
			}
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
		tk.end = i
		toks = append(toks, tk)
	}
	return toks
}

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
