package classify

import "testing"

// Blind split 6 (testdata/blind6, Stenbacka kommun): 240 messages (205
// synpunkter, 35 for other processes, 19 near misses) and a sixth
// municipality's routing table of 13 units, four of whose names do not
// say what the unit does (Stenbacka Kommunteknik AB, Returen, Kulturhuset
// Fyren, IFO Stenbacka). Written on 2026-12-03 by a helper that read
// nothing of the project and whose brief named no example unit
// (testdata/blind6/README.md), kept outside the repository until the
// classifier of commit f3f2523 (i13d) was merged, and evaluated once on
// it: category 0.917 (188/205), unit 0.945 (155/164 routed), triage 0.176
// (36/205), other processes 26 of 35 in the right class, 7 synpunkter
// excluded (5 of them as internal mail); language 39/39 (18/18 under 200
// characters). Since i13e the shipped model trains on this split and
// i13e tuned rules on its messages: what TestBlind6Quality prints is seen
// data, TestLOMOFloors measures it with a model that did not train on it.
// Run:
//
//	go test -count=1 -v -run TestBlind6Quality ./classify/
func TestBlind6Quality(t *testing.T) {
	t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/blind6")
	t.Setenv("SYNPUNKT_SPLIT", "blind6")
	TestSplitQuality(t)
}

// TestSeenBlind6Floors is a regression floor on SEEN data: since i13e
// the shipped model trains on blind split 6 and i13e tuned rules on its
// messages, so these figures (category 1.000, unit 0.974 of routed
// (191/196), triage 0.044 (9/205), other processes 33 of 35 right, no
// synpunkt excluded, measured on i13e's final classifier) say only that
// a change did not break what was learned from it, not how the
// classifier does on unseen mail. The blind figures measured once before
// (f3f2523) are in the comment above; the honest guard of unseen mail is
// TestLOMOFloors (Stenbacka there: model trained without it, rules not).
func TestSeenBlind6Floors(t *testing.T) {
	const dir = "testdata/blind6"
	r, err := Evaluate(corpusClassifier(t, dir), dir, "blind6")
	if err != nil {
		t.Fatal(err)
	}
	floors{"blind6", 240, 0.99, 0.965, 0.05, 33, 0}.check(t, r)
}
