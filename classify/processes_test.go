package classify

import (
	"strings"
	"testing"
)

// Mail for another process is recognised on unseen wording by built-in
// vocabulary, with a config that lists no exclusions (issue #13), and a
// request for public documents goes to the registry with a copy to the
// triage unit.
func TestOtherProcessesBuiltin(t *testing.T) {
	cfg := adminConfig(t)
	cfg.Classify.Registry = "registrator@adminby.se"
	c := mustClassifier(t, cfg)
	tests := []struct{ subject, text, class, dest string }{
		{"Begäran om allmän handling", "Hej, jag begär att få ta del av alla beslut om parkeringstillstånd från 2025.", ClassPublicDocuments, "registrator@adminby.se"},
		{"", "Jag vill ta del av protokollet och beslutsunderlaget för nedläggningen av Byskolan. Skicka gärna handlingarna digitalt.", ClassPublicDocuments, "registrator@adminby.se"},
		{"Mamma", "Personalen från hemtjänsten gav mamma fel tabletter i går, det var en annan brukares dosett.", ClassIncident, "service@adminby.se"},
		{"", "Pappa ramlade i badrummet på boendet och låg på golvet hela natten innan personalen hittade honom.", ClassIncident, "service@adminby.se"},
		{"", "En pedagog skrek åt min dotter och drog henne hårt i armen inför hela barngruppen på förskolan.", ClassAbuse, "service@adminby.se"},
		{"", "Min son blir mobbad varje rast och lärarna gör ingenting.", ClassAbuse, "service@adminby.se"},
		{"Pressmeddelande", "Partiet kräver att majoriteten river upp beslutet. Vi lägger en interpellation i fullmäktige.", ClassPolitical, "service@adminby.se"},
		// A setting cue with an act cue, in words no phrase lists.
		{"", "Nattpersonalen på gruppbostaden glömde min bror i duschen och han halkade.", ClassIncident, "service@adminby.se"},
		{"", "The carers left my father without food all weekend and he was dehydrated, lying on the floor.", ClassIncident, "service@adminby.se"},
		{"", "Några elever i klassen hånade min dotter och spred en bild på henne på Snapchat.", ClassAbuse, "service@adminby.se"},
		{"", "Vi boende kräver att kommunfullmäktige river upp beslutet om att stänga biblioteket i Åby.", ClassPolitical, "service@adminby.se"},
		{"", "We petition the councillors to reconsider the closure of the swimming pool.", ClassPolitical, "service@adminby.se"},
	}
	for _, tt := range tests {
		d := c.Classify(msg("medborgare@example.com", tt.subject, tt.text), to("synpunkter@adminby.se"), false)
		if d.Exclusion == nil || d.Exclusion.Class != tt.class || d.Exclusion.Destination != tt.dest {
			t.Errorf("Classify(%q).Exclusion = %+v, want class %s to %s", tt.text, d.Exclusion, tt.class, tt.dest)
			continue
		}
		if r := strings.Join(d.Exclusion.Reasons, " "); !strings.Contains(r, "inbyggt ord") && !strings.Contains(r, "inbyggd kombination") {
			t.Errorf("Classify(%q) reasons %q do not name the built-in words", tt.text, d.Exclusion.Reasons)
		}
		if wantCopy := tt.class == ClassPublicDocuments; (d.Exclusion.Copy == "service@adminby.se") != wantCopy {
			t.Errorf("Classify(%q).Exclusion.Copy = %q, want the triage manager: %v", tt.text, d.Exclusion.Copy, wantCopy)
		}
	}
	// Synpunkter that share words with these classes stay synpunkter.
	for _, text := range []string{
		"Vilka handlingar behöver jag skicka in för att söka bygglov för ett garage?",
		"Förslag: sätt upp dricksvattenfontäner i stadsparken och vid idrottsplatsen.",
		"Klassen har haft fyra olika lärare på ett halvår och skolan måste skärpa sig.",
		"Hemtjänsten kommer sent och pappa får sin medicin för sent på kvällen.",
		"Maten som hemtjänsten lagar till mamma är tråkig, samma soppa varje dag.",
		"Tack till personalen på äldreboendet som var fantastiska när pappa ramlade och bröt armen.",
		"Var publiceras protokollen från kommunfullmäktige? Jag hittar dem inte på webben.",
		"Jag föreslår att ni sätter upp fler bänkar vid sjön.",
		"Hur arbetar skolan mot mobbning?",
		"Jag halkade på isen utanför skolan i morse, ni måste sanda bättre.",
		"Can the council explain why the bins were not collected?",
		"I demand that the council fixes the potholes on my street.",
		"Byggnadsnämnden har handlagt mitt ärende i sex månader. Jag kräver att nämnden ger mig ett besked nu.",
		"Hemtjänsten tvättar pappas kläder för varmt så allt krymper.",
		"Skolan hotar att stänga biblioteket, det är fel.",
		"Lärarna filmade skolavslutningen, kan vi få filmen?",
		"Eleverna kastade snöbollar på bilarna utanför skolan i går.",
		"Det dröjde två veckor innan hemtjänsten svarade på mitt mejl.",
		"Ambulansen kom inte fram till äldreboendet för att vägen inte var plogad.",
		"Pappa har inte fått sin faktura från hemtjänsten på tre månader.",
		"Trygghetslarmet piper hela tiden, kan någon komma och byta batteri?",
	} {
		if d := c.Classify(msg("medborgare@example.com", "", text), to("synpunkter@adminby.se"), false); d.Exclusion != nil {
			t.Errorf("Classify(%q) excluded as %s (%v), want a synpunkt", text, d.Exclusion.Class, d.Exclusion.Reasons)
		}
	}
}
