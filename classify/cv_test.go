package classify

import (
	"fmt"
	"os"
	"testing"
)

// crossValidate is k-fold cross-validation over the training sets: each
// fold's model is trained on the other folds of every set, and the
// whole classifier (rules and model) decides the fold's messages with
// its set's config. It returns one report per set and one for all.
func crossValidate(t testing.TB, sets []TrainingSet, k int) (map[string]Report, Report) {
	t.Helper()
	per := map[string]Report{}
	all := Report{Confusion: map[string]map[string]int{}}
	for f := 0; f < k; f++ {
		var train []TrainingSet
		for _, ts := range sets {
			tr := TrainingSet{Name: ts.Name, Config: ts.Config}
			for i, ex := range ts.Examples {
				if i%k != f {
					tr.Examples = append(tr.Examples, ex)
				}
			}
			train = append(train, tr)
		}
		cat, area, err := trainingData(train)
		if err != nil {
			t.Fatal(err)
		}
		cm := trainLR(cat.docs, cat.labels)
		am := trainNB(area.docs, area.labels, minFeatureCount).model()
		for _, ts := range sets {
			c := mustClassifier(t, ts.Config)
			c.catModel, c.areaModel = cm, am
			r := per[ts.Name]
			if r.Confusion == nil {
				r.Confusion = map[string]map[string]int{}
			}
			for i, ex := range ts.Examples {
				if i%k == f {
					d := c.Classify(ex.Msg, ex.Msg.To, c.isOwn(ex.Msg.From.Addr))
					r.add(ex, d)
					all.add(ex, d)
				}
			}
			per[ts.Name] = r
		}
	}
	return per, all
}

// TestCrossValidation prints 5-fold cross-validated figures on the
// training sources (tune split and blind split 1): how the model and
// its weights were chosen. The rules were tuned on the same messages,
// so these figures are optimistic for unseen mail; the blind splits
// are the measure. Run: go test -v -run TestCrossValidation ./classify/
func TestCrossValidation(t *testing.T) {
	sets := mustTrainingSets(t)
	per, all := crossValidate(t, sets, 5)
	for _, ts := range sets {
		r := per[ts.Name]
		t.Logf("5-fold CV, %s: category %.3f, unit %.3f, triage %.3f", ts.Name, r.CategoryAccuracy(), r.UnitAccuracy(), r.TriageShare())
	}
	if os.Getenv("CV_VERBOSE") != "" {
		t.Logf("all:\n%s", all)
	} else {
		t.Logf("all: category %.3f, unit %.3f, triage %.3f", all.CategoryAccuracy(), all.UnitAccuracy(), all.TriageShare())
	}
}

// TestCrossValidationGrid searches the model's weights; it runs only
// with CV_GRID=1 (it is how the weights in model.go were chosen).
func TestCrossValidationGrid(t *testing.T) {
	grid := needEnv(t, "CV_GRID", "set CV_GRID=1")
	sets := mustTrainingSets(t)
	saved := [...]float64{modelCategoryWeight, modelAreaWeight, modelAreaTemperature, modelTemperature}
	defer func() {
		modelCategoryWeight, modelAreaWeight, modelAreaTemperature, modelTemperature = saved[0], saved[1], saved[2], saved[3]
	}()
	for _, temp := range []float64{1, 20, 40, 80} {
		for _, cw := range []float64{2, 4, 6, 8, 12} {
			for _, at := range []float64{1, 2, 4} {
				for _, aw := range []float64{1, 2, 3} {
					if grid == "cat" && (at != 1 || aw != 2) || grid == "area" && (temp != 1 || cw != 2) {
						continue
					}
					modelTemperature, modelCategoryWeight, modelAreaTemperature, modelAreaWeight = temp, cw, at, aw
					per, all := crossValidate(t, sets, 5)
					line := fmt.Sprintf("T=%-4g cat=%-3g aT=%-3g area=%-3g  all %.3f/%.3f/%.3f", temp, cw, at, aw, all.CategoryAccuracy(), all.UnitAccuracy(), all.TriageShare())
					for _, ts := range sets {
						r := per[ts.Name]
						line += fmt.Sprintf("  %s %.3f/%.3f/%.3f", ts.Name, r.CategoryAccuracy(), r.UnitAccuracy(), r.TriageShare())
					}
					t.Log(line)
				}
			}
		}
	}
}
