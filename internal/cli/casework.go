package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework"
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
	d, err := wire(ctx, path, stderr, daemonOptions(ctx))
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
	d, err := wire(ctx, path, stderr, readOnlyOptions(ctx))
	if err != nil {
		return err
	}
	defer d.Close()
	return f(d)
}

// wire loads the config at path without its secrets and wires its
// daemon's parts with opt, logging to stderr.
func wire(ctx context.Context, path string, stderr io.Writer, opt daemon.Options) (*daemon.Daemon, error) {
	cfg, err := loadConfigReadOnly(path)
	if err != nil {
		return nil, err
	}
	return daemon.New(ctx, cfg, newLogger(cfg.Log, stderr), opt)
}

// onCase runs a staff command's act on the case numbered in the first
// argument, in a daemon wired as withDaemon does, and prints the line act
// returns.
func onCase(ctx context.Context, c call, act func(d *daemon.Daemon, number string) (string, error)) error {
	return withDaemon(ctx, c.config, c.stderr, func(d *daemon.Daemon) error {
		line, err := act(d, c.args[0])
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, line)
		return nil
	})
}

func cmdClose(fs *flag.FlagSet) body {
	note := fs.String("note", "", "action note (required for anonymous cases)")
	return func(ctx context.Context, c call) error {
		return onCase(ctx, c, func(d *daemon.Daemon, number string) (string, error) {
			k, err := d.Casework.Close(ctx, number, *note, "cli")
			return k.Number + " avslutat", err
		})
	}
}

func reopen(ctx context.Context, c call) error {
	return onCase(ctx, c, func(d *daemon.Daemon, number string) (string, error) {
		k, err := d.Casework.Reopen(ctx, number, "cli")
		return k.Number + " öppnat igen", err
	})
}

func note(ctx context.Context, c call) error {
	return onCase(ctx, c, func(d *daemon.Daemon, number string) (string, error) {
		return "anteckning sparad i " + number, d.Casework.Note(ctx, number, strings.Join(c.args[1:], " "), "cli")
	})
}

func cmdRoute(fs *flag.FlagSet) body {
	unit := fs.String("unit", "", "the unit (name or alias) to move the case to")
	return func(ctx context.Context, c call) error {
		if *unit == "" {
			return usageError{"route needs one case NUMBER and --unit NAME"}
		}
		return onCase(ctx, c, func(d *daemon.Daemon, number string) (string, error) {
			k, err := d.Casework.Route(ctx, number, *unit, "cli")
			return fmt.Sprintf("%s flyttat till %s (%s)", k.Number, report.Text(k.Unit), report.Text(k.Committee)), err
		})
	}
}

// cmdForward forwards cases registered without being forwarded (a
// historical backlog) to their handlers and starts their deadline clocks.
// Every NUMBER is tried; the command fails if any of them failed.
func cmdForward(fs *flag.FlagSet) body {
	at := fs.String("at", "", "count the deadlines from this time (RFC 3339 or 2006-01-02T15:04 local); default now")
	return func(ctx context.Context, c call) error {
		var from time.Time
		if *at != "" {
			t, err := parseTime(*at)
			if err != nil {
				return usageError{"--at: " + err.Error()}
			}
			from = t
		}
		return withDaemon(ctx, c.config, c.stderr, func(d *daemon.Daemon) error {
			var errs []error
			for _, number := range c.args {
				k, err := d.Casework.Forward(ctx, number, from, "cli")
				if err != nil {
					errs = append(errs, err)
					continue
				}
				fmt.Fprintf(c.stdout, "%s skickat till %s; första besked senast %s, svar senast %s\n", k.Number, k.Handler,
					k.FirstResponseDue.In(stockholm).Format("2006-01-02 15:04"), k.FinalDue.In(stockholm).Format("2006-01-02 15:04"))
			}
			return errors.Join(errs...)
		})
	}
}

// cmdRegister registers a synpunkt a clerk took by phone, at a visit, by
// letter or from the e-service, through the same pipeline as mail, and
// sends what it queued (forward, receipt).
func cmdRegister(fs *flag.FlagSet) body {
	channel := fs.String("channel", "", "how it came in: telefon, besök, brev or e-tjänst")
	from := fs.String("from", "", "the citizen's mail address, for the receipt")
	phone := fs.String("phone", "", "the citizen's Swedish mobile number, for an SMS receipt")
	anonymous := fs.Bool("anonymous", false, "the citizen stays anonymous: no receipt")
	subject := fs.String("subject", "", "a subject line")
	text := fs.String("text", "", "the synpunkt as taken down")
	received := fs.String("received", "", "when it was received (RFC 3339 or 2006-01-02T15:04 local); default now")
	return func(ctx context.Context, c call) error {
		reg, err := registration(*channel, *from, *phone, *anonymous, *subject, *text, *received)
		if err != nil {
			return err
		}
		return withDaemon(ctx, c.config, c.stderr, func(d *daemon.Daemon) error {
			res, err := d.Pipeline.Register(ctx, reg)
			if errors.Is(err, casework.ErrInvalidRegistration) {
				return usageError{err.Error()}
			}
			if err != nil {
				return err
			}
			printRegistered(c.stdout, res, reg.Channel)
			return nil
		})
	}
}

// registration checks the flags that need no config and builds the
// registration; the pipeline checks the rest.
func registration(channel, from, phone string, anonymous bool, subject, text, received string) (casework.Registration, error) {
	ch, ok := synpunkt.ParseChannel(channel)
	if !ok {
		return casework.Registration{}, usageError{fmt.Sprintf("--channel %q: must be one of telefon, besök, brev, e-tjänst", channel)}
	}
	if text == "" || subject == "" {
		return casework.Registration{}, usageError{"register needs --subject and --text"}
	}
	reg := casework.Registration{Channel: ch, Email: from, Phone: phone, Anonymous: anonymous, Subject: subject, Text: text, Clerk: "cli"}
	if received != "" {
		t, err := parseTime(received)
		if err != nil {
			return reg, usageError{"--received: " + err.Error()}
		}
		reg.ReceivedAt = t
	}
	return reg, nil
}

func printRegistered(w io.Writer, res casework.Result, ch synpunkt.Channel) {
	switch res.Outcome {
	case casework.NewCase:
		fmt.Fprintf(w, "%s registrerat (kanal %s)\n", res.Case, ch)
	case casework.Duplicate:
		fmt.Fprintf(w, "redan registrerat: %s\n", res.Case)
	case casework.Excluded:
		fmt.Fprintf(w, "inget ärende: överlämnat (%s)\n", res.Reason)
	default:
		fmt.Fprintf(w, "inget ärende: %s %s\n", res.Outcome, res.Reason)
	}
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
	path, dry, asJSON, now, err := dueCommand(ctx, "deadlines", "evaluate as of this time (RFC 3339 or 2006-01-02T15:04 local); default now", args, stderr)
	if err != nil {
		return err
	}
	with := withDaemon
	if dry {
		with = withReadOnlyDaemon // lists only: no secrets, nothing sent
	}
	return with(ctx, path, stderr, func(d *daemon.Daemon) error {
		actions, err := d.Casework.RunDeadlines(ctx, now, dry)
		if err != nil {
			return err
		}
		out := []actionJSON{}
		for _, a := range actions {
			out = append(out, actionJSON{Case: a.Number, Kind: a.Kind, Level: a.Level, Key: a.Key, Recipient: a.To, Deadline: a.Deadline})
		}
		if asJSON {
			return json.NewEncoder(stdout).Encode(out)
		}
		verb := "skickat"
		if dry {
			verb = "att skicka"
		}
		fmt.Fprintf(stdout, "%d åtgärder %s per %s\n", len(out), verb, now.In(stockholm).Format("2006-01-02 15:04"))
		for _, a := range out {
			fmt.Fprintf(stdout, "  %s  %-10s nivå %d  till %-36s frist %s\n", report.Text(a.Case), a.Kind, a.Level, report.Text(a.Recipient), a.Deadline.In(stockholm).Format("2006-01-02 15:04"))
		}
		return nil
	})
}

// dueCommand reads the flags of a command that acts on what is due at a
// time (deadlines, purge): --config, --at (described by atUsage),
// --dry-run and --json. at is the time --at names, or now on the command
// line's clock.
func dueCommand(ctx context.Context, name, atUsage string, args []string, stderr io.Writer) (path string, dry, asJSON bool, at time.Time, err error) {
	fs, cfg := flags(name, stderr)
	when := fs.String("at", "", atUsage)
	dryRun := fs.Bool("dry-run", false, "only list what is due")
	js := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return "", false, false, time.Time{}, err
	}
	at = clock(ctx)()
	if *when != "" {
		if at, err = parseTime(*when); err != nil {
			return "", false, false, time.Time{}, usageError{"--at: " + err.Error()}
		}
	}
	return *cfg, *dryRun, *js, at, nil
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

func cmdResend(fs *flag.FlagSet) body {
	failed := fs.Bool("failed", false, "resend every notification that failed")
	return func(ctx context.Context, c call) error {
		if (len(c.args) == 1) == *failed {
			return usageError{"resend needs one case NUMBER or --failed"}
		}
		return mailing(ctx, c.config, c.stderr, func(d *daemon.Daemon) ([]int64, error) {
			var caseID int64
			if len(c.args) == 1 {
				k, err := d.Store.CaseByNumber(ctx, c.args[0])
				if err != nil {
					return nil, fmt.Errorf("case %s: %w", c.args[0], err)
				}
				caseID = k.ID
			}
			ids, err := d.Store.Resend(ctx, caseID, "cli")
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(c.stdout, "%d utskick köade igen\n", len(ids))
			return ids, nil
		})
	}
}
