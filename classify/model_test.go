package classify

import (
	"strings"
	"testing"
)

// model.txt is what go generate makes of the training sources: a
// corpus change without a regenerated model fails here.
func TestModelIsGenerated(t *testing.T) {
	sets := mustTrainingSets(t)
	got, err := TrainModels(sets)
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

// TestLRKnown: the share of a message's word features the category
// model has weights for; character and pair features do not count.
func TestLRKnown(t *testing.T) {
	m := &lr{classes: []string{"a", "b"}, bias: []float64{0, 0}, w: map[string][]float64{"w:gat": {1, 0}, "c:gat": {1, 0}}}
	if got := m.known([]string{"w:gat", "w:okänd", "c:gat", "c:xyz"}); got != 0.5 {
		t.Errorf("known = %v, want 0.5", got)
	}
	if got := m.known([]string{"c:gat"}); got != 1 {
		t.Errorf("known without words = %v, want 1", got)
	}
}
