package classify

import "testing"

// Blind split 5 (testdata/blind5, Lindåsa kommun): 240 messages (205
// synpunkter, 35 for other processes, 15 near misses) and a fifth
// municipality's routing table of 13 units, two of whose names do not say
// what the unit does. Written on 2026-12-03 by a helper that read nothing
// of the project (testdata/blind5/README.md), copied in only after the
// classifier of commit d1ae336 (i13c) was final, and evaluated once on it:
// category 0.893 (183/205), unit 0.945 (156/165 routed), triage 0.176
// (36/205), other processes 27 of 35 in the right class, 4 synpunkter
// excluded. The lead's brief for the writer named "Stadsmiljö" as an
// example of such a unit name, and i13c (which did not see the brief)
// taught the area inference that name among others, so that unit's
// routing is not fully blind. Since i13d the shipped model trains on
// this split and i13d tuned rules on it: what TestBlind5Quality prints is
// seen data, TestLOMOFloors measures it with a model that did not train on
// it. Run:
//
//	go test -count=1 -v -run TestBlind5Quality ./classify/
func TestBlind5Quality(t *testing.T) {
	t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/blind5")
	t.Setenv("SYNPUNKT_SPLIT", "blind5")
	TestSplitQuality(t)
}

// TestSeenBlind5Floors is a regression floor on SEEN data: since i13d the
// shipped model trains on blind split 5 and i13d tuned rules on its
// messages, so these figures (category 1.000, unit 0.979 of routed
// (185/189), triage 0.073 (15/205), other processes 35 of 35 right, 1
// synpunkt excluded, measured on i13d's final classifier) say only that
// a change did not break what was learned from it, not how the
// classifier does on unseen mail. The blind figures measured once before
// (d1ae336) are in the comment above; the honest guard of unseen mail is
// TestLOMOFloors (Lindåsa there: model trained without it).
func TestSeenBlind5Floors(t *testing.T) {
	const dir = "testdata/blind5"
	r, err := Evaluate(corpusClassifier(t, dir), dir, "blind5")
	if err != nil {
		t.Fatal(err)
	}
	floors{"blind5", 240, 0.99, 0.97, 0.08, 35, 1}.check(t, r)
}
