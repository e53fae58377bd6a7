package classify

import "testing"

// Blind split 3 (testdata/blind3, Björkvik kommun): 270 messages, a fourth
// municipality's routing table and 80 short messages for the language
// detector, written on 2026-12-03 by a helper that read nothing of the
// project (see testdata/blind3/README.md), copied in only after the
// classifier of commit 60a7695 was final and merged, and evaluated once
// (category 0.937, unit 0.953 of routed, triage 0.105, other processes
// 23 of 32, lang.tsv 73 of 80). Since i13c the shipped model trains on it:
// what this prints is seen data, TestLOMOFloors measures it unseen. Measured a second time on the classifier of b08ff7a,
// whose brief named blind3's per-class exclusion counts and quoted three
// of the lang.tsv lines the detector had missed: that run's language
// figure is therefore not blind, its exclusion figures only half. Run:
//
//	go test -count=1 -v -run TestBlind3Quality ./classify/
func TestBlind3Quality(t *testing.T) {
	t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/blind3")
	t.Setenv("SYNPUNKT_SPLIT", "blind3")
	TestSplitQuality(t)
}

// Blind split 4 (testdata/blind4, Ekhamra kommun): 100 messages, 60 that
// belong in other processes (avvikelse, kränkning, politiska initiativ,
// begäran om allmän handling, internal mail) and 40 near-miss synpunkter,
// written on 2026-12-03 by a helper that read nothing of the project,
// measured once on the classifier of b08ff7a (and, for comparison, on
// its predecessor 8116cc3). Since i13c the shipped model trains on it:
// what this prints is seen data, TestLOMOFloors measures it unseen. Run:
//
//	go test -count=1 -v -run TestBlind4Quality ./classify/
func TestBlind4Quality(t *testing.T) {
	t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/blind4")
	t.Setenv("SYNPUNKT_SPLIT", "blind4")
	TestSplitQuality(t)
}

// floors is what a split's report must keep: at least messages
// messages, category and unit accuracy at least category and unit,
// a triage share at most triage, at least right other-process messages
// recognised and at most wrong synpunkter excluded.
type floors struct {
	split                  string
	messages               int
	category, unit, triage float64
	right, wrong           int
}

func (f floors) check(t *testing.T, r Report) {
	t.Helper()
	if r.Messages < f.messages {
		t.Errorf("%s has %d messages, want >= %d", f.split, r.Messages, f.messages)
	}
	if got := r.CategoryAccuracy(); got < f.category {
		t.Errorf("%s category accuracy = %.3f, want >= %.3f", f.split, got, f.category)
	}
	if got := r.UnitAccuracy(); got < f.unit {
		t.Errorf("%s unit accuracy = %.3f, want >= %.3f", f.split, got, f.unit)
	}
	if got := r.TriageShare(); got > f.triage {
		t.Errorf("%s triage share = %.3f, want <= %.3f", f.split, got, f.triage)
	}
	if r.ExcludedRight < f.right || r.FalseExclusions > f.wrong {
		t.Errorf("%s other processes: %d right, %d false; want >= %d and <= %d", f.split, r.ExcludedRight, r.FalseExclusions, f.right, f.wrong)
	}
}

// TestSeenBlind34Floors are regression floors on SEEN data: since i13c
// the shipped model trains on blind splits 3 and 4, so these figures
// (category 1.000 and 0.950, unit 0.986 and 1.000 of routed, triage
// 0.076 and 0.075, other processes 30 of 32 and 57 of 60 right with 2
// and 4 synpunkter excluded, measured on i13d's final classifier) say
// only that a change did not break what the model has learned, not how it
// does on unseen mail. The honest guard is TestLOMOFloors. The blind
// figures measured before they were trained on are in the comments above.
// i13e: blind4's triage floor 0.09 -> 0.10 (4 of 40): e058, a visitor of a
// care home writing about its parking, now has "visiting hours" for the
// care unit against "parking" for streets and goes to triage instead of
// to streets (it is also still excluded as an incident).
func TestSeenBlind34Floors(t *testing.T) {
	for _, f := range []floors{
		{"blind3", 270, 0.99, 0.98, 0.09, 30, 2},
		{"blind4", 100, 0.94, 0.99, 0.10, 57, 4},
	} {
		dir := "testdata/" + f.split
		r, err := Evaluate(corpusClassifier(t, dir), dir, f.split)
		if err != nil {
			t.Fatal(err)
		}
		f.check(t, r)
	}
}
