package mimeparse

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// skippedTags hold no readable text.
var skippedTags = map[string]bool{
	"script": true, "style": true, "head": true, "title": true,
	"noscript": true, "template": true, "object": true, "svg": true,
}

// blockTags end a line before and after their content.
var blockTags = map[string]bool{
	"p": true, "div": true, "table": true, "tr": true, "ul": true, "ol": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "hr": true, "section": true,
	"article": true, "header": true, "footer": true, "address": true,
	"dl": true, "dt": true, "dd": true, "form": true, "center": true,
	"fieldset": true, "figure": true, "main": true, "nav": true, "aside": true,
	"body": true, "html": true,
}

// htmlToText renders HTML as readable plain text: scripts, styles and the
// head are dropped, block elements become line breaks, <br> a newline,
// <li> a "- " item, entities are decoded and whitespace collapsed. Links
// keep their text only.
func htmlToText(s string) string {
	return renderHTML(s, &textWriter{})
}

// htmlToOwnText is htmlToText without the content of <blockquote>
// elements, where mail clients put the quoted message of a reply.
func htmlToOwnText(s string) string {
	return renderHTML(s, &textWriter{dropQuotes: true})
}

// hasFoldASCII reports whether s holds word, lower-case ASCII letters,
// in any mix of ASCII case: where the tokenizer, which lower-cases tag
// names so, could find a tag of that name.
func hasFoldASCII(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && lowerASCII[s[i+j]] == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}

// renderHTML renders s through w.
func renderHTML(s string, w *textWriter) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return w.String()
		}
		name, _ := z.TagName()
		tag := string(name)
		switch tt {
		case html.TextToken:
			if w.skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			w.start(tag, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			w.end(tag)
		}
	}
}

// textWriter accumulates rendered text.
type textWriter struct {
	b          []byte
	skip       int  // depth inside skipped elements
	dropQuotes bool // skip <blockquote> as well
	pre        int  // depth inside <pre>
	space      bool
}

// start handles an opening tag.
func (w *textWriter) start(tag string, selfClosing bool) {
	switch {
	case w.skips(tag):
		if !selfClosing {
			w.skip++
		}
		if blockTags[tag] {
			w.paragraph()
		}
	case tag == "br":
		w.newline()
	case tag == "li":
		w.lineBreak()
		w.b = append(w.b, "- "...)
		w.space = true
	case tag == "td" || tag == "th":
		w.space = false
		w.text(" ")
	case blockTags[tag]:
		if tag == "pre" && !selfClosing {
			w.pre++
		}
		w.paragraph()
	}
}

// end handles a closing tag.
func (w *textWriter) end(tag string) {
	switch {
	case w.skips(tag):
		if w.skip > 0 {
			w.skip--
		}
		if blockTags[tag] {
			w.paragraph()
		}
	case tag == "li":
		w.lineBreak()
	case blockTags[tag]:
		if tag == "pre" && w.pre > 0 {
			w.pre--
		}
		w.paragraph()
	}
}

// skips reports whether the content of tag is left out.
func (w *textWriter) skips(tag string) bool {
	return skippedTags[tag] || (w.dropQuotes && tag == "blockquote")
}

// text writes character data, collapsing whitespace outside <pre>.
func (w *textWriter) text(s string) {
	if w.pre > 0 {
		w.b = append(w.b, s...)
		w.space = strings.HasSuffix(s, "\n")
		return
	}
	for _, f := range strings.FieldsFunc(s, isHTMLSpace) {
		if !w.space && len(w.b) > 0 {
			w.b = append(w.b, ' ')
		}
		w.b = append(w.b, f...)
		w.space = false
	}
	if len(s) > 0 && isHTMLSpace(rune(s[len(s)-1])) && !w.space && len(w.b) > 0 {
		w.b = append(w.b, ' ')
		w.space = true
	}
}

// isHTMLSpace reports HTML whitespace, including the no-break space that
// mail clients use for indentation.
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}

// newline ends the current line.
func (w *textWriter) newline() {
	w.trimSpace()
	w.b = append(w.b, '\n')
	w.space = true
}

// lineBreak starts a new line unless at the start of one.
func (w *textWriter) lineBreak() {
	w.trimSpace()
	if len(w.b) > 0 && w.b[len(w.b)-1] != '\n' {
		w.b = append(w.b, '\n')
	}
	w.space = true
}

// paragraph makes sure the text ends with one blank line at most.
func (w *textWriter) paragraph() {
	w.trimSpace()
	s := w.b
	if len(s) == 0 || bytes.HasSuffix(s, []byte("\n\n")) {
		return
	}
	if s[len(s)-1] == '\n' {
		w.b = append(w.b, '\n')
	} else {
		w.b = append(w.b, "\n\n"...)
	}
	w.space = true
}

// trimSpace removes a trailing space before a line break.
func (w *textWriter) trimSpace() {
	w.b = bytes.TrimRight(w.b, " ")
}

// String returns the text with at most one blank line in a row and no
// leading or trailing blank lines.
func (w *textWriter) String() string {
	lines := strings.Split(string(w.b), "\n")
	var out []string
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n")
}
