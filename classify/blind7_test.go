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
// characters). The model does not train on this split. Run:
//
//	go test -count=1 -v -run TestBlind7Quality ./classify/
func TestBlind7Quality(t *testing.T) {
	t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/blind7")
	t.Setenv("SYNPUNKT_SPLIT", "blind7")
	TestSplitQuality(t)
}

// TestBlind7Floors keeps the once-measured figures of blind split 7 from
// falling; the floors sit just under them (category is below the issue's
// target of 0.92: this guards against regression, it does not claim it).
func TestBlind7Floors(t *testing.T) {
	const dir = "testdata/blind7"
	r, err := Evaluate(corpusClassifier(t, dir), dir, "blind7")
	if err != nil {
		t.Fatal(err)
	}
	floors{"blind7", 240, 0.90, 0.955, 0.11, 32, 2}.check(t, r)
}
