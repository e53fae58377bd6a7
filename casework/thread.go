package casework

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"regexp"
	"strings"

	"github.com/exempelby/synpunkt"
)

// Threads signs and recognises the reply plus-addresses of cases and finds
// case tags in subjects.
type Threads struct {
	key    []byte
	local  string // mailbox local part, lower-case
	domain string // mailbox domain, lower-case
	tag    *regexp.Regexp
}

// New returns a Threads for the mailbox address, signing with key and
// recognising case numbers of format (e.g. "SYN-{year}-{seq:5}").
func NewThreads(mailbox string, key []byte, format string) *Threads {
	local, domain, _ := strings.Cut(strings.ToLower(mailbox), "@")
	return &Threads{key: key, local: local, domain: domain, tag: numberPattern(format)}
}

// numberPattern turns a case number format into a regexp that finds such
// numbers in text.
func numberPattern(format string) *regexp.Regexp {
	p := regexp.QuoteMeta(format)
	p = strings.ReplaceAll(p, `\{year\}`, `\d{4}`)
	for w := 1; w <= 9; w++ {
		p = strings.ReplaceAll(p, `\{seq:`+string(rune('0'+w))+`\}`, `\d{`+string(rune('0'+w))+`}`)
	}
	p = strings.ReplaceAll(p, `\{seq\}`, `\d+`)
	return regexp.MustCompile(`(?i)(?:^|[^\pL\pN])(` + p + `)(?:$|[^\pL\pN])`)
}

func (t *Threads) token(number string) string {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(strings.ToUpper(number)))
	return strings.ToLower(base32.StdEncoding.EncodeToString(m.Sum(nil))[:10])
}

// ReplyAddress returns the signed plus-address replies to a case go to,
// e.g. synpunkter+SYN-2026-00042.k3j4h5m6n7@exempelby.se.
func (t *Threads) ReplyAddress(number string) string {
	return t.local + "+" + number + "." + t.token(number) + "@" + t.domain
}

// FromAddresses looks for one of our plus-addresses among addrs. signed
// reports whether it carried a valid token; an unsigned plus-address names
// a case (or a unit alias) but proves nothing.
func (t *Threads) FromAddresses(addrs []synpunkt.Address) (number string, signed bool, ok bool) {
	for _, a := range addrs {
		local, domain, found := strings.Cut(strings.ToLower(a.Addr), "@")
		if !found || domain != t.domain {
			continue
		}
		base, detail, plus := strings.Cut(local, "+")
		if !plus || base != t.local {
			continue
		}
		num, tok, _ := strings.Cut(detail, ".")
		if !t.tag.MatchString(num) {
			continue
		}
		num = strings.ToUpper(num)
		return num, tok != "" && hmac.Equal([]byte(tok), []byte(t.token(num))), true
	}
	return "", false, false
}

// FromSubject returns the first case number found in a subject.
func (t *Threads) FromSubject(subject string) (string, bool) {
	m := t.tag.FindStringSubmatch(subject)
	if m == nil {
		return "", false
	}
	return strings.ToUpper(m[1]), true
}

// PlusDetail returns the detail of a plain plus-address to the mailbox
// (synpunkter+gata@… → "gata"), for unit aliases.
func (t *Threads) PlusDetail(addrs []synpunkt.Address) string {
	for _, a := range addrs {
		local, domain, _ := strings.Cut(strings.ToLower(a.Addr), "@")
		if base, detail, ok := strings.Cut(local, "+"); ok && base == t.local && domain == t.domain {
			return detail
		}
	}
	return ""
}
