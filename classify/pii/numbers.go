package pii

import (
	"net/netip"
	"strings"
)

// Context words, lower case, searched shortly before a candidate.
var (
	pnrContext     = []string{"personnummer", "personnr", "pers.nr", "pers nr", "person nr", "pnr", "p-nr", "född", "födelsedatum", "födelsenummer", "samordningsnummer", "samordningsnr", "personal identity", "personal number"}
	accountContext = []string{"konto", "clearing", "clnr", "cl.nr", "bankgiro", "bg ", "bg:", "bg-nr", "bg nr", "plusgiro", "pg ", "pg:", "pg-nr", "iban", "account", "swish"}
	phoneContext   = []string{"tel", "mobil", "ring", "nås", "nummer", "phone", "sms"}
	plateContext   = []string{"regnr", "reg.nr", "reg nr", "registreringsnummer", "registreringsskylt", "skylt", "bil", "fordon", "parkerad", "husbil", "husvagn", "släp", "plate"}
)

// numbers runs the detectors that start at a digit, '+', '(' or an upper-case
// ASCII letter at a word boundary: account numbers, personnummer, phone
// numbers, IP addresses, postal codes, IBAN and registration plates.
func (s *scan) numbers() {
	t := s.text
	for i := 0; i < len(t); {
		switch c := t[i]; {
		case isDigit(c) || c == '+' || c == '(':
			i = s.numberStart(i)
		case isLetterByte(c):
			i = s.wordStart(i)
		default:
			i++
		}
	}
}

// numberStart runs the numeric detectors at i and returns where the scan
// goes on.
func (s *scan) numberStart(i int) int {
	t := s.text
	if i > 0 && isDigit(t[i-1]) {
		return skipDigits(t, i)
	}
	end := i
	if glued(t, i) {
		end = s.pnr(i) // "pnr811218-3317", "5-811218-3317": only a personnummer
	} else {
		end = s.numberAt(i)
	}
	switch {
	case end > i:
		return end
	case isDigit(t[i]):
		return skipDigits(t, i)
	}
	return i + 1
}

// wordStart runs the detectors that start at an ASCII letter beginning a
// word (IBAN, plates, IPv6) and returns where the scan goes on: after a
// match, else after the word's ASCII letters, where none can start.
func (s *scan) wordStart(i int) int {
	t := s.text
	if !wordBefore(t, i) {
		end := i
		switch c := t[i]; {
		case 'A' <= c && c <= 'Z':
			end = s.letterCodeAt(i)
		case 'a' <= c && c <= 'f':
			end = s.ipv6At(i)
		}
		if end > i {
			return end
		}
	}
	return skipLetters(t, i+1)
}

// skipLetters returns the end of the run of ASCII letters at i.
func skipLetters(t string, i int) int {
	for i < len(t) && isLetterByte(t[i]) {
		i++
	}
	return i
}

// glued reports whether the number at i is stuck to a word or to
// punctuation that makes it part of a larger code ("KS 2018/00484", "1,5").
func glued(t string, i int) bool {
	if i == 0 {
		return false
	}
	switch t[i-1] {
	case '/', '.', '-', ',':
		return true
	}
	return wordBefore(t, i)
}

func skipDigits(t string, i int) int {
	j := i + 1
	for j < len(t) && isDigit(t[j]) {
		j++
	}
	return j
}

// numberAt tries each numeric detector at i and returns the end of the
// match, or i.
func (s *scan) numberAt(i int) int {
	if end := s.account(i); end > i {
		return end
	}
	if end := s.pnr(i); end > i {
		return end
	}
	if end := s.phone(i); end > i {
		return end
	}
	if end := s.ipv4(i); end > i {
		return end
	}
	if end := s.ipv6At(i); end > i {
		return end
	}
	return s.postcode(i)
}

// pnr detects personnummer and samordningsnummer: YYMMDD-NNNN, YYMMDDNNNN,
// YYYYMMDD-NNNN, YYYYMMDDNNNN, with '+' for people aged 100 or more. The
// date must be valid (day+60 for samordningsnummer) and the Luhn check digit
// must hold, unless a context word such as "personnummer" or "född" stands
// near it.
func (s *scan) pnr(i int) int {
	t := s.text
	n := digitRun(t, i)
	var date, serial string
	end, sep := 0, ""
	switch n {
	case 6, 8:
		j := i + n
		switch {
		case j < len(t) && (t[j] == '-' || t[j] == '+' || t[j] == ' '):
			sep = t[j : j+1]
			j++
		case strings.HasPrefix(t[j:], "–"):
			sep = "–"
			j += len("–")
		default:
			return i
		}
		if digitRun(t, j) != 4 {
			return i
		}
		date, serial, end = t[i:i+n], t[j:j+4], j+4
	case 10, 12:
		date, serial, end = t[i:i+n-4], t[i+n-4:i+n], i+n
	default:
		return i
	}
	if end < len(t) && isDigit(t[end]) {
		return i
	}
	pattern := "pnr/" + itoa(len(date)+4)
	if !validPnrDate(date) {
		if s.metadata && sep != "" {
			return s.pnrShape(i, end, pattern)
		}
		return i
	}
	ctx := s.contextNear(i, end, 40, 12, pnrContext)
	ten := date[len(date)-6:] + serial
	if luhn(ten) {
		if sep == "" && len(date) == 6 && t[i] == '0' && ctx == "" {
			if e := s.phone(i); e > i {
				return e // 0701234567: a phone number is far likelier
			}
		}
		if sep == " " && ctx == "" && len(date) == 6 && !s.metadata {
			return i // "750101 1234" without context: too weak in text
		}
		s.add(Personnummer, i, end, 0.99, pattern, "luhn ok", ctx)
		return end
	}
	if ctx != "" {
		s.add(Personnummer, i, end, 0.75, pattern, "luhn fail", ctx)
		return end
	}
	if s.metadata {
		return s.pnrShape(i, end, pattern)
	}
	return i
}

// pnrShape takes t[i:end], shaped like a personnummer but with a wrong
// check digit or date, as one in metadata (Options.Metadata), where a typo
// must not let it through; a phone number stays a phone number.
func (s *scan) pnrShape(i, end int, pattern string) int {
	if s.text[i] == '0' {
		if e := s.phone(i); e > i {
			return e
		}
	}
	s.add(Personnummer, i, end, 0.6, pattern, "shape (metadata)", "")
	return end
}

// validPnrDate checks YYMMDD or YYYYMMDD, with day+60 allowed.
func validPnrDate(d string) bool {
	year := -1
	if len(d) == 8 {
		cc := atoi(d[:2])
		if cc < 18 || cc > 20 {
			return false
		}
		year = atoi(d[:4])
		d = d[2:]
	}
	yy, mm, dd := atoi(d[:2]), atoi(d[2:4]), atoi(d[4:6])
	if dd > 60 {
		dd -= 60
	}
	if mm < 1 || mm > 12 || dd < 1 {
		return false
	}
	days := [...]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[mm-1]
	if mm == 2 {
		leap := yy%4 == 0
		if year >= 0 {
			leap = year%4 == 0 && (year%100 != 0 || year%400 == 0)
		}
		if !leap {
			days = 28
		}
	}
	return dd <= days
}

// luhn reports whether the digit string passes the Luhn mod-10 check.
func luhn(d string) bool {
	sum := 0
	for k := 0; k < len(d); k++ {
		v := int(d[len(d)-1-k] - '0')
		if k%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

func atoi(s string) int {
	n := 0
	for k := 0; k < len(s); k++ {
		n = n*10 + int(s[k]-'0')
	}
	return n
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// digitGroups reads digits separated by single separators (space, '-', en
// dash, '/', parentheses, " - ") starting at i. It returns the digits, the
// group lengths and the end of the last digit.
func digitGroups(t string, i, maxDigits int) (digits string, groups []int, end int) {
	var b [maxGroupDigits]byte
	d, groups, end := appendDigitGroups(b[:0], nil, t, i, maxDigits)
	return string(d), groups, end
}

// maxGroupDigits bounds the digits digitGroups reads.
const maxGroupDigits = 24

// appendDigitGroups is digitGroups appending the digits to d and the group
// lengths to groups, so that a caller with buffers allocates nothing.
func appendDigitGroups(d []byte, groups []int, t string, i, maxDigits int) ([]byte, []int, int) {
	j, end, nd := i, i, 0
	for j < len(t) && nd < maxDigits {
		n := digitRun(t, j)
		if n == 0 || nd+n > maxGroupDigits {
			break
		}
		d = append(d, t[j:j+n]...)
		nd += n
		groups = append(groups, n)
		j += n
		end = j
		k := skipSep(t, j)
		if k == j || k >= len(t) || !isDigit(t[k]) {
			break
		}
		j = k
	}
	return d, groups, end
}

// skipSep skips one phone/account separator at j.
func skipSep(t string, j int) int {
	switch {
	case strings.HasPrefix(t[j:], " - "), strings.HasPrefix(t[j:], " – "):
		if t[j+1] == '-' {
			return j + 3
		}
		return j + 2 + len("–")
	case strings.HasPrefix(t[j:], "–"):
		return j + len("–")
	case strings.HasPrefix(t[j:], ") "):
		return j + 2
	case j < len(t) && (t[j] == ' ' || t[j] == '-' || t[j] == '/' || t[j] == ')' || t[j] == '('):
		return j + 1
	}
	return j
}

// phone detects Swedish numbers (0 + 7–9 digits, +46 / 0046 with or
// without "(0)") and international "+CC" numbers of 8–15 digits.
func (s *scan) phone(i int) int {
	t := s.text
	j, intl, pattern := i, false, "tel/nat"
	switch {
	case strings.HasPrefix(t[i:], "+46"), strings.HasPrefix(t[i:], "0046"):
		j = i + 3
		if t[i] == '0' {
			j = i + 4
		}
		for j < len(t) && (t[j] == ' ' || t[j] == '-') {
			j++
		}
		if strings.HasPrefix(t[j:], "(0)") {
			j += 3
		}
		intl, pattern = true, "tel/+46"
	case t[i] == '+':
		if i+1 >= len(t) || t[i+1] < '1' || t[i+1] > '9' {
			return i
		}
		j, pattern = i+1, "tel/intl"
	case t[i] == '(':
		if !strings.HasPrefix(t[i:], "(0") {
			return i
		}
		j = i + 1
	case t[i] != '0' || i+1 >= len(t) || t[i+1] == '0':
		return i
	}
	for j < len(t) && t[j] == ' ' {
		j++
	}
	if j >= len(t) || !isDigit(t[j]) {
		return i
	}
	digits, groups, end := digitGroups(t, j, 16)
	if wordAfter(t, end) || (end < len(t) && (t[end] == ',' || t[end] == '.') && end+1 < len(t) && isDigit(t[end+1])) {
		return i
	}
	ok := false
	switch pattern {
	case "tel/+46":
		ok = len(digits) >= 7 && len(digits) <= 9 && digits[0] != '0'
	case "tel/intl":
		ok = len(digits) >= 8 && len(digits) <= 15
	default:
		ok = len(digits) >= 8 && len(digits) <= 10 && !looksLikeDate(groups, digits)
	}
	if !ok {
		return i
	}
	_ = intl
	ctx := s.contextBefore(i, 30, phoneContext)
	conf := 0.9
	if ctx != "" {
		conf = 0.98
	}
	s.add(Telefon, i, end, conf, pattern, "length ok", ctx)
	return end
}

// looksLikeDate rejects 01-02-2024 and 01/02/2024 style dates.
func looksLikeDate(groups []int, digits string) bool {
	if len(groups) == 3 && groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4 {
		return true
	}
	return len(groups) == 2 && groups[0] == 4 && groups[1] == 4 && digits[0] != '0'
}

// account detects bank account, clearing+account, bankgiro and plusgiro
// numbers; it needs a context word (konto, clearing, bankgiro, ...).
func (s *scan) account(i int) int {
	t := s.text
	if !isDigit(t[i]) {
		return i
	}
	var digits [maxGroupDigits]byte
	var groups [8]int
	d, _, end := appendDigitGroups(digits[:0], groups[:0], t, i, 20)
	nd := len(d)
	// "8327-9, 123 456 789-0": clearing number then account after a comma.
	if strings.HasPrefix(t[end:], ", ") && end+2 < len(t) && isDigit(t[end+2]) && nd <= 5 {
		more, _, e2 := appendDigitGroups(digits[:0], groups[:0], t, end+2, 16)
		nd += len(more)
		end = e2
	}
	if nd < 7 || nd > 20 || wordAfter(t, end) {
		return i
	}
	ctx := s.contextBefore(i, 40, accountContext) // the dearer test last
	if ctx == "" {
		return i
	}
	s.add(Kontonummer, i, end, 0.9, "konto", "length ok", ctx)
	return end
}

// ipv4 detects a dotted quad with each part ≤ 255.
func (s *scan) ipv4(i int) int {
	t := s.text
	j := i
	for part := 0; part < 4; part++ {
		n := digitRun(t, j)
		if n == 0 || n > 3 || atoi(t[j:j+n]) > 255 {
			return i
		}
		j += n
		if part < 3 {
			if j >= len(t) || t[j] != '.' {
				return i
			}
			j++
		}
	}
	if wordAfter(t, j) || (j+1 < len(t) && t[j] == '.' && isDigit(t[j+1])) {
		return i
	}
	s.add(IPAdress, i, j, 0.9, "ipv4", "octets ok", s.contextBefore(i, 20, []string{"ip"}))
	return j
}

// ipv6At detects an IPv6 address: a run of hex digits and colons with at
// least two colons that net/netip accepts.
func (s *scan) ipv6At(i int) int {
	t := s.text
	j, colons := i, 0
	for j < len(t) && j-i < 45 {
		c := t[j]
		if c == ':' {
			colons++
		} else if !isDigit(c) && !('a' <= c && c <= 'f') && !('A' <= c && c <= 'F') && c != '.' {
			break
		}
		j++
	}
	for j > i && (t[j-1] == '.' || t[j-1] == ':') && !strings.HasSuffix(t[i:j], "::") {
		j--
	}
	if colons < 2 || j-i < 6 || wordAfter(t, j) {
		return i
	}
	a, err := netip.ParseAddr(t[i:j])
	if err != nil || !a.Is6() || (colons < 7 && !strings.Contains(t[i:j], "::")) {
		return i
	}
	s.add(IPAdress, i, j, 0.9, "ipv6", "netip ok", "")
	return j
}

// letterCodeAt tries IBAN and registration plates at an upper-case letter.
func (s *scan) letterCodeAt(i int) int {
	if end := s.iban(i); end > i {
		return end
	}
	return s.plate(i)
}

// iban detects an IBAN (two letters, two check digits, up to 30 letters and
// digits, optionally in groups of four) that passes the mod-97 check.
func (s *scan) iban(i int) int {
	t := s.text
	if i+4 > len(t) || !isUpper(t[i+1]) || !isDigit(t[i+2]) || !isDigit(t[i+3]) {
		return i
	}
	var b [34]byte
	n, j, end := 0, i, i
	for j < len(t) && n < len(b) {
		c := t[j]
		if isDigit(c) || isUpper(c) {
			b[n] = c
			n++
			j++
			end = j
			continue
		}
		if c == ' ' && j+1 < len(t) && (isDigit(t[j+1]) || isUpper(t[j+1])) && (n%4 == 0) {
			j++
			continue
		}
		break
	}
	if n < 15 || wordAfter(t, end) || !mod97(string(b[:n])) {
		return i
	}
	s.add(Kontonummer, i, end, 0.99, "iban", "mod97 ok", "")
	return end
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// mod97 is the ISO 13616 IBAN check.
func mod97(iban string) bool {
	r := iban[4:] + iban[:4]
	rem := 0
	for k := 0; k < len(r); k++ {
		c := r[k]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			v := int(c-'A') + 10
			rem = (rem*100 + v) % 97
		}
	}
	return rem == 1
}

// plateLetters are the letters used on Swedish plates: A–Z without I, Q, V.
func plateLetter(c byte) bool { return isUpper(c) && c != 'I' && c != 'Q' && c != 'V' }

// notPlates are three-letter codes that precede numbers but are not plates.
var notPlates = map[string]bool{"SEK": true, "EUR": true, "USD": true, "NOK": true, "DKK": true, "GBP": true, "CHF": true, "KSF": true, "BUN": true, "SBN": true, "MBN": true, "TEK": true, "KOM": true, "DNR": true, "REF": true, "NUM": true, "TEL": true, "FAX": true, "AVD": true, "LGH": true, "MOM": true, "ANM": true, "BRF": true, "ODF": true, "DOC": true, "PDF": true, "DAG": true, "NYA": true, "GDP": true, "SMS": true, "APP": true, "CET": true, "UTC": true, "KPI": true}

// plate detects Swedish registration numbers: ABC 123, ABC123, ABC 12A.
func (s *scan) plate(i int) int {
	t := s.text
	if i+6 > len(t) || !plateLetter(t[i]) || !plateLetter(t[i+1]) || !plateLetter(t[i+2]) {
		return i
	}
	j := i + 3
	if t[j] == ' ' || t[j] == '-' {
		j++
	}
	if j+3 > len(t) || !isDigit(t[j]) || !isDigit(t[j+1]) || !(isDigit(t[j+2]) || (plateLetter(t[j+2]) && t[j+2] != 'O')) {
		return i
	}
	end := j + 3
	if wordAfter(t, end) || notPlates[t[i:i+3]] || (end < len(t) && (t[end] == '/' || t[end] == ':')) {
		return i
	}
	ctx := s.contextNear(i, end, 40, 20, plateContext)
	conf := 0.8
	if ctx != "" {
		conf = 0.95
	}
	s.add(Regnr, i, end, conf, "regnr", "letters ok", ctx)
	return end
}
