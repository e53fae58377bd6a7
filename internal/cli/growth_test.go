package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

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
