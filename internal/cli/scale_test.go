package cli

import (
	"context"
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
