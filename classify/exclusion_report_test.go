package classify

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExclusionReport prints, for the corpus and blind splits 1 and 2,
// how many messages of another process were recognised and how many
// synpunkter were wrongly excluded, with every miss and its reasons.
// Run: go test -count=1 -v -run TestExclusionReport ./classify/
func TestExclusionReport(t *testing.T) {
	for _, dir := range []string{"testdata/corpus", "testdata/blind", "testdata/blind2"} {
		c := corpusClassifier(t, dir)
		if dir == "testdata/corpus" {
			c = mustSample(t)
		}
		exs := mustCorpus(t, dir)
		var right, opened, wrongClass, falseEx, excluded int
		var misses []string
		for _, ex := range exs {
			d := c.Classify(ex.Msg, ex.Msg.To, c.isOwn(ex.Msg.From.Addr))
			got := "-"
			var reasons []string
			if d.Exclusion != nil {
				got, reasons = d.Exclusion.Class, d.Exclusion.Reasons
			}
			switch {
			case ex.Exclusion == "-" && got == "-":
				continue
			case ex.Exclusion == got:
				right++
			case ex.Exclusion == "-":
				falseEx++
			case got == "-":
				opened++
			default:
				wrongClass++
			}
			if ex.Exclusion != "-" {
				excluded++
			}
			if ex.Exclusion != got {
				misses = append(misses, filepath.Base(ex.File)+" ("+ex.Split+"): label "+ex.Exclusion+", decided "+got+" "+strings.Join(reasons, "; "))
			}
		}
		t.Logf("%s: %d of %d other-process messages right, %d opened as cases, %d wrong class; %d synpunkter wrongly excluded\n  %s",
			dir, right, excluded, opened, wrongClass, falseEx, strings.Join(misses, "\n  "))
	}
}
