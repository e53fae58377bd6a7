package classify

import (
	"slices"
	"sort"
	"strings"

	"github.com/exempelby/synpunkt"
)

// Area sources, as check-config shows them.
const (
	fromAlias     = "alias"
	fromName      = "namn/nyckelord"
	fromKeywords  = "nyckelord"
	fromCommittee = "nämnd"
	fromDefault   = "standardenhet"
)

// UnitAreas is the built-in areas a unit got and where they came from.
type UnitAreas struct {
	Unit   string
	Areas  []string // sorted; empty: the unit has only its own words
	Source string   // fromAlias, fromName, …; empty when Areas is
}

// compiledArea is an area with its vocabulary and anchors parsed.
type compiledArea struct {
	name               string
	vocab              []weighted
	anchors, committee []term
}

// areas is the built-in areas compiled once, sorted by name.
var areas = compileAreas()

func compileAreas() []compiledArea {
	var out []compiledArea
	for name, a := range builtinAreas {
		vocab := a.vocab
		if f := foreignVocab[name]; f != "" {
			vocab += "|" + f
		}
		out = append(out, compiledArea{name: name, vocab: parseWeighted(vocab),
			anchors: parseTerms(a.anchors), committee: parseTerms(a.committee)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func parseTerms(s string) []term {
	var out []term
	for _, e := range entries(s) {
		out = append(out, parseTerm(e))
	}
	return out
}

func areaByName(name string) *compiledArea {
	for i := range areas {
		if areas[i].name == name {
			return &areas[i]
		}
	}
	return nil
}

// inferAreas decides which built-in areas a unit handles: the areas its
// aliases name (the old, explicit way); else those whose anchors its
// name, aliases or keywords contain, plus those two or more of its
// keywords belong to; else those its committee's name points at; else,
// for the default unit, the contact center's.
func inferAreas(u synpunkt.Unit) UnitAreas {
	ua := UnitAreas{Unit: u.Name}
	set := map[string]bool{}
	for _, a := range u.Aliases {
		if name, ok := aliasArea(a); ok {
			set[name] = true
		}
	}
	if len(set) > 0 {
		return ua.with(set, fromAlias)
	}
	own := append(append([]string{u.Name}, u.Aliases...), u.Keywords...)
	for _, s := range own {
		anchorAreas(s, func(a *compiledArea) []term { return a.anchors }, set)
	}
	keywordAreas(u.Keywords, set)
	if len(set) > 0 {
		return ua.with(set, fromName)
	}
	anchorAreas(u.Committee, func(a *compiledArea) []term { return a.committee }, set)
	if len(set) > 0 {
		return ua.with(set, fromCommittee)
	}
	if u.Default {
		set["kontaktcenter"] = true
		return ua.with(set, fromDefault)
	}
	return ua
}

// areaClaim is how strongly a unit's own words claim an area: an anchor
// in its name (3), in an alias or keyword (2), or keywords from the
// area's vocabulary (1); 0: no claim of its own.
func areaClaim(u synpunkt.Unit, area string) int {
	anchored := func(s string) bool {
		set := map[string]bool{}
		anchorAreas(s, func(a *compiledArea) []term { return a.anchors }, set)
		return set[area]
	}
	if anchored(u.Name) {
		return 3
	}
	for _, s := range append(append([]string(nil), u.Aliases...), u.Keywords...) {
		if anchored(s) {
			return 2
		}
	}
	set := map[string]bool{}
	keywordAreas(u.Keywords, set)
	if set[area] {
		return 1
	}
	return 0
}

// dedupAreas gives an area that several units inferred from their names
// and keywords (not from aliases, which name areas on purpose) only to
// those with the strongest claim, so that a keyword like "enskilt
// avlopp" does not give the environment office all of water and sewage
// when a unit is called "Vatten och avlopp". A unit keeps at least one
// area.
func dedupAreas(units synpunkt.Units, uas []UnitAreas) {
	owners := map[string][]int{}
	for i, ua := range uas {
		if ua.Source != fromName {
			continue
		}
		for _, a := range ua.Areas {
			owners[a] = append(owners[a], i)
		}
	}
	for a, us := range owners {
		if len(us) < 2 {
			continue
		}
		// The strongest claim wins; among equal claims the most
		// specialised unit ("Hemtjänsten" over "Vård och omsorg").
		best := 0
		claim := make([]int, len(us))
		for k, i := range us {
			claim[k] = areaClaim(units[i], a)*100 - len(uas[i].Areas)
			best = max(best, claim[k])
		}
		for k, i := range us {
			if claim[k] < best && len(uas[i].Areas) > 1 {
				uas[i].Areas = slices.DeleteFunc(uas[i].Areas, func(x string) bool { return x == a })
			}
		}
	}
}

func (ua UnitAreas) with(set map[string]bool, source string) UnitAreas {
	for a := range set {
		ua.Areas = append(ua.Areas, a)
	}
	sort.Strings(ua.Areas)
	ua.Source = source
	return ua
}

// anchorAreas adds the areas whose anchors occur in s. Where anchors
// overlap only the most specific counts: "förskola" is not "skola".
func anchorAreas(s string, anchorsOf func(*compiledArea) []term, set map[string]bool) {
	toks := tokenize(s, 1)
	type found struct {
		area string
		h    hit
	}
	var hits []found
	maxSpec := make([]int, len(toks))
	for i := range areas {
		for _, t := range anchorsOf(&areas[i]) {
			for _, p := range t.matches(toks) {
				h := hit{pos: p, n: len(t.words), spec: t.spec}
				hits = append(hits, found{areas[i].name, h})
				for k := p; k < p+h.n; k++ {
					maxSpec[k] = max(maxSpec[k], h.spec)
				}
			}
		}
	}
	for _, f := range hits {
		if f.h.dominant(maxSpec) {
			set[f.area] = true
		}
	}
}

// keywordAreas adds an area when two of the keywords are strong words of
// its vocabulary (weight 3 or more), or one is a defining word (4).
func keywordAreas(keywords []string, set map[string]bool) {
	for i := range areas {
		a := &areas[i]
		var score float64
		for _, k := range keywords {
			toks := tokenize(k, 1)
			best := 0.0
			for _, w := range a.vocab {
				if w.weight >= 3 && len(w.term.matches(toks)) > 0 && len(toks) == len(w.term.words) {
					best = max(best, w.weight)
				}
			}
			if best >= 4 {
				best = 2
			} else if best > 0 {
				best = 1
			}
			score += best
		}
		if score >= 2 {
			set[a.name] = true
		}
	}
}

// aliasArea maps an alias that names an area ("gata", "renhallning") to
// the area.
func aliasArea(alias string) (string, bool) {
	a := strings.ToLower(alias)
	if syn, ok := areaSynonyms[a]; ok {
		a = syn
	}
	_, ok := builtinAreas[a]
	return a, ok
}

// Areas lists, per unit in config order, the built-in areas it got and
// why; check-config prints it and warns for a unit with none.
func (c *Classifier) Areas() []UnitAreas {
	return append([]UnitAreas(nil), c.areas...)
}
