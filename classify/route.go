package classify

import (
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"

	synpunkt "github.com/exempelby/synpunkt"
)

// Signal weights, strongest first.
const (
	weightForm = 8.0 // the form's unit field
	plusConf   = 0.99
)

// unitScale is the score margin at which unit confidence is 1-1/e.
// 2.25 calibrates the triage threshold by five-municipality
// leave-one-out (i13c): mean unit of routed 0.976 and triage 0.076 at
// 2, 0.981 and 0.098 at 2.25, 0.981 and 0.100 at 2.5, 0.984 and 0.121
// at 3: 2.25 keeps triage under 0.10 and routes more rightly.
var unitScale = 2.25

// triageRunnerUp is the share of the triage unit's score that counts
// against a specialist unit ahead of it. 0.5 by six-municipality
// leave-one-out (i13d): mean unit of routed 0.9765 -> 0.9766 and triage
// 0.095 -> 0.093 against 0.75 (five municipalities, i13c, had preferred
// 0.75 at equal unit accuracy).
var triageRunnerUp = 0.5

// modelRunnerUp is the share of a runner-up's score that counts against
// the best unit when only the area model voted for the runner-up and the
// rules found words of the best: one clear area word is evidence, the
// model's guess at another area is a weaker kind. 0.5 by
// seven-municipality leave-one-out (i13e, unitScale 2.25): mean unit of
// routed 0.9798 -> 0.9799 and triage 0.078 -> 0.074 against 1 (0.75:
// 0.075, 0.25: 0.073 at the same unit accuracy); no municipality routes
// fewer rightly.
var modelRunnerUp = 0.5

// route sets Unit, confidence, reasons, Triage, Topic and Handler. A
// plus-address naming a unit decides outright; then the form's unit field,
// explicit mentions and topic words are summed per unit. Below
// min_confidence the triage unit gets the message.
func (c *Classifier) route(in input, to []synpunkt.Address, d *Decision) {
	if i, tag, ok := c.plusAlias(to); ok {
		c.settle(i, plusConf, []string{fmt.Sprintf("plusadress %q", tag)}, in, d)
		return
	}
	sb := newScoreboard()
	if in.form != nil && strings.TrimSpace(in.form.Unit) != "" {
		c.scoreFormUnit(sb, in.form.Unit)
	}
	c.scoreUnits(sb, in.toks, in.hits)
	labels := make([]string, len(c.units))
	for i, u := range c.units {
		labels[i] = u.Name
	}
	rules := maps.Clone(sb.score)
	if _, b, _ := sb.top(labels); b < modelThinEvidence {
		// The rules found little: the model's vote decides more often
		// than triage would.
		c.modelUnitVote(sb, in)
	}
	best, b, second := sb.top(labels)
	if best != c.units[c.triage].Name || rules[best] > 0 {
		// The triage unit's words are mostly the channel's (e-tjänst,
		// växeln, kommunen): as the runner-up they count only in part
		// against a specialist unit. So does a runner-up only the
		// model votes for, against a unit the rules found words of.
		second = 0
		for _, l := range labels {
			v := sb.score[l]
			if l == c.units[c.triage].Name && best != l {
				v *= triageRunnerUp
			}
			if rules[l] <= 0 && rules[best] > 0 {
				v *= modelRunnerUp
			}
			if l != best && v > second {
				second = v
			}
		}
	}
	conf := marginConfidence(b, second, unitScale)
	i, _ := c.units.Index(best)
	reasons := sb.list(6, func(r string) bool { return strings.HasSuffix(r, "("+best) })
	if conf < c.minConf || b <= 0 {
		d.Triage = true
		reasons = append(reasons, fmt.Sprintf("säkerhet %.2f under %.2f: till %s", conf, c.minConf, c.units[c.triage].Name))
		i = c.triage
	}
	c.settle(i, conf, reasons, in, d)
}

// marginConfidence turns the best and second-best unit score into 0..1
// by their margin: 1-exp(-(best-second)/scale). How far the best unit is
// ahead is what predicts a right routing on unseen mail (measured on the
// corpus and both blind splits), not the best score's size: one strong
// area word alone is enough ("brunnslock" 3: 0.74), two units with
// equal evidence are not, however much there is.
func marginConfidence(best, second, scale float64) float64 {
	if best <= 0 {
		return 0
	}
	return 1 - math.Exp(-(best-math.Max(second, 0))/scale)
}

// settle fills in the unit and picks the handler: a matching topic's
// handler, else the unit's handler, else its manager.
func (c *Classifier) settle(i int, conf float64, reasons []string, in input, d *Decision) {
	u := c.units[i]
	d.Unit, d.UnitConfidence, d.UnitReasons = u, conf, reasons
	d.Handler = u.Manager
	if u.Handler != "" {
		d.Handler = u.Handler
	}
	if d.Triage {
		return
	}
	for k, t := range c.topics[i] {
		if len(in.hits.of(c.topicLists[i][k])) > 0 {
			d.Topic, d.Handler = t.name, t.handler
			d.UnitReasons = append(d.UnitReasons, fmt.Sprintf("ämne %q → utsedd handläggare", t.name))
			return
		}
	}
}

// plusAlias finds a recipient synpunkter+TAG@… whose TAG is a unit's name
// or alias. Tags that name no unit (case threading) are ignored.
func (c *Classifier) plusAlias(to []synpunkt.Address) (int, string, bool) {
	for _, a := range to {
		local, _, _ := strings.Cut(strings.ToLower(a.Addr), "@")
		base, tag, ok := strings.Cut(local, "+")
		if !ok || base != c.mailbox || tag == "" {
			continue
		}
		if i, ok := c.units.Index(tag); ok {
			return i, tag, true
		}
	}
	return 0, "", false
}

// scoreFormUnit credits the unit the form's unit field names: by name or
// alias, else by the field's words ("Vatten och avlopp" → VA).
func (c *Classifier) scoreFormUnit(sb *scoreboard, value string) {
	if i, ok := c.units.Index(value); ok {
		sb.add(c.units[i].Name, "formulärfält Verksamhet ("+c.units[i].Name, weightForm)
		return
	}
	inner := newScoreboard()
	toks := tokenize(value, 1)
	c.scoreUnits(inner, toks, c.matchTerms(toks))
	labels := make([]string, len(c.units))
	for i, u := range c.units {
		labels[i] = u.Name
	}
	if best, b, _ := inner.top(labels); b > 0 {
		sb.add(best, "formulärfält Verksamhet ("+best, weightForm)
	}
}

// hit is one unit term found in the text.
type hit struct {
	unit, pos, n, spec int
	w                  weighted
}

// scoreUnits adds every unit's term hits. Where terms overlap, only the
// most specific counts: "förskolan" is Förskola, not the "skola" inside it.
func (c *Classifier) scoreUnits(sb *scoreboard, toks []token, th termHits) {
	hits := make([]hit, 0, len(th.hits))
	maxSpec := make([]int, len(toks))
	for u, terms := range c.unitTerms {
		for _, m := range th.of(c.unitLists[u]) {
			w := terms[m.idx]
			h := hit{unit: u, pos: int(m.pos), n: len(w.term.words), spec: w.term.spec, w: w}
			hits = append(hits, h)
			for k := h.pos; k < h.pos+h.n; k++ {
				maxSpec[k] = max(maxSpec[k], h.spec)
			}
		}
	}
	count := map[[2]string]int{}
	taken := make([][]bool, len(c.units))
	for _, h := range hits {
		if taken[h.unit] == nil {
			taken[h.unit] = make([]bool, len(toks))
		}
		if !h.dominant(maxSpec) || !h.claim(taken[h.unit]) {
			continue
		}
		name := c.units[h.unit].Name
		key := [2]string{name, h.w.term.text}
		if count[key] == maxHits {
			continue
		}
		count[key]++
		sb.add(name, "ord "+strconv.Quote(h.w.term.text)+" ("+name, h.w.weight*toks[h.pos].mult) // as fmt's %q
	}
}

// claim marks the hit's tokens as counted; false when one already was
// (two equally specific words of one label on the same token count once).
func (h hit) claim(taken []bool) bool {
	for k := h.pos; k < h.pos+h.n; k++ {
		if taken[k] {
			return false
		}
	}
	for k := h.pos; k < h.pos+h.n; k++ {
		taken[k] = true
	}
	return true
}

func (h hit) dominant(maxSpec []int) bool {
	for k := h.pos; k < h.pos+h.n; k++ {
		if h.spec < maxSpec[k] {
			return false
		}
	}
	return true
}
