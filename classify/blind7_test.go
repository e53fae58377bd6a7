package classify

import "testing"

// Blind split 7 (testdata/blind7, Älvsunda kommun): 240 messages (205
// synpunkter, 35 for other processes, 16 near misses) and a seventh
// municipality's routing table of 13 units, five of whose names do not
// say plainly what the unit does (ÄRAB, Myndighetsavdelningen,
// Samhällsbyggnadsförvaltningen, Kulturhuset Fyren, IFO). Written on
// 2026-12-03 by a helper that read nothing of the project and whose brief
// named no example unit (testdata/blind7/README.md), kept outside the
// repository until the classifier of commit 7e6848e (i13e) was merged, and
// evaluated once on it: category 0.902 (185/205), unit 0.961 (174/181
// routed), triage 0.107 (22/205), other processes 32 of 35 in the right
// class, 2 synpunkter excluded; language 36/36 (23/23 under 200
// characters). Since i13f the shipped model trains on this split and
// i13f tuned rules on its messages: what TestBlind7Quality prints is seen
// data, TestLOMOFloors measures it with a model that did not train on it.
// Run:
//
//	go test -count=1 -v -run TestBlind7Quality ./classify/
func TestBlind7Quality(t *testing.T) {
	t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/blind7")
	t.Setenv("SYNPUNKT_SPLIT", "blind7")
	TestSplitQuality(t)
}

// TestSeenBlind7Floors is a regression floor on SEEN data: since i13f
// the shipped model trains on blind split 7 and i13f tuned rules on its
// messages, so these figures (category 1.000, unit 0.973 of routed
// (182/187), triage 0.078 (16/205), other processes 32 of 35 right, 2
// synpunkter excluded, measured on i13f's final classifier) say only
// that a change did not break what was learned from it,
// not how the classifier does on unseen mail. The blind figures measured
// once before (7e6848e) are in the comment above; the honest guard of
// unseen mail is TestLOMOFloors (Älvsunda there: model trained without
// it, rules not).
func TestSeenBlind7Floors(t *testing.T) {
	const dir = "testdata/blind7"
	r, err := Evaluate(corpusClassifier(t, dir), dir, "blind7")
	if err != nil {
		t.Fatal(err)
	}
	floors{"blind7", 240, 0.99, 0.965, 0.085, 32, 2}.check(t, r)
}
