package pii

import "strings"

// sensitiveTerm is a subject that makes a case sensitive. Strong terms
// alone suffice; weak ones need a sign that an individual is concerned.
type sensitiveTerm struct {
	term   string // lower case, matched as a word prefix; upper case terms match case-sensitively as whole words
	reason string
	strong bool
}

var sensitiveTerms = []sensitiveTerm{
	{"LSS", "socialtjänst (LSS)", true},
	{"SoL", "socialtjänst (SoL)", true},
	{"LVU", "socialtjänst (LVU)", true},
	{"LVM", "socialtjänst (LVM)", true},
	{"HVB", "socialtjänst (HVB)", true},
	{"BBIC", "socialtjänst (BBIC)", true},
	{"NPF", "hälsa (diagnos)", true},
	{"ADHD", "hälsa (diagnos)", true},
	{"försörjningsstöd", "socialtjänst (försörjningsstöd)", true},
	{"ekonomiskt bistånd", "socialtjänst (ekonomiskt bistånd)", true},
	{"orosanmälan", "socialtjänst (orosanmälan)", true},
	{"orosanmäl", "socialtjänst (orosanmälan)", true},
	{"socialsekreterare", "socialtjänst", true},
	{"socialtjänst", "socialtjänst", false},
	{"socialen", "socialtjänst", true},
	{"barnavårdsutredning", "socialtjänst (utredning)", true},
	{"familjehem", "socialtjänst (placering)", true},
	{"placerad", "socialtjänst (placering)", false},
	{"missbruk", "socialtjänst (missbruk)", true},
	{"god man", "socialtjänst (god man)", true},
	{"personlig assistan", "socialtjänst (LSS)", true},
	{"personliga assistent", "socialtjänst (LSS)", true},
	{"boendestöd", "socialtjänst (boendestöd)", true},
	{"daglig verksamhet", "socialtjänst (LSS)", true},
	{"korttidsboende", "socialtjänst (LSS)", true},
	{"gruppboende", "socialtjänst (LSS)", true},
	{"hemtjänst", "äldreomsorg (hemtjänst)", false},
	{"äldreboende", "äldreomsorg (särskilt boende)", false},
	{"särskilt boende", "äldreomsorg (särskilt boende)", false},
	{"biståndshandläggare", "socialtjänst", true},
	{"våld i nära relation", "socialtjänst (våld)", true},
	{"skyddat boende", "socialtjänst (våld)", true},
	{"diagnos", "hälsa (diagnos)", true},
	{"autism", "hälsa (diagnos)", true},
	{"demens", "hälsa (diagnos)", true},
	{"depression", "hälsa", true},
	{"psykiatri", "hälsa (psykiatri)", true},
	{"psykisk ohälsa", "hälsa (psykiatri)", true},
	{"självmord", "hälsa (psykiatri)", true},
	{"cancer", "hälsa (diagnos)", true},
	{"vårdcentral", "hälsa (vård)", false},
	{"sjukhus", "hälsa (vård)", false},
	{"akuten", "hälsa (vård)", false},
	{"läkare", "hälsa (vård)", false},
	{"medicin", "hälsa (vård)", false},
	{"läkemedel", "hälsa (vård)", false},
	{"sjuksköterska", "hälsa (vård)", false},
	{"skolsköterska", "elevhälsa", true},
	{"elevhälsa", "elevhälsa", true},
	{"kurator", "elevhälsa", true},
	{"skolpsykolog", "elevhälsa", true},
	{"åtgärdsprogram", "elevhälsa (särskilt stöd)", true},
	{"särskilt stöd", "elevhälsa (särskilt stöd)", false},
	{"kränkande behandling", "skola (kränkning)", false},
	{"kränkt", "skola (kränkning)", false},
	{"mobba", "skola (kränkning)", false},
	{"mobbning", "skola (kränkning)", false},
	{"mobbad", "skola (kränkning)", false},
	{"frånvaro", "skola (elev)", false},
}

// individualMarkers show that a text concerns a particular person.
var individualMarkers = []string{"min ", "mitt ", "mina ", "jag ", "vår ", "vårt ", "våra ", "hans ", "hennes ", "sonen", "dottern", "min son", "min dotter", "mamma", "pappa", "barnet", "eleven", "brukaren", "vårdtagaren", "patienten"}

// schoolWords together with a person name make a named pupil.
var schoolWords = []string{"elev", "klass", "skola", "skolan", "förskola", "fritids", "mentor", "lärare", "rektor", "betyg"}

// Sensitive reports whether the text concerns an individual's health care,
// social services or a named pupil, and why. A sensitive case's description
// is withheld from public listings and the case is flagged for a secrecy
// (sekretess) review. The reasons name categories only, never text.
func (r *Redactor) Sensitive(text string) (bool, []string) {
	low := lowerSameLen(text)
	individual := containsAny(low, individualMarkers)
	var reasons []string
	addReason := func(s string) {
		for _, x := range reasons {
			if x == s {
				return
			}
		}
		reasons = append(reasons, s)
	}
	for _, st := range sensitiveTerms {
		if !termIn(text, low, st.term) {
			continue
		}
		if st.strong || individual {
			addReason(st.reason)
		}
	}
	if containsAny(low, schoolWords) && r.hasPersonName(text) {
		addReason("skola (namngiven elev)")
	}
	return len(reasons) > 0, reasons
}

// childRelations are the context words that name a child or pupil.
var childRelations = map[string]bool{"son": true, "sonen": true, "dotter": true, "dottern": true, "barnet": true, "barnbarn": true, "barnbarnet": true, "elev": true, "eleven": true, "klasskamrat": true, "klasskompis": true, "pojken": true, "flickan": true, "tjejen": true, "killen": true, "kompis": true, "bror": true, "syster": true, "som heter": true, "son heter": true, "dotter heter": true, "sonen heter": true, "dottern heter": true, "barnet heter": true, "my son": true, "my daughter": true, "son till": true, "dotter till": true}

// hasPersonName reports whether the text names a child or pupil.
func (r *Redactor) hasPersonName(text string) bool {
	for _, f := range r.Find(text, Options{}) {
		if f.Type == Namn && f.Trace.Pattern == "name/relation" && childRelations[f.Trace.Context] || f.Trace.Pattern == "name/intro" && childRelations[f.Trace.Context] {
			return true
		}
	}
	return false
}

// termIn matches an upper-case acronym case-sensitively as a whole word,
// and any other term as a lower-case word prefix.
func termIn(text, low, term string) bool {
	hay, needle := low, term
	whole := strings.ToLower(term) != term
	if whole {
		hay = text
	}
	for k := 0; k < len(hay); {
		p := strings.Index(hay[k:], needle)
		if p < 0 {
			return false
		}
		p += k
		k = p + 1
		if wordBefore(hay, p) || (whole && wordAfter(hay, p+len(needle))) {
			continue
		}
		return true
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
