package pii

import (
	"bufio"
	"embed"
	"slices"
	"strings"
)

// Type is the kind of personal data a finding holds. Its value is the Swedish
// word used inside the placeholder.
type Type string

// The types of personal data the Redactor finds.
const (
	Personnummer Type = "personnummer" // also samordningsnummer
	Telefon      Type = "telefon"
	Epost        Type = "e-post"
	Adress       Type = "adress"
	Namn         Type = "namn"
	Regnr        Type = "regnr"
	Kontonummer  Type = "kontonummer" // bank account, IBAN, bankgiro, plusgiro
	IPAdress     Type = "ip-adress"
)

// Types lists every Type in report order.
var Types = []Type{Personnummer, Telefon, Epost, Adress, Namn, Regnr, Kontonummer, IPAdress}

// Placeholder returns the text that replaces a finding, e.g. "[telefon]".
func (t Type) Placeholder() string { return "[" + string(t) + "]" }

// Trace records why a span was flagged. It never holds the matched value, so
// it may be printed in tests and debug output; it still must not be logged
// next to the value.
type Trace struct {
	Pattern    string // the rule that proposed the span, e.g. "pnr/10"
	Validation string // e.g. "luhn ok", "luhn fail", "name list", "none"
	Context    string // the context word that supported it, may be empty
}

// String formats the trace for test failure messages.
func (t Trace) String() string {
	s := t.Pattern + " " + t.Validation
	if t.Context != "" {
		s += " ctx=" + t.Context
	}
	return s
}

// Finding is one span of personal data in the input.
type Finding struct {
	Type       Type
	Start, End int     // byte span in the input, on UTF-8 boundaries
	Confidence float64 // 0..1, how sure the rule is
	Trace      Trace
}

// Options carries what the caller knows about the message.
type Options struct {
	// KnownNames are names known to belong to people in the message, e.g.
	// the sender's display name. Each word of them is redacted wherever it
	// reappears. May be nil.
	KnownNames []string
	// Metadata marks text bound for metadata (the case description):
	// anything shaped like a personnummer is redacted, whether or not its
	// check digit holds, a context word stands near it or it is written
	// with a space. Describe sets it.
	Metadata bool
}

// Redactor detects and redacts personal data. It is immutable after New and
// safe for concurrent use.
type Redactor struct {
	first     map[string]bool // first names, title case
	ambiguous map[string]bool // first names that are also common words, title case
	last      map[string]bool // surnames, title case
	places    map[string]bool // municipalities and towns, title case
	common    map[string]bool // common words never taken as names, lower case
}

//go:embed names/*.txt
var namesFS embed.FS

// New returns a Redactor with the embedded name, place and word lists loaded.
func New() *Redactor {
	return &Redactor{
		first:     loadList("names/fornamn.txt"),
		ambiguous: loadList("names/tvetydiga_fornamn.txt"),
		last:      loadList("names/efternamn.txt"),
		places:    loadList("names/orter.txt"),
		common:    loadList("names/vanliga_ord.txt"),
	}
}

// loadList reads one entry a line; '#' starts a comment line. The embedded
// files are part of the binary, so a read error is a build defect.
func loadList(name string) map[string]bool {
	f, err := namesFS.Open(name)
	if err != nil {
		panic("pii: embedded list missing: " + name)
	}
	defer f.Close()
	m := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		m[line] = true
	}
	return m
}

// Redact returns text with every finding replaced by its placeholder, and the
// findings sorted by Start. Adjacent name findings are merged into one.
func (r *Redactor) Redact(text string, opt Options) (string, []Finding) {
	fs := r.Find(text, opt)
	if len(fs) == 0 {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, f := range fs {
		b.WriteString(text[last:f.Start])
		b.WriteString(f.Type.Placeholder())
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String(), fs
}

// Find returns the findings Redact would replace, without building the
// redacted text.
func (r *Redactor) Find(text string, opt Options) []Finding {
	var s scan
	s.init(r, text, opt)
	s.numbers()
	s.emails()
	s.words()
	return resolve(text, s.found)
}

// resolve sorts findings and makes them disjoint: overlapping findings are
// joined into their union and keep the type of the more confident one;
// name findings separated only by spaces or a hyphen are merged.
func resolve(text string, fs []Finding) []Finding {
	if len(fs) == 0 {
		return nil
	}
	slices.SortFunc(fs, func(a, b Finding) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	out := fs[:1]
	for _, f := range fs[1:] {
		p := &out[len(out)-1]
		if f.Start < p.End || f.Type == p.Type && joinable(f.Type, text[p.End:f.Start]) {
			if f.Confidence > p.Confidence && f.Start < p.End {
				p.Type, p.Confidence, p.Trace = f.Type, f.Confidence, f.Trace
			}
			p.End = max(p.End, f.End)
			continue
		}
		out = append(out, f)
	}
	return out
}

// joinable reports whether two findings of type t separated by gap are one:
// "Per" "Olsson" is one name, "Storgatan 5" ", " "352 30 Växjö" one address.
func joinable(t Type, gap string) bool {
	switch t {
	case Namn:
		return gap == " " || gap == "-"
	case Adress:
		return len(gap) <= 3 && strings.Trim(gap, " ,\r\n") == ""
	}
	return false
}
