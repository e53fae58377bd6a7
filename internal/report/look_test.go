package report

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// TestWriteLookFile writes the fixture's workbook to $SYNPUNKT_REPORT_OUT
// for a person (or LibreOffice) to look at; skipped without it.
func TestWriteLookFile(t *testing.T) {
	out := os.Getenv("SYNPUNKT_REPORT_OUT")
	if out == "" {
		t.Skip("SYNPUNKT_REPORT_OUT not set")
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, buildFixture(t, "", MonthPeriod(2026, time.November))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
