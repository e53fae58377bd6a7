package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// planted is the personal data the fixture holds in contacts, receipts,
// event details, intake reasons and one description; no report may show
// any of it, nor a case number.
var planted = []string{"Anna", "anna", "Svensson", "example.com", "+4670", "070", "SYN-2026", "Ring"}

func checkNoPersonalData(t *testing.T, where, text string) {
	t.Helper()
	for _, p := range planted {
		if strings.Contains(text, p) {
			t.Errorf("%s contains %q: %q", where, p, text)
		}
	}
}

func fixtureWorkbook(t *testing.T) (*excelize.File, []byte) {
	t.Helper()
	s := buildFixture(t, "", MonthPeriod(2026, time.November))
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

// TestWorkbookSheets reopens the workbook and checks, sheet by sheet, what
// a secretary sees: the sheets, the key figures, frozen headers, column
// widths, print areas, and no personal data in any cell.
func TestWorkbookSheets(t *testing.T) {
	f, _ := fixtureWorkbook(t)
	want := []string{SheetSummary, SheetMonths, unitGata, unitKultur, SheetGroups, SheetTrends}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	printAreas := map[string]bool{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Area" {
			printAreas[d.Scope] = true
		}
	}
	for _, sh := range want {
		rows, err := f.GetRows(sh)
		if err != nil || len(rows) < 3 {
			t.Fatalf("sheet %s: %d rows, %v", sh, len(rows), err)
		}
		for r, row := range rows {
			for c, v := range row {
				checkNoPersonalData(t, sh+"!"+cell(c+1, r+1), v)
			}
		}
		if p, err := f.GetPanes(sh); err != nil || !p.Freeze || p.YSplit < 1 {
			t.Errorf("sheet %s: panes %+v (%v), want frozen header rows", sh, p, err)
		}
		if w, _ := f.GetColWidth(sh, "A"); w < 15 {
			t.Errorf("sheet %s: column A width %g, want set", sh, w)
		}
		if !printAreas[sh] {
			t.Errorf("sheet %s has no print area", sh)
		}
	}
	for c, want := range map[string]string{"A1": "Synpunkter 2026-11 – alla nämnder", "A5": "Inkomna ärenden", "B5": "4", "B6": "4", "B7": "1", "B8": "1", "B10": "33.3%", "B2": "2026-11-01", "D2": "2026-11-30"} {
		if got, _ := f.GetCellValue(SheetSummary, c); got != want && strings.ReplaceAll(got, " ", "") != want {
			t.Errorf("%s!%s = %q, want %q", SheetSummary, c, got, want)
		}
	}
	rows, _ := f.GetRows(SheetSummary)
	text := strings.Join(flatten(rows), "|")
	for _, want := range []string{"Definitioner", "Avslutade i tid", "Arbetstid", unitGata, "Per enhet"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	trends, _ := f.GetRows(SheetTrends)
	if !strings.Contains(strings.Join(flatten(trends), "|"), "snöröjning|2|1|↑ ökar") {
		t.Errorf("demand sheet lacks snöröjning 2 (1) ↑ ökar: %q", trends)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestWorkbookFormulas recalculates every formula and checks it against
// the sum of the cells above it.
func TestWorkbookFormulas(t *testing.T) {
	f, _ := fixtureWorkbook(t)
	n := 0
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for r := range len(rows) + 1 {
			for c := 1; c <= 20; c++ {
				ref := cell(c, r+1)
				formula, _ := f.GetCellFormula(sh, ref)
				if formula == "" {
					continue
				}
				n++
				got, err := f.CalcCellValue(sh, ref)
				if err != nil {
					t.Errorf("%s!%s =%s: %v", sh, ref, formula, err)
					continue
				}
				if want := sumAbove(t, f, sh, formula); got != strconv.Itoa(want) {
					t.Errorf("%s!%s =%s = %s, want %d", sh, ref, formula, got, want)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no formulas")
	}
	t.Logf("%d formulas recalculated", n)
}

var sumRange = regexp.MustCompile(`^SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$`)

func sumAbove(t *testing.T, f *excelize.File, sh, formula string) int {
	m := sumRange.FindStringSubmatch(formula)
	if m == nil {
		t.Fatalf("unexpected formula %q", formula)
	}
	from, _ := strconv.Atoi(m[2])
	to, _ := strconv.Atoi(m[4])
	sum := 0
	for r := from; r <= to; r++ {
		v, _ := f.GetCellValue(sh, m[1]+strconv.Itoa(r), excelize.Options{RawCellValue: true})
		n, _ := strconv.Atoi(v)
		sum += n
	}
	return sum
}

// chartXML is the part of a DrawingML chart the test reads.
type chartXML struct {
	Title []string `xml:"chart>title>tx>rich>p>r>t"`
	Refs  []string `xml:"chart>plotArea>barChart>ser>val>numRef>f"`
	Cats  []string `xml:"chart>plotArea>barChart>ser>cat>strRef>f"`
	Dir   attrVal  `xml:"chart>plotArea>barChart>barDir"`
	Group attrVal  `xml:"chart>plotArea>barChart>grouping"`
}

type attrVal struct {
	Val string `xml:"val,attr"`
}

// TestWorkbookCharts reads both charts from the file and checks that each
// series points at cells that hold the figures.
func TestWorkbookCharts(t *testing.T) {
	f, raw := fixtureWorkbook(t)
	charts := readCharts(t, raw)
	if len(charts) != 2 {
		t.Fatalf("%d charts, want 2", len(charts))
	}
	titles := map[string]chartXML{}
	for _, c := range charts {
		titles[strings.Join(c.Title, "")] = c
	}
	months, ok := titles["Inkomna ärenden per månad och kategori"]
	if !ok || months.Group.Val != "stacked" || months.Dir.Val != "col" || len(months.Refs) != 5 {
		t.Errorf("month chart = %+v", months)
	}
	share, ok := titles["Andel avslutade i tid per enhet"]
	if !ok || share.Dir.Val != "bar" || len(share.Refs) != 1 {
		t.Errorf("share chart = %+v", share)
	}
	total := 0
	for _, ref := range months.Refs {
		total += sumRef(t, f, ref)
	}
	if total != 4 {
		t.Errorf("month chart series add up to %d, want the 4 cases of November", total)
	}
	if v := refValues(t, f, share.Refs[0]); len(v) != 2 || !strings.HasPrefix(v[0], "0.333") || v[1] != "" {
		t.Errorf("share chart values = %q, want 1/3 for %s and none for %s", v, unitGata, unitKultur)
	}
}

func readCharts(t *testing.T, raw []byte) []chartXML {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var out []chartXML
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		r, _ := zf.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		var c chartXML
		if err := xml.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		out = append(out, c)
	}
	return out
}

var refPattern = regexp.MustCompile(`^'?(.*?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$`)

// refValues returns the raw values of a one-column range like
// 'Per månad'!$L$3:$L$3.
func refValues(t *testing.T, f *excelize.File, ref string) []string {
	t.Helper()
	m := refPattern.FindStringSubmatch(ref)
	if m == nil || m[2] != m[4] {
		t.Fatalf("chart reference %q", ref)
	}
	from, _ := strconv.Atoi(m[3])
	to, _ := strconv.Atoi(m[5])
	var out []string
	for r := from; r <= to; r++ {
		v, err := f.GetCellValue(m[1], m[2]+strconv.Itoa(r), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("chart reference %q: %v", ref, err)
		}
		out = append(out, v)
	}
	return out
}

func sumRef(t *testing.T, f *excelize.File, ref string) int {
	sum := 0
	for _, v := range refValues(t, f, ref) {
		n, _ := strconv.Atoi(v)
		sum += n
	}
	return sum
}

// TestExportsHaveNoPersonalData: JSON and CSV carry the same figures and
// none of the planted personal data.
func TestExportsHaveNoPersonalData(t *testing.T) {
	s := buildFixture(t, "", MonthPeriod(2026, time.November))
	for _, format := range []string{"json", "csv"} {
		var buf bytes.Buffer
		if err := Write(&buf, s, format); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(buf.String(), "\n") {
			checkNoPersonalData(t, format+" line "+strconv.Itoa(i+1), line)
		}
		if !strings.Contains(buf.String(), "snöröjning") {
			t.Errorf("%s lacks the demand trends", format)
		}
	}
}

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
