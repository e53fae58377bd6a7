package classify

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	synpunkt "github.com/exempelby/synpunkt"
)

// categoryWordScale multiplies the category words' weights beside the
// speech acts and the model (chosen by leave-one-municipality-out).
var categoryWordScale = 1.0

// maxHits caps how often one term counts, so a repeated word cannot
// outvote the rest of the message.
const maxHits = 2

// scoreboard sums weights per label and remembers why.
type scoreboard struct {
	score   map[string]float64
	reasons map[string]float64 // reason text → contribution
}

func newScoreboard() *scoreboard {
	return &scoreboard{score: map[string]float64{}, reasons: map[string]float64{}}
}

func (s *scoreboard) add(label, reason string, w float64) {
	s.score[label] += w
	s.reasons[reason] += w
}

// top returns the best and second-best label by score (ties: the order of
// labels).
func (s *scoreboard) top(labels []string) (best string, b, second float64) {
	b, second = -1e9, 0
	for _, l := range labels {
		v := s.score[l]
		switch {
		case v > b:
			second = math0(b)
			best, b = l, v
		case v > second:
			second = v
		}
	}
	return best, b, second
}

func math0(v float64) float64 {
	if v < 0 {
		return 0
	}
	return v
}

// list returns the reasons that favour label, strongest first, at most n.
func (s *scoreboard) list(n int, keep func(reason string) bool) []string {
	type rw struct {
		r string
		w float64
	}
	all := make([]rw, 0, len(s.reasons))
	for r, w := range s.reasons {
		if keep(r) {
			all = append(all, rw{r, w})
		}
	}
	slices.SortFunc(all, func(a, b rw) int {
		if a.w != b.w {
			return cmp.Compare(b.w, a.w)
		}
		return strings.Compare(a.r, b.r)
	})
	out := make([]string, 0, min(n, len(all)))
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, fmt.Sprintf("%s %+.3g)", all[i].r, all[i].w))
	}
	return out
}

func categoryReason(cat synpunkt.DocType, t term) string {
	if t.text == "?" {
		return "frågetecken (" + string(cat)
	}
	return "ord " + strconv.Quote(t.text) + " (" + string(cat) // as fmt's %q
}

// categorize sets Category, its confidence and reasons. A form's category
// field wins when it names a category; otherwise the weighted rules
// decide, and with no rule hit at all the default category applies.
func (c *Classifier) categorize(in input, d *Decision) {
	if in.form != nil {
		if cat, ok := formCategories[strings.ToLower(strings.TrimSpace(in.form.Category))]; ok {
			d.Category, d.CategoryConfidence = cat, 0.95
			d.CategoryReasons = []string{"formulärfält Kategori"}
			return
		}
	}
	sb := newScoreboard()
	c.scoreCategories(sb, in.toks, in.hits)
	if c.builtin {
		scoreSpeechActs(sb, in.toks)
	}
	c.modelCategoryVote(sb, in)
	labels := make([]string, len(synpunkt.Categories))
	for i, cat := range synpunkt.Categories {
		labels[i] = string(cat)
	}
	best, b, second := sb.top(labels)
	if b <= 0 {
		d.Category, d.CategoryConfidence = c.defaultCat, 0.2
		d.CategoryReasons = []string{"ingen kategoriregel träffade (standardkategori)"}
		return
	}
	d.Category = synpunkt.DocType(best)
	d.CategoryConfidence = confidence(b, second, 2)
	d.CategoryReasons = sb.list(8, func(r string) bool { return strings.HasSuffix(r, "("+best) })
}

// catHit is one category rule found in the text.
type catHit struct {
	cat synpunkt.DocType
	h   hit
}

// scoreCategories adds every rule's hits. Within one category only the
// most specific of overlapping rules counts ("tack till" hides "tack"); a
// negated praise word ("inte bra") counts as a complaint; other negated
// single words do not count.
func (c *Classifier) scoreCategories(sb *scoreboard, toks []token, th termHits) {
	var hits []catHit
	maxSpec := map[synpunkt.DocType][]int{}
	for i, cat := range synpunkt.Categories {
		maxSpec[cat] = make([]int, len(toks))
		rules := c.catRules[cat]
		for _, m := range th.of(c.catLists[i]) {
			w := rules[m.idx]
			h := hit{pos: int(m.pos), n: len(w.term.words), spec: w.term.spec, w: w}
			hits = append(hits, catHit{cat, h})
			for k := h.pos; k < h.pos+h.n; k++ {
				maxSpec[cat][k] = max(maxSpec[cat][k], h.spec)
			}
		}
	}
	type counted struct {
		cat  synpunkt.DocType
		text string
	}
	count := map[counted]int{}
	taken := map[synpunkt.DocType][]bool{}
	for _, ch := range hits {
		h, target := ch.h, ch.cat
		if taken[ch.cat] == nil {
			taken[ch.cat] = make([]bool, len(toks))
		}
		if !h.dominant(maxSpec[ch.cat]) || !h.claim(taken[ch.cat]) || count[counted{ch.cat, h.w.term.text}] == maxHits {
			continue
		}
		count[counted{ch.cat, h.w.term.text}]++
		if h.n == 1 && h.w.weight > 0 && negated(toks, h.pos) {
			if ch.cat != synpunkt.DocBerom {
				continue
			}
			target = synpunkt.DocKlagomal
		}
		sb.add(string(target), categoryReason(target, h.w.term), categoryWordScale*h.w.weight*toks[h.pos].mult*toks[h.pos].contrast)
	}
}
