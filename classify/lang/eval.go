package lang

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Sample is one labelled text for measuring Detect.
type Sample struct {
	Name, Want, Text string
}

// ReadTSV reads `<iso>\t<text>` lines (blank lines and lines starting
// with # are skipped); name is used in the samples' names.
func ReadTSV(r io.Reader, name string) ([]Sample, error) {
	var out []Sample
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		iso, text, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: no tab between language and text", name, n)
		}
		out = append(out, Sample{Name: fmt.Sprintf("%s:%d", name, n), Want: strings.TrimSpace(iso), Text: text})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}

// Accuracy is Detect measured on labelled samples.
type Accuracy struct {
	N, Right  int
	PerLang   map[string][2]int // want → (n, right)
	Confusion map[[2]string]int // (want, got) → n, wrong answers only
	Misses    []string
}

// Measure runs Detect on every sample shorter than maxRunes runes (0: all).
func Measure(samples []Sample, maxRunes int) Accuracy {
	a := Accuracy{PerLang: map[string][2]int{}, Confusion: map[[2]string]int{}}
	for _, s := range samples {
		if maxRunes > 0 && utf8.RuneCountInString(s.Text) >= maxRunes {
			continue
		}
		got := Detect(s.Text)
		a.N++
		c := a.PerLang[s.Want]
		c[0]++
		if got == s.Want {
			a.Right++
			c[1]++
		} else {
			a.Confusion[[2]string{s.Want, got}]++
			a.Misses = append(a.Misses, fmt.Sprintf("%s: %q, want %q: %.60q", s.Name, got, s.Want, s.Text))
		}
		a.PerLang[s.Want] = c
	}
	return a
}

// String renders the overall and per-language accuracy and the
// confusion list (want → got, "" meaning "could not tell").
func (a Accuracy) String() string {
	var b strings.Builder
	acc := 0.0
	if a.N > 0 {
		acc = float64(a.Right) / float64(a.N)
	}
	fmt.Fprintf(&b, "language accuracy %.3f (%d/%d)\n", acc, a.Right, a.N)
	var langs []string
	for l := range a.PerLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		c := a.PerLang[l]
		fmt.Fprintf(&b, "  %-4s %.3f (%d/%d)\n", l, float64(c[1])/float64(c[0]), c[1], c[0])
	}
	var conf []string
	for k, n := range a.Confusion {
		conf = append(conf, fmt.Sprintf("  %s → %q: %d", k[0], k[1], n))
	}
	sort.Strings(conf)
	if len(conf) > 0 {
		b.WriteString("confusion (want → got):\n" + strings.Join(conf, "\n") + "\n")
	}
	return b.String()
}
