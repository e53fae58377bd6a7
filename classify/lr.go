package classify

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The category model: multinomial logistic regression over the same
// features as the area model (stems, stem pairs, character trigrams),
// each present feature worth 1/sqrt(n) so that long and short messages
// weigh alike. Unlike naive Bayes it learns which features matter
// together, so its probabilities need no temperature. Trained by
// go generate (gen.go) with plain stochastic gradient descent and L2
// regularisation; the weights are averaged over lrRuns shuffles of the
// training data so that one unlucky order cannot shape the model.

// catFeatures are the category model's features: those of the area
// model plus, with lrFourGrams, character 4-grams of words of five
// letters or more.
func catFeatures(toks []token) []string {
	fs := features(toks)
	if !lrFourGrams {
		return fs
	}
	for _, tk := range toks {
		if tk.raw == boundary || tk.raw == "?" || tk.rawLen < 5 {
			continue
		}
		r := []rune("^" + tk.raw + "$")
		for i := 0; i+4 <= len(r); i++ {
			fs = append(fs, "d:"+string(r[i:i+4]))
		}
	}
	return fs
}

// probModel is a learned model that gives a probability per class.
type probModel interface {
	labels() []string
	probs(fs []string) []float64
	probsOf(fs *featureSet) []float64 // probs of fs.all
}

// lr is a trained logistic regression.
type lr struct {
	classes []string
	bias    []float64
	w       map[string][]float64
}

// Training settings, chosen by leave-one-municipality-out (lomo_test.go).
var (
	lrEpochs      = 30
	lrRuns        = 5
	lrRate        = 1.0
	lrL2          = 1e-3
	lrBalance     = 0.5   // 1: classes weigh alike in training; 0: by their frequency
	lrTemperature = 1.0   // divides the scores before the softmax in probs (not in training)
	lrFourGrams   = false // character 4-grams as well (catFeatures)
	lrMinDocs     = 2     // a feature must occur in this many training messages
	lrMinWeight   = 0.005 // smaller averaged weights are dropped from the file
)

func (m *lr) labels() []string { return m.classes }

// probs is the softmax of the classes' scores.
func (m *lr) probs(fs []string) []float64 { return m.probsOf(newFeatureSet(fs)) }

// probsOf is probs of fs.all: each distinct feature counts once.
func (m *lr) probsOf(fs *featureSet) []float64 { return m.probsFrom(fs, m.lookup(fs)) }

// lookup returns each distinct feature's weights, by index into fs.uniq;
// nil for a feature the model does not weigh.
func (m *lr) lookup(fs *featureSet) [][]float64 {
	ws := make([][]float64, len(fs.uniq))
	for k, f := range fs.uniq {
		w, ok := m.w[f]
		if ok && w == nil {
			w = []float64{} // weighed, if by nothing: known
		}
		ws[k] = w
	}
	return ws
}

// probsFrom is probsOf of fs, whose features' weights lookup gave as ws.
func (m *lr) probsFrom(fs *featureSet, ws [][]float64) []float64 {
	return lrProbs(m.bias, len(fs.uniq), slices.Values(ws))
}

// lrProbs is the class probabilities of a logistic model with bias for n
// distinct features whose weight rows ws yields (nil: a feature the model
// does not know), summed in the order ws gives them.
func lrProbs(bias []float64, n int, ws iter.Seq[[]float64]) []float64 {
	score := slices.Clone(bias)
	if n > 0 {
		x := 1 / math.Sqrt(float64(n))
		for w := range ws {
			if w != nil {
				for k := range score {
					score[k] += w[k] * x
				}
			}
		}
	}
	if lrTemperature != 1 {
		for k := range score {
			score[k] /= lrTemperature
		}
	}
	return softmax(score)
}

func softmax(s []float64) []float64 {
	top := slices.Max(s)
	var sum float64
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = math.Exp(v - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

func uniq(fs []string) []string {
	seen := make(map[string]bool, len(fs))
	out := fs[:0:0]
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// trainLR trains the model on docs (features) with their labels.
func trainLR(docs [][]string, labels []string) *lr {
	classSet := map[string]bool{}
	for _, l := range labels {
		classSet[l] = true
	}
	var classes []string
	for c := range classSet {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	ci := map[string]int{}
	for i, c := range classes {
		ci[c] = i
	}
	df := map[string]int{}
	ds := make([][]string, len(docs))
	for i, d := range docs {
		ds[i] = uniq(d)
		for _, f := range ds[i] {
			df[f]++
		}
	}
	var feats []string
	for f, n := range df {
		if n >= lrMinDocs {
			feats = append(feats, f)
		}
	}
	sort.Strings(feats)
	fi := map[string]int{}
	for i, f := range feats {
		fi[f] = i
	}
	type sample struct {
		idx []int
		x   float64
		y   int
	}
	var xs []sample
	for i, d := range ds {
		s := sample{y: ci[labels[i]]}
		for _, f := range d {
			if k, ok := fi[f]; ok {
				s.idx = append(s.idx, k)
			}
		}
		if len(d) > 0 {
			s.x = 1 / math.Sqrt(float64(len(d)))
		}
		xs = append(xs, s)
	}
	nc := len(classes)
	// Class weights: each class weighs as much in training as the
	// others, so the most frequent one (Klagomål) does not become the
	// model's answer whenever it knows little.
	cw := make([]float64, nc)
	for _, s := range xs {
		cw[s.y]++
	}
	for c := range cw {
		cw[c] = lrBalance*float64(len(xs))/(float64(nc)*cw[c]) + (1 - lrBalance)
	}
	avgW := make([]float64, len(feats)*nc)
	avgB := make([]float64, nc)
	for run := 0; run < lrRuns; run++ {
		rng := rand.New(rand.NewPCG(uint64(run)+1, 13))
		w := make([]float64, len(feats)*nc)
		b := make([]float64, nc)
		order := make([]int, len(xs))
		for i := range order {
			order[i] = i
		}
		score := make([]float64, nc)
		for ep := 0; ep < lrEpochs; ep++ {
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			rate := lrRate / (1 + float64(ep)*0.1)
			for _, o := range order {
				s := xs[o]
				copy(score, b)
				for _, k := range s.idx {
					for c := 0; c < nc; c++ {
						score[c] += w[k*nc+c] * s.x
					}
				}
				p := softmax(score)
				for c := 0; c < nc; c++ {
					g := p[c]
					if c == s.y {
						g -= 1
					}
					g *= cw[s.y]
					b[c] -= rate * g
					for _, k := range s.idx {
						w[k*nc+c] -= rate * (g*s.x + lrL2*w[k*nc+c])
					}
				}
			}
		}
		for i := range w {
			avgW[i] += w[i] / float64(lrRuns)
		}
		for c := range b {
			avgB[c] += b[c] / float64(lrRuns)
		}
	}
	m := &lr{classes: classes, bias: avgB, w: map[string][]float64{}}
	for k, f := range feats {
		ws := avgW[k*nc : (k+1)*nc]
		keep := false
		for _, v := range ws {
			if math.Abs(v) >= lrMinWeight {
				keep = true
			}
		}
		if keep {
			m.w[f] = roundAll(ws)
		}
	}
	m.bias = roundAll(m.bias)
	return m
}

// roundAll rounds to 4 decimals, as the model file stores weights, so
// that a trained and a loaded model decide alike.
func roundAll(ws []float64) []float64 {
	out := make([]float64, len(ws))
	for i, v := range ws {
		out[i] = math.Round(v*1e4) / 1e4
	}
	return out
}

// write renders the model: "lr NAME", "classes a b …", "bias …", then
// one line per feature "feature\tw …", sorted.
func (m *lr) write(b *strings.Builder, name string) {
	fmt.Fprintf(b, "lr %s\nclasses %s\nbias %s\n", name, strings.Join(m.classes, " "), floats(m.bias))
	fs := make([]string, 0, len(m.w))
	for f := range m.w {
		fs = append(fs, f)
	}
	sort.Strings(fs)
	for _, f := range fs {
		b.WriteString(f + "\t" + floats(m.w[f]) + "\n")
	}
}

func floats(ws []float64) string {
	s := make([]string, len(ws))
	for i, v := range ws {
		s[i] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strings.Join(s, " ")
}

// loadLR parses the "lr name" section of s; nil when there is none.
func loadLR(s, name string) *lr {
	var m *lr
	sc := modelLines(s)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "lr "+name:
			m = &lr{w: map[string][]float64{}}
		case m == nil:
		case strings.HasPrefix(line, "model ") || strings.HasPrefix(line, "lr "):
			return m
		case strings.HasPrefix(line, "classes "):
			m.classes = strings.Fields(strings.TrimPrefix(line, "classes "))
		case strings.HasPrefix(line, "bias "):
			m.bias = parseFloats(strings.TrimPrefix(line, "bias "))
		case line != "":
			f, rest, _ := strings.Cut(line, "\t")
			m.w[f] = parseFloats(rest)
		}
	}
	return m
}

func parseFloats(s string) []float64 {
	var out []float64
	for _, p := range strings.Fields(s) {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			panic("classify: bad model.txt weight " + p)
		}
		out = append(out, v)
	}
	return out
}

// known is the share of the word features among fs that the model has
// weights for (1 when fs has no words).
func (m *lr) known(fs []string) float64 { return m.knownOf(newFeatureSet(fs)) }

func (m *lr) knownOf(fs *featureSet) float64 { return m.knownFrom(fs, m.lookup(fs)) }

// knownFrom is knownOf of fs, whose features' weights lookup gave as ws.
func (m *lr) knownFrom(fs *featureSet, ws [][]float64) float64 {
	n, k := 0, 0
	for i, f := range fs.uniq {
		if !strings.HasPrefix(f, "w:") {
			continue
		}
		n++
		if ws[i] != nil {
			k++
		}
	}
	if n == 0 {
		return 1
	}
	return float64(k) / float64(n)
}
