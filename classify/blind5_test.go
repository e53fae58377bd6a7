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
// routing is not fully blind. The model does not train on this split.
// Run:
//
//	go test -count=1 -v -run TestBlind5Quality ./classify/
func TestBlind5Quality(t *testing.T) {
	t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/blind5")
	t.Setenv("SYNPUNKT_SPLIT", "blind5")
	TestSplitQuality(t)
}

// TestBlind5Floors keeps the once-measured figures of blind split 5 from
// falling; the floors sit just under them (they are below the issue's
// targets of 0.92 and 0.95: this guards against regression, it does not
// claim the targets).
func TestBlind5Floors(t *testing.T) {
	const dir = "testdata/blind5"
	r, err := Evaluate(corpusClassifier(t, dir), dir, "blind5")
	if err != nil {
		t.Fatal(err)
	}
	floors{"blind5", 240, 0.89, 0.94, 0.18, 27, 4}.check(t, r)
}
