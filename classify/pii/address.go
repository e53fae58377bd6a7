package pii

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// streetSuffixes end compound street names ("Storgatan", "Björkvägen").
var streetSuffixes = []string{"gatan", "gata", "vägen", "väg", "stigen", "gränd", "gränden", "backen", "backe", "torget", "torg", "allén", "allé", "alle", "plan", "leden", "platsen", "stråket", "gången", "kajen", "esplanaden", "allén", "promenaden", "slingan", "kroken", "ringen", "svängen", "höjden", "hagen", "lyckan", "brynet", "ängen", "vången", "gläntan", "slänten", "liden", "udden", "gärdet", "bryggan"}

// streetEndLen is the length in bytes of the shortest of streetSuffixes.
var streetEndLen = func() int {
	n := len(streetSuffixes[0])
	for _, suf := range streetSuffixes {
		n = min(n, len(suf))
	}
	return n
}()

// streetSuffixesByEnd groups streetSuffixes by their last streetEndLen
// bytes, and streetSuffixEnds marks their last bytes: most words are
// ruled out by one byte, the rest by one map lookup.
var streetSuffixesByEnd, streetSuffixEnds = func() (map[string][]string, [256]bool) {
	m, ends := map[string][]string{}, [256]bool{}
	for _, suf := range streetSuffixes {
		end := suf[len(suf)-streetEndLen:]
		m[end] = append(m[end], suf)
		ends[suf[len(suf)-1]] = true
	}
	return m, ends
}()

// streetSuffixesOf returns the street suffixes that lw may end with, in
// streetSuffixes order.
func streetSuffixesOf(lw string) []string {
	if len(lw) < streetEndLen || !streetSuffixEnds[lw[len(lw)-1]] {
		return nil
	}
	return streetSuffixesByEnd[lw[len(lw)-streetEndLen:]]
}

// maxStreetWord is the length in bytes of the longest of streetWords.
var maxStreetWord = func() (n int) {
	for w := range streetWords {
		n = max(n, len(w))
	}
	return n
}()

// streetWords stand alone after a capitalised name ("Drottning Kristinas väg").
var streetWords = map[string]bool{"väg": true, "vägen": true, "gata": true, "gatan": true, "gränd": true, "allé": true, "backe": true, "torg": true, "stig": true}

// notStreet lists compounds that end like streets but are roads or plans.
var notStreet = []string{"riksväg", "länsväg", "motorväg", "europaväg", "cykelväg", "gångväg", "detaljplan", "översiktsplan", "stadsplan", "handlingsplan", "tidsplan", "arbetsplan", "skolplan", "läroplan", "våningsplan", "parkeringsplan"}

// streetPrefixes may precede a compound street name ("Norra Storgatan").
var streetPrefixes = map[string]bool{"norra": true, "södra": true, "östra": true, "västra": true, "lilla": true, "stora": true, "gamla": true, "nya": true, "övre": true, "nedre": true, "sankt": true}

// units after a number mean it is a measure, not a house number.
var units = map[string]bool{"km": true, "m": true, "meter": true, "metern": true, "kr": true, "kronor": true, "st": true, "min": true, "minuter": true, "timmar": true, "tim": true, "år": true, "dagar": true, "veckor": true, "procent": true, "mil": true, "cm": true, "mm": true, "kg": true, "ton": true, "grader": true, "gånger": true, "ggr": true, "bilar": true, "personer": true, "barn": true, "sekunder": true}

// isStreet reports whether token k names a street: a capitalised compound
// with a street suffix, or a street word after a capitalised name.
func (s *scan) isStreet(toks []token, k int) (bool, int) {
	tk := toks[k]
	lw := s.lower[tk.start:tk.end]
	if k > 0 && toks[k-1].cap && !tk.cap && len(lw) <= maxStreetWord && streetWords[lw] && gapIs(s.text, toks[k-1].end, tk.start, " ", 0) {
		first := k - 1
		for first > 0 && k-first < 3 && toks[first-1].cap && gapIs(s.text, toks[first-1].end, toks[first].start, " ", 0) && !sentenceStart(s.text, toks[first].start) {
			first--
		}
		return true, first
	}
	if !tk.cap {
		return false, k
	}
	sufs := streetSuffixesOf(lw)
	if len(sufs) == 0 {
		return false, k
	}
	prefixed := k > 0 && toks[k-1].cap && streetPrefixes[s.lower[toks[k-1].start:toks[k-1].end]] && gapIs(s.text, toks[k-1].end, tk.start, " ", 0)
	if prefixed && slices.Contains(sufs, lw) {
		return true, k - 1 // "Västra Esplanaden", "Norra Vägen"
	}
	for _, suf := range sufs {
		if len(lw) >= len(suf)+2 && strings.HasSuffix(lw, suf) {
			if slices.ContainsFunc(notStreet, func(np string) bool { return strings.HasPrefix(lw, np) }) {
				return false, k
			}
			if prefixed {
				return true, k - 1
			}
			return true, k
		}
	}
	return false, k
}

// street detects "Storgatan 12", "Storgatan 12B", "Storgatan 12 B, lgh 1102"
// and "Drottning Kristinas väg 3". A street without a house number is a
// place, not personal data, and is left alone.
func (s *scan) street(toks []token, k int) {
	ok, first := s.isStreet(toks, k)
	if !ok {
		return
	}
	end := s.houseNumber(toks[k].end)
	if end < 0 {
		return
	}
	s.add(Adress, toks[first].start, end, 0.9, "street+number", "suffix", "")
}

// houseNumber parses " 12", " 12B", " 12 B", " 12-14", then optional
// ", lgh 1102" and " 2 tr" after j. It returns the end, or -1.
func (s *scan) houseNumber(j int) int {
	t := s.text
	if j >= len(t) || t[j] != ' ' {
		return -1
	}
	j++
	n := digitRun(t, j)
	if n == 0 || n > 3 || atoi(t[j:j+n]) == 0 {
		return -1
	}
	j += n
	end := j
	switch {
	case j < len(t) && isLetterByte(t[j]) && !wordAfter(t, j+1):
		end = j + 1
	case j+1 < len(t) && t[j] == ' ' && isUpper(t[j+1]) && !wordAfter(t, j+2):
		end = j + 2
	case j+1 < len(t) && t[j] == '-' && isDigit(t[j+1]):
		end = j + 1 + digitRun(t, j+1)
	case wordAfter(t, j) || (j < len(t) && (t[j] == ':' || t[j] == ',' || t[j] == '.') && j+1 < len(t) && isDigit(t[j+1])):
		return -1
	default:
		if s.unitAfter(j) {
			return -1
		}
	}
	return s.flatSuffix(end)
}

func isLetterByte(c byte) bool { return (c|0x20)-'a' < 26 } // c|0x20 folds A-Z onto a-z and nothing else

// unitAfter reports whether the next word after j is a unit ("5 km").
func (s *scan) unitAfter(j int) bool {
	t := s.text
	for j < len(t) && t[j] == ' ' {
		j++
	}
	k := j
	for k < len(t) {
		r, n := utf8.DecodeRuneInString(t[k:])
		if !unicode.IsLetter(r) && r != '%' {
			break
		}
		k += n
	}
	return k > j && (units[s.lower[j:k]] || t[j] == '%')
}

// flatSuffix extends an address over ", lgh 1102", " lgh. 1102", " 3 tr".
func (s *scan) flatSuffix(end int) int {
	low := s.lower
	j := end
	if strings.HasPrefix(low[j:], ",") {
		j++
	}
	if strings.HasPrefix(low[j:], " ") {
		j++
	}
	for _, p := range []string{"lgh. ", "lgh ", "lägenhet ", "lägenhetsnummer ", "lgh.nr ", "lgh nr "} {
		if strings.HasPrefix(low[j:], p) && digitRun(low, j+len(p)) == 4 {
			return j + len(p) + 4
		}
	}
	if n := digitRun(low, j); n == 1 && strings.HasPrefix(low[j+1:], " tr") && !wordAfter(low, j+4) {
		return j + 4
	}
	return end
}

// postcode detects a postal code "NNN NN" or "NNNNN" followed by a
// capitalised town ("352 30 Växjö"). A town alone is a place.
func (s *scan) postcode(i int) int {
	t := s.text
	if t[i] < '1' || t[i] > '9' {
		return i
	}
	j := i
	switch n := digitRun(t, i); {
	case n == 3 && i+6 <= len(t) && t[i+3] == ' ' && digitRun(t, i+4) == 2:
		j = i + 6
	case n == 5:
		j = i + 5
	default:
		return i
	}
	if wordAfter(t, j) {
		return i
	}
	k := j
	for k < len(t) && t[k] == ' ' && k-j < 3 {
		k++
	}
	r, _ := utf8.DecodeRuneInString(t[k:])
	if k == j || !unicode.IsUpper(r) {
		return i
	}
	end := wordEnd(t, k)
	if end+1 < len(t) && t[end] == ' ' {
		if r2, _ := utf8.DecodeRuneInString(t[end+1:]); unicode.IsUpper(r2) && s.r.places[t[k:wordEnd(t, end+1)]] {
			end = wordEnd(t, end+1)
		}
	}
	if s.r.common[s.lower[k:end]] {
		return i
	}
	s.add(Adress, i, end, 0.85, "postcode+town", "format ok", "")
	return end
}

// wordEnd returns the end of the letter run (with inner hyphens) at k.
func wordEnd(t string, k int) int {
	for k < len(t) {
		r, n := utf8.DecodeRuneInString(t[k:])
		if isLetterRune(r) || (r == '-' && k+1 < len(t) && wordAfter(t, k+1)) {
			k += n
			continue
		}
		break
	}
	return k
}
