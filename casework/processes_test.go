package casework

import (
	"strings"
	"testing"

	"github.com/exempelby/synpunkt"
)

// A request for public documents is no synpunkt: it opens no case, goes
// at once to the registry, the contact center gets a copy, and the
// sender is told it is handled skyndsamt (issue #13).
func TestPublicDocumentsRequestGoesToRegistry(t *testing.T) {
	h := newHarness(t)
	h.wantExcluded(citizen("ah1@example.com", "Journalist <red@tidning.example>", "Begäran om allmän handling",
		"Hej! Jag begär att få ta del av samtliga synpunkter om snöröjningen i januari och kommunens svar på dem."), "allman_handling")
	var to []string
	for _, n := range h.outbox(synpunkt.KindNotice) {
		to = append(to, n.To)
	}
	want := "registrator@exempelby.se kontaktcenter.chef@exempelby.se red@tidning.example"
	if strings.Join(to, " ") != want {
		t.Errorf("notices to %q, want %q (registry, contact-center copy, reply)", to, want)
	}
}
