package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/report"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

func cmdReport(fs *flag.FlagSet) body {
	committee := fs.String("committee", "", "only this committee (nämnd); default: all")
	periodS := fs.String("period", "", "the period: a month 2026-11, a quarter 2026-Q4 or a year 2026")
	format := fs.String("format", "", "xlsx, csv or json; default: from the --out file name, else xlsx")
	out := fs.String("out", "", "the file to write; - for standard output")
	return func(ctx context.Context, c call) error {
		return writeCommitteeReport(ctx, c, *committee, *periodS, *format, *out)
	}
}

// writeCommitteeReport is the report command with its flags.
func writeCommitteeReport(ctx context.Context, c call, committee, periodS, format, out string) error {
	p, err := report.ParsePeriod(periodS)
	if err != nil {
		return usageError{"--period: " + err.Error()}
	}
	if out == "" {
		return usageError{"--out FILE is required (- for standard output)"}
	}
	f := reportFormat(format, out)
	if !slices.Contains(report.Formats, f) {
		return usageError{"--format: must be one of " + strings.Join(report.Formats, ", ")}
	}
	cfg, st, err := openReadOnly(ctx, c.config)
	if err != nil {
		return err
	}
	defer st.Close()
	if committee != "" && !hasCommittee(cfg, committee) {
		return usageError{fmt.Sprintf("--committee: no unit in the config belongs to %q", committee)}
	}
	cal, err := calendarOf(cfg)
	if err != nil {
		return err
	}
	s, err := report.Build(ctx, st, cfg.Organisation.Name, committee, p, cal)
	if err != nil {
		return err
	}
	return writeReport(s, f, out, c.stdout)
}

// reportFormat is the format asked for, else the one the file name
// implies, else xlsx.
func reportFormat(format, out string) string {
	if format != "" {
		return format
	}
	if ext := strings.TrimPrefix(filepath.Ext(out), "."); slices.Contains(report.Formats, ext) {
		return ext
	}
	return "xlsx"
}

// writeReport writes s to out (- is stdout), via a temporary file renamed
// into place, so a failed run leaves no half-written report.
func writeReport(s *report.Statistics, format, out string, stdout io.Writer) error {
	if out == "-" {
		return report.Write(stdout, s, format)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".synpunkt-report-*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := report.Write(tmp, s, format); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// openReadOnly loads the config without secrets and opens its database.
func openReadOnly(ctx context.Context, path string) (*config.Config, *store.Store, error) {
	cfg, err := loadConfigReadOnly(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

func hasCommittee(cfg *config.Config, committee string) bool {
	for _, u := range cfg.Units {
		if u.Committee == committee {
			return true
		}
	}
	return false
}

// calendarOf is the working calendar of the config's deadlines.
func calendarOf(cfg *config.Config) (*workday.Calendar, error) {
	p, err := lifecycle.NewPolicy(cfg.Deadlines, cfg.Units)
	if err != nil {
		return nil, fmt.Errorf("deadlines: %w", err)
	}
	return p.Calendar(), nil
}

// statsJSON prints the statistics of all committees over p as JSON.
func statsJSON(ctx context.Context, path string, p report.Period, stdout io.Writer) error {
	cfg, st, err := openReadOnly(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	cal, err := calendarOf(cfg)
	if err != nil {
		return err
	}
	s, err := report.Build(ctx, st, cfg.Organisation.Name, "", p, cal)
	if err != nil {
		return err
	}
	return report.Write(stdout, s, "json")
}
