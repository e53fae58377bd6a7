package classify

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	synpunkt "github.com/exempelby/synpunkt"
)

// labelledCorpus is one corpus directory under testdata with its
// messages.
type labelledCorpus struct {
	dir string
	exs []Example
}

// allCorpora loads every corpus under testdata: the training corpus and
// every blind split, whatever their split labels.
func allCorpora(t testing.TB) []labelledCorpus {
	t.Helper()
	dirs, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []labelledCorpus
	for _, d := range dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			continue
		}
		if exs := mustCorpus(t, d); len(exs) > 0 {
			out = append(out, labelledCorpus{d, exs})
		}
	}
	if len(out) < 9 {
		t.Fatalf("found %d corpora under testdata, want the corpus and blind splits 1 to 8", len(out))
	}
	return out
}

// decisionCase is one message to decide and the classifier to decide it
// with.
type decisionCase struct {
	name  string // corpus, classifier, file and staff flag
	c     *Classifier
	msg   *synpunkt.Message
	staff bool
}

// decisionCases are every message of every corpus, decided by the sample
// classifier and by the corpus's own, each as citizen mail and as staff
// mail (the forward and internal-mail paths), and the long messages of
// BenchmarkClassifyLong.
func decisionCases(t testing.TB) []decisionCase {
	t.Helper()
	sample := mustSample(t)
	var out []decisionCase
	for _, lc := range allCorpora(t) {
		own := corpusClassifier(t, lc.dir)
		for _, cl := range []struct {
			name string
			c    *Classifier
		}{{"sample", sample}, {"own", own}} {
			for _, ex := range lc.exs {
				for _, staff := range []bool{false, true} {
					out = append(out, decisionCase{fmt.Sprintf("%s/%s/%s staff=%v", lc.dir, cl.name, ex.File, staff), cl.c, ex.Msg, staff})
				}
			}
		}
	}
	for i, m := range longMessages(mustCorpus(t, "testdata/corpus")) {
		out = append(out, decisionCase{fmt.Sprintf("long/%d", i), sample, m, false})
	}
	return out
}

// TestDecisionDump writes every decision of decisionCases as JSON, one
// line each, to the file SYNPUNKT_DECISION_DUMP names, so that whole
// decisions can be compared across commits (float64 figures print in
// their shortest exact form):
//
//	SYNPUNKT_DECISION_DUMP=/tmp/a.txt go test -count=1 -run TestDecisionDump ./classify/
func TestDecisionDump(t *testing.T) {
	path := needEnv(t, "SYNPUNKT_DECISION_DUMP", "set SYNPUNKT_DECISION_DUMP=file")
	var b strings.Builder
	for _, dc := range decisionCases(t) {
		d := dc.c.Classify(dc.msg, dc.msg.To, dc.staff)
		j, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("%s: %v", dc.name, err)
		}
		fmt.Fprintf(&b, "%s\t%s\n", dc.name, j)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
