package classify

import (
	"math"
	"slices"
	"strings"
	"sync"
)

// featureIndex numbers the features of a category model (a logistic
// regression) and an area model (naive Bayes) together, so that a
// message's feature is looked up once for both models and its repeats
// are told by number, where featureSet looks each distinct feature up in
// each model by its string. It reads the models as they are; Classify
// uses it only while the Classifier still has the models it was made of
// (tests put other models in), else featureSet.
type featureIndex struct {
	cat  *lr
	area *nb
	ids  map[string]int32
	// By id: the feature's weights and log probabilities (nil: that
	// model does not know it; empty: it knows it with no classes) and
	// whether it is a word ("w:") feature.
	catW, areaLp [][]float64
	word         []bool
}

// embeddedIndex is the featureIndex of the embedded models, made at the
// first New that uses them; nil when they are not a logistic regression
// and a naive Bayes.
var embeddedIndex = sync.OnceValue(func() *featureIndex {
	m, ok := catModel.(*lr)
	if !ok || areaModel == nil {
		return nil
	}
	return newFeatureIndex(m, areaModel)
})

func newFeatureIndex(cat *lr, area *nb) *featureIndex {
	x := &featureIndex{cat: cat, area: area, ids: make(map[string]int32, len(area.logp))}
	id := func(f string) int32 {
		k, ok := x.ids[f]
		if !ok {
			k = int32(len(x.word))
			x.ids[f] = k
			x.catW, x.areaLp = append(x.catW, nil), append(x.areaLp, nil)
			x.word = append(x.word, strings.HasPrefix(f, "w:"))
		}
		return k
	}
	for f, w := range cat.w {
		x.catW[id(f)] = orEmpty(w)
	}
	for f, lp := range area.logp {
		x.areaLp[id(f)] = orEmpty(lp)
	}
	return x
}

// orEmpty makes a model's nil row non-nil: nil in the index means absent.
func orEmpty(v []float64) []float64 {
	if v == nil {
		return []float64{}
	}
	return v
}

// indexedFeatures are a message's features (features) read through a
// featureIndex.
type indexedFeatures struct {
	x        *featureIndex
	at       []int32 // by feature, in order, repeats kept: its id, -1 if neither model knows it
	uniq     []int32 // ids of the known features, each once, in order of first occurrence
	distinct int     // distinct features, known or not
	words    int     // distinct word features, known or not
}

// read numbers all (features of a message).
func (x *featureIndex) read(all []string) *indexedFeatures {
	in := &indexedFeatures{x: x, at: make([]int32, len(all))}
	seen := make([]uint64, (len(x.word)+63)/64)
	var unknown map[string]bool
	for i, f := range all {
		id, ok := x.ids[f]
		if !ok {
			in.at[i] = -1
			if !unknown[f] {
				if unknown == nil {
					unknown = map[string]bool{}
				}
				unknown[f] = true
				in.distinct++
				if strings.HasPrefix(f, "w:") {
					in.words++
				}
			}
			continue
		}
		in.at[i] = id
		if seen[id/64]&(1<<(id%64)) == 0 {
			seen[id/64] |= 1 << (id % 64)
			in.uniq = append(in.uniq, id)
			in.distinct++
			if x.word[id] {
				in.words++
			}
		}
	}
	return in
}

// catProbs is the category model's probs of the features: lr.probsOf,
// summed in the same order.
func (in *indexedFeatures) catProbs() []float64 {
	return lrProbs(in.x.cat.bias, in.distinct, func(yield func([]float64) bool) {
		for _, id := range in.uniq {
			if !yield(in.x.catW[id]) {
				return
			}
		}
	})
}

// catKnown is lr.knownOf of the features.
func (in *indexedFeatures) catKnown() float64 {
	k := 0
	for _, id := range in.uniq {
		if in.x.word[id] && in.x.catW[id] != nil {
			k++
		}
	}
	if in.words == 0 {
		return 1
	}
	return float64(k) / float64(in.words)
}

// areaPosterior is the area model's posteriorT of the features.
func (in *indexedFeatures) areaPosterior(temp float64) []float64 {
	return nbPosterior(in.x.area.prior, func(yield func([]float64) bool) {
		for _, id := range in.at {
			if id >= 0 && !yield(in.x.areaLp[id]) {
				return
			}
		}
	}, temp)
}

// areaInformative is nb.informative of the features.
func (in *indexedFeatures) areaInformative() int {
	n := 0
	for _, id := range in.uniq {
		lp := in.x.areaLp[id]
		if lp == nil || !in.x.word[id] {
			continue
		}
		if slices.Max(lp)-slices.Min(lp) >= math.Log(modelAreaSpread) {
			n++
		}
	}
	return n
}
