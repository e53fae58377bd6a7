package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/exempelby/synpunkt"
)

// Sheet names of the workbook; one more sheet per unit, named after it.
const (
	SheetSummary = "Sammanfattning"
	SheetMonths  = "Per månad"
	SheetGroups  = "Kategori och kanal"
	SheetTrends  = "Efterfrågan"
)

// WriteXLSX writes s as an Excel workbook a committee secretary can read
// as it is: a summary with the key figures in Swedish and their
// definitions, a month-by-month sheet, a sheet per unit, categories and
// channels, and the demand trends; two native charts (cases per month by
// category, share closed in time per unit); Swedish number and date
// formats, frozen header rows, set column widths and a print area on
// every sheet.
func WriteXLSX(w io.Writer, s *Statistics) error {
	x, err := buildWorkbook(s)
	if err != nil {
		return fmt.Errorf("excel: %w", err)
	}
	defer x.f.Close()
	if _, err := x.f.WriteTo(w); err != nil {
		return fmt.Errorf("excel: %w", err)
	}
	return nil
}

// workbook is a workbook being written, with its cell styles.
type workbook struct {
	f                                          *excelize.File
	title, header, integer, decimal, pct, date int
	month, wrap, bold, term                    int
}

func buildWorkbook(s *Statistics) (*workbook, error) {
	x := &workbook{f: excelize.NewFile()}
	steps := []func(*Statistics) error{x.styles, x.summary, x.months, x.units, x.groups, x.trends, x.props}
	for _, step := range steps {
		if err := step(s); err != nil {
			x.f.Close()
			return nil, err
		}
	}
	return x, nil
}

func (x *workbook) styles(*Statistics) error {
	num := func(id int) *excelize.Style { return &excelize.Style{NumFmt: id} }
	custom := func(code string) *excelize.Style { return &excelize.Style{CustomNumFmt: &code} }
	specs := []struct {
		dst *int
		st  *excelize.Style
	}{
		{&x.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&x.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&x.integer, num(3)},      // # ##0
		{&x.decimal, num(4)},      // # ##0,00 → one decimal below
		{&x.pct, custom("0.0 %")}, // 87,5 %
		{&x.date, custom("yyyy-mm-dd")},
		{&x.month, custom("[$-41D]mmmm yyyy")}, // november 2026
		{&x.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&x.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&x.term, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
	}
	one := "#,##0.0"
	specs[3].st = &excelize.Style{CustomNumFmt: &one}
	for _, sp := range specs {
		id, err := x.f.NewStyle(sp.st)
		if err != nil {
			return err
		}
		*sp.dst = id
	}
	return nil
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func colName(col int) string {
	n, _ := excelize.ColumnNumberToName(col)
	return n
}

// set writes v at (col, row) with style (0: none). Strings are escaped
// with Text and always stored as text, never as a formula.
func (x *workbook) set(sheet string, col, row int, v any, style int) error {
	c := cell(col, row)
	var err error
	switch v := v.(type) {
	case string:
		err = x.f.SetCellStr(sheet, c, Text(v))
	case *float64:
		if v != nil {
			err = x.f.SetCellFloat(sheet, c, *v, -1, 64)
		}
	default:
		err = x.f.SetCellValue(sheet, c, v)
	}
	if err == nil && style != 0 {
		err = x.f.SetCellStyle(sheet, c, c, style)
	}
	return err
}

// frame freezes the rows above firstData, sets column widths and the
// print area (landscape, one page wide).
func (x *workbook) frame(sheet string, firstData, lastRow int, widths []float64) error {
	if err := x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: firstData - 1, TopLeftCell: cell(1, firstData), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, wd := range widths {
		if err := x.f.SetColWidth(sheet, colName(i+1), colName(i+1), wd); err != nil {
			return err
		}
	}
	area := fmt.Sprintf("'%s'!$A$1:$%s$%d", sheet, colName(len(widths)), max(lastRow, 1))
	if err := x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: area, Scope: sheet}); err != nil {
		return err
	}
	land, wide, tall, yes := "landscape", 1, 0, true
	if err := x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	return x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &land, FitToWidth: &wide, FitToHeight: &tall})
}

func (x *workbook) props(s *Statistics) error {
	return x.f.SetDocProps(&excelize.DocProperties{
		Title: "Synpunkter " + s.Period, Subject: "Statistik över synpunkter", Creator: "synpunkt", Language: "sv-SE",
		Created: s.To.UTC().Format(time.RFC3339),
	})
}

func committeeLabel(s *Statistics) string {
	if s.Committee == "" {
		return "alla nämnder"
	}
	return s.Committee
}

// keyFigures are the summary's rows: label, value and style.
func (x *workbook) keyFigures(f Figures) []struct {
	label string
	value any
	style int
} {
	return []struct {
		label string
		value any
		style int
	}{
		{"Inkomna ärenden", f.Received, x.integer},
		{"Avslutade ärenden", f.Closed, x.integer},
		{"Öppna vid periodens slut", f.OpenAtEnd, x.integer},
		{"Avslutade i tid (antal)", f.ClosedInTime, x.integer},
		{"Avslutade med frist (antal)", f.ClosedWithDeadline, x.integer},
		{"Andel avslutade i tid", f.ShareInTime, x.pct},
		{"Tid till mottagningsbekräftelse, median (arbetstimmar)", f.ToReceipt.Median, x.decimal},
		{"Tid till mottagningsbekräftelse, 90:e percentil (arbetstimmar)", f.ToReceipt.P90, x.decimal},
		{"Tid till första svar, median (arbetstimmar)", f.ToFirstResponse.Median, x.decimal},
		{"Tid till första svar, 90:e percentil (arbetstimmar)", f.ToFirstResponse.P90, x.decimal},
		{"Tid till avslut, median (arbetsdagar)", f.ToClose.Median, x.decimal},
		{"Tid till avslut, 90:e percentil (arbetsdagar)", f.ToClose.P90, x.decimal},
		{"Eskaleringar", f.Escalations, x.integer},
		{"Återöppnade ärenden", f.Reopened, x.integer},
	}
}

// summary writes the first sheet: title, period, key figures, the table
// per unit (with the share-in-time chart) and the definitions.
func (x *workbook) summary(s *Statistics) error {
	sh := SheetSummary
	if err := x.f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	x.set(sh, 1, 1, fmt.Sprintf("Synpunkter %s – %s", s.Period, committeeLabel(s)), x.title)
	x.set(sh, 1, 2, "Period från", x.bold)
	x.set(sh, 2, 2, s.From.In(stockholm), x.date)
	x.set(sh, 3, 2, "till och med", x.bold)
	x.set(sh, 4, 2, s.To.In(stockholm).AddDate(0, 0, -1), x.date)
	x.set(sh, 1, 4, "Nyckeltal", x.header)
	x.set(sh, 2, 4, "Värde", x.header)
	row := 5
	for _, k := range x.keyFigures(s.Total) {
		x.set(sh, 1, row, k.label, 0)
		if err := x.set(sh, 2, row, k.value, k.style); err != nil {
			return err
		}
		row++
	}
	row, err := x.unitTable(sh, row+1, s)
	if err != nil {
		return err
	}
	row = x.definitions(sh, row+1)
	// Columns H–Q hold the share chart, inside the print area.
	return x.frame(sh, 5, max(row, 24), []float64{58, 14, 14, 14, 14, 14, 14, 4, 10, 10, 10, 10, 10, 10, 10, 10, 10})
}

// unitTable writes the per-unit key figures from row and charts the share
// closed in time beside it. It returns the next free row.
func (x *workbook) unitTable(sh string, row int, s *Statistics) (int, error) {
	x.set(sh, 1, row, "Per enhet", x.bold)
	row++
	heads := []string{"Enhet", "Nämnd", "Inkomna", "Avslutade", "Avslutade i tid", "Avslutade med frist", "Andel i tid"}
	for i, h := range heads {
		x.set(sh, i+1, row, h, x.header)
	}
	first := row + 1
	for _, u := range s.Units {
		row++
		f := u.Figures
		vals := []any{u.Name, u.Committee, f.Received, f.Closed, f.ClosedInTime, f.ClosedWithDeadline, f.ShareInTime}
		styles := []int{0, 0, x.integer, x.integer, x.integer, x.integer, x.pct}
		for i, v := range vals {
			if err := x.set(sh, i+1, row, v, styles[i]); err != nil {
				return 0, err
			}
		}
	}
	if len(s.Units) == 0 {
		return row + 1, nil
	}
	err := x.f.AddChart(sh, cell(9, 4), &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("'%s'!$G$%d", sh, first-1),
			Categories: fmt.Sprintf("'%s'!$A$%d:$A$%d", sh, first, row),
			Values:     fmt.Sprintf("'%s'!$G$%d:$G$%d", sh, first, row),
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Andel avslutade i tid per enhet"}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		XAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0 %"}},
		Dimension: excelize.ChartDimension{Width: 640, Height: 360},
	})
	return row + 1, err
}

// definitions writes what each figure means under the figures.
func (x *workbook) definitions(sh string, row int) int {
	x.set(sh, 1, row, "Definitioner", x.bold)
	for _, d := range Definitions {
		row++
		x.set(sh, 1, row, d.Term, x.term)
		x.set(sh, 2, row, d.Text, x.wrap)
		x.f.MergeCell(sh, cell(2, row), cell(7, row))
		x.f.SetRowHeight(sh, row, 45)
	}
	return row
}

// monthColumns are the month tables' columns after the month.
var monthColumns = []string{"Inkomna", "Avslutade", "Öppna vid slut", "Avslutade i tid", "Avslutade med frist", "Andel i tid",
	"Första svar, median (h)", "Avslut, median (dagar)", "Eskaleringar", "Återöppnade"}

// monthTable writes a month-by-month table from row (header) with the
// received cases per category, and a total row with SUM formulas. It
// returns the header row and the last month row.
func (x *workbook) monthTable(sh string, row int, months []Month) (int, int, error) {
	header := row
	x.set(sh, 1, row, "Månad", x.header)
	for i, h := range monthColumns {
		x.set(sh, i+2, row, h, x.header)
	}
	for i, c := range synpunkt.Categories {
		x.set(sh, len(monthColumns)+2+i, row, string(c), x.header)
	}
	for _, m := range months {
		row++
		t, _ := time.ParseInLocation("2006-01", m.Month, stockholm)
		x.set(sh, 1, row, t, x.month)
		f := m.Figures
		vals := []any{f.Received, f.Closed, f.OpenAtEnd, f.ClosedInTime, f.ClosedWithDeadline, f.ShareInTime, f.ToFirstResponse.Median, f.ToClose.Median, f.Escalations, f.Reopened}
		for i, v := range vals {
			st := x.integer
			switch i {
			case 5:
				st = x.pct
			case 6, 7:
				st = x.decimal
			}
			if err := x.set(sh, i+2, row, v, st); err != nil {
				return 0, 0, err
			}
		}
		for i, c := range synpunkt.Categories {
			x.set(sh, len(monthColumns)+2+i, row, m.ByCategory[string(c)], x.integer)
		}
	}
	last := row
	row++
	x.set(sh, 1, row, "Summa", x.bold)
	for col := 2; col <= len(monthColumns)+1+len(synpunkt.Categories); col++ {
		if col == 4 || col >= 7 && col <= 9 { // open at end, share, medians: no sum
			continue
		}
		f := fmt.Sprintf("SUM(%s:%s)", cell(col, header+1), cell(col, last))
		if err := x.f.SetCellFormula(sh, cell(col, row), f); err != nil {
			return 0, 0, err
		}
		x.f.SetCellStyle(sh, cell(col, row), cell(col, row), x.integer)
	}
	return header, last, nil
}

func monthWidths() []float64 {
	w := []float64{16}
	for range monthColumns {
		w = append(w, 13)
	}
	for range synpunkt.Categories {
		w = append(w, 13)
	}
	return w
}

// months writes the month-by-month sheet with the stacked chart of cases
// per month by category.
func (x *workbook) months(s *Statistics) error {
	sh := SheetMonths
	if _, err := x.f.NewSheet(sh); err != nil {
		return err
	}
	x.set(sh, 1, 1, fmt.Sprintf("Synpunkter per månad %s – %s", s.Period, committeeLabel(s)), x.title)
	header, last, err := x.monthTable(sh, 2, s.Months)
	if err != nil {
		return err
	}
	var series []excelize.ChartSeries
	for i := range synpunkt.Categories {
		col := colName(len(monthColumns) + 2 + i)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("'%s'!$%s$%d", sh, col, header),
			Categories: fmt.Sprintf("'%s'!$A$%d:$A$%d", sh, header+1, last),
			Values:     fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sh, col, header+1, col, last),
		})
	}
	err = x.f.AddChart(sh, cell(1, last+3), &excelize.Chart{
		Type: excelize.ColStacked, Series: series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Inkomna ärenden per månad och kategori"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
	})
	if err != nil {
		return err
	}
	return x.frame(sh, header+1, last+22, monthWidths())
}

// units writes one sheet per unit with its month-by-month figures.
func (x *workbook) units(s *Statistics) error {
	used := map[string]bool{SheetSummary: true, SheetMonths: true, SheetGroups: true, SheetTrends: true}
	for _, u := range s.Units {
		sh := sheetName(u.Name, used)
		if _, err := x.f.NewSheet(sh); err != nil {
			return err
		}
		x.set(sh, 1, 1, u.Name+" – "+s.Period, x.title)
		x.set(sh, 1, 2, "Nämnd: "+u.Committee, 0)
		header, last, err := x.monthTable(sh, 3, u.Months)
		if err != nil {
			return err
		}
		if err := x.frame(sh, header+1, last+1, monthWidths()); err != nil {
			return err
		}
	}
	return nil
}

// sheetName makes a unit's sheet name: at most 31 characters, none of
// : \ / ? * [ ], unique in the workbook.
func sheetName(unit string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]'`, r) || r < 0x20 {
			return '-'
		}
		return r
	}, unit)
	name = truncRunes(strings.TrimSpace(name), 31)
	if name == "" {
		name = "Enhet"
	}
	base := name
	for i := 2; used[name]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = truncRunes(base, 31-len(suffix)) + suffix
	}
	used[name] = true
	return name
}

func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// groups writes figures per category and channel and the messages that
// opened no case.
func (x *workbook) groups(s *Statistics) error {
	sh := SheetGroups
	if _, err := x.f.NewSheet(sh); err != nil {
		return err
	}
	x.set(sh, 1, 1, fmt.Sprintf("Per kategori och kanal %s – %s", s.Period, committeeLabel(s)), x.title)
	heads := []string{"Kategori / kanal", "Inkomna", "Avslutade", "Avslutade i tid", "Andel i tid", "Första svar, median (h)", "Avslut, median (dagar)"}
	for i, h := range heads {
		x.set(sh, i+1, 2, h, x.header)
	}
	row := 2
	for _, part := range [][]Group{s.Categories, s.Channels} {
		for _, g := range part {
			row++
			f := g.Figures
			vals := []any{g.Name, f.Received, f.Closed, f.ClosedInTime, f.ShareInTime, f.ToFirstResponse.Median, f.ToClose.Median}
			styles := []int{0, x.integer, x.integer, x.integer, x.pct, x.decimal, x.decimal}
			for i, v := range vals {
				if err := x.set(sh, i+1, row, v, styles[i]); err != nil {
					return err
				}
			}
		}
		row++
	}
	row++
	x.set(sh, 1, row, "Inte synpunkter (hela brevlådan)", x.header)
	x.set(sh, 2, row, "Antal", x.header)
	for _, n := range notCaseRows(s.NotCases) {
		row++
		x.set(sh, 1, row, n.name, 0)
		x.set(sh, 2, row, n.count, x.integer)
	}
	return x.frame(sh, 3, row, []float64{40, 12, 12, 14, 12, 20, 20})
}

// trends writes the demand sheet: topics per unit and month with their
// direction against the month before.
func (x *workbook) trends(s *Statistics) error {
	sh := SheetTrends
	if _, err := x.f.NewSheet(sh); err != nil {
		return err
	}
	x.set(sh, 1, 1, fmt.Sprintf("Vad synpunkterna handlar om %s – %s (ord i avidentifierade beskrivningar, minst %d ärenden)", s.Period, committeeLabel(s), MinTopicCases), x.title)
	for i, h := range []string{"Enhet", "Månad", "Ämne", "Ärenden", "Föregående månad", "Trend"} {
		x.set(sh, i+1, 2, h, x.header)
	}
	row := 2
	for _, t := range s.Trends {
		m, _ := time.ParseInLocation("2006-01", t.Month, stockholm)
		for _, tp := range t.Topics {
			row++
			x.set(sh, 1, row, t.Unit, 0)
			x.set(sh, 2, row, m, x.month)
			x.set(sh, 3, row, tp.Term, 0)
			x.set(sh, 4, row, tp.Cases, x.integer)
			x.set(sh, 5, row, tp.Previous, x.integer)
			if err := x.set(sh, 6, row, arrow(tp.Direction), 0); err != nil {
				return err
			}
		}
	}
	if row > 2 {
		if err := x.f.AutoFilter(sh, "A2:"+cell(6, row), nil); err != nil {
			return err
		}
	}
	return x.frame(sh, 3, row, []float64{36, 16, 30, 10, 18, 14})
}

func arrow(direction string) string {
	switch direction {
	case "ökar":
		return "↑ ökar"
	case "minskar":
		return "↓ minskar"
	case "ny":
		return "ny"
	}
	return "→ oförändrad"
}
