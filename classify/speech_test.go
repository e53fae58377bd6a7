package classify

import (
	"testing"

	synpunkt "github.com/exempelby/synpunkt"
)

// The category follows what a sentence does, not its surface form (issue
// #13): an angry question is a complaint, a question can be a suggestion,
// praise needs no thank-you word.
func TestSpeechActs(t *testing.T) {
	c := mustSample(t)
	tests := []struct {
		text string
		want synpunkt.DocType
	}{
		{"Varför plogar ni alltid vår gata sist?", synpunkt.DocKlagomal},
		{"Hur kommer det sig att ni aldrig tömmer våra kärl i tid?", synpunkt.DocKlagomal},
		{"Är det meningen att lekplatsen ska vara så här sunkig?", synpunkt.DocKlagomal},
		{"Kan ni inte sätta upp fler cykelställ vid stationen?", synpunkt.DocForslag},
		{"Skulle det gå att få en papperskorg vid busshållplatsen?", synpunkt.DocForslag},
		{"Varför inte bygga en hundrastgård i Norrparken?", synpunkt.DocForslag},
		{"Vilken härlig konsert i parken i lördags!", synpunkt.DocBerom},
		{"Vad bra att biblioteket har öppet på söndagar nu!", synpunkt.DocBerom},
		// Real questions stay questions; a demand to repair is no suggestion.
		{"När öppnar simhallen efter renoveringen?", synpunkt.DocFraga},
		{"Varför har ni ändrat öppettiderna på simhallen? När gäller de nya tiderna?", synpunkt.DocFraga},
		{"Kan ni inte laga gatlyktan på Storgatan? Den är trasig.", synpunkt.DocFelanmalan},
		// i13d: proposals without a proposal's usual words.
		{"Kan inte biblioteket ha öppet på söndagar också?", synpunkt.DocForslag},
		{"Mer vegetariskt på förskolan tack!", synpunkt.DocForslag},
		{"Fler papperskorgar längs promenaden!", synpunkt.DocForslag},
		{"Kan ni inte tömma glasigloon oftare på helgerna?", synpunkt.DocForslag},
		{"Hej, skulle det gå att göra en hundrastgård i centrum?", synpunkt.DocForslag},
		// A question for information stays one beside a grievance; short
		// praise is praise, unless it follows a grievance.
		{"Tar ni fortfarande förseningsavgift för barnböcker? Dottern har haft en bok hemma i två månader.", synpunkt.DocFraga},
		// i13e: asking what one is entitled to or may change is a question.
		{"Vill bara säga att inspektören som var hos oss på pizzerian var jättepedagogisk.", synpunkt.DocBerom},
		{"My father has lived at the home for a year. I want you to know that the staff there are wonderful.", synpunkt.DocBerom},
		{"Min dotter bor varannan vecka hos mig. Har hon rätt till skolskjuts de veckorna?", synpunkt.DocFraga},
		{"Jag fyller knappt halva tunnan. Kan jag byta till en mindre så det blir billigare?", synpunkt.DocFraga},
		{"Anmälde en trasig lampa i tisdags, den var lagad på onsdag. Imponerad!", synpunkt.DocBerom},
		{"Vem fattade det dumma beslutet att ta bort gungorna? Ni har ersatt dem med en bänk. Toppen.", synpunkt.DocKlagomal},
		// An angry fault report is still a fault report.
		{"Gatlampan utanför Ringvägen 7 är släckt, fixa det för fan!", synpunkt.DocFelanmalan},
		// i13f: a fault stated as a fact, a call to restore or improve,
		// praise without thanks, an English question for information and
		// a grievance asked as a question.
		{"Hissen vid stationen fungerar inte sedan i morse.", synpunkt.DocFelanmalan},
		{"Varför har ni slutat med kvällsöppet på fritidsgården? Ta tillbaka det!", synpunkt.DocForslag},
		{"Gör bokningssidan enklare att använda på mobilen.", synpunkt.DocForslag},
		{"Bästa simhallen i länet har vi här, vi åker dit varje vecka.", synpunkt.DocBerom},
		{"Dagverksamheten betyder allt för min mamma.", synpunkt.DocBerom},
		{"Are there any rules for leaf blowers on Sundays?", synpunkt.DocFraga},
		{"Sopbilen kommer varannan vecka och kärlet är fullt. Hur ofta töms det egentligen?", synpunkt.DocKlagomal},
		{"Parkbänkarna vid kyrkan är borttagna. Vem kom på det?", synpunkt.DocKlagomal},
		{"Cykelbanan längs ån har inte sopats på hela våren.", synpunkt.DocKlagomal},
	}
	for _, tt := range tests {
		d := c.Classify(msg("medborgare@example.com", "", tt.text), to(mailbox), false)
		if d.Category != tt.want {
			t.Errorf("Classify(%q).Category = %s, want %s (%v)", tt.text, d.Category, tt.want, d.CategoryReasons)
		}
	}
}
