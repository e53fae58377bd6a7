package casework

import (
	"strings"

	"github.com/exempelby/synpunkt"
)

// isStaff decides, once per message, whether msg comes from the
// organisation's staff: its From address is in organisation.domains and,
// when organisation.authserv_id is set, the organisation's own mail server
// vouched for it. Staff replies are registered as Svar, their #commands
// obeyed, and new staff mail is classified as internal, so a forged From
// must not pass. Without authserv_id the From address is trusted, as the
// README says (and #commands then also need the signed reply address).
//
// The server's word is read only from the Authentication-Results fields
// that trustedResults picks from msg.Trace. RFC 8601 §5 asks a receiver to
// delete or ignore fields that claim its own authserv-id but were not
// written by it; synpunkt cannot delete, so it ignores them: every field
// below the Received field the organisation's server added is the
// sender's. When two trusted fields with the organisation's authserv-id
// disagree — a pass next to a fail — it trusts neither: a dmarc or
// own-domain dkim result other than pass anywhere in them denies.
func (p *Intake) isStaff(msg *synpunkt.Message) bool {
	if !p.opt.Domains.Own(msg.From.Addr) {
		return false
	}
	id := lower(p.opt.AuthservID)
	if id == "" {
		return true
	}
	var v verdict
	for _, ar := range trustedResults(msg.Trace, id) {
		server, results, _ := strings.Cut(stripComments(ar), ";")
		if f := strings.Fields(server); len(f) == 0 || lower(f[0]) != id {
			continue
		}
		for _, r := range strings.Split(results, ";") {
			p.judge(lower(r), msg.From.Addr, &v)
		}
	}
	return v.pass && !v.fail
}

// verdict collects what the organisation's server said about a message.
type verdict struct {
	pass bool // a dmarc=pass for the From domain, or dkim=pass for an own domain
	fail bool // a dmarc or own-domain dkim result other than pass
}

// judge reads one resinfo, e.g. "dmarc=pass header.from=exempelby.se"
// (RFC 8601 §2.2), already lower-cased and without comments.
func (p *Intake) judge(r, from string, v *verdict) {
	f := strings.Fields(r)
	if len(f) == 0 {
		return
	}
	method, result, _ := strings.Cut(f[0], "=")
	method, _, _ = strings.Cut(method, "/") // a method version, "dkim/1"
	props := map[string]string{}
	for _, prop := range f[1:] {
		if k, val, ok := strings.Cut(prop, "="); ok {
			props[k] = val
		}
	}
	switch method {
	case "dmarc":
		_, fromDomain, _ := strings.Cut(from, "@")
		d, ok := props["header.from"]
		v.pass = v.pass || (result == "pass" && ok && d == fromDomain)
		v.fail = v.fail || result != "pass"
	case "dkim":
		d := props["header.d"]
		if i := props["header.i"]; d == "" && i != "" {
			d = i[strings.LastIndexByte(i, '@')+1:] // "@exempelby.se", "user@exempelby.se"
		}
		if d == "" || !p.opt.Domains.Own("x@"+d) {
			return
		}
		v.pass = v.pass || result == "pass"
		v.fail = v.fail || result != "pass"
	}
}

// stripComments removes the parenthesised comments of a header value
// (RFC 5322 §3.2.2), nested or not, so that "(1024-bit key; unprotected)"
// does not split a resinfo at its ';'.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && depth > 0:
			i++
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// trustedResults returns the Authentication-Results values that stand above
// the topmost Received field the organisation's server added: one whose
// "by" names the authserv-id host and that is not a local LMTP delivery
// (RFC 3848 "with LMTP…"; Dovecot's LMTP adds one above the server's
// results). The server prepends that field when it takes the message
// (RFC 5321 §4.4), so everything the sender wrote stands below it, forged
// Received fields included. Without such a field the first Received of
// any kind marks the sender's part; a header with no Received at all
// never passed a mail server, and nothing in it is trusted.
func trustedResults(trace []synpunkt.TraceField, id string) []string {
	cut := -1
	for i, f := range trace {
		if f.Name != "Received" {
			continue
		}
		if cut < 0 {
			cut = i
		}
		if by, with := receivedHops(f.Value); by == id && !strings.HasPrefix(with, "lmtp") {
			cut = i
			break
		}
	}
	var out []string
	for _, f := range trace[:max(cut, 0)] {
		if f.Name == "Authentication-Results" {
			out = append(out, f.Value)
		}
	}
	return out
}

// receivedHops returns the lower-cased "by" host and "with" protocol of a
// Received field value (RFC 5321 §4.4), "" where absent.
func receivedHops(v string) (by, with string) {
	f := strings.Fields(stripComments(v))
	for i := 0; i+1 < len(f); i++ {
		switch lower(f[i]) {
		case "by":
			if by == "" {
				by = strings.TrimSuffix(lower(f[i+1]), ";")
			}
		case "with":
			if with == "" {
				with = strings.TrimSuffix(lower(f[i+1]), ";")
			}
		}
	}
	return by, with
}
