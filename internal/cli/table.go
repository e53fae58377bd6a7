package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// command is one entry of the command table: Run dispatches on name, the
// top-level usage lists synopsis and summary, and the command's --help
// prints synopsis, args and its flags.
type command struct {
	name     string
	synopsis string // after "synpunkt ", e.g. "case --config FILE NUMBER"
	summary  string // one line for the top-level usage
	args     string // what each positional argument is, "" for none
	run      func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

const numberArg = "  NUMBER  the case number, e.g. SYN-2026-00042\n"

// commands is the command table, in the order the usage lists them. It is
// filled in init: the commands' --help reads it back (a cycle for a plain
// initialiser).
var commands []command

func init() {
	commands = []command{
		{"run", "run --config FILE", "run the daemon (IMAP intake, outbox, deadlines)",
			"Runs the daemon until SIGINT/SIGTERM; SIGHUP re-reads log.level from the config.\n", cmdRun},
		{"demo", "demo [--db FILE] [-v] [--metrics]", "run the whole flow on an embedded mailbox and SMTP sink", "", cmdDemo},
		{"import", "import --config FILE [--no-notify] [--json] PATH...", "register .eml files, Maildir folders and mbox files",
			"  PATH  an .eml file, a Maildir folder or an mbox file; several may be given\n", cmdImport},
		{"register", "register --config FILE --channel telefon|besök|brev|e-tjänst [--from ADDRESS|--phone NUMBER|--anonymous] [--received TIME] --subject S --text T",
			"register a synpunkt taken by phone, at a visit or by letter", "", cmdRegister},
		{"cases", "cases --config FILE [--json] [--open] [--overdue]", "list cases", "", cmdCases},
		{"case", "case --config FILE NUMBER", "show one case, its documents, events and outbox", numberArg, cmdCase},
		{"close", "close --config FILE [--note TEXT] NUMBER", "close a case and tell the citizen", numberArg, cmdClose},
		{"reopen", "reopen --config FILE NUMBER", "reopen a closed case", numberArg, cmdReopen},
		{"note", "note --config FILE NUMBER TEXT...", "add an action note",
			numberArg + "  TEXT    the note; the remaining arguments are joined with spaces\n", cmdNote},
		{"route", "route --config FILE --unit NAME NUMBER", "move a case to another unit", numberArg, cmdRoute},
		{"forward", "forward --config FILE [--at TIME] NUMBER...", "forward never-forwarded cases (a backlog) now and start their deadlines",
			"  NUMBER  a case number; several may be given\n", cmdForward},
		{"resend", "resend --config FILE (NUMBER | --failed)", "send again what failed (one case's, or all)", numberArg, cmdResend},
		{"deadlines", "deadlines --config FILE [--at TIME] [--dry-run] [--json]", "send (or list) due reminders and escalations", "", cmdDeadlines},
		{"stats", "stats --config FILE [--from DAY] [--to DAY] [--json]", "statistics per committee, unit and channel; exclusions", "", cmdStats},
		{"report", "report --config FILE [--committee NAME] --period 2026-11|2026-Q4|2026 [--format xlsx|csv|json] --out FILE",
			"statistics for a committee: Excel, CSV or JSON (--out - for standard output)", "", cmdReport},
		{"check-config", "check-config --config FILE [--connect]", "validate a config; --connect also logs in to IMAP, SMTP, Twilio", "", cmdCheckConfig},
		{"eval-pii", "eval-pii DIR", "precision/recall of personal-data redaction on a corpus",
			"  DIR  a labelled corpus directory (format: classify/pii/CORPUS.md)\n", cmdEvalPII},
		{"eval-routing", "eval-routing [--config FILE] DIR", "accuracy of classification and routing on a corpus",
			"  DIR  a labelled corpus directory (format: classify/testdata/corpus/README.md)\n", cmdEvalRouting},
		{"preserve", "preserve --config FILE --reason TEXT NUMBER", "mark a case to be preserved (bevaras) and delivered to the archive", numberArg, cmdPreserve},
		{"purge", "purge --config FILE [--at TIME] [--dry-run] [--json]", "purge (gallra) what the retention rules say is due at TIME (default now)", "", cmdPurge},
		{"subject-access", "subject-access --config FILE (--email ADDR | --phone NR | --personnummer NR) [--json]", "every case and document holding a person's data (GDPR art. 15), as a Swedish letter or JSON", "", cmdSubjectAccess},
		{"erase", "erase --config FILE (--email ADDR | --phone NR | --personnummer NR) [--json]", "erase a person's data where the law allows, and say why the rest is kept (GDPR art. 17)", "", cmdErase},
		{"archive-export", "archive-export --config FILE --closed-before DATE --out DIR", "write the preserved closed cases as an FGS/ERMS archive package and mark them delivered", "", cmdArchiveExport},
		{"user", "user add|passwd|disable --config FILE [--role ROLE] [--unit NAME]... NAME", "manage the web view's personal logins (password read from stdin)",
			"  NAME  the login name\n", cmdUser},
		{"version", "version", "print the version and build", "", cmdVersion},
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
