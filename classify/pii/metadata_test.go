package pii

import (
	"strings"
	"testing"
)

// TestDescribeRemovesAnythingShapedLikeAPersonnummer: the description is
// metadata, so a personnummer goes even with a typo in its check digit or
// written with a space, and without a context word.
func TestDescribeRemovesAnythingShapedLikeAPersonnummer(t *testing.T) {
	r := mustRedactor(t)
	tests := []struct{ subject, body, want string }{
		{"Klagomål 19850712-4567", "", "Klagomål [personnummer]"},               // check digit wrong
		{"Klagomål 850712-4567", "", "Klagomål [personnummer]"},                 // check digit wrong, short form
		{"Fråga om bygglov 850712 4561", "", "Fråga om bygglov [personnummer]"}, // space
		{"Ärende för 19850712 4561", "", "Ärende för [personnummer]"},
		{"Synpunkt", "Jag har 19850712-4567 och undrar om bygglovet.", "Jag har [personnummer] och undrar om bygglovet"},
		{"Bygglov 8507124567", "", "Bygglov [personnummer]"}, // no separator, check digit wrong
		{"Ring 070-123 45 67", "", "Ring [telefon]"},         // phones stay phones
		{"Ring 0701234567", "", "Ring [telefon]"},
		{"Möte 2024-03-15 kl 10", "", "Möte 2024-03-15 kl 10"}, // a date is not shaped like one
	}
	for _, tt := range tests {
		if got := r.Describe(tt.subject, tt.body, Options{}); got != tt.want {
			t.Errorf("Describe(%q, %q) = %q, want %q", tt.subject, tt.body, got, tt.want)
		}
	}
}

// TestRedactKeepsPersonnummerPrecisionInText: in a document's text the
// detector still wants a valid check digit or a context word, as the corpus
// quality tests measure; Metadata turns the shape rule on.
func TestRedactKeepsPersonnummerPrecisionInText(t *testing.T) {
	r := mustRedactor(t)
	in := "Ordernummer 850712-4567 gäller."
	if out, _ := r.Redact(in, Options{}); out != in {
		t.Errorf("Redact(%q) = %q, want it unchanged", in, out)
	}
	if out, _ := r.Redact(in, Options{Metadata: true}); strings.Contains(out, "4567") {
		t.Errorf("Redact(%q, Metadata) = %q, want the number gone", in, out)
	}
}
