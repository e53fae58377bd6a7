package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
)

// ErrConfig is wrapped by New when the config cannot be compiled.
var ErrConfig = errors.New("classify: bad config")

// Decision is what Classify decided about one message, with its reasons.
type Decision struct {
	Category           synpunkt.DocType // always one of synpunkt.Categories
	CategoryConfidence float64          // 0..1
	CategoryReasons    []string         // e.g. `ord "trasig" (Felanmälan +3)`
	Unit               synpunkt.Unit    // never zero: the triage unit when unsure
	UnitConfidence     float64          // 0..1, of the best unit before triage
	UnitReasons        []string         // e.g. `plusadress "gata"`
	Triage             bool             // Unit is the triage unit because confidence was low
	Topic              string           // the matched topic of Unit, may be empty
	Handler            string           // who gets the forward: topic handler, unit handler or manager
	Exclusion          *ExclusionDecision
	Form               *FormData // non-nil for web-form mail
	// ForwardedFrom is the original sender when staff forwarded a
	// citizen's mail (the receipt should go there); may be empty.
	ForwardedFrom string
	Text          string // the text to register: the form's message, a staff forward's original, else msg.Text
}

// ExclusionDecision says a message is not a synpunkt: open no case,
// forward it to Destination with Note, answer the sender with Reply
// (empty: no answer).
type ExclusionDecision struct {
	Class       string
	Reasons     []string
	Destination string
	Note        string
	Reply       string
	// Copy is told too, so that the contact center sees what went past
	// the synpunkt diary (a request for public documents sent to the
	// registry); may be empty.
	Copy string
}

// Classifier decides category, unit, handler and exclusions. It is
// immutable after New and safe for concurrent use.
type Classifier struct {
	units      synpunkt.Units
	triage     int // index into units
	minConf    float64
	defaultCat synpunkt.DocType
	catRules   map[synpunkt.DocType][]weighted
	unitTerms  [][]weighted // per unit
	topics     [][]topicSpec
	areas      []UnitAreas      // per unit: the built-in areas it got (builtin only)
	areaOwners map[string][]int // area → the units that have it, in order
	builtin    bool             // [classify] builtin: built-in vocabulary, speech acts and the model
	catModel   probModel        // nil: no learned category vote
	areaModel  *nb              // nil: no learned area vote
	featIdx    *featureIndex    // of catModel and areaModel; nil: featureSet only
	forms      map[string]formSpec
	exclusions []exclusionSpec
	intern     *config.Exclusion // nil: own-domain senders are not excluded
	domains    synpunkt.Domains
	mailbox    string // lower-cased local part of the mailbox address
	// terms indexes every term list above; matchTerms finds them in a
	// text (terms.match; tests put the plain matcher in its place).
	terms      *termIndex
	matchTerms func(toks []token) termHits
	catLists   []int32   // list ids of catRules, in synpunkt.Categories order
	unitLists  []int32   // list ids of unitTerms
	topicLists [][]int32 // list ids of each unit's topics' terms
}

type topicSpec struct {
	name, handler string
	terms         []weighted
}

// Options are what a Classifier is compiled from, built once from the
// config by internal/daemon (OptionsFrom); the config must have passed
// config.Validate.
type Options struct {
	Settings       config.ClassifySettings // the [classify] section
	Units          synpunkt.Units          // the routing table
	Domains        synpunkt.Domains        // the organisation's own mail domains
	MailboxAddress string                  // the public mailbox; its plus-address tags route
}

// OptionsFrom picks the Options out of a validated config.
func OptionsFrom(cfg *config.Config) Options {
	return Options{Settings: cfg.Classify, Units: cfg.Units, Domains: cfg.Organisation.Domains, MailboxAddress: cfg.Organisation.MailboxAddress}
}

// New compiles the routing table and the classification settings.
func New(opt Options) (*Classifier, error) {
	s := opt.Settings
	if len(opt.Units) == 0 {
		return nil, fmt.Errorf("%w: units: no units", ErrConfig)
	}
	c := &Classifier{
		units: append(synpunkt.Units(nil), opt.Units...), minConf: s.MinConfidence,
		defaultCat: synpunkt.DocType(s.DefaultCategory), forms: map[string]formSpec{}, builtin: s.Builtin,
	}
	c.domains = opt.Domains
	if c.defaultCat == "" {
		c.defaultCat = synpunkt.DocKlagomal
	}
	c.mailbox, _, _ = strings.Cut(strings.ToLower(opt.MailboxAddress), "@")
	c.triage = c.defaultIndex()
	if s.TriageUnit != "" {
		i, ok := c.units.Index(s.TriageUnit)
		if !ok {
			return nil, fmt.Errorf("%w: classify.triage_unit: no unit %q", ErrConfig, s.TriageUnit)
		}
		c.triage = i
	}
	c.compileCategories(s)
	c.compileUnits(s.Builtin)
	if s.Builtin {
		c.catModel, c.areaModel = catModel, areaModel
		c.featIdx = embeddedIndex()
	}
	for _, f := range s.Forms {
		c.forms[strings.ToLower(f.From)] = newFormSpec(f)
	}
	c.compileExclusions(s)
	c.indexTerms()
	return c, nil
}

// indexTerms registers every term list Classify matches in one termIndex.
func (c *Classifier) indexTerms() {
	x := newTermIndex()
	for _, cat := range synpunkt.Categories {
		c.catLists = append(c.catLists, x.add(c.catRules[cat]))
	}
	c.topicLists = make([][]int32, len(c.units))
	for u := range c.units {
		c.unitLists = append(c.unitLists, x.add(c.unitTerms[u]))
		for _, t := range c.topics[u] {
			c.topicLists[u] = append(c.topicLists[u], x.add(t.terms))
		}
	}
	for i := range c.exclusions {
		e := &c.exclusions[i]
		e.termsList, e.settingsList, e.actsList, e.againstList = x.add(e.terms), x.add(e.settings), x.add(e.acts), x.add(e.against)
	}
	x.keys = nil // all terms are in
	c.terms, c.matchTerms = x, x.match
}

func (c *Classifier) defaultIndex() int {
	for i, u := range c.units {
		if u.Default {
			return i
		}
	}
	return 0
}

func (c *Classifier) compileCategories(s config.ClassifySettings) {
	c.catRules = map[synpunkt.DocType][]weighted{}
	if s.Builtin {
		for cat, table := range builtinCategory {
			c.catRules[cat] = noPrefix(parseWeighted(table))
		}
	}
	for _, r := range s.CategoryRules {
		w := r.Weight
		if w == 0 {
			w = 2
		}
		for _, word := range r.Words {
			cat := synpunkt.DocType(r.Category)
			c.catRules[cat] = append(c.catRules[cat], noPrefix([]weighted{{term: parseTerm(word), weight: w}})...)
		}
	}
}

// compileUnits builds each unit's vocabulary: its name (4), aliases (1),
// keywords (3), topic keywords (3) and, with builtin, the vocabulary of
// the areas inferAreas finds for it. A term listed twice keeps its
// highest weight.
func (c *Classifier) compileUnits(builtin bool) {
	c.unitTerms = make([][]weighted, len(c.units))
	c.topics = make([][]topicSpec, len(c.units))
	c.areas = make([]UnitAreas, len(c.units))
	for i, u := range c.units {
		c.areas[i] = UnitAreas{Unit: u.Name}
		if builtin {
			c.areas[i] = inferAreas(u)
		}
	}
	if builtin {
		dedupAreas(c.units, c.areas)
	}
	c.areaOwners = map[string][]int{}
	for u, ua := range c.areas {
		for _, a := range ua.Areas {
			if !slices.Contains(c.areaOwners[a], u) {
				c.areaOwners[a] = append(c.areaOwners[a], u)
			}
		}
	}
	for i, u := range c.units {
		m := map[string]weighted{}
		add := func(ws ...weighted) {
			for _, w := range ws {
				if old, ok := m[w.term.text]; !ok || w.weight > old.weight {
					m[w.term.text] = w
				}
			}
		}
		add(weighted{parseTerm(u.Name), 4})
		for _, a := range c.areas[i].Areas {
			add(areaByName(a).vocab...)
		}
		for _, a := range u.Aliases {
			if _, ok := m[a]; !ok {
				add(weighted{parseTerm(a), 1})
			}
		}
		for _, k := range u.Keywords {
			add(weighted{parseTerm(k), 3})
		}
		for _, t := range u.Topics {
			ts := topicSpec{name: t.Name, handler: t.Handler}
			for _, k := range t.Keywords {
				ts.terms = append(ts.terms, weighted{parseTerm(k), 3})
			}
			add(ts.terms...)
			c.topics[i] = append(c.topics[i], ts)
		}
		for _, w := range m {
			if len(w.term.words) > 0 {
				c.unitTerms[i] = append(c.unitTerms[i], w)
			}
		}
		sort.Slice(c.unitTerms[i], func(a, b int) bool { return c.unitTerms[i][a].term.text < c.unitTerms[i][b].term.text })
	}
}

// UnitByName finds a unit as synpunkt.Units.ByName does: by name or alias.
func (c *Classifier) UnitByName(name string) (synpunkt.Unit, bool) {
	return c.units.ByName(name)
}

// Classify decides one new-case candidate. Casework calls it only for
// messages that are not replies to a case (threading comes first). staff
// says whether the sender is the organisation's staff, as casework
// decided it once (authenticated when organisation.authserv_id is set);
// Classify never re-derives it from the From domain, so a forged
// own-domain From is ordinary citizen mail. Staff mail is excluded as
// "intern" when internal_staff is on — unless it is a web form or
// forwards a citizen's mail. to are the message's recipients,
// plus-addresses included. Classify never fails: it always returns a
// category, a unit and a handler.
func (c *Classifier) Classify(msg *synpunkt.Message, to []synpunkt.Address, staff bool) Decision {
	in := c.prepare(msg, staff)
	d := Decision{Form: in.form, Text: in.text, ForwardedFrom: in.forwardedFrom}
	c.categorize(in, &d)
	c.route(in, to, &d)
	d.Exclusion = c.exclude(msg, in)
	return d
}

// input is a message reduced to what the rules read.
type input struct {
	subject, text, forwardedFrom string
	form                         *FormData
	toks                         []token
	hits                         termHits         // of every term list in toks
	features                     *featureSet      // of toks, for the models, or:
	indexed                      *indexedFeatures // of toks, through the models' featureIndex
	staff                        bool             // the sender is staff, as the caller decided
}

func (c *Classifier) prepare(msg *synpunkt.Message, staff bool) input {
	in := input{subject: msg.Subject, text: msg.Text, staff: staff}
	if fs, ok := c.forms[msg.From.Addr]; ok {
		in.form = fs.parse(msg.Text)
	} else if c.isOwn(msg.From.Addr) && !c.isMailbox(msg.From.Addr) {
		// An own-domain sender the config does not name as a form
		// (an e-service's no-reply address) whose body is a filled-in
		// form is a citizen's submission, not staff mail.
		in.form = c.unnamedForm(msg.Text)
	}
	if in.form != nil {
		in.text = in.form.Text
		in.subject = in.form.Subject
	}
	b := cleanBody(in.text)
	if in.form == nil && b.forwardedFrom != "" && staff && !c.isOwn(b.forwardedFrom) {
		in.forwardedFrom = b.forwardedFrom
		if b.forwarded != "" {
			// The citizen's text decides, not the colleague's cover note.
			in.text, b.text = b.forwarded, b.forwarded
		}
	}
	in.toks = textTokens(in.subject, b.text)
	in.hits = c.matchTerms(in.toks)
	if c.catModel != nil || c.areaModel != nil {
		if x := c.featureIndex(); x != nil {
			in.indexed = x.read(features(in.toks))
		} else {
			in.features = newFeatureSet(features(in.toks))
		}
	}
	return in
}

// featureIndex returns c.featIdx while c has the models it numbers.
func (c *Classifier) featureIndex() *featureIndex {
	if x := c.featIdx; x != nil && c.catModel == probModel(x.cat) && c.areaModel == x.area {
		return x
	}
	return nil
}

func (c *Classifier) isOwn(addr string) bool {
	return c.domains.Own(addr)
}

// confidence turns the best and second-best score into 0..1: the best
// score's share, damped when the evidence is thin (scale: the score at
// which the damping is 1-1/e).
func confidence(best, second, scale float64) float64 {
	if best <= 0 {
		return 0
	}
	share := best / (best + math.Max(second, 0))
	return share * (1 - math.Exp(-best/scale))
}

// noPrefix turns off compound-modifier matching: category words are
// adjectives and verbs, where a prefix is mostly another word
// ("underbar" is not in "underbemannad").
func noPrefix(ws []weighted) []weighted {
	for i := range ws {
		ws[i].term.noPre = true
	}
	return ws
}
