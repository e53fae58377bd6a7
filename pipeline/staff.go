package pipeline

import (
	"bytes"
	"strings"

	"github.com/exempelby/synpunkt"
)

// isStaff reports whether msg comes from the organisation's staff: its From
// address is in organisation.domains and, when organisation.authserv_id is
// set, the organisation's own mail server vouched for it in an
// Authentication-Results header (RFC 8601) with dmarc=pass, or dkim=pass
// for one of the organisation's domains. Without authserv_id the From
// address is trusted, as the README says. Staff replies are registered as
// Svar and their #commands obeyed, so a forged From must not pass.
func (p *Pipeline) isStaff(msg *synpunkt.Message) bool {
	if !p.cfg.IsOwnDomain(msg.From.Addr) {
		return false
	}
	id := strings.ToLower(p.cfg.Organisation.AuthservID)
	if id == "" {
		return true
	}
	for _, ar := range authResults(msg.Raw) {
		server, results, _ := strings.Cut(ar, ";")
		if strings.ToLower(strings.Fields(server + " x")[0]) != id {
			continue
		}
		for _, r := range strings.Split(results, ";") {
			if p.vouches(strings.ToLower(r)) {
				return true
			}
		}
	}
	return false
}

// vouches reads one resinfo ("dmarc=pass header.from=exempelby.se").
func (p *Pipeline) vouches(r string) bool {
	f := strings.Fields(r)
	if len(f) == 0 || (f[0] != "dmarc=pass" && f[0] != "dkim=pass") {
		return false
	}
	for _, prop := range f[1:] {
		k, v, _ := strings.Cut(prop, "=")
		if k == "header.from" || k == "header.d" || k == "header.i" {
			if p.cfg.IsOwnDomain("x@" + strings.TrimPrefix(v, "@")) {
				return true
			}
		}
	}
	return false
}

// authResults returns the unfolded Authentication-Results header values.
func authResults(raw []byte) []string {
	var out []string
	lines := bytes.Split(bytes.ReplaceAll(headerBlock(raw), []byte("\r\n"), []byte("\n")), []byte("\n"))
	for i := 0; i < len(lines); i++ {
		name, value, ok := bytes.Cut(lines[i], []byte(":"))
		if !ok || !strings.EqualFold(string(bytes.TrimSpace(name)), "Authentication-Results") {
			continue
		}
		v := string(value)
		for i+1 < len(lines) && len(lines[i+1]) > 0 && (lines[i+1][0] == ' ' || lines[i+1][0] == '\t') {
			i++
			v += " " + strings.TrimSpace(string(lines[i]))
		}
		out = append(out, strings.TrimSpace(v))
	}
	return out
}

// headerBlock returns the raw header block of a message.
func headerBlock(raw []byte) []byte {
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n")} {
		if i := bytes.Index(raw, sep); i >= 0 {
			return raw[:i]
		}
	}
	return raw
}
