package classify

import "testing"

// The later blind splits, each written by a helper that read nothing of
// the project, kept outside the repository until the classifier it was to
// measure was merged, and evaluated once on that classifier. A split the
// shipped model has since trained on, or whose messages rules were tuned
// on, is "seen": its floors then say only that a change did not break
// what was learned from it; TestLOMOFloors is the guard for unseen mail.
// Run one split (figures, confusion matrix, misses, exclusions,
// languages):
//
//	go test -count=1 -v -run 'TestBlindSplitQuality/blind8' ./classify/
var blindSplits = []struct {
	split string
	seen  bool
	f     floors
}{
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
	// this split and i13d tuned rules on it: what TestBlindSplitQuality/blind5 prints is
	// seen data, TestLOMOFloors measures it with a model that did not train on
	// it.
	//
	// The floors are a regression floor on SEEN data: since i13d the
	// shipped model trains on blind split 5 and i13d tuned rules on its
	// messages, so these figures (category 1.000, unit 0.979 of routed
	// (185/189), triage 0.073 (15/205), other processes 35 of 35 right, 1
	// synpunkt excluded, measured on i13d's final classifier) say only that
	// a change did not break what was learned from it, not how the
	// classifier does on unseen mail. The blind figures measured once before
	// (d1ae336) are in the comment above; the honest guard of unseen mail is
	// TestLOMOFloors (Lindåsa there: model trained without it).
	{"blind5", true, floors{"blind5", 240, 0.99, 0.97, 0.08, 35, 1}},
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
	// i13e tuned rules on its messages: what TestBlindSplitQuality/blind6 prints is seen
	// data, TestLOMOFloors measures it with a model that did not train on it.
	//
	// The floors are a regression floor on SEEN data: since i13e
	// the shipped model trains on blind split 6 and i13e tuned rules on its
	// messages, so these figures (category 1.000, unit 0.974 of routed
	// (191/196), triage 0.044 (9/205), other processes 33 of 35 right, no
	// synpunkt excluded, measured on i13e's final classifier) say only that
	// a change did not break what was learned from it, not how the
	// classifier does on unseen mail. The blind figures measured once before
	// (f3f2523) are in the comment above; the honest guard of unseen mail is
	// TestLOMOFloors (Stenbacka there: model trained without it, rules not).
	{"blind6", true, floors{"blind6", 240, 0.99, 0.965, 0.05, 33, 0}},
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
	// i13f tuned rules on its messages: what TestBlindSplitQuality/blind7 prints is seen
	// data, TestLOMOFloors measures it with a model that did not train on it.
	//
	// The floors are a regression floor on SEEN data: since i13f
	// the shipped model trains on blind split 7 and i13f tuned rules on its
	// messages, so these figures (category 1.000, unit 0.973 of routed
	// (182/187), triage 0.078 (16/205), other processes 32 of 35 right, 2
	// synpunkter excluded, measured on i13f's final classifier) say only
	// that a change did not break what was learned from it,
	// not how the classifier does on unseen mail. The blind figures measured
	// once before (7e6848e) are in the comment above; the honest guard of
	// unseen mail is TestLOMOFloors (Älvsunda there: model trained without
	// it, rules not).
	{"blind7", true, floors{"blind7", 240, 0.99, 0.965, 0.085, 32, 2}},
	// Blind split 8 (testdata/blind8, Granvik kommun): 240 messages (205
	// synpunkter, 35 for other processes, 16 near misses) and an eighth
	// municipality's routing table of 13 units, three of whose names do
	// not say plainly what the unit does (Granvik Direkt, Granviks Vatten
	// AB, IFO). Written on 2026-12-03 by a helper that read nothing of the
	// project and whose brief named no example unit
	// (testdata/blind8/README.md), kept outside the repository until the
	// classifier of commit 26321e2 (i13f) was merged, and evaluated once
	// on it: category 0.932 (191/205), unit 0.973 (178/183 routed), triage
	// 0.102 (21/205), other processes 30 of 35 in the right class, 1
	// synpunkt excluded; language 41/41 (34/34 under 200 characters). The
	// model does not train on this split and no rule was tuned on it; the
	// floors sit just under the blind figures.
	{"blind8", false, floors{"blind8", 240, 0.93, 0.97, 0.105, 30, 1}},
}

// TestBlindSplitQuality prints each later blind split's evaluation (see
// TestSplitQuality).
func TestBlindSplitQuality(t *testing.T) {
	for _, s := range blindSplits {
		t.Run(s.split, func(t *testing.T) {
			t.Setenv("SYNPUNKT_SPLIT_DIR", "testdata/"+s.split)
			t.Setenv("SYNPUNKT_SPLIT", s.split)
			TestSplitQuality(t)
		})
	}
}

// TestBlindSplitFloors keeps each later blind split's figures from
// falling: the once-measured blind figures for an unseen split, the
// seen-data figures for the others (see each row's comment).
func TestBlindSplitFloors(t *testing.T) {
	for _, s := range blindSplits {
		t.Run(s.split, func(t *testing.T) {
			dir := "testdata/" + s.split
			r, err := Evaluate(corpusClassifier(t, dir), dir, s.split)
			if err != nil {
				t.Fatal(err)
			}
			if s.seen {
				t.Logf("%s is seen data: its floors guard what was learned from it, not unseen mail", s.split)
			}
			s.f.check(t, r)
		})
	}
}
