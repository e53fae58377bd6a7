package mimeparse

import (
	"os"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"
)

// The regexps nonDelivery matched with before it matched phrases by hand,
// kept as the reference its answers must equal.
var refNDNSubjectRE = regexp.MustCompile(`(?i)^\s*(undelivered mail returned to sender|returned mail\b|undeliverable\b|undelivered mail\b|unzustellbar\b|olevererbart\b|olevererbar\b|ej levererat\b|mail delivery failed|mail failed|delivery status notification|delivery failure|failure notice|non[- ]?deliver(y|able)|mail system error|delivery has failed|message delivery failure|nicht zustellbar|warning: could not send message|delivery notification|returned mail|rejected mail|mail could not be delivered|message not delivered|could not send message|unable to deliver|notificación de estado|non remis)`)
var refNDNBodyRE = regexp.MustCompile(`(?i)(this is the mail system at host|this is the postfix program at host|the original message was received at|the following addresses had permanent fatal errors|transcript of session follows|this message was created automatically by mail delivery software|a message that you sent could not be delivered|this is the qmail-send program at|i'm afraid i wasn't able to deliver your message|delivery has failed to these recipients or groups|your message (couldn't|could not|wasn't|was not) (be )?delivered|the following recipient\(s\) cannot be reached|delivery to the following recipients? failed|this is an automatically generated delivery status notification|could not be delivered to|your message did not reach some or all of the intended recipients|message could not be delivered|unable to deliver (your )?message|permanent error|det gick inte att leverera|leveransen misslyckades|ihre nachricht konnte nicht zugestellt werden|diese nachricht wurde automatisch von einem e-mail-server erstellt|mail delivery (failed|subsystem|system)|delivery status notification|undeliverable message|returned mail|message you sent was undeliverable|failed to deliver|failed addresses follow|5\.[0-9]\.[0-9]+ )`)

// refNonDelivery is nonDelivery as the regexps answered it.
func refNonDelivery(subject, text string) bool {
	return refNDNSubjectRE.MatchString(subject) || refNDNBodyRE.MatchString(text[:min(len(text), 4<<10)])
}

// sameAsRef fails the test when nonDelivery and refNonDelivery disagree,
// and returns the answer.
func sameAsRef(t testing.TB, subject, text string) bool {
	t.Helper()
	got, want := nonDelivery(subject, text), refNonDelivery(subject, text)
	if got != want {
		t.Fatalf("nonDelivery(%q, %q) = %v, the regexps say %v", trimQ(subject), trimQ(text), got, want)
	}
	return got
}

// trimQ shortens a long input for a failure message: its head and tail.
func trimQ(s string) string {
	if len(s) <= 200 {
		return s
	}
	return s[:80] + " … " + s[len(s)-80:]
}

// refPhrases expands a reference regexp into strings it matches: every
// alternative, with optional parts left out and put in, a class by the
// ends of its ranges, a repetition once and twice.
func refPhrases(t testing.TB, re *regexp.Regexp) []string {
	t.Helper()
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	var expand func(re *syntax.Regexp) []string
	product := func(a, b []string) []string {
		var out []string
		for _, x := range a {
			for _, y := range b {
				out = append(out, x+y)
			}
		}
		return out
	}
	expand = func(re *syntax.Regexp) []string {
		switch re.Op {
		case syntax.OpLiteral:
			return []string{string(re.Rune)}
		case syntax.OpEmptyMatch, syntax.OpBeginText, syntax.OpWordBoundary:
			return []string{""}
		case syntax.OpCapture:
			return expand(re.Sub[0])
		case syntax.OpQuest, syntax.OpStar:
			return append([]string{""}, expand(re.Sub[0])...)
		case syntax.OpPlus:
			one := expand(re.Sub[0])
			return append(one, product(one, one)...)
		case syntax.OpCharClass:
			var out []string
			for i := 0; i < len(re.Rune); i += 2 {
				out = append(out, string(re.Rune[i]))
				if re.Rune[i+1] != re.Rune[i] {
					out = append(out, string(re.Rune[i+1]))
				}
			}
			return out
		case syntax.OpConcat:
			out := []string{""}
			for _, sub := range re.Sub {
				out = product(out, expand(sub))
			}
			return out
		case syntax.OpAlternate:
			var out []string
			for _, sub := range re.Sub {
				out = append(out, expand(sub)...)
			}
			return out
		}
		t.Fatalf("refPhrases: unexpected %v in %s", re.Op, re)
		return nil
	}
	return expand(tree)
}

// caseVariants are a phrase in the spellings a case-insensitive match must
// take or refuse: upper case, alternating case, the Kelvin sign and long s
// for k and s (which (?i) folds to them), and the dotted capital İ for i
// (which it does not, though strings.ToLower makes it an i).
func caseVariants(p string) []string {
	alt := []rune(p)
	for i := range alt {
		if i%2 == 0 {
			alt[i] = unicode.ToUpper(alt[i])
		}
	}
	return []string{
		p,
		strings.ToUpper(p),
		string(alt),
		strings.NewReplacer("k", "\u212A", "s", "\u017F").Replace(p),
		strings.NewReplacer("K", "\u212A", "S", "\u017F").Replace(strings.ToUpper(p)),
		strings.ReplaceAll(p, "i", "\u0130"),
	}
}

// Every phrase of both regexps, in every case variant, as a subject and in
// the text: at the start of the 4 KiB window, ending at its end, cut by it,
// just past it, and before and after other characters.
func TestNonDeliveryPhrasesAsRegexps(t *testing.T) {
	subjects := refPhrases(t, refNDNSubjectRE)
	bodies := refPhrases(t, refNDNBodyRE)
	if len(subjects) < 30 || len(bodies) < 40 {
		t.Fatalf("%d subject and %d text phrases expanded, want all alternatives", len(subjects), len(bodies))
	}
	fill := strings.Repeat("Hej kommunen, ", 400) // 5,600 bytes that match nothing
	var matched, refused int
	for j, p := range append(subjects, bodies...) {
		for i, v := range caseVariants(p) {
			for _, subject := range []string{v, " \t" + v, v + " x", v + "x", v + "_", v + "1", v + ":", v + "ä", v + "\u212A", v + "\xff", "Re: " + v} {
				if sameAsRef(t, subject, "") {
					matched++
				} else {
					refused++
				}
			}
			texts := []string{v, "x" + v + " y"}
			if j >= len(subjects) { // the window's ends matter to the text phrases
				end := fill[:4<<10-len(v)] + v
				texts = append(texts, v+fill, fill[:100]+v+fill, end, end[1:]+"x", end[:4<<10-1]+fill, fill[:4<<10-len(v)+1]+v, fill+v)
			}
			for _, text := range texts {
				if sameAsRef(t, "", text) {
					matched++
				} else {
					refused++
				}
			}
			if i < 5 && !refNonDelivery(v, v) {
				// Every variant but the dotted İ matches.
				t.Errorf("the reference does not match its own phrase %q", v)
			}
		}
	}
	t.Logf("%d inputs matched, %d refused, all as the regexps answer", matched, refused)
	if matched == 0 || refused == 0 {
		t.Error("the comparison proves little: every input had the same answer")
	}
}

// On every message of the corpus nonDelivery answers as the regexps did:
// for its subject and text, and for each of its raw lines as a subject
// and its raw bytes as a text.
func TestNonDeliveryCorpusAsRegexps(t *testing.T) {
	dir := corpusDir(t)
	var matched, refused int
	for _, path := range corpusFiles(t, dir) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inputs := [][2]string{{"", string(raw)}}
		if m, err := Parse(raw); err == nil {
			inputs = append(inputs, [2]string{m.Subject, m.Text})
		}
		for _, line := range strings.Split(string(raw[:min(len(raw), 64<<10)]), "\n") {
			inputs = append(inputs, [2]string{line, ""})
		}
		for _, in := range inputs {
			if sameAsRef(t, in[0], in[1]) {
				matched++
			} else {
				refused++
			}
		}
	}
	t.Logf("%d inputs matched, %d refused, all as the regexps answer", matched, refused)
	if matched < 10 || refused == 0 {
		t.Error("the comparison proves little: too few inputs matched, or none was refused")
	}
}

func FuzzNonDelivery(f *testing.F) {
	for _, p := range append(refPhrases(f, refNDNSubjectRE), refPhrases(f, refNDNBodyRE)...) {
		f.Add(strings.ToUpper(p), "Hej. "+p)
	}
	f.Add("Olevererbart: Hej", "Det gick inte att leverera")
	f.Add("Undeliverable\u212A", "Status: 5.1.1 \u017Fmtp; 550")
	f.Fuzz(func(t *testing.T, subject, text string) {
		sameAsRef(t, subject, text)
	})
}
