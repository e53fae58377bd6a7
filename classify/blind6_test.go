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
// characters). The model does not train on this split. Run:
//
//	go test -count=1 -v -run TestBlind6Quality ./classify/
func TestBlind6Quality(t *testing.T) {
	t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/blind6")
	t.Setenv("SYNPUNKT_SPLIT", "blind6")
	TestSplitQuality(t)
}

// TestBlind6Floors keeps the once-measured figures of blind split 6 from
// falling; the floors sit just under them (category and unit are below
// the targets of 0.92 and 0.95: this guards against regression,
// it does not claim the targets).
func TestBlind6Floors(t *testing.T) {
	const dir = "testdata/blind6"
	r, err := Evaluate(corpusClassifier(t, dir), dir, "blind6")
	if err != nil {
		t.Fatal(err)
	}
	floors{"blind6", 240, 0.91, 0.94, 0.18, 26, 7}.check(t, r)
}
