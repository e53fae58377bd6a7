package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exempelby/synpunkt"
)

// MaxDescription is the longest case description (ärendemening) in runes.
const MaxDescription = 80

// NoSubject is the description used when neither subject nor body gives one.
const NoSubject = "Synpunkt utan ämnesrad"

// replyPrefixes are stripped from the start of a subject, lower case.
var replyPrefixes = []string{"re:", "sv:", "vs:", "vb:", "fw:", "fwd:", "vidarebefordrat:", "aw:", "antw:"}

// genericSubjects say nothing about the matter; the body is used instead.
// Compared lower case, without trailing punctuation.
var genericSubjects = map[string]bool{"synpunkt": true, "synpunkter": true, "min synpunkt": true, "en synpunkt": true, "ny synpunkt": true,
	"klagomål": true, "fråga": true, "frågor": true, "en fråga": true, "förslag": true, "beröm": true, "felanmälan": true,
	"hej": true, "hejsan": true, "hallå": true, "tjena": true, "(inget ämne)": true, "inget ämne": true, "no subject": true, "(no subject)": true,
	"kontakt": true, "meddelande": true, "ärende": true, "angående": true, "till kommunen": true, "kommunen": true, "info": true,
	"information": true, "tips": true, "viktigt": true, "hjälp": true, "help": true, "question": true, "complaint": true,
	"feedback": true, "suggestion": true, "hello": true, "hi": true, "synpunkt från webbformulär": true, "formulär": true,
	"e-tjänst": true, "synpunkt via e-tjänst": true, "ny synpunkt via e-tjänst": true, "synpunkt från e-tjänsten": true,
	"ny synpunkt från e-tjänsten": true, "synpunkter och klagomål": true, "lämna synpunkt": true, "webbformulär": true}

// Describe builds the case description (ärendemening, routine 001 §2.1):
// one line of at most MaxDescription runes saying what the matter is,
// without personal data. The subject is used when it describes the
// matter; when it is missing or generic ("Synpunkt via e-tjänst", "Hej",
// "Fråga") the first sentence of the body that carries the matter, its
// opening phrases ("Hej!", "Jag vill bara säga att") dropped. The text is
// redacted before it is cut, so truncation never exposes part of a
// finding; a street address keeps its street name ("Skolgatan") and loses
// its number, which with the street points at a household. Never empty.
// Being metadata, it loses anything shaped like a personnummer
// (Options.Metadata), valid or not.
func (r *Redactor) Describe(subject, body string, opt Options) string {
	opt.Metadata = true // the description is metadata
	subj := stripReplyPrefixes(collapseSpace(subject))
	var s string
	if subj != "" && !isGenericSubject(subj) {
		s = strings.TrimRight(r.redactStreets(subj, opt), ".!: ")
	}
	if !hasWords(s) || terse(s) {
		s = join(s, matter(r.redactStreets(body, opt)))
	}
	if d := shorten(s); hasWords(d) {
		return d
	}
	return NoSubject
}

// terse reports whether a subject names a topic but hardly the matter
// ("Hissen", "Läxor"): fewer than four words and 30 runes.
func terse(s string) bool {
	return len(strings.Fields(s)) < 4 && utf8.RuneCountInString(s) < 30
}

// join puts a terse subject before the body's matter, unless the matter
// already holds every word of it: "Hissen" + "Hissen på Björkhagen är
// trasig" is the latter alone, "Mat" + "Elevrådet önskar …" is
// "Mat – Elevrådet önskar …".
func join(subj, matter string) string {
	switch {
	case !hasWords(matter):
		return subj
	case !hasWords(subj):
		return matter
	}
	low := strings.ToLower(matter)
	for _, w := range strings.Fields(strings.ToLower(subj)) {
		if w = strings.Trim(w, ",.!?:;()"); len(w) > 2 && !strings.Contains(low, prefixRunes(w, max(3, utf8.RuneCountInString(w)-2))) {
			return subj + " – " + matter
		}
	}
	return matter
}

// isGenericSubject reports whether a subject names no matter.
func isGenericSubject(s string) bool {
	low := strings.ToLower(strings.TrimRight(s, "!?.:;, "))
	return genericSubjects[low] || !hasWords(low)
}

// redactStreets redacts like Redact, except that an address found keeps
// its leading street name when it has one: "Skolgatan 14" → "Skolgatan".
func (r *Redactor) redactStreets(text string, opt Options) string {
	fs := r.Find(text, opt)
	var b strings.Builder
	last := 0
	for _, f := range fs {
		b.WriteString(text[last:f.Start])
		if street := streetName(text[f.Start:f.End]); f.Type == Adress && street != "" {
			b.WriteString(street)
		} else {
			b.WriteString(f.Type.Placeholder())
		}
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// streetName returns the words of an address before its first digit when
// they end in a street suffix, else "".
func streetName(addr string) string {
	i := strings.IndexFunc(addr, unicode.IsDigit)
	if i <= 0 {
		return ""
	}
	name := strings.TrimSpace(addr[:i])
	low := strings.ToLower(name)
	for _, suf := range streetSuffixes {
		if strings.HasSuffix(low, suf) && len(strings.Fields(name)) <= 3 {
			return name
		}
	}
	return ""
}

// openers are phrases that start a sentence without saying anything
// about the matter; matter drops them, lower case.
var openers = []string{"hej!", "hej,", "hej", "hejsan!", "hejsan", "hallå!", "hallå", "hi,", "hi!", "hello,", "hello!",
	"jag vill bara säga att", "ville bara säga att", "jag vill bara tipsa om att", "jag vill tipsa om att", "jag vill påpeka att",
	"jag vill informera om att", "jag skriver för att", "jag skriver eftersom", "jag vill meddela att", "vill bara meddela att",
	"jag vill lämna en synpunkt om", "jag vill lämna en synpunkt på", "jag har en synpunkt på", "jag har en fråga om", "en fråga:",
	"synpunkt:", "förslag:", "fråga:", "klagomål:", "felanmälan:", "i just wanted to say that", "i want to report that", "i would like to report that"}

// matter returns the first sentence of the body that is not a greeting,
// a quoted line, a form label or a thank-you, with its openers dropped.
func matter(body string) string {
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '>' || isGreetingLine(line) {
			continue
		}
		for _, sent := range splitSentences(collapseSpace(line)) {
			if s := dropOpeners(sent); hasWords(s) && !isPleasantry(s) {
				return s
			}
		}
	}
	return ""
}

// splitSentences splits s after ". ", "! " and "? ".
func splitSentences(s string) []string {
	var out []string
	for {
		k := sentenceEnd(s)
		if k < 0 {
			return append(out, s)
		}
		out = append(out, s[:k])
		s = strings.TrimSpace(s[k:])
	}
}

func dropOpeners(s string) string {
	for changed := true; changed; {
		changed = false
		low := strings.ToLower(s)
		for _, o := range openers {
			if strings.HasPrefix(low, o) && (len(low) == len(o) || !unicode.IsLetter(rune(low[len(o)]))) {
				s, changed = strings.TrimSpace(s[len(o):]), true
				break
			}
		}
	}
	return capitalize(s)
}

// isPleasantry reports whether a sentence only thanks or greets.
func isPleasantry(s string) bool {
	low := strings.ToLower(strings.TrimRight(s, "!. "))
	switch low {
	case "tack", "tack på förhand", "tack för hjälpen", "mvh", "hälsningar", "thanks", "thank you":
		return true
	}
	return utf8.RuneCountInString(low) < 4
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func stripReplyPrefixes(s string) string {
	for {
		low := strings.ToLower(s)
		cut := false
		for _, p := range replyPrefixes {
			if strings.HasPrefix(low, p) {
				s, cut = strings.TrimSpace(s[len(p):]), true
				break
			}
		}
		if !cut {
			return s
		}
	}
}

func isGreetingLine(line string) bool {
	low := strings.ToLower(strings.TrimRight(line, "!,. "))
	for _, g := range []string{"hej", "hejsan", "hallå", "god morgon", "goddag", "hi", "hello", "dear", "till"} {
		if low == g || strings.HasPrefix(low, g+" ") && utf8.RuneCountInString(low) < 30 && !strings.ContainsAny(low, ".?") {
			return true
		}
	}
	return false
}

// sentenceEnd returns the index just after the first ". ", "! " or "? ".
func sentenceEnd(s string) int {
	for k := 0; k+1 < len(s); k++ {
		if (s[k] == '.' || s[k] == '!' || s[k] == '?') && s[k+1] == ' ' {
			return k + 1
		}
	}
	return -1
}

// shorten makes s one line of at most MaxDescription runes: cut at the
// last clause boundary (", ", " – ", " och ", " men ") that leaves at
// least half, else at a word, with "…"; a final full stop is dropped.
func shorten(s string) string {
	s = strings.TrimRight(collapseSpace(s), ". ")
	if utf8.RuneCountInString(s) <= MaxDescription {
		return s
	}
	head := prefixRunes(s, MaxDescription-1)
	for _, sep := range []string{", ", " – ", " - ", "; ", " och ", " men ", " som ", " eftersom "} {
		if k := strings.LastIndex(head, sep); k >= len(head)/2 {
			return strings.TrimRight(head[:k], " ,;:-–") + "…"
		}
	}
	if k := strings.LastIndexByte(head, ' '); k > len(head)/2 {
		head = head[:k]
	}
	return strings.TrimRight(head, " ,;:-–") + "…"
}

// prefixRunes returns the first n runes of s.
func prefixRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// hasWords reports whether s has a letter outside placeholders.
func hasWords(s string) bool {
	depth := 0
	for _, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0 && unicode.IsLetter(r):
			return true
		}
	}
	return false
}

// anonymousPhrases are how writers ask to stay anonymous, lower case.
var anonymousPhrases = []string{"vara anonym", "vill förbli anonym", "önskar vara anonym", "önskar förbli anonym", "är anonym", "skriver anonymt", "lämnar anonymt", "anonymt", "vill inte uppge mitt namn", "vill inte lämna mitt namn", "utan att uppge namn", "wish to remain anonymous", "want to stay anonymous"}

// severalPhrases show that several private persons sign, lower case.
var severalPhrases = []string{"vi boende", "vi grannar", "vi föräldrar", "vi vårdnadshavare", "vi i kvarteret", "vi på gatan", "vi som har barn", "vi pensionärer", "vi undertecknade", "undertecknade boende", "boende på ", "boende i ", "grannarna på", "namnlista", "namninsamling", "familjen ", "föräldrar i klass", "föräldrar till barn", "oroliga föräldrar", "berörda grannar"}

// orgPhrases show a company or association signature, lower case.
var orgPhrases = []string{" ab\n", " ab,", " ab.", " ab ", "aktiebolag", "bostadsrättsförening", "brf ", "föreningen", "förening", "styrelsen", "org.nr", "orgnr", "org nr", "organisationsnummer", "företaget", "vårt företag", "ekonomisk förening", "stiftelsen", " hb\n", " kb\n", "idrottsklubb", " if\n", " ik\n"}

// InitiatedBy infers the role that initiated a case from the message; it
// never returns a name. In order: Anonym when the form said so or the
// writer asks to be anonymous; Organisation for a company or association
// signature or an organisation number; Flera privatpersoner when several
// people sign ("vi boende på …", "Anna och Per"); Anonym when there is no
// name and no contact details at all; otherwise Privatperson.
func (r *Redactor) InitiatedBy(body string, from synpunkt.Address, formAnonymous bool) synpunkt.Role {
	low := lowerSameLen(body)
	if formAnonymous || containsAny(low, anonymousPhrases) {
		return synpunkt.RoleAnonym
	}
	sig := signature(low)
	if containsAny(sig, orgPhrases) || hasOrgWord(body[max(0, len(body)-len(sig)-1):]) || hasOrgNumber(body) {
		return synpunkt.RoleOrganisation
	}
	if containsAny(low, severalPhrases) || r.severalSigners(body) {
		return synpunkt.RoleFlera
	}
	if !realAddress(from.Addr) && !r.hasContact(body, from) {
		return synpunkt.RoleAnonym
	}
	return synpunkt.RolePrivatperson
}

// signature returns the last lines of the lower-cased body, where
// signatures are.
func signature(low string) string {
	low = strings.TrimRight(low, " \n\r\t")
	k := len(low)
	for n := 0; n < 6 && k > 0; n++ {
		k = strings.LastIndexByte(low[:k], '\n')
		if k < 0 {
			k = 0
		}
	}
	return low[k:] + "\n"
}

// orgWords are upper-case company and club abbreviations.
var orgWords = map[string]bool{"AB": true, "HB": true, "KB": true, "BRF": true, "Brf": true, "HSB": true, "IK": true, "IF": true, "IFK": true, "BK": true, "FF": true, "SK": true}

// hasOrgWord reports whether t holds a company or club abbreviation as a
// whole word.
func hasOrgWord(t string) bool {
	for _, w := range strings.FieldsFunc(t, notLetter) {
		if orgWords[w] {
			return true
		}
	}
	return false
}

// hasOrgNumber finds an organisation number NNNNNN-NNNN whose third digit is
// 2 or more (so it is not a date of birth) and whose Luhn check holds.
func hasOrgNumber(t string) bool {
	for i := 0; i+11 <= len(t); i++ {
		if wordBefore(t, i) || digitRun(t, i) != 6 || t[i+6] != '-' || digitRun(t, i+7) != 4 || wordAfter(t, i+11) {
			continue
		}
		if t[i+2] >= '2' && luhn(t[i:i+6]+t[i+7:i+11]) {
			return true
		}
	}
	return false
}

// realAddress reports whether a From address can reach a person, i.e. is
// present and not a no-reply or form robot.
func realAddress(addr string) bool {
	if addr == "" || !strings.Contains(addr, "@") {
		return false
	}
	local := strings.ToLower(addr[:strings.IndexByte(addr, '@')])
	for _, robot := range []string{"noreply", "no-reply", "donotreply", "do-not-reply", "formular", "formulär", "webform", "e-tjanst", "etjanst", "mailer-daemon", "www"} {
		if strings.Contains(local, robot) {
			return false
		}
	}
	return true
}

// hasContact reports whether the body or display name gives a name, phone
// number or e-mail address.
func (r *Redactor) hasContact(body string, from synpunkt.Address) bool {
	if strings.TrimSpace(from.Name) != "" && !orgish(lowerSameLen(from.Name)) {
		return true
	}
	for _, f := range r.Find(body, Options{}) {
		switch f.Type {
		case Namn, Telefon, Epost:
			return true
		}
	}
	return false
}

// severalSigners reports whether the sign-off names more than one person:
// names joined by "och"/"&" ("Anna och Per Svensson") or full names on
// separate lines.
func (r *Redactor) severalSigners(body string) bool {
	low := lowerSameLen(body)
	sigStart := len(body) - len(signature(low)) + 1
	prev := -1
	for _, f := range r.Find(body, Options{}) {
		if f.Type != Namn || f.Start < max(0, sigStart) {
			continue
		}
		if prev >= 0 {
			gap := strings.TrimSpace(low[prev:f.Start])
			full := strings.Contains(body[f.Start:f.End], " ")
			if gap == "och" || gap == "&" || gap == "and" || gap == "" && full && strings.Contains(body[prev:f.Start], "\n") {
				return true
			}
		}
		prev = f.End
	}
	return false
}
