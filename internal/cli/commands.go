package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
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

// casesPage is how many cases `cases` shows by default: a clerk needs the
// newest, not every case of the store streamed to a terminal.
const casesPage = 50

func cmdCases(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("cases", stderr)
	asJSON := fs.Bool("json", false, "print JSON (every case, oldest first, unless --limit or --page is given)")
	open := fs.Bool("open", false, "only open cases")
	overdue := fs.Bool("overdue", false, "only open cases past a deadline")
	limit := fs.Int("limit", casesPage, "cases per page, newest first")
	page := fs.Int("page", 1, "which page to show (1: the newest)")
	all := fs.Bool("all", false, "every case, oldest first, without paging")
	if err := parse(fs, args); err != nil {
		return err
	}
	paging := false
	fs.Visit(func(f *flag.Flag) { paging = paging || f.Name == "limit" || f.Name == "page" })
	return listCases(ctx, *path, casesView{open: *open, overdue: *overdue, json: *asJSON, all: *all, paging: paging, limit: *limit, page: *page}, stdout)
}

// casesView is what `cases` was asked to show.
type casesView struct {
	open, overdue, json, all bool
	paging                   bool // --limit or --page given
	limit, page              int
}

// listCases prints the cases v selects from the store of the config at
// path: one page, newest first, with a line saying which of how many, or
// (--all, or --json without a page) every case oldest first.
func listCases(ctx context.Context, path string, v casesView, stdout io.Writer) error {
	switch {
	case v.all && v.paging:
		return usageError{"cases: --all cannot be combined with --limit or --page"}
	case v.limit < 1:
		return usageError{"cases: --limit must be at least 1"}
	case v.page < 1:
		return usageError{"cases: --page must be at least 1"}
	}
	st, err := openStore(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	f := store.Filter{Brief: true}
	what := "ärenden"
	switch {
	case v.overdue:
		f.Status, f.OverdueAt, what = synpunkt.StatusOpen, clock(ctx)(), "försenade ärenden"
	case v.open:
		f.Status, what = synpunkt.StatusOpen, "öppna ärenden"
	}
	if v.json {
		if v.paging {
			f.Limit, f.Offset = v.limit, (v.page-1)*v.limit
		}
		return casesJSON(ctx, stdout, st, f)
	}
	if v.all {
		cases, err := st.ListCases(ctx, f)
		if err != nil {
			return err
		}
		report.Cases(stdout, cases)
		return nil
	}
	total, err := st.CountCases(ctx, f)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = v.limit, (v.page-1)*v.limit
	cases, err := st.ListCases(ctx, f)
	if err != nil {
		return err
	}
	report.Cases(stdout, cases)
	fmt.Fprintln(stdout, pageLine(v.page, f.Offset, len(cases), total, what))
	return nil
}

// pageLine is the line under a page of `cases`: which cases of how many it
// shows, and how to see more.
func pageLine(page, offset, shown, total int, what string) string {
	switch {
	case total == 0:
		return "Inga " + what
	case shown == 0:
		return fmt.Sprintf("Sida %d är tom: %s %s", page, thousands(total), what)
	}
	line := fmt.Sprintf("Visar %s–%s av %s %s, nyast först", thousands(offset+1), thousands(offset+shown), thousands(total), what)
	if offset+shown < total {
		line += fmt.Sprintf(" (--page %d visar nästa sida, --all alla)", page+1)
	}
	return line
}

// thousands writes n with a space between groups of three digits, as
// Swedish does: 100 000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
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
