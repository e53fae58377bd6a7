package classify

import (
	"fmt"
	"os"
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

// TestLOMOGrid searches the category model's settings and vote weight
// by leave-one-municipality-out; it runs only with LOMO_GRID=1 (it is
// how the settings in lr.go and model.go were chosen).
func TestLOMOGrid(t *testing.T) {
	needEnv(t, "LOMO_GRID", "set LOMO_GRID=1")
	saved := [...]float64{modelCategoryWeight, lrL2, lrRate}
	defer func() { modelCategoryWeight, lrL2, lrRate = saved[0], saved[1], saved[2] }()
	sw0 := speechWeight
	defer func() { speechWeight = sw0 }()
	b0 := lrFourGrams
	defer func() { lrFourGrams = b0 }()
	for _, l2 := range []float64{1e-3} {
		for _, rate := range []float64{0, 1} {
			lrFourGrams = rate == 1
			var cs []*Classifier
			for _, s := range lomoSets {
				cs = append(cs, lomoClassifier(t, s))
			}
			for _, cell := range [][2]float64{{6, 5}, {8, 5}, {10, 5}} {
				w := cell[0]
				modelCategoryWeight, speechWeight = w, cell[1]
				line := fmt.Sprintf("l2=%g rate=%g w=%g sw=%g", l2, rate, w, speechWeight)
				for i, s := range lomoSets {
					r, err := Evaluate(cs[i], s.testDir, s.testSplit)
					if err != nil {
						t.Fatal(err)
					}
					line += fmt.Sprintf("  %s %.3f", s.testSplit, r.CategoryAccuracy())
				}
				// the model alone
				for i, s := range lomoSets {
					exs, _ := LoadCorpus(s.testDir)
					n, right := 0, 0
					for _, ex := range exs {
						if ex.Split != s.testSplit || ex.Exclusion != "-" {
							continue
						}
						in := cs[i].prepare(ex.Msg, false)
						p := cs[i].catModel.probs(catFeatures(in.toks))
						n++
						if cs[i].catModel.labels()[argmax(p)] == ex.Category {
							right++
						}
					}
					line += fmt.Sprintf("  alone %.3f", float64(right)/float64(n))
				}
				t.Log(line)
			}
		}
	}
}

func argmax(p []float64) int {
	b := 0
	for i := range p {
		if p[i] > p[b] {
			b = i
		}
	}
	return b
}

// TestLOMOUnitGrid searches when and how much the area model votes for
// a unit; it runs only with LOMO_GRID=unit.
func TestLOMOUnitGrid(t *testing.T) {
	if os.Getenv("LOMO_GRID") != "unit" {
		t.Skip("set LOMO_GRID=unit")
	}
	saved := [...]float64{modelThinEvidence, modelAreaWeight}
	defer func() { modelThinEvidence, modelAreaWeight = saved[0], saved[1] }()
	var cs []*Classifier
	for _, s := range lomoSets {
		cs = append(cs, lomoClassifier(t, s))
	}
	for _, thin := range []float64{2, 3, 4, 6, 100} {
		for _, aw := range []float64{1, 2, 3} {
			modelThinEvidence, modelAreaWeight = thin, aw
			line := fmt.Sprintf("thin=%g area=%g", thin, aw)
			for i, s := range lomoSets {
				r, err := Evaluate(cs[i], s.testDir, s.testSplit)
				if err != nil {
					t.Fatal(err)
				}
				line += fmt.Sprintf("  %s unit %.3f triage %.3f", s.testSplit, r.UnitAccuracy(), r.TriageShare())
			}
			t.Log(line)
		}
	}
}
