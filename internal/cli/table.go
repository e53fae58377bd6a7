package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one entry of the command table: Run dispatches on name, the
// top-level usage lists synopsis and summary, and the command's --help
// prints synopsis, args and its flags.
//
// A command either declares its flags (flags: it adds them to the FlagSet,
// which already has --config, and returns its body) and Run parses the
// arguments and checks their count against nargs before the body runs; or
// it takes its raw arguments (raw) and parses them itself, as the commands
// with a sub-verb or their own parsing do.
type command struct {
	name     string
	synopsis string // after "synpunkt ", e.g. "case --config FILE NUMBER"
	summary  string // one line for the top-level usage
	args     string // what each positional argument is, "" for none
	nargs    arity
	flags    func(fs *flag.FlagSet) body
	raw      func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// body is what a command does once its flags are parsed.
type body func(ctx context.Context, c call) error

// call is one run of a command: its --config path, its positional
// arguments and where it writes.
type call struct {
	config         string
	args           []string
	stdout, stderr io.Writer
}

// arity is how many positional arguments a command takes (max < 0: no
// upper bound) and how its usage error names them; the zero value checks
// nothing.
type arity struct {
	min, max int
	what     string // e.g. "one case NUMBER"; "" for none
}

// check returns the usage error of name called with n arguments.
func (a arity) check(name string, n int) error {
	switch {
	case a == arity{}, n >= a.min && (a.max < 0 || n <= a.max):
		return nil
	case a.max == 0:
		return usageError{name + " takes no arguments besides its flags"}
	}
	return usageError{name + " needs " + a.what}
}

// run parses args for c and runs it.
func (c command) run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if c.raw != nil {
		return c.raw(ctx, args, stdout, stderr)
	}
	fs, path := flags(c.name, stderr)
	do := c.flags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := c.nargs.check(c.name, fs.NArg()); err != nil {
		return err
	}
	return do(ctx, call{config: *path, args: fs.Args(), stdout: stdout, stderr: stderr})
}

// noFlags is the flags of a command with no flags of its own.
func noFlags(b body) func(*flag.FlagSet) body {
	return func(*flag.FlagSet) body { return b }
}

const numberArg = "  NUMBER  the case number, e.g. SYN-2026-00042\n"

var oneNumber = arity{1, 1, "one case NUMBER"}

// commands is the command table, in the order the usage lists them. It is
// filled in init: the commands' --help reads it back (a cycle for a plain
// initialiser).
var commands []command

func init() {
	commands = []command{
		{name: "run", synopsis: "run --config FILE", summary: "run the daemon (IMAP intake, outbox, deadlines)",
			args: "Runs the daemon until SIGINT/SIGTERM; SIGHUP re-reads log.level from the config.\n", flags: noFlags(runDaemon)},
		{name: "demo", synopsis: "demo [--db FILE] [-v] [--metrics]", summary: "run the whole flow on an embedded mailbox and SMTP sink", flags: cmdDemo},
		{name: "import", synopsis: "import --config FILE [--no-notify] [--json] PATH...", summary: "register .eml files, Maildir folders and mbox files",
			args: "  PATH  an .eml file, a Maildir folder or an mbox file; several may be given\n", nargs: arity{1, -1, "at least one PATH"}, flags: cmdImport},
		{name: "register", synopsis: "register --config FILE --channel telefon|besök|brev|e-tjänst [--from ADDRESS|--phone NUMBER|--anonymous] [--received TIME] --subject S --text T",
			summary: "register a synpunkt taken by phone, at a visit or by letter", nargs: arity{0, 0, "no arguments"}, flags: cmdRegister},
		{name: "cases", synopsis: "cases --config FILE [--open] [--overdue] [--limit N] [--page P] [--all] [--json]", summary: "list cases", raw: cmdCases},
		{name: "case", synopsis: "case --config FILE NUMBER", summary: "show one case, its documents, events and outbox", args: numberArg, raw: cmdCase},
		{name: "close", synopsis: "close --config FILE [--note TEXT] NUMBER", summary: "close a case and tell the citizen", args: numberArg, nargs: oneNumber, flags: cmdClose},
		{name: "reopen", synopsis: "reopen --config FILE NUMBER", summary: "reopen a closed case", args: numberArg, nargs: oneNumber, flags: noFlags(reopen)},
		{name: "note", synopsis: "note --config FILE NUMBER TEXT...", summary: "add an action note",
			args: numberArg + "  TEXT    the note; the remaining arguments are joined with spaces\n", nargs: arity{2, -1, "a case NUMBER and a TEXT"}, flags: noFlags(note)},
		{name: "route", synopsis: "route --config FILE --unit NAME NUMBER", summary: "move a case to another unit", args: numberArg,
			nargs: arity{1, 1, "one case NUMBER and --unit NAME"}, flags: cmdRoute},
		{name: "forward", synopsis: "forward --config FILE [--at TIME] NUMBER...", summary: "forward never-forwarded cases (a backlog) now and start their deadlines",
			args: "  NUMBER  a case number; several may be given\n", nargs: arity{1, -1, "at least one case NUMBER"}, flags: cmdForward},
		{name: "resend", synopsis: "resend --config FILE (NUMBER | --failed)", summary: "send again what failed (one case's, or all)", args: numberArg,
			nargs: arity{0, 1, "one case NUMBER or --failed"}, flags: cmdResend},
		{name: "deadlines", synopsis: "deadlines --config FILE [--at TIME] [--dry-run] [--json]", summary: "send (or list) due reminders and escalations", raw: cmdDeadlines},
		{name: "stats", synopsis: "stats --config FILE [--from DAY] [--to DAY] [--json]", summary: "statistics per committee, unit and channel; exclusions", raw: cmdStats},
		{name: "report", synopsis: "report --config FILE [--committee NAME] --period 2026-11|2026-Q4|2026 [--format xlsx|csv|json] --out FILE",
			summary: "statistics for a committee: Excel, CSV or JSON (--out - for standard output)", flags: cmdReport},
		{name: "check-config", synopsis: "check-config --config FILE [--connect]", summary: "validate a config; --connect also logs in to IMAP, SMTP, Twilio", flags: cmdCheckConfig},
		{name: "eval-pii", synopsis: "eval-pii DIR", summary: "precision/recall of personal-data redaction on a corpus",
			args: "  DIR  a labelled corpus directory (format: classify/pii/CORPUS.md)\n", nargs: arity{1, 1, "one corpus DIR"}, flags: noFlags(evalPII)},
		{name: "eval-routing", synopsis: "eval-routing [--config FILE] DIR", summary: "accuracy of classification and routing on a corpus",
			args: "  DIR  a labelled corpus directory (format: classify/testdata/corpus/README.md)\n", nargs: arity{1, 1, "one corpus DIR"}, flags: noFlags(evalRouting)},
		{name: "preserve", synopsis: "preserve --config FILE --reason TEXT NUMBER", summary: "mark a case to be preserved (bevaras) and delivered to the archive", args: numberArg, raw: cmdPreserve},
		{name: "purge", synopsis: "purge --config FILE [--at TIME] [--dry-run] [--json]", summary: "purge (gallra) what the retention rules say is due at TIME (default now)", raw: cmdPurge},
		{name: "subject-access", synopsis: "subject-access --config FILE (--email ADDR | --phone NR | --personnummer NR) [--json]", summary: "every case and document holding a person's data (GDPR art. 15), as a Swedish letter or JSON", raw: cmdSubjectAccess},
		{name: "erase", synopsis: "erase --config FILE (--email ADDR | --phone NR | --personnummer NR) [--json]", summary: "erase a person's data where the law allows, and say why the rest is kept (GDPR art. 17)", raw: cmdErase},
		{name: "archive-export", synopsis: "archive-export --config FILE --closed-before DATE --out DIR", summary: "write the preserved closed cases as an FGS/ERMS archive package and mark them delivered", raw: cmdArchiveExport},
		{name: "user", synopsis: "user add|passwd|disable --config FILE [--role ROLE] [--unit NAME]... NAME", summary: "manage the web view's personal logins (password read from stdin)",
			args: "  NAME  the login name\n", raw: cmdUser},
		{name: "version", synopsis: "version", summary: "print the version and build", flags: noFlags(printVersion)},
	}
}

// lookup finds a command by name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// usage is the top-level usage text, made from the table.
func usage() string {
	var b strings.Builder
	b.WriteString("synpunkt — the municipal feedback mailbox daemon\n\nUsage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  synpunkt %s\n      %s\n", c.synopsis, c.summary)
	}
	b.WriteString(`
The config path may also come from SYNPUNKT_CONFIG. Read-only commands
(cases, case, stats, deadlines --dry-run) need no secrets. Each command
takes --help. SIGHUP makes a running daemon re-read log.level; other
changes take effect on restart.
`)
	return b.String()
}
