package report

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exempelby/synpunkt/store"
)

// Trend is what the cases of one unit and month were about: the words and
// two-word phrases most of them use, each against the month before.
type Trend struct {
	Unit   string  `json:"unit"`
	Month  string  `json:"month"`
	Topics []Topic `json:"topics"`
}

// Topic is a word or phrase, how many cases used it, how many in the
// previous month, and the direction: "ny", "ökar", "minskar" or
// "oförändrad".
type Topic struct {
	Term      string `json:"term"`
	Cases     int    `json:"cases"`
	Previous  int    `json:"previous"`
	Direction string `json:"direction"`
}

// Topics per unit and month, and the fewest cases a topic must come from:
// a word only one case uses may be a name the redaction missed, so it is
// never shown.
const (
	TopicsPerMonth = 10
	MinTopicCases  = 2
)

// Trends lists the topics per unit and month of p. cases should reach
// back to the previous period, so the first month has a comparison.
func Trends(cases []store.ReportCase, p Period) []Trend {
	// counts[unit][month][term] = number of cases using term.
	counts := map[string]map[string]map[string]int{}
	for i := range cases {
		c := &cases[i]
		month := c.ReceivedAt.In(stockholm).Format("2006-01")
		if counts[c.Unit] == nil {
			counts[c.Unit] = map[string]map[string]int{}
		}
		if counts[c.Unit][month] == nil {
			counts[c.Unit][month] = map[string]int{}
		}
		for _, t := range Terms(c.Description) {
			counts[c.Unit][month][t]++
		}
	}
	units := slices.Sorted(maps.Keys(counts))
	var out []Trend
	for _, u := range units {
		for _, m := range p.Months() {
			prev := m.From.AddDate(0, -1, 0).Format("2006-01")
			topics := topTopics(counts[u][m.Label], counts[u][prev])
			if len(topics) > 0 {
				out = append(out, Trend{Unit: u, Month: m.Label, Topics: topics})
			}
		}
	}
	return out
}

// topTopics picks the most used terms of cur and marks each against prev.
func topTopics(cur, prev map[string]int) []Topic {
	var ts []Topic
	for term, n := range cur {
		if n < MinTopicCases {
			continue
		}
		ts = append(ts, Topic{Term: term, Cases: n, Previous: prev[term], Direction: direction(n, prev[term])})
	}
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].Cases != ts[j].Cases {
			return ts[i].Cases > ts[j].Cases
		}
		return ts[i].Term < ts[j].Term
	})
	if len(ts) > TopicsPerMonth {
		ts = ts[:TopicsPerMonth]
	}
	return ts
}

func direction(cur, prev int) string {
	switch {
	case prev == 0:
		return "ny"
	case cur > prev:
		return "ökar"
	case cur < prev:
		return "minskar"
	}
	return "oförändrad"
}

var placeholder = regexp.MustCompile(`\[[^\]]*\]`)

// Terms returns the distinct topic words and two-word phrases of a
// redacted description: runs of lower-case letters of at least four
// letters that are not common function words. Capitalised words inside a
// sentence (names, streets, places), anything with a digit or an @, and
// redaction placeholders such as "[telefon]" never count; the first word
// of a sentence counts in lower case when only its initial is capital and
// the next word is not capitalised too ("Anna Svensson" is a name).
func Terms(description string) []string {
	text := placeholder.ReplaceAllString(description, " . ")
	var words []string // "" marks a break between phrases
	start := true      // at the start of a sentence
	fields := strings.Fields(text)
	for i, f := range fields {
		w := strings.TrimFunc(f, func(r rune) bool { return unicode.IsPunct(r) })
		if start && !(i+1 < len(fields) && startsUpper(fields[i+1])) { // "Anna Svensson" stays a name
			w = lowerInitial(w)
		}
		start = strings.ContainsAny(f, ".!?")
		if !topicWord(w) {
			words = append(words, "")
			continue
		}
		words = append(words, w)
		if strings.ContainsAny(strings.TrimPrefix(f, w), ".!?,;") {
			words = append(words, "")
		}
	}
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for i, w := range words {
		if w == "" {
			continue
		}
		add(w)
		if i+1 < len(words) && words[i+1] != "" {
			add(w + " " + words[i+1])
		}
	}
	return out
}

// topicWord reports whether w may be a topic: four or more lower-case
// letters and no stop word.
func topicWord(w string) bool {
	if utf8.RuneCountInString(w) < 4 || stopWords[w] {
		return false
	}
	for _, r := range w {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// stopWords are Swedish function words too common to say what a case is
// about.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`alla allt andra annan annat att bara blev blir bort borde bra brukar dag dagar dags dessa detta eller efter eftersom ett fick finns från får gick gjort gäller göra hade han har hela helt hennes hans här hur inför inga ingen inget inte jag kan kanske kommer kunde kunna kvar lite man med mellan mer mig mina mitt mot mycket många måste nej något några någon när nästa också okej ska skall skulle som sedan sen själv sina sitt sådan sådana till tack tror under upp utan vara varför varit vart vad vara vem verkar vill vilket vilka våra vår väl även ännu åter över hej hälsningar vänliga mvh denna deras dem den det dock där därför då ens ert era fast fler flera fortfarande genom gång gånger igen ibland inne jätte just kommunen kommun också redan rätt sett själva snart tycker vet vilken väldigt ändå`) {
		m[w] = true
	}
	return m
}()

// lowerInitial lower-cases w when only its first letter is upper case
// ("Snöröjning" → "snöröjning"; "SVT" and "McDonald" stay).
func lowerInitial(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return w
	}
	for _, c := range w[n:] {
		if !unicode.IsLower(c) {
			return w
		}
	}
	return string(unicode.ToLower(r)) + w[n:]
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
