package classify

import (
	"slices"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
)

// model.txt is what go generate makes of the corpus's tune split: a
// corpus change without a regenerated model fails here.
func TestModelIsGenerated(t *testing.T) {
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		t.Fatal(err)
	}
	all, err := LoadCorpus("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	var exs []Example
	for _, ex := range all {
		if slices.Contains(TrainSplits, ex.Split) {
			exs = append(exs, ex)
		}
	}
	got, err := TrainModels(cfg, exs)
	if err != nil {
		t.Fatal(err)
	}
	if got != modelText {
		t.Errorf("model.txt is stale: run go generate ./classify/")
	}
	if len(modelText) > 2<<20 {
		t.Errorf("model.txt is %d bytes, want at most 2 MiB", len(modelText))
	}
}

// The learned model votes where the rules know no word, and says so in
// the reasons (issue #13: every decision still explained).
func TestModelVotesAndExplains(t *testing.T) {
	c := mustSample(t)
	d := c.Classify(msg("a@example.fi", "", "Miksi meidän roska-astiaa ei ole tyhjennetty kahteen viikkoon? Ei hyväksyttävää."), to(mailbox), false)
	if !strings.HasPrefix(strings.Join(d.CategoryReasons, " "), "modell") && !strings.Contains(strings.Join(d.CategoryReasons, " "), "modell (") {
		t.Errorf("CategoryReasons = %q, want the model's vote named", d.CategoryReasons)
	}
	if d.Category != "Klagomål" {
		t.Errorf("Category = %s, want Klagomål (%v)", d.Category, d.CategoryReasons)
	}
}
