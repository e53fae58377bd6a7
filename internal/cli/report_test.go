package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportCommand registers mail full of personal data through the real
// pipeline and checks that report (xlsx, csv, json) and stats --json show
// the figures and none of it, in any cell or line.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	var paths []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("p%d.eml", i))
		msg := fmt.Sprintf("From: Karin Lindqvist <karin.lindqvist%d@example.net>\r\nTo: synpunkter@exempelby.se\r\nSubject: Snöröjning\r\n"+
			"Date: Mon, 02 Nov 2026 09:0%d:00 +0100\r\nMessage-ID: <rep-%d@example.net>\r\n\r\n"+
			"Snöröjningen på Storgatan fungerar inte. Ring mig på 070-987 65 43, personnummer 19800101-1234.\r\nMvh Karin Lindqvist, Ekvägen 12\r\n", i, i, i)
		os.WriteFile(p, []byte(msg), 0o600)
		paths = append(paths, p)
	}
	if _, code := run(t, append([]string{"import", "--config", cfg, "--no-notify"}, paths...)...); code != 0 {
		t.Fatal("import failed")
	}
	personal := []string{"Karin", "Lindqvist", "karin", "example.net", "070", "987 65", "19800101", "Ekvägen", "SYN-"}
	check := func(where, text string) {
		for _, p := range personal {
			if strings.Contains(text, p) {
				t.Errorf("%s shows %q: %q", where, p, text)
			}
		}
	}
	xlsx := filepath.Join(dir, "r.xlsx")
	if _, code := run(t, "report", "--config", cfg, "--period", "2026-11", "--out", xlsx); code != 0 {
		t.Fatal("report xlsx failed")
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for r, row := range rows {
			for c, v := range row {
				check(fmt.Sprintf("%s R%dC%d", sh, r+1, c+1), v)
			}
		}
	}
	if v, _ := f.GetCellValue("Sammanfattning", "B5"); v != "3" {
		t.Errorf("received = %q, want 3", v)
	}
	for _, format := range []string{"csv", "json"} {
		out, code := run(t, "report", "--config", cfg, "--period", "2026-Q4", "--format", format, "--out", "-")
		if code != 0 || !strings.Contains(out, "Gatu- och parkenheten") {
			t.Fatalf("report --format %s: exit %d\n%s", format, code, out)
		}
		for i, line := range strings.Split(out, "\n") {
			check(fmt.Sprintf("%s line %d", format, i+1), line)
		}
	}
	out, code := run(t, "stats", "--config", cfg, "--from", "2026-11-01", "--to", "2026-11-30", "--json")
	var s struct {
		Total struct {
			Received int `json:"received"`
		} `json:"total"`
		Trends []struct {
			Topics []struct{ Term string } `json:"topics"`
		} `json:"trends"`
	}
	if err := json.Unmarshal([]byte(out), &s); code != 0 || err != nil || s.Total.Received != 3 || len(s.Trends) == 0 {
		t.Errorf("stats --json: exit %d, %v, %+v", code, err, s)
	}
	check("stats --json", out)
	for _, bad := range [][]string{{"--period", "2026-13", "--out", "-"}, {"--period", "2026-11"}, {"--period", "2026-11", "--out", "-", "--format", "pdf"},
		{"--period", "2026-11", "--out", "-", "--committee", "Ingen nämnd"}} {
		if _, code := run(t, append([]string{"report", "--config", cfg}, bad...)...); code != 2 {
			t.Errorf("report %v: exit %d, want 2", bad, code)
		}
	}
}
