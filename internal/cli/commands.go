package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/report"
	"github.com/exempelby/synpunkt/store"
)

func runDaemon(ctx context.Context, c call) error {
	cfg, err := loadConfig(c.config)
	if err != nil {
		return err
	}
	log, level := newLevelLogger(cfg.Log, c.stderr)
	ctx, stop := signalContext(ctx, log)
	defer stop()
	stopHUP := reloadOnHUP(ctx, c.config, level, log)
	defer stopHUP()
	defer startProfiles(log)()
	d, err := daemon.New(ctx, cfg, log, daemonOptions(ctx))
	if err != nil {
		return err
	}
	defer d.Close()
	log.Info("synpunkt started", "mailbox", cfg.IMAP.Mailbox, "imap", cfg.IMAP.Address, "store", cfg.Store.Path)
	if err := mountWeb(ctx, d, log); err != nil {
		return err
	}
	if err := d.Run(ctx); err != nil {
		return err
	}
	log.Info("synpunkt stopped")
	return nil
}

func cmdImport(fs *flag.FlagSet) body {
	noNotify := fs.Bool("no-notify", false, "register without receipts or forwards")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	return func(ctx context.Context, c call) error {
		var sum casework.ImportSummary
		err := withDaemon(ctx, c.config, c.stderr, func(d *daemon.Daemon) error {
			var err error
			sum, err = d.Pipeline.Import(ctx, c.args, *noNotify)
			return err
		})
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(c.stdout).Encode(sum)
		}
		fmt.Fprintf(c.stdout, "registered %d, duplicates %d, quarantined %d, bounces %d, auto-replies %d, reports %d\n",
			sum.Registered, sum.Duplicates, sum.Quarantined, sum.Bounces, sum.AutoReplies, sum.Reports)
		return nil
	}
}

// caseJSON is the JSON shape of a case for `cases --json`.
type caseJSON struct {
	Number      string    `json:"number"`
	Status      string    `json:"status"`
	Category    string    `json:"category"`
	Unit        string    `json:"unit"`
	Committee   string    `json:"committee"`
	InitiatedBy string    `json:"initiated_by"`
	Description string    `json:"description"`
	Sensitive   bool      `json:"sensitive"`
	Channel     string    `json:"channel"`
	ReceivedAt  time.Time `json:"received_at"`
	// Deadlines; omitted when not set.
	FirstResponseDue *time.Time `json:"first_response_due,omitempty"`
	FinalDue         *time.Time `json:"final_due,omitempty"`
	FirstResponseAt  *time.Time `json:"first_response_at,omitempty"`
	ClosedAt         *time.Time `json:"closed_at,omitempty"`
	Documents        []docJSON  `json:"documents"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

type docJSON struct {
	Type       string    `json:"type"`
	Direction  string    `json:"direction"`
	SenderRole string    `json:"sender_role"`
	ReceivedAt time.Time `json:"received_at"`
	// ClaimedDate is the message's own Date header; omitted when missing.
	ClaimedDate *time.Time `json:"claimed_date,omitempty"`
}

func toJSON(c synpunkt.Case) caseJSON {
	j := caseJSON{Number: c.Number, Status: string(c.Status), Category: string(c.Category), Unit: c.Unit, Committee: c.Committee,
		InitiatedBy: string(c.InitiatedBy), Description: c.Description, Sensitive: c.Sensitive, ReceivedAt: c.ReceivedAt, Documents: []docJSON{},
		FirstResponseDue: timePtr(c.FirstResponseDue), FinalDue: timePtr(c.FinalDue), FirstResponseAt: timePtr(c.FirstResponseAt), ClosedAt: timePtr(c.ClosedAt)}
	j.Channel = string(c.Channel)
	for _, d := range c.Documents {
		j.Documents = append(j.Documents, docJSON{Type: string(d.Type), Direction: string(d.Direction), SenderRole: d.SenderRole, ReceivedAt: d.ReceivedAt,
			ClaimedDate: timePtr(d.ClaimedDate)})
	}
	return j
}

// openStore opens the existing database of the config at path, for a
// command that only reads it: no secret is needed.
func openStore(ctx context.Context, path string) (*store.Store, error) {
	cfg, err := loadConfigReadOnly(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(cfg.Store.Path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return store.Open(ctx, cfg.Store.Path, store.Options{CaseNumberFormat: cfg.Organisation.CaseNumberFormat, Now: clock(ctx), AllowGroupRead: cfg.Store.AllowGroupRead})
}

func cmdCases(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("cases", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	open := fs.Bool("open", false, "only open cases")
	overdue := fs.Bool("overdue", false, "only open cases past a deadline")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfigReadOnly(*path)
	if err != nil {
		return err
	}
	if _, err := os.Stat(cfg.Store.Path); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	d, err := daemon.New(ctx, cfg, newLogger(cfg.Log, stderr), readOnlyOptions(ctx))
	if err != nil {
		return err
	}
	defer d.Close()
	f := store.Filter{Brief: true}
	switch {
	case *overdue:
		f.Status, f.OverdueAt = synpunkt.StatusOpen, clock(ctx)()
	case *open:
		f.Status = synpunkt.StatusOpen
	}
	if *asJSON {
		return casesJSON(ctx, stdout, d.Store, f)
	}
	cases, err := d.Store.ListCases(ctx, f)
	if err != nil {
		return err
	}
	report.Cases(stdout, cases)
	return nil
}

// casesJSON streams the cases f selects as an indented JSON array, one
// case in memory at a time.
func casesJSON(ctx context.Context, w io.Writer, st *store.Store, f store.Filter) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	sep := "\n"
	err := st.EachCase(ctx, f, func(c synpunkt.Case) error {
		b, err := json.MarshalIndent(toJSON(c), "  ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString(sep + "  ")
		bw.Write(b)
		sep = ",\n"
		return nil
	})
	if err != nil {
		return err
	}
	if sep != "\n" { // at least one case
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

func cmdCase(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("case", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"case needs exactly one case NUMBER"}
	}
	st, err := openStore(ctx, *path)
	if err != nil {
		return err
	}
	defer st.Close()
	return report.Case(ctx, stdout, st, fs.Arg(0))
}
