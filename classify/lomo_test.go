package classify

import (
	"testing"
)

// lomoSet is one direction of leave-one-municipality-out: the model is
// trained on the project's corpus (tune split) and one blind split, and
// the whole classifier is measured on the other blind split.
type lomoSet struct {
	name       string // the municipality held out
	trainDir   string // the other blind split, trained on
	trainSplit string
	testDir    string
	testSplit  string
}

var lomoSets = []lomoSet{
	{"Söderås (blind2), trained on corpus + Norrby", "testdata/blind", "blind", "testdata/blind2", "blind2"},
	{"Norrby (blind), trained on corpus + Söderås", "testdata/blind2", "blind2", "testdata/blind", "blind"},
}

// lomoClassifier trains the models on the corpus and one blind split and
// returns a classifier for the held-out split's config.
func lomoClassifier(t testing.TB, s lomoSet) *Classifier {
	t.Helper()
	var sets []TrainingSet
	for _, src := range []struct{ name, dir, split string }{
		{"exempelby", "testdata/corpus", "tune"},
		{"train", s.trainDir, s.trainSplit},
	} {
		ts, err := loadTrainingSet(src.name, src.dir, src.split)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, ts)
	}
	cm, am, err := trainedModels(sets)
	if err != nil {
		t.Fatal(err)
	}
	c := corpusClassifier(t, s.testDir)
	c.catModel, c.areaModel = cm, am
	return c
}

// TestLeaveOneMunicipalityOut prints both directions of
// leave-one-municipality-out: what the classifier does on a
// municipality's mail and config that its model never saw. Run:
// go test -count=1 -v -run TestLeaveOneMunicipalityOut ./classify/
func TestLeaveOneMunicipalityOut(t *testing.T) {
	for _, s := range lomoSets {
		c := lomoClassifier(t, s)
		r, err := Evaluate(c, s.testDir, s.testSplit)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("LOMO %s:\n%s", s.name, r)
		t.Logf("other processes (label → decided):\n%s", exclusionTable(t, c, s.testDir, s.testSplit))
	}
}
