package classify

import (
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	synpunkt "github.com/exempelby/synpunkt"
)

// Example is one labelled message of the corpus (format:
// testdata/corpus/README.md).
type Example struct {
	File      string
	Category  string   // "-" for excluded messages
	Unit      string   // "-" for excluded messages
	Exclusion string   // "-" or a class
	Split     string   // "tune", "heldout" or "blind"
	Language  string   // ISO 639-1 code of the message's language, may be empty
	Keep      []string // words a clerk would keep in the case description, may be empty
	Msg       *synpunkt.Message
}

// LoadCorpus reads every *.txt file of dir.
func LoadCorpus(dir string) ([]Example, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Example
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read corpus: %w", err)
		}
		ex, err := parseExample(filepath.Base(f), string(b))
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	return out, nil
}

func parseExample(name, s string) (Example, error) {
	head, body, ok := strings.Cut(s, "\n\n")
	if !ok {
		return Example{}, fmt.Errorf("corpus %s: no blank line after the header", name)
	}
	ex := Example{File: name, Msg: &synpunkt.Message{Text: strings.TrimSpace(body)}}
	// The header fields that are taken as written.
	plain := map[string]*string{
		"Category": &ex.Category, "Unit": &ex.Unit, "Exclusion": &ex.Exclusion,
		"Split": &ex.Split, "Language": &ex.Language, "Subject": &ex.Msg.Subject,
	}
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, ":")
		v = strings.TrimSpace(v)
		if p, ok := plain[k]; ok {
			*p = v
			continue
		}
		switch k {
		case "Keep":
			for _, k := range strings.Split(v, ",") {
				if k = strings.TrimSpace(k); k != "" {
					ex.Keep = append(ex.Keep, k)
				}
			}
		case "From":
			ex.Msg.From = parseAddr(v)
		case "To":
			ex.Msg.To = append(ex.Msg.To, parseAddr(v))
		}
	}
	if ex.Category == "" || ex.Unit == "" || ex.Exclusion == "" || ex.Split == "" {
		return Example{}, fmt.Errorf("corpus %s: Category, Unit, Exclusion and Split are required", name)
	}
	return ex, nil
}

func parseAddr(s string) synpunkt.Address {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return synpunkt.Address{Addr: strings.ToLower(s)}
	}
	return synpunkt.Address{Name: a.Name, Addr: strings.ToLower(a.Address)}
}

// Report is the outcome of Evaluate.
type Report struct {
	Messages        int // evaluated messages
	Synpunkter      int // labelled as synpunkter (not excluded)
	CategoryCorrect int // of Synpunkter
	Routed          int // synpunkter not sent to triage (and not wrongly excluded)
	UnitCorrect     int // of Routed
	Triaged         int // synpunkter sent to triage
	Excluded        int // labelled as excluded
	ExcludedRight   int // excluded with the labelled class
	ExcludedOpened  int // labelled excluded but a case would be opened
	FalseExclusions int // synpunkter wrongly excluded
	// Confusion counts [labelled][decided] categories of synpunkter.
	Confusion map[string]map[string]int
	Misses    []string // one line per wrong decision
}

// CategoryAccuracy is CategoryCorrect / Synpunkter.
func (r Report) CategoryAccuracy() float64 { return ratio(r.CategoryCorrect, r.Synpunkter) }

// UnitAccuracy is UnitCorrect / Routed: the accuracy of the cases routed
// to a unit without triage.
func (r Report) UnitAccuracy() float64 { return ratio(r.UnitCorrect, r.Routed) }

// TriageShare is Triaged / Synpunkter.
func (r Report) TriageShare() float64 { return ratio(r.Triaged, r.Synpunkter) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Evaluate classifies the corpus in dir (only the given splits; none: all)
// and compares with the labels.
func Evaluate(c *Classifier, dir string, splits ...string) (Report, error) {
	exs, err := LoadCorpus(dir)
	if err != nil {
		return Report{}, err
	}
	r := Report{Confusion: map[string]map[string]int{}}
	for _, ex := range exs {
		if len(splits) > 0 && !slices.Contains(splits, ex.Split) {
			continue
		}
		// The corpus carries no Authentication-Results: its own-domain
		// senders are staff, as without organisation.authserv_id.
		r.add(ex, c.Classify(ex.Msg, ex.Msg.To, c.isOwn(ex.Msg.From.Addr)))
	}
	return r, nil
}

func (r *Report) add(ex Example, d Decision) {
	r.Messages++
	if ex.Exclusion != "-" {
		r.addExcluded(ex, d)
		return
	}
	r.Synpunkter++
	if d.Exclusion != nil {
		r.FalseExclusions++
		r.miss(ex, "utesluten som %s", d.Exclusion.Class)
	}
	got := string(d.Category)
	if r.Confusion[ex.Category] == nil {
		r.Confusion[ex.Category] = map[string]int{}
	}
	r.Confusion[ex.Category][got]++
	if got == ex.Category {
		r.CategoryCorrect++
	} else {
		r.miss(ex, "kategori %s, rätt %s (%s)", got, ex.Category, strings.Join(d.CategoryReasons, "; "))
	}
	switch {
	case d.Triage:
		r.Triaged++
		r.miss(ex, "triage (%.2f), rätt %s (%s)", d.UnitConfidence, ex.Unit, strings.Join(d.UnitReasons, "; "))
	case d.Exclusion == nil:
		r.Routed++
		if d.Unit.Name == ex.Unit {
			r.UnitCorrect++
		} else {
			r.miss(ex, "enhet %s, rätt %s (%s)", d.Unit.Name, ex.Unit, strings.Join(d.UnitReasons, "; "))
		}
	}
}

func (r *Report) addExcluded(ex Example, d Decision) {
	r.Excluded++
	switch {
	case d.Exclusion == nil:
		r.ExcludedOpened++
		r.miss(ex, "öppnat som ärende, rätt undantag %s", ex.Exclusion)
	case d.Exclusion.Class == ex.Exclusion:
		r.ExcludedRight++
	default:
		r.miss(ex, "undantag %s, rätt %s", d.Exclusion.Class, ex.Exclusion)
	}
}

func (r *Report) miss(ex Example, format string, args ...any) {
	r.Misses = append(r.Misses, ex.File+": "+fmt.Sprintf(format, args...))
}

// String renders the figures, the confusion matrix and the misses.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "messages %d (synpunkter %d, excluded %d)\n", r.Messages, r.Synpunkter, r.Excluded)
	fmt.Fprintf(&b, "category accuracy   %.3f (%d/%d)\n", r.CategoryAccuracy(), r.CategoryCorrect, r.Synpunkter)
	fmt.Fprintf(&b, "unit accuracy       %.3f (%d/%d routed)\n", r.UnitAccuracy(), r.UnitCorrect, r.Routed)
	fmt.Fprintf(&b, "triage share        %.3f (%d/%d)\n", r.TriageShare(), r.Triaged, r.Synpunkter)
	fmt.Fprintf(&b, "excluded opened     %d of %d (right class %d); false exclusions %d\n", r.ExcludedOpened, r.Excluded, r.ExcludedRight, r.FalseExclusions)
	b.WriteString("confusion (rows: label, columns: decided)\n")
	fmt.Fprintf(&b, "%-12s", "")
	for _, c := range synpunkt.Categories {
		fmt.Fprintf(&b, "%11s", c)
	}
	b.WriteString("\n")
	for _, row := range synpunkt.Categories {
		fmt.Fprintf(&b, "%-12s", row)
		for _, col := range synpunkt.Categories {
			fmt.Fprintf(&b, "%11d", r.Confusion[string(row)][string(col)])
		}
		b.WriteString("\n")
	}
	for _, m := range r.Misses {
		b.WriteString("  " + m + "\n")
	}
	return b.String()
}
