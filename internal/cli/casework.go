package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/report"
	"github.com/exempelby/synpunkt/workday"
)

// withDaemon loads the config (without its secrets) and wires the
// daemon's parts (without starting intake) for a command that acts on
// cases, then hands what the command queued to sendQueued.
func withDaemon(ctx context.Context, path string, stderr io.Writer, f func(*daemon.Daemon) error) error {
	return mailing(ctx, path, stderr, func(d *daemon.Daemon) ([]int64, error) { return nil, f(d) })
}

// mailing is withDaemon for a command that also re-queues notifications
// (resend): f returns their ids.
func mailing(ctx context.Context, path string, stderr io.Writer, f func(*daemon.Daemon) ([]int64, error)) error {
	if path == "" {
		return usageError{config.ErrNoConfig.Error()}
	}
	cfg, err := config.LoadWithoutSecrets(path)
	if err != nil {
		return err
	}
	d, err := daemon.New(ctx, cfg, newLogger(cfg.Log, stderr), daemonOptions(ctx))
	if err != nil {
		return err
	}
	defer d.Close()
	before, err := d.Store.MaxOutboxID(ctx)
	if err != nil {
		return err
	}
	ids, err := f(d)
	if err != nil {
		return err
	}
	return sendQueued(ctx, d, before, ids, stderr)
}

// sendQueued leaves what a command queued (ids above before, and ids) to
// the running daemon, or sends it when none runs, and says which on stderr.
func sendQueued(ctx context.Context, d *daemon.Daemon, before int64, ids []int64, stderr io.Writer) error {
	after, err := d.Store.MaxOutboxID(ctx)
	if err != nil {
		return err
	}
	if after == before && len(ids) == 0 {
		return nil
	}
	fl, err := d.Flush(ctx, before, ids)
	switch {
	case err != nil:
		// The command's own work is committed; what it queued stays queued.
		fmt.Fprintf(stderr, "utskicken är köade men kunde inte skickas nu: %v\n", err)
	case fl.ToDaemon:
		fmt.Fprintln(stderr, "utskicken är köade; den körande synpunkt-tjänsten skickar dem")
	case fl.NoSecrets != nil:
		fmt.Fprintf(stderr, "utskicken är köade men skickas inte härifrån (%v); synpunkt-tjänsten skickar dem när den körs\n", fl.NoSecrets)
	case len(fl.Paused) > 0:
		fmt.Fprintf(stderr, "%d utskick skickade; kanalen %s tar inte emot just nu, resten ligger kvar i kön\n", fl.Sent, strings.Join(fl.Paused, ", "))
	}
	return nil
}

// withReadOnlyDaemon is withDaemon for a command that only reads: the
// config is loaded without secrets and the outbox is left alone.
func withReadOnlyDaemon(ctx context.Context, path string, stderr io.Writer, f func(*daemon.Daemon) error) error {
	cfg, err := loadConfigReadOnly(path)
	if err != nil {
		return err
	}
	d, err := daemon.New(ctx, cfg, newLogger(cfg.Log, stderr), readOnlyOptions(ctx))
	if err != nil {
		return err
	}
	defer d.Close()
	return f(d)
}

func cmdClose(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("close", stderr)
	note := fs.String("note", "", "action note (required for anonymous cases)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"close needs one case NUMBER"}
	}
	return withDaemon(ctx, *path, stderr, func(d *daemon.Daemon) error {
		c, err := d.Casework.Close(ctx, fs.Arg(0), *note, "cli")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s avslutat\n", c.Number)
		return nil
	})
}

func cmdReopen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("reopen", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"reopen needs one case NUMBER"}
	}
	return withDaemon(ctx, *path, stderr, func(d *daemon.Daemon) error {
		c, err := d.Casework.Reopen(ctx, fs.Arg(0), "cli")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s öppnat igen\n", c.Number)
		return nil
	})
}

func cmdNote(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("note", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return usageError{"note needs a case NUMBER and a TEXT"}
	}
	return withDaemon(ctx, *path, stderr, func(d *daemon.Daemon) error {
		if err := d.Casework.Note(ctx, fs.Arg(0), strings.Join(fs.Args()[1:], " "), "cli"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "anteckning sparad i %s\n", fs.Arg(0))
		return nil
	})
}

func cmdRoute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("route", stderr)
	unit := fs.String("unit", "", "the unit (name or alias) to move the case to")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *unit == "" {
		return usageError{"route needs one case NUMBER and --unit NAME"}
	}
	return withDaemon(ctx, *path, stderr, func(d *daemon.Daemon) error {
		c, err := d.Casework.Route(ctx, fs.Arg(0), *unit, "cli")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s flyttat till %s (%s)\n", c.Number, report.Text(c.Unit), report.Text(c.Committee))
		return nil
	})
}

// actionJSON is the JSON shape of a due deadline action.
type actionJSON struct {
	Case      string    `json:"case"`
	Kind      string    `json:"kind"`
	Level     int       `json:"level"`
	Key       string    `json:"key"`
	Recipient string    `json:"recipient"`
	Deadline  time.Time `json:"deadline"`
}

func cmdDeadlines(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("deadlines", stderr)
	at := fs.String("at", "", "evaluate as of this time (RFC 3339 or 2006-01-02T15:04 local); default now")
	dry := fs.Bool("dry-run", false, "only list what is due")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	now := clock(ctx)()
	if *at != "" {
		t, err := parseTime(*at)
		if err != nil {
			return usageError{"--at: " + err.Error()}
		}
		now = t
	}
	with := withDaemon
	if *dry {
		with = withReadOnlyDaemon // lists only: no secrets, nothing sent
	}
	return with(ctx, *path, stderr, func(d *daemon.Daemon) error {
		actions, err := d.Casework.RunDeadlines(ctx, now, *dry)
		if err != nil {
			return err
		}
		out := []actionJSON{}
		for _, a := range actions {
			out = append(out, actionJSON{Case: a.Number, Kind: a.Kind, Level: a.Level, Key: a.Key, Recipient: a.To, Deadline: a.Deadline})
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(out)
		}
		verb := "skickat"
		if *dry {
			verb = "att skicka"
		}
		fmt.Fprintf(stdout, "%d åtgärder %s per %s\n", len(out), verb, now.In(stockholm).Format("2006-01-02 15:04"))
		for _, a := range out {
			fmt.Fprintf(stdout, "  %s  %-10s nivå %d  till %-36s frist %s\n", report.Text(a.Case), a.Kind, a.Level, report.Text(a.Recipient), a.Deadline.In(stockholm).Format("2006-01-02 15:04"))
		}
		return nil
	})
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, f := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(f, s, stockholm); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a time", s)
}

var stockholm = workday.Stockholm

func cmdStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("stats", stderr)
	fromS := fs.String("from", "", "first day (2006-01-02); default: 1 January this year")
	toS := fs.String("to", "", "last day (2006-01-02); default: today")
	asJSON := fs.Bool("json", false, "print the statistics as JSON (the figures of report --format json)")
	if err := parse(fs, args); err != nil {
		return err
	}
	now := clock(ctx)().In(stockholm)
	from := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, stockholm)
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, stockholm).AddDate(0, 0, 1)
	if *fromS != "" {
		t, err := time.ParseInLocation("2006-01-02", *fromS, stockholm)
		if err != nil {
			return usageError{"--from: " + err.Error()}
		}
		from = t
	}
	if *toS != "" {
		t, err := time.ParseInLocation("2006-01-02", *toS, stockholm)
		if err != nil {
			return usageError{"--to: " + err.Error()}
		}
		to = t.AddDate(0, 0, 1)
	}
	if *asJSON {
		return statsJSON(ctx, *path, report.RangePeriod(from, to), stdout)
	}
	st, err := openStore(ctx, *path)
	if err != nil {
		return err
	}
	defer st.Close()
	return report.Stats(ctx, stdout, st, from, to)
}

func cmdResend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("resend", stderr)
	failed := fs.Bool("failed", false, "resend every notification that failed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (fs.NArg() == 1) == *failed || fs.NArg() > 1 {
		return usageError{"resend needs one case NUMBER or --failed"}
	}
	return mailing(ctx, *path, stderr, func(d *daemon.Daemon) ([]int64, error) {
		var caseID int64
		if fs.NArg() == 1 {
			c, err := d.Store.CaseByNumber(ctx, fs.Arg(0))
			if err != nil {
				return nil, fmt.Errorf("case %s: %w", fs.Arg(0), err)
			}
			caseID = c.ID
		}
		ids, err := d.Store.Resend(ctx, caseID, "cli")
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(stdout, "%d utskick köade igen\n", len(ids))
		return ids, nil
	})
}
