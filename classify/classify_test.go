package classify

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
)

const mailbox = "synpunkter@exempelby.se"

func msg(from, subject, text string) *synpunkt.Message {
	return &synpunkt.Message{From: synpunkt.Address{Addr: from}, Subject: subject, Text: text,
		To: []synpunkt.Address{{Addr: mailbox}}}
}

func to(addrs ...string) []synpunkt.Address {
	var out []synpunkt.Address
	for _, a := range addrs {
		out = append(out, synpunkt.Address{Addr: a})
	}
	return out
}

func TestClassifyTable(t *testing.T) {
	c := mustSample(t)
	tests := []struct {
		name, subject, text string
		wantCat             synpunkt.DocType
		wantUnit            string
		wantHandler         string // "" = don't care
	}{
		{"inflected compound snöröjningen", "Snöröjningen", "Snöröjningen på vår gata är under all kritik, ingen plogbil på en vecka.", synpunkt.DocKlagomal, "Gatu- och parkenheten", "gatuchef@exempelby.se"},
		{"gatlyktan är trasig", "", "Gatlyktan är trasig utanför Rosenvägen 3.", synpunkt.DocFelanmalan, "Gatu- och parkenheten", "belysning@exempelby.se"},
		{"jättebra bemötande", "Tack", "Jättebra bemötande av personalen på biblioteket!", synpunkt.DocBerom, "Bibliotek", "bibliotekschef@exempelby.se"},
		{"varför har ni ...?", "Fråga", "Varför har ni ändrat öppettiderna på simhallen? När gäller de nya tiderna?", synpunkt.DocFraga, "Idrott och fritid", "badmastare@exempelby.se"},
		{"negated praise", "Hemtjänsten", "Det är inte bra att hemtjänsten kommer så sent varje dag.", synpunkt.DocKlagomal, "Hemtjänst", ""},
		{"praise inside a complaint", "Maten", "Personalen på äldreboendet är trevlig men maten är kall och dålig varje dag.", synpunkt.DocKlagomal, "Äldreboende", ""},
		{"suggestion", "", "Jag föreslår att förskolan öppnar tidigare på morgonen.", synpunkt.DocForslag, "Förskola", ""},
		{"short mail", "Trasig lampa Storgatan 5", "Trasig lampa Storgatan 5", synpunkt.DocFelanmalan, "Gatu- och parkenheten", ""},
		{"english fault", "Broken street light", "The street light outside my house is broken.", synpunkt.DocFelanmalan, "Gatu- och parkenheten", "belysning@exempelby.se"},
		{"english question", "Library card", "How do I get a library card?", synpunkt.DocFraga, "Bibliotek", ""},
		{"topic handler graffiti", "Klotter", "Någon har klottrat på tunneln vid stationen.", synpunkt.DocFelanmalan, "Gatu- och parkenheten", "klotter@exempelby.se"},
		{"unit handler", "Bygglov", "Behöver jag bygglov för ett plank?", synpunkt.DocFraga, "Bygglovsenheten", "bygglov@exempelby.se"},
		{"förskolan is not grundskola", "", "Förskolan Ekorren har för stora barngrupper, det är inte acceptabelt.", synpunkt.DocKlagomal, "Förskola", ""},
		{"sopbilen", "", "Sopbilen kom inte i tisdags, soporna är inte hämtade.", synpunkt.DocFelanmalan, "Avfall och återvinning", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := c.Classify(msg("medborgare@example.com", tt.subject, tt.text), to(mailbox), false)
			if d.Category != tt.wantCat || d.Unit.Name != tt.wantUnit || d.Triage || d.Exclusion != nil {
				t.Errorf("Classify(%q) = %s/%s triage=%v excl=%v, want %s/%s\ncategory: %v\nunit: %v",
					tt.text, d.Category, d.Unit.Name, d.Triage, d.Exclusion, tt.wantCat, tt.wantUnit, d.CategoryReasons, d.UnitReasons)
			}
			if tt.wantHandler != "" && d.Handler != tt.wantHandler {
				t.Errorf("Classify(%q).Handler = %q, want %q", tt.text, d.Handler, tt.wantHandler)
			}
		})
	}
}

func TestPlusAddress(t *testing.T) {
	c := mustSample(t)
	d := c.Classify(msg("a@example.com", "Synpunkt", "Hej, jag har en synpunkt."), to("synpunkter+avfall@exempelby.se"), false)
	if d.Unit.Name != "Avfall och återvinning" || d.Triage || d.UnitConfidence < 0.9 {
		t.Fatalf("plus-address: unit %q triage=%v conf=%.2f", d.Unit.Name, d.Triage, d.UnitConfidence)
	}
	if len(d.UnitReasons) == 0 || d.UnitReasons[0] != `plusadress "avfall"` {
		t.Errorf("UnitReasons = %q, want plusadress \"avfall\" first", d.UnitReasons)
	}
	// A tag that names no unit (a case thread) is ignored, not an error.
	d = c.Classify(msg("a@example.com", "", "Gatlyktan är trasig."), to("synpunkter+SYN-2026-00042.abc@exempelby.se"), false)
	if d.Unit.Name != "Gatu- och parkenheten" {
		t.Errorf("unknown tag: unit %q, want Gatu- och parkenheten", d.Unit.Name)
	}
}

const formMail = `Ett nytt ärende har skickats in via e-tjänsten Lämna synpunkt.

Namn: Rolf Åkesson
E-post: Rolf.Akesson@example.com
Telefon: 070-123 45 67
Kategori: Felanmälan
Verksamhet: Vatten och avlopp
Meddelande: Brandposten vid Lindvägen läcker vatten.
Det har pågått i två dagar.
Vill du ha svar: Ja
Anonym: %s
`

func TestFormMail(t *testing.T) {
	c := mustSample(t)
	d := c.Classify(msg("noreply-e-tjanst@exempelby.se", "Ny synpunkt via e-tjänst", fmt.Sprintf(formMail, "Nej")), to(mailbox), false)
	if d.Form == nil {
		t.Fatal("Form = nil for form mail")
	}
	if got := d.Form.ReceiptAddress(); got != "rolf.akesson@example.com" {
		t.Errorf("ReceiptAddress() = %q, want the citizen's address from the form", got)
	}
	if d.Exclusion != nil {
		t.Errorf("form mail from own domain excluded as %q", d.Exclusion.Class)
	}
	if d.Category != synpunkt.DocFelanmalan || d.Unit.Name != "VA-enheten" || !d.Form.WantsReply || d.Form.Phone != "070-123 45 67" {
		t.Errorf("form: %s/%s wantsReply=%v phone=%q", d.Category, d.Unit.Name, d.Form.WantsReply, d.Form.Phone)
	}
	wantText := "Brandposten vid Lindvägen läcker vatten.\nDet har pågått i två dagar."
	if d.Text != wantText {
		t.Errorf("Text = %q, want %q", d.Text, wantText)
	}
	if !contains(d.UnitReasons, "formulärfält Verksamhet") || !contains(d.CategoryReasons, "formulärfält Kategori") {
		t.Errorf("reasons do not name the form fields: %q %q", d.CategoryReasons, d.UnitReasons)
	}

	d = c.Classify(msg("noreply-e-tjanst@exempelby.se", "Ny synpunkt via e-tjänst", fmt.Sprintf(formMail, "Ja")), to(mailbox), false)
	if !d.Form.Anonymous || d.Form.ReceiptAddress() != "" || d.Form.Name != "" || d.Form.Email != "" || d.Form.Phone != "" {
		t.Errorf("anonymous form keeps contact details: %+v", d.Form)
	}
}

func contains(xs []string, sub string) bool {
	for _, x := range xs {
		if strings.Contains(x, sub) {
			return true
		}
	}
	return false
}

func TestExclusions(t *testing.T) {
	c := mustSample(t)
	tests := []struct {
		name, from, text, want, wantDest string
	}{
		{"party sender", "info@exempelbypartiet.example", "Välkommen till vårt möte om skolan.", "politisk", "registrator@exempelby.se"},
		{"political content", "x@example.com", "Vår fullmäktigegrupp lägger en motion om cykelvägar.", "politisk", "registrator@exempelby.se"},
		{"avvikelse", "x@example.com", "Jag vill rapportera en avvikelse: en brukare fick fel läkemedel.", "avvikelse", "mas@exempelby.se"},
		{"lex sarah", "x@example.com", "Anmälan enligt lex Sarah om missförhållanden på boendet.", "avvikelse", "mas@exempelby.se"},
		{"kränkning", "x@example.com", "Min son blir mobbad i skolan varje dag.", "krankning", "krankningar@exempelby.se"},
		{"bullying in English", "x@example.com", "My daughter is being bullied at school.", "krankning", "krankningar@exempelby.se"},
		{"internal staff", "anna.anstalld@exempelby.se", "Kaffemaskinen i personalrummet är trasig.", "intern", "kvalitet@exempelby.se"},
		{"internal staff subdomain", "handl@socialtjanst.exempelby.se", "Vi har för hög arbetsbelastning.", "intern", "kvalitet@exempelby.se"},
		{"not political: motionsspår", "x@example.com", "Bygg ett utegym vid motionsspåret.", "", ""},
		{"not avvikelse: fell on ice", "x@example.com", "Jag halkade på isen vid torget, ni har inte sandat.", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := c.Classify(msg(tt.from, "", tt.text), to(mailbox), c.isOwn(tt.from)) // own domain: staff, as without authserv_id
			got, dest := "", ""
			if d.Exclusion != nil {
				got, dest = d.Exclusion.Class, d.Exclusion.Destination
			}
			if got != tt.want || dest != tt.wantDest {
				t.Errorf("Classify(%q).Exclusion = %q → %q, want %q → %q", tt.text, got, dest, tt.want, tt.wantDest)
			}
			if d.Exclusion != nil && len(d.Exclusion.Reasons) == 0 {
				t.Errorf("exclusion %q without reasons", got)
			}
		})
	}
}

func TestStaffForwardOfCitizenMailIsNotInternal(t *testing.T) {
	c := mustSample(t)
	text := "Kan ni registrera detta?\n\n-----Ursprungligt meddelande-----\nFrån: Stina Kvarn <stina.kvarn@example.com>\nSkickat: den 10 mars 2026\nÄmne: Läxhjälp\n\nLäxhjälpen på Ekbackeskolan har varit inställd i fem veckor. Jag är mycket besviken."
	d := c.Classify(msg("rektor@exempelby.se", "VB: Läxhjälp", text), to(mailbox), true)
	if d.Exclusion != nil {
		t.Fatalf("staff forward excluded as %q", d.Exclusion.Class)
	}
	if d.ForwardedFrom != "stina.kvarn@example.com" || !strings.HasPrefix(d.Text, "Läxhjälpen") {
		t.Errorf("ForwardedFrom = %q, Text = %q", d.ForwardedFrom, d.Text)
	}
	if d.Unit.Name != "Grundskola" || d.Category != synpunkt.DocKlagomal {
		t.Errorf("forward: %s/%s, want Klagomål/Grundskola", d.Category, d.Unit.Name)
	}
}

func TestTriageWhenUnsure(t *testing.T) {
	c := mustSample(t)
	d := c.Classify(msg("a@example.com", "Hej", "Jag har en fundering som jag vill ta upp."), to(mailbox), false)
	if !d.Triage || d.Unit.Name != "Kontaktcenter" || d.Handler != "kontaktcenter.chef@exempelby.se" {
		t.Errorf("unsure: triage=%v unit=%q handler=%q", d.Triage, d.Unit.Name, d.Handler)
	}
	if !contains(d.UnitReasons, "säkerhet") {
		t.Errorf("triage without a reason: %q", d.UnitReasons)
	}
}

func TestReasonsHoldNoPersonalData(t *testing.T) {
	c := mustSample(t)
	text := "Jag heter Kalle Karlsson, 19800101-1234, kalle@example.com, 070-1234567. Gatlyktan på Storgatan 12 är trasig."
	d := c.Classify(msg("kalle@example.com", "Kalle Karlsson", text), to(mailbox), false)
	all := strings.Join(append(append([]string{}, d.CategoryReasons...), d.UnitReasons...), " ")
	for _, pd := range []string{"Kalle", "Karlsson", "19800101", "kalle@", "070", "12"} {
		if strings.Contains(all, pd) {
			t.Errorf("reasons %q contain %q", all, pd)
		}
	}
}

func TestUnitByName(t *testing.T) {
	c := mustSample(t)
	for name, want := range map[string]string{"gata": "Gatu- och parkenheten", "GATU- OCH PARKENHETEN": "Gatu- och parkenheten", "simhall": "Idrott och fritid", "ifo": "Individ- och familjeomsorg"} {
		if u, ok := c.UnitByName(name); !ok || u.Name != want {
			t.Errorf("UnitByName(%q) = %q, %v, want %q", name, u.Name, ok, want)
		}
	}
	if _, ok := c.UnitByName("finns-inte"); ok {
		t.Error("UnitByName(finns-inte) found a unit")
	}
}

func TestInternalStaffOff(t *testing.T) {
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Classify.InternalStaff = false
	c := mustClassifier(t, cfg)
	if d := c.Classify(msg("anna@exempelby.se", "", "Gatlyktan är trasig."), to(mailbox), true); d.Exclusion != nil {
		t.Errorf("internal_staff=false: excluded as %q", d.Exclusion.Class)
	}
}

// TestStaffPassingOnIsNotInternal: staff mail whose subject says it is
// passed on is a citizen's matter even without a forwarded header;
// other staff mail stays internal.
func TestStaffPassingOnIsNotInternal(t *testing.T) {
	c := mustSample(t)
	note := "Samtal till växeln, noterat av Ellen: en förälder vill ha fler vuxna ute på rasterna."
	for subject, wantIntern := range map[string]bool{"VB: Synpunkt från telefon": false, "Vidarebefordrat: tack": false, "Fwd: skolgården": false, "Rasterna": true} {
		d := c.Classify(msg("vaxel@exempelby.se", subject, note), to(mailbox), true)
		if got := d.Exclusion != nil && d.Exclusion.Class == ClassInternal; got != wantIntern {
			t.Errorf("subject %q: internal = %v, want %v", subject, got, wantIntern)
		}
	}
}

func TestConfigRulesExtend(t *testing.T) {
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Classify.CategoryRules = []config.CategoryRule{{Category: "Felanmälan", Words: []string{"vattenpöl"}, Weight: 4}}
	cfg.Units[1].Keywords = append(cfg.Units[1].Keywords, "vattenpöl")
	c := mustClassifier(t, cfg)
	d := c.Classify(msg("a@example.com", "", "Stora vattenpölar vid Ekvägen."), to(mailbox), false)
	if d.Category != synpunkt.DocFelanmalan || d.Unit.Name != "Gatu- och parkenheten" {
		t.Errorf("config rule: %s/%s (%q %q)", d.Category, d.Unit.Name, d.CategoryReasons, d.UnitReasons)
	}
}

func TestConfigValidationNamesKey(t *testing.T) {
	tests := []struct{ edit, wantField string }{
		{"[classify]\nmin_confidence = 2\n", "classify.min_confidence"},
		{"[classify]\ntriage_unit = \"Finns inte\"\n", "classify.triage_unit"},
		{"[[classify.forms]]\nfrom = \"not an address\"\n", "classify.forms[0].from"},
		{"[[classify.forms]]\nfrom = \"f@exempelby.se\"\nlabels = { Namn = \"namn\" }\n", "classify.forms[0].labels"},
		{"[[classify.exclusions]]\nclass = \"politisk\"\ndestination = \"r@exempelby.se\"\n", "classify.exclusions[0].keywords"},
		{"[[classify.category_rules]]\ncategory = \"Ilska\"\nwords = [\"arg\"]\n", "classify.category_rules[0].category"},
	}
	base := unitsHeader("X", "exempelby.se") + `[[units]]
name = "Kontaktcenter"
committee = "KS"
manager = "kc@exempelby.se"
default = true
`
	for _, tt := range tests {
		_, err := config.Parse([]byte(base + tt.edit))
		var ve *config.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.wantField {
			t.Errorf("Parse(%q) = %v, want a ValidationError on %s", tt.edit, err, tt.wantField)
		}
	}
	if _, err := config.Parse([]byte(base)); err != nil {
		t.Errorf("Parse(no [classify]) = %v, want defaults", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := mustSample(t)
	exs := mustCorpus(t, "testdata/corpus")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, ex := range exs[i*10 : i*10+10] {
				c.Classify(ex.Msg, ex.Msg.To, c.isOwn(ex.Msg.From.Addr))
			}
		}()
	}
	wg.Wait()
}

func FuzzClassify(f *testing.F) {
	c := mustSample(f)
	for _, s := range []string{"Trasig lampa Storgatan 5", "Namn: X\nMeddelande:", "> > Från: a@b\n-----Ursprungligt meddelande-----\nFrån:", "inte bra?", "ÅÄÖ åäö ?!.", ""} {
		f.Add("a@example.com", s)
		f.Add("noreply-e-tjanst@exempelby.se", s)
	}
	f.Fuzz(func(t *testing.T, from, text string) {
		d := c.Classify(msg(from, text, text), to("synpunkter+"+text+"@exempelby.se"), c.isOwn(from))
		ok := false
		for _, cat := range synpunkt.Categories {
			ok = ok || d.Category == cat
		}
		if !ok || d.Unit.Name == "" || d.Handler == "" {
			t.Errorf("Classify(%q) = category %q unit %q handler %q", text, d.Category, d.Unit.Name, d.Handler)
		}
		if d.CategoryConfidence < 0 || d.CategoryConfidence > 1 || d.UnitConfidence < 0 || d.UnitConfidence > 1 {
			t.Errorf("confidence out of range: %v %v", d.CategoryConfidence, d.UnitConfidence)
		}
	})
}

// Classify takes the caller's staff decision and never re-derives it from
// the From domain: own-domain mail the caller did not authenticate is
// ordinary citizen mail, neither internal nor a staff forward.
func TestOwnDomainNotStaffIsCitizenMail(t *testing.T) {
	c := mustSample(t)
	if d := c.Classify(msg("anna.anstalld@exempelby.se", "", "Gatlyktan på Storgatan är trasig."), to(mailbox), false); d.Exclusion != nil {
		t.Errorf("unauthenticated own-domain mail excluded as %q", d.Exclusion.Class)
	}
	text := "Kan ni registrera detta?\n\n-----Ursprungligt meddelande-----\nFrån: Stina Kvarn <stina.kvarn@example.com>\nÄmne: Läxhjälp\n\nLäxhjälpen har varit inställd i fem veckor."
	if d := c.Classify(msg("rektor@exempelby.se", "VB: Läxhjälp", text), to(mailbox), false); d.ForwardedFrom != "" {
		t.Errorf("unauthenticated own-domain mail taken for a staff forward from %q", d.ForwardedFrom)
	}
}

// TestUnnamedFormIsNotInternal: an own-domain e-service address the
// config does not name as a form sender, whose body is a filled-in form,
// carries a citizen's submission: read as a form (the citizen's address
// and text), never excluded as internal mail. A colleague's note that only
// mentions a message, or that gives a colleague's own address, stays
// internal.
func TestUnnamedFormIsNotInternal(t *testing.T) {
	c := mustSample(t)
	body := "Namn: Leif Andersson\nE-post: leif.a@example.net\nTelefon:\nMeddelande: Får man bygga en brygga vid sjön?\nDen gamla ruttnade."
	d := c.Classify(&synpunkt.Message{From: synpunkt.Address{Addr: "noreply@exempelby.se"}, Subject: "Synpunkt via e-tjänst",
		Text: body, To: to(mailbox)}, to(mailbox), true)
	if d.Exclusion != nil {
		t.Fatalf("form from an unnamed own-domain sender excluded as %q", d.Exclusion.Class)
	}
	if d.Form == nil || d.Form.Email != "leif.a@example.net" || d.Form.Name != "Leif Andersson" || !strings.HasPrefix(d.Text, "Får man bygga") {
		t.Fatalf("form not read: %+v text %q", d.Form, d.Text)
	}
	// Other wordings of the same fields.
	d = c.Classify(&synpunkt.Message{From: synpunkt.Address{Addr: "etjanst@exempelby.se"}, Subject: "Ny synpunkt",
		Text: "Ditt namn: Eva Ek\nDin e-post: eva@example.org\nDin synpunkt: Gatlyktan vid Rosenvägen 3 är trasig.", To: to(mailbox)}, to(mailbox), true)
	if d.Exclusion != nil || d.Form == nil || d.Form.Email != "eva@example.org" || !strings.HasPrefix(d.Text, "Gatlyktan") {
		t.Fatalf("form with other labels: exclusion %+v form %+v text %q", d.Exclusion, d.Form, d.Text)
	}
	for _, text := range []string{
		"Meddelande: kaffemaskinen är trasig igen.",                                                   // no contact field
		"Namn: Anna Anställd\nE-post: anna.anstalld@exempelby.se\nMeddelande: Rasterna är för korta.", // a colleague's own address
	} {
		d := c.Classify(&synpunkt.Message{From: synpunkt.Address{Addr: "anna.anstalld@exempelby.se"}, Subject: "Rasterna",
			Text: text, To: to(mailbox)}, to(mailbox), true)
		if d.Exclusion == nil || d.Exclusion.Class != ClassInternal {
			t.Errorf("%q: want internal, got %+v", text, d.Exclusion)
		}
	}
}

// TestStaffNamingACitizenIsNotInternal: staff mail that says it passes
// on what a resident said, without a forward subject or header, is the
// resident's synpunkt; a colleague's own view stays internal.
func TestStaffNamingACitizenIsNotInternal(t *testing.T) {
	c := mustSample(t)
	for text, wantIntern := range map[string]bool{
		"Hej! En förälder ringde i morse och undrar varför skolbussen inte stannar vid Bäckavägen längre.": false,
		"Lägger detta här för registrering: gatlyktan vid Rosenvägen 3 är trasig sedan en vecka.":          false,
		"Synpunkt från en medborgare via telefon: fler bänkar i stadsparken.":                              false,
		"Kaffemaskinen i personalrummet är trasig igen.":                                                   true,
		"Synpunkt från medarbetare: lönesystemet är krångligt.":                                            true,
	} {
		d := c.Classify(msg("anna.anstalld@exempelby.se", "Synpunkt", text), to(mailbox), true)
		if got := d.Exclusion != nil && d.Exclusion.Class == ClassInternal; got != wantIntern {
			t.Errorf("%q: internal = %v, want %v", text, got, wantIntern)
		}
	}
}
