package store

import (
	"context"
	"errors"
	"testing"

	"github.com/exempelby/synpunkt"
)

// TestSearchFindsCasesRegisteredInABatch: cases opened inside one Batch
// (group commit, each message a savepoint) are indexed once, at the
// commit, by the search index; a message undone inside the batch leaves
// no trace in it, and a document added later makes its words findable.
func TestSearchFindsCasesRegisteredInABatch(t *testing.T) {
	s, at, ctx := fixedStore(t)
	var first synpunkt.Case
	err := s.Batch(ctx, func(bctx context.Context) error {
		a := newCase("b1", at)
		a.Case.Description = "Trasig gatlykta på Kyrkvägen"
		var err error
		if first, err = s.OpenCase(bctx, a, nil); err != nil {
			return err
		}
		b := newCase("b2", at)
		b.Case.Description = "Klotter vid badplatsen"
		if _, err := s.OpenCase(bctx, b, nil); err != nil {
			return err
		}
		// A repeat of b1 fails alone (its savepoint is undone).
		if _, err := s.OpenCase(bctx, newCase("b1", at), nil); !errors.Is(err, ErrDuplicate) {
			t.Errorf("repeated OpenCase in batch = %v, want ErrDuplicate", err)
		}
		// Not indexed while the batch runs: the index is written at commit.
		return nil
	})
	if err != nil {
		t.Fatalf("Batch = %v", err)
	}
	// The commit indexed them (a search would index leftovers itself).
	var pending, indexed int
	if err := s.DB().QueryRow("SELECT (SELECT COUNT(*) FROM search_pending), (SELECT COUNT(*) FROM case_search)").Scan(&pending, &indexed); err != nil || pending != 0 || indexed != 2 {
		t.Errorf("after commit: search_pending %d, case_search %d, %v; want 0, 2", pending, indexed, err)
	}
	for text, want := range map[string]int{"gatlykta": 1, "klotter": 1, "snöröjning": 0, "kyrkväg": 1} {
		got, total, err := s.SearchCases(ctx, CaseQuery{Text: text})
		if err != nil || total != want || len(got) != want {
			t.Errorf("SearchCases(%q) = %d cases (total %d), %v; want %d", text, len(got), total, err, want)
		}
	}
	in := Intake{Key: "b3", Source: "test", ReceivedAt: at, Raw: []byte("x")}
	doc := synpunkt.Document{Type: synpunkt.DocKomplettering, Direction: synpunkt.Inkommande, SenderRole: "Privatperson", ReceivedAt: at}
	if _, err := s.AddDocument(ctx, first.ID, in, doc, "Lampan blinkar fortfarande", nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.SearchCases(ctx, CaseQuery{Text: "blinkar", Originals: true}); err != nil || len(got) != 1 || got[0].ID != first.ID {
		t.Errorf("SearchCases(blinkar) after AddDocument = %v, %v; want case %d", got, err, first.ID)
	}
	// A batch that fails writes nothing to the index either.
	boom := errors.New("boom")
	err = s.Batch(ctx, func(bctx context.Context) error {
		c := newCase("b4", at)
		c.Case.Description = "Nedfallet träd"
		if _, err := s.OpenCase(bctx, c, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failing Batch = %v", err)
	}
	if got, total, _ := s.SearchCases(ctx, CaseQuery{Text: "träd"}); total != 0 || len(got) != 0 {
		t.Errorf("SearchCases(träd) after a rolled-back batch = %d, want 0", total)
	}
}
