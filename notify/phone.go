package notify

import "strings"

// NormalizeSwedishMobile turns a Swedish mobile number as people write it
// (070-123 45 67, 0701234567, +46 70 123 45 67, 0046701234567,
// +46(0)70-123 45 67) into E.164 form (+46701234567). ok is false for
// anything else, including landlines: only the mobile prefixes 070, 072,
// 073, 076 and 079 are accepted.
func NormalizeSwedishMobile(s string) (e164 string, ok bool) {
	n := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '/', '\u00a0', '\t':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	national, ok := nationalPart(n)
	if !ok || !isMobile(national) {
		return "", false
	}
	return "+46" + national, true
}

// nationalPart strips the country code or trunk prefix and returns the
// nine-digit national significant number candidate.
func nationalPart(n string) (string, bool) {
	switch {
	case strings.HasPrefix(n, "+46"):
		n = n[3:]
	case strings.HasPrefix(n, "0046"):
		n = n[4:]
	case strings.HasPrefix(n, "0"):
		return n[1:], true
	default:
		return "", false
	}
	// "+46(0)70…" and the common mistake "+46070…" keep a trunk zero.
	n = strings.TrimPrefix(n, "(0)")
	return strings.TrimPrefix(n, "0"), true
}

// isMobile reports whether n is a nine-digit Swedish mobile number without
// the trunk zero (70…, 72…, 73…, 76…, 79…).
func isMobile(n string) bool {
	if len(n) != 9 || n[0] != '7' || !strings.ContainsRune("02369", rune(n[1])) {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
