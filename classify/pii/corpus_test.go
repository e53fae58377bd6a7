package pii

import (
	"os"
	"testing"
)

// TestCorpusQuality measures precision and recall on the labelled corpus.
// The tuning split is what the rules were tuned on; the held-out split was
// written before tuning and is where the targets are asserted. Run with -v
// to see both tables; set PII_DETAILS=1 to list every disagreement.
func TestCorpusQuality(t *testing.T) {
	r := New()
	for _, split := range []string{"tune", "heldout"} {
		rep, err := Evaluate(r, "testdata/corpus/"+split)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("split %s:\n%s", split, rep)
		if os.Getenv("PII_DETAILS") == split || os.Getenv("PII_DETAILS") == "1" {
			t.Logf("details %s:\n%s", split, rep.Details())
		}
		if rep.Messages < 50 {
			t.Errorf("split %s has %d messages, want at least 50", split, rep.Messages)
		}
		if split != "heldout" {
			continue
		}
		for typ, want := range map[Type]float64{Personnummer: 0.99, Telefon: 0.99, Epost: 0.99, Adress: 0.99, Namn: 0.95} {
			if got := rep.ByType[typ].Recall(); got < want {
				t.Errorf("held-out recall %s = %.3f, want ≥ %.2f", typ, got, want)
			}
		}
		if got := rep.Overall().Precision(); got < 0.95 {
			t.Errorf("held-out overall precision = %.3f, want ≥ 0.95", got)
		}
	}
}
