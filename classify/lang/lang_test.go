package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDetectShort(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Gatlampan utanför vårt hus är trasig sedan en vecka.", "sv"},
		{"Varför plogar ni alltid vår gata sist?", "sv"},
		{"The street light outside my house is broken.", "en"},
		{"Why are the bins never emptied on time?", "en"},
		{"Katuvalo talomme edessä on rikki. Voisitteko korjata sen?", "fi"},
		{"Miksi roskia ei haeta ajallaan?", "fi"},
		{"لماذا لا يتم إزالة الثلج من شارعنا؟", "ar"},
		{"سلام، چگونه می توانم کارت کتابخانه بگیرم؟", "fa"},
		{"Waxaan rabaa inaan ogaado sida loo codsado guri.", "so"},
		{"Dlaczego w szkole nie ma nauczyciela?", "pl"},
		{"Mun háliidan dieđihit ahte čuovga lea bieđganan.", "se"},
		{"Warum wird der Müll nicht abgeholt?", "de"},
		{"", ""},
		{"12345", ""},
	}
	for _, tt := range tests {
		if got := Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestCorpusAccuracy measures the detector on the labelled corpus
// messages shorter than 200 characters (subject and body), the case the
// issue asks about. Run: go test -v -run TestCorpusAccuracy ./classify/lang/
func TestCorpusAccuracy(t *testing.T) {
	files, err := filepath.Glob("../testdata/corpus/n*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus: %v (%d files)", err, len(files))
	}
	n, right := 0, 0
	perLang := map[string][2]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, body, _ := strings.Cut(string(b), "\n\n")
		var want, subject string
		for _, l := range strings.Split(head, "\n") {
			k, v, _ := strings.Cut(l, ":")
			switch k {
			case "Language":
				want = strings.TrimSpace(v)
			case "Subject":
				subject = strings.TrimSpace(v)
			}
		}
		text := subject + "\n" + strings.TrimSpace(body)
		if want == "" || utf8.RuneCountInString(text) >= 200 {
			continue
		}
		got := Detect(text)
		n++
		c := perLang[want]
		c[0]++
		if got == want {
			right++
			c[1]++
		} else {
			t.Logf("%s: %q, want %q", filepath.Base(f), got, want)
		}
		perLang[want] = c
	}
	acc := float64(right) / float64(n)
	t.Logf("language accuracy on %d messages under 200 characters: %.3f (%d/%d); per language (n, right): %v", n, acc, right, n, perLang)
	if acc < 0.95 {
		t.Errorf("accuracy = %.3f, want >= 0.95", acc)
	}
}
