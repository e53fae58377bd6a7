package pii

import (
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/exempelby/synpunkt"
)

var (
	redactorOnce sync.Once
	redactor     *Redactor
)

func mustRedactor(t testing.TB) *Redactor {
	t.Helper()
	redactorOnce.Do(func() { redactor = New() })
	return redactor
}

func TestRedact(t *testing.T) {
	r := mustRedactor(t)
	tests := []struct {
		in, want string
		known    []string
	}{
		// Personnummer and samordningsnummer.
		{in: "Pnr 811218-3317.", want: "Pnr [personnummer]."},
		{in: "pnr 8112183317", want: "pnr [personnummer]"},
		{in: "19811218-3317", want: "[personnummer]"},
		{in: "198112183317", want: "[personnummer]"},
		{in: "Han är 101 år: 230517+0967", want: "Han är 101 år: [personnummer]"},
		{in: "samordningsnummer 860766-4441", want: "samordningsnummer [personnummer]"},
		{in: "född 811218-1235 enligt brevet", want: "född [personnummer] enligt brevet"}, // Luhn fails, context word
		{in: "Referens 811218-1235 gäller.", want: "Referens 811218-1235 gäller."},        // Luhn fails, no context
		{in: "Order 991332-1234", want: "Order 991332-1234"},                              // no such date
		// Phone numbers.
		{in: "Ring 070-123 45 67", want: "Ring [telefon]"},
		{in: "0701234567", want: "[telefon]"},
		{in: "+46 70 123 45 67", want: "[telefon]"},
		{in: "+46(0)70-123 45 67", want: "[telefon]"},
		{in: "0046 70 123 45 67", want: "[telefon]"},
		{in: "08-123 456 78", want: "[telefon]"},
		{in: "046-12 34 56", want: "[telefon]"},
		{in: "(08) 555 123 45", want: "[telefon]"},
		{in: "+44 7700 900123", want: "[telefon]"},
		{in: "Ärende KS 2018/00484", want: "Ärende KS 2018/00484"},
		{in: "Datum 2024-03-15 kl 08.30-17.00", want: "Datum 2024-03-15 kl 08.30-17.00"},
		{in: "Det kostar 1 200 000 kr", want: "Det kostar 1 200 000 kr"},
		{in: "Postnummer 352 30", want: "Postnummer 352 30"},
		{in: "datum 01-02-2024", want: "datum 01-02-2024"},
		// E-mail.
		{in: "Skriv till anna.svensson@example.se.", want: "Skriv till [e-post]."},
		{in: "anna (at) example.se", want: "[e-post]"},
		{in: "anna[at]example[dot]se", want: "[e-post]"},
		{in: "ebba punkt k snabel-a gmail punkt com", want: "[e-post]"},
		{in: "We met at home. It was fun.", want: "We met at home. It was fun."},
		// Postal addresses.
		{in: "Jag bor på Storgatan 12B, lgh 1102, 352 30 Växjö.", want: "Jag bor på [adress]."},
		{in: "Snöröjningen på Storgatan är dålig.", want: "Snöröjningen på Storgatan är dålig."},
		{in: "Drottning Kristinas väg 14", want: "[adress]"},
		{in: "Kustleden 5 km norrut", want: "Kustleden 5 km norrut"},
		{in: "riksväg 40 är avstängd", want: "riksväg 40 är avstängd"},
		{in: "c/o Andersson, Lindvägen 2", want: "[adress]"},
		{in: "Adress: Lillby 12", want: "Adress: [adress]"},
		// Names.
		{in: "Mvh Anna", want: "Mvh [namn]"},
		{in: "Med vänliga hälsningar,\nPer Olsson", want: "Med vänliga hälsningar,\n[namn]"},
		{in: "Hälsningar /Kim", want: "Hälsningar /[namn]"},
		{in: "Jag heter Zlatan Ibrahimović.", want: "Jag heter [namn]."},
		{in: "min granne Per Olsson", want: "min granne [namn]"},
		{in: "min son Elias", want: "min son [namn]"},
		{in: "Anders ringde i går.", want: "[namn] ringde i går."},
		{in: "Vi åkte från Lund till Berg.", want: "Vi åkte från Lund till Berg."},
		{in: "Mvh En orolig förälder", want: "Mvh En orolig förälder"},
		{in: "Hej Kommunen!", want: "Hej Kommunen!"},
		{in: "Svaret från Nadja kom.", want: "Svaret från [namn] kom."},
		{in: "Vi, Nyqvists, klagar.", known: []string{"Ola Nyqvists"}, want: "Vi, [namn], klagar."},
		{in: "Hon heter Saga.", want: "Hon heter [namn]."},
		{in: "Saga om ringen.", want: "Saga om ringen."},
		// Other types.
		{in: "Bilen ABC 123 stod där.", want: "Bilen [regnr] stod där."},
		{in: "regnr abc12a", want: "regnr abc12a"}, // lower case is not taken
		{in: "Reg ABC 12A", want: "Reg [regnr]"},
		{in: "Det kostar SEK 100", want: "Det kostar SEK 100"},
		{in: "IBAN SE45 5000 0000 0583 9825 7466", want: "IBAN [kontonummer]"},
		{in: "konto 8327-9, 123 456 789-0", want: "konto [kontonummer]"},
		{in: "bankgiro 5050-1055", want: "bankgiro [kontonummer]"},
		{in: "IP 192.168.1.10", want: "IP [ip-adress]"},
		{in: "från 2001:db8::1", want: "från [ip-adress]"},
		{in: "version 1.2.3", want: "version 1.2.3"},
	}
	for _, tt := range tests {
		got, _ := r.Redact(tt.in, Options{KnownNames: tt.known})
		if got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFindingsAreSortedDisjointAndTraced(t *testing.T) {
	r := mustRedactor(t)
	in := "Mvh Per Olsson, Storgatan 5, 352 30 Växjö, 070-123 45 67, per@example.se"
	_, fs := r.Redact(in, Options{})
	if len(fs) != 4 {
		t.Fatalf("Redact(%q) gave %d findings, want 4: %v", in, len(fs), fs)
	}
	for k, f := range fs {
		if k > 0 && f.Start < fs[k-1].End {
			t.Errorf("finding %d overlaps the previous one", k)
		}
		if f.Trace.Pattern == "" || f.Confidence <= 0 || f.Confidence > 1 {
			t.Errorf("finding %d has no trace or bad confidence: %+v", k, f)
		}
		if strings.Contains(f.Trace.String(), in[f.Start:f.End]) {
			t.Errorf("trace %q holds the value", f.Trace)
		}
	}
}

func TestDescribe(t *testing.T) {
	r := mustRedactor(t)
	long := strings.Repeat("Snöröjningen på Storgatan fungerar inte alls ", 10)
	tests := []struct{ subject, body, want string }{
		{"Snöröjning Storgatan", "", "Snöröjning Storgatan"},
		{"Sv: VB: Klagomål från Anna Svensson", "", "Klagomål från [namn]"},
		{"", "Hej!\nMin granne Per Olsson eldar sopor. Det luktar.", "Min granne [namn] eldar sopor"},
		{"Synpunkt", "Ring 070-123 45 67 om bänkarna.", "Ring [telefon] om bänkarna"},
		{"", "", NoSubject},
		{"070-123 45 67", "", NoSubject},
	}
	for _, tt := range tests {
		if got := r.Describe(tt.subject, tt.body, Options{}); got != tt.want {
			t.Errorf("Describe(%q, %q) = %q, want %q", tt.subject, tt.body, got, tt.want)
		}
	}
	got := r.Describe(long, "", Options{})
	if n := utf8.RuneCountInString(got); n > MaxDescription || n < MaxDescription/2 {
		t.Errorf("Describe(long) has %d runes, want ≤ %d", n, MaxDescription)
	}
	got = r.Describe("", "Hej Per-Olof! Jag bor på Storgatan 123456 och ringer från 0701234567", Options{KnownNames: []string{"Per-Olof Ek"}})
	if strings.Contains(got, "Per-Olof") || strings.Contains(got, "0701234567") {
		t.Errorf("Describe leaked: %q", got)
	}
}

// The ärendemening (issue #13): a generic or missing subject gives way to
// the matter in the body, with its place; a street name stays, its
// number and the writer's name go; at most 80 runes.
func TestDescribeMatter(t *testing.T) {
	r := mustRedactor(t)
	tests := []struct{ subject, body, want string }{
		{"Synpunkt via e-tjänst", "Hej!\nDagvattenbrunnen på Skolgatan 14 är igensatt av löv. Det blir en sjö när det regnar.", "Dagvattenbrunnen på Skolgatan är igensatt av löv"},
		{"Fråga", "Hej! Jag undrar om man behöver bygglov för ett attefallshus på 25 kvm?", "Jag undrar om man behöver bygglov för ett attefallshus på 25 kvm?"},
		{"Hej", "Jag vill bara säga att sophämtningen på Ekvägen 3 har missats tre veckor i rad.", "Sophämtningen på Ekvägen har missats tre veckor i rad"},
		{"", "Min pappa Sven Olsson på Åsvägen 2 får kall mat av hemtjänsten varje dag och ingen gör något åt det trots att vi har klagat flera gånger.", "Min pappa [namn] på Åsvägen får kall mat av hemtjänsten varje dag…"},
		{"Trasig gatlykta Storgatan 5", "Den lyser inte.", "Trasig gatlykta Storgatan – Den lyser inte"},
		{"Trasig gatlykta vid Storgatan 5", "Den lyser inte.", "Trasig gatlykta vid Storgatan"},
	}
	for _, tt := range tests {
		got := r.Describe(tt.subject, tt.body, Options{})
		if got != tt.want {
			t.Errorf("Describe(%q, %q) = %q, want %q", tt.subject, tt.body, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > 80 {
			t.Errorf("Describe(%q) has %d runes, want <= 80", tt.body, n)
		}
	}
}

func TestInitiatedBy(t *testing.T) {
	r := mustRedactor(t)
	person := synpunkt.Address{Name: "Anna Svensson", Addr: "anna@example.se"}
	tests := []struct {
		body string
		from synpunkt.Address
		anon bool
		want synpunkt.Role
	}{
		{"Bänken är trasig.\nMvh Anna", person, false, synpunkt.RolePrivatperson},
		{"Bänken är trasig.", person, true, synpunkt.RoleAnonym},
		{"Jag vill vara anonym. Bänken är trasig.", person, false, synpunkt.RoleAnonym},
		{"Bänken är trasig.", synpunkt.Address{Addr: "noreply@kommunen.se"}, false, synpunkt.RoleAnonym},
		{"Vi boende på Storgatan vill ha farthinder.", person, false, synpunkt.RoleFlera},
		{"Farthinder!\nHälsningar\nAnna och Per Svensson", person, false, synpunkt.RoleFlera},
		{"Farthinder!\nMvh\nSvenssons Bygg AB\nOrg.nr 556677-8899", person, false, synpunkt.RoleOrganisation},
		{"Styrelsen i Brf Solgläntan vill påpeka...", person, false, synpunkt.RoleOrganisation},
	}
	for _, tt := range tests {
		if got := r.InitiatedBy(tt.body, tt.from, tt.anon); got != tt.want {
			t.Errorf("InitiatedBy(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestSensitive(t *testing.T) {
	r := mustRedactor(t)
	tests := []struct {
		in   string
		want bool
	}{
		{"Min dotter har beslut enligt LSS.", true},
		{"Jag väntar på besked om försörjningsstöd.", true},
		{"Jag vill göra en orosanmälan.", true},
		{"Min mamma har hemtjänst och de kommer aldrig.", true},
		{"Min son Elias blir mobbad i skolan.", true},
		{"Hemtjänsten borde ha elbilar.", false},
		{"Solen skiner på Stortorget.", false},
		{"Vaktmästaren Ronny på skolan var snäll.", false},
	}
	for _, tt := range tests {
		got, why := r.Sensitive(tt.in)
		if got != tt.want {
			t.Errorf("Sensitive(%q) = %v %v, want %v", tt.in, got, why, tt.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	r := mustRedactor(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 50; k++ {
				if out, _ := r.Redact("Mvh Anna, 070-123 45 67", Options{KnownNames: []string{"Anna Ek"}}); out != "Mvh [namn], [telefon]" {
					t.Errorf("Redact = %q", out)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Independent of the detector: what a leak looks like in the output.
var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	pnrRE   = regexp.MustCompile(`(^|[^0-9])((?:\d{2})?(\d{6})[-+]?(\d{4}))($|[^0-9])`)
)

func luhnValidPnrs(s string) []string {
	var out []string
	for k := 0; k < len(s); {
		m := pnrRE.FindStringSubmatchIndex(s[k:])
		if m == nil {
			break
		}
		full := s[k+m[4] : k+m[5]]
		date, serial := s[k+m[6]:k+m[7]], s[k+m[8]:k+m[9]]
		digits := strings.NewReplacer("-", "", "+", "").Replace(full)
		if (len(digits) == 10 || digits[:2] == "18" || digits[:2] == "19" || digits[:2] == "20") && validPnrDate(digits[:len(digits)-4]) && luhn(date+serial) {
			out = append(out, full)
		}
		k += m[5] // the next one may share the separator char
	}
	return out
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"Mvh Anna Svensson, 811218-3317, anna@example.se, 070-123 45 67",
		"Storgatan 12B, lgh 1102, 352 30 Växjö",
		"anna (at) example (dot) se", "+46(0)70-123 45 67", "x@y.se1", "5-811218-3317",
		"pnr811218-3317abc", "SE45 5000 0000 0583 9825 7466", "c/o Per, Ekv 1", "\xff\xfe@@..",
		"Hej Per!\nMin son Elias (880229-0497) går i 3B.",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, in string) {
		out, fs := r.Redact(in, Options{KnownNames: []string{"Anna Svensson"}})
		for _, fd := range fs {
			if fd.Start < 0 || fd.End > len(in) || fd.Start >= fd.End {
				t.Fatalf("Redact(%q): bad span %+v", in, fd)
			}
		}
		for _, e := range emailRE.FindAllString(in, -1) {
			if strings.Contains(out, e) {
				t.Fatalf("Redact(%q) = %q still holds e-mail %q", in, out, e)
			}
		}
		for _, p := range luhnValidPnrs(in) {
			if strings.Contains(out, p) {
				t.Fatalf("Redact(%q) = %q still holds personnummer %q", in, out, p)
			}
		}
		if d := r.Describe(in, in, Options{}); d == "" || utf8.RuneCountInString(d) > MaxDescription {
			t.Fatalf("Describe(%q) = %q", in, d)
		}
	})
}
