package classify

import (
	"slices"
	"testing"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
)

// adminConfig is a config as an administrator writes one: name,
// committee, manager and a few keywords, no aliases naming an area.
func adminConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(unitsHeader("Adminby kommun", "adminby.se") + `[[units]]
name = "Medborgarservice"
committee = "Kommunstyrelsen"
manager = "service@adminby.se"
default = true
[[units]]
name = "Bibliotek"
committee = "Kultur- och fritidsnämnden"
manager = "bibliotek@adminby.se"
keywords = ["bibliotek", "lånekort"]
[[units]]
name = "Gata och trafik"
committee = "Tekniska nämnden"
manager = "gata@adminby.se"
keywords = ["gator", "parkering"]
[[units]]
name = "Renhållning"
committee = "Tekniska nämnden"
manager = "renhallning@adminby.se"
keywords = ["sophämtning"]
[[units]]
name = "Förskoleverksamheten"
committee = "Barn- och utbildningsnämnden"
manager = "forskola@adminby.se"
[[units]]
name = "Skolor"
committee = "Barn- och utbildningsnämnden"
manager = "skola@adminby.se"
[[units]]
name = "Äldreomsorg"
committee = "Vård- och omsorgsnämnden"
manager = "aldre@adminby.se"
[[units]]
name = "Stöd och service"
committee = "Vård- och omsorgsnämnden"
manager = "lss@adminby.se"
keywords = ["LSS", "daglig verksamhet"]
[[units]]
name = "Fritidsavdelningen"
committee = "Kultur- och fritidsnämnden"
manager = "fritid@adminby.se"
[[units]]
name = "Enhet X"
committee = "Nämnd Y"
manager = "x@adminby.se"
keywords = ["foo"]
`))
	if err != nil {
		t.Fatalf("config.Parse(admin) = %v", err)
	}
	return cfg
}

// A unit gets the built-in areas its name, keywords and committee point
// at, without any alias naming them (issue #13: the areas were switched
// off unless an alias named them).
func TestInferAreas(t *testing.T) {
	c := mustClassifier(t, adminConfig(t))
	want := map[string][]string{
		"Medborgarservice": {"kontaktcenter"}, "Bibliotek": {"bibliotek"}, "Gata och trafik": {"gata"},
		"Renhållning": {"avfall"}, "Förskoleverksamheten": {"forskola"}, "Skolor": {"grundskola"},
		"Äldreomsorg": {"aldreboende", "hemtjanst"}, "Stöd och service": {"funktionsstod"},
		"Fritidsavdelningen": {"idrott"}, "Enhet X": nil,
	}
	for _, ua := range c.Areas() {
		if !slices.Equal(ua.Areas, want[ua.Unit]) {
			t.Errorf("Areas(%q) = %v (%s), want %v", ua.Unit, ua.Areas, ua.Source, want[ua.Unit])
		}
	}
}

// Everyday words that are none of the unit's keywords — short forms,
// slang, compounds, English — route by the inferred areas.
func TestAdminConfigRoutesEverydayWords(t *testing.T) {
	c := mustClassifier(t, adminConfig(t))
	tests := []struct{ subject, text, unit string }{
		{"Bibblan", "Varför har bibblan så korta öppettider på lördagar?", "Bibliotek"},
		{"", "The library closes far too early, I can never get there after work.", "Bibliotek"},
		{"Plogning", "Ingen plogbil har synts på vår gata på tre dagar.", "Gata och trafik"},
		{"", "Soptunnan har inte tömts på två veckor och det luktar.", "Renhållning"},
		{"Dagis", "Vårt barn har fått plats på dagis men inskolningen var kaotisk.", "Förskoleverksamheten"},
		{"", "Min pappa får sin matlåda kall från hemtjänsten varje dag.", "Äldreomsorg"},
		{"", "Vår son på gruppbostaden har inte fått gå till daglig verksamhet på en månad.", "Stöd och service"},
		{"", "Badhuset hade stängt bastun igen utan förvarning.", "Fritidsavdelningen"},
		{"", "Eleverna på mellanstadiet får ingen läxhjälp längre.", "Skolor"},
		// Finnish, Arabic and Somali everyday words (vocab_lang.go).
		{"", "Hei, onko teillä suomenkielistä päiväkotiryhmää? Tyttäremme on 3-vuotias.", "Förskoleverksamheten"},
		{"", "Roskis on tyhjentämättä kolmatta viikkoa.", "Renhållning"},
		{"", "مرحبا، أريد أن أشكر موظفي الرعاية المنزلية الذين يساعدون والدتي كل يوم.", "Äldreomsorg"},
		{"", "Salaan, goorma ayay maktabadda furan tahay sabtida?", "Bibliotek"},
	}
	for _, tt := range tests {
		d := c.Classify(msg("medborgare@example.com", tt.subject, tt.text), to("synpunkter@adminby.se"), false)
		if d.Unit.Name != tt.unit || d.Triage {
			t.Errorf("Classify(%q) = %q triage=%v, want %q (%v)", tt.text, d.Unit.Name, d.Triage, tt.unit, d.UnitReasons)
		}
	}
}

// Umbrella units get the areas of their parts, and where a specialised
// unit has one of them it keeps it alone; a keyword that only mentions
// another unit's area ("enskilt avlopp") does not take that area.
func TestUmbrellaAndSharedAreas(t *testing.T) {
	us := synpunkt.Units{{Name: "Vård och omsorg"}, {Name: "Hemtjänsten"}, {Name: "Barn och utbildning"}, {Name: "Förskolan"},
		{Name: "Vatten och avlopp"}, {Name: "Miljökontoret", Keywords: []string{"buller", "enskilt avlopp"}}}
	uas := make([]UnitAreas, len(us))
	for i, u := range us {
		uas[i] = inferAreas(u)
	}
	dedupAreas(us, uas)
	want := [][]string{{"aldreboende"}, {"hemtjanst"}, {"grundskola"}, {"forskola"}, {"va"}, {"miljo"}}
	for i := range us {
		if !slices.Equal(uas[i].Areas, want[i]) {
			t.Errorf("%s: areas %v, want %v", us[i].Name, uas[i].Areas, want[i])
		}
	}
}

// TestInferAreasFromNamesThatDoNotSayIt: organisational names,
// abbreviations, compounds with an organisational head and English names
// get their areas without any alias or keyword (issue 13).
func TestInferAreasFromNamesThatDoNotSayIt(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"Tekniska kontoret", []string{"avfall", "gata", "park", "va"}},
		{"Stadsmiljöavdelningen", []string{"gata", "park"}},
		{"Björkviks Energi och Vatten AB", []string{"va"}},
		{"Renhållningsbolaget AB", []string{"avfall"}},
		{"SOC", []string{"ifo"}},
		{"VoO", []string{"aldreboende", "hemtjanst"}},
		{"MHK", []string{"miljo"}},
		{"BUF", []string{"forskola", "grundskola"}},
		{"KFF", []string{"idrott", "kultur"}},
		{"Kommunledningskontoret", []string{"kontaktcenter"}},
		{"Ishallen", []string{"idrott"}},
		{"Water and sewage", []string{"va"}},
		{"Waste management", []string{"avfall"}},
		{"Elderly care", []string{"aldreboende", "hemtjanst"}},
		{"Preschools", []string{"forskola"}},
		{"Building permits", []string{"bygglov"}},
		{"Vattenbolaget", []string{"va"}},
		{"Planavdelningen", []string{"bygglov"}},
		{"Miljö- och byggförvaltningen", []string{"bygglov", "miljo"}},
		{"Kontakt kommunen", []string{"kontaktcenter"}},
		// i13e
		{"Teknik och service", []string{"avfall", "gata", "park", "va"}},
		{"Teknik- och fastighetsförvaltningen", []string{"avfall", "fastighet", "gata", "park", "va"}},
		{"Stadsmiljöförvaltningen", []string{"gata", "park"}},
		{"Ungdomens hus", []string{"idrott"}},
		{"Krisberedskap", []string{"raddning"}},
	} {
		got := inferAreas(synpunkt.Unit{Name: tc.name, Committee: "Kommunstyrelsen"})
		if !slices.Equal(got.Areas, tc.want) {
			t.Errorf("inferAreas(%q) = %v, want %v", tc.name, got.Areas, tc.want)
		}
	}
}

// "tagg" (graffiti) stems to "tag": written as a free word it matched
// "överhuvudtaget" and German "Tag" as a compound head.
func TestTaggIsNotOverhuvudtaget(t *testing.T) {
	toks := tokenize("Läser någon brevlådan överhuvudtaget? Guten Tag!", 1)
	for _, w := range areaByName("park").vocab {
		if ps := w.term.matches(toks); len(ps) > 0 {
			t.Errorf("park term %q matches %q", w.term.text, toks[ps[0]].raw)
		}
	}
}
