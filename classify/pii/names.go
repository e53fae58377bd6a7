package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// triggerKind says what a context phrase is and what may stand between it
// and the name that follows.
type triggerKind int

const (
	kSignoff  triggerKind = iota // "Mvh", "Med vänliga hälsningar": name may be on the next line
	kGreeting                    // "Hej", "Dear"
	kIntro                       // "Jag heter", "mitt namn är"
	kRelation                    // "min granne", "sonen", "rektor"
	kLabel                       // "Namn:", "Från:" at the start of a line
)

var kindPattern = [...]string{kSignoff: "name/signoff", kGreeting: "name/greeting", kIntro: "name/intro", kRelation: "name/relation", kLabel: "name/label"}

type trigger struct {
	words []string // lower case
	kind  triggerKind
}

// triggers maps the first word of each context phrase to its phrases,
// longest first.
var triggers = buildTriggers(map[triggerKind][]string{
	kSignoff: {"mvh", "m v h", "vh", "mvg", "med vänlig hälsning", "med vänliga hälsningar", "med vänliga hälsningar från",
		"vänliga hälsningar", "vänlig hälsning", "bästa hälsningar", "hälsningar", "hälsning", "hälsar", "varma hälsningar",
		"många hälsningar", "tack på förhand", "tack", "tackar", "kram", "allt gott", "best regards", "kind regards",
		"regards", "sincerely", "cheers", "thanks", "thank you", "yours sincerely", "ha det bra", "hörs"},
	kGreeting: {"hej", "hejsan", "hallå", "hi", "hello", "dear", "god morgon", "goddag", "bästa", "tjena"},
	kIntro: {"jag heter", "mitt namn är", "my name is", "undertecknad", "undertecknade", "han heter", "hon heter", "hen heter",
		"som heter", "son heter", "dotter heter", "sonen heter", "dottern heter", "barnet heter", "grannen heter", "ägaren heter",
		"läraren heter", "hon kallas", "han kallas"},
	kRelation: {"granne", "grannen", "grannarna", "son", "sonen", "dotter", "dottern", "barnet", "barnbarn", "barnbarnet",
		"mamma", "mamman", "pappa", "pappan", "mor", "far", "mormor", "morfar", "farmor", "farfar", "min fru", "frun", "min man",
		"maken", "makan", "make", "maka", "sambo", "sambon", "bror", "brodern", "brorsan", "syster", "systern", "kusin",
		"kompis", "vän", "vännen", "kollega", "kollegan", "elev", "eleven", "klasskamrat", "klasskompis", "lärare", "läraren",
		"lärarinnan", "fröken", "mentor", "mentorn", "rektor", "rektorn", "förskollärare", "förskolläraren", "pedagog",
		"pedagogen", "assistent", "assistenten", "handläggare", "handläggaren", "socialsekreterare", "socialsekreteraren",
		"chef", "chefen", "enhetschef", "enhetschefen", "undersköterska", "undersköterskan", "sjuksköterska",
		"sjuksköterskan", "vaktmästare", "vaktmästaren", "chaufför", "chauffören", "busschauffören", "hyresvärden",
		"ägaren", "hyresgästen", "familjen", "familj", "herr", "fru", "dr", "doktor", "doktorn", "kontaktperson",
		"kontaktpersonen", "pojken", "flickan", "tjejen", "killen", "svärmor", "svärfar", "morbror", "farbror", "moster",
		"faster", "tant", "tränare", "tränaren", "ledaren", "dagmamma", "brukaren", "vårdtagaren", "hemtjänstpersonalen",
		"my neighbour", "my son", "my daughter", "neighbour", "mr", "mrs", "ms", "miss", "son till", "dotter till",
		"personen", "mannen", "kvinnan", "killen som heter", "tjejen som heter", "c o"},
	kLabel: {"namn", "name", "förnamn", "efternamn", "för- och efternamn", "kontaktperson", "avsändare", "från", "from",
		"till", "to", "kopia", "cc", "skickat av", "inskickad av", "inskickat av", "vårdnadshavare", "elevens namn",
		"barnets namn", "sökande", "anmälare", "ditt namn", "uppgiftslämnare", "skickad av", "sent by", "handläggare"},
})

// maxTriggerWord is the longest token, in bytes, looked up in triggers.
const maxTriggerWord = 31

// triggerStarts and triggerEnds have bit n set at b when a trigger word
// of n bytes starts, or ends, with the byte b: a cheap filter before the
// map lookup.
var triggerStarts, triggerEnds = func() (starts, ends [256]uint32) {
	for w := range triggers {
		if len(w) <= maxTriggerWord {
			starts[w[0]] |= 1 << len(w)
			ends[w[len(w)-1]] |= 1 << len(w)
		}
	}
	return starts, ends
}()

func buildTriggers(m map[triggerKind][]string) map[string][]trigger {
	out := make(map[string][]trigger)
	// Kinds in a fixed order, so a phrase listed under two kinds always
	// gets the same trace.
	for kind := kSignoff; kind <= kLabel; kind++ {
		for _, p := range m[kind] {
			w := strings.FieldsFunc(p, notLetter)
			out[w[0]] = append(out[w[0]], trigger{words: w, kind: kind})
		}
	}
	for k, ts := range out {
		for a := range ts {
			for b := a + 1; b < len(ts); b++ {
				if len(ts[b].words) > len(ts[a].words) {
					ts[a], ts[b] = ts[b], ts[a]
				}
			}
		}
		out[k] = ts
	}
	return out
}

// orgSuffixes end words that name organisations, units or buildings.
var orgSuffixes = []string{"enheten", "förvaltningen", "kontoret", "nämnden", "avdelningen", "kommun", "kommunen", "föreningen", "förening", "skolan", "förskolan", "centralen", "bolaget", "gruppen", "teamet", "huset", "service", "center", "centret", "klubb", "klubben", "boendet", "biblioteket", "hallen", "parken", "gatan", "vägen", "torget", "kyrkan", "stiftelsen", "ab"}

// orgSuffixEnds marks the last bytes of orgSuffixes.
var orgSuffixEnds = func() (m [256]bool) {
	for _, suf := range orgSuffixes {
		m[suf[len(suf)-1]] = true
	}
	return m
}()

func orgish(lw string) bool {
	if lw == "" || !orgSuffixEnds[lw[len(lw)-1]] {
		return lw == "ab" || lw == "brf" || lw == "hb" || lw == "kb"
	}
	for _, suf := range orgSuffixes {
		if strings.HasSuffix(lw, suf) && len(lw) > len(suf)+1 {
			return true
		}
	}
	return lw == "ab" || lw == "brf" || lw == "hb" || lw == "kb"
}

// words runs the word-based detectors: streets, names after context words,
// names from the lists and the caller's known names, and form labels.
func (s *scan) words() {
	bufs := wordBufPool.Get().(*wordBufs)
	defer wordBufPool.Put(bufs)
	bufs.toks = tokenize(bufs.toks[:0], s.text)
	bufs.taken = append(bufs.taken[:0], make([]bool, len(bufs.toks))...)
	toks, taken := bufs.toks, bufs.taken
	for k := 0; k < len(toks); k++ {
		s.street(toks, k)
		s.labelAddress(toks, k)
		if e := s.triggerAt(toks, k, taken); e > k {
			k = e - 1
		}
	}
	for k := 0; k < len(toks); k++ {
		if !taken[k] {
			s.standalone(toks, k, taken)
		}
	}
}

// triggerAt matches a context phrase at token k and captures the name after
// it. It returns the index after the captured name, or k.
func (s *scan) triggerAt(toks []token, k int, taken []bool) int {
	tk := toks[k]
	lw := s.lower[tk.start:tk.end]
	if tk.cap && tk.start > 0 && s.text[tk.start-1] == '/' && (tk.start == 1 || strings.IndexByte(" \t\n", s.text[tk.start-2]) >= 0) {
		return s.capture(toks, k, taken, kSignoff, "/") // "Hälsningar /Kim"
	}
	if len(lw) > maxTriggerWord || triggerStarts[lw[0]]&triggerEnds[lw[len(lw)-1]]&(1<<len(lw)) == 0 {
		return k
	}
	for _, tr := range triggers[lw] {
		n := len(tr.words)
		if k+n > len(toks) || !s.phraseAt(toks, k, tr.words) {
			continue
		}
		last := toks[k+n-1]
		if k+n >= len(toks) {
			return k
		}
		next := toks[k+n]
		if !s.gapOK(tr.kind, toks[k], last.end, next.start) {
			continue
		}
		ctx := strings.Join(tr.words, " ")
		mark := len(s.found)
		if e := s.capture(toks, k+n, taken, tr.kind, ctx); e > k+n {
			if ctx == "c o" {
				s.careOf(tk.start, mark)
			}
			return e
		}
		return k
	}
	return k
}

// phraseAt reports whether the tokens from k spell words, with only
// spaces or punctuation between them on one line.
func (s *scan) phraseAt(toks []token, k int, words []string) bool {
	for m, w := range words {
		tk := toks[k+m]
		if s.lower[tk.start:tk.end] != w {
			return false
		}
		if m > 0 && !gapIs(s.text, toks[k+m-1].end, tk.start, " -/.,", 0) {
			return false
		}
	}
	return true
}

// gapOK checks what stands between a context phrase and the name.
func (s *scan) gapOK(kind triggerKind, first token, a, b int) bool {
	t := s.text
	switch kind {
	case kSignoff:
		return gapIs(t, a, b, " ,:!/-–.\t", 3)
	case kGreeting:
		return gapIs(t, a, b, " ,", 0) && sentenceStart(t, first.start)
	case kLabel:
		return lineStart(t, first.start) && gapIs(t, a, b, " :\t", 0) && strings.Contains(t[a:b], ":")
	default:
		return gapIs(t, a, b, " ,:", 0)
	}
}

func lineStart(t string, i int) bool {
	for i > 0 && (t[i-1] == ' ' || t[i-1] == '\t' || t[i-1] == '>') {
		i--
	}
	return i == 0 || t[i-1] == '\n'
}

// capture takes up to four name-like capitalised tokens from k, joined by
// single spaces, and "och"/"&" between names. It returns the index after
// the last one taken, or k.
func (s *scan) capture(toks []token, k int, taken []bool, kind triggerKind, ctx string) int {
	e := k
	for e < len(toks) && e-k < 6 {
		if e > k && !gapIs(s.text, toks[e-1].end, toks[e].start, " ", 0) {
			if !(e > k && s.initialGap(toks[e-1], toks[e])) {
				break
			}
		}
		if !s.nameWord(toks, e) {
			if e > k && s.connector(toks, e) && e+1 < len(toks) && s.nameWord(toks, e+1) {
				taken[e] = true
				e++
				continue
			}
			break
		}
		taken[e] = true
		e++
	}
	if e == k {
		return k
	}
	for a := k; a < e; {
		b := a
		for b < e && !s.isConnector(toks[b]) {
			b++
		}
		if b > a {
			s.add(Namn, toks[a].start, s.withInitialDot(toks[b-1]), 0.9, kindPattern[kind], "capitalised", ctx)
		}
		a = b + 1
	}
	return e
}

// careOf turns the names captured after "c/o" into one address from the
// "c" on: "c/o Andersson, Lindvägen 2" is part of a postal address.
func (s *scan) careOf(start, mark int) {
	end := s.found[len(s.found)-1].End
	s.found = append(s.found[:mark], Finding{Type: Adress, Start: start, End: end, Confidence: 0.9,
		Trace: Trace{Pattern: "address/c-o", Validation: "capitalised", Context: "c/o"}})
}

// initialGap allows "A. Svensson": a one-letter token, a dot and a space.
func (s *scan) initialGap(prev, next token) bool {
	return prev.end-prev.start == 1 && gapIs(s.text, prev.end, next.start, ". ", 0)
}

func (s *scan) withInitialDot(tk token) int {
	if tk.end-tk.start == 1 && tk.end < len(s.text) && s.text[tk.end] == '.' {
		return tk.end + 1
	}
	return tk.end
}

func (s *scan) isConnector(tk token) bool {
	lw := s.lower[tk.start:tk.end]
	return lw == "och" || lw == "and"
}

func (s *scan) connector(toks []token, e int) bool {
	return s.isConnector(toks[e]) && gapIs(s.text, toks[e-1].end, toks[e].start, " ", 0)
}

// nameWord reports whether token k may be part of a name in a name context:
// capitalised, and listed as a name, or unknown and not a common word,
// place or organisation.
func (s *scan) nameWord(toks []token, k int) bool {
	tk := toks[k]
	if !tk.cap {
		return false
	}
	w := s.text[tk.start:tk.end]
	lw := s.lower[tk.start:tk.end]
	if s.known.has(lw) {
		return true
	}
	if tk.end-tk.start == 1 {
		return tk.end < len(s.text) && s.text[tk.end] == '.' // an initial
	}
	if tk.end < len(s.text) && s.text[tk.end] == '-' {
		return false // "Gatu- och parkenheten"
	}
	title := w
	if tk.allCaps {
		title = titleCase(w)
	}
	if s.r.first[title] || s.r.last[title] {
		return !s.r.common[lw] || s.r.first[title] && !s.r.ambiguous[title]
	}
	if s.r.common[lw] || orgish(lw) || s.r.places[title] || tk.allCaps && utf8.RuneCountInString(w) <= 3 {
		return false
	}
	return utf8.RuneCountInString(w) >= 2
}

func titleCase(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + strings.ToLower(w[n:])
}

// surnameSuffixes make an unlisted capitalised word look like a surname.
var surnameSuffixes = []string{"sson", "son", "berg", "ström", "qvist", "kvist", "gren", "lund", "holm", "dahl", "lind", "blad", "stedt", "ander", "ius", "éen", "én", "ell", "ling", "ović", "ović", "ić", "nen"}

func (s *scan) surnameLike(tk token) bool {
	if !tk.cap {
		return false
	}
	w := s.text[tk.start:tk.end]
	if s.r.last[w] {
		return true
	}
	lw := s.lower[tk.start:tk.end]
	if s.r.common[lw] || s.r.places[w] || orgish(lw) {
		return false
	}
	for _, suf := range surnameSuffixes {
		if strings.HasSuffix(lw, suf) && len(lw) >= len(suf)+2 {
			return true
		}
	}
	return false
}

// standalone finds names without a context word: the caller's known names,
// a listed first name followed by a surname, a listed first name alone in
// the middle of a sentence, and a patronymic surname ("-sson").
func (s *scan) standalone(toks []token, k int, taken []bool) {
	tk := toks[k]
	if !tk.cap {
		if s.known.has(s.lower[tk.start:tk.end]) {
			s.add(Namn, tk.start, tk.end, 0.9, "name/known", "case-folded", "")
		}
		return
	}
	w := s.text[tk.start:tk.end]
	lw := s.lower[tk.start:tk.end]
	next := k + 1
	hasNext := next < len(toks) && gapIs(s.text, tk.end, toks[next].start, " ", 0)
	initial := hasNext && toks[next].end-toks[next].start == 1 && toks[next].cap && s.withInitialDot(toks[next]) > toks[next].end
	if s.known.has(lw) && (!s.r.places[w] || s.adjacentKnown(toks, k)) {
		end := tk.end
		if initial {
			end, taken[next] = s.withInitialDot(toks[next]), true
		}
		s.add(Namn, tk.start, end, 0.95, "name/known", "sender name", "")
		return
	}
	if s.r.first[w] {
		if hasNext && (s.surnameLike(toks[next]) || s.r.first[s.text[toks[next].start:toks[next].end]]) {
			s.add(Namn, tk.start, toks[next].end, 0.9, "name/first+last", "name list", "")
			taken[next] = true
			return
		}
		if initial {
			s.add(Namn, tk.start, s.withInitialDot(toks[next]), 0.85, "name/first+initial", "name list", "")
			taken[next] = true
			return
		}
		if s.r.ambiguous[w] || s.r.places[w] || s.r.common[lw] {
			return
		}
		conf := 0.8
		if sentenceStart(s.text, tk.start) {
			conf = 0.7
		}
		s.add(Namn, tk.start, tk.end, conf, "name/first", "name list", "")
		return
	}
	if strings.HasSuffix(lw, "sson") && !sentenceStart(s.text, tk.start) && !s.r.common[lw] {
		s.add(Namn, tk.start, tk.end, 0.7, "name/patronymic", "suffix", "")
	}
}

func (s *scan) adjacentKnown(toks []token, k int) bool {
	for _, m := range []int{k - 1, k + 1} {
		if m < 0 || m >= len(toks) {
			continue
		}
		a, b := toks[min(k, m)], toks[max(k, m)]
		if gapIs(s.text, a.end, b.start, " ", 0) && s.known.has(s.lower[toks[m].start:toks[m].end]) {
			return true
		}
	}
	return false
}

// addressLabels start a form line whose rest is a postal address.
var addressLabels = map[string]bool{"adress": true, "gatuadress": true, "postadress": true, "bostadsadress": true, "hemadress": true, "address": true, "besöksadress": false, "utdelningsadress": true}

// labelAddress takes the rest of a "Adress: ..." form line as an address
// when it holds a digit.
func (s *scan) labelAddress(toks []token, k int) {
	tk := toks[k]
	if tk.end >= len(s.text) || s.text[tk.end] != ':' {
		return
	}
	if s.lower[tk.start:tk.end] == "postnummer" && lineStart(s.text, tk.start) {
		s.postcodeLabel(tk.end)
		return
	}
	if !addressLabels[s.lower[tk.start:tk.end]] || !lineStart(s.text, tk.start) {
		return
	}
	t := s.text
	j, ok := afterColon(t, tk.end)
	if !ok {
		return
	}
	e := strings.IndexByte(t[j:], '\n')
	if e < 0 {
		e = len(t) - j
	}
	line := strings.TrimRight(t[j:j+e], " \r\t")
	if line == "" || !strings.ContainsAny(line, "0123456789") {
		return
	}
	s.add(Adress, j, j+len(line), 0.9, "label/adress", "has digit", "adress")
}

// afterColon is where a label's value starts when t[j] is the colon
// after the label: past the colon and the spaces or tabs after it; false
// when t[j] is no colon.
func afterColon(t string, j int) (int, bool) {
	if j >= len(t) || t[j] != ':' {
		return j, false
	}
	j++
	for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		j++
	}
	return j, true
}

// postcodeLabel takes "Postnummer: 352 46" as an address: a postal code in
// a form next to a name and street narrows down a home.
func (s *scan) postcodeLabel(j int) {
	t := s.text
	j, ok := afterColon(t, j)
	if !ok {
		return
	}
	switch n := digitRun(t, j); {
	case n == 5:
		s.add(Adress, j, j+5, 0.85, "label/postnummer", "format ok", "postnummer")
	case n == 3 && j+6 <= len(t) && t[j+3] == ' ' && digitRun(t, j+4) == 2:
		s.add(Adress, j, j+6, 0.85, "label/postnummer", "format ok", "postnummer")
	}
}
