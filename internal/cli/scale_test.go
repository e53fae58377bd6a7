package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/exempelby/synpunkt/internal/bench"
	"github.com/exempelby/synpunkt/store"
)

// BenchmarkClerkCommands times the commands a clerk runs against a store
// of SYNPUNKT_BENCH_CASES (default 100,000) synthetic open cases
// (bench.SeedCases: rows written with SQL, not registered through intake),
// each whole command as the clerk runs it: config, store, query, output.
// The goal is under 200 ms each at 100,000 cases.
func BenchmarkClerkCommands(b *testing.B) {
	dir := b.TempDir()
	cfg, n := seededConfig(b, dir, 100_000)
	number := "SYN-2020-" + strconv.Itoa(1_000_000 + n/2)[1:]
	for _, c := range []struct {
		name string
		args []string
	}{
		{"cases--open", []string{"cases", "--config", cfg, "--open"}},
		{"cases--open--json", []string{"cases", "--config", cfg, "--open", "--json"}},
		{"cases--overdue", []string{"cases", "--config", cfg, "--overdue"}},
		{"case", []string{"case", "--config", cfg, number}},
		{"stats", []string{"stats", "--config", cfg}},
		{"deadlines--dry-run", []string{"deadlines", "--config", cfg, "--dry-run"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if code := Run(testCtx(), c.args, io.Discard, io.Discard); code != 0 {
					b.Fatalf("synpunkt %v: exit %d", c.args, code)
				}
			}
		})
	}
}

// seededConfig writes the sample config in dir over a store holding
// SYNPUNKT_BENCH_CASES (default def) synthetic cases (bench.SeedCases) and
// returns the config's path and the number of cases.
func seededConfig(b *testing.B, dir string, def int) (string, int) {
	b.Helper()
	n := def
	if v := os.Getenv("SYNPUNKT_BENCH_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("SYNPUNKT_BENCH_CASES: %v", err)
		}
	}
	cfg := sampleConfigFile(b, dir)
	st, err := store.Open(context.Background(), filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := bench.SeedCases(context.Background(), st, n, testNow()); err != nil {
		b.Fatal(err)
	}
	st.Close()
	return cfg, n
}

// BenchmarkImportGrowth times `import --no-notify` of 1,000 messages (one
// op) into a store that already holds SYNPUNKT_BENCH_CASES synthetic cases
// (bench.SeedCases, SQL rows; default 0): run it at 0 and 100,000 to see
// whether intake slows down as the store grows.
func BenchmarkImportGrowth(b *testing.B) {
	dir := b.TempDir()
	cfg, _ := seededConfig(b, dir, 0)
	round := 0
	for b.Loop() {
		b.StopTimer()
		mail := filepath.Join(dir, fmt.Sprintf("mail%d", round))
		writeMessages(b, mail, round, 1000)
		round++
		b.StartTimer()
		if code := Run(testCtx(), []string{"import", "--config", cfg, "--no-notify", mail}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("import: exit %d", code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/1000cases")
}

// writeMessages writes k distinct citizen messages as .eml files into dir.
func writeMessages(b *testing.B, dir string, round, k int) {
	b.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	for i := range k {
		raw := fmt.Sprintf("From: Medborgare %[1]d <m%[1]d.%[2]d@example.net>\r\nTo: synpunkter@exempelby.se\r\nSubject: Trasig gatubelysning %[1]d\r\n"+
			"Date: Mon, 23 Nov 2026 08:00:00 +0100\r\nMessage-ID: <growth-%[2]d-%[1]d@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
			"Hej! Gatubelysningen på Storgatan %[1]d har varit släckt i en vecka. Det är mörkt och farligt för barnen på väg till skolan.\r\n", i, round)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.eml", i)), []byte(raw), 0o600); err != nil {
			b.Fatal(err)
		}
	}
}
