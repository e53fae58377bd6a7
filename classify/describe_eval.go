package classify

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exempelby/synpunkt/classify/pii"
)

// DescribeReport measures case descriptions (ärendemening) on a corpus:
// how many of the labelled keep-words survive, and how many descriptions
// hold personal data.
type DescribeReport struct {
	Described int // synpunkter described
	Keep      int // labelled keep-words
	Kept      int // of Keep, found in the description
	TooLong   int // descriptions over pii.MaxDescription runes
	Personal  int // descriptions where the redactor still finds personal data, or the sender's name
	Lost      []string
	Leaks     []string
}

// KeepShare is Kept / Keep.
func (r DescribeReport) KeepShare() float64 { return ratio(r.Kept, r.Keep) }

// EvaluateDescriptions describes each synpunkt of exs as the pipeline
// does (the form's text for form mail) and scores it.
func EvaluateDescriptions(c *Classifier, red *pii.Redactor, exs []Example) DescribeReport {
	var r DescribeReport
	for _, ex := range exs {
		if ex.Exclusion != "-" {
			continue
		}
		in := c.prepare(ex.Msg, c.isOwn(ex.Msg.From.Addr))
		known := []string{ex.Msg.From.Name}
		if in.form != nil {
			known = append(known, in.form.Name)
		}
		d := red.Describe(in.subject, in.text, pii.Options{KnownNames: known})
		r.add(ex, d, known, red)
	}
	return r
}

func (r *DescribeReport) add(ex Example, d string, known []string, red *pii.Redactor) {
	r.Described++
	if utf8.RuneCountInString(d) > pii.MaxDescription {
		r.TooLong++
	}
	toks := tokenize(d, 1)
	for _, k := range ex.Keep {
		r.Keep++
		t := parseTerm(k)
		if len(t.matches(toks)) > 0 || strings.Contains(strings.ToLower(d), strings.ToLower(k)) {
			r.Kept++
		} else {
			r.Lost = append(r.Lost, fmt.Sprintf("%s: %q not in %q", ex.File, k, d))
		}
	}
	if leak := personalIn(d, known, red); leak != "" {
		r.Personal++
		r.Leaks = append(r.Leaks, fmt.Sprintf("%s: %q in %q", ex.File, leak, d))
	}
}

// personalIn returns personal data the redactor finds in d, or a word of
// the sender's name, or "".
func personalIn(d string, known []string, red *pii.Redactor) string {
	for _, f := range red.Find(d, pii.Options{}) {
		return d[f.Start:f.End]
	}
	for _, n := range known {
		for _, w := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if utf8.RuneCountInString(w) >= 3 && unicode.IsUpper([]rune(w)[0]) && containsWord(d, w) {
				return w
			}
		}
	}
	return ""
}

func containsWord(s, w string) bool {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		if f == w {
			return true
		}
	}
	return false
}

// String renders the figures and the misses.
func (r DescribeReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "descriptions %d; keep-words kept %.3f (%d/%d); over %d runes %d; with personal data %d\n",
		r.Described, r.KeepShare(), r.Kept, r.Keep, pii.MaxDescription, r.TooLong, r.Personal)
	for _, l := range append(r.Leaks, r.Lost...) {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
