package notify

import "testing"

func TestNormalizeSwedishMobile(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"070-123 45 67", "+46701234567", true},
		{"0701234567", "+46701234567", true},
		{"+46 70 123 45 67", "+46701234567", true},
		{"+46701234567", "+46701234567", true},
		{"0046701234567", "+46701234567", true},
		{"+46(0)70-123 45 67", "+46701234567", true},
		{"+46 (0)70 123 45 67", "+46701234567", true},
		{"+460701234567", "+46701234567", true},
		{"072-123 45 67", "+46721234567", true},
		{"073.123.45.67", "+46731234567", true},
		{"076 123 45 67", "+46761234567", true},
		{"079-1234567", "+46791234567", true},
		{" 070\u00a0123 45 67 ", "+46701234567", true},
		{"071-123 45 67", "", false},  // not a mobile series
		{"074-123 45 67", "", false},  // M2M series
		{"08-123 456 78", "", false},  // Stockholm landline
		{"031-123 45 67", "", false},  // Göteborg landline
		{"070-123 45 6", "", false},   // too short
		{"070-123 45 678", "", false}, // too long
		{"+47 70 123 45 67", "", false},
		{"46701234567", "", false},
		{"070-123 45 6x", "", false},
		{"", "", false},
		{"+46", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeSwedishMobile(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeSwedishMobile(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzNormalizeSwedishMobile(f *testing.F) {
	for _, s := range []string{"070-123 45 67", "+46(0)70 1234567", "0046701234567", "08-123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeSwedishMobile(s)
		if !ok {
			return
		}
		if len(got) != 12 || got[:4] != "+467" {
			t.Errorf("NormalizeSwedishMobile(%q) = %q, want +467XXXXXXXX", s, got)
		}
		if again, ok := NormalizeSwedishMobile(got); !ok || again != got {
			t.Errorf("NormalizeSwedishMobile(%q) = %q, %v, want idempotent %q", got, again, ok, got)
		}
	})
}
