package classify

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	synpunkt "github.com/exempelby/synpunkt"
)

// The straightforward matching and model code Classify used before
// termIndex and featureSet, kept as the reference they must agree with.

// refMatchWord is matchWord without the edges: the rules alone.
func refMatchWord(tk *token, w *termWord, prefix bool) bool {
	if w.exact {
		return tk.raw == w.raw
	}
	if tk.raw == w.raw {
		return true
	}
	if tk.stem == w.stem {
		return !stemOnly[tk.raw] && !stemOnly[w.raw]
	}
	if w.whole {
		return false
	}
	ls, lt := w.stemLen, tk.stemLen
	if ls >= 3 && lt-ls >= 3 && strings.HasSuffix(tk.stem, w.stem) {
		return true
	}
	if w.rawLen >= 3 && tk.rawLen-w.rawLen >= 3 && strings.HasSuffix(tk.raw, w.raw) {
		return true
	}
	return prefix && ls >= 4 && lt-ls >= 2 && strings.HasPrefix(tk.stem, w.stem) && !streetName(tk.raw)
}

// refMatches tries t at every token: the start indices where it occurs.
// With edges each word must also pass edgesMatch, as term.matches has it
// (faster; the same where the edges are right).
func refMatches(t *term, toks []token, edges bool) []int {
	var out []int
	for i := 0; len(t.words) > 0 && i+len(t.words) <= len(toks); i++ {
		ok := true
		for j := range t.words {
			w, tk := &t.words[j], &toks[i+j]
			if edges && !w.edgesMatch(tk, !t.noPre) || !refMatchWord(tk, w, !t.noPre) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// refMatchAll is termIndex.match by trying every term of every list at
// every token (refMatches).
func refMatchAll(x *termIndex, toks []token, edges bool) termHits {
	var hits []termHit
	for id, ws := range x.lists {
		for i := range ws {
			for _, p := range refMatches(&ws[i].term, toks, edges) {
				hits = append(hits, termHit{int32(id), int32(i), int32(p)})
			}
		}
	}
	return x.sorted(hits)
}

// refStem is stem with stripOnce trying every suffix.
func refStem(w string) string {
	for range 2 {
		next := refStripOnce(w)
		if next == w {
			break
		}
		w = next
	}
	if utf8.RuneCountInString(w) > 3 {
		last, prev, size := lastTwo(w)
		if last == prev && !strings.ContainsRune("aeiouyåäö", last) {
			w = w[:len(w)-size]
		}
	}
	return w
}

func refStripOnce(w string) string {
	n := utf8.RuneCountInString(w)
	for _, s := range suffixes {
		if strings.HasSuffix(w, s) && n-utf8.RuneCountInString(s) >= 3 {
			return w[:len(w)-len(s)]
		}
	}
	if n < 4 {
		return w
	}
	last, prev, size := lastTwo(w)
	switch {
	case last == 't' && strings.HasSuffix(w, "igt"),
		last == 'n' && strings.ContainsRune("aeiouyåäö", prev),
		last == 's' && strings.ContainsRune("bcdfghjklmnoprtvy", prev):
		return w[:len(w)-size]
	}
	return w
}

// TestStemAsBefore checks stem against refStem on every word of every
// corpus and on every suffix alone and after one to four letters.
func TestStemAsBefore(t *testing.T) {
	words := map[string]bool{}
	for _, lc := range allCorpora(t) {
		for _, ex := range lc.exs {
			for _, tk := range tokenize(ex.Msg.Subject+"\n"+ex.Msg.Text, 1) {
				words[tk.raw] = true
			}
		}
	}
	for _, s := range suffixes {
		for _, p := range []string{"", "a", "ab", "abc", "åbcd", "igt"} {
			words[p+s] = true
		}
	}
	if len(words) < 5000 {
		t.Fatalf("%d distinct words, want the corpora's many thousands", len(words))
	}
	for w := range words {
		if got, want := stem(w), refStem(w); got != want {
			t.Errorf("stem(%q) = %q, want %q", w, got, want)
		}
	}
}

func refTokenize(s string, mult float64) []token {
	low := strings.ToLower(s)
	out := make([]token, 0, len(low)/6)
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := low[start:end]
			out = append(out, newToken(w, refStem(w), mult, 1))
			start = -1
		}
	}
	for i, r := range low {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case r == '?' || r == '؟':
			flush(i)
			out = append(out, newToken("?", "?", mult, 1))
		case r == '.' || r == '!' || r == ';' || r == '\n':
			flush(i)
			if len(out) > 0 && out[len(out)-1].raw != boundary {
				out = append(out, newToken(boundary, boundary, mult, 1))
			}
		default:
			flush(i)
		}
	}
	flush(len(low))
	return out
}

func refTextTokens(subject, body string) []token {
	toks := refTokenize(subject, 1.5)
	toks = append(toks, newToken(boundary, boundary, 1, 0))
	bt := refTokenize(body, 1)
	last := -1
	for i, tk := range bt {
		if contrastives[tk.raw] {
			last = i
		}
	}
	if last >= 0 && last < len(bt)-3 {
		for i := last + 1; i < len(bt); i++ {
			bt[i].contrast = 1.5
		}
	}
	return append(toks, bt...)
}

// TestTokensAsBefore checks textTokens and tokenize against the plain
// code on every message of every corpus, as written and as Classify reads
// it (cleaned body).
func TestTokensAsBefore(t *testing.T) {
	n := 0
	for _, lc := range allCorpora(t) {
		for _, ex := range lc.exs {
			subject, body := ex.Msg.Subject, ex.Msg.Text
			for _, text := range []string{body, cleanBody(body).text} {
				if got, want := textTokens(subject, text), refTextTokens(subject, text); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s/%s: textTokens differ:\n%+v\nwant\n%+v", lc.dir, ex.File, got, want)
				}
				if got, want := tokenize(text, 1), refTokenize(text, 1); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s/%s: tokenize differs", lc.dir, ex.File)
				}
				n++
			}
		}
	}
	if n < 4000 {
		t.Fatalf("compared %d texts, want the corpora's thousands", n)
	}
}

// refFeatures is features with a string made for each feature.
func refFeatures(toks []token) []string {
	var out []string
	prev := ""
	for _, tk := range toks {
		switch tk.raw {
		case boundary:
			prev = ""
			continue
		case "?":
			out = append(out, "q")
			prev = ""
			continue
		}
		out = append(out, "w:"+tk.stem)
		if prev != "" {
			out = append(out, "b:"+prev+"_"+tk.stem)
		}
		prev = tk.stem
		r := []rune("^" + tk.raw + "$")
		for i := 0; i+3 <= len(r); i++ {
			out = append(out, "c:"+string(r[i:i+3]))
		}
	}
	return out
}

func refPosteriorT(m *nb, fs []string, temp float64) []float64 {
	score := slices.Clone(m.prior)
	for _, f := range fs {
		lp, ok := m.logp[f]
		if !ok {
			continue
		}
		for i := range score {
			score[i] += lp[i]
		}
	}
	top := slices.Max(score)
	var sum float64
	for i := range score {
		score[i] = math.Exp((score[i] - top) / temp)
		sum += score[i]
	}
	for i := range score {
		score[i] /= sum
	}
	return score
}

func refInformative(m *nb, fs []string) int {
	seen := map[string]bool{}
	for _, f := range fs {
		lp, ok := m.logp[f]
		if !ok || seen[f] || !strings.HasPrefix(f, "w:") {
			continue
		}
		if slices.Max(lp)-slices.Min(lp) >= math.Log(modelAreaSpread) {
			seen[f] = true
		}
	}
	return len(seen)
}

func refLRProbs(m *lr, fs []string) []float64 {
	fs = uniq(fs)
	score := slices.Clone(m.bias)
	if len(fs) > 0 {
		x := 1 / math.Sqrt(float64(len(fs)))
		for _, f := range fs {
			if w, ok := m.w[f]; ok {
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

func refKnown(m *lr, fs []string) float64 {
	n, k := 0, 0
	for _, f := range uniq(fs) {
		if !strings.HasPrefix(f, "w:") {
			continue
		}
		n++
		if _, ok := m.w[f]; ok {
			k++
		}
	}
	if n == 0 {
		return 1
	}
	return float64(k) / float64(n)
}

// corpusTokens are the tokens Classify reads of every corpus message
// (as citizen mail: the form's text, the cleaned body).
func corpusTokens(t testing.TB, c *Classifier, corpora []labelledCorpus) [][]token {
	t.Helper()
	var out [][]token
	for _, lc := range corpora {
		for _, ex := range lc.exs {
			out = append(out, c.prepare(ex.Msg, false).toks)
		}
	}
	return out
}

// TestTermIndexFindsWhatEveryTermFinds checks, on every text of every
// corpus, that termIndex finds every term of the sample classifier at
// exactly the positions where trying it at every token by matchWord's
// rules alone (no edges) finds it; and every term of each corpus's own
// classifier where term.matches's way (edges, then the rules) finds it.
func TestTermIndexFindsWhatEveryTermFinds(t *testing.T) {
	corpora := allCorpora(t)
	check := func(name string, c *Classifier, toks [][]token, edges bool) {
		total := 0
		for n, tk := range toks {
			got, want := c.terms.match(tk), refMatchAll(c.terms, tk, edges)
			total += len(want.hits)
			if !slices.Equal(got.hits, want.hits) || !slices.Equal(got.start, want.start) {
				for id := range c.terms.lists {
					g, w := got.of(int32(id)), want.of(int32(id))
					if !slices.Equal(g, w) {
						t.Fatalf("%s, text %d, list %d: index found %v, every term at every token %v", name, n, id, g, w)
					}
				}
				t.Fatalf("%s, text %d: hits differ", name, n)
			}
		}
		// Not two empty answers: the corpora are full of rule words.
		if total < 5*len(toks) {
			t.Errorf("%s: %d hits in %d texts, want many more", name, total, len(toks))
		}
		t.Logf("%s: %d texts, %d hits, same", name, len(toks), total)
	}
	sample := mustSample(t)
	check("sample", sample, corpusTokens(t, sample, corpora), false)
	for _, lc := range corpora {
		c := corpusClassifier(t, lc.dir)
		check(lc.dir, c, corpusTokens(t, c, []labelledCorpus{lc}), true)
	}
}

// TestModelInputAsBefore checks that features and the models' reading of
// them (featureSet) give, on every text of every corpus, exactly the
// features and figures of the plain code they replaced.
func TestModelInputAsBefore(t *testing.T) {
	c := mustSample(t)
	cat, ok := c.catModel.(*lr)
	if !ok || c.areaModel == nil {
		t.Fatalf("sample classifier has category model %T and area model %v, want a logistic regression and a naive Bayes", c.catModel, c.areaModel)
	}
	area := c.areaModel
	x := c.featureIndex()
	if x == nil {
		t.Fatal("the sample classifier reads features without its featureIndex")
	}
	for n, toks := range corpusTokens(t, c, allCorpora(t)) {
		fs := refFeatures(toks)
		got := features(toks)
		if !slices.Equal(got, fs) {
			t.Fatalf("text %d: features = %q, want %q", n, got, fs)
		}
		set := newFeatureSet(got)
		if !slices.Equal(set.uniq, uniq(fs)) {
			t.Fatalf("text %d: featureSet.uniq = %q, want %q", n, set.uniq, uniq(fs))
		}
		lps := area.lookup(set)
		for _, temp := range []float64{1, modelTemperature, modelAreaTemperature} {
			if g, w := area.posteriorOf(set, lps, temp), refPosteriorT(area, fs, temp); !slices.Equal(g, w) {
				t.Fatalf("text %d: area posterior at %g = %v, want %v", n, temp, g, w)
			}
		}
		if g, w := area.informativeOf(set, lps), refInformative(area, fs); g != w {
			t.Fatalf("text %d: informative = %d, want %d", n, g, w)
		}
		if g, w := cat.probsOf(set), refLRProbs(cat, fs); !slices.Equal(g, w) {
			t.Fatalf("text %d: category probs = %v, want %v", n, g, w)
		}
		if g, w := cat.knownOf(set), refKnown(cat, fs); g != w {
			t.Fatalf("text %d: known = %v, want %v", n, g, w)
		}
		in := x.read(got)
		for _, temp := range []float64{1, modelTemperature, modelAreaTemperature} {
			if g, w := in.areaPosterior(temp), refPosteriorT(area, fs, temp); !slices.Equal(g, w) {
				t.Fatalf("text %d: indexed area posterior at %g = %v, want %v", n, temp, g, w)
			}
		}
		if g, w := in.areaInformative(), refInformative(area, fs); g != w {
			t.Fatalf("text %d: indexed informative = %d, want %d", n, g, w)
		}
		if g, w := in.catProbs(), refLRProbs(cat, fs); !slices.Equal(g, w) {
			t.Fatalf("text %d: indexed category probs = %v, want %v", n, g, w)
		}
		if g, w := in.catKnown(), refKnown(cat, fs); g != w {
			t.Fatalf("text %d: indexed known = %v, want %v", n, g, w)
		}
	}
}

// TestClassifyAsWithEveryTermTried checks whole decisions: on every
// message of every corpus (decisionCases), Classify decides exactly as the
// same classifier does when its terms are found by trying every term at
// every token (as term.matches does) and its models read each feature by
// its string (featureSet, no featureIndex).
func TestClassifyAsWithEveryTermTried(t *testing.T) {
	refs := map[*Classifier]*Classifier{}
	for _, dc := range decisionCases(t) {
		ref, ok := refs[dc.c]
		if !ok {
			r := *dc.c
			r.matchTerms = func(toks []token) termHits { return refMatchAll(r.terms, toks, true) }
			r.featIdx = nil
			ref, refs[dc.c] = &r, &r
		}
		got := dc.c.Classify(dc.msg, dc.msg.To, dc.staff)
		want := ref.Classify(dc.msg, dc.msg.To, dc.staff)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\nindexed  %+v\nreference %+v", dc.name, got, want)
		}
	}
}

// FuzzAsReference checks tokens, term hits (against matchWord's rules
// with no edges), model features and whole decisions against the plain
// code on any text, invalid UTF-8 included.
func FuzzAsReference(f *testing.F) {
	c := mustSample(f)
	ref := *c
	ref.matchTerms = func(toks []token) termHits { return refMatchAll(ref.terms, toks, false) }
	ref.featIdx = nil
	for _, s := range []string{"Trasig gatlykta på Storgatan, snöröjningen är dålig!", "Vilken härlig konsert i parken? Tack till personalen.",
		"Förskolan Solrosen: inte bra. Men maten är kall", "parkeringsautomaten\xffvid biblioteket", "ÅÄÖ åäö ?!. ؟ va-avgift", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := textTokens(text, text)
		if want := refTextTokens(text, text); !reflect.DeepEqual(toks, want) {
			t.Fatalf("textTokens(%q) differ from the plain tokenizer's", text)
		}
		if got, want := c.terms.match(toks), refMatchAll(c.terms, toks, false); !slices.Equal(got.hits, want.hits) {
			t.Fatalf("match(%q) = %v, every term at every token %v", text, got.hits, want.hits)
		}
		if got, want := features(toks), refFeatures(toks); !slices.Equal(got, want) {
			t.Fatalf("features(%q) = %q, want %q", text, got, want)
		}
		m := &synpunkt.Message{From: synpunkt.Address{Addr: "a@example.com"}, Subject: text, Text: text}
		if got, want := c.Classify(m, nil, false), ref.Classify(m, nil, false); !reflect.DeepEqual(got, want) {
			t.Fatalf("Classify(%q):\nindexed   %+v\nreference %+v", text, got, want)
		}
	})
}
