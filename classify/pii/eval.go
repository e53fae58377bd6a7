package pii

import (
	"fmt"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/exempelby/synpunkt"
)

// Sample is one labelled message of the corpus (format in CORPUS.md).
type Sample struct {
	File      string
	Line      int // line of the message's first line in File
	From      synpunkt.Address
	Role      synpunkt.Role // expected InitiatedBy; empty when not labelled
	Sensitive string        // "ja", "nej" or "" when not labelled
	Anonymous bool          // @formulär: anonym
	Subject   Labelled
	Body      Labelled
}

// Labelled is a text with its annotated personal-data spans.
type Labelled struct {
	Text  string
	Spans []Span
}

// Span is one annotated span of personal data.
type Span struct {
	Type       Type
	Start, End int
}

// ParseCorpusFile reads the samples of one corpus file.
func ParseCorpusFile(name, content string) ([]Sample, error) {
	var out []Sample
	lines := strings.SplitAfter(content, "\n")
	startLine, cur := 1, []string{}
	flush := func() error {
		if strings.TrimSpace(strings.Join(cur, "")) == "" {
			return nil
		}
		s, err := parseSample(name, startLine, cur)
		if err != nil {
			return err
		}
		out = append(out, s)
		return nil
	}
	for n, l := range lines {
		if strings.TrimSpace(l) == "====" {
			if err := flush(); err != nil {
				return nil, err
			}
			cur, startLine = nil, n+2
			continue
		}
		cur = append(cur, l)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func parseSample(file string, line int, lines []string) (Sample, error) {
	s := Sample{File: file, Line: line}
	k := 0
	for ; k < len(lines) && strings.HasPrefix(lines[k], "@"); k++ {
		key, val, ok := strings.Cut(strings.TrimSpace(lines[k][1:]), ":")
		if !ok {
			return s, fmt.Errorf("%s:%d: header without ':'", file, line+k)
		}
		val = strings.TrimSpace(val)
		var err error
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "från", "from":
			s.From, err = parseFrom(val)
		case "roll":
			s.Role = synpunkt.Role(val)
		case "känslig":
			s.Sensitive = strings.ToLower(val)
		case "formulär":
			s.Anonymous = strings.EqualFold(val, "anonym")
		case "ämne":
			s.Subject, err = ParseLabelled(val)
		case "kommentar":
		default:
			err = fmt.Errorf("unknown header %q", key)
		}
		if err != nil {
			return s, fmt.Errorf("%s:%d: %w", file, line+k, err)
		}
	}
	body, err := ParseLabelled(strings.Join(lines[k:], ""))
	if err != nil {
		return s, fmt.Errorf("%s:%d: %w", file, line, err)
	}
	s.Body = body
	return s, nil
}

func parseFrom(v string) (synpunkt.Address, error) {
	if v == "" {
		return synpunkt.Address{}, nil
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return synpunkt.Address{}, fmt.Errorf("@från: %w", err)
	}
	return synpunkt.Address{Name: a.Name, Addr: strings.ToLower(a.Address)}, nil
}

// ParseLabelled removes {{typ:värde}} annotations and records their spans.
func ParseLabelled(s string) (Labelled, error) {
	var b strings.Builder
	var spans []Span
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return Labelled{}, fmt.Errorf("unclosed {{")
		}
		typ, val, ok := strings.Cut(s[i+2:i+j], ":")
		if !ok || !knownType(Type(typ)) {
			return Labelled{}, fmt.Errorf("bad annotation %q", s[i:i+j+2])
		}
		b.WriteString(s[:i])
		start := b.Len()
		b.WriteString(val)
		spans = append(spans, Span{Type: Type(typ), Start: start, End: b.Len()})
		s = s[i+j+2:]
	}
	return Labelled{Text: b.String(), Spans: spans}, nil
}

func knownType(t Type) bool {
	for _, x := range Types {
		if x == t {
			return true
		}
	}
	return false
}

// Counts are the span counts of one type.
type Counts struct {
	Gold      int // annotated spans
	Found     int // annotated spans overlapped by a finding of the same type
	Predicted int // findings
	Correct   int // findings overlapping an annotated span of the same type
}

// Precision is Correct/Predicted, 1 when nothing was predicted.
func (c Counts) Precision() float64 { return ratio(c.Correct, c.Predicted) }

// Recall is Found/Gold, 1 when nothing was annotated.
func (c Counts) Recall() float64 { return ratio(c.Found, c.Gold) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Miss is one disagreement with the annotations, for tuning. It holds
// corpus text, which is made-up test data.
type Miss struct {
	File string
	Line int
	Kind string // "missed", "extra" or "leak"
	Type Type
	Text string
}

// Report is the result of Evaluate.
type Report struct {
	Messages    int
	ByType      map[Type]*Counts
	Leaks       int // annotated spans not fully covered by any finding
	RoleTotal   int
	RoleCorrect int
	SensTotal   int
	SensCorrect int
	DescLeaks   int // descriptions containing an annotated value
	Misses      []Miss
}

// Overall sums the counts of every type.
func (rep Report) Overall() Counts {
	var all Counts
	for _, c := range rep.ByType {
		all.Gold += c.Gold
		all.Found += c.Found
		all.Predicted += c.Predicted
		all.Correct += c.Correct
	}
	return all
}

// Evaluate runs r over every *.txt corpus file under dir and compares the
// findings with the annotations.
func Evaluate(r *Redactor, dir string) (Report, error) {
	rep := Report{ByType: make(map[Type]*Counts)}
	for _, t := range Types {
		rep.ByType[t] = &Counts{}
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		samples, err := ParseCorpusFile(path, string(b))
		if err != nil {
			return err
		}
		for _, s := range samples {
			rep.add(r, s)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("evaluate %s: %w", dir, err)
	}
	return rep, nil
}

func (rep *Report) add(r *Redactor, s Sample) {
	rep.Messages++
	opt := Options{}
	if s.From.Name != "" {
		opt.KnownNames = []string{s.From.Name}
	}
	rep.score(r, s, s.Subject, opt)
	rep.score(r, s, s.Body, opt)
	if s.Role != "" {
		rep.RoleTotal++
		got := r.InitiatedBy(s.Body.Text, s.From, s.Anonymous)
		if got == s.Role {
			rep.RoleCorrect++
		} else {
			rep.Misses = append(rep.Misses, Miss{File: s.File, Line: s.Line, Kind: "roll " + string(got), Text: string(s.Role)})
		}
	}
	if s.Sensitive != "" {
		rep.SensTotal++
		got, _ := r.Sensitive(s.Subject.Text + "\n" + s.Body.Text)
		if got == (s.Sensitive == "ja") {
			rep.SensCorrect++
		} else {
			rep.Misses = append(rep.Misses, Miss{File: s.File, Line: s.Line, Kind: fmt.Sprintf("känslig=%v", got), Text: s.Sensitive})
		}
	}
	desc := r.Describe(s.Subject.Text, s.Body.Text, opt)
	for _, l := range []Labelled{s.Subject, s.Body} {
		for _, sp := range l.Spans {
			if v := l.Text[sp.Start:sp.End]; len(v) >= 3 && strings.Contains(desc, v) {
				rep.DescLeaks++
				rep.Misses = append(rep.Misses, Miss{File: s.File, Line: s.Line, Kind: "description leak", Type: sp.Type, Text: v})
			}
		}
	}
}

// score compares the findings in one labelled text with its spans.
func (rep *Report) score(r *Redactor, s Sample, l Labelled, opt Options) {
	fs := r.Find(l.Text, opt)
	for _, sp := range l.Spans {
		c := rep.ByType[sp.Type]
		c.Gold++
		found, covered := false, 0
		for _, f := range fs {
			if f.Start < sp.End && sp.Start < f.End {
				covered += min(f.End, sp.End) - max(f.Start, sp.Start)
				found = found || f.Type == sp.Type
			}
		}
		if found {
			c.Found++
		} else {
			rep.Misses = append(rep.Misses, Miss{File: s.File, Line: s.Line, Kind: "missed", Type: sp.Type, Text: l.Text[sp.Start:sp.End]})
		}
		if covered < sp.End-sp.Start && strings.TrimSpace(l.Text[sp.Start:sp.End]) != "" {
			rep.Leaks++
			rep.Misses = append(rep.Misses, Miss{File: s.File, Line: s.Line, Kind: "leak", Type: sp.Type, Text: l.Text[sp.Start:sp.End]})
		}
	}
	for _, f := range fs {
		c := rep.ByType[f.Type]
		c.Predicted++
		ok := false
		for _, sp := range l.Spans {
			if sp.Type == f.Type && f.Start < sp.End && sp.Start < f.End {
				ok = true
				break
			}
		}
		if ok {
			c.Correct++
		} else {
			rep.Misses = append(rep.Misses, Miss{File: s.File, Line: s.Line, Kind: "extra", Type: f.Type, Text: l.Text[f.Start:f.End] + "  (" + f.Trace.String() + ")"})
		}
	}
}

// String prints the per-type precision/recall table and the overall line.
func (rep Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-13s %6s %6s %6s %9s %7s\n", "type", "gold", "found", "pred", "precision", "recall")
	row := func(name string, c Counts) {
		fmt.Fprintf(&b, "%-13s %6d %6d %6d %9.3f %7.3f\n", name, c.Gold, c.Found, c.Predicted, c.Precision(), c.Recall())
	}
	for _, t := range Types {
		row(string(t), *rep.ByType[t])
	}
	row("overall", rep.Overall())
	fmt.Fprintf(&b, "messages %d, leaked spans %d, description leaks %d", rep.Messages, rep.Leaks, rep.DescLeaks)
	if rep.RoleTotal > 0 {
		fmt.Fprintf(&b, ", initiated_by %d/%d", rep.RoleCorrect, rep.RoleTotal)
	}
	if rep.SensTotal > 0 {
		fmt.Fprintf(&b, ", sensitive %d/%d", rep.SensCorrect, rep.SensTotal)
	}
	b.WriteString("\n")
	return b.String()
}

// Details lists every disagreement with file and line, sorted. It prints
// corpus text: use it on test corpora only.
func (rep Report) Details() string {
	ms := append([]Miss(nil), rep.Misses...)
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].File != ms[j].File {
			return ms[i].File < ms[j].File
		}
		return ms[i].Line < ms[j].Line
	})
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s:%d: %s %s %q\n", m.File, m.Line, m.Kind, m.Type, m.Text)
	}
	return b.String()
}
