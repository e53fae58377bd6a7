package classify

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// Blind split 2 (testdata/blind2, Söderås kommun): 246 messages and a
// third municipality's routing table, written by someone who never saw
// code, rules or corpus, copied in only after the classifier was final
// and committed (801642f), and evaluated once (b2a5076). Since i13 it is
// tuning and training data like blind split 1, so the shipped model has
// learned it; TestLeaveOneMunicipalityOut measures it with a model that
// did not. Run: go test -v -run TestBlind2Quality ./classify/
func blind2Classifier(t testing.TB) *Classifier { return corpusClassifier(t, "testdata/blind2") }

func TestBlind2Quality(t *testing.T) {
	c := blind2Classifier(t)
	r := evaluateCorpus(t, c, "testdata/blind2", "blind2")
	t.Logf("BLIND split 2:\n%s", r)
	t.Logf("other processes (label → decided):\n%s", exclusionTable(t, c, "testdata/blind2", "blind2"))
}

// exclusionTable counts, per labelled exclusion class, what the
// classifier decided: the class, another class, or a case ("-").
func exclusionTable(t testing.TB, c *Classifier, dir, split string) string {
	exs := mustCorpus(t, dir)
	tab := map[string]map[string]int{}
	for _, ex := range exs {
		if split != "" && ex.Split != split {
			continue
		}
		d := c.Classify(ex.Msg, ex.Msg.To, c.isOwn(ex.Msg.From.Addr))
		got := "-"
		if d.Exclusion != nil {
			got = d.Exclusion.Class
		}
		if ex.Exclusion == "-" && got == "-" {
			continue
		}
		if tab[ex.Exclusion] == nil {
			tab[ex.Exclusion] = map[string]int{}
		}
		tab[ex.Exclusion][got]++
	}
	var rows []string
	for label, m := range tab {
		var cells []string
		for got, n := range m {
			cells = append(cells, fmt.Sprintf("%s=%d", got, n))
		}
		sort.Strings(cells)
		rows = append(rows, fmt.Sprintf("  %-16s %s", label, strings.Join(cells, " ")))
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// Blind split 2's figures as measured once (b2a5076, no change after):
// category 0.879 (189/215), unit 0.923 (168/182 routed), triage 0.153
// (33/215), 19 of 31 exclusions with the right class, 0 false
// exclusions. Since the shipped model trains on it, the floors hold what
// leave-one-municipality-out measures on it (model trained on the corpus
// and blind split 1 only, i13): category 0.944, unit 0.980, triage
// 0.084, 31 of 31 exclusions right, none false. i13b added 52 near-miss
// synpunkter (in n145–n312) to the tune split the model trains on; with
// them LOMO category on Söderås is 0.930 (200/215), 3 messages fewer.
func TestBlind2Floors(t *testing.T) {
	r, err := Evaluate(lomoClassifier(t, lomoSets[2]), "testdata/blind2", "blind2")
	if err != nil {
		t.Fatal(err)
	}
	floors{"blind2", 246, 0.925, 0.97, 0.09, 31, 0}.check(t, r)
}
