package classify

import (
	"testing"

	"github.com/exempelby/synpunkt/classify/pii"
)

// TestDescriptionQuality measures the ärendemening on the corpus messages
// that label keep-words (issue #13): the share that survives, and that no
// description holds personal data. Run: go test -v -run
// TestDescriptionQuality ./classify/
func TestDescriptionQuality(t *testing.T) {
	exs := mustCorpus(t, "testdata/corpus")
	var labelled []Example
	for _, ex := range exs {
		if len(ex.Keep) > 0 {
			labelled = append(labelled, ex)
		}
	}
	all := EvaluateDescriptions(mustSample(t), pii.New(), exs)
	r := EvaluateDescriptions(mustSample(t), pii.New(), labelled)
	t.Logf("keep-word labelled messages:\n%s", r)
	t.Logf("whole corpus: %d descriptions, %d with personal data, %d too long", all.Described, all.Personal, all.TooLong)
	if got := r.KeepShare(); got < 0.85 {
		t.Errorf("keep-word share = %.3f, want >= 0.85", got)
	}
	if all.Personal != 0 || all.TooLong != 0 {
		t.Errorf("descriptions with personal data = %d, too long = %d; want 0 and 0", all.Personal, all.TooLong)
	}
}
