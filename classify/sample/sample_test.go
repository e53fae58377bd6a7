package sample

import (
	"testing"

	"github.com/exempelby/synpunkt/config"
)

func TestMunicipalityParses(t *testing.T) {
	c, err := config.Parse(Municipality)
	if err != nil {
		t.Fatalf("config.Parse(Municipality) = %v", err)
	}
	committees := map[string]bool{}
	for _, u := range c.Units {
		committees[u.Committee] = true
		if len(u.EscalateTo) == 0 {
			t.Errorf("unit %q has no escalate_to", u.Name)
		}
	}
	if len(c.Units) < 12 || len(committees) < 5 {
		t.Errorf("units = %d, committees = %d, want >= 12 and >= 5", len(c.Units), len(committees))
	}
	if c.Units.Default().Name != "Kontaktcenter" {
		t.Errorf("DefaultUnit() = %q, want Kontaktcenter", c.Units.Default().Name)
	}
	if len(c.Classify.Forms) != 1 || c.Classify.Forms[0].From != "noreply-e-tjanst@exempelby.se" {
		t.Errorf("classify.forms = %+v", c.Classify.Forms)
	}
	classes := map[string]bool{}
	for _, x := range c.Classify.Exclusions {
		classes[x.Class] = true
	}
	for _, want := range []string{"politisk", "avvikelse", "krankning", "intern"} {
		if !classes[want] {
			t.Errorf("exclusion class %q missing", want)
		}
	}
}
