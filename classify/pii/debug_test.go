package pii

import (
	"os"
	"testing"
)

func TestDebugOne(t *testing.T) {
	in := os.Getenv("PII_TEXT")
	if in == "" {
		t.Skip()
	}
	r := New()
	out, fs := r.Redact(in, Options{KnownNames: []string{os.Getenv("PII_KNOWN")}})
	t.Logf("%s", out)
	for _, f := range fs {
		t.Logf("  %s %q %s", f.Type, in[f.Start:f.End], f.Trace)
	}
	s, why := r.Sensitive(in)
	t.Logf("sensitive %v %v", s, why)
}

func TestDebugRole(t *testing.T) {
	if os.Getenv("PII_ROLE") == "" {
		t.Skip()
	}
	samples, _ := ParseCorpusFile("x", os.Getenv("PII_ROLE"))
	r := New()
	for _, s := range samples {
		low := lowerSameLen(s.Body.Text)
		t.Logf("sig=%q org=%v orgnr=%v from=%v", signature(low), containsAny(signature(low), orgPhrases), hasOrgNumber(s.Body.Text), orgish(lowerSameLen(s.From.Name)))
		t.Log(r.InitiatedBy(s.Body.Text, s.From, s.Anonymous))
	}
}
