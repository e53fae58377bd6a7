package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exempelby/synpunkt"
)

// MaxDescription is the longest case description in runes.
const MaxDescription = 120

// NoSubject is the description used when neither subject nor body gives one.
const NoSubject = "Synpunkt utan ämnesrad"

// replyPrefixes are stripped from the start of a subject, lower case.
var replyPrefixes = []string{"re:", "sv:", "vs:", "vb:", "fw:", "fwd:", "vidarebefordrat:", "aw:", "antw:"}

// genericSubjects say nothing about the matter; the body is used instead.
var genericSubjects = map[string]bool{"synpunkt": true, "synpunkter": true, "klagomål": true, "fråga": true, "förslag": true, "beröm": true, "hej": true, "hej!": true, "(inget ämne)": true, "inget ämne": true, "no subject": true, "kontakt": true, "meddelande": true, "felanmälan": true, "synpunkt från webbformulär": true, "formulär": true, "e-tjänst": true}

// Describe builds the case description from the subject, or from the first
// sentence of the body when the subject is empty or generic. The text is
// redacted before it is cut, so truncation can never expose part of a
// finding. The result is at most MaxDescription runes and never empty.
// Being metadata, it loses anything shaped like a personnummer
// (Options.Metadata), valid or not.
func (r *Redactor) Describe(subject, body string, opt Options) string {
	opt.Metadata = true // the description is metadata
	subj := stripReplyPrefixes(collapseSpace(subject))
	if subj != "" && !genericSubjects[strings.ToLower(subj)] {
		red, _ := r.Redact(subj, opt)
		if d := truncate(collapseSpace(red)); hasWords(d) {
			return d
		}
	}
	red, _ := r.Redact(body, opt)
	if d := truncate(firstSentence(red)); hasWords(d) {
		return d
	}
	return NoSubject
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

// firstSentence returns the first sentence of the body that is not a
// greeting, a quoted line or a form label.
func firstSentence(body string) string {
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '>' || isGreetingLine(line) {
			continue
		}
		line = collapseSpace(line)
		if k := sentenceEnd(line); k > 0 {
			return line[:k]
		}
		return line
	}
	return ""
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

// truncate cuts s to MaxDescription runes at a word boundary, adding "…".
func truncate(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= MaxDescription {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == MaxDescription-1 {
			cut = i
			break
		}
		n++
	}
	s = s[:cut]
	if k := strings.LastIndexByte(s, ' '); k > MaxDescription/2 {
		s = s[:k]
	}
	return strings.TrimRight(s, " ,;:-") + "…"
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
