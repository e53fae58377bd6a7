package casework

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/store"
)

// TestImportGroupCommits: Import registers a backlog larger than one
// group (importBatch) in groups, once per message: a copy of a message in
// the same group is a duplicate, a second import registers nothing, and
// every case is in the search index after the commits.
func TestImportGroupCommits(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	n := importBatch*2 + 30
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "From medborgare%d@example.net Mon Nov 23 09:00:00 2026\n", i)
		fmt.Fprintf(&b, "From: Medborgare %d <medborgare%d@example.net>\nTo: synpunkter@exempelby.se\nDate: Mon, 23 Nov 2026 09:00:00 +0100\n", i, i)
		fmt.Fprintf(&b, "Subject: Trasig gatlykta %d\nMessage-ID: <import-%d@example.net>\nContent-Type: text/plain; charset=utf-8\n\n", i, i)
		fmt.Fprintf(&b, "Gatlyktan vid Storgatan %d lyser inte.\n\n", i)
		if i == 5 { // the same message again, in the same group
			fmt.Fprintf(&b, "From medborgare5@example.net Mon Nov 23 09:00:00 2026\nFrom: Medborgare 5 <medborgare5@example.net>\nTo: synpunkter@exempelby.se\n")
			fmt.Fprintf(&b, "Date: Mon, 23 Nov 2026 09:00:00 +0100\nSubject: Trasig gatlykta 5\nMessage-ID: <import-5@example.net>\nContent-Type: text/plain; charset=utf-8\n\nGatlyktan vid Storgatan 5 lyser inte.\n\n")
		}
	}
	p := writeTemp(t, "backlog.mbox", b.String())
	sum, err := h.p.Import(ctx, []string{p}, true)
	if err != nil {
		t.Fatalf("Import = %v", err)
	}
	if sum.Registered != n || sum.Duplicates != 1 {
		t.Errorf("Import = %+v, want %d registered and 1 duplicate", sum, n)
	}
	var cases, ledger int
	if err := h.st.DB().QueryRow("SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM intake)").Scan(&cases, &ledger); err != nil {
		t.Fatal(err)
	}
	if cases != n || ledger != n {
		t.Errorf("%d cases and %d ledger rows, want %d of each", cases, ledger, n)
	}
	got, total, err := h.st.SearchCases(ctx, store.CaseQuery{Text: "storgatan", Originals: true, Limit: 1})
	if err != nil || total != n || len(got) != 1 {
		t.Errorf("SearchCases(storgatan) = %d cases (total %d), %v; want total %d", len(got), total, err, n)
	}
	again, err := h.p.Import(ctx, []string{p}, true)
	if err != nil || again.Registered != 0 || again.Duplicates != n+1 {
		t.Errorf("second Import = %+v, %v; want %d duplicates", again, err, n+1)
	}
}
