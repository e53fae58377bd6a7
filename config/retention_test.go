package config

import (
	"reflect"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Period
	}{
		{"6 months", Period{Months: 6}},
		{"1 year", Period{Years: 1}},
		{"3 years 2 months", Period{Years: 3, Months: 2}},
		{"90 days", Period{Days: 90}},
		{"6 månader", Period{Months: 6}},
		{"1 år", Period{Years: 1}},
	} {
		got, err := ParsePeriod(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParsePeriod(%q) = %+v, %v, want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "6", "six months", "6 weeks"} {
		if _, err := ParsePeriod(in); err == nil {
			t.Errorf("ParsePeriod(%q) = nil error, want one", in)
		}
	}
	at := time.Date(2026, 8, 31, 12, 0, 0, 0, time.UTC)
	if got, want := (Period{Months: 6}).After(at), time.Date(2027, 3, 3, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("6 months after %v = %v, want %v", at, got, want)
	}
}

// The example config spells out exactly the shipped default rules.
func TestExampleRetentionIsTheDefault(t *testing.T) {
	c, err := LoadWithoutSecrets("../config.example.toml")
	if err != nil {
		t.Fatalf("Load(config.example.toml) = %v", err)
	}
	if !reflect.DeepEqual(c.Retention.Rules, DefaultRetentionRules()) {
		t.Errorf("example rules = %+v\nwant %+v", c.Retention.Rules, DefaultRetentionRules())
	}
	if !reflect.DeepEqual(c.Retention.Preserve, DefaultPreserveRules()) {
		t.Errorf("example preserve = %+v\nwant %+v", c.Retention.Preserve, DefaultPreserveRules())
	}
	if c.Retention.InactualAfter != (Period{Months: 3}) {
		t.Errorf("inactual_after = %v, want 3 months", c.Retention.InactualAfter)
	}
}

func TestRetentionValidation(t *testing.T) {
	c := DefaultConfig()
	c.Retention.Rules = []RetentionRule{{Ref: "x", Parts: []string{"raw"}, From: "received", After: "1 year"}}
	err := c.validateRetention()
	if err == nil || err.Error() != `retention.rules[0].parts: unknown part "raw" (want original, attachments, contact, notes, outbox)` {
		t.Errorf("validateRetention = %v", err)
	}
	c.Retention.Rules = []RetentionRule{{Ref: "x", Parts: []string{"contact"}, From: "opened", After: "1 year"}}
	if err := c.validateRetention(); err == nil || err.Error() != "retention.rules[0].from: must be received or closed" {
		t.Errorf("validateRetention = %v", err)
	}
}
