package pii

import (
	"strings"
	"testing"
)

// Relation words longer than 14 bytes were once never looked up.
func TestLongTriggerWords(t *testing.T) {
	r := New()
	for _, in := range []string{
		"Undersköterskan Zelmira Quist var otrevlig.",
		"Socialsekreteraren Yngvar Xenakis svarar aldrig.",
		"Vårdnadshavare: Ulrika Pztal",
	} {
		out, _ := r.Redact(in, Options{})
		if !strings.Contains(out, "[namn]") {
			t.Errorf("Redact(%q) = %q, want the name redacted", in, out)
		}
	}
}
