package classify

import (
	"fmt"
	"regexp"
	"strings"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
)

// ClassInternal is the exclusion class of staff mail.
const ClassInternal = "intern"

// exclusionSpec is a compiled config.Exclusion.
type exclusionSpec struct {
	x       config.Exclusion
	senders []string   // x.Senders, trimmed and lower-cased
	terms   []weighted // "!word" weighs 2, others 1; built-in: as in processes.go
	min     float64
	builtin bool   // from processes.go: each term counts at most once, reasons say "inbyggt"
	copy    string // who else is told (the contact center), may be empty
	first   bool   // reaching min decides at once (requests for public documents)
	// Built-in only (processes.go): a setting cue with an act cue is one
	// hit of comboWeight; against hits lower the score.
	settings, acts, against []weighted
	// The termIndex list ids of terms, settings, acts and against.
	termsList, settingsList, actsList, againstList int32
}

func (c *Classifier) compileExclusions(s config.ClassifySettings) {
	for _, x := range s.Exclusions {
		if x.Class == ClassInternal {
			x := x
			c.intern = &x
			continue
		}
		spec := exclusionSpec{x: x, min: float64(x.MinScore)}
		for _, s := range x.Senders {
			spec.senders = append(spec.senders, strings.ToLower(strings.TrimSpace(s)))
		}
		if spec.min == 0 {
			spec.min = 2
		}
		for _, k := range x.Keywords {
			w := 1.0
			if strings.HasPrefix(k, "!") {
				k, w = k[1:], 2
			}
			// Whole words and inflections only: "motion" must not match
			// "motionsspåret".
			spec.terms = append(spec.terms, noPrefix([]weighted{{parseTerm(k), w}})...)
		}
		c.exclusions = append(c.exclusions, spec)
	}
	if s.Builtin {
		c.compileBuiltinProcesses(s)
	}
	if s.InternalStaff && c.intern == nil {
		c.intern = &config.Exclusion{
			Class: ClassInternal, Destination: c.units[c.defaultIndex()].Manager,
			Note: "Intern synpunkt från medarbetare – hanteras inte som synpunkt.",
		}
	}
	if !s.InternalStaff {
		c.intern = nil
	}
}

// exclude returns the exclusion class with the highest score that reaches
// its min_score (ties: config order), else "intern" for staff mail (as
// the caller decided it), else nil.
func (c *Classifier) exclude(msg *synpunkt.Message, in input) *ExclusionDecision {
	from := msg.From.Addr
	if in.form != nil {
		from = in.form.Email
	}
	var best *ExclusionDecision
	bestScore := 0.0
	for _, e := range c.exclusions {
		score, _ := e.score(from, in.hits, false)
		if score < e.min {
			continue // most classes: no reasons are written
		}
		if e.first {
			// A request for documents is one whatever the documents are
			// about (avvikelserapporter, a school's incident reports).
			_, reasons := e.score(from, in.hits, true)
			return e.decision(reasons)
		}
		if score > bestScore {
			_, reasons := e.score(from, in.hits, true)
			best, bestScore = e.decision(reasons), score
		}
	}
	if best != nil {
		return best
	}
	if c.intern != nil && in.form == nil && in.forwardedFrom == "" && in.staff && !c.isMailbox(msg.From.Addr) && !forwardSubject.MatchString(msg.Subject) && !passesOnCitizen.MatchString(msg.Subject+"\n"+msg.Text) {
		return &ExclusionDecision{Class: ClassInternal, Reasons: []string{"avsändare i egen domän (medarbetare)"},
			Destination: c.intern.Destination, Note: c.intern.Note, Reply: c.intern.Reply}
	}
	return nil
}

// forwardSubject is a subject that says a colleague passes mail on
// ("VB: Synpunkt från telefon", "Vidarebefordrat: tack"): staff pass on
// what a citizen said, even where no forwarded header survives. In the
// labelled corpora every staff message with such a subject (14) is a
// synpunkt, none internal mail.
var forwardSubject = regexp.MustCompile(`(?i)^\s*(vb|fwd?|fw|wg|vidarebefordrat|vidarebefordran)\s*:`)

// passesOnCitizen is staff mail that says in so many words that it
// passes on what a resident said ("en förälder ringde …", "… för
// registrering", "Synpunkt från en medborgare"): a citizen's synpunkt
// is never internal mail, whoever typed it in. It names the citizen or
// the registration, not a colleague's own view, so internal notes
// ("Synpunkt från medarbetare", "Förslag från personalen") stay internal.
var passesOnCitizen = regexp.MustCompile(`(?i)\b(från en (medborgare|invånare|kommuninvånare|förälder|vårdnadshavare|anhörig|boende|brukare|kund|medborgares?)|(en|ett par) (medborgare|invånare|kommuninvånare|förälder|vårdnadshavare|anhörig|boende|brukare) (ringde|hörde av sig|kom förbi|har hört av sig|mejlade|skrev)|för registrering|registreras som synpunkt|registrera som synpunkt|läggas in som synpunkt|lägga in som synpunkt|from a resident|a resident (called|rang|wrote))`)

// score sums the class's evidence in a message whose sender is from and
// whose terms are th, with the reasons when why is set (exclude asks for
// them only of a class that reaches its min_score).
func (e exclusionSpec) score(from string, th termHits, why bool) (float64, []string) {
	var score float64
	var reasons []string
	if e.senderMatches(from) {
		score += 100
		if why {
			reasons = append(reasons, "avsändare på listan för "+e.x.Class)
		}
	}
	strong := !e.builtin
	for _, h := range e.hits(th) {
		score += h.weight
		strong = strong || h.weight >= strongSign
		if why {
			reasons = append(reasons, fmt.Sprintf("%s %q (%s +%g)", e.label(), h.term.text, e.x.Class, h.weight))
		}
	}
	if set, act, ok := e.combo(th); ok {
		score += comboWeight
		strong = true
		if why {
			reasons = append(reasons, fmt.Sprintf("inbyggd kombination: sammanhang %q + händelse %q (%s +%g)", set, act, e.x.Class, comboWeight))
		}
	}
	for _, i := range th.entries(e.againstList) {
		w := e.against[i]
		score += w.weight
		if why {
			reasons = append(reasons, fmt.Sprintf("inbyggt motord %q (%s %g)", w.term.text, e.x.Class, w.weight))
		}
	}
	if !strong {
		return 0, nil
	}
	return score, reasons
}

// hits returns the terms found (th), each once, at its first position;
// of overlapping terms only the most specific counts ("fel medicin" hides
// "medicin").
func (e exclusionSpec) hits(th termHits) []weighted {
	type found struct {
		w weighted
		h hit
	}
	var all []found
	var maxSpec []int // by token, up to the last one a hit covers
	for _, m := range th.firsts(e.termsList) {
		w := e.terms[m.idx]
		h := hit{pos: int(m.pos), n: len(w.term.words), spec: w.term.spec}
		if len(maxSpec) < h.pos+h.n {
			maxSpec = append(maxSpec, make([]int, h.pos+h.n-len(maxSpec))...)
		}
		all = append(all, found{w, h})
		for k := h.pos; k < h.pos+h.n; k++ {
			maxSpec[k] = max(maxSpec[k], h.spec)
		}
	}
	var out []weighted
	for _, f := range all {
		if f.h.dominant(maxSpec) {
			out = append(out, f.w)
		}
	}
	return out
}

// combo returns the first setting cue and the first act cue found (th),
// when both are there.
func (e exclusionSpec) combo(th termHits) (setting, act string, ok bool) {
	sets, acts := th.of(e.settingsList), th.of(e.actsList)
	if len(sets) == 0 || len(acts) == 0 {
		return "", "", false
	}
	return e.settings[sets[0].idx].term.text, e.acts[acts[0].idx].term.text, true
}

func (e exclusionSpec) label() string {
	if e.builtin {
		return "inbyggt ord"
	}
	return "ord"
}

func (e exclusionSpec) senderMatches(from string) bool {
	from = strings.ToLower(from)
	if from == "" {
		return false
	}
	for _, s := range e.senders {
		switch {
		case strings.Contains(s, "@") && !strings.HasPrefix(s, "@") && from == s:
			return true
		case strings.HasSuffix(from, "@"+strings.TrimPrefix(s, "@")):
			return true
		}
	}
	return false
}

func (e exclusionSpec) decision(reasons []string) *ExclusionDecision {
	return &ExclusionDecision{Class: e.x.Class, Reasons: reasons, Destination: e.x.Destination, Note: e.x.Note, Reply: e.x.Reply, Copy: e.copy}
}

func (c *Classifier) isMailbox(addr string) bool {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	base, _, _ := strings.Cut(local, "+")
	return base == c.mailbox
}
