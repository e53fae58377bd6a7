package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// searchShadowBytes returns the raw bytes of every shadow table of the
// full-text index: its segments (data), segment index (idx), stored
// content, document sizes and config.
func searchShadowBytes(t *testing.T, s *Store) []byte {
	t.Helper()
	var all []byte
	for _, q := range []string{
		"SELECT block FROM case_search_data",
		"SELECT CAST(term AS BLOB) FROM case_search_idx",
		"SELECT CAST(c0 AS BLOB) || CAST(c1 AS BLOB) FROM case_search_content",
		"SELECT sz FROM case_search_docsize",
		"SELECT CAST(v AS BLOB) FROM case_search_config",
	} {
		rows, err := s.DB().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		rows.Close()
	}
	return all
}

// TestPurgeLeavesNoTermInSearchIndex: a batched purge turns the index's
// own secure-delete off, so the removed terms linger in its segments until
// Compact rebuilds it; after Compact no removed term is in the index (by
// query, by its vocabulary, in its shadow tables' raw bytes, in the
// database file), and a preserved case is still found.
func TestPurgeLeavesNoTermInSearchIndex(t *testing.T) {
	old := purgeBatch
	purgeBatch = 7 // 20 cases: three transactions
	t.Cleanup(func() { purgeBatch = old })
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "s.db")
	s := mustOpenStore(t, path, func() time.Time { return at })
	ctx := context.Background()
	// The planted term starts with "qq", which no other term does, so the
	// index's prefix compression cannot hide more than "q" of it: its raw
	// bytes hold "xvgallringsord" wherever it is stored.
	const term, tail = "qqxvgallringsord", "xvgallringsord"
	const keptTerm = "qqzzbevarasord"
	var reqs []PurgeRequest
	var keep int64
	for i := range 21 {
		nc := newCase(fmt.Sprint("k", i), at)
		nc.Text = fmt.Sprintf("Gatlyktan lyser inte, skriver medborgare %d: %s", i, term)
		nc.Contact.Email = fmt.Sprintf("medborgare%d@example.net", i)
		if i == 20 {
			nc.Text = "Principiellt viktigt: " + keptTerm
			nc.Contact.Email = "bevarad@example.org"
		}
		c, err := s.OpenCase(ctx, nc, nil)
		if err != nil {
			t.Fatal(err)
		}
		if i == 20 {
			keep = c.ID
			if err := s.Preserve(ctx, c.ID, "test", "", "tillför sakuppgifter"); err != nil {
				t.Fatal(err)
			}
		}
		reqs = append(reqs, PurgeRequest{CaseID: c.ID, Parts: Parts, Rule: "3.2.1.2"})
	}
	matches := func(q string) int {
		var n int
		if err := s.DB().QueryRow("SELECT count(*) FROM case_search WHERE case_search MATCH ?", q).Scan(&n); err != nil {
			t.Fatalf("match %s: %v", q, err)
		}
		return n
	}
	if n := matches(term); n != 20 {
		t.Fatalf("before the purge %q matches %d cases, want 20", term, n)
	}
	if !bytes.Contains(searchShadowBytes(t, s), []byte(tail)) {
		t.Fatalf("before the purge the index's shadow tables lack %q: the raw check cannot see the term", tail)
	}

	out, err := s.PurgeCases(ctx, reqs, "synpunkt")
	if err != nil || len(out) != len(reqs) {
		t.Fatalf("PurgeCases = %d outcomes, %v", len(out), err)
	}
	for i, o := range out {
		if o.Preserved != (reqs[i].CaseID == keep) {
			t.Errorf("case %d: preserved = %v", reqs[i].CaseID, o.Preserved)
		}
	}
	if n := matches(term); n != 0 {
		t.Errorf("after the purge %q matches %d cases, want 0", term, n)
	}
	lingering := bytes.Contains(searchShadowBytes(t, s), []byte(tail))
	t.Logf("after PurgeCases, before Compact: term in the index's shadow tables: %v", lingering)

	if _, err := s.Compact(ctx, false); err != nil {
		t.Fatal(err)
	}
	if n := matches(term); n != 0 {
		t.Errorf("after Compact %q matches %d cases, want 0", term, n)
	}
	if n := matches(keptTerm); n != 1 {
		t.Errorf("after Compact the preserved case's %q matches %d cases, want 1", keptTerm, n)
	}
	if _, err := s.DB().Exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, case_search, 'row')"); err != nil {
		t.Fatal(err)
	}
	var inVocab int
	if err := s.DB().QueryRow("SELECT count(*) FROM temp.vocab WHERE term = ? OR term LIKE 'medborgare%'", term).Scan(&inVocab); err != nil {
		t.Fatal(err)
	}
	if inVocab != 0 {
		t.Errorf("after Compact the index's vocabulary holds %d removed terms", inVocab)
	}
	if bytes.Contains(searchShadowBytes(t, s), []byte(tail)) {
		t.Errorf("after Compact the index's shadow tables still hold %q", tail)
	}
	var file []byte
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		file = append(file, b...)
	}
	for _, s := range []string{tail, "medborgare7@example.net", "medborgare 7"} {
		if bytes.Contains(file, []byte(s)) {
			t.Errorf("after Compact the database files still hold %q", s)
		}
	}
	if !bytes.Contains(file, []byte(keptTerm)) {
		t.Errorf("the preserved case's text is gone from the database file")
	}
	// Compact without a purge since does not rebuild again.
	var dirty int
	s.DB().QueryRow("SELECT count(*) FROM meta WHERE key = ?", metaSearchDirty).Scan(&dirty)
	if dirty != 0 {
		t.Errorf("Compact left the search index marked dirty")
	}
}
