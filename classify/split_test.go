package classify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/exempelby/synpunkt/classify/lang"
)

// TestSplitQuality evaluates the shipped classifier on a split directory
// with the blind splits' layout (municipality.toml and *.txt messages in
// the corpus format), printing what TestBlind2Quality prints: the
// figures, the confusion matrix, the misses and the exclusions table;
// the language detector's accuracy on the messages that carry a
// Language header; and, when the directory has a lang.tsv of
// `<iso>\t<text>` lines, the detector's accuracy on it (all lines and
// under 200 characters), per language, with a confusion list. Nothing in it is tuned: it is
// the entry point for measuring a new blind split once. Run:
//
//	SYNPUNKT_SPLIT_DIR=/path SYNPUNKT_SPLIT=blind3 go test -count=1 -v -run TestSplitQuality ./classify/
//
// SYNPUNKT_SPLIT empty: every message of the directory.
func TestSplitQuality(t *testing.T) {
	dir := needEnv(t, "SYNPUNKT_SPLIT_DIR", "set SYNPUNKT_SPLIT_DIR (and SYNPUNKT_SPLIT)")
	var splits []string
	if s := os.Getenv("SYNPUNKT_SPLIT"); s != "" {
		splits = []string{s}
	}
	c := corpusClassifier(t, dir)
	r := evaluateCorpus(t, c, dir, splits...)
	if r.Messages == 0 {
		t.Fatalf("no messages of split %v in %s", splits, dir)
	}
	t.Logf("split %v of %s:\n%s", splits, dir, r)
	split := ""
	if len(splits) > 0 {
		split = splits[0]
	}
	t.Logf("other processes (label → decided):\n%s", exclusionTable(t, c, dir, split))
	// The messages' own Language headers, where the split has them.
	exs := mustCorpus(t, dir)
	var msgs []lang.Sample
	for _, ex := range exs {
		if ex.Language != "" && (split == "" || ex.Split == split) {
			msgs = append(msgs, lang.Sample{Name: ex.File, Want: ex.Language, Text: ex.Msg.Subject + "\n" + ex.Msg.Text})
		}
	}
	if len(msgs) > 0 {
		logLanguages(t, msgs, "messages with a Language header, all", "messages with a Language header, under 200 characters")
	}
	f, err := os.Open(filepath.Join(dir, "lang.tsv"))
	if err != nil {
		t.Logf("no lang.tsv: %v", err)
		return
	}
	defer f.Close()
	samples, err := lang.ReadTSV(f, "lang.tsv")
	if err != nil {
		t.Fatal(err)
	}
	logLanguages(t, samples, "lang.tsv, all lines", "lang.tsv, lines under 200 characters")
}

// logLanguages logs how well language detection does on samples, headed
// all, and on those under 200 characters, headed short, with the latter's
// misses.
func logLanguages(t *testing.T, samples []lang.Sample, all, short string) {
	t.Helper()
	t.Logf("%s:\n%s", all, lang.Measure(samples, 0))
	m := lang.Measure(samples, 200)
	t.Logf("%s:\n%s", short, m)
	for _, miss := range m.Misses {
		t.Log(miss)
	}
}
